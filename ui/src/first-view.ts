// The window's first snapshot, which the app's `first-view:` protocol puts in the page before it
// has parsed (index.html's first script; src-tauri/first_view.rs says why). Null when it is not
// there (outside the app, or the app could not make it): the page then asks by command.
import type { AppSnapshot } from "./api";

declare global {
  interface Window {
    __SCOPESTACK_FIRST_SNAPSHOT__?: AppSnapshot;
  }
}

/** The first snapshot, once: it is taken out of the page as it is read. */
export function readFirstSnapshot(): AppSnapshot | null {
  const snapshot = window.__SCOPESTACK_FIRST_SNAPSHOT__;
  delete window.__SCOPESTACK_FIRST_SNAPSHOT__;
  return snapshot && typeof snapshot === "object" && Array.isArray(snapshot.profiles) ? snapshot : null;
}
