// The profile's title, with rename, duplicate and delete (after a confirmation).
import { useState } from "preact/hooks";
import * as api from "../api";
import type { AppSnapshot, ProfileView } from "../api";
import { ProfileInterop } from "./ProfileInterop";

interface Props {
  view: ProfileView;
  subtitle: string;
  onSnapshot: (s: AppSnapshot) => void;
  onError: (message: string) => void;
}

export function ProfileHeader({ view, subtitle, onSnapshot, onError }: Props) {
  const { profile } = view;
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(profile.name);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const run = (action: () => Promise<AppSnapshot>) => action().then(onSnapshot, (e) => onError(api.errorMessage(e)));

  return (
    <header class="profile-header">
      {renaming ? (
        <form
          class="rename"
          onSubmit={(e) => {
            e.preventDefault();
            run(() => api.renameProfile(profile.id, name)).then(() => setRenaming(false));
          }}
        >
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} aria-label="Profile name" autoFocus />
          <button type="submit" class="primary small">
            Save
          </button>
          <button type="button" class="small" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <h1>{profile.name}</h1>
      )}
      <p class="subtle">{subtitle}</p>
      <div class="header-actions">
        <button type="button" class="small" onClick={() => { setName(profile.name); setRenaming(true); }}>
          Rename
        </button>
        <button type="button" class="small" onClick={() => run(() => api.duplicateProfile(profile.id))}>
          Duplicate
        </button>
        {profile.environment.kind === "built_in_sandbox" ? null : confirmDelete ? (
          <span class="confirm" role="alertdialog" aria-label="Confirm delete">
            Delete “{profile.name}” with its saved secrets, history and saved requests?
            <button type="button" class="danger small" onClick={() => run(() => api.deleteProfile(profile.id))} data-testid="confirm-delete">
              Delete
            </button>
            <button type="button" class="small" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" class="small danger-outline" onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        )}
        <ProfileInterop profile={profile} onSnapshot={onSnapshot} onError={onError} />
      </div>
    </header>
  );
}
