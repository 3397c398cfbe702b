// Tells the shell, once, that the first profile view is on screen: when its "Get New Access Token"
// button is in the page and the frame painting it has been composited. scripts/release-figures
// times the launch by this signal (its minimal Tauri app gives the same one from its page), and
// splits it by the time since the page began loading.
import { invoke } from "@tauri-apps/api/core";

const FIRST_VIEW = "[data-testid=get-token]";

// The next animation frame paints the view; the one after starts once that frame is composited.
const afterNextFrameShown = (then: () => void) => requestAnimationFrame(() => requestAnimationFrame(then));

export function signalReadyOnFirstView(root: HTMLElement) {
  const signal = () => afterNextFrameShown(() => invoke("ui_ready", { pageMs: performance.now() }).catch(() => {}));
  if (root.querySelector(FIRST_VIEW)) return signal();
  const observer = new MutationObserver(() => {
    if (!root.querySelector(FIRST_VIEW)) return;
    observer.disconnect();
    signal();
  });
  observer.observe(root, { childList: true, subtree: true });
}
