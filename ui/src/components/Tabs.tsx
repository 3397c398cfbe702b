// A tab strip and its panel, as WAI-ARIA's tabs pattern has them (arrow keys, Home/End, one tab stop).
import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";

export interface Tab<K extends string> {
  key: K;
  label: ComponentChildren;
}

interface Props<K extends string> {
  /** The strip's accessible name ("Request", "Response"). */
  label: string;
  tabs: Tab<K>[];
  chosen: K;
  onChoose: (key: K) => void;
  /** Buttons at the end of the strip, after a spacer; they act on the whole, not on a tab. */
  actions?: ComponentChildren;
  /** The chosen tab's panel. */
  children?: ComponentChildren;
}

/** The tabs in a `.tabs` strip (the tab list, then the actions), then one panel per tab: the
 * chosen one shows `children`, the others are hidden and empty. */
export function Tabs<K extends string>({ label, tabs, chosen, onChoose, actions, children }: Props<K>) {
  const base = useId();
  const tabId = (k: K) => `${base}-tab-${k}`;
  const panelId = (k: K) => `${base}-panel-${k}`;

  // Automatic activation: the arrow keys (wrapping round), Home and End choose a tab and move
  // the focus to it; the focus follows the chosen tab, the only one in the Tab order.
  const onKeyDown = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.key === chosen);
    const moves: Record<string, number> = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: tabs.length - 1 };
    const to = moves[e.key];
    if (to === undefined || tabs.length === 0) return;
    e.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length].key;
    onChoose(next);
    document.getElementById(tabId(next))?.focus();
  };

  return (
    <>
      <div class="tabs">
        <div class="tab-list" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
          {tabs.map((t) => (
            <button
              key={t.key}
              type="button"
              role="tab"
              id={tabId(t.key)}
              aria-selected={t.key === chosen}
              aria-controls={panelId(t.key)}
              tabIndex={t.key === chosen ? 0 : -1}
              class={t.key === chosen ? "tab chosen" : "tab"}
              onClick={() => onChoose(t.key)}
            >
              {t.label}
            </button>
          ))}
        </div>
        {actions && (
          <>
            <span class="tab-spacer" />
            {actions}
          </>
        )}
      </div>
      {tabs.map((t) => (
        <div key={t.key} class="tab-panel" role="tabpanel" id={panelId(t.key)} aria-labelledby={tabId(t.key)} hidden={t.key !== chosen}>
          {t.key === chosen && children}
        </div>
      ))}
    </>
  );
}
