import { afterEach, describe, expect, it, vi } from "vitest";

const convertFileSrc = vi.fn((path: string, protocol: string) => `${protocol}://localhost/${path}`);
vi.mock("@tauri-apps/api/core", () => ({ convertFileSrc: (path: string, protocol: string) => convertFileSrc(path, protocol) }));

import { readFirstSnapshot } from "./first-view";

/** An XMLHttpRequest that answers `status` and `body`, and records how it was opened. */
function answering(status: number, body: string) {
  const opened: unknown[][] = [];
  class FakeRequest {
    status = 0;
    responseText = "";
    open(...args: unknown[]) {
      opened.push(args);
    }
    send() {
      this.status = status;
      this.responseText = body;
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeRequest);
  return opened;
}

afterEach(() => vi.unstubAllGlobals());

describe("readFirstSnapshot", () => {
  it("reads the app's first-view protocol synchronously and returns the snapshot", () => {
    const opened = answering(200, JSON.stringify({ profiles: [], selected: null }));
    expect(readFirstSnapshot()).toEqual({ profiles: [], selected: null });
    expect(opened).toEqual([["GET", "first-view://localhost/snapshot", false]]);
  });

  it("returns null when the app answers that the snapshot was already sent", () => {
    answering(410, "The first snapshot was already sent");
    expect(readFirstSnapshot()).toBeNull();
  });

  it("returns null outside the app, where the protocol does not exist", () => {
    convertFileSrc.mockImplementationOnce(() => {
      throw new TypeError("window.__TAURI_INTERNALS__ is undefined");
    });
    expect(readFirstSnapshot()).toBeNull();
  });

  it("returns null for an answer that is not JSON", () => {
    answering(200, "<html>");
    expect(readFirstSnapshot()).toBeNull();
  });
});
