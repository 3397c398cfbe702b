//! ScopeStack's JSON:API, simulated: `/v1/me`, every account-scoped resource type with its
//! action endpoints, the sample records, and the OpenAPI description at `GET /`.

pub(crate) mod actions;
pub(crate) mod auth;
pub(crate) mod errors;
pub(crate) mod me;
pub(crate) mod openapi;
pub(crate) mod pagination;
pub(crate) mod query;
pub(crate) mod render;
pub(crate) mod resources;
pub(crate) mod sample;
pub(crate) mod write;

use axum::routing::{any, get};
use axum::Router;

use crate::state::AppState;

/// The API routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(openapi::description))
        .route("/v1/me", get(me::me))
        .route("/{slug}/v1/sample-records", get(sample::sample_records))
        .route("/{slug}/v1/{kind}", get(resources::list).post(resources::create))
        .route(
            "/{slug}/v1/{kind}/{id}",
            get(resources::show).patch(resources::update).delete(resources::remove),
        )
        .route("/{slug}/v1/{kind}/{id}/{action}", any(actions::action))
}
