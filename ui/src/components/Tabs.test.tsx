import { render } from "preact";
import { useState } from "preact/hooks";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { Tabs } from "./Tabs";

type Key = "params" | "headers" | "body";

function Harness() {
  const [chosen, setChosen] = useState<Key>("headers");
  return (
    <Tabs
      label="Request"
      tabs={[
        { key: "params", label: "Parameters" },
        { key: "headers", label: "Headers" },
        { key: "body", label: "Body" },
      ]}
      chosen={chosen}
      onChoose={setChosen}
      actions={<button type="button">Import curl…</button>}
    >
      <p>The {chosen} panel</p>
    </Tabs>
  );
}

function mount() {
  const root = document.createElement("div");
  document.body.appendChild(root);
  act(() => render(<Harness />, root));
  const tabs = () => [...root.querySelectorAll<HTMLButtonElement>("[role=tab]")];
  const chosen = () => tabs().filter((t) => t.getAttribute("aria-selected") === "true");
  const press = (key: string) => act(() => { document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true })); });
  return { root, tabs, chosen, press };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("Tabs", () => {
  it("is a named tab list whose tabs control labelled panels", () => {
    const { root, tabs } = mount();
    const list = root.querySelector("[role=tablist]")!;
    expect(list.getAttribute("aria-label")).toBe("Request");
    expect(tabs().map((t) => t.textContent)).toEqual(["Parameters", "Headers", "Body"]);
    for (const tab of tabs()) {
      const panel = document.getElementById(tab.getAttribute("aria-controls")!)!;
      expect(panel.getAttribute("role")).toBe("tabpanel");
      expect(panel.getAttribute("aria-labelledby")).toBe(tab.id);
    }
    const shown = [...root.querySelectorAll<HTMLElement>("[role=tabpanel]")].filter((p) => !p.hidden);
    expect(shown).toHaveLength(1);
    expect(shown[0].textContent).toBe("The headers panel");
    expect(shown[0].getAttribute("aria-labelledby")).toBe(tabs()[1].id);
    // The actions are in the strip, but not in the tab list.
    expect(list.textContent).not.toContain("Import curl");
    expect(root.querySelector(".tabs .tab-spacer + button")?.textContent).toBe("Import curl…");
  });

  it("puts only the chosen tab in the Tab order", () => {
    const { tabs, chosen } = mount();
    expect(chosen().map((t) => t.textContent)).toEqual(["Headers"]);
    expect(tabs().map((t) => t.tabIndex)).toEqual([-1, 0, -1]);
    act(() => tabs()[2].click());
    expect(chosen().map((t) => t.textContent)).toEqual(["Body"]);
    expect(tabs().map((t) => t.tabIndex)).toEqual([-1, -1, 0]);
  });

  it("moves the choice and the focus with the arrow keys, wrapping round", () => {
    const { root, tabs, chosen, press } = mount();
    tabs()[1].focus();
    press("ArrowRight");
    expect(chosen()[0].textContent).toBe("Body");
    expect(document.activeElement).toBe(tabs()[2]);
    expect(root.querySelector("[role=tabpanel]:not([hidden])")!.textContent).toBe("The body panel");
    press("ArrowRight");
    expect(chosen()[0].textContent).toBe("Parameters");
    expect(document.activeElement).toBe(tabs()[0]);
    press("ArrowLeft");
    expect(chosen()[0].textContent).toBe("Body");
    expect(document.activeElement).toBe(tabs()[2]);
    press("ArrowLeft");
    expect(chosen()[0].textContent).toBe("Headers");
    expect(document.activeElement).toBe(tabs()[1]);
    expect(tabs().map((t) => t.tabIndex)).toEqual([-1, 0, -1]);
  });

  it("goes to the first and the last tab with Home and End", () => {
    const { tabs, chosen, press } = mount();
    tabs()[1].focus();
    press("End");
    expect(chosen()[0].textContent).toBe("Body");
    expect(document.activeElement).toBe(tabs()[2]);
    press("Home");
    expect(chosen()[0].textContent).toBe("Parameters");
    expect(document.activeElement).toBe(tabs()[0]);
  });

  it("leaves other keys alone", () => {
    const { tabs, chosen, press } = mount();
    tabs()[1].focus();
    press("ArrowDown");
    press("a");
    expect(chosen()[0].textContent).toBe("Headers");
    expect(document.activeElement).toBe(tabs()[1]);
  });
});
