// The connection bar, always in view: who the token acts as and in which account, the token's
// health in words, and the one action each state needs (Copy token and Renew while it is good).
// A production profile's bar starts with a coloured band naming the account ("Production ·
// acme-corp"), in words as well as colour.
import { useState } from "preact/hooks";
import { useNow } from "../components/common";
import { roughly, until } from "../format";
import type { ProfileSession } from "./useProfileSession";

interface Props {
  session: ProfileSession;
  /** Shows the Sign-in view, with its first field focused; left out while it is shown. */
  onSignIn: (() => void) | null;
}

type Health = { tone: "ok" | "warn" | "bad" | "busy" | "none"; words: string; action: "copy" | "renew" | "sign-in" | null; announce: string };

/** What the bar says for a session at `now`: its words, its tone and its one main action. */
export function health(session: ProfileSession, now: number): Health {
  const { status, work, identity } = session;
  if (work === "getting") return { tone: "busy", words: "Getting a token…", action: null, announce: "Getting a token" };
  if (work === "renewing") return { tone: "busy", words: "Renewing the token…", action: null, announce: "Renewing the token" };
  // The built-in sandbox starts afresh with the app, its last tokens dropped: before the keychain
  // has answered, its bar already says what it will (so the first frame is the final one).
  if (!status && session.view.profile.environment.kind === "built_in_sandbox") return { tone: "none", words: "No token yet", action: "sign-in", announce: "" };
  if (!status) return { tone: "none", words: "Checking…", action: null, announce: "" };
  if (status.vault_error) return { tone: "bad", words: "The keychain could not be read", action: "sign-in", announce: "The keychain could not be read" };
  const token = status.token;
  if (!token) {
    const words = status.last_renewal && !status.last_renewal.ok ? `Renewal failed: ${status.last_renewal.message}` : "No token yet";
    return { tone: status.last_renewal && !status.last_renewal.ok ? "bad" : "none", words, action: "sign-in", announce: words };
  }
  const renewable = token.has_refresh_token || token.obtained_with === "client_credentials";
  if (token.expires_at !== null && token.expires_at <= now) {
    const words = `Expired ${until(token.expires_at, now)}`;
    return { tone: "bad", words, action: renewable ? "renew" : "sign-in", announce: "The token has expired" };
  }
  if (status.last_renewal && !status.last_renewal.ok) {
    return { tone: "warn", words: `Renewal failed: ${status.last_renewal.message}`, action: "sign-in", announce: "Renewal failed" };
  }
  const how = status.auto_renew && renewable ? "renews itself" : renewable ? "renew by hand" : "sign in again when it ends";
  const left = token.expires_at === null ? "valid, no end given" : `valid for ${roughly(token.expires_at - now)}`;
  const who = identity ? ` for ${identity.name || identity.email}` : "";
  return { tone: work === "verifying" ? "busy" : "ok", words: `${left} · ${how}`, action: "copy", announce: `Token ready${who}` };
}

/** The account a production profile works in: the slug /v1/me gave, or the profile's name
 * before the token has been verified. */
export function productionAccount(session: ProfileSession): string {
  return session.identity?.account_slug || session.view.profile.name;
}

export function ConnectionBar({ session, onSignIn }: Props) {
  const now = useNow();
  const [copied, setCopied] = useState<string | null>(null);
  const h = health(session, now);
  const { identity, status, view } = session;
  const token = status?.token ?? null;

  const copy = async () => {
    const clearAfter = await session.copyToken(false);
    if (clearAfter !== null) {
      setCopied(`Token copied · the clipboard clears in ${clearAfter} s`);
      setTimeout(() => setCopied(null), 4000);
    }
  };

  return (
    <section class="connection-bar" aria-label="Connection" data-testid="connection-bar" data-health={h.tone}>
      {view.profile.account_kind === "production" && (
        <p class="production-band" data-testid="production-band">
          <strong>Production · {productionAccount(session)}</strong>
          <span class="production-band-note">a customer's real account: each request tab asks before its first write</span>
        </p>
      )}
      <div class="connection-who">
        <span class="connection-profile">{view.profile.name}</span>
        <span class="connection-account" data-testid="connection-account">
          {identity ? `${identity.name || identity.email} · ${identity.account_slug}` : token ? "not verified yet" : "not connected"}
        </span>
      </div>
      <div class={`connection-health tone-${h.tone}`} data-testid="connection-health">
        <span class="dot" aria-hidden="true" />
        <span>{h.words}</span>
      </div>
      <div class="connection-actions">
        {copied && <span class="subtle connection-copied">{copied}</span>}
        {token && (
          <button type="button" class={h.action === "copy" ? "primary" : ""} onClick={copy} data-testid="bar-copy-token">
            Copy token
          </button>
        )}
        {token && (
          <button type="button" class={h.action === "renew" ? "primary" : ""} onClick={() => session.renew()} disabled={session.work !== "idle"} data-testid="bar-renew">
            Renew
          </button>
        )}
        {h.action === "sign-in" && onSignIn && (
          <button type="button" class="primary" onClick={onSignIn} data-testid="bar-sign-in">
            {token ? "Sign in again" : "Get a token"}
          </button>
        )}
      </div>
      {/* What changed, said once to screen readers (not the countdown ticking). */}
      <span class="visually-hidden" role="status" aria-live="polite">
        {h.announce}
        {copied ? `. ${copied}` : ""}
      </span>
    </section>
  );
}
