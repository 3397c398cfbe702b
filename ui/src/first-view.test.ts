import { afterEach, describe, expect, it } from "vitest";
import { readFirstSnapshot } from "./first-view";
import type { AppSnapshot } from "./api";

afterEach(() => delete window.__SCOPESTACK_FIRST_SNAPSHOT__);

describe("readFirstSnapshot", () => {
  it("takes the snapshot the app put in the page, once", () => {
    const snapshot = { profiles: [], selected: null } as unknown as AppSnapshot;
    window.__SCOPESTACK_FIRST_SNAPSHOT__ = snapshot;
    expect(readFirstSnapshot()).toBe(snapshot);
    expect(window.__SCOPESTACK_FIRST_SNAPSHOT__).toBeUndefined();
    expect(readFirstSnapshot()).toBeNull();
  });

  it("returns null outside the app, where nothing was put in the page", () => {
    expect(readFirstSnapshot()).toBeNull();
  });

  it("returns null for something that is not a snapshot", () => {
    window.__SCOPESTACK_FIRST_SNAPSHOT__ = "<html>" as unknown as AppSnapshot;
    expect(readFirstSnapshot()).toBeNull();
  });
});
