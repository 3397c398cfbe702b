// A menu button (WAI-ARIA menu button pattern): Enter, Space or Down opens it on its first item,
// Up on its last; arrows, Home and End move; Enter runs an item; Escape or Tab closes it and focus
// goes back to the button.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

export interface MenuItem {
  label: string;
  onSelect: () => void;
  /** Shown at the right of the item, e.g. "Ctrl+?". */
  hint?: string;
  danger?: boolean;
  /** For a choice among items (a menuitemradio): whether this one is chosen. */
  checked?: boolean;
  testId?: string;
}

interface Props {
  /** The button's accessible name, e.g. "Profile actions". */
  label: string;
  /** What the button shows (defaults to the label); screen readers hear `spokenPrefix` then it. */
  children?: ComponentChildren;
  /** Said before the button's text, not shown ("Profile: "), so its name holds the visible text. */
  spokenPrefix?: string;
  items: MenuItem[];
  testId?: string;
  class?: string;
}

let menus = 0;

export function Menu({ label, children, spokenPrefix, items, testId, class: extra }: Props) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [id] = useState(() => `menu-${++menus}`);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!open) return;
    list.current?.querySelectorAll<HTMLElement>(".menu-item")[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (!list.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    // Escape closes an open menu wherever the focus is (it may not have reached an item yet).
    const escape = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("mousedown", outside);
    document.addEventListener("keydown", escape, true);
    return () => {
      document.removeEventListener("mousedown", outside);
      document.removeEventListener("keydown", escape, true);
    };
  }, [open]);

  const show = (at: number) => {
    setActive(at);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const run = (item: MenuItem) => {
    close(true);
    item.onSelect();
  };

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      show(0);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      show(items.length - 1);
    }
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const last = items.length - 1;
    const moves: Record<string, number> = { ArrowDown: active === last ? 0 : active + 1, ArrowUp: active === 0 ? last : active - 1, Home: 0, End: last };
    if (e.key in moves) {
      e.preventDefault();
      setActive(moves[e.key]);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === "Tab") {
      close(false);
    }
  };

  return (
    <div class={`menu ${extra ?? ""}`}>
      <button
        ref={button}
        type="button"
        class="menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={id}
        data-testid={testId}
        onClick={() => (open ? close(false) : show(0))}
        onKeyDown={onButtonKey}
      >
        {spokenPrefix && <span class="visually-hidden">{spokenPrefix}</span>}
        {children ?? label}
      </button>
      {open && (
        <ul ref={list} id={id} role="menu" aria-label={label} class="menu-list" onKeyDown={onMenuKey}>
          {items.map((item, i) => (
            <li
              key={item.label}
              role={item.checked === undefined ? "menuitem" : "menuitemradio"}
              aria-checked={item.checked}
              tabIndex={i === active ? 0 : -1}
              class={item.danger ? "menu-item danger-text" : "menu-item"}
              data-testid={item.testId}
              onClick={() => run(item)}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") {
                  e.preventDefault();
                  run(item);
                }
              }}
            >
              <span class="menu-check" aria-hidden="true">
                {item.checked ? "✓" : ""}
              </span>
              <span class="menu-label">{item.label}</span>
              {item.hint && <kbd class="menu-hint">{item.hint}</kbd>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
