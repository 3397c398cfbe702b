// Small shared pieces: a workspace card, a table with column headings, an error note with its
// diagnosis card, a copy button, and a live clock hook.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { nowUnix } from "../format";
import { copyText, type Fix, type UiError } from "../api";
import { METHODS } from "../methods";

/** A card of the workspace: a section named by its heading (`<id>-heading`), with the step's
 * number when it is one of the steps, and a badge after the title. */
export function Card({ id, title, step, badge, children }: { id: string; title: string; step?: number; badge?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={`${id}-heading`}>
      <div class="card-title">
        {step !== undefined && <span class="step">{step}</span>}
        <h2 id={`${id}-heading`}>{title}</h2>
        {badge}
      </div>
      {children}
    </section>
  );
}

/** A table with a row of column headings, scrolling sideways when the window is narrow; the
 * rows are the caller's. */
export function DataTable({ label, columns, children }: { label: string; columns: string[]; children: ComponentChildren }) {
  return (
    // A region of its own that takes the focus, so its scrolling works by keyboard too.
    <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table class="demo-table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** The fixes the UI can carry out, as button labels (`copy_callback_url` is a copy button;
 * `retry_after` counts down first). */
const FIX_LABELS: Partial<Record<Fix["kind"], string>> = {
  renew_token: "Renew the token",
  sign_in_again: "Get a new token",
  retry: "Try again",
  retry_after: "Try again",
  use_session_only_vault: "Keep secrets for this session only",
  add_accept_header: "Add the Accept header",
  add_content_type_header: "Add the Content-Type header",
  switch_to_password_without_redirect_uri: "Switch to the password method (no callback URL)",
  switch_method: "Use another method",
};

/** The label of a fix's button. */
export function fixLabel(f: Fix): string | undefined {
  if (f.kind === "switch_method") return `Use ${METHODS[f.to]?.title ?? f.to}`;
  if (f.kind === "confirm_kept_secrets") return `Send the kept secrets to ${f.now}`;
  return FIX_LABELS[f.kind];
}

/** A fix's stable key among the buttons of one card. */
const fixKey = (f: Fix) => (f.kind === "switch_method" ? `switch_method-${f.to}` : f.kind);

/** "Try again", usable once the wait the server asked for is over. */
function RetryAfterButton({ fix, onFix }: { fix: Extract<Fix, { kind: "retry_after" }>; onFix: (fix: Fix) => void }) {
  const [until] = useState(() => nowUnix() + fix.seconds);
  const now = useNow();
  const left = Math.max(0, until - now);
  return (
    <button type="button" class="small" disabled={left > 0} onClick={() => onFix(fix)} data-fix="retry_after">
      {left > 0 ? `Try again in ${left} s` : "Try again"}
    </button>
  );
}

/** One part of a diagnosis under its heading, the lines as a list (`numbered` for steps to
 * take in order); nothing without lines. */
function DiagnosisLines({ heading, lines, numbered = false }: { heading: string; lines: string[]; numbered?: boolean }) {
  if (lines.length === 0) return null;
  const List = numbered ? "ol" : "ul";
  return (
    <>
      <p class="diagnosis-heading">{heading}</p>
      <List>
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </List>
    </>
  );
}

/** An error as the user sees it: the message, then the engine's diagnosis — what probably
 * happened, what to do — and buttons for the fixes the caller can carry out. */
export function ErrorNote({ message, error, onDismiss, onFix }: { message?: string; error?: UiError | null; onDismiss?: () => void; onFix?: (fix: Fix) => void }) {
  const text = error?.message ?? message ?? "";
  const d = error?.diagnosis;
  const callback = d?.fixes.find((f): f is Extract<Fix, { kind: "copy_callback_url" }> => f.kind === "copy_callback_url");
  const actions = onFix ? (d?.fixes ?? []).filter((f) => fixLabel(f)) : [];
  // With a diagnosis, the plain words lead; the raw message (error codes, the server's own text)
  // waits under Details with the exchange.
  const raw = d && text && text !== d.title ? text : null;
  const exchange = d?.exchange ?? d?.details;
  const details = [...new Set([raw, exchange].filter((x): x is string => !!x))].join("\n\n") || null;
  return (
    <div class="error-note" role="alert" data-code={d?.code}>
      <span class="error-icon" aria-hidden="true">!</span>
      <div class="error-body">
        {d ? <p class="error-title">{d.title}</p> : <p>{text}</p>}
        {d && (d.what_happened.length > 0 || d.what_to_do.length > 0) && (
          <div class="diagnosis" data-testid="diagnosis">
            <DiagnosisLines heading="What probably happened" lines={d.what_happened} />
            {d.field_errors && d.field_errors.length > 0 && (
              <ul>
                {d.field_errors.map((f, i) => (
                  <li key={i}>
                    <code>{f.field ?? f.pointer ?? "request"}</code>: {f.message}
                  </li>
                ))}
              </ul>
            )}
            <DiagnosisLines heading="What to do" lines={d.what_to_do} numbered />
            <div class="actions">
              {actions.map((f) =>
                f.kind === "retry_after" && onFix ? (
                  <RetryAfterButton key={fixKey(f)} fix={f} onFix={onFix} />
                ) : (
                  <button key={fixKey(f)} type="button" class="small" onClick={() => onFix?.(f)} data-fix={f.kind}>
                    {fixLabel(f)}
                  </button>
                ),
              )}
              {callback && <CopyButton value={callback.url} label="callback URL for ScopeStack support" text="Copy the callback URL" />}
            </div>
            {details && (
              <details class="diagnosis-details" data-testid="diagnosis-details">
                <summary>Details{d.exchange ? " (the exchange, secrets removed)" : ""}</summary>
                <pre class="details">{details}</pre>
                <CopyButton value={details} label="details for support" text="Copy the details" />
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
export function CopyButton({ value, label, text = "Copy" }: { value: string; label: string; text?: string }) {
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
      {done ? "Copied" : text}
    </button>
  );
}

/** Milliseconds since the calling component was shown, updated four times a second: the "time
 * so far" of work under way. */
export function useElapsedMs(): number {
  const [started] = useState(() => performance.now());
  const [now, setNow] = useState(started);
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return now - started;
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
