// What the built-in sandbox offers: its demo clients and users (demo values, not secrets).
import type { DemoData } from "../api";

const METHOD_LABEL = {
  authorization_code: "Browser login",
  client_credentials: "Client credentials",
  password: "Password",
} as const;

export function SandboxGuide({ demo }: { demo: DemoData }) {
  return (
    <section class="card" aria-labelledby="sandbox-heading">
      <div class="card-title">
        <h2 id="sandbox-heading">Sandbox demo credentials</h2>
      </div>
      <p class="subtle">
        The sandbox imitates ScopeStack on this computer, for account <code>{demo.account_slug}</code> ({demo.account_name}). These
        are demo values, not secrets.
      </p>
      <div class="table-scroll">
        <table class="demo-table" aria-label="Demo clients">
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Method</th>
              <th scope="col">Client ID</th>
              <th scope="col">Client secret</th>
              <th scope="col">Registered callback</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </div>
      <div class="table-scroll">
        <table class="demo-table" aria-label="Demo users">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Password</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </div>
    </section>
  );
}
