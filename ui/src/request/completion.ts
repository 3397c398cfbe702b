// Completing the request line from the API catalogue, the pure parts: which text to complete,
// the address once a path is accepted (and its `{id}` to type over), and which query parameter
// names to offer for what was typed.
import type { Offer } from "./OfferList";

/** The text paths are completed from: the address up to the caret, or null when the caret is in
 * the query (after `?`), where paths are not offered. */
export function typedPath(url: string, caret: number): string | null {
  const query = url.indexOf("?");
  if (query >= 0 && caret > query) return null;
  return url.slice(0, caret);
}

/** The address with its path (everything before `?`) replaced by `path`, the query kept; and the
 * first placeholder of the path to type over (`{id}`, not the account's slug), if it has one. */
export function withPath(url: string, path: string): { url: string; select: [number, number] | null } {
  const query = url.indexOf("?");
  return { url: path + (query >= 0 ? url.slice(query) : ""), select: firstPlaceholder(path) };
}

/** Where the first `{name}` (or `{{name}}`) other than the account's slug is in `text`. */
export function firstPlaceholder(text: string): [number, number] | null {
  for (const m of text.matchAll(/\{\{?([A-Za-z_][A-Za-z0-9_.-]*)\}?\}/g)) {
    if (m[1] !== "account-slug") return [m.index, m.index + m[0].length];
  }
  return null;
}

/** The names to offer for a query parameter's name cell: those starting with what was typed, then
 * those containing it (case aside), leaving out the names other rows already have. Nothing when
 * the typed name is the only match and is complete. */
export function matchNames(offers: Offer[], typed: string, taken: string[]): Offer[] {
  const t = typed.trim().toLowerCase();
  const free = offers.filter((o) => !taken.includes(o.value));
  if (t === "") return free;
  const name = (o: Offer) => o.value.toLowerCase();
  const starting = free.filter((o) => name(o).startsWith(t));
  const containing = free.filter((o) => !name(o).startsWith(t) && name(o).includes(t));
  const all = [...starting, ...containing];
  if (all.length === 1 && name(all[0]) === t) return [];
  return all;
}

/** The values to offer for a query parameter as typed: for a list (`include=client,rate-table`,
 * `sort=-created-at,name`) the last item is completed and the items before it kept, each value
 * offered once; for a single value (`filter[active]`), the values matching the typed text. */
export function matchValues(values: string[], typed: string, list: boolean): Offer[] {
  const cut = list ? typed.lastIndexOf(",") + 1 : 0;
  const head = typed.slice(0, cut);
  const taken = head.split(",").map((v) => v.trim().replace(/^-/, ""));
  const free = values.filter((v) => !(list && taken.includes(v.replace(/^-/, ""))));
  return matchNames(
    free.map((v) => ({ value: v })),
    typed.slice(cut),
    [],
  ).map((o) => ({ value: head + o.value, label: o.value }));
}
