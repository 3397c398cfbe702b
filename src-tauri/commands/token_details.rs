//! The token's details from its server (`/oauth/token/info` on the token URL's origin): its
//! scopes, client, resource owner, issue time and time left, shown beside `/v1/me`'s privileges.

use crate::error::CommandError;
use crate::state::AppState;
use crate::validate;
use engine::diagnose::Context;
use engine::token_info::TokenDetails;
use tauri::State;

/// What the server tells about the profile's token (renewed first when due). Async, so off the
/// window's main thread: it uses the keychain and the network.
#[tauri::command]
#[specta::specta]
pub async fn token_details(
    id: String,
    state: State<'_, AppState>,
) -> Result<TokenDetails, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    engine::token_info::details(&state.engine, &target).await.map_err(|e| {
        // A server without the endpoint: its words say so, a diagnosis of a 404 would mislead.
        if let engine::EngineError::Api { status: 404 | 405 | 501, message, .. } = e {
            return CommandError::Local(message);
        }
        let info = engine::token_info::info_url(&target.endpoints.token_url);
        let mut ctx = Context::for_target(&target).api_request("GET", info.as_str());
        ctx.sent_authorization = Some(true);
        CommandError::diagnosed(e, &ctx)
    })
}
