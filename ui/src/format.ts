// Words, not raw values: the one place that turns times, durations, sizes, rates and counts into
// what a person would say ("until 04:30, in 2 h", "8.2 s", "7.3 KB", "page 1 of 3 · 25 records").

/** "1 h 59 min", "4 min 05 s", "42 s"; "expired" at or below zero. */
export function countdown(seconds: number): string {
  if (seconds <= 0) return "expired";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${s} s`;
}

/** A unix time (seconds) as a local date and time: "5 Dec 2026, 04:30". */
export function dateTime(unix: number): string {
  return new Date(unix * 1000).toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** A unix time (seconds) as a local clock time: "04:30". */
export function clockTime(unix: number): string {
  return new Date(unix * 1000).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** When something ends, said both ways: "until 04:30, in 2 h"; "at 04:30, 5 min ago" once past.
 * A time on another day also names the day. */
export function until(unix: number, now: number): string {
  const sameDay = new Date(unix * 1000).toDateString() === new Date(now * 1000).toDateString();
  const when = sameDay ? clockTime(unix) : dateTime(unix);
  const left = unix - now;
  if (left > 0) return `until ${when}, in ${roughly(left)}`;
  return `at ${when}, ${roughly(-left)} ago`;
}

/** A span rounded the way people say it: "2 h", "1 h 58 min", "5 min", "40 s". */
export function roughly(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** A duration given in milliseconds: "240 ms", "8.2 s", "2 min 05 s"; "—" when unknown. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, "0")} s`;
}

/** A size in bytes, in decimal units as file managers show them: "512 B", "7.3 KB", "50.0 MB". */
export function size(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1000 ** 2) return `${(bytes / 1000).toFixed(1)} KB`;
  if (bytes < 1000 ** 3) return `${(bytes / 1000 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1000 ** 3).toFixed(1)} GB`;
}

/** A transfer rate: "6.1 MB/s"; "—" before anything measurable has passed. */
export function rate(bytes: number, ms: number): string {
  if (ms <= 0) return "—";
  return `${size(Math.round((bytes * 1000) / ms))}/s`;
}

/** "1 record", "25 records". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** JSON:API paging in words: "page 1 of 3 · 25 records"; parts the server did not give are
 * left out, and nothing at all gives "". */
export function paging(page: number | null, pages: number | null, records: number | null): string {
  const parts: string[] = [];
  if (page !== null && pages !== null) parts.push(`page ${page} of ${pages}`);
  else if (pages !== null) parts.push(count(pages, "page"));
  if (records !== null) parts.push(count(records, "record"));
  return parts.join(" · ");
}

/** "just now", "5 min ago", "3 h ago", then the date. */
export function ago(unix: number, now: number): string {
  const s = now - unix;
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 24 * 3600) return `${Math.round(s / 3600)} h ago`;
  return dateTime(unix);
}

/** The local day a unix time falls on, for grouping: "Today", "Yesterday", "Thu 3 Dec". */
export function dayLabel(unix: number, now: number): string {
  const day = (t: number) => new Date(t * 1000).toDateString();
  if (day(unix) === day(now)) return "Today";
  if (day(unix) === day(now - 24 * 3600)) return "Yesterday";
  return new Date(unix * 1000).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}

export function nowUnix(): number {
  return Math.floor(Date.now() / 1000);
}
