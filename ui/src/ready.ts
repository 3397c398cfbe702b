// Tells the shell, once, that the first profile view is on screen: when its "Get New Access Token"
// button is in the page and the frame painting it has been composited. scripts/release-figures
// times the launch by this signal (its minimal Tauri app gives the same one from its page), and
// splits it by the time since the page began loading.
import { commands } from "./generated/bindings";
import { useEffect, useState } from "preact/hooks";

// The first view is the Sign-in view (its Get New Access Token) or, with a token, the Requests
// view (its Send).
const FIRST_VIEW = "[data-testid=get-token], [data-testid=send]";

// The next animation frame paints the view; the one after starts once that frame is composited.
const afterNextFrameShown = (then: () => void) =>
  requestAnimationFrame(() => {
    performance.mark("launch-frame-painting");
    requestAnimationFrame(() => {
      performance.mark("launch-frame-shown");
      then();
    });
  });

/** Where the page's time went, "name:ms,…" in ms since it began loading, in time order: the
 * document's own milestones and the app's "launch-…" marks (set with performance.mark). */
export function launchPhases(): string {
  const phases: [string, number][] = [];
  const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  if (nav) phases.push(["html", nav.responseEnd], ["dom-interactive", nav.domInteractive]);
  for (const mark of performance.getEntriesByType("mark")) {
    if (mark.name.startsWith("launch-")) phases.push([mark.name.slice("launch-".length), mark.startTime]);
  }
  phases.sort((a, b) => a[1] - b[1]);
  return phases.map(([name, at]) => `${name}:${Math.round(at)}`).join(",");
}

// True until signalReadyOnFirstView starts watching (so views in tests render whole), then false
// until the first view has been shown.
let firstViewShown = true;
const waitingForFirstView: (() => void)[] = [];

/** False until the app's first view has been shown, then true for good: what lies below the fold
 * (the request card, the sandbox guide) renders in the frame after the first, so the first frame
 * lays out and paints only what is on screen. Views mounted later render everything at once. */
export function useFirstViewShown(): boolean {
  const [shown, setShown] = useState(firstViewShown);
  useEffect(() => {
    if (!shown) waitingForFirstView.push(() => setShown(true));
  }, []);
  return shown;
}

function markFirstViewShown() {
  firstViewShown = true;
  waitingForFirstView.splice(0).forEach((show) => show());
}

export function signalReadyOnFirstView(root: HTMLElement) {
  firstViewShown = false;
  const signal = () => {
    performance.mark("launch-first-view-in-dom");
    afterNextFrameShown(() => {
      // Where the page's clock starts (ms since the Unix epoch), so the release figures can place
      // the page on the launch's time line.
      const origin = `origin:${Math.round(performance.timeOrigin)}`;
      commands.uiReady(performance.now(), `${launchPhases()},${origin}`).catch(() => {});
      markFirstViewShown();
    });
  };
  if (root.querySelector(FIRST_VIEW)) return signal();
  const observer = new MutationObserver(() => {
    if (!root.querySelector(FIRST_VIEW)) return;
    observer.disconnect();
    signal();
  });
  observer.observe(root, { childList: true, subtree: true });
}
