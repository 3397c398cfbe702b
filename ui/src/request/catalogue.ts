// The API catalogue as the request editor uses it (the engine owns the catalogue; this asks it):
// completions of the typed path, the query parameters of the resource a path names, whether a
// path names a resource a body skeleton exists for, and the words for what loading the API's
// description added.
import * as api from "../api";
import type { Offer } from "./OfferList";

/** The paths completing `typed`, as offers whose value is the whole new path. */
export async function pathOffers(profileId: string, typed: string): Promise<Offer[]> {
  const found = await api.apiPathCompletions(profileId, typed);
  return found.map((c) => ({ value: c.text, label: c.label, detail: c.description }));
}

/** The query parameters the resource `path` names accepts, as name offers, with the values to
 * offer for each name. */
export async function parameterOffers(profileId: string, path: string): Promise<ParameterOffers> {
  const found = await api.apiQueryParameters(profileId, path);
  return {
    names: found.map((p) => ({ value: p.name, detail: p.description })),
    values: new Map(found.map((p) => [p.name, { values: p.values, list: p.kind === "include" || p.kind === "sort" }])),
  };
}

/** A resource's query parameters as the Parameters table offers them: the names, and for each
 * name its values (and whether it takes a comma-separated list of them). */
export interface ParameterOffers {
  names: Offer[];
  values: Map<string, { values: string[]; list: boolean }>;
}

/** The resource type an address names, when it names a list or one record of it
 * (`…/v1/projects`, `…/v1/projects/12`): not an action endpoint, not a path outside `v1/`. */
export function resourceOf(url: string): string | null {
  const path = url.split(/[?#]/)[0].replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
  const at = path.startsWith("v1/") ? 3 : path.indexOf("/v1/") >= 0 ? path.indexOf("/v1/") + 4 : -1;
  if (at < 0) return null;
  const segments = path.slice(at).split("/").filter((s) => s !== "");
  if (segments.length === 0 || segments.length > 2) return null;
  return /^[a-z][a-z0-9-]*$/.test(segments[0]) ? segments[0] : null;
}

/** The resource types of a profile's catalogue that take writes, asked once per profile (and
 * again after its description is loaded). */
const writable = new Map<string, Promise<Set<string>>>();

export function writableTypes(profileId: string): Promise<Set<string>> {
  let known = writable.get(profileId);
  if (!known) {
    known = api.apiCatalogue(profileId).then(
      (c) => new Set(c.resources.filter((r) => !r.read_only).map((r) => r.type)),
      () => {
        // Not kept: the next question asks again.
        writable.delete(profileId);
        return new Set<string>();
      },
    );
    writable.set(profileId, known);
  }
  return known;
}

/** Who wants to know when a profile's catalogue changed (every request tab of the profile). */
const watchers = new Set<(profileId: string) => void>();

/** Calls `changed` after a profile's catalogue changed; returns the function that stops it. */
export function watchCatalogue(changed: (profileId: string) => void): () => void {
  watchers.add(changed);
  return () => void watchers.delete(changed);
}

/** Loads the API's description into the profile's catalogue (every tab of the profile asks it
 * again); returns what to say about it. */
export async function loadDescription(profileId: string): Promise<string> {
  const summary = await api.loadApiDescription(profileId);
  writable.delete(profileId);
  for (const changed of watchers) changed(profileId);
  return describeEnrichment(summary);
}

/** What loading the description added, in a sentence for the status line: "Loaded the API's
 * description (OpenAPI 3.0.3, "Sandbox API" 1.0): 31 resource types, 4 new (…)." */
export function describeEnrichment(s: api.EnrichSummary): string {
  const added = s.resources_added;
  const types = `${s.resources_described} resource ${s.resources_described === 1 ? "type" : "types"}, ${added.length} new`;
  const names = added.length > 0 ? ` (${added.slice(0, 5).join(", ")}${added.length > 5 ? ", …" : ""})` : "";
  const more = [
    [s.attributes_added, "attribute", "attributes"],
    [s.parameters_added, "query parameter", "query parameters"],
    [s.actions_added, "action", "actions"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  const extra = more.length > 0 ? `; ${joinWords(more)} added` : "";
  return `Loaded the API's description (${s.source}): ${types}${names}${extra}.`;
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
