// The address field with its variables highlighted: a copy of the text sits behind a transparent
// input, with each {{name}} (or {name}) marked, and scrolls with it.
import type { Ref } from "preact";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";

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
  const own = useRef<HTMLInputElement | null>(null);
  // The input scrolls on its own (typing, the caret, the arrow keys, a selection), not always
  // with an event: while it has the focus, the highlight follows it every frame.
  const frame = useRef(0);
  const sync = () => {
    if (behind.current && own.current) behind.current.scrollLeft = own.current.scrollLeft;
  };
  const follow = (_e?: Event) => sync();
  const track = () => {
    sync();
    frame.current = requestAnimationFrame(track);
  };
  const stop = () => {
    cancelAnimationFrame(frame.current);
    requestAnimationFrame(sync);
  };
  useLayoutEffect(sync, [value]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  const setRefs = (el: HTMLInputElement | null) => {
    own.current = el;
    if (typeof inputRef === "function") inputRef(el);
    else if (inputRef) inputRef.current = el;
  };
  return (
    <div class="url-field">
      <div class="url-highlight" aria-hidden="true" ref={behind}>
        {urlParts(value).map((p, i) => (p.variable ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
        {/* Room for the caret after the last character, as the input has. */}
        <span> </span>
      </div>
      <input
        ref={setRefs}
        class="url-input"
        onFocus={track}
        onBlur={stop}
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
