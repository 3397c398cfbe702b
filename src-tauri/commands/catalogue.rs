//! What the app knows of ScopeStack's API, for the request line: path completions, query
//! parameters and write-body skeletons from the engine's catalogue, and "Load the API's
//! description", which merges the API's own description into it for the profile (kept while
//! the app runs, and while the profile's API address stays the one it was loaded from).

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

/// A catalogue enriched from the description an API address served.
#[derive(Clone)]
struct Enriched {
    api_url: String,
    catalogue: Arc<Catalogue>,
}

/// The catalogues enriched from a profile's API description in this session.
fn enriched() -> &'static Mutex<HashMap<ProfileId, Enriched>> {
    static ENRICHED: OnceLock<Mutex<HashMap<ProfileId, Enriched>>> = OnceLock::new();
    ENRICHED.get_or_init(Default::default)
}

/// Runs `f` on the catalogue of a profile: the enriched one when its description was loaded from
/// the API address the profile has now, else the built-in one (borrowed, never copied).
fn with_catalogue<T>(state: &AppState, id: &ProfileId, f: impl FnOnce(&Catalogue) -> T) -> T {
    let Some(kept) = lock(enriched()).get(id).cloned() else { return f(catalogue::builtin()) };
    let api_url = state.target(id).ok().map(|t| t.endpoints.api_url.to_string());
    match still_current(Some(kept), api_url.as_deref()) {
        Some(enriched) => f(&enriched),
        None => f(catalogue::builtin()),
    }
}

/// `kept` when it was loaded from `api_url`: a description another address served (the profile
/// was edited since) describes another API.
fn still_current(kept: Option<Enriched>, api_url: Option<&str>) -> Option<Arc<Catalogue>> {
    kept.filter(|k| Some(k.api_url.as_str()) == api_url).map(|k| k.catalogue)
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
    Ok(with_catalogue(&state, &id, Catalogue::clone))
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
    Ok(with_catalogue(&state, &id, |c| catalogue::path_completions(c, typed)))
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
    Ok(with_catalogue(&state, &id, |c| catalogue::query_parameters(c, path)))
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
    Ok(with_catalogue(&state, &id, |c| catalogue::body_skeleton(c, resource_type, method))?)
}

/// "Load the API's description": fetches the OpenAPI/Swagger description at the profile's API
/// root (`GET {api base}/`, `Accept: application/json`, no token sent), merges it into the
/// built-in catalogue, and keeps the result for this profile until the app closes (or the
/// profile's API address changes). Returns what
/// was added; on failure the catalogue in use is unchanged.
#[tauri::command]
#[specta::specta]
pub async fn load_api_description(
    id: String,
    state: State<'_, AppState>,
) -> Result<EnrichSummary, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    let (merged, summary) = catalogue::load_description(
        state.engine.http(),
        &target.endpoints.api_url,
        catalogue::builtin(),
    )
    .await?;
    let kept =
        Enriched { api_url: target.endpoints.api_url.to_string(), catalogue: Arc::new(merged) };
    lock(enriched()).insert(target.profile.id.clone(), kept);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded_from(api_url: &str) -> Enriched {
        let mut catalogue = catalogue::builtin().clone();
        catalogue.resources.truncate(1);
        Enriched { api_url: api_url.into(), catalogue: Arc::new(catalogue) }
    }

    #[test]
    fn a_loaded_description_serves_only_the_address_it_came_from() {
        let kept = loaded_from("https://api.example.test/");
        let same = still_current(Some(kept.clone()), Some("https://api.example.test/"));
        assert_eq!(same.map(|c| c.resources.len()), Some(1));
        assert!(still_current(Some(kept.clone()), Some("https://api.other.test/")).is_none());
        assert!(still_current(Some(kept), None).is_none());
        assert!(still_current(None, Some("https://api.example.test/")).is_none());
    }
}
