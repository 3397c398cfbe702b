// A profile's variables: `{name}` in the URL, parameters and headers, `{{name}}` in the body.
// Edited here and kept by the shell beside the saved requests; secret-looking names are never
// kept (the note says which were left out).
import { useEffect, useRef, useState } from "preact/hooks";
import { errorMessage } from "../api";
import { profileVariables, setProfileVariables } from "../interop-api";
import { PairTable, type Pair } from "./PairTable";

/** Rows with a name, as the shell takes them (a later row of the same name wins). */
export function toVariables(rows: Pair[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.key.trim()) out[r.key.trim()] = r.value;
  return out;
}

export function VariablesTable({ profileId, onCount }: { profileId: string; onCount?: (n: number) => void }) {
  const [rows, setRows] = useState<Pair[]>([]);
  const [saved, setSaved] = useState<string>("");
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Shows the kept variables, then `typed` (rows typed before they arrived). */
  const show = (vars: Record<string, string>, typed: Pair[] = []) => {
    const r = Object.entries(vars).map(([key, value]) => ({ key, value }));
    setRows([...r, ...typed]);
    setSaved(JSON.stringify(toVariables(r)));
    onCount?.(r.length);
  };
  // Rows typed before the kept variables arrive are not thrown away by their arrival: the kept
  // ones come first, then what was typed (the list is loaded when the tab first shows, and a
  // quick typist gets there before the answer).
  const typedBeforeLoad = useRef<Pair[] | null>(null);
  const edit = (r: Pair[]) => {
    if (typedBeforeLoad.current !== null) typedBeforeLoad.current = r;
    setRows(r);
  };
  useEffect(() => {
    typedBeforeLoad.current = [];
    profileVariables(profileId).then(
      (vars) => {
        const typed = (typedBeforeLoad.current ?? []).filter((r) => r.key.trim() || r.value);
        typedBeforeLoad.current = null;
        show(vars, typed);
      },
      (e) => {
        typedBeforeLoad.current = null;
        setError(errorMessage(e));
      },
    );
  }, [profileId]);

  const changed = JSON.stringify(toVariables(rows)) !== saved;
  const save = () =>
    setProfileVariables(profileId, toVariables(rows)).then(
      (r) => {
        show(r.variables);
        setError(null);
        setNote(r.left_out.length ? `Not kept (they look like secrets, and secrets never go into files): ${r.left_out.join(", ")}.` : "Variables saved.");
      },
      (e) => setError(errorMessage(e)),
    );

  return (
    <div class="variables" data-testid="variables">
      <p class="subtle small-print">
        Write <code>{"{name}"}</code> in the address, parameters or headers (and <code>{"{{name}}"}</code> in the body) to use a variable. <code>{"{account-slug}"}</code> comes from <code>/v1/me</code>.
      </p>
      <PairTable noun="Variable" label="Variables" rows={rows} onChange={edit} placeholders={["projectId", "1234"]} name="variable" />
      <div class="actions">
        <button type="button" class="small" onClick={save} disabled={!changed} data-testid="save-variables">
          Save variables
        </button>
        {note && !changed && <span class="subtle">{note}</span>}
        {error && <span class="bad-text">{error}</span>}
      </div>
    </div>
  );
}
