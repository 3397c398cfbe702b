import { render } from "preact";
import { useState } from "preact/hooks";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { CLOSED, listKey } from "./combobox";
import { firstPlaceholder, matchNames, matchValues, typedPath, withPath } from "./completion";
import { PairTable, type Pair } from "./PairTable";
import { UrlField } from "./UrlField";
import type { Offer } from "./OfferList";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the list's keyboard", () => {
  it("opens on the first option with ↓ and on the last with ↑, and goes round", () => {
    let s = listKey(CLOSED, "ArrowDown", 3);
    expect(s).toEqual({ next: { open: true, active: 0 }, accept: null, handled: true });
    s = listKey(s.next, "ArrowDown", 3);
    s = listKey(s.next, "ArrowDown", 3);
    expect(s.next.active).toBe(2);
    expect(listKey(s.next, "ArrowDown", 3).next.active).toBe(0);
    expect(listKey(CLOSED, "ArrowUp", 3).next).toEqual({ open: true, active: 2 });
    expect(listKey({ open: true, active: 0 }, "ArrowUp", 3).next.active).toBe(2);
    // Open, nothing moved to yet: ↓ goes to the first, ↑ to the last.
    expect(listKey({ open: true, active: -1 }, "ArrowDown", 3).next.active).toBe(0);
    expect(listKey({ open: true, active: -1 }, "ArrowUp", 3).next.active).toBe(2);
  });

  it("leaves the arrows to the field when nothing is offered", () => {
    expect(listKey(CLOSED, "ArrowDown", 0)).toEqual({ next: CLOSED, accept: null, handled: false });
  });

  it("accepts the option moved to with Enter or Tab, and closes", () => {
    for (const key of ["Enter", "Tab"]) {
      expect(listKey({ open: true, active: 1 }, key, 3)).toEqual({ next: CLOSED, accept: 1, handled: true });
    }
  });

  it("keeps Enter for sending while the list is closed or nothing is moved to", () => {
    expect(listKey(CLOSED, "Enter", 3).handled).toBe(false);
    expect(listKey({ open: true, active: -1 }, "Enter", 3)).toEqual({ next: { open: true, active: -1 }, accept: null, handled: false });
    // A list left with a stale choice after its options shrank to none accepts nothing.
    expect(listKey({ open: true, active: 2 }, "Enter", 0).accept).toBeNull();
  });

  it("lets Tab move on when nothing is moved to, closing the list", () => {
    expect(listKey({ open: true, active: -1 }, "Tab", 3)).toEqual({ next: CLOSED, accept: null, handled: false });
  });

  it("closes with Escape and keeps Escape for the window when closed", () => {
    expect(listKey({ open: true, active: 1 }, "Escape", 3)).toEqual({ next: CLOSED, accept: null, handled: true });
    expect(listKey(CLOSED, "Escape", 3).handled).toBe(false);
  });

  it("leaves keys with a modifier alone (Ctrl+Enter sends, Shift+↓ selects)", () => {
    expect(listKey({ open: true, active: 1 }, "Enter", 3, true).handled).toBe(false);
    expect(listKey(CLOSED, "ArrowDown", 3, true).handled).toBe(false);
  });
});

describe("completing the address", () => {
  it("completes the path up to the caret, never inside the query", () => {
    expect(typedPath("{{account-slug}}/v1/pro", 23)).toBe("{{account-slug}}/v1/pro");
    expect(typedPath("{{account-slug}}/v1/projects?include=client", 20)).toBe("{{account-slug}}/v1/");
    expect(typedPath("{{account-slug}}/v1/projects?include=client", 30)).toBeNull();
  });

  it("replaces the path, keeps the query, and selects the {id} to type over", () => {
    expect(withPath("{{account-slug}}/v1/pro?include=client", "{{account-slug}}/v1/projects")).toEqual({
      url: "{{account-slug}}/v1/projects?include=client",
      select: null,
    });
    const merged = withPath("{{account-slug}}/v1/projects/", "{{account-slug}}/v1/projects/{id}/merge-data");
    expect(merged.url).toBe("{{account-slug}}/v1/projects/{id}/merge-data");
    expect(merged.url.slice(...merged.select!)).toBe("{id}");
  });

  it("finds the first placeholder that is not the account's slug", () => {
    expect(firstPlaceholder("{account-slug}/v1/surveys/{{id}}/apply")).toEqual([26, 32]);
    expect(firstPlaceholder("{{account-slug}}/v1/projects")).toBeNull();
  });
});

const PARAMETERS: Offer[] = ["filter[active]", "filter[project-name]", "filter[client]", "include", "sort", "page[number]", "page[size]"].map((value) => ({ value }));

describe("query parameter names", () => {
  it("offers every free name for an empty cell, those starting with the text first", () => {
    expect(matchNames(PARAMETERS, "", ["include"]).map((o) => o.value)).not.toContain("include");
    expect(matchNames(PARAMETERS, "page", []).map((o) => o.value)).toEqual(["page[number]", "page[size]"]);
    expect(matchNames(PARAMETERS, "NAME", []).map((o) => o.value)).toEqual(["filter[project-name]"]);
    expect(matchNames(PARAMETERS, "clie", []).map((o) => o.value)).toEqual(["filter[client]"]);
  });

  it("offers nothing once the name is typed in full", () => {
    expect(matchNames(PARAMETERS, "sort", [])).toEqual([]);
    expect(matchNames(PARAMETERS, "nothing-like-it", [])).toEqual([]);
  });
});

describe("query parameter values", () => {
  it("offers a single value's matches", () => {
    expect(matchValues(["true", "false"], "", false).map((o) => o.value)).toEqual(["true", "false"]);
    expect(matchValues(["true", "false"], "f", false).map((o) => o.value)).toEqual(["false"]);
  });

  it("completes the last item of a list, keeping the items before it and not offering them again", () => {
    const includes = ["client", "rate-table", "project-services"];
    expect(matchValues(includes, "client,", true).map((o) => [o.value, o.label])).toEqual([
      ["client,rate-table", "rate-table"],
      ["client,project-services", "project-services"],
    ]);
    expect(matchValues(includes, "client,pro", true).map((o) => o.value)).toEqual(["client,project-services"]);
    // A sort field is taken with or without its minus.
    const sorts = ["name", "-name", "created-at", "-created-at"];
    expect(matchValues(sorts, "-name,", true).map((o) => o.value)).toEqual(["-name,created-at", "-name,-created-at"]);
  });
});

/** A key press on an element, as the browser would send it. */
function press(el: Element, key: string, init: KeyboardEventInit = {}) {
  act(() => {
    el.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init }));
  });
}

describe("the address field's completions", () => {
  /** The field over state of its own, completing from `paths`; `sent` counts Enter-to-send. */
  function mount(start: string, paths: string[]) {
    const sent: string[] = [];
    let shown = start;
    function Harness() {
      const [url, setUrl] = useState(start);
      shown = url;
      return (
        <UrlField
          value={url}
          onInput={setUrl}
          onEnter={() => sent.push(shown)}
          inputRef={() => {}}
          complete={async (typed) => paths.filter((p) => p.startsWith(typed) && p !== typed).map((value) => ({ value, label: value.replace(/^.*\/v1\//, "") }))}
        />
      );
    }
    const root = document.createElement("div");
    document.body.appendChild(root);
    act(() => render(<Harness />, root));
    const input = root.querySelector<HTMLInputElement>("input")!;
    const type = async (text: string) => {
      await act(async () => {
        input.focus();
        input.value = text;
        input.setSelectionRange(text.length, text.length);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
    };
    const listbox = () => root.querySelector<HTMLElement>("[role=listbox]")!;
    const options = () => [...root.querySelectorAll<HTMLElement>("[role=option]")].map((o) => o.textContent);
    return { root, input, type, listbox, options, sent, url: () => shown };
  }

  const PATHS = ["{{account-slug}}/v1/projects", "{{account-slug}}/v1/projects/{id}", "{{account-slug}}/v1/projects/{id}/merge-data", "{{account-slug}}/v1/payment-terms"];

  it("is a combobox that controls a listbox, open while there are completions", async () => {
    const f = mount("", PATHS);
    expect(f.input.getAttribute("role")).toBe("combobox");
    expect(f.input.getAttribute("aria-expanded")).toBe("false");
    expect(f.input.getAttribute("aria-controls")).toBe(f.listbox().id);
    expect(f.listbox().hidden).toBe(true);
    await f.type("{{account-slug}}/v1/pro");
    expect(f.input.getAttribute("aria-expanded")).toBe("true");
    expect(f.listbox().hidden).toBe(false);
    expect(f.options()).toEqual(["projects", "projects/{id}", "projects/{id}/merge-data"]);
    expect(f.input.hasAttribute("aria-activedescendant")).toBe(false);
  });

  it("moves with ↓, names the option as the active descendant, and accepts with Enter without sending", async () => {
    const f = mount("", PATHS);
    await f.type("{{account-slug}}/v1/pro");
    press(f.input, "ArrowDown");
    press(f.input, "ArrowDown");
    const active = f.input.getAttribute("aria-activedescendant")!;
    expect(document.getElementById(active)!.textContent).toBe("projects/{id}");
    expect(document.getElementById(active)!.getAttribute("aria-selected")).toBe("true");
    press(f.input, "Enter");
    expect(f.url()).toBe("{{account-slug}}/v1/projects/{id}");
    expect(f.sent).toEqual([]);
    expect(f.input.getAttribute("aria-expanded")).toBe("false");
    // The {id} is selected, to be typed over.
    expect([f.input.selectionStart, f.input.selectionEnd]).toEqual([29, 33]);
  });

  it("sends with Enter while the list is closed, and Escape closes it keeping the text", async () => {
    const f = mount("", PATHS);
    await f.type("{{account-slug}}/v1/pay");
    expect(f.options()).toEqual(["payment-terms"]);
    press(f.input, "Escape");
    expect(f.input.getAttribute("aria-expanded")).toBe("false");
    expect(f.url()).toBe("{{account-slug}}/v1/pay");
    press(f.input, "Enter");
    expect(f.sent).toEqual(["{{account-slug}}/v1/pay"]);
  });

  it("accepts an option clicked, keeping the query", async () => {
    const f = mount("", PATHS);
    await f.type("{{account-slug}}/v1/pay");
    // The caret is before the query: the path is completed, the query kept.
    await act(async () => {
      f.input.value = "{{account-slug}}/v1/pay?page[size]=5";
      f.input.setSelectionRange(23, 23);
      f.input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    act(() => f.root.querySelector<HTMLElement>("[role=option]")!.click());
    expect(f.url()).toBe("{{account-slug}}/v1/payment-terms?page[size]=5");
  });
});

describe("the address field asking for completions", () => {
  it("asks with ↓ in a field not typed in, for the text up to the caret", async () => {
    const asked: string[] = [];
    const root = document.createElement("div");
    document.body.appendChild(root);
    act(() =>
      render(
        <UrlField
          value="{{account-slug}}/v1/pay?page[size]=5"
          onInput={() => {}}
          onEnter={() => {}}
          inputRef={() => {}}
          complete={async (typed) => {
            asked.push(typed);
            return [{ value: "{{account-slug}}/v1/payment-terms", label: "payment-terms" }];
          }}
        />,
        root,
      ),
    );
    const input = root.querySelector("input")!;
    input.focus();
    input.setSelectionRange(23, 23);
    await act(async () => {
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true }));
    });
    expect(asked).toEqual(["{{account-slug}}/v1/pay"]);
    expect(input.getAttribute("aria-expanded")).toBe("true");
    expect([...root.querySelectorAll("[role=option]")].map((o) => o.textContent)).toEqual(["payment-terms"]);
  });

  it("drops an answer that comes after the answer to newer text", async () => {
    const pending = new Map<string, (offers: Offer[]) => void>();
    function Harness() {
      const [url, setUrl] = useState("");
      return <UrlField value={url} onInput={setUrl} onEnter={() => {}} inputRef={() => {}} complete={(typed) => new Promise((done) => pending.set(typed, done))} />;
    }
    const root = document.createElement("div");
    document.body.appendChild(root);
    act(() => render(<Harness />, root));
    const input = root.querySelector("input")!;
    for (const text of ["v1/p", "v1/pa"]) {
      await act(async () => {
        input.value = text;
        input.setSelectionRange(text.length, text.length);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
    }
    await act(async () => pending.get("v1/pa")!([{ value: "v1/payment-terms" }]));
    await act(async () => pending.get("v1/p")!([{ value: "v1/projects" }, { value: "v1/payment-terms" }]));
    expect([...root.querySelectorAll("[role=option]")].map((o) => o.textContent)).toEqual(["v1/payment-terms"]);
  });
});

describe("query parameter names offered in the table", () => {
  it("offers the resource's names in a name cell and puts the one accepted in it", () => {
    const seen: Pair[][] = [];
    function Harness() {
      const [rows, setRows] = useState<Pair[]>([{ key: "include", value: "client" }]);
      return (
        <PairTable
          noun="Parameter"
          label="Parameters"
          rows={rows}
          keyOffers={PARAMETERS}
          onChange={(r) => {
            seen.push(r);
            setRows(r);
          }}
        />
      );
    }
    const root = document.createElement("div");
    document.body.appendChild(root);
    act(() => render(<Harness />, root));
    const name = root.querySelector<HTMLInputElement>("input[aria-label='Parameter 2 name']")!;
    expect(name.getAttribute("role")).toBe("combobox");
    act(() => {
      name.value = "filter";
      name.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const offered = [...root.querySelectorAll("[role=option]")].map((o) => o.textContent);
    expect(offered).toEqual(["filter[active]", "filter[project-name]", "filter[client]"]);
    const input = root.querySelector<HTMLInputElement>("input[aria-label='Parameter 2 name']")!;
    press(input, "ArrowUp");
    press(input, "Tab");
    expect(seen.at(-1)).toEqual([
      { key: "include", value: "client" },
      { key: "filter[client]", value: "" },
    ]);
    // "include" is taken by the first row: not offered again.
    const third = root.querySelector<HTMLInputElement>("input[aria-label='Parameter 3 name']")!;
    act(() => {
      third.value = "inc";
      third.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(root.querySelectorAll("[role=option]")).toHaveLength(0);
  });
});
