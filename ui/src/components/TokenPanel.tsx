// The token panel: the token masked (reveal on demand), copy, its facts, a live expiry
// countdown, auto-renew, Renew now and Revoke.
import { useState } from "preact/hooks";
import type { ProfileStatus } from "../api";
import { countdown, dateTime } from "../format";
import { METHODS } from "../methods";
import { useNow } from "./common";

interface Props {
  status: ProfileStatus;
  busy: boolean;
  onReveal: () => Promise<string | null>;
  onCopy: (asHeader: boolean) => Promise<number | null>;
  onRenew: () => void;
  onRevoke: () => void;
  onAutoRenew: (enabled: boolean) => void;
  /** The callback URL a browser login used, shown among the facts of such a token. */
  callbackUrl?: string;
}

export function TokenPanel({ status, busy, onReveal, onCopy, onRenew, onRevoke, onAutoRenew, callbackUrl }: Props) {
  const token = status.token!;
  const now = useNow();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const left = token.expires_at === null ? null : token.expires_at - now;

  const toggleReveal = async () => setRevealed(revealed ? null : await onReveal());
  const copy = async (asHeader: boolean) => {
    const clearAfter = await onCopy(asHeader);
    if (clearAfter !== null) setCopied(`${asHeader ? "Authorization header" : "Token"} copied. The clipboard is cleared in ${clearAfter} s.`);
  };

  return (
    <div class="token-panel" data-testid="token-panel">
      <div class="token-value">
        <code class="token-text" data-testid="token-text">
          {revealed ?? token.masked}
        </code>
        <button type="button" class="small" onClick={toggleReveal} aria-pressed={revealed !== null}>
          {revealed ? "Hide" : "Reveal"}
        </button>
        <button type="button" class="small" onClick={() => copy(false)} data-testid="copy-token">
          Copy
        </button>
        <button type="button" class="small" onClick={() => copy(true)}>
          Copy as Authorization header
        </button>
      </div>
      {copied && (
        <p class="subtle" role="status">
          {copied}
        </p>
      )}
      <dl class="facts">
        <dt>Type</dt>
        <dd>{token.token_type}</dd>
        <dt>Scope</dt>
        <dd>{token.scope ?? "not stated"}</dd>
        <dt>Got with</dt>
        <dd>{METHODS[token.obtained_with].title}</dd>
        <dt>Issued</dt>
        <dd>{dateTime(token.issued_at)}</dd>
        <dt>Expires</dt>
        <dd data-testid="expiry">
          {left === null ? (
            "No expiry given by the server"
          ) : left > 0 ? (
            <>
              in <strong>{countdown(left)}</strong> ({dateTime(token.expires_at!)})
            </>
          ) : (
            <strong class="bad-text">Expired {dateTime(token.expires_at!)}</strong>
          )}
        </dd>
        <dt>Renewal</dt>
        <dd>
          {token.has_refresh_token ? "With its refresh token" : token.obtained_with === "client_credentials" ? "By asking again with the client secret" : "Sign in again when it expires"}
        </dd>
        {token.obtained_with === "browser_login" && callbackUrl && (
          <>
            <dt>Callback URL</dt>
            <dd>
              <code>{callbackUrl}</code>
            </dd>
          </>
        )}
      </dl>
      <label class="checkbox">
        <input type="checkbox" checked={status.auto_renew} onChange={(e) => onAutoRenew(e.currentTarget.checked)} />
        Renew automatically a minute before it expires
      </label>
      {status.last_renewal && (
        <p class={status.last_renewal.ok ? "subtle" : "bad-text"} data-testid="last-renewal">
          Last renewal ({dateTime(status.last_renewal.at)}): {status.last_renewal.message}
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={onRenew} disabled={busy} data-testid="renew">
          Renew now
        </button>
        {confirmRevoke ? (
          <span class="confirm" role="alertdialog" aria-label="Confirm revoke">
            Revoke this token? Anything using it stops working.
            <button type="button" class="danger" onClick={() => { setConfirmRevoke(false); onRevoke(); }} data-testid="confirm-revoke">
              Revoke
            </button>
            <button type="button" onClick={() => setConfirmRevoke(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button type="button" class="danger-outline" onClick={() => setConfirmRevoke(true)} disabled={busy} data-testid="revoke">
            Revoke…
          </button>
        )}
      </div>
    </div>
  );
}
