// The arithmetic of the large-body viewer: which lines a scroll position shows, how tall the
// scroll area is (browsers cap element heights, so very long texts scroll on a scaled track),
// which blocks of lines to fetch, and where a search text occurs in a line.

/** Lines are fetched from Rust in blocks of this many. */
export const BLOCK_LINES = 256;
/** Browsers cap layout heights (WebKit near 33 million px); stay well under. */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface Layout {
  /** Height of the scrollable area, px. */
  height: number;
  /** The track is shorter than the lines: scroll positions map to lines proportionally. */
  scaled: boolean;
}

export function layout(lines: number, lineHeight: number): Layout {
  const natural = lines * lineHeight;
  return natural <= MAX_SCROLL_HEIGHT ? { height: natural, scaled: false } : { height: MAX_SCROLL_HEIGHT, scaled: true };
}

/** The first line shown at `scrollTop`, and where (px, inside the scroll area) its row goes. */
export function firstLineAt(scrollTop: number, lines: number, lineHeight: number, viewHeight: number): { line: number; top: number } {
  const { height, scaled } = layout(lines, lineHeight);
  const rows = Math.max(1, Math.floor(viewHeight / lineHeight));
  if (!scaled) {
    const line = clamp(Math.floor(scrollTop / lineHeight), 0, Math.max(0, lines - 1));
    return { line, top: line * lineHeight };
  }
  const maxScroll = Math.max(1, height - viewHeight);
  const lastFirst = Math.max(0, lines - rows);
  const line = clamp(Math.round((scrollTop / maxScroll) * lastFirst), 0, lastFirst);
  return { line, top: clamp(scrollTop, 0, maxScroll) };
}

/** The scroll position that shows `line` at the top (the inverse of {@link firstLineAt}). */
export function scrollTopFor(line: number, lines: number, lineHeight: number, viewHeight: number): number {
  const { height, scaled } = layout(lines, lineHeight);
  if (!scaled) return clamp(line, 0, lines) * lineHeight;
  const rows = Math.max(1, Math.floor(viewHeight / lineHeight));
  const lastFirst = Math.max(1, lines - rows);
  const maxScroll = Math.max(1, height - viewHeight);
  return (clamp(line, 0, lastFirst) / lastFirst) * maxScroll;
}

/** The blocks that hold lines `first..first + count`. */
export function blocksFor(first: number, count: number, lines: number): number[] {
  const from = Math.max(0, first);
  const to = Math.min(lines, first + count);
  if (to <= from) return [];
  const out: number[] = [];
  for (let b = Math.floor(from / BLOCK_LINES); b * BLOCK_LINES < to; b++) out.push(b);
  return out;
}

/** Where `query` occurs in `line` (ASCII letters without case unless `caseSensitive`; not overlapping), as the
 *  engine searches: UTF-16 columns. */
export function occurrences(line: string, query: string, caseSensitive: boolean): number[] {
  if (!query) return [];
  const hay = caseSensitive ? line : asciiLower(line);
  const needle = caseSensitive ? query : asciiLower(query);
  const out: number[] = [];
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) out.push(at);
  return out;
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Keeps the most recently used blocks of lines. */
export class BlockCache {
  private blocks = new Map<number, string[]>();
  constructor(private readonly capacity = 64) {}

  get(block: number): string[] | undefined {
    const lines = this.blocks.get(block);
    if (lines) {
      this.blocks.delete(block);
      this.blocks.set(block, lines);
    }
    return lines;
  }

  put(block: number, lines: string[]) {
    this.blocks.delete(block);
    this.blocks.set(block, lines);
    while (this.blocks.size > this.capacity) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
  }

  line(n: number): string | undefined {
    return this.blocks.get(Math.floor(n / BLOCK_LINES))?.[n % BLOCK_LINES];
  }

  get size() {
    return this.blocks.size;
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

/** A piece of a JSON line and what it is, for colouring. */
export interface Token {
  text: string;
  kind: "key" | "string" | "number" | "literal" | "plain";
}

const JSON_TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;

/** Splits one line of pretty-printed JSON into keys, strings, numbers, literals and the rest.
 *  A line cut in pieces (a very long string) may start inside a string: it still colours
 *  something sensible, and the text is always exactly the line's. */
export function jsonTokens(line: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const m of line.matchAll(JSON_TOKEN)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: line.slice(last, at), kind: "plain" });
    if (m[1] !== undefined) {
      out.push({ text: m[1], kind: m[2] !== undefined ? "key" : "string" });
      if (m[2] !== undefined) out.push({ text: m[2], kind: "plain" });
    } else if (m[3] !== undefined) out.push({ text: m[3], kind: "number" });
    else out.push({ text: m[4], kind: "literal" });
    last = at + m[0].length;
  }
  if (last < line.length) out.push({ text: line.slice(last), kind: "plain" });
  return out;
}

/** A folded range of lines: `start` stays in view (with a marker), `start + 1 ..= end` hide. */
export interface Fold {
  start: number;
  end: number;
}

/** Lines left to show with these folds (sorted by start, none inside another). */
export function rowCount(lines: number, folds: Fold[]): number {
  return lines - folds.reduce((hidden, f) => hidden + (f.end - f.start), 0);
}

/** The line shown on row `row`. */
export function lineOfRow(row: number, folds: Fold[]): number {
  let line = row;
  for (const f of folds) {
    if (line > f.start) line += f.end - f.start;
    else break;
  }
  return line;
}

/** The row that shows `line`, or of the fold that hides it. */
export function rowOfLine(line: number, folds: Fold[]): number {
  let hidden = 0;
  for (const f of folds) {
    if (f.start >= line) break;
    if (line <= f.end) return f.start - hidden;
    hidden += f.end - f.start;
  }
  return line - hidden;
}

/** The folds with one more: those inside it go (it hides them), and the list stays sorted. */
export function addFold(folds: Fold[], fold: Fold): Fold[] {
  return [...folds.filter((f) => f.start < fold.start || f.start > fold.end), fold].sort((a, b) => a.start - b.start);
}

/** The folds without those hiding `line`, so it can be shown. */
export function unfoldAround(folds: Fold[], line: number): Fold[] {
  return folds.filter((f) => !(line > f.start && line <= f.end));
}

/** Whether a line of pretty JSON opens a container that can fold. */
export function opensFold(line: string): boolean {
  const t = line.trimEnd();
  return t.endsWith("{") || t.endsWith("[");
}
