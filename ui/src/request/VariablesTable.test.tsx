import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

// The kept variables arrive when the test says so.
let answer: (vars: Record<string, string>) => void = () => {};
vi.mock("../interop-api", () => ({
  profileVariables: () => new Promise<Record<string, string>>((resolve) => (answer = resolve)),
  setProfileVariables: vi.fn(),
}));

const { VariablesTable } = await import("./VariablesTable");

afterEach(() => {
  document.body.innerHTML = "";
});

function mount() {
  const root = document.createElement("div");
  document.body.appendChild(root);
  act(() => render(<VariablesTable profileId="p1" />, root));
  const type = (name: string, value: string) =>
    act(() => {
      const input = root.querySelector<HTMLInputElement>(`input[name=${name}]`)!;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  const values = () => [...root.querySelectorAll("input")].map((i) => i.value);
  return { type, values };
}

describe("VariablesTable", () => {
  it("shows the kept variables when they arrive", async () => {
    const { values } = mount();
    await act(async () => answer({ projectId: "1211" }));
    expect(values()).toEqual(["projectId", "1211", "", ""]);
  });

  it("keeps what was typed before the kept variables arrived, after them", async () => {
    const { type, values } = mount();
    type("variable_name_0", "clientId");
    type("variable_value_0", "42");
    await act(async () => answer({ projectId: "1211" }));
    expect(values()).toEqual(["projectId", "1211", "clientId", "42", "", ""]);
  });

  it("counts typing after the arrival as plain editing", async () => {
    const { type, values } = mount();
    await act(async () => answer({}));
    type("variable_name_0", "projectId");
    expect(values()).toEqual(["projectId", "", "", ""]);
  });
});
