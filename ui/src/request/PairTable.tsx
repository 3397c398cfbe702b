// A table of names and values: editable (parameters, headers, variables) or read-only (an answer's headers).
import type { ComponentChildren } from "preact";
import { matchNames } from "./completion";
import { OfferInput, type Offer } from "./OfferList";

export type Pair = { key: string; value: string };

/** A pair's two fields, and the word for each in the inputs' names. */
const PARTS = [
  ["key", "name"],
  ["value", "value"],
] as const;

interface Props {
  /** What one row is ("Header"): with the row's number it names the inputs ("Header 2 name",
   *  "Header 2 value") and the remove button ("Remove header 2"). */
  noun: string;
  /** The table's accessible name ("Headers"). */
  label: string;
  rows: Pair[];
  /** The rows after an edit; without it the table is read-only. */
  onChange?: (rows: Pair[]) => void;
  placeholders?: [string, string];
  /** The inputs' form names, `<name>_name_<i>` and `<name>_value_<i>`. */
  name?: string;
  class?: string;
  /** Rows of the caller's before the pairs (the headers the app sets itself). */
  children?: ComponentChildren;
  /** Names to offer in the name cells as they are typed (a resource's query parameters). */
  keyOffers?: Offer[];
  /** Values to offer in a row's value cell as it is typed, by the row's name. */
  valueOffers?: (key: string, typed: string) => Offer[];
}

/** The pairs, one row each. Editable, it ends in an empty row that typing into adds, and each
 *  pair has a remove button. */
export function PairTable({ noun, label, rows, onChange, placeholders = ["name", "value"], name, class: className, children, keyOffers, valueOffers }: Props) {
  const lower = noun.toLowerCase();
  return (
    <table class={className ? `kv ${className}` : "kv"} aria-label={label}>
      <tbody>
        {children}
        {!onChange
          ? rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <code>{r.key}</code>
                </td>
                <td>{r.value}</td>
              </tr>
            ))
          : [...rows, { key: "", value: "" }].map((r, i) => (
              <tr key={i}>
                {PARTS.map(([part, word], n) => (
                  <td key={part}>
                    {part === "key" && keyOffers ? (
                      <OfferInput
                        value={r.key}
                        offers={matchNames(
                          keyOffers,
                          r.key,
                          rows.filter((_, j) => j !== i).map((o) => o.key),
                        )}
                        label={`${noun} ${i + 1} ${word}`}
                        listLabel={`Known ${lower} names`}
                        name={name && `${name}_${word}_${i}`}
                        placeholder={placeholders[n]}
                        testId={`${lower}-offers-${i}`}
                        onInput={(key) => onChange(replaceAt(rows, i, { ...r, key }))}
                      />
                    ) : part === "value" && valueOffers ? (
                      <OfferInput
                        value={r.value}
                        offers={valueOffers(r.key, r.value)}
                        label={`${noun} ${i + 1} ${word}`}
                        listLabel={`Values for ${r.key || `${lower} ${i + 1}`}`}
                        name={name && `${name}_${word}_${i}`}
                        placeholder={placeholders[n]}
                        testId={`${lower}-value-offers-${i}`}
                        onInput={(value) => onChange(replaceAt(rows, i, { ...r, value }))}
                      />
                    ) : (
                      <input
                        value={r[part]}
                        placeholder={placeholders[n]}
                        aria-label={`${noun} ${i + 1} ${word}`}
                        name={name && `${name}_${word}_${i}`}
                        spellcheck={false}
                        onInput={(e) => onChange(replaceAt(rows, i, { ...r, [part]: e.currentTarget.value }))}
                      />
                    )}
                  </td>
                ))}
                <td class="kv-remove">
                  {i < rows.length && (
                    <button
                      type="button"
                      class="small"
                      aria-label={`Remove ${lower} ${i + 1}`}
                      title={`Remove ${lower} ${i + 1}`}
                      onClick={(e) => {
                        // The rows are keyed by place: the next row (or the empty one) takes this
                        // one's, and the focus goes to its name rather than to the next remove button.
                        const row = e.currentTarget.closest("tr");
                        onChange(rows.filter((_, j) => j !== i));
                        row?.querySelector("input")?.focus();
                      }}
                    >
                      ×
                    </button>
                  )}
                </td>
              </tr>
            ))}
      </tbody>
    </table>
  );
}

/** The list with `value` at `index` (one past the end appends: the table's empty last row). */
function replaceAt<T>(list: T[], index: number, value: T): T[] {
  const next = [...list];
  next[index] = value;
  return next;
}
