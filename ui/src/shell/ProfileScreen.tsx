// Everything the window shows for the chosen profile: the header, the connection bar, and the
// Sign-in or Requests view (Sign-in while there is no token, Requests once there is one; the
// header's switch changes it). Both views stay mounted once shown, so request tabs survive.
import { useEffect, useState } from "preact/hooks";
import * as api from "../api";
import type { AppSnapshot, ProfileView } from "../api";
import { openSupportBundle, exportSupportBundle } from "../interop-api";
import { ConnectionBar, productionAccount } from "../session/ConnectionBar";
import { useProfileSession } from "../session/useProfileSession";
import { useShortcut } from "../shortcuts";
import { ShellDialog, type DialogRequest } from "./dialogs";
import { RequestsView } from "./RequestsView";
import { SignInView } from "./SignInView";
import { WindowHeader, type ViewName } from "./WindowHeader";

/** What one screen hands the next when an action also changes the profile shown (an opened
 * support bundle, a Postman import): a dialog to show, and whether to land on the failing
 * exchange of the history once it is closed. */
export interface Handoff {
  dialog: DialogRequest;
  landOnFailing?: boolean;
}

interface Props {
  snapshot: AppSnapshot;
  view: ProfileView;
  onSnapshot: (s: AppSnapshot) => void;
  onSelectProfile: (id: string) => void;
  /** An error from outside the profile (the app could not switch profiles…). */
  appError: string | null;
  handoff: Handoff | null;
  onHandoff: (h: Handoff | null) => void;
}

export function ProfileScreen({ snapshot, view, onSnapshot, onSelectProfile, appError, handoff, onHandoff }: Props) {
  const session = useProfileSession(view, onSnapshot);
  const [chosenView, setChosenView] = useState<ViewName | null>(null);
  const [requestsOpened, setRequestsOpened] = useState(false);
  const [dialog, setDialog] = useState<DialogRequest | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const status = session.status;
  // The view to open on is decided once, when the profile's status first arrives: Sign-in
  // without a token, Requests with one. After that only the user (or a fix) changes it. (Read from
  // the state as it is when applied: a view the user chose between the status's arrival and this
  // effect, which runs a frame later, stays chosen.)
  useEffect(() => {
    if (status) setChosenView((chosen) => chosen ?? (status.token ? "requests" : "sign-in"));
  }, [status]);
  // The built-in sandbox starts afresh with the app, so it has no token at launch: its Sign-in view
  // shows at once, without waiting for the keychain's answer (the window's first frame).
  const isSandbox = view.profile.environment.kind === "built_in_sandbox";
  const current: ViewName | null = chosenView ?? (status ? (status.token ? "requests" : "sign-in") : isSandbox ? "sign-in" : null);
  useEffect(() => {
    if (current === "requests") setRequestsOpened(true);
  }, [current]);
  // A fix that needs the token form (sign in again, another method) shows the Sign-in view.
  useEffect(() => {
    if (session.methodSwitch) setChosenView("sign-in");
  }, [session.methodSwitch?.at]);

  useShortcut("shortcuts", () => setDialog({ kind: "shortcuts" }));

  // A dialog handed over by the screen before (or by this one, across a change of profile).
  const [landOnFailing, setLandOnFailing] = useState(false);
  const [landing, setLanding] = useState(false);
  useEffect(() => {
    if (!handoff) return;
    setDialog(handoff.dialog);
    setLandOnFailing(!!handoff.landOnFailing);
    onHandoff(null);
  }, [handoff]);
  const closeDialog = () => {
    setDialog(null);
    // An opened support bundle: once its report is read, show its failing exchange.
    if (landOnFailing) {
      setLandOnFailing(false);
      setLanding(true);
      setChosenView("requests");
    }
  };

  const showSignIn = () => {
    setChosenView("sign-in");
    requestAnimationFrame(() => document.querySelector<HTMLElement>(".sign-in-view input[name=method]:checked, [data-testid=get-another-token]")?.focus());
  };
  const failed = (e: unknown) => setError(api.errorMessage(e));

  return (
    <div class={current === "requests" ? "screen fills-window" : "screen"} data-profile-id={view.profile.id} data-status={status ? "loaded" : "loading"}>
      <div class="screen-top">
        <WindowHeader
          snapshot={snapshot}
          view={view}
          current={current ?? "sign-in"}
          onView={setChosenView}
          onSelectProfile={onSelectProfile}
          onDialog={setDialog}
          onDuplicate={() => api.duplicateProfile(view.profile.id).then(onSnapshot, failed)}
          onSaveBundle={() =>
            exportSupportBundle(view.profile.id).then(
              (done) => done && setNote(`Support bundle saved to ${done.path}: ${done.exchanges} exchange${done.exchanges === 1 ? "" : "s"}, every secret removed.`),
              failed,
            )
          }
          onOpenBundle={() =>
            openSupportBundle().then((done) => {
              if (!done) return;
              onHandoff({ dialog: { kind: "bundle-opened", opened: done }, landOnFailing: true });
              onSnapshot(done.snapshot);
            }, failed)
          }
          onImportProfiles={() =>
            api.importProfiles().then((report) => {
              if (!report) return;
              onSnapshot(report.snapshot);
              const names = report.imported.map((i) => (i.renamed_from ? `${i.name} (was ${i.renamed_from})` : i.name));
              setNote(`Imported ${names.length} profile${names.length === 1 ? "" : "s"}: ${names.join(", ")}.`);
            }, failed)
          }
          onExportProfiles={() => api.exportProfiles().then((path) => path && setNote(`Exported to ${path} (no secrets).`), failed)}
        />
        <ConnectionBar session={session} onSignIn={current === "sign-in" ? null : showSignIn} />
        {(snapshot.notice || appError || error || note) && (
          <div class="messages">
            {snapshot.notice && (
              <div class="notice" role="alert">
                {snapshot.notice}
              </div>
            )}
            {(appError || error) && (
              <div class="notice" role="alert">
                {appError ?? error}{" "}
                <button type="button" class="link" onClick={() => setError(null)}>
                  Dismiss
                </button>
              </div>
            )}
            {note && (
              <p class="transfer-note" role="status" data-testid="transfer-note">
                <span data-testid="interop-note">{note}</span>{" "}
                <button type="button" class="link" onClick={() => setNote(null)}>
                  Dismiss
                </button>
              </p>
            )}
          </div>
        )}
      </div>
      <main class="view-area" aria-label={current === "requests" ? "Requests" : "Sign-in"}>
        {current === null && (
          <p class="subtle loading-view" role="status">
            Loading the profile…
          </p>
        )}
        {current === "sign-in" && <SignInView session={session} demo={snapshot.demo} sandbox={snapshot.sandbox} onTryRequest={() => setChosenView("requests")} />}
        {requestsOpened && (
          <div hidden={current !== "requests"} class="requests-holder">
            <RequestsView
              profileId={view.profile.id}
              apiUrl={view.endpoints?.api_url ?? null}
              onProfileFix={session.fix}
              shown={current === "requests"}
              landOnFailing={landing}
              onLanded={() => setLanding(false)}
              guard={view.profile.account_kind === "production" ? { account: productionAccount(session) } : null}
              profileName={view.profile.name}
            />
          </div>
        )}
      </main>
      {dialog && (
        <ShellDialog
          request={dialog}
          profile={view.profile}
          onClose={closeDialog}
          onSnapshot={onSnapshot}
          onNote={setNote}
          onError={setError}
          onDialog={(d) => onHandoff({ dialog: d })}
        />
      )}
    </div>
  );
}
