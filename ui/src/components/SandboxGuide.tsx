// What the built-in sandbox offers: its demo clients and users (demo values, not secrets).
import type { DemoData, SandboxStatus } from "../api";
import { Card, DataTable } from "./common";

const METHOD_LABEL = {
  authorization_code: "Browser login",
  client_credentials: "Client credentials",
  password: "Password",
} as const;

export function SandboxGuide({ demo, sandbox }: { demo: DemoData; sandbox: SandboxStatus }) {
  return (
    <Card id="sandbox" title="Sandbox demo credentials">
      <p class="sandbox-status" data-testid="sandbox-status">
        {sandbox.state === "running" ? (
          <span class="status ok" title={sandbox.base_url}>
            <span class="dot" aria-hidden="true" /> Sandbox running on {new URL(sandbox.base_url).host}
          </span>
        ) : (
          <span class="status bad" title={sandbox.message}>
            <span class="dot" aria-hidden="true" /> Sandbox not running
          </span>
        )}
      </p>
      <p class="subtle">
        The sandbox imitates ScopeStack on this computer, for account <code>{demo.account_slug}</code> ({demo.account_name}). These
        are demo values, not secrets.
      </p>
      <DataTable label="Demo clients" columns={["Client", "Method", "Client ID", "Client secret", "Registered callback"]}>
        {demo.clients.map((c) => (
          <tr key={c.client_id}>
            <td>{c.name}</td>
            <td>{METHOD_LABEL[c.method]}</td>
            <td>
              <code>{c.client_id}</code>
            </td>
            <td>
              <code>{c.client_secret}</code>
            </td>
            <td>{c.redirect_uris.length ? <code>{c.redirect_uris.join(" ")}</code> : <span class="subtle">—</span>}</td>
          </tr>
        ))}
      </DataTable>
      <DataTable label="Demo users" columns={["User", "Password", "Role"]}>
        {demo.users.map((u) => (
          <tr key={u.email}>
            <td>
              <code>{u.email}</code>
            </td>
            <td>
              <code>{u.password}</code>
            </td>
            <td>
              {u.role}
              {u.one_time_code && (
                <>
                  {" "}
                  (one-time code <code>{u.one_time_code}</code>)
                </>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
