// The window: the chosen profile's screen (header, connection bar, Sign-in or Requests view),
// after the profiles have arrived. Keyboard shortcuts are listened for on the whole document.
import { useEffect, useState } from "preact/hooks";
import { errorMessage, selectProfile, type AppSnapshot } from "./api";
import { ProfileScreen, type Handoff } from "./shell/ProfileScreen";
import { installShortcuts } from "./shortcuts";

interface Props {
  /** The profiles, if they had arrived by the first render. */
  initial: AppSnapshot | null;
  /** The first request for them, asked before the first render. */
  first: Promise<AppSnapshot>;
}

export function App({ initial, first }: Props) {
  const [snapshot, setSnapshot] = useState<AppSnapshot | null>(initial);
  const [error, setError] = useState<string | null>(null);
  const [handoff, setHandoff] = useState<Handoff | null>(null);

  useEffect(() => {
    installShortcuts();
    if (!initial) first.then(setSnapshot, (e) => setError(errorMessage(e)));
  }, []);

  const choose = (id: string) => {
    setError(null);
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
  if (!selected) return <p class="empty">No profiles yet.</p>;
  // Keyed by the profile: another profile gets a new screen, with nothing of the last one.
  return <ProfileScreen key={selected.profile.id} snapshot={snapshot} view={selected} onSnapshot={setSnapshot} onSelectProfile={choose} appError={error} handoff={handoff} onHandoff={setHandoff} />;
}
