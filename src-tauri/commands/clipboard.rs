//! Copying and revealing the token. Copy is done here in Rust, so the token never passes
//! through the webview's clipboard. Whatever holds a secret (the token, a curl command with it)
//! is cleared after a delay, or when the app exits if that comes first, if the clipboard still
//! holds exactly that text.

use crate::error::CommandError;
use crate::state::AppState;
use crate::validate;
use engine::limits;
use engine::Secret;
use std::time::Duration;
use tauri::{AppHandle, Manager, State};
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

/// Copies a secret and clears it after [`clear_after`], or at exit ([`clear_pending`]), if the
/// clipboard still holds exactly it. Returns the seconds until then.
pub fn copy_secret(app: &AppHandle, state: &AppState, text: Secret) -> Result<u64, CommandError> {
    app.clipboard()
        .write_text(text.expose())
        .map_err(|e| CommandError::Local(format!("Could not copy to the clipboard: {e}")))?;
    let number = state.clipboard_clears.add(text);
    let delay = clear_after();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(delay).await;
        let text = app.state::<AppState>().clipboard_clears.take(number);
        if let Some(text) = text {
            clear_if_holding(&app, &[text]);
        }
    });
    Ok(delay.as_secs())
}

/// Clears the clipboard if it holds exactly one of `texts` (something copied since is left alone).
fn clear_if_holding(app: &AppHandle, texts: &[Secret]) {
    if app.clipboard().read_text().is_ok_and(|now| texts.iter().any(|t| t.expose() == now)) {
        let _ = app.clipboard().clear();
    }
}

/// Runs the clears still waiting, as the app is asked to exit (closed, or ended by SIGTERM,
/// SIGINT or SIGHUP): a secret must not outlive the app on a clipboard a clipboard manager
/// keeps. It must run before `RunEvent::Exit`, where the clipboard plugin lets the clipboard go
/// (handing what the app holds to a clipboard manager); a timer firing later finds nothing to
/// clear. Called on the main thread, it reads the clipboard on another, for at most 2 s: reading
/// what the app's own webview holds needs the main thread.
pub fn clear_pending(app: &AppHandle) {
    let Some(state) = app.try_state::<AppState>() else { return };
    let texts = state.clipboard_clears.take_all();
    if texts.is_empty() {
        return;
    }
    let (done, finished) = std::sync::mpsc::channel();
    let app = app.clone();
    let spawned = std::thread::Builder::new().name("clipboard-clear".into()).spawn(move || {
        clear_if_holding(&app, &texts);
        let _ = done.send(());
    });
    match spawned {
        Ok(_) => {
            if finished.recv_timeout(Duration::from_secs(2)).is_err() {
                tracing::warn!("the clipboard did not answer within 2 s at exit: a copied secret may still be on it");
            }
        }
        Err(e) => tracing::warn!(
            "could not clear the clipboard at exit ({e}): a copied secret may still be on it"
        ),
    }
}

/// Copies the token (renewed first if due), or `Authorization: Bearer …`. Returns the seconds
/// after which the clipboard is cleared.
#[tauri::command]
#[specta::specta]
pub async fn copy_token(
    id: String,
    as_header: bool,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<u64, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    // A token due for renewal is renewed first.
    let tokens = state.engine.valid_token(&target).await?;
    let text = if as_header {
        format!("Authorization: Bearer {}", tokens.access_token.expose())
    } else {
        tokens.access_token.expose().to_string()
    };
    copy_secret(&app, &state, Secret::new(text))
}

/// The token itself, for the "reveal" toggle: shown, never stored by the webview.
/// Async, so off the window's main thread: it uses the keychain, which may take up to its bound.
#[tauri::command]
#[specta::specta]
pub async fn reveal_token(id: String, state: State<'_, AppState>) -> Result<String, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    let tokens = state.engine.stored_tokens(&target)?.ok_or(engine::EngineError::NoToken)?;
    Ok(tokens.access_token.expose().to_string())
}

/// Copies a value that is not a secret (a URL, an account slug) for the UI's copy buttons.
#[tauri::command]
#[specta::specta]
pub fn copy_text(text: String, app: AppHandle) -> Result<(), CommandError> {
    limits::bounded("text to copy", &text, limits::MAX_COPIED_TEXT)?;
    app.clipboard()
        .write_text(text)
        .map_err(|e| CommandError::Local(format!("Could not copy to the clipboard: {e}")))
}
