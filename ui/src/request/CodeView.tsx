// The code editor as the rest of the UI uses it: CodeMirror (CodeEditor.tsx) is a separate
// chunk, fetched the first time an editor is shown, so the window's first view never waits for
// it to load and parse.
import { useEffect, useState } from "preact/hooks";
import type { CodeViewProps } from "./CodeEditor";

type EditorModule = typeof import("./CodeEditor");
let loading: Promise<EditorModule> | null = null;

export function CodeView(props: CodeViewProps) {
  const [editor, setEditor] = useState<EditorModule | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loading ??= import("./CodeEditor");
    loading.then(
      (m) => live && setEditor(() => m),
      (e) => {
        loading = null;
        if (live) setFailed(String(e));
      },
    );
    return () => {
      live = false;
    };
  }, []);
  if (editor) return <editor.CodeEditor {...props} />;
  return (
    <div class="code-view" data-testid={props.testId} aria-label={props.label}>
      <p class="subtle">{failed ? `The editor could not be loaded (${failed}). Reload the window with Ctrl+R.` : "Loading the editor…"}</p>
    </div>
  );
}
