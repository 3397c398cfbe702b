import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

// The shell's command, answering as the sandbox's /oauth/token/info would, or failing.
const tokenDetails = vi.fn();
vi.mock("../api", () => ({
  tokenDetails: (id: string) => tokenDetails(id),
  describe: (e: { message: string }) => ({ message: e.message }),
}));

import { ServerTokenDetails } from "./TokenPanel";

const NOW = Math.floor(Date.now() / 1000);

function details(scopes: string[]) {
  return {
    scopes,
    client: "sandbox-service-account",
    resource_owner: "4001",
    issued_at: NOW - 5,
    expires_at: NOW + 7195,
    fetched_at: NOW,
    info: { scope: scopes, application: { uid: "sandbox-service-account" }, resource_owner_id: 4001, expires_in: 7195, created_at: NOW - 5 },
  };
}

/** Mounts the expander and opens it as a click on its summary would. */
async function opened(issuedAt: number): Promise<HTMLElement> {
  const root = document.createElement("div");
  document.body.appendChild(root);
  act(() => render(<ServerTokenDetails profileId="sandbox" issuedAt={issuedAt} />, root));
  const expander = root.querySelector<HTMLDetailsElement>("[data-testid=server-token-details]")!;
  await act(async () => {
    expander.open = true;
    expander.dispatchEvent(new Event("toggle"));
  });
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return root;
}

const text = (root: HTMLElement, id: string) => root.querySelector(`[data-testid=${id}]`)?.textContent ?? "";

afterEach(() => {
  document.body.innerHTML = "";
  tokenDetails.mockReset();
});

describe("What the token can do", () => {
  it("asks the server only when opened, and shows scopes, client, owner and time left", async () => {
    tokenDetails.mockResolvedValue(details(["read", "write"]));
    const root = await opened(1);
    expect(tokenDetails).toHaveBeenCalledTimes(1);
    expect(tokenDetails).toHaveBeenCalledWith("sandbox");
    expect(text(root, "server-token-scopes")).toBe("readwrite");
    expect(text(root, "server-token-client")).toBe("sandbox-service-account");
    expect(text(root, "server-token-owner")).toBe("user 4001");
    expect(text(root, "server-token-left")).toMatch(/^(1 h 59 min|2 h 0 min)$/);
  });

  it("does not ask twice for the same token, and says when writes will be refused", async () => {
    tokenDetails.mockResolvedValue(details(["read"]));
    await opened(2);
    const again = await opened(2);
    expect(tokenDetails).toHaveBeenCalledTimes(1);
    expect(text(again, "server-token-scopes")).toContain("reading only: writes will be refused");
  });

  it("shows the server's refusal in words", async () => {
    tokenDetails.mockRejectedValue({ message: "This server does not tell about tokens (/oauth/token/info answered 404)." });
    const root = await opened(3);
    expect(root.textContent).toContain("This server does not tell about tokens");
    expect(root.querySelector("[data-testid=server-token-facts]")).toBeNull();
  });
});
