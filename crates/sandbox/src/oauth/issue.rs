//! Minting access tokens (signed JWTs) and refresh tokens, and the token response body.

use std::time::Instant;

use serde::Serialize;

use super::scope;
use crate::clock::now_unix;
use crate::demo::{SeedUser, ACCOUNT_SLUG};
use crate::jwt::{Claims, UserClaim};
use crate::random::{opaque_token, uuid_v4};
use crate::state::{Shared, Store, TokenRecord};

/// The token endpoint's success body, in Doorkeeper's field order.
#[derive(Debug, Serialize)]
pub(crate) struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub scope: String,
    pub created_at: u64,
}

/// Stores a new token for `user` acting through `client_id` and returns its row id and body.
pub(crate) fn issue(
    shared: &Shared,
    store: &mut Store,
    client_id: &str,
    user: &SeedUser,
    scopes: Vec<String>,
    with_refresh: bool,
) -> (u64, TokenResponse) {
    let created_at = now_unix();
    let claims = Claims {
        iss: "ScopeStack".to_owned(),
        iat: created_at,
        jti: uuid_v4(),
        user: UserClaim {
            id: user.id,
            email: user.email.to_owned(),
            account: ACCOUNT_SLUG.to_owned(),
        },
    };
    let marker = shared.marker.as_deref().unwrap_or_default();
    let access_token =
        format!("{marker}{}{}", if marker.is_empty() { "" } else { "." }, shared.jwt.sign(&claims));
    let refresh_token = with_refresh.then(|| format!("{marker}{}", opaque_token()));
    let response = TokenResponse {
        access_token: access_token.clone(),
        token_type: "Bearer",
        expires_in: shared.config.token_lifetime.as_secs(),
        refresh_token: refresh_token.clone(),
        scope: scope::join(&scopes),
        created_at,
    };
    let id = store.insert_token(TokenRecord {
        access_token,
        refresh_token,
        client_id: client_id.to_owned(),
        user_id: user.id,
        scopes,
        issued: Instant::now(),
        created_at,
        revoked: false,
    });
    tracing::debug!(client_id, user_id = user.id, with_refresh, "issued an access token");
    (id, response)
}
