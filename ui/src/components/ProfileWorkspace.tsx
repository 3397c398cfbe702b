// The selected profile's workspace: get a token, see it, verify it, and (soon) send requests.
import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "../api";
import type { AppSnapshot, DemoData, Identity, ProfileStatus, ProfileView, Progress, SandboxStatus } from "../api";
import { describeEnvironment } from "../methods";
import { Card } from "./common";
import { ProfileHeader } from "./ProfileHeader";
import { SandboxGuide } from "./SandboxGuide";
import { TokenForm, type MethodSwitch, type TokenRequest } from "./TokenForm";
import { TokenPanel } from "./TokenPanel";
import { VerifyPanel } from "./VerifyPanel";
import { RequestPanel } from "../request/RequestPanel";
import { useFirstViewShown } from "../ready";

interface Props {
  view: ProfileView;
  sandbox: SandboxStatus;
  demo: DemoData;
  onSnapshot: (s: AppSnapshot) => void;
}

export function ProfileWorkspace({ view, sandbox, demo, onSnapshot }: Props) {
  const { profile, endpoints } = view;
  const id = profile.id;
  const isSandbox = profile.environment.kind === "built_in_sandbox";
  const [status, setStatus] = useState<ProfileStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [tokenError, setTokenError] = useState<api.UiError | null>(null);
  const [verifyError, setVerifyError] = useState<api.UiError | null>(null);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [callback, setCallback] = useState("");
  const belowTheFold = useFirstViewShown();

  const showStatus = (s: ProfileStatus) => {
    setStatus(s);
    setIdentity(s.identity);
  };
  const refresh = () => api.profileStatus(id).then(showStatus, (e) => setTokenError(api.describe(e)));

  // The workspace is keyed by the profile (app.tsx): another profile mounts a new one, so there is
  // nothing of the last one to forget here.
  useEffect(() => {
    refresh();
    api.callbackUrl(id).then(setCallback, () => setCallback(""));
    const unlisten = [
      api.events.tokenProgress.listen((e) => { if (e.payload.profile_id === id) setProgress(e.payload); }),
      api.events.tokenRenewed.listen((e) => { if (e.payload === id) refresh(); }),
    ];
    return () => unlisten.forEach((p) => p.then((f) => f()));
  }, [id]);

  const verify = async () => {
    setVerifying(true);
    setVerifyError(null);
    try {
      setIdentity(await api.verifyToken(id));
    } catch (e) {
      setIdentity(null);
      setVerifyError(api.describe(e));
    } finally {
      setVerifying(false);
      refresh();
    }
  };

  const afterNewToken = async (s: ProfileStatus) => {
    setStatus(s);
    if (s.token) {
      setProgress({ profile_id: id, stage: "verifying" });
      await verify();
    }
  };

  const lastRequest = useRef<TokenRequest | null>(null);
  // A fix that changes how the token is got: the token form switches to that method.
  const [methodSwitch, setMethodSwitch] = useState<MethodSwitch | null>(null);
  const fix = async (f: api.Fix): Promise<void> => {
    if (f.kind === "renew_token") {
      const s = await guard(() => api.renewToken(id));
      if (s) setStatus(s);
    } else if (f.kind === "use_session_only_vault") await api.useSessionOnlyVault().then(refresh);
    else if ((f.kind === "retry" || f.kind === "retry_after") && lastRequest.current) await submit(lastRequest.current);
    else if (f.kind === "sign_in_again") document.querySelector<HTMLButtonElement>("[data-testid=get-token]")?.focus();
    else if (f.kind === "switch_method") setMethodSwitch({ method: f.to, at: Date.now() });
    // The app's password method never sends a callback URL: switching to it is the whole fix.
    else if (f.kind === "switch_to_password_without_redirect_uri") setMethodSwitch({ method: "password", at: Date.now() });
    else if (f.kind === "confirm_kept_secrets") {
      const s = await guard(() => api.confirmKeptSecrets(id));
      if (s) setStatus(s);
    }
  };

  const submit = async ({ edit, secrets }: TokenRequest) => {
    lastRequest.current = { edit, secrets };
    setBusy(true);
    setTokenError(null);
    setVerifyError(null);
    setProgress(null);
    try {
      onSnapshot(await api.updateProfile(edit));
      api.callbackUrl(id).then(setCallback, () => {});
      await afterNewToken(await api.getToken(id, secrets));
    } catch (e) {
      setTokenError(api.describe(e));
      // The settings may have moved the profile's URLs: its token is then gone, and kept secrets
      // may wait for the user's word. Show the profile as it is now, not as before.
      // (Its own failure would only hide the token error above.)
      api.profileStatus(id).then(showStatus, () => {});
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const guard = async <T,>(action: () => Promise<T>): Promise<T | null> => {
    setTokenError(null);
    try {
      return await action();
    } catch (e) {
      setTokenError(api.describe(e));
      return null;
    }
  };

  const meUrl = endpoints ? new URL("v1/me", endpoints.api_url.endsWith("/") ? endpoints.api_url : endpoints.api_url + "/").toString() : "/v1/me";

  return (
    <div class="profile-workspace" data-profile-id={id} data-status={status ? "loaded" : "loading"}>
      <ProfileHeader view={view} subtitle={describeEnvironment(view)} onSnapshot={onSnapshot} onError={(message) => setTokenError({ message })} />

      {isSandbox && sandbox.state === "failed" && (
        <div class="notice" role="alert">
          The built-in sandbox could not start: {sandbox.message}
        </div>
      )}
      {status?.vault_error && (
        <div class="notice" role="alert">
          {status.vault_error}{" "}
          <button type="button" class="small" onClick={() => api.useSessionOnlyVault().then(refresh)}>
            Keep secrets for this session only
          </button>
        </div>
      )}

      {status?.secrets.moved && (
        <div class="secrets-moved" role="alert" data-testid="secrets-moved">
          <p>
            <strong>
              Your kept {status.secrets.moved.secrets.join(" and ")} {status.secrets.moved.secrets.length > 1 ? "were" : "was"} given for {status.secrets.moved.given_for}.
            </strong>{" "}
            This profile now gets its tokens from <strong>{status.secrets.moved.now}</strong>, so the app holds {status.secrets.moved.secrets.length > 1 ? "them" : "it"} back. If you did
            not change the token URL yourself, check it before going on.
          </p>
          <div class="actions">
            <button type="button" class="small" data-testid="confirm-kept-secrets" onClick={() => fix({ kind: "confirm_kept_secrets", given_for: status.secrets.moved!.given_for, now: status.secrets.moved!.now })}>
              Send {status.secrets.moved.secrets.length > 1 ? "them" : "it"} to {status.secrets.moved.now}
            </button>
            <span class="subtle">Or enter the {status.secrets.moved.secrets.join(" and ")} again below.</span>
          </div>
        </div>
      )}

      <Card id="token" step={1} title="Get an access token">
        <TokenForm
          view={view}
          status={status}
          demo={demo}
          busy={busy}
          progress={progress}
          error={tokenError}
          callbackUrl={callback}
          onSubmit={submit}
          onCancel={() => api.cancelSignIn(id)}
          onFinishPaste={async (url, secrets) => {
            setBusy(true);
            const s = await guard(() => api.finishPastedSignIn(id, url, secrets));
            setBusy(false);
            if (s) await afterNewToken(s);
          }}
          onOpenSignIn={() => guard(() => api.openSignInUrl(id))}
          onForgetSession={() => guard(() => api.forgetSignInSession(id))}
          onDismissError={() => setTokenError(null)}
          onFix={fix}
          methodSwitch={methodSwitch}
        />
        {status?.token && identity && !busy && (
          <p class="success-note" role="status" data-testid="success">
            <span aria-hidden="true">✓</span> Token ready and verified: {identity.name || identity.email} in account <code>{identity.account_slug}</code>.
          </p>
        )}
      </Card>

      {status?.token && (
        <Card id="current-token" title="Your access token" badge={status.vault_mode === "session_only" && <span class="badge">This session only</span>}>
          <TokenPanel
            status={status}
            busy={busy}
            onReveal={() => guard(() => api.revealToken(id))}
            onCopy={(asHeader) => guard(() => api.copyToken(id, asHeader))}
            onRenew={async () => {
              const s = await guard(() => api.renewToken(id));
              if (s) setStatus(s);
              else refresh();
            }}
            onRevoke={async () => {
              const outcome = await guard(() => api.revokeToken(id));
              if (outcome && !outcome.revoked_on_server) setTokenError({ message: "Deleted locally; this server cannot revoke, so the token keeps working there until it expires." });
              setIdentity(null);
              refresh();
            }}
            onAutoRenew={(enabled) => guard(() => api.setAutoRenew(id, enabled)).then(refresh)}
          />
        </Card>
      )}

      <Card id="verify" step={2} title="Verify it worked">
        <VerifyPanel identity={identity} error={verifyError} busy={verifying || busy} hasToken={!!status?.token} meUrl={meUrl} onVerify={verify} onFix={fix} />
      </Card>

      <Card id="request" step={3} title="Send a request">
        {belowTheFold && <RequestPanel profileId={id} apiUrl={endpoints?.api_url ?? null} onProfileFix={fix} />}
      </Card>

      {isSandbox && belowTheFold && <SandboxGuide demo={demo} />}
    </div>
  );
}
