// Naming a saved request and choosing its folder (Save, Rename, Move): one dialog whose name and
// folder fields each show only when asked for. Folders are written "Projects / Drafts".
import { useState } from "preact/hooks";
import * as api from "../api";
import { Dialog, DialogActions, FormError } from "../components/Dialog";

interface Props {
  title?: string;
  action?: string;
  /** The name field, with this text; left out when null. */
  suggestedName: string | null;
  /** The folder field, with this text; left out when null. */
  folder?: string | null;
  folders: string[];
  onSave: (name: string, folder: string[]) => Promise<void>;
  onClose: () => void;
}

/** "Projects / Drafts" as a folder path. */
export function folderPath(text: string): string[] {
  return text
    .split("/")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

export function SaveRequestDialog({ title = "Save request", action = "Save", suggestedName, folder = "", folders, onSave, onClose }: Props) {
  const [name, setName] = useState(suggestedName ?? "");
  const [folderText, setFolderText] = useState(folder ?? "");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await onSave(name.trim(), folderPath(folderText));
    } catch (err) {
      setError(api.errorMessage(err));
    }
  };
  return (
    <Dialog title={title} onClose={onClose} testId="save-request-dialog">
      <form class="dialog-form" onSubmit={submit}>
        {suggestedName !== null && (
          <label class="field">
            <span>Name</span>
            <input value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="save-name" />
          </label>
        )}
        {folder !== null && (
          <label class="field">
            <span>Folder (optional; “Projects / Drafts” for a folder in a folder)</span>
            <input value={folderText} onInput={(e) => setFolderText(e.currentTarget.value)} list="saved-folders" data-testid="save-folder" />
            <datalist id="saved-folders">
              {folders.map((f) => (
                <option key={f} value={f} />
              ))}
            </datalist>
          </label>
        )}
        <FormError error={error} />
        <DialogActions onCancel={onClose}>
          <button type="submit" class="primary" disabled={suggestedName !== null && !name.trim()} data-testid="save-submit">
            {action}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
