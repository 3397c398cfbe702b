//! A profile's saved requests: list them and their folders, save one from the window, save
//! over, rename, move to another folder, duplicate, delete. The engine keeps them without
//! secrets ([`SavedRequests`]) and checks names, folder paths and ids ([`engine::limits`]).

use crate::error::CommandError;
use crate::state::AppState;
use crate::validate;
use engine::limits;
use engine::requests::{RequestSpec, SavedRequest, SavedRequests};
use serde::Serialize;
use tauri::State;

fn saved() -> Result<SavedRequests, CommandError> {
    Ok(SavedRequests::open_default()?)
}

/// One saved request changed: it as kept now, and all the profile's saved requests after the
/// change (for the list beside the editor).
#[derive(Serialize, specta::Type)]
pub struct SavedRequestChange {
    request: SavedRequest,
    requests: Vec<SavedRequest>,
}

fn changed(
    saved: &SavedRequests,
    profile: &engine::ProfileId,
    request: SavedRequest,
) -> Result<SavedRequestChange, CommandError> {
    Ok(SavedRequestChange { request, requests: saved.list(profile)? })
}

/// The profile's saved requests, in their order.
#[tauri::command]
#[specta::specta]
pub fn saved_requests(
    id: String,
    state: State<'_, AppState>,
) -> Result<Vec<SavedRequest>, CommandError> {
    Ok(saved()?.list(&validate::profile(&state, &id)?)?)
}

/// The folder paths that hold saved requests, outermost first, each parent before its
/// subfolders (the top level is not listed).
#[tauri::command]
#[specta::specta]
pub fn saved_folders(
    id: String,
    state: State<'_, AppState>,
) -> Result<Vec<Vec<String>>, CommandError> {
    Ok(saved()?.folders(&validate::profile(&state, &id)?)?)
}

/// Saves the editor's request as a new saved request named `name` in the folder path `folder`
/// (empty: the top level), without its secrets; returns it as kept (`redacted` lists what was
/// left out).
#[tauri::command]
#[specta::specta]
pub fn save_request(
    id: String,
    name: String,
    folder: Vec<String>,
    spec: RequestSpec,
    state: State<'_, AppState>,
) -> Result<SavedRequest, CommandError> {
    let id = validate::profile(&state, &id)?;
    engine::requests::spec::check_limits(&spec)?;
    Ok(saved()?.save(&id, &name, &folder, &spec)?)
}

/// Saves the editor's request over the saved request `request` (its name and folder stay).
#[tauri::command]
#[specta::specta]
pub fn update_saved_request(
    id: String,
    request: String,
    spec: RequestSpec,
    state: State<'_, AppState>,
) -> Result<SavedRequestChange, CommandError> {
    let id = validate::profile(&state, &id)?;
    engine::requests::spec::check_limits(&spec)?;
    let saved = saved()?;
    let kept = saved.update_spec(&id, limits::saved_request_id(&request)?, &spec)?;
    changed(&saved, &id, kept)
}

/// Renames a saved request.
#[tauri::command]
#[specta::specta]
pub fn rename_saved_request(
    id: String,
    request: String,
    name: String,
    state: State<'_, AppState>,
) -> Result<SavedRequestChange, CommandError> {
    let id = validate::profile(&state, &id)?;
    let saved = saved()?;
    let kept = saved.rename(&id, limits::saved_request_id(&request)?, &name)?;
    changed(&saved, &id, kept)
}

/// Moves a saved request to the folder path `folder` (empty: the top level).
#[tauri::command]
#[specta::specta]
pub fn move_saved_request(
    id: String,
    request: String,
    folder: Vec<String>,
    state: State<'_, AppState>,
) -> Result<SavedRequestChange, CommandError> {
    let id = validate::profile(&state, &id)?;
    let saved = saved()?;
    let kept = saved.move_to(&id, limits::saved_request_id(&request)?, &folder)?;
    changed(&saved, &id, kept)
}

/// Copies a saved request into its folder, right after it, as "NAME (copy)"; `request` in the
/// answer is the copy.
#[tauri::command]
#[specta::specta]
pub fn duplicate_saved_request(
    id: String,
    request: String,
    state: State<'_, AppState>,
) -> Result<SavedRequestChange, CommandError> {
    let id = validate::profile(&state, &id)?;
    let saved = saved()?;
    let copy = saved.duplicate(&id, limits::saved_request_id(&request)?)?;
    changed(&saved, &id, copy)
}

/// Deletes one saved request; returns the ones left.
#[tauri::command]
#[specta::specta]
pub fn delete_saved_request(
    id: String,
    request: String,
    state: State<'_, AppState>,
) -> Result<Vec<SavedRequest>, CommandError> {
    let id = validate::profile(&state, &id)?;
    let saved = saved()?;
    saved.delete(&id, limits::saved_request_id(&request)?)?;
    Ok(saved.list(&id)?)
}
