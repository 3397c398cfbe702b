// The address field with its variables highlighted: a copy of the text sits behind a transparent
// input, with each {{name}} (or {name}) marked, and scrolls with it. Typing a path offers the
// catalogue's completions in a list under it (a combobox: ↓/↑, Enter or Tab, Escape).
import type { Ref } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { typedPath, withPath } from "./completion";
import { useOfferList, type Offer } from "./OfferList";

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
  /** The paths that complete the typed text (the address up to the caret); without it, none
   * are offered. Each offer's value is the whole path it puts before the query. */
  complete?: (typed: string) => Promise<Offer[]>;
}

export function UrlField({ value, onInput, onEnter, inputRef, complete }: Props) {
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

  // The completions of what is typed; an answer to older text is dropped.
  const [offers, setOffers] = useState<Offer[]>([]);
  const asked = useRef(0);
  // Where the caret (or the selection over an `{id}`) goes once an accepted path has rendered.
  const place = useRef<[number, number] | null>(null);
  const offerList = useOfferList({
    offers,
    label: "Paths from the API catalogue",
    testId: "path-completions",
    onAccept: (o) => {
      const next = withPath(value, o.value);
      const pathEnd = o.value.length;
      place.current = next.select ?? [pathEnd, pathEnd];
      setOffers([]);
      onInput(next.url);
    },
  });
  const ask = (text: string, caret: number, wanted: boolean) => {
    const typed = complete ? typedPath(text, caret) : null;
    const n = ++asked.current;
    if (typed === null || !complete) {
      setOffers([]);
      offerList.close();
      return;
    }
    complete(typed).then(
      (found) => {
        if (n !== asked.current) return;
        setOffers(found);
        offerList.show(wanted);
      },
      () => n === asked.current && setOffers([]),
    );
  };
  useLayoutEffect(() => {
    const at = place.current;
    if (!at || !own.current) return;
    place.current = null;
    own.current.setSelectionRange(at[0], at[1]);
    sync();
  }, [value]);
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
        {...(complete ? offerList.field : {})}
        onFocus={track}
        onBlur={() => {
          stop();
          offerList.close();
        }}
        value={value}
        onInput={(e) => {
          const el = e.currentTarget;
          onInput(el.value);
          follow(e);
          ask(el.value, el.selectionStart ?? el.value.length, true);
        }}
        onScroll={follow}
        onKeyUp={follow}
        onKeyDown={(e) => {
          if (complete && offerList.onKey(e)) return;
          // ↓ in a field not yet typed in asks for the completions of the text there.
          if (complete && e.key === "ArrowDown" && !e.altKey && !e.ctrlKey && !e.shiftKey && offers.length === 0) {
            e.preventDefault();
            const el = e.currentTarget;
            ask(el.value, el.selectionStart ?? el.value.length, true);
            return;
          }
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
      {complete && offerList.list}
    </div>
  );
}
