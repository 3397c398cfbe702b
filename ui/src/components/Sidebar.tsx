// The profiles sidebar: every profile with where it connects, and the sandbox's status.
import { useState } from "preact/hooks";
import { addProfile, errorMessage, exportProfiles, importProfiles, type AppSnapshot } from "../api";
import { describeEnvironment } from "../methods";
import { PostmanImport } from "./PostmanImport";

interface Props {
  snapshot: AppSnapshot;
  selectedId: string | null;
  onSelect: (id: string) => void;
  onSnapshot: (s: AppSnapshot) => void;
  onError: (message: string) => void;
}

export function Sidebar({ snapshot, selectedId, onSelect, onSnapshot, onError }: Props) {
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState("");
  const [transferNote, setTransferNote] = useState<string | null>(null);
  const doExport = () =>
    exportProfiles().then(
      (path) => setTransferNote(path ? `Exported to ${path} (no secrets).` : null),
      (err) => onError(errorMessage(err)),
    );
  const doImport = () =>
    importProfiles().then(
      (report) => {
        if (!report) return;
        onSnapshot(report.snapshot);
        const names = report.imported.map((i) => (i.renamed_from ? `${i.name} (was ${i.renamed_from})` : i.name));
        setTransferNote(`Imported ${names.length} profile${names.length === 1 ? "" : "s"}: ${names.join(", ")}.`);
      },
      (err) => onError(errorMessage(err)),
    );
  const add = (e: Event) => {
    e.preventDefault();
    addProfile(name).then(
      (s) => {
        onSnapshot(s);
        setAdding(false);
        setName("");
      },
      (err) => onError(errorMessage(err)),
    );
  };
  return (
    <aside class="sidebar" aria-label="Profiles">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true" />
        <span class="brand-name">ScopeStack Companion</span>
      </div>
      <h2 class="sidebar-heading" id="profiles-heading">
        Profiles
      </h2>
      <ul class="profile-list" aria-labelledby="profiles-heading">
        {snapshot.profiles.map((view) => {
          const active = view.profile.id === selectedId;
          return (
            <li key={view.profile.id}>
              <button
                type="button"
                class={active ? "profile-item active" : "profile-item"}
                aria-current={active ? "true" : undefined}
                data-profile-id={view.profile.id}
                onClick={() => onSelect(view.profile.id)}
              >
                <span class="profile-name">{view.profile.name}</span>
                <span class="profile-env">{describeEnvironment(view)}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {adding ? (
        <form class="new-profile" onSubmit={add}>
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="Profile name, e.g. Acme" aria-label="New profile name" autoFocus />
          <button type="submit" class="primary small" disabled={!name.trim()}>
            Add
          </button>
          <button type="button" class="small" onClick={() => setAdding(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" class="new-profile-button" onClick={() => setAdding(true)}>
          + New profile
        </button>
      )}
      <div class="transfer">
        <button type="button" class="small" onClick={doImport}>
          Import…
        </button>
        <button type="button" class="small" onClick={doExport}>
          Export…
        </button>
      </div>
      <PostmanImport onSnapshot={onSnapshot} onError={onError} />
      {transferNote && (
        <p class="transfer-note" role="status" data-testid="transfer-note">
          {transferNote}
        </p>
      )}
      <div class="sidebar-footer" role="status" aria-live="polite">
        {snapshot.sandbox.state === "running" ? (
          <span class="status ok" title={snapshot.sandbox.base_url}>
            <span class="dot" aria-hidden="true" /> Sandbox running on {new URL(snapshot.sandbox.base_url).host}
          </span>
        ) : (
          <span class="status bad" title={snapshot.sandbox.message}>
            <span class="dot" aria-hidden="true" /> Sandbox not running
          </span>
        )}
      </div>
    </aside>
  );
}
