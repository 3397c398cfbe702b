// How a request went when it was sent before (a history entry, an opened support bundle's
// exchange): its status line and its diagnosis. History keeps no answer body: Send runs it again.
import type { HistoryEntry } from "../api";
import { ErrorNote } from "../components/common";
import { dateTime, duration, size } from "../format";

export function PastOutcome({ entry }: { entry: HistoryEntry }) {
  const ok = entry.status !== null && entry.status < 400;
  const d = entry.diagnosis;
  return (
    <div class="response past-outcome" data-testid="past-outcome">
      <div class={ok ? "status-line ok" : "status-line bad"} data-testid="status-line">
        <strong>{entry.status !== null ? `${entry.status} ${entry.status_text ?? ""}` : "No answer"}</strong>
        <span class="subtle">
          Sent {dateTime(Math.floor(entry.at_unix_ms / 1000))}
          {entry.timings ? ` · ${duration(entry.timings.total_ms)}` : ""}
          {entry.sizes ? ` · ${size(entry.sizes.decoded)}` : ""}
        </span>
      </div>
      {d ? (
        <ErrorNote error={{ message: entry.error ?? entry.status_text ?? d.title, diagnosis: { ...d, fixes: [], field_errors: [] } }} />
      ) : (
        entry.error && <ErrorNote message={entry.error} />
      )}
      <p class="subtle">History keeps how it went, not the answer itself: Send runs the request again.</p>
    </div>
  );
}
