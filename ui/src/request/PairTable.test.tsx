import { render } from "preact";
import { useState } from "preact/hooks";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { PairTable, type Pair } from "./PairTable";

/** Mounts an editable table over state of its own; `seen` is every list it handed back. */
function mountEditable(start: Pair[]) {
  const seen: Pair[][] = [];
  function Harness() {
    const [rows, setRows] = useState(start);
    return (
      <PairTable
        noun="Header"
        label="Headers"
        rows={rows}
        onChange={(r) => {
          seen.push(r);
          setRows(r);
        }}
        name="header"
      />
    );
  }
  const root = document.createElement("div");
  document.body.appendChild(root);
  act(() => render(<Harness />, root));
  const input = (label: string) => root.querySelector<HTMLInputElement>(`input[aria-label='${label}']`)!;
  const type = (label: string, value: string) =>
    act(() => {
      const i = input(label);
      i.value = value;
      i.dispatchEvent(new Event("input", { bubbles: true }));
    });
  const values = () => [...root.querySelectorAll("input")].map((i) => i.value);
  return { root, input, type, values, seen };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("PairTable", () => {
  it("names its inputs and remove buttons by the row's number", () => {
    const { root } = mountEditable([
      { key: "X-One", value: "1" },
      { key: "X-Two", value: "2" },
    ]);
    expect(root.querySelector("table")!.getAttribute("aria-label")).toBe("Headers");
    expect([...root.querySelectorAll("input")].map((i) => i.getAttribute("aria-label"))).toEqual([
      "Header 1 name",
      "Header 1 value",
      "Header 2 name",
      "Header 2 value",
      "Header 3 name",
      "Header 3 value",
    ]);
    expect([...root.querySelectorAll("input")].map((i) => i.name)).toEqual(["header_name_0", "header_value_0", "header_name_1", "header_value_1", "header_name_2", "header_value_2"]);
    // The empty last row has nothing to remove.
    expect([...root.querySelectorAll("button")].map((b) => b.getAttribute("aria-label"))).toEqual(["Remove header 1", "Remove header 2"]);
  });

  it("adds a row by typing into the empty last one, and edits a row in place", () => {
    const { type, values, seen } = mountEditable([{ key: "X-One", value: "1" }]);
    type("Header 2 name", "X-Two");
    expect(seen.at(-1)).toEqual([
      { key: "X-One", value: "1" },
      { key: "X-Two", value: "" },
    ]);
    expect(values()).toEqual(["X-One", "1", "X-Two", "", "", ""]);
    type("Header 2 value", "2");
    type("Header 1 value", "one");
    expect(seen.at(-1)).toEqual([
      { key: "X-One", value: "one" },
      { key: "X-Two", value: "2" },
    ]);
    expect(values()).toEqual(["X-One", "one", "X-Two", "2", "", ""]);
  });

  it("removes a row, and the focus goes to the name of the row that takes its place", () => {
    const { root, input, values, seen } = mountEditable([
      { key: "X-One", value: "1" },
      { key: "X-Two", value: "2" },
      { key: "X-Three", value: "3" },
    ]);
    act(() => root.querySelector<HTMLButtonElement>("button[aria-label='Remove header 2']")!.click());
    expect(seen.at(-1)).toEqual([
      { key: "X-One", value: "1" },
      { key: "X-Three", value: "3" },
    ]);
    expect(values()).toEqual(["X-One", "1", "X-Three", "3", "", ""]);
    expect(document.activeElement).toBe(input("Header 2 name"));
    act(() => root.querySelector<HTMLButtonElement>("button[aria-label='Remove header 2']")!.click());
    expect(values()).toEqual(["X-One", "1", "", ""]);
    expect(document.activeElement).toBe(input("Header 2 name"));
    expect(root.querySelector("button[aria-label='Remove header 2']")).toBeNull();
  });

  it("shows a read-only table without inputs or buttons", () => {
    const root = document.createElement("div");
    document.body.appendChild(root);
    act(() =>
      render(
        <PairTable
          noun="Response header"
          label="Response headers"
          class="headers-table"
          rows={[
            { key: "content-type", value: "application/vnd.api+json" },
            { key: "x-request-id", value: "abc" },
          ]}
        />,
        root,
      ),
    );
    const table = root.querySelector("table")!;
    expect(table.className).toBe("kv headers-table");
    expect(table.getAttribute("aria-label")).toBe("Response headers");
    expect(root.querySelectorAll("input, button")).toHaveLength(0);
    expect([...table.querySelectorAll("tr")].map((r) => [...r.cells].map((c) => c.textContent))).toEqual([
      ["content-type", "application/vnd.api+json"],
      ["x-request-id", "abc"],
    ]);
  });

  it("puts the caller's fixed rows first", () => {
    const root = document.createElement("div");
    document.body.appendChild(root);
    act(() =>
      render(
        <PairTable noun="Header" label="Headers" rows={[]} onChange={() => {}}>
          <tr>
            <td>Authorization</td>
            <td>Bearer</td>
          </tr>
        </PairTable>,
        root,
      ),
    );
    const rows = [...root.querySelectorAll("tr")];
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toBe("AuthorizationBearer");
    expect(rows[1].querySelector("input")!.getAttribute("aria-label")).toBe("Header 1 name");
  });
});
