import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ProfileStatus } from "../api";

// The profile's status arrives when the test says so, as the keychain's answer would.
let answerStatus: ((s: ProfileStatus) => void) | null = null;
vi.mock("../api", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../api")>()),
  profileStatus: () => new Promise<ProfileStatus>((resolve) => (answerStatus = resolve)),
  callbackUrl: () => Promise.resolve(""),
  events: {
    tokenProgress: { listen: () => Promise.resolve(() => {}) },
    tokenRenewed: { listen: () => Promise.resolve(() => {}) },
  },
}));
// The two views and the connection bar have their own tests; here they only say they are shown.
vi.mock("./SignInView", () => ({ SignInView: () => <p data-testid="sign-in-view">sign-in</p> }));
vi.mock("./RequestsView", () => ({ RequestsView: ({ shown }: { shown: boolean }) => <p data-testid="requests-view">{shown ? "shown" : "hidden"}</p> }));
vi.mock("../session/ConnectionBar", () => ({ ConnectionBar: () => <p>bar</p>, productionAccount: () => null }));

import { sampleSnapshot } from "../fixtures";
import { ProfileScreen } from "./ProfileScreen";

function status(withToken: boolean): ProfileStatus {
  return { token: withToken ? { expires_at: null } : null, identity: null } as unknown as ProfileStatus;
}

/** The screen of the snapshot's first profile (the sandbox), or of the one with `id`. */
function renderScreen(root: HTMLElement, id = "sandbox") {
  const snapshot = sampleSnapshot();
  const view = snapshot.profiles.find((p) => p.profile.id === id)!;
  render(
    <ProfileScreen snapshot={snapshot} view={view} onSnapshot={() => {}} onSelectProfile={() => {}} appError={null} handoff={null} onHandoff={() => {}} />,
    root,
  );
}

const shownView = (root: HTMLElement) => root.querySelector("main.view-area")?.getAttribute("aria-label");
/** Answers the status the screen asked for (it asks from an effect, after its first paint). */
async function answer(s: ProfileStatus) {
  for (let waited = 0; !answerStatus && waited < 50; waited++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(answerStatus, "the screen asked for the profile's status").not.toBeNull();
  answerStatus!(s);
  answerStatus = null;
}
/** Lets promises settle and Preact render, but not the effects it runs after the next paint. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
/** Lets Preact run the effects it keeps for after the paint (a frame, or 100 ms without one). */
const afterPaint = () => new Promise((resolve) => setTimeout(resolve, 150));

let root: HTMLElement;
afterEach(() => {
  act(() => render(null, root));
  root.remove();
});

describe("ProfileScreen's view", () => {
  it("opens the sandbox on Sign-in before its status arrives, then keeps Sign-in without a token", async () => {
    root = document.body.appendChild(document.createElement("div"));
    renderScreen(root);
    expect(shownView(root)).toBe("Sign-in");
    await answer(status(false));
    await afterPaint();
    expect(shownView(root)).toBe("Sign-in");
  });

  it("opens a profile that has a token on Requests", async () => {
    root = document.body.appendChild(document.createElement("div"));
    renderScreen(root, "scopestack");
    expect(root.textContent).toContain("Loading the profile");
    await answer(status(true));
    await afterPaint();
    expect(shownView(root)).toBe("Requests");
    expect(root.querySelector("[data-testid=requests-view]")?.textContent).toBe("shown");
  });

  it("keeps a view the user picked in the frame between the status's arrival and the choice made from it", async () => {
    root = document.body.appendChild(document.createElement("div"));
    renderScreen(root);
    await answer(status(false));
    // The status is rendered; the effect that picks the view from it waits for the next paint.
    await settle();
    root.querySelector<HTMLButtonElement>("[data-testid=view-requests]")!.click();
    await settle();
    expect(shownView(root)).toBe("Requests");
    await afterPaint();
    expect(shownView(root), "the user's click stands; the status's choice came too late").toBe("Requests");
    expect(root.querySelector("[data-testid=requests-view]")?.textContent).toBe("shown");
  });
});
