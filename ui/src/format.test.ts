import { describe, expect, it } from "vitest";
import { countdown } from "./format";

describe("countdown", () => {
  it("reads like a person would say it", () => {
    expect(countdown(7199)).toBe("1 h 59 min");
    expect(countdown(245)).toBe("4 min 05 s");
    expect(countdown(42)).toBe("42 s");
    expect(countdown(0)).toBe("expired");
    expect(countdown(-5)).toBe("expired");
  });
});
