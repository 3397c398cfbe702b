// Addresses as people read them: percent-decoding that never throws, a request's short title
// ("GET /v1/projects"), and the decoded path and query of a history entry.
import type { HistoryEntry } from "../api";

export function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A tab's label: the method and the address without its origin and query ("GET /v1/projects"). */
export function titleOf(method: string, url: string): string {
  const path = url.replace(/^https?:\/\/[^/]+/, "").split("?")[0] || "/";
  return `${method} ${decodeSafely(path)}`;
}

/** The path and query of an entry's address as sent, decoded to read
 * ("/sandbox-demo/v1/projects?filter[name]=Acme"). */
export function readablePath(entry: Pick<HistoryEntry, "url" | "sent_url">): string {
  const raw = entry.sent_url ?? entry.url;
  try {
    const u = new URL(raw);
    return decodeSafely(u.pathname + u.search);
  } catch {
    return decodeSafely(raw);
  }
}
