// The typed bridge to the desktop shell: every call into Rust goes through here. The commands,
// their payloads and the shared constants are generated from the Rust code
// (./generated/bindings.ts, by src-tauri/bindings.rs); this file only names them for the UI.
import { commands, type BodyJson } from "./generated/bindings";
import type * as B from "./generated/bindings";

export {
  DEFAULT_CALLBACK,
  DEFAULT_SCOPE,
  JSON_API,
  PRODUCTION_ENDPOINTS,
  RESENT_NOTE,
  SHOW_WITHOUT_ASKING,
} from "./generated/bindings";
/** The app's typed events: `events.tokenProgress.listen(…)`, `events.tokenRenewed.listen(…)`. */
export { events } from "./generated/bindings";
export type { BodyJson };

// Results are the serialised forms; arguments the forms Rust reads.
export type Method = B.Method;
export type AccountKind = B.AccountKind;
export type Endpoints = B.Endpoints;
export type Environment = B.Environment;
export type Profile = B.Profile_Serialize;
/** A profile with the URLs it will actually use (the sandbox's are known only at run time). */
export type ProfileView = B.ProfileView_Serialize;
export type SandboxStatus = B.SandboxStatus;
export type DemoClient = B.DemoClient;
export type DemoUser = B.DemoUser_Serialize;
export type DemoData = B.DemoData_Serialize;
export type AppSnapshot = B.AppSnapshot_Serialize;
export type Fix = B.Fix;
/** The engine's explanation of a failure. */
export type Diagnosis = B.Diagnosis_Serialize;
/** What a failed command hands back: a kind to switch on, a message that says what to do, and
 * for engine failures the diagnosis. */
export type CommandError = B.CommandError_Serialize;
export type CommandErrorKind = B.CommandErrorKind;

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

export const loadSnapshot = commands.appSnapshot;
export const selectProfile = commands.selectProfile;

export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as CommandError).message);
  return String(e);
}

// ---- profiles ----

export type ProfileEdit = B.ProfileEdit_Deserialize;

export const addProfile = commands.addProfile;
export const renameProfile = commands.renameProfile;
export const duplicateProfile = commands.duplicateProfile;
export const deleteProfile = commands.deleteProfile;
export const updateProfile = commands.updateProfile;

// ---- tokens ----

export type TokenView = B.TokenView_Serialize;
export type Identity = B.Identity;
export type ProfileStatus = B.ProfileStatus_Serialize;
export type SecretsInput = B.SecretsInput_Deserialize;
export type ProgressStage = B.ProgressStage;
/** A step of getting a token: the payload of `events.tokenProgress`, or the window's own
 * last step (verifying the new token, which it runs itself). */
export type Progress = B.Progress | { profile_id: string; stage: "verifying" };

export const profileStatus = commands.profileStatus;
export const getToken = commands.getToken;
export const openSignInUrl = commands.openSignInUrl;
export const finishPastedSignIn = commands.finishPastedSignIn;
export const cancelSignIn = commands.cancelSignIn;
export const renewToken = commands.renewToken;
/** The user's word that the kept secrets may go to the profile's token URL as it is now. */
export const confirmKeptSecrets = commands.confirmKeptSecrets;
export const revokeToken = commands.revokeToken;
export const verifyToken = commands.verifyToken;
/** What the token's server tells about it (/oauth/token/info): scopes, client, owner, times. */
export type TokenDetails = Awaited<ReturnType<typeof commands.tokenDetails>>;
export const tokenDetails = commands.tokenDetails;
export const setAutoRenew = commands.setAutoRenew;
export const forgetSignInSession = commands.forgetSignInSession;
export const callbackUrl = commands.callbackUrl;
export const copyToken = commands.copyToken;
export const revealToken = commands.revealToken;
export const useSessionOnlyVault = commands.useSessionOnlyVault;
export const copyText = commands.copyText;
export const exportProfiles = commands.exportProfiles;
export const importProfiles = commands.importProfiles;

// ---- request tester ----

/** A request as the editor holds it: what Rust hands back, and the two per-send choices it
 * reads but never writes (`send_token_to_other_host`, `page_link`). */
export type RequestSpec = B.RequestSpec_Serialize & Pick<B.RequestSpec_Deserialize, "send_token_to_other_host" | "page_link">;
/** Where the profile's token would go if the request were sent now. */
export type TokenDestination = B.TokenDestination_Serialize;
export type ExchangeSummary = B.ExchangeSummary_Serialize;
export type SentExchange = B.SentExchange_Serialize;
export type JsonApiResource = B.Resource_Serialize;
export type JsonApiView = B.JsonApiView_Serialize;
export type DocKind = B.DocKind;
export type HistoryEntry = B.HistoryEntry_Serialize;
export type TextMode = B.TextMode;
export type MatchPosition = B.MatchPosition;

export const tokenDestination = commands.tokenDestination;
export const sendRequest = commands.sendRequest;
export const cancelRequest = commands.cancelRequest;
export const readBody = commands.readBody;
/** Prepares the raw or pretty text of a body in Rust (pretty-printed and indexed there). */
export const openTextView = commands.openTextView;
/** Stops making a body's text; the waiting openTextView then fails with "Cancelled". */
export const cancelTextView = commands.cancelTextView;
/** The window shows an answer no more: the engine drops its body and texts. */
export const releaseExchange = commands.releaseExchange;
export const textLines = commands.textLines;
export const textSearch = commands.textSearch;
export const textFoldEnd = commands.textFoldEnd;
export const textMatch = commands.textMatch;
export const jqFilter = commands.jqFilter;
/** Stops the jq filter running on an exchange: its `jqFilter` ends with "Cancelled". */
export const cancelJq = commands.cancelJq;
export const jsonApiView = commands.jsonapiView;
export const copyAsCurl = commands.copyAsCurl;
export const importCurl = commands.importCurl;
export const copyBody = commands.copyBody;
export const saveBody = commands.saveBody;
export const historyList = commands.historyList;
export const historyClear = commands.historyClear;
export const historyRequest = commands.historyRequest;
/** A change to one saved request: it as kept now, and the profile's saved requests after it. */
export type SavedRequestChange = B.SavedRequestChange_Serialize;
export const savedFolders = commands.savedFolders;
export const saveRequest = commands.saveRequest;
export const updateSavedRequest = commands.updateSavedRequest;
export const renameSavedRequest = commands.renameSavedRequest;
export const moveSavedRequest = commands.moveSavedRequest;
export const duplicateSavedRequest = commands.duplicateSavedRequest;

// ---- the API catalogue (path completions, query parameters, body skeletons) ----

/** One way to complete the request line's path: `text` is the whole line with it in place. */
export type PathCompletion = Awaited<ReturnType<typeof commands.apiPathCompletions>>[number];
/** A query parameter the resource a path names accepts, with values to offer. */
export type QueryParameter = Awaited<ReturnType<typeof commands.apiQueryParameters>>[number];
/** What loading the API's own description added to the catalogue. */
export type EnrichSummary = Awaited<ReturnType<typeof commands.loadApiDescription>>;

export const apiCatalogue = commands.apiCatalogue;
export const apiPathCompletions = commands.apiPathCompletions;
export const apiQueryParameters = commands.apiQueryParameters;
export const apiBodySkeleton = commands.apiBodySkeleton;
export const loadApiDescription = commands.loadApiDescription;

// ---- the connection check ----

/** The connection check's walk: each step passed, failed or skipped, with a failure's diagnosis. */
export type CheckReport = B.Report_Serialize;
export type CheckStep = B.Step_Serialize;
export const checkConnection = commands.checkConnection;
