//! The calls the web UI may make. Each is a few lines over the engine; no logic lives here.

use crate::error::CommandError;
use crate::state::{AppState, ProfileView, SandboxStatus};
use engine::ProfileId;
use serde::Serialize;
use tauri::State;

/// Everything the window shows on start and after a change.
#[derive(Serialize)]
pub struct AppSnapshot {
    profiles: Vec<ProfileView>,
    selected: Option<ProfileId>,
    sandbox: SandboxStatus,
    demo: sandbox::DemoData,
    notice: Option<String>,
}

fn snapshot(state: &AppState) -> Result<AppSnapshot, CommandError> {
    let store = state.profiles.as_ref().map_err(|e| CommandError::Startup(e.clone()))?;
    let store = store.lock().map_err(|_| CommandError::Startup("The profiles store failed earlier; restart the app.".into()))?;
    let base = state.sandbox_base();
    Ok(AppSnapshot {
        profiles: store.list().iter().map(|p| ProfileView::new(p, base)).collect(),
        selected: store.startup_profile().map(|p| p.id.clone()),
        sandbox: state.sandbox.clone(),
        demo: sandbox::demo_data(),
        notice: state.notice.clone(),
    })
}

#[tauri::command]
pub fn app_snapshot(state: State<'_, AppState>) -> Result<AppSnapshot, CommandError> {
    snapshot(&state)
}

/// Switches to a profile and remembers it for the next launch.
#[tauri::command]
pub fn select_profile(id: String, state: State<'_, AppState>) -> Result<AppSnapshot, CommandError> {
    {
        let store = state.profiles.as_ref().map_err(|e| CommandError::Startup(e.clone()))?;
        let mut store = store.lock().map_err(|_| CommandError::Startup("The profiles store failed earlier; restart the app.".into()))?;
        store.set_last_profile(&ProfileId::new(id))?;
    }
    snapshot(&state)
}
