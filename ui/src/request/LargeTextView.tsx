// The viewer for bodies too large for an editor: the text stays in Rust (pretty-printed and
// indexed there), and this shows only the lines on screen, fetched a block at a time. Search
// runs in Rust over the whole text; the window only jumps to each match. Folding asks Rust
// where a bracket closes and hides those lines. However large the
// body, the page holds a few hundred lines and never does more than a screenful of work.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { RefObject } from "preact";
import * as api from "../api";
import { BLOCK_LINES, BlockCache, type Fold, addFold, firstLineAt, jsonTokens, layout, lineOfRow, occurrences, opensFold, rowCount, rowOfLine, scrollTopFor, unfoldAround } from "./viewport";

/** Must match `.bigtext-row` height in styles.css. */
const LINE_HEIGHT = 18;
/** Extra rows rendered above and below the screen: enough for a frame's scrolling; each row
 *  more is laid out and painted on the page's thread at every jump (60 rows took ~80 ms here). */
const OVERSCAN = 10;

interface Props {
  exchange: number;
  mode: api.TextMode;
  lines: number;
  /** The first lines, sent along when the text was opened. */
  head: string[];
  label: string;
  testId?: string;
  /** Called once the first screenful is in the page (committed, before it paints). */
  onReady?: () => void;
}

interface Found {
  query: string;
  caseSensitive: boolean;
  total: number;
  capped: boolean;
  index: number;
  at: api.MatchPosition | null;
}

export function LargeTextView({ exchange, mode, lines, head, label, testId, onReady }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const cache = useMemo(() => {
    const c = new BlockCache();
    if (head.length >= Math.min(lines, BLOCK_LINES)) c.put(0, head);
    return c;
  }, [exchange, mode]);
  const pending = useRef(new Set<number>());
  const [, setLoaded] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  // The scroller is 60vh tall (styles.css): start from that, so the first render is the last.
  const [viewHeight, setViewHeight] = useState(() => Math.max(240, Math.round(window.innerHeight * 0.6)));
  // The first screen renders just what shows; rows above and below come once it is up.
  const [overscan, setOverscan] = useState(0);
  const [found, setFound] = useState<Found | null>(null);
  const [folds, setFolds] = useState<Fold[]>([]);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const readyFired = useRef(false);

  // Rows are the lines left to show once folds hide some.
  const rows = rowCount(lines, folds);
  const { height } = layout(rows, LINE_HEIGHT);
  const { line: first, top } = firstLineAt(scrollTop, rows, LINE_HEIGHT, viewHeight);
  const visibleRows = Math.ceil(viewHeight / LINE_HEIGHT) + 1;
  const from = Math.max(0, first - overscan);
  const to = Math.min(rows, first + visibleRows + overscan);
  const shownLines: number[] = [];
  for (let r = from; r < to; r++) shownLines.push(lineOfRow(r, folds));
  const neededBlocks = [...new Set(shownLines.map((n) => Math.floor(n / BLOCK_LINES)))];

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => el.clientHeight && setViewHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Fetch the blocks the screen needs that are neither here nor on their way.
  useEffect(() => {
    for (const block of neededBlocks) {
      if (cache.get(block) || pending.current.has(block)) continue;
      pending.current.add(block);
      api
        .textLines(exchange, mode, block * BLOCK_LINES, BLOCK_LINES)
        .then((got) => {
          cache.put(block, got);
          setLoaded((n) => n + 1);
        })
        .catch((e) => setError(api.errorMessage(e)))
        .finally(() => pending.current.delete(block));
    }
  }, [neededBlocks.join(","), exchange, mode]);

  const firstShown = cache.line(lineOfRow(first, folds)) !== undefined || lines === 0;
  useLayoutEffect(() => {
    if (firstShown && !readyFired.current) {
      readyFired.current = true;
      onReady?.();
      requestAnimationFrame(() => setOverscan(OVERSCAN));
    }
  });

  // A jump (to a match, or a scroll far away) replaces every row: the screen first, the rows
  // around it two frames later, so that no one task of the page's thread does both.
  const screenFirst = () => {
    setOverscan(0);
    requestAnimationFrame(() => requestAnimationFrame(() => setOverscan(OVERSCAN)));
  };

  // One state update per frame however many scroll events come (kept across renders).
  const frame = useRef(0);
  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = scroller.current;
      if (!el) return;
      const next = firstLineAt(el.scrollTop, rows, LINE_HEIGHT, viewHeight).line;
      if (next + visibleRows < from || next > to) screenFirst();
      setScrollTop(el.scrollTop);
    });
  };

  const showLine = (line: number) => {
    const el = scroller.current;
    if (!el) return;
    screenFirst();
    const open = unfoldAround(folds, line);
    if (open.length !== folds.length) setFolds(open);
    const target = Math.max(0, rowOfLine(line, open) - Math.floor(visibleRows / 3));
    el.scrollTop = scrollTopFor(target, rowCount(lines, open), LINE_HEIGHT, el.clientHeight);
    setScrollTop(el.scrollTop);
  };

  const toggleFold = async (line: number) => {
    if (folds.some((f) => f.start === line)) {
      setFolds(folds.filter((f) => f.start !== line));
      return;
    }
    try {
      const end = await api.textFoldEnd(exchange, mode, line);
      if (end !== null && end > line) setFolds((now) => addFold(now, { start: line, end }));
    } catch (e) {
      setError(api.errorMessage(e));
    }
  };

  const goTo = async (state: Omit<Found, "at" | "index">, index: number) => {
    const n = state.total === 0 ? 0 : ((index % state.total) + state.total) % state.total;
    const at = state.total === 0 ? null : await api.textMatch(exchange, mode, state.query, state.caseSensitive, n);
    setFound({ ...state, index: n, at });
    if (at) showLine(at.line);
  };

  const search = async (q: string, caseSensitive: boolean, backwards: boolean) => {
    if (!q) return;
    setError(null);
    try {
      if (found && found.query === q && found.caseSensitive === caseSensitive) {
        await goTo(found, found.index + (backwards ? -1 : 1));
        return;
      }
      setSearching(true);
      const summary = await api.textSearch(exchange, mode, q, caseSensitive);
      await goTo({ query: q, caseSensitive, total: summary.total, capped: summary.capped }, backwards ? -1 : 0);
    } catch (e) {
      setError(api.errorMessage(e));
    } finally {
      setSearching(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "f") {
      e.preventDefault();
      searchBox.current?.focus();
      searchBox.current?.select();
    }
  };

  const rendered = shownLines.map((n) => {
    const text = cache.line(n);
    const folded = folds.some((f) => f.start === n);
    const foldable = mode === "pretty" && text !== undefined && opensFold(text);
    return (
      <div class="bigtext-row" key={n}>
        <span class="bigtext-ln">
          {n + 1}
          {foldable ? (
            <button type="button" class="bigtext-fold" onClick={() => toggleFold(n)} aria-label={folded ? `Unfold line ${n + 1}` : `Fold line ${n + 1}`} aria-expanded={!folded}>
              {folded ? "▸" : "▾"}
            </button>
          ) : (
            <span class="bigtext-fold" />
          )}
        </span>
        <span class="bigtext-code">
          {text === undefined ? "\u00a0" : highlight(text, n, found, mode === "pretty")}
          {folded && text !== undefined && (
            <button type="button" class="bigtext-folded" onClick={() => toggleFold(n)} title="Unfold">
              … {text.trimEnd().endsWith("{") ? "}" : "]"}
            </button>
          )}
        </span>
      </div>
    );
  });
  const rowsTop = top - (first - from) * LINE_HEIGHT;

  return (
    <div class="bigtext" data-testid={testId} onKeyDown={onKeyDown}>
      <SearchBar inputRef={searchBox} onSearch={search} onEdit={() => found && setFound(null)} status={searching ? "Searching…" : found ? matchStatus(found) : `${lines.toLocaleString()} lines`} />
      {error && <p class="subtle bad-text">{error}</p>}
      <div ref={scroller} class="bigtext-scroller" onScroll={onScroll} tabIndex={0} role="textbox" aria-readonly="true" aria-multiline="true" aria-label={label}>
        <div class="bigtext-spacer" style={{ height: `${height}px` }} />
        <div class="bigtext-lines" style={{ transform: `translateY(${rowsTop}px)` }}>
          {rendered}
        </div>
      </div>
    </div>
  );
}

/** The search box keeps what is typed to itself, so typing never re-renders the lines. */
function SearchBar({ inputRef, onSearch, onEdit, status }: { inputRef: RefObject<HTMLInputElement>; onSearch: (query: string, caseSensitive: boolean, backwards: boolean) => void; onEdit: () => void; status: string }) {
  const [query, setQuery] = useState("");
  const [caseSensitive, setCaseSensitive] = useState(false);
  return (
    <div class="bigtext-bar" role="search">
      <input
        ref={inputRef}
        value={query}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          onEdit();
        }}
        onKeyDown={(e) => e.key === "Enter" && (e.preventDefault(), onSearch(query, caseSensitive, e.shiftKey))}
        placeholder="Find in the whole body"
        aria-label="Find in the body"
        name="body_search"
        spellcheck={false}
      />
      <button type="button" class="small" onClick={() => onSearch(query, caseSensitive, true)} disabled={!query} aria-label="Previous match">
        ↑
      </button>
      <button type="button" class="small" onClick={() => onSearch(query, caseSensitive, false)} disabled={!query} data-testid="body-search-next" aria-label="Next match">
        ↓
      </button>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={caseSensitive}
          onChange={(e) => {
            setCaseSensitive(e.currentTarget.checked);
            onEdit();
          }}
        />{" "}
        Match case
      </label>
      <span class="subtle" data-testid="body-search-status" role="status">
        {status}
      </span>
    </div>
  );
}

function matchStatus(found: Found): string {
  if (found.total === 0) return "No matches";
  const total = found.capped ? `${found.total.toLocaleString()}+` : found.total.toLocaleString();
  return `${(found.index + 1).toLocaleString()} of ${total}`;
}

/** A line of pretty JSON in colours (a line with search matches shows the marks instead). */
function colour(text: string) {
  return jsonTokens(text).map((t, i) => (t.kind === "plain" ? t.text : <span class={`j-${t.kind}`} key={i}>{t.text}</span>));
}

/** The line's text with every occurrence of the search marked, the current match more so. */
function highlight(text: string, n: number, found: Found | null, json: boolean) {
  const at = found && found.total > 0 ? occurrences(text, found.query, found.caseSensitive) : [];
  if (!found || at.length === 0) return json ? colour(text) : text;
  const parts = [];
  let last = 0;
  for (const column of at) {
    if (column < last) continue;
    parts.push(text.slice(last, column));
    const current = found.at?.line === n && found.at.column === column;
    parts.push(
      <mark class={current ? "current" : undefined} key={column}>
        {text.slice(column, column + found.query.length)}
      </mark>,
    );
    last = column + found.query.length;
  }
  parts.push(text.slice(last));
  return parts;
}
