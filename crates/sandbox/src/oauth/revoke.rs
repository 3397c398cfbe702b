//! `POST /oauth/revoke` (RFC 7009): revokes an access or refresh token of the calling client.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::client_auth::authenticate;
use super::errors::{json_no_store, OAuthError};
use super::params::{from_body, present};
use crate::state::AppState;

/// Handles `POST /oauth/revoke`. Unknown tokens answer 200 `{}` like any success.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = from_body(&headers, &body);
    let client = match authenticate(&state, &headers, &params) {
        Ok(client) => client,
        Err(err) => return err.into_response(),
    };
    let empty = serde_json::json!({});
    let Some(token) = present(&params, "token") else {
        return json_no_store(StatusCode::OK, &empty);
    };
    let mut store = state.store();
    let by_access = store.by_access.get(token).copied();
    let by_refresh = store.by_refresh.get(token).copied();
    let found = if present(&params, "token_type_hint") == Some("refresh_token") {
        by_refresh.or(by_access)
    } else {
        by_access.or(by_refresh)
    };
    let Some(id) = found else {
        return json_no_store(StatusCode::OK, &empty);
    };
    let owner = store.tokens.get(&id).map(|t| t.client_id.clone());
    if owner.as_deref() != Some(client.client.client_id.as_str()) {
        tracing::debug!(client_id = %client.client.client_id, "refused to revoke another client's token");
        return OAuthError::revoke_forbidden().into_response();
    }
    store.revoke_token(id);
    tracing::debug!(client_id = %client.client.client_id, "revoked a token");
    json_no_store(StatusCode::OK, &empty)
}
