// The token panel: the token masked (reveal on demand), copy, its facts, a live expiry
// countdown, auto-renew, Renew now and Revoke; and what the token's server tells about it
// (/oauth/token/info: scopes, client, resource owner, issued, time left), shown beside /v1/me.
import { useEffect, useState } from "preact/hooks";
import * as api from "../api";
import type { ProfileStatus } from "../api";
import { countdown, dateTime } from "../format";
import { METHODS } from "../methods";
import { ErrorNote, useNow } from "./common";

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

/** The details the server gave for one token (profile id and issue time), kept while the window
 * is open: opening the expander again does not ask again. */
const asked = new Map<string, api.TokenDetails>();

/** "What the token can do": the server's own word on the token (/oauth/token/info on the token
 * URL's origin), asked when the expander is first opened and again on demand. */
export function ServerTokenDetails({ profileId, issuedAt }: { profileId: string; issuedAt: number }) {
  const key = `${profileId}@${issuedAt}`;
  const now = useNow();
  const [open, setOpen] = useState(false);
  const [details, setDetails] = useState<api.TokenDetails | null>(asked.get(key) ?? null);
  const [error, setError] = useState<api.UiError | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      const d = await api.tokenDetails(profileId);
      asked.set(key, d);
      setDetails(d);
    } catch (e) {
      setDetails(null);
      setError(api.describe(e));
    } finally {
      setLoading(false);
    }
  };
  // A renewed token is another token: its details are asked anew when they show.
  useEffect(() => {
    setDetails(asked.get(key) ?? null);
    if (open && !asked.has(key)) void load();
  }, [key, open]);

  const left = details?.expires_at == null ? null : details.expires_at - now;
  return (
    <details class="expander" data-testid="server-token-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>What the token can do</summary>
      {loading && !details && <p class="subtle">Asking the server about the token…</p>}
      {error && <ErrorNote error={error} />}
      {details && (
        <dl class="facts" data-testid="server-token-facts">
          <dt>Scopes</dt>
          <dd data-testid="server-token-scopes">
            {details.scopes.length === 0
              ? "none stated"
              : details.scopes.map((s) => (
                  <span key={s} class="chip">
                    {s}
                  </span>
                ))}
            {details.scopes.length > 0 && !details.scopes.includes("write") && <span class="subtle"> — reading only: writes will be refused</span>}
          </dd>
          <dt>Client</dt>
          <dd data-testid="server-token-client">{details.client ? <code>{details.client}</code> : "not stated"}</dd>
          <dt>Resource owner</dt>
          <dd data-testid="server-token-owner">{details.resource_owner ? `user ${details.resource_owner}` : "none (the client itself)"}</dd>
          <dt>Issued</dt>
          <dd>{details.issued_at == null ? "not stated" : dateTime(details.issued_at)}</dd>
          <dt>Time left</dt>
          <dd data-testid="server-token-left">
            {left === null ? "No expiry given by the server" : left > 0 ? <strong>{countdown(left)}</strong> : <strong class="bad-text">Expired</strong>}
          </dd>
        </dl>
      )}
      <p class="subtle">From the server that issued the token ({"/oauth/token/info"}); the token goes nowhere else.</p>
      <button type="button" class="small" onClick={load} disabled={loading} data-testid="server-token-refresh">
        Ask the server again
      </button>
    </details>
  );
}
