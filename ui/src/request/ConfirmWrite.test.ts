import { describe, expect, it } from "vitest";
import { isWrite, pathOf, question, resourceOf, singular } from "./ConfirmWrite";

describe("the write question", () => {
  it("names the method, the resource type (singular) and the account", () => {
    expect(question("patch", "{{account-slug}}/v1/projects/12", "acme-corp")).toBe("PATCH a project in account acme-corp?");
    expect(question("POST", "https://api.scopestack.io/acme/v1/clients", "acme")).toBe("POST a client in account acme?");
    expect(question("DELETE", "acme/v1/project-services/3?include=x", "acme")).toBe("DELETE a project-service in account acme?");
  });

  it("reads the type an action or a nested list belongs to", () => {
    expect(resourceOf("acme/v1/surveys/4/calculate")).toBe("survey");
    expect(resourceOf("acme/v1/project-services/{id}/synchronize-standard")).toBe("project-service");
    expect(resourceOf("acme/v1/projects/1/project-governances")).toBe("project-governance");
    expect(resourceOf("acme/v1/projects/1/relationships/client")).toBe("project");
    expect(resourceOf("")).toBe("resource");
  });

  it("makes plurals singular and keeps the path without host and query", () => {
    expect(singular("companies")).toBe("company");
    expect(singular("addresses")).toBe("address");
    expect(singular("rate-tables")).toBe("rate-table");
    expect(pathOf("http://127.0.0.1:9/acme/v1/projects?x=1")).toBe("/acme/v1/projects");
    expect(pathOf("{{account-slug}}/v1/projects#top")).toBe("{{account-slug}}/v1/projects");
  });

  it("asks about writes only", () => {
    for (const m of ["POST", "PATCH", "PUT", "DELETE", "patch"]) expect(isWrite(m)).toBe(true);
    for (const m of ["GET", "HEAD", "OPTIONS"]) expect(isWrite(m)).toBe(false);
  });
});
