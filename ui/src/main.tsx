// Entry point of the web UI: takes the first snapshot (put in the page by index.html's first
// script), then mounts the app into #app.
import { render } from "preact";
import { loadSnapshot, type AppSnapshot } from "./api";
import { App } from "./app";
import { readFirstSnapshot } from "./first-view";
import { signalReadyOnFirstView } from "./ready";
import "./styles.css";

// How long the first render waits for the profiles by command before it shows "Starting…" instead.
const WAIT_FOR_PROFILES_MS = 200;

performance.mark("launch-script");
// When WebKit starts its first frame: after the first view is in the page, if all goes well.
requestAnimationFrame(() => performance.mark("launch-first-frame"));
const root = document.getElementById("app");
if (root) {
  signalReadyOnFirstView(root);
  const initial = readFirstSnapshot();
  if (initial) {
    // Rendered before this script ends, so WebKit's first frame paints the profile view.
    performance.mark("launch-render");
    render(<App initial={initial} first={Promise.resolve(initial)} />, root);
  } else {
    // Outside the app, or when the app could not make it: by command.
    performance.mark("launch-snapshot-by-command");
    const first = loadSnapshot();
    let mounted = false;
    const mount = (snapshot: AppSnapshot | null) => {
      if (mounted) return;
      mounted = true;
      performance.mark("launch-render");
      render(<App initial={snapshot} first={first} />, root);
    };
    first.then(mount, () => mount(null));
    setTimeout(() => mount(null), WAIT_FOR_PROFILES_MS);
  }
}
