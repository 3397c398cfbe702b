// A profile's variables: `{name}` in the URL, parameters and headers, `{{name}}` in the body.
// Edited here and kept by the shell beside the saved requests; secret-looking names are never
// kept (the note says which were left out).
import { useEffect, useState } from "preact/hooks";
import { errorMessage } from "../api";
import { profileVariables, setProfileVariables } from "../interop-api";
import { replaceAt } from "./query";

type Row = { name: string; value: string };

/** Rows with a name, as the shell takes them (a later row of the same name wins). */
export function toVariables(rows: Row[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.name.trim()) out[r.name.trim()] = r.value;
  return out;
}

export function VariablesTable({ profileId, onCount }: { profileId: string; onCount?: (n: number) => void }) {
  const [rows, setRows] = useState<Row[]>([]);
  const [saved, setSaved] = useState<string>("");
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const show = (vars: Record<string, string>) => {
    const r = Object.entries(vars).map(([name, value]) => ({ name, value }));
    setRows(r);
    setSaved(JSON.stringify(toVariables(r)));
    onCount?.(r.length);
  };
  useEffect(() => {
    profileVariables(profileId).then(show, (e) => setError(errorMessage(e)));
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
  const edit = (i: number, row: Row) => setRows(replaceAt(rows, i, row));

  return (
    <div class="variables" data-testid="variables">
      <p class="subtle small-print">
        Write <code>{"{name}"}</code> in the address, parameters or headers (and <code>{"{{name}}"}</code> in the body) to use a variable. <code>{"{account-slug}"}</code> comes from <code>/v1/me</code>.
      </p>
      <table class="kv">
        <tbody>
          {[...rows, { name: "", value: "" }].map((r, i) => (
            <tr key={i}>
              <td>
                <input value={r.name} placeholder="projectId" aria-label={`Variable ${i + 1} name`} name={`variable_name_${i}`} spellcheck={false} onInput={(e) => edit(i, { ...r, name: e.currentTarget.value })} />
              </td>
              <td>
                <input value={r.value} placeholder="1234" aria-label={`Variable ${i + 1} value`} name={`variable_value_${i}`} spellcheck={false} onInput={(e) => edit(i, { ...r, value: e.currentTarget.value })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
