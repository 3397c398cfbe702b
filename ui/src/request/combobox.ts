// The keyboard of a list that offers completions under a text field (WAI-ARIA's combobox with a
// list, no option chosen until an arrow key moves to one): pure, so it is tested without a page.

/** Where the list is: shown or not, and the option the arrow keys have moved to (-1: none). */
export interface ListState {
  open: boolean;
  active: number;
}

export const CLOSED: ListState = { open: false, active: -1 };

/** What a key does to the list: its next state, the option it accepts (if any), and whether the
 * field should keep the key to itself (preventDefault) rather than let it do its usual work. */
export interface KeyOutcome {
  next: ListState;
  accept: number | null;
  handled: boolean;
}

/** The outcome of `key` (a KeyboardEvent's `key`) with `count` options offered.
 *
 * ↓ opens the list on its first option, then moves down (round to the first); ↑ opens it on its
 * last, then moves up. Enter and Tab accept the option moved to; with none, they do their usual
 * work (Enter sends the request, Tab moves on) and Tab closes the list. Escape closes an open
 * list and keeps the text; Home and End stay the field's (its caret). */
export function listKey(state: ListState, key: string, count: number, modified = false): KeyOutcome {
  const pass = (next: ListState = state): KeyOutcome => ({ next, accept: null, handled: false });
  if (modified) return pass();
  const open = state.open && count > 0;
  switch (key) {
    case "ArrowDown":
      if (count === 0) return pass();
      return { next: { open: true, active: open ? (state.active + 1) % count : 0 }, accept: null, handled: true };
    case "ArrowUp":
      if (count === 0) return pass();
      return { next: { open: true, active: open && state.active > 0 ? state.active - 1 : count - 1 }, accept: null, handled: true };
    case "Enter":
    case "Tab":
      if (open && state.active >= 0 && state.active < count) return { next: CLOSED, accept: state.active, handled: true };
      return pass(key === "Tab" ? CLOSED : state);
    case "Escape":
      return open ? { next: CLOSED, accept: null, handled: true } : pass();
    default:
      return pass();
  }
}
