//! Client authentication at the token and revoke endpoints: HTTP Basic first, else the body's
//! `client_id` and `client_secret` (RFC 6749 §2.3.1).

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::errors::OAuthError;
use super::params::{present, Params};
use super::pkce::constant_time_eq;
use crate::demo::DemoClient;
use crate::state::Shared;

/// A client whose id and secret checked out.
#[derive(Debug, Clone)]
pub(crate) struct AuthenticatedClient {
    pub client: DemoClient,
}

/// The client making this request, or `invalid_client`.
pub(crate) fn authenticate(
    state: &Shared,
    headers: &HeaderMap,
    params: &Params,
) -> Result<AuthenticatedClient, OAuthError> {
    let basic = basic_credentials(headers);
    let via_basic = basic.is_some();
    let (id, secret) = match basic {
        Some(Some(pair)) => pair,
        Some(None) => return Err(OAuthError::invalid_client(true)),
        None => match (present(params, "client_id"), present(params, "client_secret")) {
            (Some(id), Some(secret)) => (id.to_owned(), secret.to_owned()),
            _ => return Err(OAuthError::invalid_client(false)),
        },
    };
    match state.client(&id) {
        Some(client) if constant_time_eq(client.client_secret.as_bytes(), secret.as_bytes()) => {
            Ok(AuthenticatedClient { client: client.clone() })
        }
        _ => {
            tracing::debug!(client_id = %id, "client authentication failed");
            Err(OAuthError::invalid_client(via_basic))
        }
    }
}

/// `None` without a Basic header; `Some(None)` for a malformed one; else the id and secret.
fn basic_credentials(headers: &HeaderMap) -> Option<Option<(String, String)>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(rest.trim()).ok().and_then(|bytes| String::from_utf8(bytes).ok());
    Some(decoded.and_then(|text| {
        let (id, secret) = text.split_once(':')?;
        Some((form_decode(id), form_decode(secret)))
    }))
}

/// Undoes the form encoding RFC 6749 asks clients to apply to Basic credentials.
fn form_decode(text: &str) -> String {
    let pair = format!("v={text}");
    url::form_urlencoded::parse(pair.as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
