// Sample snapshots for the UI's unit tests, shaped like what the desktop shell sends.
import { DEFAULT_SCOPE, PRODUCTION_ENDPOINTS, type AppSnapshot } from "./api";

export function sampleSnapshot(): AppSnapshot {
  return {
    profiles: [
      {
        profile: {
          id: "sandbox",
          name: "Sandbox",
          environment: { kind: "built_in_sandbox" },
          method: "client_credentials",
          client_id: "sandbox-service-account",
          username: "",
          scope: DEFAULT_SCOPE,
          client_auth: "body",
          callback: { mode: "loopback" },
          account_kind: "test",
        },
        endpoints: {
          authorize_url: "http://127.0.0.1:40123/oauth/authorize",
          token_url: "http://127.0.0.1:40123/oauth/token",
          api_url: "http://127.0.0.1:40123/",
        },
      },
      {
        profile: {
          id: "scopestack",
          name: "ScopeStack",
          environment: {
            kind: "server",
            ...PRODUCTION_ENDPOINTS,
          },
          method: "browser_login",
          client_id: "",
          username: "",
          scope: DEFAULT_SCOPE,
          client_auth: "body",
          callback: { mode: "loopback" },
          account_kind: "production",
        },
        endpoints: { ...PRODUCTION_ENDPOINTS },
      },
    ],
    selected: "sandbox",
    sandbox: { state: "running", base_url: "http://127.0.0.1:40123/" },
    demo: {
      account_slug: "sandbox-demo",
      account_id: 1001,
      account_name: "Sandbox Demo Co",
      clients: [
        { name: "Service account (demo)", method: "client_credentials", client_id: "sandbox-service-account", client_secret: "demo-service-secret", redirect_uris: [] },
      ],
      users: [{ email: "mfa@sandbox-demo.test", password: "demo-mfa-pass", role: "mfa", one_time_code: "246810" }],
    },
    notice: null,
    vault_mode: "keychain",
  };
}
