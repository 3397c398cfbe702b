//! The whole HTTP application: OAuth and API routes, JSON:API 404/405 fallbacks, compression.

use axum::Router;
use tower_http::compression::CompressionLayer;

use crate::api::resources::{method_not_allowed, route_not_found};
use crate::state::AppState;

/// Every route of the sandbox, ready to serve.
pub(crate) fn app(state: AppState) -> Router {
    crate::oauth::routes()
        .merge(crate::api::routes())
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(route_not_found)
        .layer(CompressionLayer::new())
        .with_state(state)
}
