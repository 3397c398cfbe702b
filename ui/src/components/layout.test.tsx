import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { sampleSnapshot } from "../fixtures";
import { describeEnvironment } from "../methods";
import { health } from "../session/ConnectionBar";
import type { ProfileSession } from "../session/useProfileSession";
import { WindowHeader } from "../shell/WindowHeader";
import { dispatch, installShortcuts, useShortcut } from "../shortcuts";
import { Menu } from "./Menu";
import { SandboxGuide } from "./SandboxGuide";

function mount(node: preact.ComponentChild): HTMLElement {
  const root = document.createElement("div");
  document.body.appendChild(root);
  act(() => render(node, root));
  return root;
}

afterEach(() => {
  document.body.innerHTML = "";
});

const key = (target: Element, k: string, extra: KeyboardEventInit = {}) =>
  act(() => {
    target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...extra }));
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

describe("WindowHeader", () => {
  const header = (chosen: string[], selected = 0) => {
    const snapshot = sampleSnapshot();
    return mount(
      <WindowHeader
        snapshot={snapshot}
        view={snapshot.profiles[selected]}
        current="sign-in"
        onView={() => {}}
        onSelectProfile={(id) => chosen.push(id)}
        onDialog={() => {}}
        onDuplicate={() => {}}
        onSaveBundle={() => {}}
        onOpenBundle={() => {}}
        onImportProfiles={() => {}}
        onExportProfiles={() => {}}
      />,
    );
  };

  it("lists every profile in the switcher, marks the chosen one, and hands a click to onSelectProfile", () => {
    const chosen: string[] = [];
    const root = header(chosen);
    const button = root.querySelector<HTMLButtonElement>("[data-testid=profile-switcher]")!;
    expect(button.getAttribute("aria-expanded")).toBe("false");
    act(() => button.click());
    const items = [...root.querySelectorAll<HTMLElement>("[role=menuitemradio]")];
    expect(items.map((i) => i.querySelector(".menu-label")?.textContent)).toEqual(["Sandbox", "ScopeStack"]);
    expect(items.map((i) => i.getAttribute("aria-checked"))).toEqual(["true", "false"]);
    act(() => items[1].click());
    expect(chosen).toEqual(["scopestack"]);
  });

  it("offers Delete for a profile of a server but never for the built-in sandbox", () => {
    for (const [selected, hasDelete] of [
      [0, false],
      [1, true],
    ] as const) {
      const root = header([], selected);
      act(() => root.querySelector<HTMLButtonElement>("[data-testid=profile-menu]")!.click());
      expect(!!root.querySelector("[data-testid=delete-profile]")).toBe(hasDelete);
      document.body.innerHTML = "";
    }
  });
});

describe("Menu", () => {
  it("opens on its first item by keyboard, moves with the arrows, runs with Enter and gives focus back", () => {
    const ran: string[] = [];
    const root = mount(<Menu label="Things" items={["One", "Two", "Three"].map((label) => ({ label, onSelect: () => ran.push(label) }))} />);
    const button = root.querySelector<HTMLButtonElement>(".menu-button")!;
    button.focus();
    key(button, "ArrowDown");
    expect(document.activeElement?.textContent).toContain("One");
    key(document.activeElement!, "ArrowDown");
    key(document.activeElement!, "ArrowDown");
    expect(document.activeElement?.textContent).toContain("Three");
    key(document.activeElement!, "ArrowDown");
    expect(document.activeElement?.textContent).toContain("One");
    key(document.activeElement!, "End");
    key(document.activeElement!, "Enter");
    expect(ran).toEqual(["Three"]);
    expect(root.querySelector("[role=menu]")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("closes with Escape without running anything", () => {
    const ran: string[] = [];
    const root = mount(<Menu label="Things" items={[{ label: "One", onSelect: () => ran.push("One") }]} />);
    const button = root.querySelector<HTMLButtonElement>(".menu-button")!;
    key(button, "ArrowUp");
    key(document.activeElement!, "Escape");
    expect(root.querySelector("[role=menu]")).toBeNull();
    expect(ran).toEqual([]);
    expect(document.activeElement).toBe(button);
  });
});

describe("shortcuts", () => {
  function Listener({ log, enabled = true }: { log: string[]; enabled?: boolean }) {
    useShortcut("send", () => void log.push("send"), enabled);
    useShortcut("cancel", () => false);
    return <input />;
  }

  it("run wherever focus is, only while their component is shown and enabled", () => {
    installShortcuts();
    const log: string[] = [];
    const root = mount(<Listener log={log} />);
    key(root.querySelector("input")!, "Enter", { ctrlKey: true });
    key(document.body, "Enter", { ctrlKey: true });
    expect(log).toEqual(["send", "send"]);
    act(() => render(<Listener log={log} enabled={false} />, root));
    key(document.body, "Enter", { ctrlKey: true });
    expect(log).toEqual(["send", "send"]);
  });

  it("pass a key on when the handler declines it, and know nothing of plain keys", () => {
    const event = new KeyboardEvent("keydown", { key: "Escape", cancelable: true });
    mount(<Listener log={[]} />);
    expect(dispatch(event)).toBe(false);
    expect(event.defaultPrevented).toBe(false);
    expect(dispatch(new KeyboardEvent("keydown", { key: "a" }))).toBe(false);
  });
});

describe("connection bar health", () => {
  const now = 1_800_000_000;
  const session = (patch: Partial<ProfileSession> & { token?: Partial<NonNullable<NonNullable<ProfileSession["status"]>["token"]>> | null; autoRenew?: boolean }): ProfileSession => {
    const token =
      patch.token === null
        ? null
        : { masked: "ey…Q", token_type: "Bearer", scope: "read write", issued_at: now - 60, expires_at: now + 7080, expiry_source: "expires_in", has_refresh_token: true, obtained_with: "browser_login", ...patch.token };
    return {
      work: "idle",
      identity: { user_id: "1", name: "Avery Admin", email: "admin@sandbox-demo.test", account_slug: "sandbox-demo", account_id: "7", privileges: [] },
      status: { token, secrets: { client_secret: false, password: false, moved: null }, auto_renew: patch.autoRenew ?? true, last_renewal: null, identity: null, awaiting_paste: false, signing_in: false, vault_mode: "keychain", vault_error: null },
      ...patch,
    } as unknown as ProfileSession;
  };

  it("says how long the token is good for and that it renews itself, with Copy as the action", () => {
    const h = health(session({}), now);
    expect(h.words).toBe("valid for 1 h 58 min · renews itself");
    expect(h.action).toBe("copy");
    expect(h.announce).toBe("Token ready for Avery Admin");
  });

  it("has one action for each state that needs one", () => {
    expect(health(session({ token: null }), now)).toMatchObject({ words: "No token yet", action: "sign-in" });
    expect(health(session({ token: { expires_at: now - 300 } }), now)).toMatchObject({ tone: "bad", action: "renew" });
    expect(health(session({ token: { expires_at: now - 300, has_refresh_token: false, obtained_with: "password" } }), now)).toMatchObject({ action: "sign-in" });
    expect(health(session({ work: "renewing" }), now)).toMatchObject({ tone: "busy", words: "Renewing the token…", action: null });
    expect(health(session({ autoRenew: false }), now).words).toBe("valid for 1 h 58 min · renew by hand");
  });
});

describe("SandboxGuide", () => {
  it("lists the demo clients and users with their one-time code, and where the sandbox runs", () => {
    const snapshot = sampleSnapshot();
    const root = mount(<SandboxGuide demo={snapshot.demo} sandbox={snapshot.sandbox} />);
    expect(root.textContent).toContain("demo-service-secret");
    expect(root.textContent).toContain("one-time code 246810");
    expect(root.querySelector("[data-testid=sandbox-status]")?.textContent).toContain("Sandbox running on 127.0.0.1:40123");
  });

  it("says when the sandbox is not running", () => {
    const root = mount(<SandboxGuide demo={sampleSnapshot().demo} sandbox={{ state: "failed", message: "port in use" }} />);
    expect(root.querySelector("[data-testid=sandbox-status]")?.textContent).toContain("Sandbox not running");
  });
});
