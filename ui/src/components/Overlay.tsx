// A panel over the window for a report (a Postman import, an opened support bundle), closed
// with its button or Escape.
import type { ComponentChildren } from "preact";

interface Props {
  title: string;
  testId: string;
  onClose: () => void;
  children: ComponentChildren;
}

const backdrop = { position: "fixed", inset: "0", background: "rgba(0,0,0,0.35)", display: "flex", alignItems: "center", justifyContent: "center", zIndex: 50 };
const panel = { background: "var(--bg, #fff)", color: "inherit", maxWidth: "44rem", width: "90%", maxHeight: "85vh", overflow: "auto", padding: "1.2rem 1.5rem", borderRadius: "8px", boxShadow: "0 8px 30px rgba(0,0,0,0.3)" };

export function Overlay({ title, testId, onClose, children }: Props) {
  return (
    <div style={backdrop} onKeyDown={(e) => e.key === "Escape" && onClose()} onClick={(e) => e.target === e.currentTarget && onClose()}>
      <section role="dialog" aria-modal="true" aria-label={title} data-testid={testId} style={panel} class="overlay-panel">
        <h2>{title}</h2>
        {children}
        <div class="actions">
          <button type="button" class="primary small" onClick={onClose} autoFocus data-testid={`${testId}-close`}>
            Close
          </button>
        </div>
      </section>
    </div>
  );
}

/** A titled list, left out when empty. */
export function Lines({ title, lines }: { title: string; lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </>
  );
}
