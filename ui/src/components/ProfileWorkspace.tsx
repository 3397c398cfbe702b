// The selected profile's workspace: its connection, then the token, verify and request steps.
import type { DemoData, ProfileView, SandboxStatus } from "../api";
import { describeEnvironment, METHODS } from "../methods";
import { SandboxGuide } from "./SandboxGuide";

interface Props {
  view: ProfileView;
  sandbox: SandboxStatus;
  demo: DemoData;
}

export function ProfileWorkspace({ view, sandbox, demo }: Props) {
  const { profile, endpoints } = view;
  const method = METHODS[profile.method];
  const isSandbox = profile.environment.kind === "built_in_sandbox";
  return (
    <div class="profile-workspace" data-profile-id={profile.id}>
      <header class="profile-header">
        <h1>{profile.name}</h1>
        <p class="subtle">{describeEnvironment(view)}</p>
      </header>

      {isSandbox && sandbox.state === "failed" && (
        <div class="notice" role="alert">
          The built-in sandbox could not start: {sandbox.message}
        </div>
      )}

      <section class="card" aria-labelledby="token-heading">
        <div class="card-title">
          <span class="step">1</span>
          <h2 id="token-heading">Access token</h2>
        </div>
        <dl class="facts">
          <dt>Method</dt>
          <dd>
            <strong>{method.title}</strong> — {method.when}
            <div class="subtle">{method.what}</div>
          </dd>
          <dt>Client ID</dt>
          <dd>{profile.client_id ? <code>{profile.client_id}</code> : <span class="subtle">Not set yet</span>}</dd>
          {profile.method === "password" && (
            <>
              <dt>Service account</dt>
              <dd>{profile.username ? <code>{profile.username}</code> : <span class="subtle">Not set yet</span>}</dd>
            </>
          )}
          <dt>Scope</dt>
          <dd>
            <code>{profile.scope}</code>
          </dd>
          <dt>Token URL</dt>
          <dd>{endpoints ? <code>{endpoints.token_url}</code> : <span class="subtle">Available once the sandbox runs</span>}</dd>
          {profile.method === "browser_login" && (
            <>
              <dt>Sign-in URL</dt>
              <dd>{endpoints ? <code>{endpoints.authorize_url}</code> : <span class="subtle">—</span>}</dd>
            </>
          )}
        </dl>
        <p class="coming">
          <span class="badge">Coming</span> Getting a new access token from this window.
        </p>
      </section>

      <section class="card" aria-labelledby="verify-heading">
        <div class="card-title">
          <span class="step">2</span>
          <h2 id="verify-heading">Verify it worked</h2>
        </div>
        <p>
          Calls <code>GET {endpoints ? joinUrl(endpoints.api_url, "v1/me") : "/v1/me"}</code> with the token to show who you are
          signed in as and which account it reaches.
        </p>
        <p class="coming">
          <span class="badge">Coming</span> Verifying with one click.
        </p>
      </section>

      <section class="card" aria-labelledby="request-heading">
        <div class="card-title">
          <span class="step">3</span>
          <h2 id="request-heading">Send a request</h2>
        </div>
        <p>
          API address: {endpoints ? <code>{endpoints.api_url}</code> : <span class="subtle">—</span>}
        </p>
        <p class="coming">
          <span class="badge">Coming</span> The request tester and the JSON:API response viewer.
        </p>
      </section>

      {isSandbox && <SandboxGuide demo={demo} />}
    </div>
  );
}

function joinUrl(base: string, path: string): string {
  return base.endsWith("/") ? base + path : `${base}/${path}`;
}
