// Plain-language names and explanations of the three ways to get a token (the quick start's
// "Which method should I use?").
import type { Method } from "./api";

export interface MethodInfo {
  title: string;
  when: string;
  what: string;
}

export const METHODS: Record<Method, MethodInfo> = {
  browser_login: {
    title: "Browser login",
    when: "to explore the API yourself",
    what: "A browser window opens, you sign in to ScopeStack (with SSO or MFA if your account uses them), and the token comes back automatically.",
  },
  client_credentials: {
    title: "Client credentials",
    when: "to connect an automation or server",
    what: "A service account's client ID and secret get the token directly. No browser, no password.",
  },
  password: {
    title: "Password",
    when: "for an existing password-based integration",
    what: "An account-level client ID and secret plus a service account's email and password. Supported for existing integrations; prefer client credentials for new ones.",
  },
};

/** A short description of where a profile connects, for the sidebar and the header. */
export function describeEnvironment(view: { profile: { environment: { kind: string } }; endpoints: { api_url: string } | null }): string {
  if (view.profile.environment.kind === "built_in_sandbox") return "Built-in sandbox · offline";
  if (!view.endpoints) return "No address";
  try {
    return new URL(view.endpoints.api_url).host;
  } catch {
    return view.endpoints.api_url;
  }
}
