// The Sign-in view: one column. Without a token, the three method cards with only the fields the
// chosen one needs (Advanced closed); with one, "You're connected" with Copy token first and Try a
// request second, who and which account in plain sight, and the token's facts in expanders.
import { useEffect, useRef, useState } from "preact/hooks";
import type { DemoData, SandboxStatus } from "../api";
import { CopyButton, ErrorNote } from "../components/common";
import { SandboxGuide } from "../components/SandboxGuide";
import { TokenForm } from "../components/TokenForm";
import { ServerTokenDetails, TokenPanel } from "../components/TokenPanel";
import { useFirstViewShown } from "../ready";
import { ConnectionCheck } from "./ConnectionCheck";
import type { ProfileSession } from "../session/useProfileSession";

interface Props {
  session: ProfileSession;
  demo: DemoData;
  sandbox: SandboxStatus;
  onTryRequest: () => void;
}

export function SignInView({ session, demo, sandbox, onTryRequest }: Props) {
  const { status, identity, view } = session;
  const isSandbox = view.profile.environment.kind === "built_in_sandbox";
  const belowTheFold = useFirstViewShown();
  // "Get a different token" opens the form again over a working token.
  const [formWanted, setFormWanted] = useState(false);
  const connected = !!status?.token && session.work !== "getting" && !formWanted;
  // A fix that changes how the token is got (another method, sign in again) needs the form.
  useEffect(() => {
    if (session.methodSwitch) setFormWanted(true);
  }, [session.methodSwitch?.at]);
  const [copied, setCopied] = useState<string | null>(null);
  // A token just got: the focus goes to its first action, Copy token (the form it was in is gone).
  const wasConnected = useRef(connected);
  useEffect(() => {
    if (connected !== wasConnected.current) window.scrollTo?.({ top: 0 });
    if (connected && !wasConnected.current) document.querySelector<HTMLElement>("[data-testid=copy-token-main]")?.focus();
    wasConnected.current = connected;
  }, [connected]);
  // Opened with nothing focused (at launch, on another profile): start on the method choice, so
  // the way to a token is a few key presses.
  useEffect(() => {
    if (!connected && (document.activeElement === document.body || !document.activeElement)) {
      document.querySelector<HTMLInputElement>(".sign-in-view input[name=method]:checked")?.focus();
    }
  }, []);

  const copy = async () => {
    const clearAfter = await session.copyToken(false);
    if (clearAfter !== null) setCopied(`Copied. The clipboard is cleared in ${clearAfter} s.`);
  };

  return (
    <div class="sign-in-view" data-testid="sign-in-view">
      {isSandbox && sandbox.state === "failed" && (
        <div class="notice" role="alert">
          The built-in sandbox could not start: {sandbox.message}
        </div>
      )}
      {status?.vault_error && (
        <div class="notice" role="alert">
          {status.vault_error}{" "}
          <button type="button" class="small" onClick={() => session.useSessionOnlyVault()}>
            Keep secrets for this session only
          </button>
        </div>
      )}
      <SecretsMovedBanner session={session} />

      {connected ? (
        <section class="card connected-card" aria-labelledby="connected-heading">
          <h2 id="connected-heading" data-testid="success">
            <span class="ok-mark" aria-hidden="true">
              ✓
            </span>{" "}
            You're connected{identity ? ` as ${identity.name || identity.email}` : ""}
          </h2>
          {identity ? (
            <p class="connected-account">
              Account <code data-testid="account-slug">{identity.account_slug}</code> <CopyButton value={identity.account_slug} label="account slug" />
            </p>
          ) : (
            <p class="subtle">The token has not been checked against /v1/me yet.</p>
          )}
          {session.verifyError && <ErrorNote error={session.verifyError} onFix={session.fix} />}
          {session.tokenError && <ErrorNote error={session.tokenError} onFix={session.fix} onDismiss={session.dismissTokenError} />}
          <div class="actions">
            <button type="button" class="primary" onClick={copy} data-testid="copy-token-main">
              Copy token
            </button>
            <button type="button" onClick={onTryRequest} data-testid="try-request">
              Try a request
            </button>
            <button type="button" class="link" onClick={() => setFormWanted(true)} data-testid="get-another-token">
              Get a different token
            </button>
          </div>
          {copied && (
            <p class="subtle" role="status">
              {copied}
            </p>
          )}
          {identity && (
            <details class="expander" data-testid="identity-details">
              <summary>Who the token acts as</summary>
              <dl class="facts identity" data-testid="identity">
                <dt>Name</dt>
                <dd>{identity.name || "—"}</dd>
                <dt>Email</dt>
                <dd>{identity.email || "—"}</dd>
                <dt>Account ID</dt>
                <dd>
                  <code>{identity.account_id}</code> <CopyButton value={identity.account_id} label="account ID" />
                </dd>
                <dt>Privileges</dt>
                <dd>
                  {identity.privileges.length === 0
                    ? "none listed"
                    : identity.privileges.map((p) => (
                        <span key={p.privilege} class="chip">
                          {p.privilege}: {p.access_level}
                        </span>
                      ))}
                </dd>
              </dl>
              <button type="button" class="small" onClick={() => session.verify()} disabled={session.work !== "idle"} data-testid="verify">
                Check again with /v1/me
              </button>
            </details>
          )}
          <ServerTokenDetails profileId={view.profile.id} issuedAt={status!.token!.issued_at} />
          <details class="expander" data-testid="token-details">
            <summary>Token details</summary>
            <TokenPanel
              status={status!}
              busy={session.work !== "idle"}
              onReveal={session.revealToken}
              onCopy={session.copyToken}
              onRenew={session.renew}
              onRevoke={session.revoke}
              onAutoRenew={session.setAutoRenew}
              callbackUrl={session.callbackUrl}
            />
          </details>
        </section>
      ) : (
        <section class="card" aria-labelledby="token-heading">
          <div class="card-title">
            <h2 id="token-heading">Get an access token</h2>
            {formWanted && status?.token && (
              <button type="button" class="link" onClick={() => setFormWanted(false)}>
                Keep the current token
              </button>
            )}
          </div>
          <TokenForm
            view={view}
            status={status}
            demo={demo}
            busy={session.work === "getting"}
            progress={session.progress}
            error={session.tokenError}
            callbackUrl={session.callbackUrl}
            onSubmit={async (r) => {
              // Cleared as the request starts (the form stays while it runs), not when it ends:
              // "Get a different token" pressed as the last one lands must not be undone.
              setFormWanted(false);
              await session.submit(r);
            }}
            onCancel={session.cancelSignIn}
            onFinishPaste={session.finishPaste}
            onOpenSignIn={session.openSignIn}
            onForgetSession={session.forgetSession}
            onDismissError={session.dismissTokenError}
            onFix={session.fix}
            methodSwitch={session.methodSwitch}
            onAccountKind={(_, saved) => session.saveAccountKind(saved)}
          />
          {session.verifyError && <ErrorNote error={session.verifyError} onFix={session.fix} />}
        </section>
      )}

      {belowTheFold && <ConnectionCheck profileId={view.profile.id} onFix={session.fix} />}
      {isSandbox && belowTheFold && <SandboxGuide demo={demo} sandbox={sandbox} />}
    </div>
  );
}

/** Kept secrets held back because the token URL moved since they were given. */
function SecretsMovedBanner({ session }: { session: ProfileSession }) {
  const moved = session.status?.secrets.moved;
  if (!moved) return null;
  const many = moved.secrets.length > 1;
  return (
    <div class="secrets-moved" role="alert" data-testid="secrets-moved">
      <p>
        <strong>
          Your kept {moved.secrets.join(" and ")} {many ? "were" : "was"} given for {moved.given_for}.
        </strong>{" "}
        This profile now gets its tokens from <strong>{moved.now}</strong>, so the app holds {many ? "them" : "it"} back. If you did not change the token URL yourself, check it
        before going on.
      </p>
      <div class="actions">
        <button type="button" class="small" data-testid="confirm-kept-secrets" onClick={() => session.fix({ kind: "confirm_kept_secrets", given_for: moved.given_for, now: moved.now })}>
          Send {many ? "them" : "it"} to {moved.now}
        </button>
        <span class="subtle">Or enter the {moved.secrets.join(" and ")} again below.</span>
      </div>
    </div>
  );
}
