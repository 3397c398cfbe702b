import { describe, expect, it } from "vitest";
import { ago, clockTime, count, countdown, dayLabel, duration, paging, rate, roughly, size, until } from "./format";

// 5 Dec 2026 12:00 local time, so that "same day" does not depend on the test machine's zone.
const NOON = new Date(2026, 11, 5, 12, 0, 0).getTime() / 1000;

describe("countdown", () => {
  it("reads like a person would say it", () => {
    expect(countdown(7199)).toBe("1 h 59 min");
    expect(countdown(245)).toBe("4 min 05 s");
    expect(countdown(42)).toBe("42 s");
    expect(countdown(0)).toBe("expired");
    expect(countdown(-5)).toBe("expired");
  });
});

describe("until", () => {
  it("says the clock time and how long is left", () => {
    expect(until(NOON + 2 * 3600, NOON)).toBe(`until ${clockTime(NOON + 2 * 3600)}, in 2 h`);
    expect(until(NOON + 118 * 60, NOON)).toBe(`until ${clockTime(NOON + 118 * 60)}, in 1 h 58 min`);
  });
  it("says how long ago once it has passed", () => {
    expect(until(NOON - 300, NOON)).toBe(`at ${clockTime(NOON - 300)}, 5 min ago`);
  });
  it("names the day when it is not today", () => {
    expect(until(NOON + 30 * 3600, NOON)).toMatch(/^until .*2026.*, in 30 h$/);
  });
});

describe("roughly", () => {
  it("rounds to what people say", () => {
    expect(roughly(40)).toBe("40 s");
    expect(roughly(299)).toBe("5 min");
    expect(roughly(3600)).toBe("1 h");
    expect(roughly(7080)).toBe("1 h 58 min");
    expect(roughly(-3)).toBe("0 s");
  });
});

describe("duration", () => {
  it("reads milliseconds as ms, seconds with one decimal, then minutes", () => {
    expect(duration(240)).toBe("240 ms");
    expect(duration(8243)).toBe("8.2 s");
    expect(duration(125_000)).toBe("2 min 05 s");
    expect(duration(null)).toBe("—");
    expect(duration(undefined)).toBe("—");
  });
});

describe("size and rate", () => {
  it("uses decimal units", () => {
    expect(size(512)).toBe("512 B");
    expect(size(7300)).toBe("7.3 KB");
    expect(size(50_000_000)).toBe("50.0 MB");
    expect(size(2_500_000_000)).toBe("2.5 GB");
  });
  it("gives a rate per second, and nothing before time has passed", () => {
    expect(rate(6_100_000, 1000)).toBe("6.1 MB/s");
    expect(rate(1000, 0)).toBe("—");
  });
});

describe("count and paging", () => {
  it("agrees in number", () => {
    expect(count(1, "record")).toBe("1 record");
    expect(count(25, "record")).toBe("25 records");
    expect(count(2, "entry", "entries")).toBe("2 entries");
  });
  it("says paging in words, leaving out what the server did not give", () => {
    expect(paging(1, 3, 25)).toBe("page 1 of 3 · 25 records");
    expect(paging(null, 3, 25)).toBe("3 pages · 25 records");
    expect(paging(null, null, 1)).toBe("1 record");
    expect(paging(null, null, null)).toBe("");
  });
});

describe("ago and dayLabel", () => {
  it("says how long ago", () => {
    expect(ago(NOON - 10, NOON)).toBe("just now");
    expect(ago(NOON - 600, NOON)).toBe("10 min ago");
    expect(ago(NOON - 3 * 3600, NOON)).toBe("3 h ago");
  });
  it("groups by local day", () => {
    expect(dayLabel(NOON - 3600, NOON)).toBe("Today");
    expect(dayLabel(NOON - 24 * 3600, NOON)).toBe("Yesterday");
    expect(dayLabel(NOON - 3 * 24 * 3600, NOON)).not.toMatch(/Today|Yesterday/);
  });
});
