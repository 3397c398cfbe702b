// The window's first snapshot, read synchronously so that the first view is in the page before
// WebKit paints its first frame (src-tauri/first_view.rs says why). Null when it cannot be had
// that way (outside the app, already read, or the app could not make it): the page then asks by
// command.
import { convertFileSrc } from "@tauri-apps/api/core";
import type { AppSnapshot } from "./api";

/** The address of the app's `first-view` protocol (its form differs between platforms). */
export const FIRST_VIEW_URL = () => convertFileSrc("snapshot", "first-view");

export function readFirstSnapshot(): AppSnapshot | null {
  try {
    const request = new XMLHttpRequest();
    request.open("GET", FIRST_VIEW_URL(), false);
    request.send();
    return request.status === 200 ? (JSON.parse(request.responseText) as AppSnapshot) : null;
  } catch {
    return null;
  }
}
