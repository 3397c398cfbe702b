//! Postman and support-bundle commands: import a Postman collection or environment, export a
//! profile's Postman environment (the token only when asked), write and open support bundles.
//! Files come from native dialogs, never from the webview. The saved requests a Postman import
//! makes are managed in [`super::saved`].

use super::{snapshot, AppSnapshot};
use crate::error::CommandError;
use crate::file_dialogs;
use crate::state::AppState;
use crate::validate;
use engine::interop::postman::{self, ImportOptions, ImportReport, Stores};
use engine::interop::support_bundle;
use engine::requests::{History, SavedRequests};
use engine::EngineError;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, State};
use tauri_specta::Event;

fn saved() -> Result<SavedRequests, CommandError> {
    Ok(SavedRequests::open_default()?)
}

fn history(state: &AppState) -> Result<&History, CommandError> {
    state.history.as_ref().map_err(|e| CommandError::Local(e.clone()))
}

/// A file the user picked, read whole if it is at most `max` bytes.
fn read_picked(path: &Path, max: u64, what: &str) -> Result<String, CommandError> {
    let file = std::fs::File::open(path)
        .map_err(|e| CommandError::Input(format!("Could not open {}: {e}", path.display())))?;
    if file.metadata().map(|m| m.len() > max).unwrap_or(false) {
        return Err(CommandError::Input(format!(
            "{} is larger than {} MB, too large for {what}.",
            path.display(),
            max / 1024 / 1024
        )));
    }
    let mut text = String::new();
    file.take(max + 1).read_to_string(&mut text).map_err(|e| {
        CommandError::Input(format!("Could not read {} as text: {e}", path.display()))
    })?;
    Ok(text)
}

fn pick_json(app: &AppHandle, title: &str, filter: &str) -> Option<PathBuf> {
    file_dialogs::pick_file(app, title, (filter, &["json"]))
}

fn save_json(app: &AppHandle, title: &str, file_name: &str) -> Option<PathBuf> {
    file_dialogs::save_file(app, title, file_name, Some(("JSON", &["json"])))
}

/// A file name made of the profile's name (letters, digits, dashes).
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let stem = stem.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    if stem.is_empty() {
        "profile".into()
    } else {
        stem.chars().take(60).collect()
    }
}

/// What a Postman import did.
#[derive(Serialize, specta::Type)]
pub struct PostmanImported {
    snapshot: AppSnapshot,
    report: ImportReport,
}

/// A Postman file was chosen and is being imported: the typed event `import-progress`
/// (`events.importProgress`), so the window can say which file, and how large, it is reading.
/// (An import of 5,000 requests takes about half a second: no fraction is worth reporting.)
#[derive(Clone, Serialize, specta::Type)]
pub struct ImportProgress {
    file: String,
    bytes: u64,
}

// What `#[derive(tauri_specta::Event)]` writes, with the event's name spelt out.
impl tauri_specta::Event for ImportProgress {
    const NAME: &'static str = "import-progress";
}

/// Imports a Postman collection or environment the user picks (and, for a collection, an
/// environment to apply, when `with_environment`). Secrets of the file go to the keychain only
/// when `keep_secrets`. The new profile is selected.
#[tauri::command]
#[specta::specta]
pub async fn import_postman(
    keep_secrets: bool,
    with_environment: bool,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<PostmanImported>, CommandError> {
    let Some(path) = pick_json(&app, "Import from Postman", "Postman collection or environment")
    else {
        return Ok(None);
    };
    let text = read_picked(&path, postman::MAX_FILE_BYTES, "a Postman file")?;
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let _ = ImportProgress { file, bytes: text.len() as u64 }.emit(&app);
    let environment = match with_environment {
        true => pick_json(
            &app,
            "Postman environment to use with it (Cancel for none)",
            "Postman environment",
        )
        .map(|p| read_picked(&p, postman::MAX_FILE_BYTES, "a Postman environment"))
        .transpose()?,
        false => None,
    };
    let saved = saved()?;
    let options = ImportOptions { keep_secrets, environment, ..ImportOptions::default() };
    let imported = {
        let mut store = state.store()?;
        let imported =
            postman::import_text(&text, Stores { profiles: &mut store, saved: &saved }, &options)?;
        if let Some(id) = imported.profile_id() {
            store.set_last_profile(id)?;
        }
        imported
    };
    // The profiles are let go first: a keychain slow to answer holds up only this import.
    let report = imported.keep_secrets(&state.engine.vault);
    Ok(Some(PostmanImported { snapshot: snapshot(&state)?, report }))
}

/// Writes the profile's Postman environment to a file the user picks; the current access token
/// is included only when `include_token` (the user ticked it). Returns where, or nothing.
#[tauri::command]
#[specta::specta]
pub async fn export_postman_environment(
    id: String,
    include_token: bool,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>, CommandError> {
    let id = validate::profile(&state, &id)?;
    let target = state.target(&id)?;
    let token = match include_token {
        true => {
            Some(state.engine.stored_tokens(&target)?.ok_or(EngineError::NoToken)?.access_token)
        }
        false => None,
    };
    let variables = saved()?.variables(&id)?;
    let text = postman::environment::export(
        &target.profile,
        &target.endpoints,
        &variables,
        token.as_ref(),
        engine::tokens::now_unix(),
    );
    let Some(path) = save_json(
        &app,
        "Export Postman environment",
        &format!("{}.postman_environment.json", file_stem(&target.profile.name)),
    ) else {
        return Ok(None);
    };
    engine::profiles::write_atomically(&path, text.as_bytes())
        .map_err(|e| CommandError::Local(e.to_string()))?;
    Ok(Some(path.display().to_string()))
}

/// Where a support bundle was written.
#[derive(Serialize, specta::Type)]
pub struct BundleWritten {
    path: String,
    exchanges: usize,
}

/// Writes a support bundle of the profile (no secret in it) to a file the user picks.
#[tauri::command]
#[specta::specta]
pub async fn export_support_bundle(
    id: String,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<BundleWritten>, CommandError> {
    let id = validate::profile(&state, &id)?;
    let profile = state.store()?.get(&id)?.clone();
    let input = support_bundle::gather(
        &profile,
        &state.engine.vault,
        history(&state)?,
        env!("CARGO_PKG_VERSION"),
    )?;
    let Some(path) = save_json(
        &app,
        "Save support bundle",
        &format!("{}.support-bundle.json", file_stem(&profile.name)),
    ) else {
        return Ok(None);
    };
    let exchanges = support_bundle::write(input, &path)?;
    Ok(Some(BundleWritten { path: path.display().to_string(), exchanges }))
}

/// One exchange of an opened bundle, as listed for the user.
#[derive(Serialize, specta::Type)]
pub struct BundleExchange {
    method: String,
    url: String,
    status: Option<u16>,
    error: Option<String>,
    diagnosis: Option<String>,
}

/// What opening a support bundle did.
#[derive(Serialize, specta::Type)]
pub struct BundleOpened {
    snapshot: AppSnapshot,
    profile_name: String,
    made_at: String,
    app_version: String,
    system: String,
    /// Hosts other than the profile's API that exchanges went to (run again: without the token).
    other_hosts: Vec<String>,
    exchanges: Vec<BundleExchange>,
}

/// Opens a support bundle the user picks: a new profile "NAME (from support bundle)" whose
/// request history holds the bundle's exchanges. The new profile is selected.
#[tauri::command]
#[specta::specta]
pub async fn open_support_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<BundleOpened>, CommandError> {
    let Some(path) = pick_json(&app, "Open support bundle", "Support bundle") else {
        return Ok(None);
    };
    let text = read_picked(&path, support_bundle::MAX_BUNDLE_BYTES, "a support bundle")?;
    let opened = {
        let mut store = state.store()?;
        let opened = support_bundle::import(&mut store, history(&state)?, &text)?;
        store.set_last_profile(&opened.profile.id)?;
        opened
    };
    let b = &opened.bundle;
    let system = [
        b.system.os_release.clone().unwrap_or_else(|| b.system.os.clone()),
        b.system.kernel.clone().unwrap_or_default(),
    ]
    .join(" ")
    .trim()
    .to_string();
    Ok(Some(BundleOpened {
        snapshot: snapshot(&state)?,
        profile_name: opened.profile.name.clone(),
        made_at: b.made_at.clone(),
        app_version: b.app.version.clone(),
        system,
        other_hosts: opened.other_hosts(&state.target(&opened.profile.id)?.endpoints.api_url),
        exchanges: b
            .exchanges
            .iter()
            .map(|e| BundleExchange {
                method: e.method.clone(),
                url: e.url.clone(),
                status: e.status,
                error: e.error.clone(),
                diagnosis: e.diagnosis.as_ref().map(|d| d.title.clone()),
            })
            .collect(),
    }))
}
