// A text field's list of offers (path completions, query parameter names) as a WAI-ARIA combobox:
// the field keeps the focus, the list is a listbox it controls, the option moved to is its
// active descendant; ↓/↑ move, Enter or Tab accept, Escape closes, a click accepts.
import type { JSX } from "preact";
import { useEffect, useId, useState } from "preact/hooks";
import { CLOSED, listKey, type ListState } from "./combobox";

/** One thing offered: the text it puts in the field, how it reads in the list, and a few words
 * about it. */
export interface Offer {
  value: string;
  label?: string;
  detail?: string;
}

export interface OfferList {
  /** Attributes for the field (an input). */
  field: {
    role: "combobox";
    "aria-autocomplete": "list";
    "aria-expanded": boolean;
    "aria-controls": string;
    "aria-activedescendant"?: string;
  };
  /** The field's keydown: true when the list took the key (the field must not act on it). */
  onKey: (e: KeyboardEvent) => boolean;
  /** The offers changed: show them if the person is typing (`wanted`). */
  show: (wanted: boolean) => void;
  close: () => void;
  /** The listbox, to render next to the field. */
  list: JSX.Element;
}

interface Options {
  offers: Offer[];
  onAccept: (offer: Offer) => void;
  /** The listbox's accessible name ("Paths"). */
  label: string;
  testId?: string;
}

/** The list's state and its listbox for a field offering `offers`. */
export function useOfferList({ offers, onAccept, label, testId }: Options): OfferList {
  const id = useId();
  const [state, setState] = useState<ListState>(CLOSED);
  const count = offers.length;
  const open = state.open && count > 0;
  const active = open && state.active < count ? state.active : -1;
  const listId = `${id}-offers`;
  const optionId = (i: number) => `${id}-offer-${i}`;

  // The option moved to stays in view in a list that scrolls.
  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView?.({ block: "nearest" });
  }, [active]);

  const accept = (i: number) => {
    setState(CLOSED);
    const offer = offers[i];
    if (offer) onAccept(offer);
  };

  const onKey = (e: KeyboardEvent) => {
    const outcome = listKey({ open, active }, e.key, count, e.ctrlKey || e.altKey || e.metaKey || e.shiftKey);
    if (outcome.next.open !== open || outcome.next.active !== active) setState(outcome.next);
    if (outcome.accept !== null) accept(outcome.accept);
    if (outcome.handled) {
      e.preventDefault();
      e.stopPropagation();
    }
    return outcome.handled;
  };

  const list = (
    <ul id={listId} role="listbox" aria-label={label} class="offer-list" hidden={!open} data-testid={testId}>
      {open &&
        offers.map((o, i) => (
          <li
            key={o.value}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            class={i === active ? "offer active" : "offer"}
            // The field keeps the focus (and the list stays open) while the pointer presses.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => accept(i)}
          >
            <span class="offer-value">{o.label ?? o.value}</span>
            {o.detail && <span class="offer-detail">{o.detail}</span>}
          </li>
        ))}
    </ul>
  );

  return {
    field: {
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": open,
      "aria-controls": listId,
      ...(active >= 0 ? { "aria-activedescendant": optionId(active) } : {}),
    },
    onKey,
    // Open when the person is typing and there is something to offer, no option chosen yet.
    show: (wanted) => setState({ open: wanted, active: -1 }),
    close: () => setState(CLOSED),
    list,
  };
}

interface InputProps {
  value: string;
  /** What to offer for the value as it is (already matched to it). */
  offers: Offer[];
  onInput: (value: string) => void;
  /** The listbox's accessible name. */
  listLabel: string;
  /** The input's accessible name. */
  label: string;
  name?: string;
  placeholder?: string;
  testId?: string;
}

/** An input that offers `offers` as it is typed in; accepting one puts its value in the field. */
export function OfferInput({ value, offers, onInput, listLabel, label, name, placeholder, testId }: InputProps) {
  const list = useOfferList({ offers, label: listLabel, testId, onAccept: (o) => onInput(o.value) });
  return (
    <div class="offer-field">
      <input
        {...list.field}
        value={value}
        placeholder={placeholder}
        aria-label={label}
        name={name}
        spellcheck={false}
        autoComplete="off"
        onInput={(e) => {
          onInput(e.currentTarget.value);
          list.show(true);
        }}
        onKeyDown={(e) => list.onKey(e)}
        onBlur={() => list.close()}
      />
      {list.list}
    </div>
  );
}
