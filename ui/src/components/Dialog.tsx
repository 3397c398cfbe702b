// A modal dialog on the native <dialog> element: focus moves into it when it opens and is held
// there, Escape closes it, and focus returns to whatever had it before.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

interface Props {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  testId?: string;
  /** The element inside to focus first (a CSS selector); the first focusable one otherwise. */
  initialFocus?: string;
}

let dialogs = 0;

export function Dialog({ title, onClose, children, testId, initialFocus }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useRef(`dialog-title-${++dialogs}`).current;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement as HTMLElement | null;
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    // A field first (the close button comes before it in the page), else the first control.
    const first =
      (initialFocus && dialog.querySelector<HTMLElement>(initialFocus)) ||
      dialog.querySelector<HTMLElement>("input, select, textarea") ||
      dialog.querySelector<HTMLElement>(".dialog-actions button") ||
      dialog.querySelector<HTMLElement>("button, [tabindex='0']");
    first?.focus();
    return () => {
      if (dialog.open && typeof dialog.close === "function") dialog.close();
      before?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        // Escape: the component closes it, so its state says closed too.
        e.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="link" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

/** A dialog's row of buttons: its own (the main one first), then Cancel. */
export function DialogActions({ children, onCancel, cancel = "Cancel" }: { children?: ComponentChildren; onCancel: () => void; cancel?: string }) {
  return (
    <div class="actions dialog-actions">
      {children}
      <button type="button" onClick={onCancel}>
        {cancel}
      </button>
    </div>
  );
}

/** What went wrong in a dialog's form, said at once to screen readers. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="bad-text" role="alert">
      {error}
    </p>
  );
}
