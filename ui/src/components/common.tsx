// Small shared pieces: an error note, a copy button, and a live clock hook.
import { useEffect, useState } from "preact/hooks";
import { nowUnix } from "../format";
import { copyText, type Fix, type UiError } from "../api";

/** The fixes the UI can carry out, as button labels. */
const FIX_LABELS: Partial<Record<Fix["kind"], string>> = {
  renew_token: "Renew the token",
  sign_in_again: "Get a new token",
  retry: "Try again",
  use_session_only_vault: "Keep secrets for this session only",
  add_accept_header: "Add the Accept header",
  add_content_type_header: "Add the Content-Type header",
};

/** An error as the user sees it: the message, then the engine's diagnosis — what probably
 * happened, what to do — and buttons for the fixes the caller can carry out. */
export function ErrorNote({ message, error, onDismiss, onFix }: { message?: string; error?: UiError | null; onDismiss?: () => void; onFix?: (fix: Fix) => void }) {
  const text = error?.message ?? message ?? "";
  const d = error?.diagnosis;
  const callback = d?.fixes.find((f): f is Extract<Fix, { kind: "copy_callback_url" }> => f.kind === "copy_callback_url");
  const actions = onFix ? (d?.fixes ?? []).filter((f) => FIX_LABELS[f.kind]) : [];
  return (
    <div class="error-note" role="alert" data-code={d?.code}>
      <span class="error-icon" aria-hidden="true">!</span>
      <div class="error-body">
        {d ? <p class="error-title">{d.title}</p> : null}
        <p>{text}</p>
        {d && (d.what_happened.length > 0 || d.what_to_do.length > 0) && (
          <div class="diagnosis" data-testid="diagnosis">
            {d.what_happened.length > 0 && (
              <>
                <p class="diagnosis-heading">What probably happened</p>
                <ul>
                  {d.what_happened.map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              </>
            )}
            {d.field_errors && d.field_errors.length > 0 && (
              <ul>
                {d.field_errors.map((f, i) => (
                  <li key={i}>
                    <code>{f.field ?? f.pointer ?? "request"}</code>: {f.message}
                  </li>
                ))}
              </ul>
            )}
            {d.what_to_do.length > 0 && (
              <>
                <p class="diagnosis-heading">What to do</p>
                <ol>
                  {d.what_to_do.map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ol>
              </>
            )}
            <div class="actions">
              {actions.map((f) => (
                <button key={f.kind} type="button" class="small" onClick={() => onFix?.(f)}>
                  {FIX_LABELS[f.kind]}
                </button>
              ))}
              {callback && <CopyButton value={callback.url} label="callback URL for ScopeStack support" />}
            </div>
            {d.details && (
              <details>
                <summary>Details</summary>
                <pre class="details">{d.details}</pre>
              </details>
            )}
          </div>
        )}
      </div>
      {onDismiss && (
        <button type="button" class="link" onClick={onDismiss} aria-label="Dismiss">
          Dismiss
        </button>
      )}
    </div>
  );
}

/** Copies a value that is not a secret (a URL, an account slug). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await copyText(value);
      setDone(true);
      setTimeout(() => setDone(false), 1500);
    } catch {
      setDone(false);
    }
  };
  return (
    <button type="button" class="small" onClick={copy} aria-label={`Copy ${label}`}>
      {done ? "Copied" : "Copy"}
    </button>
  );
}

/** The current unix time, updated every second. */
export function useNow(): number {
  const [now, setNow] = useState(nowUnix());
  useEffect(() => {
    const timer = setInterval(() => setNow(nowUnix()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
