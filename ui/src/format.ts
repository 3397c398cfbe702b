// Plain-language times: countdowns, dates, and "2 min ago".

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

/** A unix time as a local date and time. */
export function dateTime(unix: number): string {
  return new Date(unix * 1000).toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

export function nowUnix(): number {
  return Math.floor(Date.now() / 1000);
}
