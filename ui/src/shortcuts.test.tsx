import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { dispatch, useShortcut } from "./shortcuts";

function Saver({ onSave }: { onSave: () => void }) {
  useShortcut("save", onSave);
  return <p>editor</p>;
}

const ctrlS = () => new KeyboardEvent("keydown", { key: "s", ctrlKey: true, cancelable: true });

let root: HTMLElement;
afterEach(() => {
  act(() => render(null, root));
  root.remove();
});

describe("useShortcut", () => {
  it("carries out a shortcut pressed the moment its part of the window is on the page", () => {
    root = document.body.appendChild(document.createElement("div"));
    let saved = 0;
    // No act(): nothing waits for a frame, as a key pressed right after the part shows.
    render(<Saver onSave={() => saved++} />, root);
    const event = ctrlS();
    expect(dispatch(event)).toBe(true);
    expect(saved).toBe(1);
    expect(event.defaultPrevented).toBe(true);
  });

  it("lets go of the shortcut when its part leaves the page", () => {
    root = document.body.appendChild(document.createElement("div"));
    let saved = 0;
    act(() => render(<Saver onSave={() => saved++} />, root));
    act(() => render(null, root));
    expect(dispatch(ctrlS())).toBe(false);
    expect(saved).toBe(0);
  });
});
