// "Verify it worked": who the token belongs to and which account it reaches, from /v1/me.
import type { Fix, Identity, UiError } from "../api";
import { CopyButton, ErrorNote } from "./common";

interface Props {
  identity: Identity | null;
  error: UiError | null;
  busy: boolean;
  hasToken: boolean;
  meUrl: string;
  onVerify: () => void;
  onFix?: (fix: Fix) => void;
}

export function VerifyPanel({ identity, error, busy, hasToken, meUrl, onVerify, onFix }: Props) {
  return (
    <div class="verify-panel" data-testid="verify-panel">
      <p class="subtle">
        Calls <code>GET {meUrl}</code> with the token to show who you are signed in as and which account it reaches.
      </p>
      {identity && (
        <dl class="facts identity" data-testid="identity">
          <dt>Name</dt>
          <dd>{identity.name || "—"}</dd>
          <dt>Email</dt>
          <dd>{identity.email || "—"}</dd>
          <dt>Account slug</dt>
          <dd>
            <code data-testid="account-slug">{identity.account_slug}</code> <CopyButton value={identity.account_slug} label="account slug" />
          </dd>
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
      )}
      {error && <ErrorNote error={error} onFix={onFix} />}
      <div class="actions">
        <button type="button" onClick={onVerify} disabled={busy} data-testid="verify">
          {identity ? "Verify again" : "Verify"}
        </button>
        {!hasToken && <span class="subtle">No token yet: get one above first.</span>}
      </div>
    </div>
  );
}
