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
  vault_mode: "keychain" | "session_only";
}

export type Fix =
  | { kind: "renew_token" }
  | { kind: "sign_in_again" }
  | { kind: "add_accept_header" }
  | { kind: "add_content_type_header" }
  | { kind: "switch_to_password_without_redirect_uri" }
  | { kind: "switch_method"; to: Method }
  | { kind: "copy_callback_url"; url: string }
  | { kind: "retry" }
  | { kind: "retry_after"; seconds: number }
  | { kind: "use_session_only_vault" }
  | { kind: "open_settings"; field: string }
  | { kind: "confirm_kept_secrets"; given_for: string; now: string };

/** The engine's explanation of a failure. */
export interface Diagnosis {
  code: string;
  title: string;
  what_happened: string[];
  what_to_do: string[];
  fixes: Fix[];
  field_errors?: { field: string | null; pointer: string | null; message: string }[];
  details: string | null;
  /** The raw exchange (request line, headers, status, first part of the bodies), secrets removed in Rust. */
  exchange?: string | null;
}

/** What a failed command hands back: a kind to switch on, a message that says what to do, and
 * for engine failures the diagnosis. */
export interface CommandError {
  kind: string;
  message: string;
  diagnosis?: Diagnosis;
}

/** An error as the UI keeps it. */
export interface UiError {
  message: string;
  diagnosis?: Diagnosis;
}

export function describe(e: unknown): UiError {
  if (e && typeof e === "object" && "message" in e) {
    const c = e as CommandError;
    return { message: String(c.message), diagnosis: c.diagnosis };
  }
  return { message: String(e) };
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

// ---- profiles ----

export interface ProfileEdit {
  id: string;
  method: Method;
  client_id: string;
  username: string;
  scope: string;
  client_auth: "body" | "basic";
  callback: { mode: "loopback" | "in_app_window" | "paste"; redirect_uri?: string };
  endpoints: Endpoints | null;
}

export const addProfile = (name: string) => invoke<AppSnapshot>("add_profile", { name });
export const renameProfile = (id: string, name: string) => invoke<AppSnapshot>("rename_profile", { id, name });
export const duplicateProfile = (id: string) => invoke<AppSnapshot>("duplicate_profile", { id });
export const deleteProfile = (id: string) => invoke<AppSnapshot>("delete_profile", { id });
export const updateProfile = (edit: ProfileEdit) => invoke<AppSnapshot>("update_profile", { edit });

// ---- tokens ----

export interface TokenView {
  masked: string;
  token_type: string;
  scope: string | null;
  issued_at: number;
  expires_at: number | null;
  expiry_source: "expires_in" | "jwt_exp" | "not_given";
  has_refresh_token: boolean;
  obtained_with: Method;
}

export interface Identity {
  user_id: string;
  name: string;
  email: string;
  account_slug: string;
  account_id: string;
  privileges: { privilege: string; access_level: string }[];
}

export interface ProfileStatus {
  token: TokenView | null;
  secrets: {
    client_secret: boolean;
    password: boolean;
    /** Kept secrets that wait for the user's word: the token URL moved since they were given. */
    moved?: { secrets: string[]; given_for: string; now: string } | null;
  };
  auto_renew: boolean;
  last_renewal: { at: number; ok: boolean; message: string } | null;
  identity: Identity | null;
  awaiting_paste: boolean;
  signing_in: boolean;
  vault_mode: "keychain" | "session_only";
  vault_error: string | null;
}

export interface SecretsInput {
  client_secret?: string;
  password?: string;
  remember: boolean;
}

export type ProgressStage =
  | { stage: "requesting" }
  | { stage: "opening_browser"; url: string }
  | { stage: "waiting_for_browser"; redirect_uri: string }
  | { stage: "awaiting_paste"; url: string }
  | { stage: "exchanging_code" }
  | { stage: "verifying" };

export type Progress = ProgressStage & { profile_id: string };

export const profileStatus = (id: string) => invoke<ProfileStatus>("profile_status", { id });
export const getToken = (id: string, secrets: SecretsInput) => invoke<ProfileStatus>("get_token", { id, secrets });
export const openSignInUrl = (id: string) => invoke<void>("open_sign_in_url", { id });
export const finishPastedSignIn = (id: string, url: string, secrets: SecretsInput) =>
  invoke<ProfileStatus>("finish_pasted_sign_in", { id, url, secrets });
export const cancelSignIn = (id: string) => invoke<void>("cancel_sign_in", { id });
export const renewToken = (id: string) => invoke<ProfileStatus>("renew_token", { id });
/** The user's word that the kept secrets may go to the profile's token URL as it is now. */
export const confirmKeptSecrets = (id: string) => invoke<ProfileStatus>("confirm_kept_secrets", { id });
export const revokeToken = (id: string) =>
  invoke<{ revoked_on_server: boolean; deleted_locally: boolean }>("revoke_token", { id });
export const verifyToken = (id: string) => invoke<Identity>("verify_token", { id });
export const setAutoRenew = (id: string, enabled: boolean) => invoke<void>("set_auto_renew", { id, enabled });
export const forgetSignInSession = (id: string) => invoke<void>("forget_sign_in_session", { id });
export const callbackUrl = (id: string) => invoke<string>("callback_url", { id });
export const copyToken = (id: string, asHeader: boolean) => invoke<number>("copy_token", { id, asHeader });
export const revealToken = (id: string) => invoke<string>("reveal_token", { id });
export const useSessionOnlyVault = () => invoke<void>("use_session_only_vault");
export const copyText = (text: string) => invoke<void>("copy_text", { text });
export const exportProfiles = () => invoke<string | null>("export_profiles");
export const importProfiles = () =>
  invoke<{ snapshot: AppSnapshot; imported: { name: string; renamed_from: string | null }[] } | null>("import_profiles");

// ---- request tester ----

export interface RequestSpec {
  method: string;
  url: string;
  query: [string, string][];
  headers: [string, string][];
  body: string | null;
  follow_redirects: boolean;
  auth: boolean;
  /** Send the token although the address is not the profile's API: for this request only. */
  send_token_to_other_host?: boolean;
  /** A JSON:API page link being followed: it must stay on the profile's API. */
  page_link?: boolean;
}

/** Where the profile's token would go if the request were sent now. */
export interface TokenDestination {
  sends_token: boolean;
  /** The address's host when it is not the profile's API. */
  other_host: string | null;
}

export interface ExchangeSummary {
  id: number;
  method: string;
  url: string;
  final_url: string;
  status: number;
  status_text: string;
  http_version: string;
  headers: [string, string][];
  request_headers: [string, string][];
  timings: { ttfb_ms: number; total_ms: number };
  sizes: { wire: number; decoded: number };
  redirects: { status: number; location: string }[];
  content_type: string | null;
  body_kind: "json" | "text" | "binary";
  is_json_api: boolean;
  stored_on_disk: boolean;
  notes: string[];
  /** The host the profile's token was held back from (not the profile's API). */
  token_withheld_from?: string | null;
}

export interface JsonApiResource {
  type: string;
  id: string;
  attributes: Record<string, unknown> | null;
  relationships: { name: string; many: boolean; targets: { type: string; id: string; included: Record<string, unknown> | null }[] }[];
}

export interface JsonApiView {
  /** All resources of the document; `resources` holds the first few hundred. */
  total_resources: number;
  kind: string;
  resources: JsonApiResource[];
  unreferenced_included: number;
  meta: Record<string, unknown> | null;
  links: { first: string | null; last: string | null; next: string | null; prev: string | null; self: string | null };
  errors: { status: string | null; title: string | null; detail: string | null; code: string | null; pointer: string | null }[];
  note: string | null;
}

export interface HistoryEntry {
  id: string;
  at_unix_ms: number;
  method: string;
  url: string;
  status: number | null;
}

export const tokenDestination = (id: string, spec: RequestSpec) => invoke<TokenDestination>("token_destination", { id, spec });
export const sendRequest = (id: string, spec: RequestSpec) => invoke<ExchangeSummary & { diagnosis: Diagnosis | null }>("send_request", { id, spec });
export const cancelRequest = (id: string) => invoke<void>("cancel_request", { id });
export const readBody = (exchange: number, pretty: boolean, offset: number) =>
  invoke<{ text: string; next_offset: number; total: number }>("read_body", { exchange, pretty, offset });
export type TextMode = "raw" | "pretty";
export interface MatchPosition {
  line: number;
  column: number;
  offset: number;
}
/** Prepares the raw or pretty text of a body in Rust (pretty-printed and indexed there). */
export const openTextView = (exchange: number, mode: TextMode, headOver: number) =>
  invoke<{ mode: TextMode; lines: number; bytes: number; head: string[] }>("open_text_view", { exchange, mode, headOver });
export const textLines = (exchange: number, mode: TextMode, first: number, count: number) => invoke<string[]>("text_lines", { exchange, mode, first, count });
export const textSearch = (exchange: number, mode: TextMode, query: string, caseSensitive: boolean) =>
  invoke<{ total: number; capped: boolean }>("text_search", { exchange, mode, query, caseSensitive });
export const textFoldEnd = (exchange: number, mode: TextMode, line: number) => invoke<number | null>("text_fold_end", { exchange, mode, line });
export const textMatch = (exchange: number, mode: TextMode, query: string, caseSensitive: boolean, n: number) =>
  invoke<MatchPosition | null>("text_match", { exchange, mode, query, caseSensitive, n });
export const jqFilter = (exchange: number, filter: string) =>
  invoke<{ text: string; results: number; truncated: boolean; elapsed_ms: number }>("jq_filter", { exchange, filter });
export const jsonApiView = (exchange: number) => invoke<JsonApiView>("jsonapi_view", { exchange });
export const copyAsCurl = (id: string, exchange: number, includeToken: boolean) => invoke<void>("copy_as_curl", { id, exchange, includeToken });
export const importCurl = (text: string) => invoke<RequestSpec>("import_curl", { text });
export const copyBody = (exchange: number) => invoke<void>("copy_body", { exchange });
export const saveBody = (exchange: number) => invoke<string | null>("save_body", { exchange });
export const historyList = (id: string) => invoke<HistoryEntry[]>("history_list", { id });
export const historyClear = (id: string) => invoke<void>("history_clear", { id });
export const historyRequest = (id: string, entry: string) => invoke<RequestSpec>("history_request", { id, entry });
