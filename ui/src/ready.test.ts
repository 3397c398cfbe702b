import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn((..._args: unknown[]) => Promise.resolve());
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

import { signalReadyOnFirstView } from "./ready";

const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0))));
const settle = async () => {
  await Promise.resolve(); // mutation observers
  await frames();
  await frames();
};

function addGetTokenButton(root: HTMLElement) {
  const button = document.createElement("button");
  button.dataset.testid = "get-token";
  root.appendChild(button);
}

beforeEach(() => invoke.mockClear());
afterEach(() => {
  document.body.innerHTML = "";
});

describe("signalReadyOnFirstView", () => {
  it("waits for the first profile view, then tells the shell once with the page's time", async () => {
    const root = document.createElement("div");
    document.body.appendChild(root);
    signalReadyOnFirstView(root);
    root.appendChild(document.createElement("p")); // "Starting…"
    await settle();
    expect(invoke).not.toHaveBeenCalled();

    addGetTokenButton(root);
    await settle();
    addGetTokenButton(root); // later renders do not signal again
    await settle();
    expect(invoke).toHaveBeenCalledTimes(1);
    const [command, args] = invoke.mock.calls[0] as [string, { pageMs: number }];
    expect(command).toBe("ui_ready");
    expect(args.pageMs).toBeGreaterThan(0);
  });

  it("signals at once when the view is already there", async () => {
    const root = document.createElement("div");
    addGetTokenButton(root);
    signalReadyOnFirstView(root);
    await settle();
    expect(invoke).toHaveBeenCalledTimes(1);
  });
});
