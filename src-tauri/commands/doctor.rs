//! The connection check of a profile ("Test connection"): the engine's walk to its token
//! endpoint and API, step by step. Sends no secret and touches no keychain.

use crate::error::CommandError;
use crate::state::AppState;
use crate::validate;
use engine::doctor::{self, CheckSettings, Report};
use tauri::State;

/// Walks the path to the profile's server: names, TCP, proxy, TLS, token endpoint, clock, API.
/// Never fails for the network's sake (a failure is a failed step); each step has a time limit.
/// Async, so off the window's main thread.
#[tauri::command]
#[specta::specta]
pub async fn check_connection(
    id: String,
    state: State<'_, AppState>,
) -> Result<Report, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    Ok(doctor::check(&target.endpoints, &CheckSettings::default()).await)
}
