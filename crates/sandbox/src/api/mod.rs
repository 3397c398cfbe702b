//! ScopeStack's JSON:API, simulated: `/v1/me` and the account's clients, projects and sample records.

pub(crate) mod auth;
pub(crate) mod errors;
pub(crate) mod me;
pub(crate) mod pagination;
pub(crate) mod query;
pub(crate) mod render;
pub(crate) mod resources;
pub(crate) mod sample;
pub(crate) mod write;

use axum::routing::get;
use axum::Router;

use crate::state::AppState;

/// The API routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/me", get(me::me))
        .route("/{slug}/v1/sample-records", get(sample::sample_records))
        .route("/{slug}/v1/{kind}", get(resources::list).post(resources::create))
        .route("/{slug}/v1/{kind}/{id}", get(resources::show).patch(resources::update))
}
