//! Profile commands: add, rename, duplicate, delete (with its secrets), edit.

use super::{snapshot, AppSnapshot};
use crate::error::CommandError;
use crate::file_dialogs;
use crate::state::{lock, AppState};
use crate::validate;
use engine::limits;
use engine::{CallbackSettings, ClientAuth, Endpoints, Environment, Method, ProfileId};
use serde::Deserialize;
use tauri::{AppHandle, State};

/// A new profile: ScopeStack's production URLs, client credentials (the recommended method).
#[tauri::command]
#[specta::specta]
pub fn add_profile(name: String, state: State<'_, AppState>) -> Result<AppSnapshot, CommandError> {
    let mut profile = engine::profiles::scopestack_production();
    profile.id = ProfileId::generate();
    profile.name = limits::profile_name(&name)?;
    profile.method = Method::ClientCredentials;
    let mut store = state.store()?;
    store.add(profile.clone())?;
    store.set_last_profile(&profile.id)?;
    drop(store);
    snapshot(&state)
}

#[tauri::command]
#[specta::specta]
pub fn rename_profile(
    id: String,
    name: String,
    state: State<'_, AppState>,
) -> Result<AppSnapshot, CommandError> {
    let name = limits::profile_name(&name)?;
    let mut store = state.store()?;
    let id = validate::known_profile(&store, &id)?;
    let mut profile = store.get(&id)?.clone();
    profile.name = name;
    store.update(profile)?;
    drop(store);
    snapshot(&state)
}

/// Copies a profile's settings (not its secrets) under a new name.
/// Async, so off the window's main thread: it uses the keychain, which may take up to its bound.
#[tauri::command]
#[specta::specta]
pub async fn duplicate_profile(
    id: String,
    state: State<'_, AppState>,
) -> Result<AppSnapshot, CommandError> {
    let mut store = state.store()?;
    let id = validate::known_profile(&store, &id)?;
    let copy = store.duplicate(&id)?;
    store.set_last_profile(&copy.id)?;
    drop(store);
    snapshot(&state)
}

/// Deletes a profile and every secret the vault holds for it.
/// Async, so off the window's main thread: it uses the keychain, which may take up to its bound.
#[tauri::command]
#[specta::specta]
pub async fn delete_profile(
    id: String,
    state: State<'_, AppState>,
) -> Result<AppSnapshot, CommandError> {
    let id = validate::profile(&state, &id)?;
    if id.as_str() == engine::profiles::SANDBOX_PROFILE_ID {
        return Err(CommandError::Input("The built-in Sandbox profile stays: the app opens on it. Delete other profiles, or duplicate this one.".into()));
    }
    // Its history and saved requests first: if that fails, the profile is still whole.
    engine::requests::forget_profile(&id)?;
    state.engine.vault.forget_profile(&id)?;
    state.store()?.remove(&id)?;
    lock(&state.runtime).remove(&id);
    snapshot(&state)
}

/// The editable settings of a profile, as the form sends them.
#[derive(Deserialize, specta::Type)]
pub struct ProfileEdit {
    id: String,
    method: Method,
    client_id: String,
    username: String,
    scope: String,
    client_auth: ClientAuth,
    callback: CallbackSettings,
    /// The three URLs; ignored for the built-in sandbox, whose address is set at launch.
    endpoints: Option<EndpointsEdit>,
    /// Production or test; left as it is when not given.
    #[serde(default)]
    account_kind: Option<engine::AccountKind>,
}

#[derive(Deserialize, specta::Type)]
pub struct EndpointsEdit {
    authorize_url: String,
    token_url: String,
    api_url: String,
}

#[tauri::command]
#[specta::specta]
pub fn update_profile(
    edit: ProfileEdit,
    state: State<'_, AppState>,
) -> Result<AppSnapshot, CommandError> {
    let mut store = state.store()?;
    let id = validate::known_profile(&store, &edit.id)?;
    let mut profile = store.get(&id)?.clone();
    profile.method = edit.method;
    profile.client_id =
        limits::one_line("client ID", &edit.client_id, limits::MAX_CLIENT_ID)?.to_string();
    profile.username =
        limits::one_line("user name", &edit.username, limits::MAX_USERNAME)?.to_string();
    // Scopes are words: line breaks between them are spaces.
    profile.scope = limits::scope(&edit.scope)?;
    profile.client_auth = edit.client_auth;
    if let Some(kind) = edit.account_kind {
        profile.account_kind = kind;
    }
    let redirect_uri = edit.callback.redirect_uri.filter(|u| !u.trim().is_empty());
    profile.callback = CallbackSettings {
        mode: edit.callback.mode,
        redirect_uri: redirect_uri
            .map(|u| limits::settings_url("callback URL", &u).map(|_| u.trim().to_string()))
            .transpose()?,
    };
    if let (Environment::Server(_), Some(e)) = (&profile.environment, edit.endpoints) {
        profile.environment = Environment::Server(Endpoints {
            authorize_url: limits::settings_url("sign-in (authorize) URL", &e.authorize_url)?,
            token_url: limits::settings_url("token URL", &e.token_url)?,
            api_url: limits::settings_url("API URL", &e.api_url)?,
        });
    }
    store.update(profile)?;
    drop(store);
    snapshot(&state)
}

/// Writes every profile (settings only; profiles hold no secrets) to a file the user picks.
/// Returns where it was written, or nothing when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_profiles(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>, CommandError> {
    let text = engine::profiles::export_profiles(state.store()?.list());
    let Some(path) = file_dialogs::save_file(
        &app,
        "Export profiles",
        "scopestack-profiles.json",
        Some(("Profiles export", &["json"])),
    ) else {
        return Ok(None);
    };
    engine::profiles::write_atomically(&path, text.as_bytes())
        .map_err(|e| CommandError::Local(e.to_string()))?;
    Ok(Some(path.display().to_string()))
}

/// What an import did.
#[derive(serde::Serialize, specta::Type)]
#[serde(rename = "ProfilesImported")] // the TypeScript name (the Postman import has its own ImportReport)
pub struct ImportReport {
    snapshot: AppSnapshot,
    imported: Vec<ImportedName>,
}

#[derive(serde::Serialize, specta::Type)]
pub struct ImportedName {
    name: String,
    renamed_from: Option<String>,
}

/// Adds the profiles of an export file the user picks (all or nothing).
#[tauri::command]
#[specta::specta]
pub async fn import_profiles(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<ImportReport>, CommandError> {
    let Some(path) =
        file_dialogs::pick_file(&app, "Import profiles", ("Profiles export", &["json"]))
    else {
        return Ok(None);
    };
    let meta = std::fs::metadata(&path)
        .map_err(|e| CommandError::Input(format!("Could not read {}: {e}", path.display())))?;
    if meta.len() > 5 * 1024 * 1024 {
        return Err(CommandError::Input(format!(
            "{} is too large to be a profiles export.",
            path.display()
        )));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CommandError::Input(format!("Could not read {} as text: {e}", path.display()))
    })?;
    let imported = engine::profiles::import_profiles(&mut *state.store()?, &text)
        .map_err(|e| CommandError::Input(e.to_string()))?;
    Ok(Some(ImportReport {
        snapshot: snapshot(&state)?,
        imported: imported
            .into_iter()
            .map(|i| ImportedName { name: i.profile.name, renamed_from: i.renamed_from })
            .collect(),
    }))
}
