//! The calls the web UI may make. Each is a few lines over the engine; no logic lives here.
//!
//! - this file: the window's snapshot and switching profiles;
//! - [`profiles`]: add, rename, duplicate, delete, edit, export, import;
//! - [`tokens`]: get a new token, cancel, renew, revoke, verify, status;
//! - [`clipboard`]: copy and reveal the token;
//! - [`requests`]: the request tester.

pub mod clipboard;
pub mod profiles;
pub mod requests;
pub mod tokens;

use crate::error::CommandError;
use crate::state::{AppState, ProfileView, SandboxStatus};
use engine::ProfileId;
use serde::Serialize;
use tauri::State;

/// Everything the window shows on start and after a change of profiles.
#[derive(Serialize)]
pub struct AppSnapshot {
    profiles: Vec<ProfileView>,
    selected: Option<ProfileId>,
    sandbox: SandboxStatus,
    demo: sandbox::DemoData,
    notice: Option<String>,
    vault_mode: engine::vault::VaultMode,
}

pub fn snapshot(state: &AppState) -> Result<AppSnapshot, CommandError> {
    let store = state.store()?;
    let base = state.sandbox_base();
    Ok(AppSnapshot {
        profiles: store.list().iter().map(|p| ProfileView::new(p, base)).collect(),
        selected: store.startup_profile().map(|p| p.id.clone()),
        sandbox: state.sandbox.clone(),
        demo: sandbox::demo_data(),
        notice: state.notice.clone(),
        vault_mode: state.engine.vault.mode(),
    })
}

#[tauri::command]
pub fn app_snapshot(state: State<'_, AppState>) -> Result<AppSnapshot, CommandError> {
    snapshot(&state)
}

/// Switches to a profile and remembers it for the next launch.
#[tauri::command]
pub fn select_profile(id: String, state: State<'_, AppState>) -> Result<AppSnapshot, CommandError> {
    state.store()?.set_last_profile(&ProfileId::new(id))?;
    snapshot(&state)
}
