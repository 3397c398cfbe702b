// The window's keyboard shortcuts: one list (shown on buttons and in the shortcuts window), one
// key handler on the document so they work wherever focus is, and a hook for the part of the
// window that carries each one out.
import { useLayoutEffect, useRef } from "preact/hooks";

export type ShortcutId = "send" | "save" | "new-tab" | "close-tab" | "focus-url" | "find" | "shortcuts" | "cancel";

export interface Shortcut {
  id: ShortcutId;
  /** As shown to people: "Ctrl+Enter". */
  keys: string;
  what: string;
  /** Whether a key event is this shortcut. */
  matches: (e: KeyboardEvent) => boolean;
}

const ctrl = (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && !e.altKey;

export const SHORTCUTS: Shortcut[] = [
  { id: "send", keys: "Ctrl+Enter", what: "Send the request", matches: (e) => ctrl(e) && e.key === "Enter" },
  { id: "save", keys: "Ctrl+S", what: "Save the request", matches: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === "s" },
  { id: "new-tab", keys: "Ctrl+T", what: "New request tab", matches: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === "t" },
  { id: "close-tab", keys: "Ctrl+W", what: "Close the request tab", matches: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === "w" },
  { id: "focus-url", keys: "Ctrl+L", what: "Go to the address", matches: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === "l" },
  { id: "find", keys: "Ctrl+F", what: "Find in the response", matches: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === "f" },
  // "?" is Shift+/ on most layouts; Ctrl+/ alone works too (as in many apps).
  { id: "shortcuts", keys: "Ctrl+?", what: "Show the keyboard shortcuts", matches: (e) => ctrl(e) && (e.key === "?" || e.key === "/") },
  { id: "cancel", keys: "Escape", what: "Cancel the running request or jq filter, or close a dialog", matches: (e) => e.key === "Escape" && !e.ctrlKey && !e.altKey && !e.metaKey },
];

/** The keys of a shortcut as shown: `keysOf("send")` is "Ctrl+Enter". */
export function keysOf(id: ShortcutId): string {
  return SHORTCUTS.find((s) => s.id === id)!.keys;
}

type Handler = () => boolean | void;
// The handlers of each shortcut, newest last: the newest one that takes the event wins
// (returning false passes it on), so a dialog's Escape comes before the request's.
const handlers = new Map<ShortcutId, Handler[]>();

/** The shortcut a key event is, if any, and runs its newest handler. Returns whether one ran. */
export function dispatch(e: KeyboardEvent): boolean {
  const shortcut = SHORTCUTS.find((s) => s.matches(e));
  if (!shortcut) return false;
  // An open dialog takes Escape itself (it closes): nothing behind it is cancelled too.
  if (shortcut.id === "cancel" && document.querySelector("dialog[open]")) return false;
  const list = handlers.get(shortcut.id) ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i]() !== false) {
      e.preventDefault();
      return true;
    }
  }
  return false;
}

let installed = false;
/** Listens on the document once, so shortcuts work wherever focus is. */
export function installShortcuts(doc: Document = document) {
  if (installed) return;
  installed = true;
  doc.addEventListener("keydown", (e) => {
    if (!e.defaultPrevented) dispatch(e);
  });
}

/** Carries out a shortcut while the calling component is shown (and `enabled`). */
export function useShortcut(id: ShortcutId, handler: Handler, enabled = true) {
  const latest = useRef(handler);
  latest.current = handler;
  // Registered as the component is put on the page, not after the next frame as useEffect would:
  // a shortcut pressed the moment its part of the window shows (as a quick typist, or a test,
  // does) is not lost.
  useLayoutEffect(() => {
    if (!enabled) return;
    const h: Handler = () => latest.current();
    const list = handlers.get(id) ?? [];
    list.push(h);
    handlers.set(id, list);
    return () => {
      const now = handlers.get(id) ?? [];
      handlers.set(
        id,
        now.filter((x) => x !== h),
      );
    };
  }, [id, enabled]);
}
