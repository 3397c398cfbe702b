// "Get an access token": choose a method in plain words, fill only what it needs, and go.
import { useEffect, useRef, useState } from "preact/hooks";
import { DEFAULT_CALLBACK, type AccountKind, type DemoData, type Fix, type Method, type ProfileEdit, type ProfileStatus, type ProfileView, type Progress, type SecretsInput, type UiError } from "../api";
import { METHODS } from "../methods";
import { CopyButton, ErrorNote } from "./common";

export interface TokenRequest {
  edit: ProfileEdit;
  secrets: SecretsInput;
}

/** A request from a diagnosis's fix to use another method (`at` tells repeated requests apart). */
export interface MethodSwitch {
  method: Method;
  at: number;
}

interface Props {
  view: ProfileView;
  status: ProfileStatus | null;
  demo: DemoData;
  busy: boolean;
  progress: Progress | null;
  error: UiError | null;
  callbackUrl: string;
  onSubmit: (request: TokenRequest) => void;
  onCancel: () => void;
  onFinishPaste: (url: string, secrets: SecretsInput) => void;
  onOpenSignIn: () => void;
  onForgetSession: () => void;
  onDismissError: () => void;
  onFix?: (fix: Fix) => void;
  methodSwitch?: MethodSwitch | null;
  /** Saves the profile's production/test mark at once (the band and the write question follow). */
  onAccountKind?: (kind: AccountKind, saved: ProfileEdit) => void;
}

const ORDER: Method[] = ["browser_login", "client_credentials", "password"];
const DEMO_METHOD = { browser_login: "authorization_code", client_credentials: "client_credentials", password: "password" } as const;

function editFrom(view: ProfileView): ProfileEdit {
  const p = view.profile;
  return {
    id: p.id,
    method: p.method,
    client_id: p.client_id,
    username: p.username,
    scope: p.scope,
    client_auth: p.client_auth,
    callback: { mode: p.callback.mode, redirect_uri: p.callback.redirect_uri ?? "" },
    endpoints: p.environment.kind === "server" ? { authorize_url: p.environment.authorize_url, token_url: p.environment.token_url, api_url: p.environment.api_url } : null,
    account_kind: p.account_kind,
  };
}

export function TokenForm(props: Props) {
  const { view, status, demo, busy, progress, error } = props;
  const [edit, setEdit] = useState<ProfileEdit>(() => editFrom(view));
  const [clientSecret, setClientSecret] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(true);
  const [pasted, setPasted] = useState("");

  // No reset for another profile: the workspace (and this form with it) is keyed by the profile,
  // so another profile gets a new form, empty.

  // A fix asked for another method: choose it, and bring the form into view.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const to = props.methodSwitch;
    if (!to) return;
    setEdit((e) => ({ ...e, method: to.method }));
    formRef.current?.scrollIntoView?.({ block: "start" });
    formRef.current?.querySelector<HTMLInputElement>(`input[name=method][value=${to.method}]`)?.focus();
  }, [props.methodSwitch?.at]);

  const isSandbox = view.profile.environment.kind === "built_in_sandbox";
  const method = edit.method;
  const set = (patch: Partial<ProfileEdit>) => setEdit((e) => ({ ...e, ...patch }));
  const secrets = (): SecretsInput => ({ client_secret: clientSecret || undefined, password: password || undefined, remember });

  const fillDemo = () => {
    const client = demo.clients.find((c) => c.method === DEMO_METHOD[method] && !c.redirect_uris.some((u) => u.startsWith("https://")));
    const admin = demo.users.find((u) => u.role === "admin");
    if (client) {
      set({ client_id: client.client_id, username: method === "password" && admin ? admin.email : edit.username });
      setClientSecret(client.client_secret);
    }
    if (method === "password" && admin) setPassword(admin.password);
    // Filled: the next step is the one button left to press. Unless the person has already moved
    // on (into a field, to type over a value) by the next frame: their focus stays where it is.
    const from = document.activeElement;
    requestAnimationFrame(() => {
      if (document.activeElement !== from && document.activeElement !== document.body) return;
      formRef.current?.querySelector<HTMLButtonElement>("[data-testid=get-token]")?.focus();
    });
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (!busy) props.onSubmit({ edit, secrets: secrets() });
  };

  const secretKept = status?.secrets.client_secret ?? false;
  const passwordKept = status?.secrets.password ?? false;

  return (
    <form class="token-form" onSubmit={submit} aria-label="Get an access token" ref={formRef}>
      <fieldset class="methods" disabled={busy}>
        <legend>How do you want to get the token?</legend>
        <div class="method-grid">
          {ORDER.map((m) => (
            <label key={m} class={m === method ? "method-choice chosen" : "method-choice"}>
              <input type="radio" name="method" value={m} checked={m === method} onChange={() => set({ method: m })} />
              <span class="method-title">
                {METHODS[m].title}
                {m === "client_credentials" && <span class="recommended">Recommended</span>}
              </span>
              <span class="method-when">{METHODS[m].when}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <p class="subtle method-what">{METHODS[method].what}</p>
      {isSandbox && (
        <p class="demo-row">
          <button type="button" onClick={fillDemo} disabled={busy} data-testid="fill-demo">
            Fill in demo credentials
          </button>{" "}
          <span class="subtle">the sandbox's demo values, not secrets</span>
        </p>
      )}

      <div class="fields">
        <label class="field">
          <span>Client ID</span>
          <input
            name="client_id"
            value={edit.client_id}
            onInput={(e) => set({ client_id: e.currentTarget.value })}
            placeholder="From ScopeStack support, or the service account's page"
            autoComplete="off"
            spellcheck={false}
            disabled={busy}
          />
        </label>
        <SecretField
          label="Client secret"
          name="client_secret"
          value={clientSecret}
          onInput={setClientSecret}
          placeholder={secretKept ? "Kept in the keychain — type to replace" : "Shown once when the client was created"}
          disabled={busy}
        />
        {method === "password" && (
          <>
            <label class="field">
              <span>Service account email</span>
              <input name="username" type="email" value={edit.username} onInput={(e) => set({ username: e.currentTarget.value })} autoComplete="off" spellcheck={false} disabled={busy} />
            </label>
            <SecretField
              label="Password"
              name="password"
              value={password}
              onInput={setPassword}
              placeholder={passwordKept ? "Kept in the keychain — type to replace" : ""}
              disabled={busy}
            />
          </>
        )}
        {method === "browser_login" && (
          <div class="field">
            <span>Sign in with</span>
            <div class="segmented" role="radiogroup" aria-label="Sign in with">
              {(
                [
                  ["loopback", "System browser"],
                  ["in_app_window", "Window in this app"],
                  ["paste", "Paste the address"],
                ] as const
              ).map(([mode, label]) => (
                <label key={mode} class={edit.callback.mode === mode ? "seg chosen" : "seg"}>
                  <input type="radio" name="callback_mode" value={mode} checked={edit.callback.mode === mode} onChange={() => set({ callback: { ...edit.callback, mode } })} disabled={busy} />
                  {label}
                </label>
              ))}
            </div>
          </div>
        )}
      </div>

      {method === "browser_login" && (
        <div class="callback-note">
          <div>
            Callback URL: <code data-testid="callback-url">{props.callbackUrl}</code> <CopyButton value={props.callbackUrl} label="callback URL" />
          </div>
          <p class="subtle">
            ScopeStack sends you back to exactly one address registered for your client ID; if sign-in fails with a redirect error, send this URL to
            ScopeStack support so they can register it.
          </p>
        </div>
      )}

      <div class="field account-kind">
        <span id="account-kind-label">This account is</span>
        <div class="segmented" role="radiogroup" aria-labelledby="account-kind-label">
          {(
            [
              ["production", "Production"],
              ["test", "Test"],
            ] as const
          ).map(([kind, label]) => (
            <label key={kind} class={edit.account_kind === kind ? "seg chosen" : "seg"}>
              <input
                type="radio"
                name="account_kind"
                value={kind}
                checked={edit.account_kind === kind}
                onChange={() => {
                  set({ account_kind: kind });
                  props.onAccountKind?.(kind, { ...editFrom(view), account_kind: kind });
                }}
                disabled={busy}
              />
              {label}
            </label>
          ))}
        </div>
        <span class="subtle small-print">
          {edit.account_kind === "production"
            ? "A customer's real data: the connection bar says so, and each request tab asks before its first write."
            : "Test data: writes go without asking."}
        </span>
      </div>

      <label class="checkbox">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} disabled={busy} />
        Remember secrets in the system keychain (needed to renew tokens by themselves)
      </label>

      <details class="advanced">
        <summary>Advanced</summary>
        <div class="fields">
          {edit.endpoints ? (
            <>
              <label class="field">
                <span>Sign-in (authorize) URL</span>
                <input name="authorize_url" value={edit.endpoints.authorize_url} onInput={(e) => set({ endpoints: { ...edit.endpoints!, authorize_url: e.currentTarget.value } })} spellcheck={false} disabled={busy} />
              </label>
              <label class="field">
                <span>Token URL</span>
                <input name="token_url" value={edit.endpoints.token_url} onInput={(e) => set({ endpoints: { ...edit.endpoints!, token_url: e.currentTarget.value } })} spellcheck={false} disabled={busy} />
              </label>
              <label class="field">
                <span>API URL</span>
                <input name="api_url" value={edit.endpoints.api_url} onInput={(e) => set({ endpoints: { ...edit.endpoints!, api_url: e.currentTarget.value } })} spellcheck={false} disabled={busy} />
              </label>
            </>
          ) : (
            <p class="subtle">The built-in sandbox's addresses are set when the app starts: {view.endpoints?.token_url ?? "not running"}.</p>
          )}
          <label class="field">
            <span>Scope</span>
            <input name="scope" value={edit.scope} onInput={(e) => set({ scope: e.currentTarget.value })} spellcheck={false} disabled={busy} />
          </label>
          <label class="field">
            <span>Send client ID and secret</span>
            <select name="client_auth" value={edit.client_auth} onChange={(e) => set({ client_auth: e.currentTarget.value as "body" | "basic" })} disabled={busy}>
              <option value="body">In the request body (ScopeStack's way)</option>
              <option value="basic">As a Basic Authorization header</option>
            </select>
          </label>
          <label class="field">
            <span>Registered callback URL</span>
            <input
              name="redirect_uri"
              value={edit.callback.redirect_uri ?? ""}
              onInput={(e) => set({ callback: { ...edit.callback, redirect_uri: e.currentTarget.value } })}
              placeholder={`Leave empty for ${DEFAULT_CALLBACK} (any port)`}
              spellcheck={false}
              disabled={busy}
            />
          </label>
          {method === "browser_login" && (
            <button type="button" class="link" onClick={props.onForgetSession}>
              Forget sign-in session (the in-app window's cookies for this profile)
            </button>
          )}
        </div>
      </details>

      {error && <ErrorNote error={error} onDismiss={props.onDismissError} onFix={props.onFix} />}

      {status?.awaiting_paste && (
        <div class="paste-step">
          <p>
            1. <button type="button" class="small" onClick={props.onOpenSignIn}>Open the sign-in page</button> and sign in. 2. Copy the address your browser ends on and paste it here:
          </p>
          <span class="secret-input">
            <input name="pasted_url" value={pasted} onInput={(e) => setPasted(e.currentTarget.value)} placeholder={`${props.callbackUrl}?code=…&state=…`} spellcheck={false} aria-label="Address the browser ended on" />
            <button type="button" class="primary small" onClick={() => props.onFinishPaste(pasted, secrets())} disabled={!pasted.trim()}>
              Finish sign-in
            </button>
          </span>
        </div>
      )}

      <div class="actions">
        <button type="submit" class="primary" disabled={busy} data-testid="get-token">
          Get New Access Token
        </button>
        {busy && (
          <button type="button" onClick={props.onCancel} data-testid="cancel">
            Cancel
          </button>
        )}
      </div>
      {busy && <ProgressLine progress={progress} />}
    </form>
  );
}

/** A masked secret input with a Show/Hide toggle. */
function SecretField(props: { label: string; name: string; value: string; onInput: (v: string) => void; placeholder: string; disabled: boolean }) {
  const [shown, setShown] = useState(false);
  const lower = props.label.toLowerCase();
  return (
    <label class="field">
      <span>{props.label}</span>
      <span class="secret-input">
        <input
          name={props.name}
          type={shown ? "text" : "password"}
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
          placeholder={props.placeholder}
          autoComplete="off"
          spellcheck={false}
          disabled={props.disabled}
        />
        <button type="button" class="small" onClick={() => setShown(!shown)} aria-pressed={shown} aria-label={shown ? `Hide ${lower}` : `Show ${lower}`}>
          {shown ? "Hide" : "Show"}
        </button>
      </span>
    </label>
  );
}

function ProgressLine({ progress }: { progress: Progress | null }) {
  const text = (() => {
    switch (progress?.stage) {
      case "opening_browser":
        return "Opening your browser…";
      case "waiting_for_browser":
        return "Waiting for you to sign in…";
      case "awaiting_paste":
        return "Waiting for the address from the browser…";
      case "exchanging_code":
        return "Signed in. Exchanging the code for a token…";
      case "verifying":
        return "Got a token. Verifying it with /v1/me…";
      case "requesting":
        return "Asking ScopeStack for a token…";
      default:
        return "Working…";
    }
  })();
  return (
    <p class="progress" role="status" aria-live="polite" data-testid="progress">
      <span class="spinner" aria-hidden="true" /> {text}
    </p>
  );
}
