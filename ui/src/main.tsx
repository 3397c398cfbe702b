// Entry point of the web UI: mounts the app into #app.
import { render } from "preact";
import { App } from "./app";
import { signalReadyOnFirstView } from "./ready";
import "./styles.css";

performance.mark("launch-script");
const root = document.getElementById("app");
if (root) {
  signalReadyOnFirstView(root);
  render(<App />, root);
}
