//! `GET /oauth/token/info`: what Doorkeeper tells about the bearer token presented, in the
//! shape of Doorkeeper's TokenInfoController (AccessToken#as_json: `resource_owner_id`, `scope`
//! as a list, `expires_in` in seconds left, `application: {uid}`, `created_at`), and its one
//! refusal for any token it cannot use, expired, revoked or unknown alike.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::errors::{json_no_store, OAuthError, TOKEN_INVALID};
use crate::api::auth::bearer_token;
use crate::state::{AccessStatus, AppState};

#[derive(Serialize)]
struct Application {
    uid: String,
}

#[derive(Serialize)]
struct TokenInfo {
    resource_owner_id: u64,
    scope: Vec<String>,
    expires_in: u64,
    application: Application,
    created_at: u64,
}

/// Handles `GET /oauth/token/info`.
pub(crate) async fn token_info(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = bearer_token(&headers) else {
        return OAuthError::invalid_token(TOKEN_INVALID).into_response();
    };
    let lifetime = state.config.token_lifetime;
    let status = state.store().access_status(token, lifetime);
    match status {
        AccessStatus::Valid(record) => {
            let info = TokenInfo {
                resource_owner_id: record.user_id,
                scope: record.scopes,
                expires_in: lifetime.saturating_sub(record.issued.elapsed()).as_secs(),
                application: Application { uid: record.client_id },
                created_at: record.created_at,
            };
            json_no_store(StatusCode::OK, &info)
        }
        // Doorkeeper answers InvalidTokenResponse.new here, without the reason it gives the API's
        // own refusals: "The access token is invalid" for every one.
        AccessStatus::Expired | AccessStatus::Revoked | AccessStatus::Unknown => {
            OAuthError::invalid_token(TOKEN_INVALID).into_response()
        }
    }
}
