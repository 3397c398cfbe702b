// The URL and the query-parameter table, kept in sync both ways.
import type { Pair } from "./PairTable";

/** Splits "path?a=1&b=2" into the part before "?" and its parameters. */
export function splitUrl(url: string): { base: string; params: Pair[] } {
  const at = url.indexOf("?");
  if (at < 0) return { base: url, params: [] };
  const base = url.slice(0, at);
  const params = url
    .slice(at + 1)
    .split("&")
    .filter((p) => p.length > 0)
    .map((pair) => {
      const eq = pair.indexOf("=");
      const raw = eq < 0 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
      return { key: decode(raw[0]), value: decode(raw[1]) };
    });
  return { base, params };
}

/** Puts the parameters back on the URL, encoding what needs it but keeping `[` `]` readable. */
export function joinUrl(base: string, params: Pair[]): string {
  const kept = params.filter((p) => p.key.length > 0);
  if (kept.length === 0) return base;
  return `${base}?${kept.map((p) => `${encode(p.key)}=${encode(p.value)}`).join("&")}`;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function encode(s: string): string {
  return encodeURIComponent(s).replace(/%5B/gi, "[").replace(/%5D/gi, "]").replace(/%7B/gi, "{").replace(/%7D/gi, "}");
}

/** The JSON:API body ScopeStack expects for a write, to start from. */
export function jsonApiSkeleton(url: string, method: string): string {
  const path = splitUrl(url).base.replace(/\/+$/, "");
  const segments = path.split("/");
  const last = segments[segments.length - 1] ?? "";
  const isId = /^\d+$/.test(last);
  const type = (isId ? segments[segments.length - 2] : last) || "projects";
  const data: Record<string, unknown> = { type, attributes: type === "projects" ? { "project-name": "New project" } : { name: "New name" } };
  if (method === "PATCH" && isId) data.id = last;
  if (type === "projects" && method === "POST") data.relationships = { client: { data: { type: "clients", id: "301" } } };
  return JSON.stringify({ data }, null, 2);
}
