// The typed bridge for Postman import/export, support bundles, saved requests and profile
// variables (the shell's commands/interop.rs and variables.rs), generated from the Rust code
// (./generated/bindings.ts). Files are always chosen in native dialogs opened by the shell.
import { commands } from "./generated/bindings";
import type * as B from "./generated/bindings";
import type { RequestSpec } from "./api";

/** What a Postman import made of the file (never a secret's value). */
export type ImportReport = B.ImportReport_Serialize;
/** One saved request; its body is text, or `{ base64 }` for bytes. */
export type SavedRequest = B.SavedRequest_Serialize;
export type BundleOpened = B.BundleOpened_Serialize;

export const importPostman = commands.importPostman;
export const exportPostmanEnvironment = commands.exportPostmanEnvironment;
export const exportSupportBundle = commands.exportSupportBundle;
export const openSupportBundle = commands.openSupportBundle;
export const savedRequests = commands.savedRequests;
export const deleteSavedRequest = commands.deleteSavedRequest;

/** A saved request as the editor loads it (a binary body is not loaded). */
export function editableSpec(r: SavedRequest): RequestSpec {
  return { ...r.spec, body: typeof r.spec.body === "string" ? r.spec.body : null };
}

/** The profile's variables (kept beside its saved requests). */
export const profileVariables = commands.profileVariables;
/** Makes these the profile's variables; secret-looking names are left out and named. */
export const setProfileVariables = commands.setProfileVariables;
