//! The OAuth 2 server, shaped like Doorkeeper: authorize, token, revoke and token info.

pub(crate) mod authorize;
pub(crate) mod client_auth;
pub(crate) mod errors;
pub(crate) mod info;
pub(crate) mod issue;
pub(crate) mod pages;
pub(crate) mod params;
pub(crate) mod pkce;
pub(crate) mod redirect_match;
pub(crate) mod revoke;
pub(crate) mod scope;
pub(crate) mod token;

use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

/// The `/oauth/...` routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/authorize", get(authorize::show).post(authorize::submit))
        .route("/oauth/token", post(token::token))
        .route("/oauth/revoke", post(revoke::revoke))
        .route("/oauth/token/info", get(info::token_info))
}
