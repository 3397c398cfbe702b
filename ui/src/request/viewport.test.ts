import { describe, expect, it } from "vitest";
import { BLOCK_LINES, BlockCache, MAX_SCROLL_HEIGHT, addFold, blocksFor, firstLineAt, jsonTokens, layout, lineOfRow, occurrences, opensFold, rowCount, rowOfLine, scrollTopFor, unfoldAround } from "./viewport";

describe("the large-body viewer's viewport", () => {
  it("scrolls line by line while the text fits a browser's height", () => {
    expect(layout(1000, 18)).toEqual({ height: 18000, scaled: false });
    expect(firstLineAt(0, 1000, 18, 360)).toEqual({ line: 0, top: 0 });
    expect(firstLineAt(18 * 10 + 5, 1000, 18, 360)).toEqual({ line: 10, top: 180 });
    expect(scrollTopFor(10, 1000, 18, 360)).toBe(180);
  });

  it("maps a capped track onto millions of lines, first to last, and back", () => {
    const lines = 3_000_000;
    const { height, scaled } = layout(lines, 18);
    expect(scaled).toBe(true);
    expect(height).toBe(MAX_SCROLL_HEIGHT);
    const view = 540;
    const rows = view / 18;
    expect(firstLineAt(0, lines, 18, view).line).toBe(0);
    expect(firstLineAt(height - view, lines, 18, view).line).toBe(lines - rows);
    for (const line of [1, 12345, 1_500_000, lines - rows]) {
      const top = scrollTopFor(line, lines, 18, view);
      expect(Math.abs(firstLineAt(top, lines, 18, view).line - line)).toBeLessThanOrEqual(1);
    }
  });

  it("fetches only the blocks a screen needs", () => {
    expect(blocksFor(0, 50, 100_000)).toEqual([0]);
    expect(blocksFor(BLOCK_LINES - 10, 20, 100_000)).toEqual([0, 1]);
    expect(blocksFor(99_990, 100, 100_000)).toEqual([Math.floor(99_990 / BLOCK_LINES)]);
    expect(blocksFor(10, 0, 100)).toEqual([]);
  });

  it("keeps the most recently used blocks", () => {
    const cache = new BlockCache(2);
    cache.put(0, ["a"]);
    cache.put(1, ["b"]);
    cache.get(0);
    cache.put(2, ["c"]);
    expect(cache.size).toBe(2);
    expect(cache.line(0)).toBe("a");
    expect(cache.line(BLOCK_LINES)).toBeUndefined();
    expect(cache.line(2 * BLOCK_LINES)).toBe("c");
  });

  it("finds occurrences as the engine does: ASCII without case, UTF-16 columns", () => {
    expect(occurrences('  "Name": "name NAME"', "name", false)).toEqual([3, 11, 16]);
    expect(occurrences('  "Name": "name NAME"', "name", true)).toEqual([11]);
    expect(occurrences("😀 x", "x", true)).toEqual([3]);
    expect(occurrences("aaaa", "aa", true)).toEqual([0, 2]);
    expect(occurrences("abc", "", false)).toEqual([]);
  });

  it("colours pretty JSON lines without changing their text", () => {
    const line = '    "project-name": "A \\"big\\" one", "n": -1.5e3, "ok": true, "x": null';
    const tokens = jsonTokens(line);
    expect(tokens.map((t) => t.text).join("")).toBe(line);
    expect(tokens.filter((t) => t.kind !== "plain").map((t) => [t.kind, t.text])).toEqual([
      ["key", '"project-name"'],
      ["string", '"A \\"big\\" one"'],
      ["key", '"n"'],
      ["number", "-1.5e3"],
      ["key", '"ok"'],
      ["literal", "true"],
      ["key", '"x"'],
      ["literal", "null"],
    ]);
    expect(jsonTokens("  },").map((t) => t.kind)).toEqual(["plain"]);
    expect(jsonTokens("")).toEqual([]);
  });

  it("maps rows to lines around folds, and back", () => {
    // 100 lines; lines 11..20 hidden under 10, lines 51..80 under 50.
    const folds = [
      { start: 10, end: 20 },
      { start: 50, end: 80 },
    ];
    expect(rowCount(100, folds)).toBe(60);
    expect([0, 10, 11, 39, 40, 41, 59].map((r) => lineOfRow(r, folds))).toEqual([0, 10, 21, 49, 50, 81, 99]);
    for (let row = 0; row < 60; row++) expect(rowOfLine(lineOfRow(row, folds), folds)).toBe(row);
    expect(rowOfLine(15, folds)).toBe(10);
    expect(rowOfLine(60, folds)).toBe(40);
  });

  it("a fold over others replaces them; unfolding shows a hidden line", () => {
    const inner = [
      { start: 12, end: 14 },
      { start: 16, end: 18 },
      { start: 40, end: 45 },
    ];
    expect(addFold(inner, { start: 10, end: 20 })).toEqual([
      { start: 10, end: 20 },
      { start: 40, end: 45 },
    ]);
    expect(addFold([{ start: 40, end: 45 }], { start: 2, end: 3 }).map((f) => f.start)).toEqual([2, 40]);
    expect(unfoldAround(inner, 17)).toEqual([inner[0], inner[2]]);
    expect(unfoldAround(inner, 16)).toEqual(inner); // the first line of a fold is not hidden
    expect(opensFold('  "data": [')).toBe(true);
    expect(opensFold("  {  ")).toBe(true);
    expect(opensFold('  "a": "{"')).toBe(false);
  });
});
