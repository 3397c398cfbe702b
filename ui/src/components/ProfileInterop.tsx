// The profile header's "Export Postman environment…" (the current token only when its box is
// ticked), "Support bundle…" and "Open support bundle…", with what each did.
import { useState } from "preact/hooks";
import { errorMessage, type AppSnapshot, type Profile } from "../api";
import { exportPostmanEnvironment, exportSupportBundle, openSupportBundle, type BundleOpened } from "../interop-api";
import { Overlay } from "./Overlay";

interface Props {
  profile: Profile;
  onSnapshot: (s: AppSnapshot) => void;
  onError: (message: string) => void;
}

export function ProfileInterop({ profile, onSnapshot, onError }: Props) {
  const [exporting, setExporting] = useState(false);
  const [includeToken, setIncludeToken] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [opened, setOpened] = useState<BundleOpened | null>(null);
  const failed = (err: unknown) => onError(errorMessage(err));

  const exportEnvironment = () =>
    exportPostmanEnvironment(profile.id, includeToken).then((path) => {
      if (!path) return;
      setNote(`Postman environment saved to ${path}${includeToken ? ", with the current access token: keep the file safe." : " (no token)."}`);
      setExporting(false);
      setIncludeToken(false);
    }, failed);
  const saveBundle = () =>
    exportSupportBundle(profile.id).then((done) => done && setNote(`Support bundle saved to ${done.path}: ${done.exchanges} exchange${done.exchanges === 1 ? "" : "s"}, every secret removed.`), failed);
  const openBundle = () =>
    openSupportBundle().then((done) => done && setOpened(done), failed);
  // The new profile is shown once the report is closed (switching profiles replaces this header).
  const closeReport = () => {
    if (opened) onSnapshot(opened.snapshot);
    setOpened(null);
  };

  return (
    <>
      {exporting ? (
        <span class="confirm" role="group" aria-label="Export Postman environment">
          <label class="checkbox">
            <input type="checkbox" checked={includeToken} onChange={(e) => setIncludeToken(e.currentTarget.checked)} data-testid="include-token" /> Include the current access token (anyone with the file can use it)
          </label>
          <button type="button" class="primary small" onClick={exportEnvironment} data-testid="export-postman-confirm">
            Export…
          </button>
          <button type="button" class="small" onClick={() => setExporting(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" class="small" onClick={() => setExporting(true)} data-testid="export-postman">
          Export Postman environment…
        </button>
      )}
      <button type="button" class="small" onClick={saveBundle} data-testid="support-bundle">
        Support bundle…
      </button>
      <button type="button" class="small" onClick={openBundle} data-testid="open-support-bundle">
        Open support bundle…
      </button>
      {note && (
        <p class="transfer-note" role="status" data-testid="interop-note">
          {note}
        </p>
      )}
      {opened && (
        <Overlay title="Support bundle opened" testId="bundle-report" onClose={closeReport}>
          <p>
            Made {opened.made_at} by ScopeStack Companion {opened.app_version} on {opened.system}. The profile <strong>{opened.profile_name}</strong> now holds its settings, and its{" "}
            {opened.exchanges.length} exchange{opened.exchanges.length === 1 ? "" : "s"} will be under Recent requests when you close this.
          </p>
          {opened.other_hosts.length > 0 && (
            <p data-testid="bundle-other-hosts">
              Some exchanges went to {opened.other_hosts.join(", ")}, not the profile's API: run again, they are sent <strong>without</strong> the token.
            </p>
          )}
          <ul>
            {opened.exchanges.map((e, i) => (
              <li key={i}>
                <code>{e.method}</code> {e.url} → {e.status ?? e.error ?? "no answer"}
                {e.diagnosis ? <span class="subtle"> — {e.diagnosis}</span> : null}
              </li>
            ))}
          </ul>
        </Overlay>
      )}
    </>
  );
}
