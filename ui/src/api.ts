// The typed bridge to the desktop shell: every call into Rust goes through here.
import { invoke } from "@tauri-apps/api/core";

export type Method = "browser_login" | "client_credentials" | "password";

export interface Endpoints {
  authorize_url: string;
  token_url: string;
  api_url: string;
}

export type Environment = { kind: "built_in_sandbox" } | ({ kind: "server" } & Endpoints);

export interface Profile {
  id: string;
  name: string;
  environment: Environment;
  method: Method;
  client_id: string;
  username: string;
  scope: string;
  client_auth: "body" | "basic";
  callback: { mode: "loopback" | "in_app_window" | "paste"; redirect_uri?: string };
}

/** A profile with the URLs it will actually use (the sandbox's are known only at run time). */
export interface ProfileView {
  profile: Profile;
  endpoints: Endpoints | null;
}

export type SandboxStatus =
  | { state: "running"; base_url: string }
  | { state: "failed"; message: string };

export interface DemoClient {
  name: string;
  method: "authorization_code" | "client_credentials" | "password";
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface DemoUser {
  email: string;
  password: string;
  role: "admin" | "read-only" | "deactivated" | "mfa";
  one_time_code?: string;
}

export interface DemoData {
  account_slug: string;
  account_id: number;
  account_name: string;
  clients: DemoClient[];
  users: DemoUser[];
}

export interface AppSnapshot {
  profiles: ProfileView[];
  selected: string | null;
  sandbox: SandboxStatus;
  demo: DemoData;
  notice: string | null;
}

/** What a failed command hands back: a kind to switch on and a message that says what to do. */
export interface CommandError {
  kind: string;
  message: string;
}

export function loadSnapshot(): Promise<AppSnapshot> {
  return invoke<AppSnapshot>("app_snapshot");
}

export function selectProfile(id: string): Promise<AppSnapshot> {
  return invoke<AppSnapshot>("select_profile", { id });
}

export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as CommandError).message);
  return String(e);
}
