// The profiles sidebar: every profile with where it connects, and the sandbox's status.
import type { AppSnapshot } from "../api";
import { describeEnvironment } from "../methods";

interface Props {
  snapshot: AppSnapshot;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function Sidebar({ snapshot, selectedId, onSelect }: Props) {
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
