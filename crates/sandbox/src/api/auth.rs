//! Guards every API call: a valid bearer token of an active user first (401), then an
//! `Accept` that includes the JSON:API media type (406); writes also need its `Content-Type` (415),
//! a token with the `write` scope and a role that may write (403).

use axum::http::{header, HeaderMap};

use super::errors::{ApiError, MEDIA_TYPE};
use crate::demo::SeedUser;
use crate::state::{AccessStatus, AppState};

/// The user an API call acts for, and the scopes its token was given.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub user: SeedUser,
    pub scopes: Vec<String>,
}

impl Caller {
    /// Whether this call may change data: the token must have the `write` scope (checked first,
    /// as Doorkeeper's scope check runs before the app's own), then the user's role must allow it.
    pub(crate) fn may_write(&self) -> Result<(), ApiError> {
        if !self.scopes.iter().any(|s| s == "write") {
            return Err(ApiError::insufficient_scope(&self.scopes));
        }
        if !self.user.can_write() {
            return Err(ApiError::forbidden());
        }
        Ok(())
    }
}

/// The token of an `Authorization: Bearer …` header.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Authentication, then content negotiation, as every API route does first.
pub(crate) fn guard(state: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let caller = authenticate(state, headers)?;
    check_accept(headers)?;
    Ok(caller)
}

/// The active user behind a valid, unexpired, unrevoked access token.
fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let token = bearer_token(headers).ok_or_else(ApiError::unauthorized)?;
    let claims = state.jwt.verify(state.unmarked(token)).ok_or_else(ApiError::unauthorized)?;
    let store = state.store();
    let record = match store.access_status(token, state.config.token_lifetime) {
        AccessStatus::Valid(record) => record,
        other => {
            tracing::debug!(token = other.label(), "API call with an unusable token");
            return Err(ApiError::unauthorized());
        }
    };
    if claims.user.id != record.user_id || !store.user_active(record.user_id) {
        return Err(ApiError::unauthorized());
    }
    let user = state.user(record.user_id).ok_or_else(ApiError::unauthorized)?;
    Ok(Caller { user: user.clone(), scopes: record.scopes.clone() })
}

/// The header's values joined, or `none` when absent (for error details).
fn specified(headers: &HeaderMap, name: header::HeaderName) -> String {
    let values: Vec<&str> = headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
    if values.is_empty() {
        "none".to_owned()
    } else {
        values.join(", ")
    }
}

/// Whether one media range is exactly the JSON:API type, without parameters.
fn is_plain_jsonapi(range: &str) -> bool {
    let range = range.trim();
    !range.contains(';') && range.eq_ignore_ascii_case(MEDIA_TYPE)
}

/// 406 unless `Accept` lists `application/vnd.api+json` without parameters.
pub(crate) fn check_accept(headers: &HeaderMap) -> Result<(), ApiError> {
    let ok = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(is_plain_jsonapi);
    if ok {
        Ok(())
    } else {
        Err(ApiError::not_acceptable(&specified(headers, header::ACCEPT)))
    }
}

/// 415 unless `Content-Type` is exactly `application/vnd.api+json`.
pub(crate) fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_plain_jsonapi);
    if ok {
        Ok(())
    } else {
        Err(ApiError::unsupported_media_type(&specified(headers, header::CONTENT_TYPE)))
    }
}
