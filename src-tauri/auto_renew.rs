//! Automatic renewal: every few seconds, each profile whose token expires within the margin is
//! renewed (unless its auto-renew is off), and the window is told the result. A renewal that
//! failed is not retried for the same token: the user is asked to get a new one.

use crate::state::{lock, AppState, RenewalRecord};
use engine::tokens::{now_unix, TokenSet};
use engine::{EngineError, ProfileId};
use serde::Serialize;
use std::time::Duration;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

/// The longest wait between two looks; a token due sooner is looked at when it is due.
const TICK: Duration = Duration::from_secs(10);
/// The shortest wait between two looks.
const SHORTEST_TICK: Duration = Duration::from_secs(1);

/// A profile's token was renewed by itself, or its renewal failed: the typed event
/// `token-renewed` (`events.tokenRenewed` in the bindings), whose payload is the profile's id.
/// The window then reads the profile's status again.
#[derive(Clone, Serialize, specta::Type)]
pub struct TokenRenewed(ProfileId);

// What `#[derive(tauri_specta::Event)]` writes, with the event's name spelt out.
impl tauri_specta::Event for TokenRenewed {
    const NAME: &'static str = "token-renewed";
}

pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut wait = TICK;
        loop {
            tokio::time::sleep(wait).await;
            wait = tick(&app).await.clamp(SHORTEST_TICK, TICK);
        }
    });
}

/// Renews every token that is due, and says how long until the next one is.
async fn tick(app: &AppHandle) -> Duration {
    let state = app.state::<AppState>();
    let ids: Vec<ProfileId> = match state.store() {
        Ok(store) => store.list().iter().map(|p| p.id.clone()).collect(),
        Err(_) => return TICK,
    };
    let mut next = TICK;
    for id in ids {
        let Ok(target) = state.target(&id) else { continue };
        let Ok(Some(tokens)) = state.engine.stored_tokens(&target) else { continue };
        if !watched(&state, &id, &tokens) {
            continue;
        }
        if !state.engine.due(&tokens) {
            next = next.min(until_due(&tokens));
            continue;
        }
        // Renews unless a request (or the CLI) renewed it while this looked.
        let result = state.engine.valid_token(&target).await;
        if let Ok(renewed) = &result {
            next = next.min(until_due(renewed));
        }
        record(&state, &id, &result);
        let _ = TokenRenewed(id).emit(app);
    }
    next
}

/// Whether this profile's token is renewed by itself: auto-renew is on and its last renewal
/// did not fail.
fn watched(state: &AppState, id: &ProfileId, tokens: &TokenSet) -> bool {
    let runtime = lock(&state.runtime);
    let rt = runtime.get(id);
    !rt.is_some_and(|r| r.auto_renew_off || r.failed_for_issued_at == Some(tokens.issued_at))
}

/// How long until `tokens` is due for renewal (zero when it is).
fn until_due(tokens: &TokenSet) -> Duration {
    let Some(expires_at) = tokens.expires_at else { return TICK };
    let margin = tokens.renewal_margin(engine::session::DEFAULT_RENEW_MARGIN_SECS);
    let secs = expires_at.saturating_sub(margin).saturating_sub(now_unix());
    Duration::from_secs(u64::try_from(secs).unwrap_or(0))
}

/// Keeps the result of a renewal (automatic or "Renew now") for the token panel.
pub fn record(state: &AppState, id: &ProfileId, result: &Result<TokenSet, EngineError>) {
    // The keychain is read before the lock is taken: a slow or locked keychain must not hold
    // up every other command that reads the runtime.
    let failed_for = match result {
        Ok(_) => None,
        Err(_) => state.engine.vault.get_tokens(id).ok().flatten().map(|t| t.issued_at),
    };
    let mut runtime = lock(&state.runtime);
    let rt = runtime.entry(id.clone()).or_default();
    let (ok, message) = match result {
        Ok(t) => {
            rt.failed_for_issued_at = None;
            // The window says when in words (the token's expiry is beside it): no raw time here.
            let ends = if t.expires_at.is_some() { "" } else { "; the server gave no expiry" };
            (true, format!("Renewed{ends}"))
        }
        Err(e) => {
            if let Some(issued_at) = failed_for {
                rt.failed_for_issued_at = Some(issued_at);
            }
            (false, e.to_string())
        }
    };
    rt.last_renewal = Some(RenewalRecord { at: now_unix(), ok, message });
}
