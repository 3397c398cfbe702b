import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { ProfileStatus } from "../api";
import { sampleSnapshot } from "../fixtures";
import { TokenForm, type TokenRequest } from "./TokenForm";

const status: ProfileStatus = {
  token: null,
  secrets: { client_secret: false, password: false, moved: null },
  auto_renew: true,
  last_renewal: null,
  identity: null,
  awaiting_paste: false,
  signing_in: false,
  vault_mode: "keychain",
  vault_error: null,
};

/** Mounts the form; with `settled: false` its effects are left to run after the next paint, as
 * in the window, instead of being flushed at once. */
function mountForm(profileIndex = 0, overrides: Partial<Parameters<typeof TokenForm>[0]> = {}, settled = true) {
  const snapshot = sampleSnapshot();
  const submitted: TokenRequest[] = [];
  const root = document.createElement("div");
  document.body.appendChild(root);
  const mount = (draw: () => void) => (settled ? act(draw) : draw());
  mount(() => {
    render(
      <TokenForm
        view={snapshot.profiles[profileIndex]}
        status={status}
        demo={{
          ...snapshot.demo,
          clients: [
            { name: "Browser", method: "authorization_code", client_id: "sandbox-browser-login", client_secret: "demo-browser-secret", redirect_uris: ["http://127.0.0.1:8765/callback"] },
            { name: "Postman", method: "authorization_code", client_id: "sandbox-postman-client", client_secret: "demo-postman-secret", redirect_uris: ["https://oauth.pstmn.io/v1/callback"] },
            ...snapshot.demo.clients,
            { name: "Password", method: "password", client_id: "sandbox-password-client", client_secret: "demo-password-secret", redirect_uris: [] },
          ],
          users: [{ email: "admin@sandbox-demo.test", password: "demo-admin-pass", role: "admin" }],
        }}
        busy={false}
        progress={null}
        error={null}
        callbackUrl="http://127.0.0.1:8765/callback"
        onSubmit={(r) => submitted.push(r)}
        onCancel={() => {}}
        onFinishPaste={() => {}}
        onOpenSignIn={() => {}}
        onForgetSession={() => {}}
        onDismissError={() => {}}
        {...overrides}
      />,
      root,
    );
  });
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel);
  const click = (sel: string) => act(() => q<HTMLElement>(sel)!.click());
  const submit = () => act(() => { q<HTMLFormElement>("form")!.dispatchEvent(new Event("submit", { cancelable: true })); });
  return { root, q, click, submit, submitted };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("TokenForm", () => {
  it("shows only the fields the chosen method needs", () => {
    const f = mountForm();
    expect(f.q("input[name=client_id]")).not.toBeNull();
    expect(f.q("input[name=username]")).toBeNull();
    expect(f.q("[data-testid=callback-url]")).toBeNull();
    f.click("input[value=password]");
    expect(f.q("input[name=username]")).not.toBeNull();
    expect(f.q("input[name=password]")).not.toBeNull();
    f.click("input[value=browser_login]");
    expect(f.q("input[name=password]")).toBeNull();
    expect(f.q("[data-testid=callback-url]")!.textContent).toBe("http://127.0.0.1:8765/callback");
  });

  it("masks secrets until the user asks to see them", () => {
    const f = mountForm();
    const secret = f.q<HTMLInputElement>("input[name=client_secret]")!;
    expect(secret.type).toBe("password");
    f.click("button[aria-label='Show client secret']");
    expect(f.q<HTMLInputElement>("input[name=client_secret]")!.type).toBe("text");
  });

  it("fills the sandbox's demo credentials for each method and submits them", () => {
    const f = mountForm();
    f.click("[data-testid=fill-demo]");
    f.submit();
    expect(f.submitted[0].edit.client_id).toBe("sandbox-service-account");
    expect(f.submitted[0].secrets).toEqual({ client_secret: "demo-service-secret", password: undefined, remember: true });

    f.click("input[value=password]");
    f.click("[data-testid=fill-demo]");
    f.submit();
    expect(f.submitted[1].edit).toMatchObject({ method: "password", client_id: "sandbox-password-client", username: "admin@sandbox-demo.test" });
    expect(f.submitted[1].secrets.password).toBe("demo-admin-pass");

    f.click("input[value=browser_login]");
    f.click("[data-testid=fill-demo]");
    f.submit();
    expect(f.submitted[2].edit.client_id).toBe("sandbox-browser-login");
  });

  it("after filling the demo credentials, moves the focus to Get token, unless the person moved on first", async () => {
    const f = mountForm();
    const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    f.click("[data-testid=fill-demo]");
    await frame();
    expect(document.activeElement?.getAttribute("data-testid")).toBe("get-token");

    f.click("[data-testid=fill-demo]");
    // Straight into the secret, to type over it, before the next frame.
    f.q<HTMLInputElement>("input[name=client_secret]")!.focus();
    await frame();
    expect(document.activeElement?.getAttribute("name")).toBe("client_secret");
  });

  it("keeps demo credentials filled in before its first effects ran (a quick click right after launch)", async () => {
    const f = mountForm(0, {}, false);
    f.q<HTMLElement>("[data-testid=fill-demo]")!.click();
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 20))); // the mount effects run
    f.submit();
    expect(f.submitted[0].secrets.client_secret).toBe("demo-service-secret");
  });

  it("offers demo credentials only on the sandbox profile", () => {
    expect(mountForm(1).q("[data-testid=fill-demo]")).toBeNull();
  });

  it("says a kept secret is in the keychain instead of asking for it", () => {
    const f = mountForm(0, { status: { ...status, secrets: { client_secret: true, password: false, moved: null } } });
    expect(f.q<HTMLInputElement>("input[name=client_secret]")!.placeholder).toContain("Kept in the keychain");
  });

  it("switches to the method a diagnosis's fix asks for", () => {
    const root = document.createElement("div");
    document.body.appendChild(root);
    const snapshot = sampleSnapshot();
    const props = {
      view: snapshot.profiles[0],
      status,
      demo: snapshot.demo,
      busy: false,
      progress: null,
      error: null,
      callbackUrl: "",
      onSubmit: () => {},
      onCancel: () => {},
      onFinishPaste: () => {},
      onOpenSignIn: () => {},
      onForgetSession: () => {},
      onDismissError: () => {},
    };
    act(() => render(<TokenForm {...props} methodSwitch={null} />, root));
    expect(root.querySelector<HTMLInputElement>("input[value=client_credentials]")!.checked).toBe(true);
    act(() => render(<TokenForm {...props} methodSwitch={{ method: "password", at: 1 }} />, root));
    expect(root.querySelector<HTMLInputElement>("input[value=password]")!.checked).toBe(true);
    expect(root.querySelector("input[name=username]")).not.toBeNull();
    expect(document.activeElement).toBe(root.querySelector("input[value=password]"));
  });

  it("shows progress and a cancel button while busy", () => {
    const f = mountForm(0, { busy: true, progress: { profile_id: "sandbox", stage: "waiting_for_browser", redirect_uri: "x" } });
    expect(f.q("[data-testid=progress]")!.textContent).toContain("Waiting for you to sign in");
    expect(f.q("[data-testid=cancel]")).not.toBeNull();
    expect(f.q<HTMLButtonElement>("[data-testid=get-token]")!.disabled).toBe(true);
  });
});
