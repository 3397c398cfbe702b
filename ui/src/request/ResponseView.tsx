// The answer: status in plain words, time and size; the body (pretty or raw, searchable,
// foldable; large ones a screenful at a time), a JSON:API view with paging buttons, the
// headers, and a jq filter run in Rust.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import * as api from "../api";
import { RESENT_NOTE, type ExchangeSummary, type JsonApiView } from "../api";
import type { Value } from "../generated/bindings";
import { DataTable, ErrorNote, useElapsedMs } from "../components/common";
import { duration, paging, rate, size } from "../format";
import { Tabs } from "../components/Tabs";
import { CodeView } from "./CodeView";
import { LargeTextView } from "./LargeTextView";
import { useShortcut } from "../shortcuts";
import { PairTable } from "./PairTable";

/** Texts up to this size go into the editor (folding, colours); larger ones into the viewer
 *  that holds only the lines on screen. */
const EDITOR_BYTES = 1024 * 1024;

/** Marks (for the benchmark and the end-to-end tests) when a body is in the page, pretty and
 *  searchable (its DOM is committed; the next frame paints it): `body-view-ready-<exchange id>`
 *  in the page's performance timeline, after
 *  `response-arrived-<id>` (the answer is in), `body-view-start-<id>` (the Body tab asked) and
 *  `body-view-opened-<id>` (the engine has the text ready). */
function markBodyReady(exchange: number) {
  performance.mark(`body-view-ready-${exchange}`);
}

interface Props {
  profileId: string;
  summary: ExchangeSummary & { diagnosis?: api.Diagnosis | null };
  onFollow: (url: string) => void;
  onFix?: (fix: api.Fix) => void;
}

export function ResponseView({ profileId, summary, onFollow, onFix }: Props) {
  const [tab, setTab] = useState<"body" | "jsonapi" | "headers">(summary.is_json_api ? "jsonapi" : "body");
  const [pretty, setPretty] = useState(summary.body_kind === "json");
  const [wrap, setWrap] = useState(false);
  const [showAnyway, setShowAnyway] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const [large, setLarge] = useState<{ mode: api.TextMode; lines: number; head: string[] } | null>(null);
  const [prettyNote, setPrettyNote] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [view, setView] = useState<JsonApiView | null>(null);
  const [filter, setFilter] = useState("");
  const [jqOut, setJqOut] = useState<string | null>(null);
  const [jqRunning, setJqRunning] = useState(false);
  const jqRun = useRef(0);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const gated = summary.sizes.decoded > api.SHOW_WITHOUT_ASKING && !showAnyway;
  const ok = summary.status < 400;
  // The pretty text's first screen, asked for once the JSON:API table is on screen (the engine
  // makes the text in the background meanwhile), so the Body tab shows at once when chosen.
  const early = useRef<ReturnType<typeof api.openTextView> | null>(null);

  useEffect(() => {
    if (tab !== "body" || gated || summary.body_kind === "binary") return;
    let cancelled = false;
    const mode: api.TextMode = pretty ? "pretty" : "raw";
    performance.mark(`body-view-start-${summary.id}`);
    setLoading(true);
    setText(null);
    setLarge(null);
    (async () => {
      // The text is made (pretty-printed, indexed) in Rust; small ones come over whole into the
      // editor, large ones stay there and the viewer reads the lines on screen.
      const info = await (mode === "pretty" && early.current ? early.current : api.openTextView(summary.id, mode, EDITOR_BYTES));
      performance.mark(`body-view-opened-${summary.id}`);
      if (cancelled) return;
      if (info.bytes > EDITOR_BYTES) {
        setLarge({ mode, lines: info.lines, head: info.head });
        return;
      }
      const parts: string[] = [];
      let offset = 0;
      for (;;) {
        const chunk = await api.readBody(summary.id, pretty, offset);
        parts.push(chunk.text);
        if (chunk.next_offset >= chunk.total || chunk.next_offset <= offset) break;
        offset = chunk.next_offset;
        if (cancelled) return;
      }
      if (!cancelled) setText(parts.join(""));
    })()
      .catch((e) => {
        if (cancelled) return;
        if (pretty) {
          setPrettyNote(api.errorMessage(e));
          setPretty(false);
        } else setError(api.errorMessage(e));
      })
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [summary.id, pretty, tab, gated]);

  useLayoutEffect(() => {
    if (text !== null) markBodyReady(summary.id);
  }, [text]);

  useEffect(() => {
    if (tab === "jsonapi" && !view) api.jsonApiView(summary.id).then(setView, (e) => setError(api.errorMessage(e)));
  }, [tab]);

  useEffect(() => {
    if (tab !== "jsonapi" || !view || early.current || summary.body_kind !== "json" || summary.sizes.decoded > api.SHOW_WITHOUT_ASKING) return;
    const later = setTimeout(() => {
      early.current = api.openTextView(summary.id, "pretty", EDITOR_BYTES);
      // A failure shows when the Body tab asks (it awaits this same call).
      early.current.catch(() => {});
    }, 0);
    return () => clearTimeout(later);
  }, [tab, view]);

  // The engine stops a filter after 10 s, or at Cancel (the button, or Escape); a new filter
  // replaces one still running, and only the newest one's answer is shown.
  // (A ref as well as the state: Escape right after the click already finds it running.)
  const jqRunningNow = useRef(false);
  const runJq = () => {
    const run = ++jqRun.current;
    jqRunningNow.current = true;
    setJqRunning(true);
    setError(null);
    const done = () => {
      if (run !== jqRun.current) return false;
      jqRunningNow.current = false;
      setJqRunning(false);
      return true;
    };
    api.jqFilter(summary.id, filter).then(
      (o) => done() && setJqOut(o.text),
      (e) => {
        if (!done()) return;
        setJqOut(null);
        setError(api.errorMessage(e));
      },
    );
  };
  const cancelJq = () => void api.cancelJq(summary.id);
  useShortcut("cancel", () => (jqRunningNow.current ? cancelJq() : false));
  const flash = (message: string) => {
    setNote(message);
    setTimeout(() => setNote(null), 2500);
  };

  return (
    <div class="response" data-testid="response">
      <div class={ok ? "status-line ok" : "status-line bad"} data-testid="status-line">
        <strong>{summary.status_text}</strong>
        {summary.renewed_and_resent && (
          <span class="resent" data-testid="resent-note">
            The server refused the token; renewed it and sent again
          </span>
        )}
        <span class="subtle">
          {duration(summary.timings.total_ms)} (first byte after {duration(summary.timings.ttfb_ms)}) · {size(summary.sizes.decoded)}
          {summary.sizes.wire !== summary.sizes.decoded && ` (${size(summary.sizes.wire)} over the network)`}
        </span>
      </div>
      {summary.diagnosis && <ErrorNote error={{ message: summary.status_text, diagnosis: summary.diagnosis }} onFix={onFix} />}
      {summary.notes.filter((n) => !(summary.renewed_and_resent && n === RESENT_NOTE)).map((n) => (
        <p class="subtle" key={n}>
          {n}
        </p>
      ))}
      <Tabs
        label="Response"
        tabs={[
          ...(summary.is_json_api ? [{ key: "jsonapi" as const, label: "JSON:API" }] : []),
          { key: "body", label: "Body" },
          { key: "headers", label: `Headers (${summary.headers.length})` },
        ]}
        chosen={tab}
        onChoose={setTab}
        actions={
          <>
            <button type="button" class="small" onClick={() => api.copyBody(summary.id).then(() => flash("Body copied."), (e) => setError(api.errorMessage(e)))}>
              Copy body
            </button>
            <button type="button" class="small" onClick={() => api.saveBody(summary.id).then((p) => p && flash(`Saved to ${p}.`), (e) => setError(api.errorMessage(e)))}>
              Save…
            </button>
            <button type="button" class="small" onClick={() => api.copyAsCurl(profileId, summary.id, false).then(() => flash("curl command copied (the token is $TOKEN)."), (e) => setError(api.errorMessage(e)))}>
              Copy as curl
            </button>
          </>
        }
      >
        {note && (
          <p class="subtle" role="status">
            {note}
          </p>
        )}
        {error && <ErrorNote message={error} onDismiss={() => setError(null)} />}

        {tab === "body" &&
          (summary.body_kind === "binary" ? (
            <p class="subtle">This answer is binary ({size(summary.sizes.decoded)}). Save it to a file to open it.</p>
          ) : gated ? (
            <div class="gate" data-testid="size-gate">
              <p>This answer is {size(summary.sizes.decoded)}. Showing it takes a moment and memory.</p>
              <button type="button" onClick={() => setShowAnyway(true)} data-testid="show-anyway">
                Show anyway
              </button>{" "}
              <button type="button" onClick={() => api.saveBody(summary.id).then((p) => p && flash(`Saved to ${p}.`))}>
                Save to file…
              </button>
            </div>
          ) : (
            <>
              <div class="actions">
                {summary.body_kind === "json" && (
                  <label class="checkbox">
                    <input type="checkbox" checked={pretty} onChange={(e) => setPretty(e.currentTarget.checked)} /> Pretty
                  </label>
                )}
                {large ? (
                  <span class="subtle">A large body: shown a screenful at a time, and the search looks through all of it.</span>
                ) : (
                  <>
                    <label class="checkbox">
                      <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.currentTarget.checked)} /> Wrap lines
                    </label>
                    <span class="subtle">Ctrl+F searches; click the gutter arrows to fold.</span>
                  </>
                )}
              </div>
              {prettyNote && !pretty && <p class="subtle" data-testid="pretty-note">{prettyNote}</p>}
              {large ? (
                <LargeTextView key={`${summary.id}-${large.mode}`} exchange={summary.id} mode={large.mode} lines={large.lines} head={large.head} label="Response body" testId="response-body" onReady={() => markBodyReady(summary.id)} />
              ) : text !== null ? (
                <CodeView doc={text} readOnly wrap={wrap} language={summary.body_kind === "json" ? "json" : "text"} label="Response body" testId="response-body" />
              ) : (
                // Until the text is here, no editor: mounting one (even empty, for the moment before
                // the fetch starts) loads CodeMirror, which holds the page's thread for ~80 ms and is
                // not needed at all when the text turns out to be large.
                !error && (
                  <PreparingBody
                    key={`${summary.id}-${pretty}`}
                    exchange={summary.id}
                    mode={pretty ? "pretty" : "raw"}
                    total={summary.sizes.decoded}
                    large={loading && summary.sizes.decoded > EDITOR_BYTES}
                  />
                )
              )}
            </>
          ))}

        {tab === "jsonapi" &&
          (view ? (
            <JsonApiPanel view={view} onFollow={onFollow} />
          ) : (
            !error && (
              <div class="subtle" role="status">
                Reading the document…
              </div>
            )
          ))}

        {tab === "headers" && <PairTable noun="Response header" label="Response headers" class="headers-table" rows={summary.headers.map(([key, value]) => ({ key, value }))} />}
      </Tabs>

      <div class="jq">
        <input value={filter} onInput={(e) => setFilter(e.currentTarget.value)} onKeyDown={(e) => e.key === "Enter" && runJq()} placeholder=".data[] | .attributes[&quot;project-name&quot;]" aria-label="jq filter" name="jq_filter" spellcheck={false} />
        <button type="button" class="small" onClick={runJq} disabled={!filter.trim()} data-testid="run-jq">
          Filter with jq
        </button>
      </div>
      {jqRunning && <JqRunning onCancel={cancelJq} />}
      {jqOut !== null && <CodeView doc={jqOut} readOnly label="jq output" testId="jq-output" />}
    </div>
  );
}

function JsonApiPanel({ view, onFollow }: { view: JsonApiView; onFollow: (url: string) => void }) {
  if (view.note && view.resources.length === 0 && view.errors.length === 0) return <p class="subtle">{view.note}</p>;
  // The attributes that have a value somewhere on this page (a column of only nulls says
  // nothing), the first eight of them.
  const attrNames = [...new Set(view.resources.flatMap((r) => Object.keys(members(r.attributes))))]
    .filter((a) => view.resources.some((r) => { const v = members(r.attributes)[a]; return v !== null && v !== undefined && v !== ""; }))
    .slice(0, 8);
  return (
    <div class="jsonapi" data-testid="jsonapi-view">
      <div class="actions">
        {(["first", "prev", "next", "last"] as const).map((k) => (
          <button key={k} type="button" class="small" disabled={!view.links[k]} onClick={() => view.links[k] && onFollow(view.links[k]!)} data-testid={`link-${k}`}>
            {k === "prev" ? "← Previous" : k === "next" ? "Next →" : k === "first" ? "First" : "Last"}
          </button>
        ))}
        {view.meta && <span class="subtle" data-testid="jsonapi-meta">{metaInWords(members(view.meta))}</span>}
      </div>
      {view.errors.length > 0 && (
        <ul class="api-errors">
          {view.errors.map((e, i) => (
            <li key={i}>
              <strong>{e.title ?? e.status}</strong> {e.detail} {e.pointer && <code>{e.pointer}</code>}
            </li>
          ))}
        </ul>
      )}
      {view.total_resources > view.resources.length && (
        <p class="subtle" data-testid="jsonapi-cut">
          Showing the first {view.resources.length.toLocaleString()} of {view.total_resources.toLocaleString()} resources. The Body tab and the jq filter have all of them.
        </p>
      )}
      {view.resources.length > 0 && (
        <DataTable label="Resources" columns={["type", "id", ...attrNames, "related"]}>
          {view.resources.map((r) => (
            <tr key={`${r.type}-${r.id}`}>
              <td>{r.type}</td>
              <td>{r.id}</td>
              {attrNames.map((a) => (
                <td key={a} title={full(members(r.attributes)[a])}>
                  {short(members(r.attributes)[a])}
                </td>
              ))}
              <td>
                {r.relationships.flatMap((rel) =>
                  rel.targets.map((t) => (
                    <span class="chip" key={`${rel.name}-${t.id}`} title={t.included ? JSON.stringify(t.included) : "not included"}>
                      {rel.name}: {t.included ? short(members(t.included)["name"] ?? members(t.included)["project-name"] ?? `${t.type} ${t.id}`) : `${t.type} ${t.id}`}
                    </span>
                  )),
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

/** The members of a JSON object (attributes, an included resource); nothing for other values. */
function members(v: Value | null): Partial<Record<string, Value>> {
  return v && typeof v === "object" && !Array.isArray(v) ? v : {};
}

/** While the engine makes a body's text: what it is doing, how far it has come (of the body's
 * bytes, with a bar), the rate and the time so far, and Cancel (a cancelled pretty-print shows
 * the raw text instead). */
function PreparingBody({ exchange, mode, total, large }: { exchange: number; mode: api.TextMode; total: number; large: boolean }) {
  const elapsed = useElapsedMs();
  const [done, setDone] = useState(0);
  useEffect(() => {
    const unlisten = api.events.bodyProgress.listen((e) => {
      if (e.payload.exchange === exchange && e.payload.mode === mode) setDone(e.payload.done);
    });
    return () => void unlisten.then((f) => f());
  }, []);
  if (!large) return <p class="subtle">Loading…</p>;
  const what = mode === "pretty" ? "Pretty-printing and indexing" : "Indexing";
  return (
    <div class="send-progress" data-testid="preparing-body">
      <p class="progress">
        <span class="spinner" aria-hidden="true" /> {what} {size(done)} of {size(total)} · {rate(done, elapsed)} · {duration(elapsed)}
      </p>
      <span class="visually-hidden" role="status">
        Preparing the body
      </span>
      <progress max={total} value={done} aria-label="Body prepared" />
      <button type="button" class="small" onClick={() => api.cancelTextView(exchange)} data-testid="cancel-body-view">
        Cancel{mode === "pretty" ? " (show it raw)" : ""}
      </button>
    </div>
  );
}

/** While a jq filter runs: the time so far and Cancel (Escape too). */
function JqRunning({ onCancel }: { onCancel: () => void }) {
  const elapsed = useElapsedMs();
  return (
    <div class="send-progress" data-testid="jq-running">
      <p class="progress">
        <span class="spinner" aria-hidden="true" /> Running the jq filter… {duration(elapsed)} (stopped after 10 s)
      </p>
      <span class="visually-hidden" role="status">
        Running the jq filter
      </span>
      <button type="button" class="small" onClick={onCancel} data-testid="cancel-jq">
        Cancel
      </button>
    </div>
  );
}

/** JSON:API's meta in words: "25 records · 3 pages", then any other plain members as they are. */
export function metaInWords(meta: Partial<Record<string, Value>>): string {
  const num = (k: string) => (typeof meta[k] === "number" ? (meta[k] as number) : null);
  const known = ["record-count", "page-count", "current-page"];
  const others = Object.entries(meta)
    .filter(([k, v]) => !known.includes(k) && v !== null && typeof v !== "object")
    .map(([k, v]) => `${k.replace(/[-_]/g, " ")}: ${v}`);
  return [paging(num("current-page"), num("page-count"), num("record-count")), ...others].filter((x) => x).join(" · ");
}

/** A value whole, for a cell's tooltip. */
function full(v: unknown): string {
  return v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
}

function short(v: unknown): string {
  if (v === null || v === undefined) return "—";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + "…" : s;
}

