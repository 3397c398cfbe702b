// The Requests view: a left pane with the saved requests (by folder) and the history (by day),
// request tabs, and the chosen tab's request and answer. Ctrl+T opens a tab, Ctrl+W closes one,
// Ctrl+S saves the request (a name and a folder the first time, in place after).
import { useEffect, useState } from "preact/hooks";
import * as api from "../api";
import type { HistoryEntry, RequestSpec } from "../api";
import { ErrorNote } from "../components/common";
import { editableSpec, savedRequests, type SavedRequest } from "../interop-api";
import { titleOf } from "../request/addresses";
import type { ProductionGuard } from "../request/ConfirmWrite";
import { FIRST_REQUEST, RequestPanel } from "../request/RequestPanel";
import { keysOf, useShortcut } from "../shortcuts";
import { RequestsPane } from "./RequestsPane";
import { SaveRequestDialog } from "./SaveRequestDialog";

interface Props {
  profileId: string;
  apiUrl: string | null;
  onProfileFix: (fix: api.Fix) => Promise<unknown> | void;
  /** Whether the view is shown (its shortcuts work only then). */
  shown: boolean;
  /** Open the history's newest failed exchange in a tab, with its outcome (an opened support
   * bundle lands there); `onLanded` says it was done. */
  landOnFailing?: boolean;
  onLanded?: () => void;
  /** Set on a production profile: each tab asks before its first write. */
  guard?: ProductionGuard | null;
  profileName?: string;
}

interface RequestTab {
  key: number;
  initial: RequestSpec | null;
  /** The saved request it edits, if it came from one or was saved. */
  saved: { id: string; name: string } | null;
  title: string;
  /** The kept outcome of the history entry it was opened from, shown until it is sent again. */
  outcome: HistoryEntry | null;
}

let tabKeys = 0;
const newTab = (initial: RequestSpec | null = null, saved: RequestTab["saved"] = null, outcome: HistoryEntry | null = null): RequestTab => ({
  key: ++tabKeys,
  initial,
  saved,
  outcome,
  title: saved?.name ?? titleOf(initial?.method ?? "GET", initial?.url ?? FIRST_REQUEST),
});

export function RequestsView({ profileId, apiUrl, onProfileFix, shown, landOnFailing, onLanded, guard = null, profileName = "" }: Props) {
  const [tabs, setTabs] = useState<RequestTab[]>(() => [newTab()]);
  const [activeKey, setActiveKey] = useState(tabs[0].key);
  const [saved, setSaved] = useState<SavedRequest[]>([]);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [saving, setSaving] = useState<{ tab: number; spec: RequestSpec } | null>(null);
  const [error, setError] = useState<api.UiError | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const loadSaved = () => savedRequests(profileId).then(setSaved, () => setSaved([]));
  const loadHistory = () => api.historyList(profileId).then(setHistory, () => setHistory([]));
  useEffect(() => {
    loadSaved();
    loadHistory();
  }, [profileId]);

  const active = tabs.find((t) => t.key === activeKey) ?? tabs[0];
  const patchTab = (key: number, patch: Partial<RequestTab>) => setTabs((all) => all.map((t) => (t.key === key ? { ...t, ...patch } : t)));

  const open = (spec: RequestSpec | null, from: RequestTab["saved"] = null, outcome: HistoryEntry | null = null) => {
    const tab = newTab(spec, from, outcome);
    setTabs((all) => [...all, tab]);
    setActiveKey(tab.key);
    requestAnimationFrame(() => document.querySelector<HTMLInputElement>(`[data-tab-key="${tab.key}"] .url-input`)?.focus());
  };
  const close = (key: number) => {
    setTabs((all) => {
      const at = all.findIndex((t) => t.key === key);
      const rest = all.filter((t) => t.key !== key);
      const left = rest.length > 0 ? rest : [newTab()];
      if (key === activeKey) setActiveKey(left[Math.min(at, left.length - 1)].key);
      return left;
    });
  };

  // An opened support bundle: its newest failed exchange, once the history has it.
  useEffect(() => {
    if (!landOnFailing) return;
    let current = true;
    api.historyList(profileId).then((all) => {
      if (!current) return;
      setHistory(all);
      const failing = all.find((h) => h.status === null || h.status >= 400);
      onLanded?.();
      if (failing) api.historyRequest(profileId, failing.id).then((spec) => current && open(spec, null, failing), (e) => setError(api.describe(e)));
    }, () => onLanded?.());
    return () => {
      current = false;
    };
  }, [landOnFailing]);

  useShortcut("new-tab", () => open(null), shown);
  useShortcut("close-tab", () => close(activeKey), shown);

  /** Ctrl+S: in place for a saved request, else ask for a name and a folder. */
  const save = async (tab: RequestTab, spec: RequestSpec) => {
    if (tab.saved) {
      try {
        setSaved((await api.updateSavedRequest(profileId, tab.saved.id, spec)).requests);
        setNote(`Saved “${tab.saved.name}”.`);
      } catch (e) {
        setError(api.describe(e));
      }
    } else {
      setSaving({ tab: tab.key, spec });
    }
  };

  const folders = [...new Set(saved.map((r) => r.folder.join(" / ")).filter((f) => f))].sort();

  return (
    <div class="requests-view" data-testid="requests-view">
      <RequestsPane
        saved={saved}
        history={history}
        onOpenSaved={(r) => open(editableSpec(r), { id: r.id, name: r.name })}
        onOpenHistory={(h) => api.historyRequest(profileId, h.id).then((spec) => open(spec, null, h), (e) => setError(api.describe(e)))}
        onSavedChanged={setSaved}
        onClearHistory={() => api.historyClear(profileId).then(loadHistory, (e) => setError(api.describe(e)))}
        onError={setError}
        profileId={profileId}
        folders={folders}
      />
      <div class="requests-main">
        <div class="request-tabs-bar">
          <div class="request-tabs" role="tablist" aria-label="Open requests">
            {tabs.map((t) => (
              <button
                key={t.key}
                type="button"
                role="tab"
                id={`request-tab-${t.key}`}
                aria-selected={t.key === active.key}
                aria-controls={`request-tabpanel-${t.key}`}
                aria-keyshortcuts="Delete"
                tabIndex={t.key === active.key ? 0 : -1}
                class={t.key === active.key ? "request-tab chosen" : "request-tab"}
                title={`${t.title} (Delete or ${keysOf("close-tab")} closes it)`}
                onClick={() => setActiveKey(t.key)}
                onKeyDown={(e) => {
                  if (e.key === "Delete") {
                    e.preventDefault();
                    close(t.key);
                    return;
                  }
                  const at = tabs.findIndex((x) => x.key === t.key);
                  const to = e.key === "ArrowRight" ? at + 1 : e.key === "ArrowLeft" ? at - 1 : null;
                  if (to === null) return;
                  e.preventDefault();
                  const next = tabs[(to + tabs.length) % tabs.length];
                  setActiveKey(next.key);
                  document.getElementById(`request-tab-${next.key}`)?.focus();
                }}
              >
                {t.saved && (
                  <span class="saved-mark" aria-hidden="true">
                    ●
                  </span>
                )}
                <span class="request-tab-title">{t.title}</span>
                {/* The pointer's way to close a tab; the keyboard's is Delete or Ctrl+W. */}
                <span
                  class="request-tab-close"
                  aria-hidden="true"
                  onClick={(e) => {
                    e.stopPropagation();
                    close(t.key);
                  }}
                >
                  ×
                </span>
              </button>
            ))}
          </div>
          <button type="button" class="request-tab-new" onClick={() => open(null)} aria-keyshortcuts="Control+T" data-testid="new-tab">
            + New tab <kbd>{keysOf("new-tab")}</kbd>
          </button>
        </div>
        {error && <ErrorNote error={error} onDismiss={() => setError(null)} />}
        {note && (
          <p class="subtle saved-note" role="status" data-testid="saved-note">
            {note}
          </p>
        )}
        {tabs.map((t) => (
          <div
            key={t.key}
            role="tabpanel"
            id={`request-tabpanel-${t.key}`}
            aria-labelledby={`request-tab-${t.key}`}
            data-tab-key={t.key}
            hidden={t.key !== active.key}
            class="request-tabpanel"
          >
            <RequestPanel
              profileId={profileId}
              apiUrl={apiUrl}
              initial={t.initial}
              pastOutcome={t.outcome}
              active={shown && t.key === active.key && !saving}
              onProfileFix={onProfileFix}
              onSent={loadHistory}
              onTitle={(method, url) => !t.saved && patchTab(t.key, { title: titleOf(method, url) })}
              onSave={(spec) => save(t, spec)}
              guard={guard}
              profileName={profileName}
            />
          </div>
        ))}
      </div>
      {saving && (
        <SaveRequestDialog
          folders={folders}
          suggestedName={tabs.find((t) => t.key === saving.tab)?.title ?? ""}
          onClose={() => setSaving(null)}
          onSave={async (name, folder) => {
            const made = await api.saveRequest(profileId, name, folder, saving.spec);
            await loadSaved();
            patchTab(saving.tab, { saved: { id: made.id, name: made.name }, title: made.name });
            setNote(`Saved “${made.name}”${folder.length ? ` in ${folder.join(" / ")}` : ""}.`);
            setSaving(null);
          }}
        />
      )}
    </div>
  );
}
