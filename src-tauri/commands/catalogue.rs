//! What the app knows of ScopeStack's API, for the request line: path completions, query
//! parameters and write-body skeletons from the engine's catalogue, and "Load the API's
//! description", which merges the API's own description into it for the profile (kept while
//! the app runs).

use crate::error::CommandError;
use crate::state::{lock, AppState};
use crate::validate;
use engine::catalogue::{self, Catalogue, EnrichSummary, PathCompletion, QueryParameter};
use engine::ProfileId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tauri::State;

/// The longest path or URL completed (the request line's own limit).
const MAX_TYPED: usize = 8 * 1024;

/// The catalogues enriched from a profile's API description in this session.
fn enriched() -> &'static Mutex<HashMap<ProfileId, Arc<Catalogue>>> {
    static ENRICHED: OnceLock<Mutex<HashMap<ProfileId, Arc<Catalogue>>>> = OnceLock::new();
    ENRICHED.get_or_init(Default::default)
}

/// The catalogue of a profile: the enriched one when its description was loaded, else the
/// built-in one.
fn catalogue_of(id: &ProfileId) -> Arc<Catalogue> {
    lock(enriched()).get(id).cloned().unwrap_or_else(|| Arc::new(catalogue::builtin().clone()))
}

fn bounded<'a>(what: &str, text: &'a str) -> Result<&'a str, CommandError> {
    if text.len() > MAX_TYPED {
        return Err(CommandError::Input(format!(
            "The {what} is longer than {} KiB: shorten it to get suggestions.",
            MAX_TYPED / 1024
        )));
    }
    Ok(text)
}

/// The API catalogue the profile `id` uses: the built-in one, or the one enriched by
/// `load_api_description` in this session (then `enriched` says what was added).
#[tauri::command]
#[specta::specta]
pub fn api_catalogue(id: String, state: State<'_, AppState>) -> Result<Catalogue, CommandError> {
    let id = validate::profile(&state, &id)?;
    Ok((*catalogue_of(&id)).clone())
}

/// Completions of the request line's path or URL as typed (`{account-slug}/v1/pro`,
/// `acme/v1/projects/12/m`, `https://api.scopestack.io/acme/v1/sur`): each `text` is the whole
/// line with the completion in place. Empty once the path has a query (`?`). `typed` ≤ 8 KiB.
#[tauri::command]
#[specta::specta]
pub fn api_path_completions(
    id: String,
    typed: String,
    state: State<'_, AppState>,
) -> Result<Vec<PathCompletion>, CommandError> {
    let id = validate::profile(&state, &id)?;
    let typed = bounded("path", &typed)?;
    Ok(catalogue::path_completions(&catalogue_of(&id), typed))
}

/// The query parameters (`filter[…]`, `include`, `sort`, `page[number]`, `page[size]`) the
/// resource a path names accepts, with values to offer; a record takes `include` only; an
/// action or an unknown path none. `path` ≤ 8 KiB, a query after it is ignored.
#[tauri::command]
#[specta::specta]
pub fn api_query_parameters(
    id: String,
    path: String,
    state: State<'_, AppState>,
) -> Result<Vec<QueryParameter>, CommandError> {
    let id = validate::profile(&state, &id)?;
    let path = bounded("path", &path)?;
    Ok(catalogue::query_parameters(&catalogue_of(&id), path))
}

/// A pretty JSON:API write body for `resource_type` (`projects`) and `method` (`POST`, or
/// `PATCH`/`PUT`, which add `"id": "{id}"`): every writable attribute under a placeholder of its
/// kind, and the to-one relationships. An input error for an unknown or read-only type, or a
/// method without a body.
#[tauri::command]
#[specta::specta]
pub fn api_body_skeleton(
    id: String,
    resource_type: String,
    method: String,
    state: State<'_, AppState>,
) -> Result<String, CommandError> {
    let id = validate::profile(&state, &id)?;
    let resource_type = bounded("resource type", &resource_type)?;
    let method = bounded("method", &method)?;
    Ok(catalogue::body_skeleton(&catalogue_of(&id), resource_type, method)?)
}

/// "Load the API's description": fetches the OpenAPI/Swagger description at the profile's API
/// root (`GET {api base}/`, `Accept: application/json`, no token sent), merges it into the
/// built-in catalogue, and keeps the result for this profile until the app closes. Returns what
/// was added; on failure the catalogue in use is unchanged.
#[tauri::command]
#[specta::specta]
pub async fn load_api_description(
    id: String,
    state: State<'_, AppState>,
) -> Result<EnrichSummary, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    state.can_send()?;
    let (merged, summary) = catalogue::load_description(
        state.engine.http(),
        &target.endpoints.api_url,
        catalogue::builtin(),
    )
    .await
    .map_err(|e| state.engine_failure(e))?;
    lock(enriched()).insert(target.profile.id.clone(), Arc::new(merged));
    Ok(summary)
}
