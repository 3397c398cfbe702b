import { describe, expect, it, vi } from "vitest";
import { describeEnrichment, loadDescription, resourceOf, watchCatalogue } from "./catalogue";

// The shell's command, as the engine would answer it for the sandbox.
vi.mock("../api", () => ({
  loadApiDescription: async () => ({ source: "OpenAPI 3.0.3", resources_described: 30, resources_added: [], attributes_added: 0, parameters_added: 39, actions_added: 0 }),
}));

describe("the resource an address names", () => {
  it("is the type of a list or of one record after v1/", () => {
    expect(resourceOf("{{account-slug}}/v1/projects")).toBe("projects");
    expect(resourceOf("{account-slug}/v1/project-services/12?include=project")).toBe("project-services");
    expect(resourceOf("https://api.scopestack.io/acme/v1/clients/")).toBe("clients");
    expect(resourceOf("v1/surveys")).toBe("surveys");
  });

  it("is none for an action, a path outside v1/, or nothing yet", () => {
    expect(resourceOf("{{account-slug}}/v1/projects/12/merge-data")).toBeNull();
    expect(resourceOf("https://api.scopestack.io/v1/me")).toBe("me");
    expect(resourceOf("https://api.scopestack.io/oauth/token")).toBeNull();
    expect(resourceOf("{{account-slug}}/v1/")).toBeNull();
    expect(resourceOf("{{account-slug}}/v1/{{kind}}")).toBeNull();
  });
});

describe("what loading the description says", () => {
  const summary = { source: 'OpenAPI 3.0.3, "Sandbox" 1.0', resources_described: 31, resources_added: ["widgets", "gadgets", "doodads", "whatsits"], attributes_added: 12, parameters_added: 1, actions_added: 0 };

  it("counts the resource types, names the new ones, and what else it added", () => {
    expect(describeEnrichment(summary)).toBe(
      `Loaded the API's description (OpenAPI 3.0.3, "Sandbox" 1.0): 31 resource types, 4 new (widgets, gadgets, doodads, whatsits); 12 attributes and 1 query parameter added.`,
    );
  });

  it("says when nothing was new", () => {
    expect(describeEnrichment({ ...summary, resources_described: 1, resources_added: [], attributes_added: 0, parameters_added: 0 })).toBe(
      `Loaded the API's description (OpenAPI 3.0.3, "Sandbox" 1.0): 1 resource type, 0 new.`,
    );
  });

  it("shortens a long list of new types", () => {
    const many = { ...summary, resources_added: ["a", "b", "c", "d", "e", "f", "g"], attributes_added: 0, parameters_added: 0, actions_added: 2 };
    expect(describeEnrichment(many)).toBe(`Loaded the API's description (OpenAPI 3.0.3, "Sandbox" 1.0): 31 resource types, 7 new (a, b, c, d, e, …); 2 actions added.`);
  });
});

describe("loading the description", () => {
  it("tells every watcher which profile's catalogue changed, until it stops watching", async () => {
    const seen: string[] = [];
    const stop = watchCatalogue((p) => seen.push(p));
    expect(await loadDescription("sandbox")).toBe("Loaded the API's description (OpenAPI 3.0.3): 30 resource types, 0 new; 39 query parameters added.");
    stop();
    await loadDescription("other");
    expect(seen).toEqual(["sandbox"]);
  });
});
