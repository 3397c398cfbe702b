// Small shared pieces: an error note, a copy button, and a live clock hook.
import { useEffect, useState } from "preact/hooks";
import { nowUnix } from "../format";
import { copyText } from "../api";

/** An error as the user sees it: what happened and what to do, in the engine's words. */
export function ErrorNote({ message, onDismiss }: { message: string; onDismiss?: () => void }) {
  return (
    <div class="error-note" role="alert">
      <span class="error-icon" aria-hidden="true">!</span>
      <p>{message}</p>
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
