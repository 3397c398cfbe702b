// The typed bridge for Postman import/export, support bundles, saved requests and profile
// variables (the shell's commands/interop.rs and variables.rs). Files are always chosen in
// native dialogs opened by the shell.
import { invoke } from "@tauri-apps/api/core";
import type { AppSnapshot, Method, RequestSpec } from "./api";

/** What a Postman import made of the file (never a secret's value). */
export interface ImportReport {
  profile_id: string | null;
  profile_name: string;
  created_profile: boolean;
  renamed_from: string | null;
  method: Method | null;
  saved_requests: number;
  variables: string[];
  became: string[];
  secrets: string[];
  skipped: string[];
  /** Saved requests that go to another server than the profile's API (sent without the token). */
  other_hosts: string[];
}

export interface SavedRequest {
  id: string;
  name: string;
  folder: string[];
  /** The body is text, or `{ base64 }` for bytes. */
  spec: Omit<RequestSpec, "body"> & { body: string | { base64: string } | null };
  redacted: string[];
  saved_at_unix_ms: number;
}

export interface BundleOpened {
  snapshot: AppSnapshot;
  profile_name: string;
  made_at: string;
  app_version: string;
  system: string;
  /** Hosts other than the profile's API that exchanges went to (run again: without the token). */
  other_hosts: string[];
  exchanges: { method: string; url: string; status: number | null; error: string | null; diagnosis: string | null }[];
}

export const importPostman = (keepSecrets: boolean, withEnvironment: boolean) =>
  invoke<{ snapshot: AppSnapshot; report: ImportReport } | null>("import_postman", { keepSecrets, withEnvironment });
export const exportPostmanEnvironment = (id: string, includeToken: boolean) => invoke<string | null>("export_postman_environment", { id, includeToken });
export const exportSupportBundle = (id: string) => invoke<{ path: string; exchanges: number } | null>("export_support_bundle", { id });
export const openSupportBundle = () => invoke<BundleOpened | null>("open_support_bundle");
export const savedRequests = (id: string) => invoke<SavedRequest[]>("saved_requests", { id });
export const deleteSavedRequest = (id: string, request: string) => invoke<SavedRequest[]>("delete_saved_request", { id, request });

/** A saved request as the editor loads it (a binary body is not loaded). */
export function editableSpec(r: SavedRequest): RequestSpec {
  return { ...r.spec, body: typeof r.spec.body === "string" ? r.spec.body : null };
}

/** The profile's variables (kept beside its saved requests). */
export const profileVariables = (id: string) => invoke<Record<string, string>>("profile_variables", { id });
/** Makes these the profile's variables; secret-looking names are left out and named. */
export const setProfileVariables = (id: string, variables: Record<string, string>) =>
  invoke<{ variables: Record<string, string>; left_out: string[] }>("set_profile_variables", { id, variables });
