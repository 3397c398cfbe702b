import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { sampleSnapshot } from "../fixtures";
import { describeEnvironment } from "../methods";
import { Sidebar } from "./Sidebar";
import { ProfileWorkspace } from "./ProfileWorkspace";

function mount(node: preact.ComponentChild): HTMLElement {
  const root = document.createElement("div");
  document.body.appendChild(root);
  render(node, root);
  return root;
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("describeEnvironment", () => {
  it("names the built-in sandbox and the host of a server", () => {
    const [sandbox, scopestack] = sampleSnapshot().profiles;
    expect(describeEnvironment(sandbox)).toBe("Built-in sandbox · offline");
    expect(describeEnvironment(scopestack)).toBe("api.scopestack.io");
  });

  it("falls back to the raw text of an unparsable URL", () => {
    const view = { profile: { environment: { kind: "server" } }, endpoints: { api_url: "not a url" } };
    expect(describeEnvironment(view)).toBe("not a url");
  });
});

describe("Sidebar", () => {
  it("lists every profile and marks the selected one", () => {
    const root = mount(<Sidebar snapshot={sampleSnapshot()} selectedId="sandbox" onSelect={() => {}} />);
    const items = [...root.querySelectorAll<HTMLButtonElement>(".profile-item")];
    expect(items.map((b) => b.querySelector(".profile-name")?.textContent)).toEqual(["Sandbox", "ScopeStack"]);
    expect(items[0].getAttribute("aria-current")).toBe("true");
    expect(items[1].getAttribute("aria-current")).toBeNull();
  });

  it("reports where the sandbox runs, or why it does not", () => {
    const snapshot = sampleSnapshot();
    let root = mount(<Sidebar snapshot={snapshot} selectedId="sandbox" onSelect={() => {}} />);
    expect(root.querySelector(".sidebar-footer")?.textContent).toContain("Sandbox running on 127.0.0.1:40123");
    snapshot.sandbox = { state: "failed", message: "port in use" };
    root = mount(<Sidebar snapshot={snapshot} selectedId="sandbox" onSelect={() => {}} />);
    expect(root.querySelector(".sidebar-footer")?.textContent).toContain("Sandbox not running");
  });

  it("hands the clicked profile's id to onSelect", () => {
    const chosen: string[] = [];
    const root = mount(<Sidebar snapshot={sampleSnapshot()} selectedId="sandbox" onSelect={(id) => chosen.push(id)} />);
    root.querySelector<HTMLButtonElement>("[data-profile-id='scopestack']")?.click();
    expect(chosen).toEqual(["scopestack"]);
  });
});

describe("ProfileWorkspace", () => {
  it("shows the sandbox's demo credentials only on the sandbox profile", () => {
    const snapshot = sampleSnapshot();
    const sandbox = mount(<ProfileWorkspace view={snapshot.profiles[0]} sandbox={snapshot.sandbox} demo={snapshot.demo} />);
    expect(sandbox.textContent).toContain("demo-service-secret");
    expect(sandbox.textContent).toContain("one-time code 246810");
    const production = mount(<ProfileWorkspace view={snapshot.profiles[1]} sandbox={snapshot.sandbox} demo={snapshot.demo} />);
    expect(production.textContent).not.toContain("demo-service-secret");
    expect(production.textContent).toContain("https://app.scopestack.io/oauth/authorize");
  });

  it("explains the method in plain words", () => {
    const snapshot = sampleSnapshot();
    const root = mount(<ProfileWorkspace view={snapshot.profiles[0]} sandbox={snapshot.sandbox} demo={snapshot.demo} />);
    expect(root.textContent).toContain("Client credentials");
    expect(root.textContent).toContain("No browser, no password.");
    expect(root.textContent).toContain("GET http://127.0.0.1:40123/v1/me");
  });
});
