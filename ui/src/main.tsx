// Entry point of the web UI: asks for the profiles, then mounts the app into #app.
import { render } from "preact";
import { loadSnapshot, type AppSnapshot } from "./api";
import { App } from "./app";
import { signalReadyOnFirstView } from "./ready";
import "./styles.css";

// How long the first render waits for the profiles before it shows "Starting…" instead.
const WAIT_FOR_PROFILES_MS = 200;

performance.mark("launch-script");
const root = document.getElementById("app");
if (root) {
  signalReadyOnFirstView(root);
  // The profiles usually arrive in a few milliseconds: waiting for them makes the window's first
  // frame the profile view itself rather than a "Starting…" frame that delays it.
  const first = loadSnapshot();
  let mounted = false;
  const mount = (initial: AppSnapshot | null) => {
    if (mounted) return;
    mounted = true;
    performance.mark("launch-render");
    render(<App initial={initial} first={first} />, root);
  };
  first.then(mount, () => mount(null));
  setTimeout(() => mount(null), WAIT_FOR_PROFILES_MS);
}
