import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { sampleSnapshot } from "../fixtures";
import { describeEnvironment } from "../methods";
import { Sidebar } from "./Sidebar";
import { SandboxGuide } from "./SandboxGuide";

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
    const root = mount(<Sidebar snapshot={sampleSnapshot()} selectedId="sandbox" onSelect={() => {}} onSnapshot={() => {}} onError={() => {}} />);
    const items = [...root.querySelectorAll<HTMLButtonElement>(".profile-item")];
    expect(items.map((b) => b.querySelector(".profile-name")?.textContent)).toEqual(["Sandbox", "ScopeStack"]);
    expect(items[0].getAttribute("aria-current")).toBe("true");
    expect(items[1].getAttribute("aria-current")).toBeNull();
  });

  it("reports where the sandbox runs, or why it does not", () => {
    const snapshot = sampleSnapshot();
    let root = mount(<Sidebar snapshot={snapshot} selectedId="sandbox" onSelect={() => {}} onSnapshot={() => {}} onError={() => {}} />);
    expect(root.querySelector(".sidebar-footer")?.textContent).toContain("Sandbox running on 127.0.0.1:40123");
    snapshot.sandbox = { state: "failed", message: "port in use" };
    root = mount(<Sidebar snapshot={snapshot} selectedId="sandbox" onSelect={() => {}} onSnapshot={() => {}} onError={() => {}} />);
    expect(root.querySelector(".sidebar-footer")?.textContent).toContain("Sandbox not running");
  });

  it("hands the clicked profile's id to onSelect", () => {
    const chosen: string[] = [];
    const root = mount(<Sidebar snapshot={sampleSnapshot()} selectedId="sandbox" onSelect={(id) => chosen.push(id)} onSnapshot={() => {}} onError={() => {}} />);
    root.querySelector<HTMLButtonElement>("[data-profile-id='scopestack']")?.click();
    expect(chosen).toEqual(["scopestack"]);
  });
});

describe("SandboxGuide", () => {
  it("lists the demo clients and users with their one-time code", () => {
    const root = mount(<SandboxGuide demo={sampleSnapshot().demo} />);
    expect(root.textContent).toContain("demo-service-secret");
    expect(root.textContent).toContain("one-time code 246810");
  });
});
