// A CodeMirror 6 editor: JSON highlighting, folding, search (Ctrl+F), optional wrapping.
// Loaded on first use through CodeView.tsx, so the window starts without CodeMirror.
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { bracketMatching, foldGutter, foldKeymap, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useEffect, useRef } from "preact/hooks";

/** JSON's colours from the page's theme (styles.css sets --j-* for light and dark), so a body is
 * as readable in the dark theme as the large-body viewer is. */
const themeColours = HighlightStyle.define([
  { tag: tags.propertyName, color: "var(--j-key)" },
  { tag: tags.string, color: "var(--j-string)" },
  { tag: tags.number, color: "var(--j-number)" },
  { tag: [tags.bool, tags.null, tags.keyword], color: "var(--j-literal)" },
  { tag: tags.invalid, color: "var(--bad)" },
]);

export interface CodeViewProps {
  doc: string;
  readOnly?: boolean;
  wrap?: boolean;
  language?: "json" | "text";
  onChange?: (text: string) => void;
  label: string;
  testId?: string;
}

export function CodeEditor({ doc, readOnly = false, wrap = false, language = "json", onChange, label, testId }: CodeViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const wrapping = useRef(new Compartment());
  const changed = useRef(onChange);
  changed.current = onChange;
  const shown = useRef(doc);

  useEffect(() => {
    if (!host.current) return;
    const state = EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        foldGutter(),
        bracketMatching(),
        highlightSelectionMatches(),
        search({ top: true }),
        history(),
        syntaxHighlighting(themeColours),
        language === "json" ? json() : [],
        wrapping.current.of(wrap ? EditorView.lineWrapping : []),
        EditorState.readOnly.of(readOnly),
        // A tab stop of its own (the scroller must be reachable by keyboard, also read-only).
        EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
        keymap.of([...searchKeymap, ...foldKeymap, ...historyKeymap, ...defaultKeymap]),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged || !changed.current) return;
          const text = u.state.doc.toString();
          shown.current = text;
          changed.current(text);
        }),
      ],
    });
    view.current = new EditorView({ state, parent: host.current });
    return () => view.current?.destroy();
  }, [readOnly, language]);

  // A new document from outside (a new response, a loaded request) replaces the old one.
  useEffect(() => {
    const v = view.current;
    if (!v || shown.current === doc) return;
    shown.current = doc;
    if (v.state.doc.toString() !== doc) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: doc } });
  }, [doc]);

  useEffect(() => {
    view.current?.dispatch({ effects: wrapping.current.reconfigure(wrap ? EditorView.lineWrapping : []) });
  }, [wrap]);

  return <div class="code-view" ref={host} data-testid={testId} />;
}
