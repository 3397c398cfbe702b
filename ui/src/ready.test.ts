import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn((..._args: unknown[]) => Promise.resolve());
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

import { h, render } from "preact";
import { launchPhases, signalReadyOnFirstView, useFirstViewShown } from "./ready";

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

beforeEach(() => {
  invoke.mockClear();
  performance.clearMarks();
});
afterEach(() => {
  document.body.innerHTML = "";
});

describe("launchPhases", () => {
  it("lists the app's launch marks by time, without the prefix, and no other marks", () => {
    performance.clearMarks();
    performance.mark("launch-snapshot");
    performance.mark("body-view-start-1");
    performance.mark("launch-script", { startTime: 0.4 });
    const phases = launchPhases().split(",");
    expect(phases.map((p) => p.split(":")[0]).filter((n) => n !== "html" && n !== "dom-interactive")).toEqual(["script", "snapshot"]);
    expect(phases.find((p) => p.startsWith("script:"))).toBe("script:0");
  });
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
    const [command, args] = invoke.mock.calls[0] as [string, { pageMs: number; phases: string }];
    expect(command).toBe("ui_ready");
    expect(args.pageMs).toBeGreaterThan(0);
    // The first view, the frame painting it and the frame showing it, in that order, each no
    // later than the signal's own time.
    // The page's clock's start, last, in ms since the epoch; the rest in ms since it.
    const phases = args.phases.split(",");
    expect(Number(phases.pop()!.replace(/^origin:/, ""))).toBeCloseTo(performance.timeOrigin, -1);
    args.phases = phases.join(",");
    const names = args.phases.split(",").map((p) => p.split(":")[0]);
    expect(names.filter((n) => ["first-view-in-dom", "frame-painting", "frame-shown"].includes(n))).toEqual(["first-view-in-dom", "frame-painting", "frame-shown"]);
    const times = args.phases.split(",").map((p) => Number(p.split(":")[1]));
    expect(times.every((t, i) => Number.isFinite(t) && t <= args.pageMs + 1 && (i === 0 || t >= times[i - 1]))).toBe(true);
  });

  it("signals at once when the view is already there", async () => {
    const root = document.createElement("div");
    addGetTokenButton(root);
    signalReadyOnFirstView(root);
    await settle();
    expect(invoke).toHaveBeenCalledTimes(1);
  });
});

describe("useFirstViewShown", () => {
  function BelowTheFold() {
    return useFirstViewShown() ? h("p", { id: "below" }, "request card") : null;
  }

  it("holds back what is below the fold until the first view has been shown, then renders it", async () => {
    const root = document.createElement("div");
    document.body.appendChild(root);
    signalReadyOnFirstView(root);
    render(h("div", null, h(BelowTheFold, null)), root);
    await settle();
    expect(root.querySelector("#below")).toBeNull();

    addGetTokenButton(root);
    await settle();
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(root.querySelector("#below")).not.toBeNull();

    // A view mounted afterwards (another profile) renders whole at once.
    const later = document.createElement("div");
    render(h(BelowTheFold, null), later);
    expect(later.querySelector("#below")).not.toBeNull();
  });
});
