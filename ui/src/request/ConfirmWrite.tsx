// The question before the first write (POST, PATCH, PUT, DELETE) of a request tab on a production
// profile: "PATCH a project in account acme-corp?", with the path, Send and Cancel. Cancel (or
// Escape) sends nothing; focus starts on Cancel, so a stray Enter never writes.
import { Dialog } from "../components/Dialog";

/** The methods that change something on the server, and so are asked about on production. */
export const WRITE_METHODS = ["POST", "PATCH", "PUT", "DELETE"];

export const isWrite = (method: string) => WRITE_METHODS.includes(method.trim().toUpperCase());

/** A production profile's account, as the band and the question name it. */
export interface ProductionGuard {
  /** The account's slug from /v1/me, or the profile's name before it is known. */
  account: string;
}

/** The request's path without the scheme, host and query: `{{account-slug}}/v1/projects/12`. */
export function pathOf(url: string): string {
  const noQuery = url.trim().split(/[?#]/)[0];
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(noQuery);
  return m ? m[1] || "/" : noQuery;
}

/** One word for a plural resource type: `projects` → `project`, `companies` → `company`. */
export function singular(word: string): string {
  if (/ies$/.test(word)) return word.slice(0, -3) + "y";
  if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The resource type a path writes to, singular: `…/v1/projects/12` → `project`,
 * `…/v1/surveys/4/calculate` → `survey`, `…/v1/projects/1/project-services` → `project-service`.
 * The segments after `v1` alternate type and id; an action after an id (no plural) belongs to
 * the type before it. */
export function resourceOf(url: string): string {
  const all = pathOf(url).split("/").filter((s) => s);
  const v1 = all.indexOf("v1");
  const segments = v1 >= 0 ? all.slice(v1 + 1) : all;
  const isId = (s: string) => /^\d+$/.test(s) || /^\{\{?[^}]*\}?\}$/.test(s) || /^[0-9a-f-]{16,}$/i.test(s);
  const types = segments.filter((s, i) => i % 2 === 0 && !isId(s));
  const plural = [...types].reverse().find((t) => /s$/.test(t) && t !== "relationships");
  const type = plural ?? types[0];
  return type ? singular(decodeURIComponent(type)) : "resource";
}

/** "PATCH a project in account acme-corp?" */
export function question(method: string, url: string, account: string): string {
  const what = resourceOf(url);
  const article = /^[aeiou]/i.test(what) ? "an" : "a";
  return `${method.toUpperCase()} ${article} ${what} in account ${account}?`;
}

interface Props {
  method: string;
  url: string;
  account: string;
  profileName: string;
  onSend: () => void;
  onCancel: () => void;
}

export function ConfirmWrite({ method, url, account, profileName, onSend, onCancel }: Props) {
  return (
    <Dialog title={question(method, url, account)} onClose={onCancel} testId="confirm-write" initialFocus="[data-testid=confirm-write-cancel]">
      <p>
        <strong>{profileName}</strong> is a production profile: this request changes real data in the account <strong>{account}</strong>.
      </p>
      <p class="confirm-write-request">
        <code data-testid="confirm-write-line">
          {method.toUpperCase()} {pathOf(url)}
        </code>
      </p>
      <p class="subtle">Once you send, this tab's later writes go without asking. A new tab asks again.</p>
      <div class="actions dialog-actions">
        <button type="button" class="primary" onClick={onSend} data-testid="confirm-write-send">
          Send
        </button>
        <button type="button" onClick={onCancel} data-testid="confirm-write-cancel">
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
