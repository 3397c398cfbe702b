//! `GET /v1/me`: the signed-in user, their account and privileges.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::auth::guard;
use super::errors::document;
use crate::demo::{ACCOUNT_ID, ACCOUNT_SLUG};
use crate::state::AppState;

/// The privileges every demo user has; the access level depends on the role.
const PRIVILEGES: [&str; 8] = [
    "projects.overview",
    "projects.services",
    "projects.resources",
    "projects.approval",
    "clients",
    "contacts",
    "settings.users",
    "reports",
];

/// Handles `GET /v1/me`.
pub(crate) async fn me(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let caller = match guard(&state, &headers) {
        Ok(caller) => caller,
        Err(err) => return err.into_response(),
    };
    let user = caller.user;
    let level = if user.can_write() { "manage" } else { "view" };
    let privileges: Vec<_> =
        PRIVILEGES.iter().map(|p| json!({"privilege": p, "access-level": level})).collect();
    let body = json!({
        "data": {
            "id": user.id.to_string(),
            "type": "mes",
            "links": {"self": format!("{}/v1/mes", state.base_url)},
            "attributes": {
                "name": user.name,
                "title": user.title,
                "email": user.email,
                "phone": "",
                "account-id": ACCOUNT_ID,
                "account-slug": ACCOUNT_SLUG,
                "privileges": privileges,
                "uuid": user.uuid,
                "site-admin": false,
            }
        }
    });
    document(StatusCode::OK, &body)
}
