// The window's layout: the profiles sidebar and the selected profile's workspace.
import { useEffect, useState } from "preact/hooks";
import { errorMessage, selectProfile, type AppSnapshot } from "./api";
import { Sidebar } from "./components/Sidebar";
import { ProfileWorkspace } from "./components/ProfileWorkspace";

interface Props {
  /** The profiles, if they had arrived by the first render. */
  initial: AppSnapshot | null;
  /** The first request for them, asked before the first render. */
  first: Promise<AppSnapshot>;
}

export function App({ initial, first }: Props) {
  const [snapshot, setSnapshot] = useState<AppSnapshot | null>(initial);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!initial) first.then(setSnapshot, (e) => setError(errorMessage(e)));
  }, []);

  const choose = (id: string) => {
    selectProfile(id).then(setSnapshot, (e) => setError(errorMessage(e)));
  };

  if (!snapshot) {
    return (
      <div class="loading" role="status">
        {error ? <p class="error-text">The app could not start: {error}</p> : <p>Starting…</p>}
      </div>
    );
  }

  const selected = snapshot.profiles.find((v) => v.profile.id === snapshot.selected) ?? snapshot.profiles[0];
  return (
    <div class="shell">
      <Sidebar snapshot={snapshot} selectedId={selected?.profile.id ?? null} onSelect={choose} onSnapshot={setSnapshot} onError={setError} />
      <main class="workspace" aria-label="Profile workspace">
        {snapshot.notice && (
          <div class="notice" role="alert">
            {snapshot.notice}
          </div>
        )}
        {error && (
          <div class="notice" role="alert">
            {error}
          </div>
        )}
        {selected ? (
          <ProfileWorkspace key={selected.profile.id} view={selected} sandbox={snapshot.sandbox} demo={snapshot.demo} onSnapshot={setSnapshot} />
        ) : (
          <p class="empty">No profiles yet.</p>
        )}
      </main>
    </div>
  );
}
