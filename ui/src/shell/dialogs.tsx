// The dialogs the header's menus open: new profile, rename, delete, export a Postman environment,
// import from Postman (and its report), an opened support bundle, keyboard shortcuts, about.
import { useEffect, useState } from "preact/hooks";
import * as api from "../api";
import type { AppSnapshot, Profile } from "../api";
import { useElapsedMs } from "../components/common";
import { Dialog, DialogActions, FormError } from "../components/Dialog";
import { exportPostmanEnvironment, importPostman, type BundleOpened, type ImportReport } from "../interop-api";
import { duration, size } from "../format";
import { SHORTCUTS } from "../shortcuts";

export type DialogRequest =
  | { kind: "new-profile" }
  | { kind: "rename" }
  | { kind: "delete" }
  | { kind: "export-environment" }
  | { kind: "postman-import" }
  | { kind: "import-report"; report: ImportReport }
  | { kind: "bundle-opened"; opened: BundleOpened }
  | { kind: "shortcuts" }
  | { kind: "about" };

interface Props {
  request: DialogRequest;
  profile: Profile;
  onClose: () => void;
  onSnapshot: (s: AppSnapshot) => void;
  /** A line for the window's status area ("Exported to …"). */
  onNote: (note: string) => void;
  onError: (message: string) => void;
  /** Opens another dialog in this one's place (the Postman import's report), on whichever
   * profile's screen is shown next. */
  onDialog: (d: DialogRequest) => void;
}

export function ShellDialog(props: Props) {
  const { request, onClose } = props;
  switch (request.kind) {
    case "new-profile":
      return <NameDialog title="New profile" label="Profile name" initial="" placeholder="e.g. Acme production" action="Add profile" run={(name) => api.addProfile(name)} {...props} />;
    case "rename":
      return <NameDialog title="Rename profile" label="Profile name" initial={props.profile.name} action="Rename" run={(name) => api.renameProfile(props.profile.id, name)} {...props} />;
    case "delete":
      return <DeleteDialog {...props} />;
    case "export-environment":
      return <ExportEnvironmentDialog {...props} />;
    case "postman-import":
      return <PostmanImportDialog {...props} />;
    case "import-report":
      return <ImportReportDialog report={request.report} onClose={onClose} />;
    case "bundle-opened":
      return <BundleOpenedDialog opened={request.opened} onClose={onClose} />;
    case "shortcuts":
      return (
        <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-dialog">
          <table class="shortcuts-table">
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <kbd>{s.keys}</kbd>
                  </th>
                  <td>{s.what}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">
                  <kbd>Enter</kbd>
                </th>
                <td>In the address: send the request</td>
              </tr>
            </tbody>
          </table>
          <CloseRow onClose={onClose} />
        </Dialog>
      );
    case "about":
      return (
        <Dialog title="About ScopeStack Companion" onClose={onClose} testId="about-dialog">
          <p>Gets, keeps and uses ScopeStack API access tokens: browser login, client credentials or password; secrets stay in the system keychain.</p>
          <p class="subtle">A built-in sandbox imitates ScopeStack on this computer, so everything can be tried offline.</p>
          <CloseRow onClose={onClose} />
        </Dialog>
      );
  }
}

function CloseRow({ onClose, testId }: { onClose: () => void; testId?: string }) {
  return (
    <div class="actions dialog-actions">
      <button type="button" class="primary" onClick={onClose} data-testid={testId}>
        Close
      </button>
    </div>
  );
}

function NameDialog(props: Props & { title: string; label: string; initial: string; placeholder?: string; action: string; run: (name: string) => Promise<AppSnapshot> }) {
  const [name, setName] = useState(props.initial);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    props.run(name).then(
      (s) => {
        props.onSnapshot(s);
        props.onClose();
      },
      (err) => setError(api.errorMessage(err)),
    );
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} testId="name-dialog">
      <form onSubmit={submit} class="dialog-form">
        <label class="field">
          <span>{props.label}</span>
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder={props.placeholder} data-testid="name-input" />
        </label>
        <FormError error={error} />
        <DialogActions onCancel={props.onClose}>
          <button type="submit" class="primary" disabled={!name.trim()} data-testid="name-submit">
            {props.action}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function DeleteDialog({ profile, onClose, onSnapshot, onError }: Props) {
  return (
    <Dialog title={`Delete “${profile.name}”?`} onClose={onClose} testId="delete-dialog" initialFocus="[data-keep]">
      <p>Its saved secrets, history and saved requests go with it. This cannot be undone.</p>
      <div class="actions dialog-actions">
        <button
          type="button"
          class="danger"
          data-testid="confirm-delete"
          onClick={() =>
            api.deleteProfile(profile.id).then(
              (s) => {
                onSnapshot(s);
                onClose();
              },
              (e) => {
                onError(api.errorMessage(e));
                onClose();
              },
            )
          }
        >
          Delete
        </button>
        <button type="button" data-keep onClick={onClose}>
          Keep it
        </button>
      </div>
    </Dialog>
  );
}

function ExportEnvironmentDialog({ profile, onClose, onNote, onError }: Props) {
  const [includeToken, setIncludeToken] = useState(false);
  const run = () =>
    exportPostmanEnvironment(profile.id, includeToken).then(
      (path) => {
        if (!path) return;
        onNote(`Postman environment saved to ${path}${includeToken ? ", with the current access token: keep the file safe." : " (no token)."}`);
        onClose();
      },
      (e) => onError(api.errorMessage(e)),
    );
  return (
    <Dialog title="Export Postman environment" onClose={onClose} testId="export-environment-dialog">
      <p>The profile's URLs, client ID and variables, for Postman. Secrets are never written.</p>
      <label class="checkbox">
        <input type="checkbox" checked={includeToken} onChange={(e) => setIncludeToken(e.currentTarget.checked)} data-testid="include-token" /> Include the current access token (anyone
        with the file can use it)
      </label>
      <DialogActions onCancel={onClose}>
        <button type="button" class="primary" onClick={run} data-testid="export-postman-confirm">
          Choose where to save…
        </button>
      </DialogActions>
    </Dialog>
  );
}

function PostmanImportDialog({ onClose, onSnapshot, onError, onDialog }: Props) {
  const [keepSecrets, setKeepSecrets] = useState(false);
  const [withEnvironment, setWithEnvironment] = useState(false);
  const [busy, setBusy] = useState(false);
  const start = () => {
    setBusy(true);
    importPostman(keepSecrets, withEnvironment).then(
      (done) => {
        setBusy(false);
        if (!done) return;
        // The report first: the snapshot may show another profile, whose screen takes it over.
        onDialog({ kind: "import-report", report: done.report });
        onSnapshot(done.snapshot);
      },
      (err) => {
        setBusy(false);
        onError(api.errorMessage(err));
        onClose();
      },
    );
  };
  return (
    <Dialog title="Import from Postman" onClose={onClose} testId="postman-import-dialog">
      <p>A Postman collection or environment becomes a profile, with the collection's requests saved in it.</p>
      <label class="checkbox">
        <input type="checkbox" checked={keepSecrets} onChange={(e) => setKeepSecrets(e.currentTarget.checked)} /> Keep the file's client secret and password in the system keychain
      </label>
      <label class="checkbox">
        <input type="checkbox" checked={withEnvironment} onChange={(e) => setWithEnvironment(e.currentTarget.checked)} /> Then choose a Postman environment to use with a collection
      </label>
      {busy && <ImportWork />}
      <DialogActions onCancel={onClose}>
        <button type="button" class="primary" onClick={start} disabled={busy} data-testid="postman-choose-file">
          Choose file…
        </button>
      </DialogActions>
    </Dialog>
  );
}

function ImportReportDialog({ report, onClose }: { report: ImportReport; onClose: () => void }) {
  return (
    <Dialog title="Imported from Postman" onClose={onClose} testId="import-report">
      <p>
        {report.created_profile ? "Created the profile" : "Filled the profile"} <strong>{report.profile_name}</strong>
        {report.renamed_from ? ` (“${report.renamed_from}” was taken)` : ""}
        {report.saved_requests > 0 ? ` with ${report.saved_requests} saved request${report.saved_requests === 1 ? "" : "s"}` : ""}.
      </p>
      {report.variables.length > 0 && <p class="subtle">Profile variables: {report.variables.join(", ")}</p>}
      <Lines title="What became what" lines={report.became} />
      <Lines title="Secrets" lines={report.secrets} />
      <Lines title="Sent without the token" lines={report.other_hosts} />
      <Lines title="Not imported" lines={report.skipped} />
      <CloseRow onClose={onClose} testId="import-report-close" />
    </Dialog>
  );
}

function BundleOpenedDialog({ opened, onClose }: { opened: BundleOpened; onClose: () => void }) {
  return (
    <Dialog title="Support bundle opened" onClose={onClose} testId="bundle-report">
      <p>
        Made {opened.made_at} by ScopeStack Companion {opened.app_version} on {opened.system}. The profile <strong>{opened.profile_name}</strong> now holds its settings,
        and its {opened.exchanges.length} exchange{opened.exchanges.length === 1 ? "" : "s"} are in its history.
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
      <CloseRow onClose={onClose} testId="bundle-report-close" />
    </Dialog>
  );
}

/** A titled list, left out when empty. */
function Lines({ title, lines }: { title: string; lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </>
  );
}

/** While a Postman import runs: the file being chosen, then which file is read and for how long. */
function ImportWork() {
  const [file, setFile] = useState<{ file: string; bytes: number } | null>(null);
  const elapsed = useElapsedMs();
  useEffect(() => {
    const unlisten = api.events.importProgress.listen((e) => setFile(e.payload));
    return () => void unlisten.then((f) => f());
  }, []);
  return (
    <div class="send-progress" data-testid="import-work">
      <p class="progress">
        {file ? (
          <>
            <span class="spinner" aria-hidden="true" /> Importing {file.file} ({size(file.bytes)})… {duration(elapsed)}
          </>
        ) : (
          "Choose the file in the window that opened."
        )}
      </p>
      <span class="visually-hidden" role="status">
        {file ? `Importing ${file.file}` : "Choose the file"}
      </span>
      {file && <progress aria-label="Importing" />}
    </div>
  );
}
