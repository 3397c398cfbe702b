// The Requests view's left pane: one filter over the saved requests (by folder, each with rename,
// move, duplicate and delete) and the history (by day: method, decoded path, status, time).
import { useState } from "preact/hooks";
import * as api from "../api";
import type { HistoryEntry } from "../api";
import { Menu } from "../components/Menu";
import { clockTime, dayLabel, nowUnix } from "../format";
import { deleteSavedRequest, type SavedRequest } from "../interop-api";
import { readablePath } from "../request/addresses";
import { SaveRequestDialog } from "./SaveRequestDialog";

interface Props {
  profileId: string;
  saved: SavedRequest[];
  history: HistoryEntry[];
  folders: string[];
  onOpenSaved: (r: SavedRequest) => void;
  onOpenHistory: (h: HistoryEntry) => void;
  onSavedChanged: (all: SavedRequest[]) => void;
  onClearHistory: () => void;
  onError: (e: api.UiError) => void;
}

/** Items in groups by a key, the groups and their items in the order they first come. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** A status as a chip's tone: ok for 2xx, warn for 3xx, bad for 4xx/5xx or no answer. */
const tone = (status: number | null) => (status === null ? "bad" : status < 300 ? "ok" : status < 400 ? "warn" : "bad");

export function RequestsPane(props: Props) {
  const { saved, history } = props;
  const [filter, setFilter] = useState("");
  const [editing, setEditing] = useState<{ request: SavedRequest; what: "rename" | "move" } | null>(null);
  const wanted = filter.trim().toLowerCase();
  const matches = (...texts: string[]) => !wanted || texts.some((t) => t.toLowerCase().includes(wanted));

  const byFolder = groupBy(
    saved.filter((r) => matches(r.name, r.spec.url, r.folder.join(" / "))),
    (r) => r.folder.join(" / "),
  );
  const now = nowUnix();
  const byDay = groupBy(
    history.filter((h) => matches(h.method, readablePath(h), String(h.status ?? ""))),
    (h) => dayLabel(Math.floor(h.at_unix_ms / 1000), now),
  );

  const act = (run: () => Promise<SavedRequest[]>) => run().then(props.onSavedChanged, (e) => props.onError(api.describe(e)));

  return (
    <aside class="requests-pane" aria-label="Saved requests and history">
      <input type="search" class="pane-filter" placeholder="Filter" aria-label="Filter saved requests and history" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      <section aria-labelledby="saved-heading" class="pane-section" data-testid="saved-requests">
        <h2 id="saved-heading" class="pane-heading">
          Saved
        </h2>
        {saved.length === 0 && <p class="subtle pane-empty">Save a request with Ctrl+S to keep it here.</p>}
        {[...byFolder.entries()].map(([folder, items]) => (
          <div key={folder} class="pane-folder">
            {folder && <h3 class="folder-name">{folder}</h3>}
            <ul class="pane-list">
              {items.map((r) => (
                <li key={r.id} class="pane-item">
                  <button
                    type="button"
                    class="pane-open"
                    onClick={() => props.onOpenSaved(r)}
                    title={r.redacted.length ? `Left out when saved (secrets): ${r.redacted.join(", ")}` : undefined}
                    data-saved-request={r.name}
                  >
                    <span class={`method-chip m-${r.spec.method.toLowerCase()}`}>{r.spec.method}</span> <span class="pane-name">{r.name}</span>
                  </button>
                  <Menu
                    label={`Actions for ${r.name}`}
                    spokenPrefix={`Actions for ${r.name}`}
                    class="pane-menu"
                    items={[
                      { label: "Rename…", onSelect: () => setEditing({ request: r, what: "rename" }) },
                      { label: "Move to folder…", onSelect: () => setEditing({ request: r, what: "move" }) },
                      { label: "Duplicate", onSelect: () => act(() => api.duplicateSavedRequest(props.profileId, r.id).then((c) => c.requests)) },
                      { label: "Delete", danger: true, onSelect: () => act(() => deleteSavedRequest(props.profileId, r.id)) },
                    ]}
                  >
                    <span aria-hidden="true">⋯</span>
                  </Menu>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
      <section aria-labelledby="history-heading" class="pane-section" data-testid="history">
        <h2 id="history-heading" class="pane-heading">
          History
        </h2>
        {history.length === 0 && <p class="subtle pane-empty">Requests you send show here, newest first.</p>}
        {[...byDay.entries()].map(([day, items]) => (
          <div key={day}>
            <h3 class="folder-name">{day}</h3>
            <ul class="pane-list">
              {items.map((h) => (
                <li key={h.id} class="pane-item">
                  <button type="button" class="pane-open history-item" onClick={() => props.onOpenHistory(h)} data-history-id={h.id} title={`${h.method} ${readablePath(h)}`}>
                    <span class={`method-chip m-${h.method.toLowerCase()}`}>{h.method}</span> <span class="pane-name">{readablePath(h)}</span>
                    <span class={`status-chip tone-${tone(h.status)}`}>{h.status ?? "failed"}</span>
                    <span class="pane-time">{clockTime(Math.floor(h.at_unix_ms / 1000))}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
        {history.length > 0 && (
          <button type="button" class="small" onClick={props.onClearHistory}>
            Clear history
          </button>
        )}
      </section>
      {editing && (
        <SaveRequestDialog
          title={editing.what === "rename" ? "Rename saved request" : "Move saved request"}
          action={editing.what === "rename" ? "Rename" : "Move"}
          suggestedName={editing.what === "rename" ? editing.request.name : null}
          folder={editing.what === "move" ? editing.request.folder.join(" / ") : null}
          folders={props.folders}
          onClose={() => setEditing(null)}
          onSave={async (name, folder) => {
            const change =
              editing.what === "rename"
                ? await api.renameSavedRequest(props.profileId, editing.request.id, name)
                : await api.moveSavedRequest(props.profileId, editing.request.id, folder);
            props.onSavedChanged(change.requests);
            setEditing(null);
          }}
        />
      )}
    </aside>
  );
}
