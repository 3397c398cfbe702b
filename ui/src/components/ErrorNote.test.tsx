import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Diagnosis, Fix } from "../api";
import { ErrorNote, fixLabel } from "./common";

function diagnosis(fixes: Fix[], more: Partial<Diagnosis> = {}): Diagnosis {
  return {
    code: "oauth.invalid_grant.redirect_uri_with_password",
    title: "A callback URL was sent with the password method",
    what_happened: ["The request used the password method and also sent a callback URL."],
    what_to_do: ["Use the password method without a callback URL."],
    fixes,
    details: "The server refused: invalid_grant",
    ...more,
  };
}

function mount(d: Diagnosis, onFix?: (f: Fix) => void): HTMLElement {
  const root = document.createElement("div");
  document.body.appendChild(root);
  act(() => render(<ErrorNote error={{ message: "The server refused: invalid_grant", diagnosis: d }} onFix={onFix} />, root));
  return root;
}

const buttons = (root: HTMLElement) => [...root.querySelectorAll<HTMLButtonElement>(".diagnosis .actions button")].map((b) => b.textContent);

afterEach(() => {
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("ErrorNote", () => {
  it("offers a button for every fix the window can carry out, and hands it over on click", () => {
    const fixes: Fix[] = [
      { kind: "switch_to_password_without_redirect_uri" },
      { kind: "switch_method", to: "client_credentials" },
      { kind: "renew_token" },
      { kind: "add_accept_header" },
      { kind: "retry" },
      { kind: "copy_callback_url", url: "http://127.0.0.1:8765/callback" },
      { kind: "open_settings", field: "password" },
    ];
    const clicked: Fix[] = [];
    const root = mount(diagnosis(fixes), (f) => clicked.push(f));
    expect(buttons(root)).toEqual([
      "Switch to the password method (no callback URL)",
      "Use Client credentials",
      "Renew the token",
      "Add the Accept header",
      "Try again",
      "Copy the callback URL",
    ]);
    act(() => root.querySelector<HTMLButtonElement>("[data-fix=switch_to_password_without_redirect_uri]")!.click());
    act(() => root.querySelector<HTMLButtonElement>("[data-fix=switch_method]")!.click());
    expect(clicked).toEqual([fixes[0], fixes[1]]);
  });

  it("shows no fix buttons where nothing can carry them out, but still the copy of the callback URL", () => {
    const root = mount(diagnosis([{ kind: "renew_token" }, { kind: "copy_callback_url", url: "https://oauth.pstmn.io/v1/callback" }]));
    expect(buttons(root)).toEqual(["Copy the callback URL"]);
  });

  it("keeps the raw exchange in a closed details disclosure, preferred to the one-line summary", () => {
    const exchange = "POST https://app.scopestack.io/oauth/token\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=password&password=[redacted]\n\n400 Bad Request";
    const root = mount(diagnosis([], { exchange }));
    const details = root.querySelector<HTMLDetailsElement>("[data-testid=diagnosis-details]")!;
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")!.textContent).toBe("Details (the exchange, secrets removed)");
    expect(details.querySelector("pre")!.textContent).toBe(`The server refused: invalid_grant\n\n${exchange}`);
    expect(details.querySelector("button")!.textContent).toBe("Copy the details");

    document.body.innerHTML = "";
    const plain = mount(diagnosis([]));
    expect(plain.querySelector("[data-testid=diagnosis-details] pre")!.textContent).toBe("The server refused: invalid_grant");
    expect(plain.querySelector("[data-testid=diagnosis-details] summary")!.textContent).toBe("Details");
  });

  it("leads with the plain title and keeps the raw message (codes, the server's text) under Details", () => {
    const root = mount(diagnosis([]));
    const shown = [...root.querySelectorAll(".error-body > p")].map((p) => p.textContent);
    expect(shown).toEqual(["A callback URL was sent with the password method"]);
    expect(root.querySelector("[data-testid=diagnosis-details] pre")!.textContent).toBe("The server refused: invalid_grant");
  });

  it("makes the user wait as long as the server asked before trying again", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const clicked: Fix[] = [];
    const root = mount(diagnosis([{ kind: "retry_after", seconds: 3 }]), (f) => clicked.push(f));
    const button = () => root.querySelector<HTMLButtonElement>("[data-fix=retry_after]")!;
    expect(button().textContent).toBe("Try again in 3 s");
    expect(button().disabled).toBe(true);
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(button().textContent).toBe("Try again");
    act(() => button().click());
    expect(clicked).toEqual([{ kind: "retry_after", seconds: 3 }]);
  });

  it("labels method switches with the method's plain name", () => {
    expect(fixLabel({ kind: "switch_method", to: "browser_login" })).toBe("Use Browser login");
    expect(fixLabel({ kind: "open_settings", field: "token_url" })).toBeUndefined();
  });
});
