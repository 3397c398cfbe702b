// "Test connection": walks the way to the profile's server step by step (names, TCP, proxy, TLS,
// token endpoint, clock, API) and lists each step with a mark and a word (passed, failed,
// skipped), so the result never rests on colour alone; a failed step shows its diagnosis and fix.
import { useEffect, useRef, useState } from "preact/hooks";
import { checkConnection, describe, type CheckReport, type CheckStep, type Fix, type UiError } from "../api";
import { ErrorNote } from "../components/common";

interface Props {
  profileId: string;
  /** Fixes other than "try again" (open a setting, …) go to the profile's session. */
  onFix: (fix: Fix) => void;
}

const MARK: Record<CheckStep["outcome"], string> = { pass: "✓", fail: "✗", skipped: "–" };
const WORD: Record<CheckStep["outcome"], string> = { pass: "Passed", fail: "Failed", skipped: "Skipped" };

export function ConnectionCheck({ profileId, onFix }: Props) {
  const [report, setReport] = useState<CheckReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const run_ = useRef(0);
  // Another profile: the last report was about another server. (Not on mounting: the effect
  // can run after a first click, whose check must not be dropped.)
  const shownFor = useRef(profileId);
  useEffect(() => {
    if (shownFor.current === profileId) return;
    shownFor.current = profileId;
    run_.current += 1;
    setReport(null);
    setError(null);
    setRunning(false);
  }, [profileId]);

  const run = async () => {
    const mine = ++run_.current;
    setRunning(true);
    setError(null);
    setReport(null);
    try {
      const r = await checkConnection(profileId);
      if (mine === run_.current) setReport(r);
    } catch (e) {
      if (mine === run_.current) setError(describe(e));
    } finally {
      if (mine === run_.current) setRunning(false);
    }
  };

  const failed = report?.steps.filter((s) => s.outcome === "fail") ?? [];
  const status = running
    ? "Testing the connection…"
    : report
      ? report.passed
        ? "Connection check: every step passed."
        : `Connection check: ${failed.length} step${failed.length === 1 ? "" : "s"} failed — ${failed.map((s) => s.title).join(", ")}.`
      : "";

  return (
    <section class="card connection-check" aria-labelledby="connection-check-heading" data-testid="connection-check">
      <div class="card-title">
        <h2 id="connection-check-heading">Connection check</h2>
      </div>
      <p class="subtle">
        Walks the way to this profile's server step by step: name, connection, proxy, secure connection, token endpoint, clock and API. Nothing secret is sent.
      </p>
      <div class="actions">
        <button type="button" onClick={run} disabled={running} aria-describedby="connection-check-status" data-testid="test-connection">
          {running ? "Testing…" : "Test connection"}
        </button>
      </div>
      <p id="connection-check-status" class="check-status" role="status" aria-live="polite" data-testid="connection-check-status">
        {status}
      </p>
      {error && <ErrorNote error={error} />}
      {report && (
        <p class="subtle check-where" data-testid="check-where">
          Checked the token URL <code>{report.token_url}</code> and the API <code>{report.api_url}</code>.
        </p>
      )}
      {report && (
        <ol class="check-steps" aria-label="Connection check steps" data-testid="check-steps">
          {report.steps.map((s) => (
            <li key={s.id} class={`check-step ${s.outcome}`} data-testid={`check-step-${s.id}`} data-outcome={s.outcome}>
              <span class="check-mark" aria-hidden="true">
                {MARK[s.outcome]}
              </span>
              <div class="check-body">
                <p class="check-line">
                  <strong>{s.title}</strong>: <span class="check-word">{WORD[s.outcome]}</span>
                  <span class="check-detail"> — {s.detail}</span>
                </p>
                {s.diagnosis && <ErrorNote error={{ message: s.detail, diagnosis: s.diagnosis }} onFix={(f) => (f.kind === "retry" ? void run() : onFix(f))} />}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
