// One request tab: the request line (method, URL with variables, Send, Save) that stays in place,
// Parameters / Headers / Body / Variables, and the answer beside it on a wide window (below on a
// narrow one). Send is Ctrl+Enter or Enter in the address; Escape cancels a running request.
import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "../api";
import { JSON_API, type ExchangeSummary, type HistoryEntry, type RequestSpec } from "../api";
import { ErrorNote } from "../components/common";
import { Tabs } from "../components/Tabs";
import { CodeView } from "./CodeView";
import { PairTable, type Pair } from "./PairTable";
import { joinUrl, jsonApiSkeleton, splitUrl } from "./query";
import { keysOf, useShortcut } from "../shortcuts";
import { PastOutcome } from "./PastOutcome";
import { ResponseView } from "./ResponseView";
import { SendProgress, type Transfer } from "./SendProgress";
import { VariablesTable } from "./VariablesTable";
import { UrlField } from "./UrlField";
import { loadDescription, parameterOffers, pathOffers, resourceOf, watchCatalogue, writableTypes, type ParameterOffers } from "./catalogue";
import { matchValues } from "./completion";
import { ConfirmWrite, isWrite as changesData, type ProductionGuard } from "./ConfirmWrite";
import { VariablePreview } from "./VariablePreview";

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"];
const WRITES = ["POST", "PATCH", "PUT"];

/** The request a new tab starts with. */
export const FIRST_REQUEST = "{{account-slug}}/v1/projects?include=client";

interface Props {
  profileId: string;
  apiUrl: string | null;
  /** What the tab opens with (a saved request, a history entry); a new tab's request otherwise. */
  initial?: RequestSpec | null;
  /** How it went when it was sent before (from history or a support bundle), shown until it is
   * sent again. */
  pastOutcome?: HistoryEntry | null;
  /** Whether this tab is the one shown: only it answers the keyboard shortcuts. */
  active?: boolean;
  /** Carries out a fix that concerns the profile, not the request (renew, switch method). */
  onProfileFix?: (fix: api.Fix) => Promise<unknown> | void;
  /** After each send (the history changed). */
  onSent?: () => void;
  /** The tab's label as the request changes ("GET /v1/projects"). */
  onTitle?: (method: string, url: string) => void;
  /** Save (Ctrl+S): the request as it is now. */
  onSave?: (spec: RequestSpec) => void;
  /** Set on a production profile: the tab's first write asks before it is sent. */
  guard?: ProductionGuard | null;
  /** The profile's name, for the question. */
  profileName?: string;
}

export function RequestPanel({ profileId, apiUrl, initial, pastOutcome, active = true, onProfileFix, onSent, onTitle, onSave, guard = null, profileName = "" }: Props) {
  const [method, setMethod] = useState("GET");
  const [url, setUrl] = useState(FIRST_REQUEST);
  const [headers, setHeaders] = useState<Pair[]>([]);
  const [acceptOn, setAcceptOn] = useState(true);
  const [contentTypeOn, setContentTypeOn] = useState(true);
  const [body, setBody] = useState("");
  const [tab, setTab] = useState<"params" | "headers" | "body" | "variables">("params");
  const [variableCount, setVariableCount] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const [summary, setSummary] = useState<(ExchangeSummary & { diagnosis?: api.Diagnosis | null }) | null>(null);
  const [error, setError] = useState<api.UiError | null>(null);
  const [curlText, setCurlText] = useState<string | null>(null);
  // Where the token would go, asked of the engine as the request changes; the opt-in to send it
  // to another host holds for this address only and is never kept.
  const [destination, setDestination] = useState<api.TokenDestination | null>(null);
  const [tokenElsewhere, setTokenElsewhere] = useState(false);
  const [urlProblem, setUrlProblem] = useState<string | null>(null);
  // From the API catalogue: the query parameter names of the resource the path names, whether a
  // write to it has a body skeleton, what loading the API's description said, and the question
  // before a skeleton replaces a body that is not empty.
  const [paramOffers, setParamOffers] = useState<ParameterOffers | null>(null);
  const [skeletonType, setSkeletonType] = useState<string | null>(null);
  const [catalogueNote, setCatalogueNote] = useState<{ text: string; bad: boolean } | null>(null);
  const [loadingDescription, setLoadingDescription] = useState(false);
  const [replaceBody, setReplaceBody] = useState<{ text: string; method: string; type: string | null } | null>(null);
  // How far the answer has come while it is sent (the shell's request-progress events).
  const [transfer, setTransfer] = useState<Transfer | null>(null);
  useEffect(() => {
    if (!sending) return;
    setTransfer(null);
    const unlisten = api.events.requestProgress.listen((e) => {
      if (e.payload.profile_id !== profileId) return;
      const p = e.payload.progress;
      setTransfer({ received: p.received, total: p.content_length, first_byte: p.first_byte, elapsed_ms: p.elapsed_ms });
    });
    return () => void unlisten.then((f) => f());
  }, [sending]);
  const { base, params } = splitUrl(url);
  const isWrite = WRITES.includes(method);

  // A fix changes the headers, then sends again once the change has rendered.
  const [resend, setResend] = useState(false);
  useEffect(() => {
    if (!resend) return;
    setResend(false);
    send();
  }, [resend]);

  // The tab's request, once, before the first paint of its fields.
  const loaded = useRef(false);
  if (!loaded.current) {
    loaded.current = true;
    if (initial) queueMicrotask(() => load(initial));
  }
  useEffect(() => onTitle?.(method, url), [method, url]);
  // Once this tab no longer shows an answer (a new one took its place, or the tab closed), the
  // engine lets go of its body and texts, and of the memory they took.
  useEffect(() => {
    const shown = summary?.id;
    return () => void (shown !== undefined && api.releaseExchange(shown).catch(() => {}));
  }, [summary?.id]);
  const urlInput = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  const setParams = (next: Pair[]) => setUrl(joinUrl(base, next));

  // The catalogue's parameters and skeleton follow the path (not the query), once typing pauses.
  const [catalogueVersion, setCatalogueVersion] = useState(0);
  useEffect(() => watchCatalogue((changed) => changed === profileId && setCatalogueVersion((v) => v + 1)), [profileId]);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      parameterOffers(profileId, base).then(
        (p) => current && setParamOffers(p),
        () => current && setParamOffers(null),
      );
      const type = resourceOf(base);
      if (!type) setSkeletonType(null);
      else writableTypes(profileId).then((known) => current && setSkeletonType(known.has(type) ? type : null));
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [base, profileId, catalogueVersion]);

  // The question is about one method's skeleton for one resource: it shows only while they are
  // still the request's.
  const replacing = replaceBody && replaceBody.method === method && replaceBody.type === skeletonType ? replaceBody.text : null;
  const focusIn = (css: string) => requestAnimationFrame(() => panel.current?.querySelector<HTMLElement>(css)?.focus());

  /** Fills the body with the catalogue's skeleton, or asks first when the body has text (the
   * focus goes to the question, then back to the button). */
  const insertSkeleton = async () => {
    try {
      const text = skeletonType ? await api.apiBodySkeleton(profileId, skeletonType, method) : jsonApiSkeleton(url, method);
      if (body.trim() && body.trim() !== text.trim()) {
        setReplaceBody({ text, method, type: skeletonType });
        focusIn("[data-testid=replace-body]");
      } else {
        setReplaceBody(null);
        setBody(text);
      }
    } catch (e) {
      setCatalogueNote({ text: api.errorMessage(e), bad: true });
    }
  };
  const answerReplace = (replace: boolean) => {
    if (replace && replacing !== null) setBody(replacing);
    setReplaceBody(null);
    focusIn("[data-testid=insert-body-skeleton]");
  };

  const loadApiDescription = async () => {
    setLoadingDescription(true);
    setCatalogueNote({ text: "Loading the API's description…", bad: false });
    try {
      setCatalogueNote({ text: await loadDescription(profileId), bad: false });
    } catch (e) {
      setCatalogueNote({ text: `The API's description could not be loaded: ${api.errorMessage(e)}`, bad: true });
    } finally {
      setLoadingDescription(false);
    }
  };

  useEffect(() => setTokenElsewhere(false), [url, profileId]);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api.tokenDestination(profileId, spec()).then(
        (d) => {
          if (!current) return;
          setDestination(d);
          setUrlProblem(null);
        },
        (e) => {
          if (!current) return;
          setDestination(null);
          setUrlProblem(url.trim() ? api.errorMessage(e) : null);
        },
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [url, profileId, headers]);
  const otherHost = destination?.other_host ?? null;

  const spec = (target = url, m = method): RequestSpec => ({
    method: m,
    url: target,
    query: [],
    headers: [
      ...(acceptOn ? [] : ([["Accept", ""]] as [string, string][])),
      ...(WRITES.includes(m) && !contentTypeOn ? ([["Content-Type", ""]] as [string, string][]) : []),
      ...headers.filter((h) => h.key.trim()).map((h) => [h.key.trim(), h.value] as [string, string]),
    ],
    body: WRITES.includes(m) && body.trim() ? body : null,
    follow_redirects: true,
    auth: true,
    send_token_to_other_host: target === url && tokenElsewhere,
  });

  // On a production profile the tab's first write waits for the user's word (the question
  // below); once given, the tab's later writes on this profile go without asking.
  const [asking, setAsking] = useState<{ method: string; url: string; pageLink?: string } | null>(null);
  const confirmedFor = useRef<string | null>(null);

  /** Sends the request in the editor, or a page link of the answer (which must stay on the API). */
  const send = async (pageLink?: string, confirmed = false) => {
    if (sending) return;
    if (guard && !confirmed && changesData(method) && confirmedFor.current !== profileId) {
      setAsking({ method, url: pageLink ?? url, pageLink });
      return;
    }
    if (pageLink) setUrl(pageLink);
    setSending(true);
    setError(null);
    try {
      const request = spec(pageLink ?? url);
      const answer = await api.sendRequest(profileId, pageLink ? { ...request, page_link: true, send_token_to_other_host: false } : request);
      performance.mark(`response-arrived-${answer.id}`);
      setSummary(answer);
    } catch (e) {
      setError(api.describe(e));
    } finally {
      setSending(false);
      onSent?.();
    }
  };

  const load = (s: RequestSpec) => {
    setMethod(s.method || "GET");
    setUrl(joinUrl(s.url, s.query.map(([key, value]) => ({ key, value }))));
    // Accept and Content-Type stay as given (a form's Content-Type must not become JSON:API's);
    // an empty one, or JSON:API's own, is the default row's state. The token row is the profile's.
    const isDefault = (n: string) => ["accept", "content-type"].includes(n.toLowerCase());
    const given = (n: string) => s.headers.find(([k]) => k.toLowerCase() === n)?.[1];
    setAcceptOn(given("accept") !== "");
    setContentTypeOn(given("content-type") !== "");
    setHeaders(
      s.headers
        .filter(([n, v]) => n.toLowerCase() !== "authorization" && !(isDefault(n) && (v === "" || v.trim().toLowerCase() === JSON_API)))
        .map(([key, value]) => ({ key, value })),
    );
    // A body of bytes that are not text (`{ base64 }`) is not loaded into the text editor.
    setBody(typeof s.body === "string" ? s.body : "");
  };

  // A diagnosis card's fix: change the request and send it again, or hand it to the profile
  // (renew the token — then send again —, switch the method of getting a token).
  const onFix = (f: api.Fix) => {
    if (f.kind === "add_accept_header") setAcceptOn(true);
    else if (f.kind === "add_content_type_header") setContentTypeOn(true);
    if (["add_accept_header", "add_content_type_header", "retry", "retry_after"].includes(f.kind)) setResend(true);
    else if (f.kind === "renew_token") Promise.resolve(onProfileFix?.(f)).then(() => setResend(true));
    else onProfileFix?.(f);
  };

  useShortcut("send", () => void send(), active && !asking);
  useShortcut("save", () => onSave?.(spec()), active && !asking && !!onSave);
  useShortcut(
    "focus-url",
    () => {
      urlInput.current?.focus();
      urlInput.current?.select();
    },
    active,
  );
  useShortcut(
    "cancel",
    () => {
      if (!sending) return false;
      api.cancelRequest(profileId);
    },
    active,
  );
  useShortcut(
    "find",
    () => {
      // The large-body viewer's own search box, or the code viewer's search panel (CodeMirror
      // opens it on Ctrl+F from inside the text).
      const search = panel.current?.querySelector<HTMLInputElement>("[data-testid=body-search], input[name=body_search]");
      if (search) {
        search.focus();
        search.select();
        return;
      }
      const code = panel.current?.querySelector<HTMLElement>("[data-testid=response-body] .cm-content");
      if (!code || code.contains(document.activeElement)) return false;
      code.focus();
      code.dispatchEvent(new KeyboardEvent("keydown", { key: "f", code: "KeyF", ctrlKey: true, bubbles: true, cancelable: true }));
    },
    active,
  );

  return (
    <div class="request-panel" data-testid="request-panel" ref={panel}>
      <div class="request-line">
        <select value={method} onChange={(e) => setMethod(e.currentTarget.value)} aria-label="Method" class="method-select">
          {METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <UrlField value={url} onInput={setUrl} onEnter={() => send()} inputRef={urlInput} complete={(typed) => pathOffers(profileId, typed)} />
        {sending ? (
          <button type="button" onClick={() => api.cancelRequest(profileId)} data-testid="cancel-request" aria-keyshortcuts="Escape">
            Cancel <kbd>Esc</kbd>
          </button>
        ) : (
          <button type="button" class="primary" onClick={() => send()} data-testid="send" aria-keyshortcuts="Control+Enter">
            Send <kbd>{keysOf("send")}</kbd>
          </button>
        )}
        {onSave && (
          <button type="button" onClick={() => onSave(spec())} data-testid="save-request" aria-keyshortcuts="Control+S">
            Save <kbd>{keysOf("save")}</kbd>
          </button>
        )}
      </div>
      <div class="request-editor">
      <VariablePreview url={url} destination={destination} problem={urlProblem} />
      {otherHost ? (
        <div class="token-elsewhere" role="status" data-testid="token-elsewhere">
          <p>
            <strong>This address is not your ScopeStack API: the token is not sent.</strong> It goes to <code>{otherHost}</code>.
          </p>
          <label class="checkbox">
            <input type="checkbox" checked={tokenElsewhere} onChange={(e) => setTokenElsewhere(e.currentTarget.checked)} data-testid="send-token-elsewhere" /> Send my
            token to {otherHost} anyway, for this request
          </label>
          {tokenElsewhere && (
            <p class="warning-text" data-testid="send-token-elsewhere-warning">
              {otherHost} will receive your access token and can act as you in ScopeStack until it expires. Only do this for a server you trust.
            </p>
          )}
        </div>
      ) : (
        <p class="subtle small-print">
          Relative addresses go to {apiUrl ?? "the API URL"}; <code>{"{{account-slug}}"}</code> is filled from <code>/v1/me</code>. The profile's token is added (for this API only) and renewed for you.
        </p>
      )}
      {catalogueNote && (
        <p class={catalogueNote.bad ? "catalogue-note bad-text" : "catalogue-note subtle"} role="status" data-testid="catalogue-note">
          {catalogueNote.text}
        </p>
      )}

      <Tabs
        label="Request"
        tabs={[
          { key: "params", label: `Parameters (${params.length})` },
          { key: "headers", label: "Headers" },
          { key: "body", label: "Body" },
          { key: "variables", label: variableCount ? `Variables (${variableCount})` : "Variables" },
        ]}
        chosen={tab}
        onChoose={setTab}
        actions={
          <>
            <button type="button" class="small" onClick={loadApiDescription} disabled={loadingDescription} data-testid="load-api-description">
              Load the API's description
            </button>
            <button type="button" class="small" onClick={() => setCurlText(curlText === null ? "" : null)} data-testid="import-curl">
              Import curl…
            </button>
          </>
        }
      >
        {curlText !== null && (
          <div class="curl-import">
            <textarea value={curlText} onInput={(e) => setCurlText(e.currentTarget.value)} aria-label="curl command" placeholder={`curl -H 'Accept: ${JSON_API}' ${new URL("v1/me", api.PRODUCTION_ENDPOINTS.api_url)}`} rows={3} />
            <button
              type="button"
              class="small primary"
              data-testid="load-curl"
              onClick={() =>
                api.importCurl(curlText).then(
                  (s) => {
                    load(s);
                    setCurlText(null);
                  },
                  (e) => setError(api.describe(e)),
                )
              }
            >
              Load into the editor
            </button>
          </div>
        )}

        {tab === "variables" && <VariablesTable profileId={profileId} onCount={setVariableCount} />}

        {tab === "params" && (
          <PairTable
            noun="Parameter"
            label="Parameters"
            rows={params}
            onChange={setParams}
            placeholders={["page[number]", "1"]}
            keyOffers={paramOffers?.names ?? []}
            valueOffers={(key, typed) => {
              const known = paramOffers?.values.get(key);
              return known ? matchValues(known.values, typed, known.list) : [];
            }}
          />
        )}

        {tab === "headers" && (
          <PairTable noun="Header" label="Headers" rows={headers} onChange={setHeaders} placeholders={["Header name", "value"]}>
            <tr>
              <td>
                <label class="checkbox">
                  <input type="checkbox" checked={acceptOn} onChange={(e) => setAcceptOn(e.currentTarget.checked)} /> Accept
                </label>
              </td>
              <td>
                <code>{JSON_API}</code> <span class="subtle">(ScopeStack answers 406 without it)</span>
              </td>
            </tr>
            {isWrite && (
              <tr>
                <td>
                  <label class="checkbox">
                    <input type="checkbox" checked={contentTypeOn} onChange={(e) => setContentTypeOn(e.currentTarget.checked)} /> Content-Type
                  </label>
                </td>
                <td>
                  <code>{JSON_API}</code> <span class="subtle">(415 without it)</span>
                </td>
              </tr>
            )}
            <tr>
              <td>Authorization</td>
              <td>
                <code>Bearer</code> <span class="subtle">the profile's token, added when sent</span>
              </td>
            </tr>
          </PairTable>
        )}

        {tab === "body" &&
          (isWrite ? (
            <div class="body-editor">
              <div class="actions">
                <button type="button" class="small" onClick={() => insertSkeleton()} data-testid="insert-body-skeleton">
                  {skeletonType ? "Insert body skeleton" : "Start from a JSON:API skeleton"}
                </button>
                {skeletonType && <span class="subtle small-print">{method} {skeletonType}: its attributes from the API catalogue</span>}
              </div>
              {replacing !== null && (
                <div class="body-skeleton-ask" role="group" aria-label="Replace the body?" data-testid="replace-body-question">
                  <span>The body has text. Replace it with the skeleton?</span>
                  <button
                    type="button"
                    class="small primary"
                    onClick={() => answerReplace(true)}
                    data-testid="replace-body"
                  >
                    Replace the body
                  </button>
                  <button type="button" class="small" onClick={() => answerReplace(false)}>
                    Keep my body
                  </button>
                </div>
              )}
              <CodeView doc={body} onChange={setBody} label="Request body" testId="request-body" />
            </div>
          ) : (
            <p class="subtle">{method} requests have no body. Choose POST or PATCH to write.</p>
          ))}
      </Tabs>

      </div>
      <div class="response-pane" aria-label="Response" role="region">
        {error && <ErrorNote error={error} onDismiss={() => setError(null)} onFix={onFix} />}
        {sending && <SendProgress transfer={transfer} onCancel={() => api.cancelRequest(profileId)} />}
        {summary && !sending && (
          <ResponseView
            key={summary.id}
            profileId={profileId}
            summary={summary}
            onFollow={(link) => send(link)}
            onFix={onFix}
          />
        )}
        {!summary && !sending && !error && pastOutcome && <PastOutcome entry={pastOutcome} />}
        {!summary && !sending && !error && !pastOutcome && <p class="subtle response-empty">The answer shows here. Send with {keysOf("send")}, or Enter in the address.</p>}
      </div>
      {asking && guard && (
        <ConfirmWrite
          method={asking.method}
          url={asking.url}
          account={guard.account}
          profileName={profileName}
          onCancel={() => setAsking(null)}
          onSend={() => {
            const { pageLink } = asking;
            confirmedFor.current = profileId;
            setAsking(null);
            void send(pageLink, true);
          }}
        />
      )}

    </div>
  );
}

