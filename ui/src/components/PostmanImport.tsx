// "Import from Postman…" in the sidebar: a collection or an environment (with, for a
// collection, an environment to apply), secrets kept in the keychain only when ticked, and the
// import report afterwards.
import { useState } from "preact/hooks";
import { errorMessage, type AppSnapshot } from "../api";
import { importPostman, type ImportReport } from "../interop-api";
import { Lines, Overlay } from "./Overlay";

interface Props {
  onSnapshot: (s: AppSnapshot) => void;
  onError: (message: string) => void;
}

export function PostmanImport({ onSnapshot, onError }: Props) {
  const [asking, setAsking] = useState(false);
  const [keepSecrets, setKeepSecrets] = useState(false);
  const [withEnvironment, setWithEnvironment] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);

  const start = () =>
    importPostman(keepSecrets, withEnvironment).then(
      (done) => {
        if (!done) return;
        onSnapshot(done.snapshot);
        setReport(done.report);
        setAsking(false);
      },
      (err) => onError(errorMessage(err)),
    );

  return (
    <>
      {asking ? (
        <div class="postman-import" role="group" aria-label="Import from Postman" style={{ display: "grid", gap: "6px", marginBottom: "8px", fontSize: "13px" }}>
          <label class="checkbox">
            <input type="checkbox" checked={keepSecrets} onChange={(e) => setKeepSecrets(e.currentTarget.checked)} /> Keep the file's client secret and password in the system keychain
          </label>
          <label class="checkbox">
            <input type="checkbox" checked={withEnvironment} onChange={(e) => setWithEnvironment(e.currentTarget.checked)} /> Then choose a Postman environment to use with a collection
          </label>
          <button type="button" class="small primary" onClick={start} data-testid="postman-choose-file">
            Choose file…
          </button>
          <button type="button" class="small" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div class="transfer">
          <button type="button" class="small" onClick={() => setAsking(true)} data-testid="import-postman">
            Import from Postman…
          </button>
        </div>
      )}
      {report && (
        <Overlay title="Imported from Postman" testId="import-report" onClose={() => setReport(null)}>
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
        </Overlay>
      )}
    </>
  );
}
