import { describe, expect, it } from "vitest";
import { joinUrl, jsonApiSkeleton, splitUrl } from "./query";

describe("URL and parameters", () => {
  it("reads JSON:API parameters out of the URL", () => {
    expect(splitUrl("{account-slug}/v1/projects?page[number]=2&filter[active]=true&include=client")).toEqual({
      base: "{account-slug}/v1/projects",
      params: [
        { key: "page[number]", value: "2" },
        { key: "filter[active]", value: "true" },
        { key: "include", value: "client" },
      ],
    });
  });

  it("round-trips, encoding what must be encoded and keeping brackets readable", () => {
    const url = joinUrl("/v1/clients", [
      { key: "filter[name]", value: "Acme & Co" },
      { key: "", value: "ignored" },
    ]);
    expect(url).toBe("/v1/clients?filter[name]=Acme%20%26%20Co");
    expect(splitUrl(url).params).toEqual([{ key: "filter[name]", value: "Acme & Co" }]);
  });

  it("leaves a URL without parameters alone", () => {
    expect(joinUrl("/v1/me", [])).toBe("/v1/me");
    expect(splitUrl("/v1/me")).toEqual({ base: "/v1/me", params: [] });
  });
});

describe("jsonApiSkeleton", () => {
  it("offers a project with its client for POST and the id for PATCH", () => {
    const post = JSON.parse(jsonApiSkeleton("{account-slug}/v1/projects", "POST"));
    expect(post.data.type).toBe("projects");
    expect(post.data.relationships.client.data.type).toBe("clients");
    const patch = JSON.parse(jsonApiSkeleton("{account-slug}/v1/clients/301", "PATCH"));
    expect(patch.data).toMatchObject({ type: "clients", id: "301" });
  });
});

import { toVariables } from "./VariablesTable";

describe("profile variables", () => {
  it("keeps named rows, trims names, and a later row of the same name wins", () => {
    expect(
      toVariables([
        { key: " projectId ", value: "1" },
        { key: "", value: "ignored" },
        { key: "projectId", value: "2" },
        { key: "slug", value: "" },
      ]),
    ).toEqual({ projectId: "2", slug: "" });
  });
});
