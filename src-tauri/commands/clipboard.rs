//! Copying and revealing the token. Copy is done here in Rust, so the token never passes
//! through the webview's clipboard; the clipboard is cleared after a delay if it still holds it.

use crate::error::CommandError;
use crate::state::AppState;
use crate::validate;
use std::time::Duration;
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// How long a copied token stays on the clipboard, unless `SCOPESTACK_COMPANION_CLIPBOARD_CLEAR_SECS` says otherwise.
const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(60);

fn clear_after() -> Duration {
    std::env::var("SCOPESTACK_COMPANION_CLIPBOARD_CLEAR_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_CLEAR_AFTER)
}

/// Copies the token (renewed first if due), or `Authorization: Bearer …`. Returns the seconds
/// after which the clipboard is cleared.
#[tauri::command]
pub async fn copy_token(id: String, as_header: bool, app: AppHandle, state: State<'_, AppState>) -> Result<u64, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    let tokens = state.engine.valid_token(&target).await?;
    let text = if as_header {
        format!("Authorization: Bearer {}", tokens.access_token.expose())
    } else {
        tokens.access_token.expose().to_string()
    };
    app.clipboard()
        .write_text(text.clone())
        .map_err(|e| CommandError::Local(format!("Could not copy to the clipboard: {e}")))?;
    let delay = clear_after();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(delay).await;
        if app.clipboard().read_text().is_ok_and(|now| now == text) {
            let _ = app.clipboard().clear();
        }
    });
    Ok(delay.as_secs())
}

/// The token itself, for the "reveal" toggle: shown, never stored by the webview.
#[tauri::command]
pub fn reveal_token(id: String, state: State<'_, AppState>) -> Result<String, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    let tokens = state.engine.stored_tokens(&target)?.ok_or(engine::EngineError::NoToken)?;
    Ok(tokens.access_token.expose().to_string())
}

/// Copies a value that is not a secret (a URL, an account slug) for the UI's copy buttons.
#[tauri::command]
pub fn copy_text(text: String, app: AppHandle) -> Result<(), CommandError> {
    validate::bounded("text to copy", &text, validate::MAX_COPIED_TEXT)?;
    app.clipboard().write_text(text).map_err(|e| CommandError::Local(format!("Could not copy to the clipboard: {e}")))
}
