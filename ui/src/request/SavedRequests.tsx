// The profile's saved requests (from a Postman import), by folder; a click loads one into the
// editor, × deletes it. Secrets were never saved: what was left out is shown on hover.
import { useEffect, useState } from "preact/hooks";
import { describe, type RequestSpec, type UiError } from "../api";
import { deleteSavedRequest, editableSpec, savedRequests, type SavedRequest } from "../interop-api";

interface Props {
  profileId: string;
  onLoad: (spec: RequestSpec) => void;
  onError: (error: UiError) => void;
}

export function SavedRequests({ profileId, onLoad, onError }: Props) {
  const [items, setItems] = useState<SavedRequest[]>([]);
  useEffect(() => {
    savedRequests(profileId).then(setItems, () => setItems([]));
  }, [profileId]);
  if (items.length === 0) return null;

  const remove = (r: SavedRequest) => deleteSavedRequest(profileId, r.id).then(setItems, (e) => onError(describe(e)));
  return (
    <details class="history saved-requests" open data-testid="saved-requests">
      <summary>Saved requests ({items.length})</summary>
      <ul>
        {items.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              class="link"
              onClick={() => onLoad(editableSpec(r))}
              title={r.redacted.length ? `Left out when saved (secrets): ${r.redacted.join(", ")}` : undefined}
              data-saved-request={r.name}
            >
              {r.folder.length > 0 && <span class="subtle">{r.folder.join(" / ")} / </span>}
              {r.name} <code>{r.spec.method}</code>
            </button>{" "}
            <button type="button" class="small" aria-label={`Delete the saved request ${r.name}`} onClick={() => remove(r)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
