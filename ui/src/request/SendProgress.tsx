// What a running request is doing: waiting for the first byte, then the bytes received (of
// Content-Length when known) with a progress bar, the rate and the time so far; and Cancel.
import { useElapsedMs } from "../components/common";
import { duration, rate, size } from "../format";
import { keysOf } from "../shortcuts";

/** How far a response has come, as the shell reports it. */
export interface Transfer {
  received: number;
  total: number | null;
  first_byte: boolean;
  elapsed_ms: number;
}

interface Props {
  transfer: Transfer | null;
  onCancel: () => void;
}

export function SendProgress({ transfer, onCancel }: Props) {
  const shown = useElapsedMs();
  const elapsed = Math.max(transfer?.elapsed_ms ?? 0, shown);
  const receiving = transfer?.first_byte ?? false;
  const words = !receiving
    ? `Waiting for the first byte… ${duration(elapsed)}`
    : `Receiving ${size(transfer!.received)}${transfer!.total ? ` of ${size(transfer!.total)}` : ""} · ${rate(transfer!.received, transfer!.elapsed_ms)} · ${duration(elapsed)}`;
  return (
    <div class="send-progress" data-testid="send-progress">
      {/* Said once to screen readers; the ticking figures are only shown. */}
      <span class="visually-hidden" role="status">
        Sending the request
      </span>
      <p class="progress">
        <span class="spinner" aria-hidden="true" /> {words}
      </p>
      {receiving && transfer!.total ? (
        <progress max={transfer!.total} value={transfer!.received} aria-label="Received of the answer" />
      ) : (
        <progress aria-label="Waiting for the answer" />
      )}
      <button type="button" onClick={onCancel} aria-keyshortcuts="Escape">
        Cancel <kbd>{keysOf("cancel") === "Escape" ? "Esc" : keysOf("cancel")}</kbd>
      </button>
    </div>
  );
}
