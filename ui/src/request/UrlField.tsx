// The address field with its variables highlighted: a copy of the text sits behind a transparent
// input, with each {{name}} (or {name}) marked, and scrolls with it.
import type { Ref } from "preact";
import { useRef } from "preact/hooks";

/** `{{name}}` as Postman writes it, or `{name}` as the app's first version did. */
const VARIABLE = /(\{\{[^{}]+\}\}|\{[A-Za-z0-9_.-]+\})/g;

/** The names of the variables in an address, each once, in order. */
export function variableNames(url: string): string[] {
  const names = (url.match(VARIABLE) ?? []).map((v) => v.replace(/^\{\{?|\}?\}$/g, ""));
  return [...new Set(names)];
}

/** The address cut into plain text and variables. */
export function urlParts(url: string): { text: string; variable: boolean }[] {
  // Split by a pattern with a group: the pieces at odd places are what the group matched.
  return url
    .split(VARIABLE)
    .map((text, i) => ({ text, variable: i % 2 === 1 }))
    .filter((p) => p.text !== "");
}

interface Props {
  value: string;
  onInput: (value: string) => void;
  onEnter: () => void;
  inputRef: Ref<HTMLInputElement>;
}

export function UrlField({ value, onInput, onEnter, inputRef }: Props) {
  const behind = useRef<HTMLDivElement>(null);
  const follow = (e: Event) => {
    if (behind.current) behind.current.scrollLeft = (e.currentTarget as HTMLInputElement).scrollLeft;
  };
  return (
    <div class="url-field">
      <div class="url-highlight" aria-hidden="true" ref={behind}>
        {urlParts(value).map((p, i) => (p.variable ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
      </div>
      <input
        ref={inputRef}
        class="url-input"
        value={value}
        onInput={(e) => {
          onInput(e.currentTarget.value);
          follow(e);
        }}
        onScroll={follow}
        onKeyUp={follow}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey) {
            e.preventDefault();
            onEnter();
          }
        }}
        aria-label="URL"
        name="request_url"
        spellcheck={false}
        autoComplete="off"
        placeholder="{{account-slug}}/v1/projects"
      />
    </div>
  );
}
