//! `POST /oauth/token`: the authorization code, client credentials, password and refresh grants.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::client_auth::{authenticate, AuthenticatedClient};
use super::errors::{json_no_store, ErrorKind, OAuthError};
use super::issue::{issue, TokenResponse};
use super::params::{from_body, present, Params};
use super::{pkce, scope};
use crate::demo::{GrantMethod, Role, ADMIN_USER_ID};
use crate::state::AppState;

/// The grant types the token endpoint knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grant {
    AuthorizationCode,
    ClientCredentials,
    Password,
    RefreshToken,
}

/// Handles `POST /oauth/token`.
pub(crate) async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = from_body(&headers, &body);
    match grant(&state, &headers, &params) {
        Ok(body) => json_no_store(StatusCode::OK, &body),
        Err(err) => {
            tracing::debug!(error = err.kind, "token request refused");
            err.into_response()
        }
    }
}

fn grant(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let grant = match present(params, "grant_type") {
        None => return Err(ErrorKind::InvalidRequest.into()),
        Some("authorization_code") => Grant::AuthorizationCode,
        Some("client_credentials") => Grant::ClientCredentials,
        Some("password") => Grant::Password,
        Some("refresh_token") => Grant::RefreshToken,
        Some(_) => return Err(ErrorKind::UnsupportedGrantType.into()),
    };
    let client = authenticate(state, headers, params)?;
    let allowed = match grant {
        Grant::AuthorizationCode => client.client.method == GrantMethod::AuthorizationCode,
        Grant::ClientCredentials => client.client.method == GrantMethod::ClientCredentials,
        Grant::Password => client.client.method == GrantMethod::Password,
        Grant::RefreshToken => client.client.method != GrantMethod::ClientCredentials,
    };
    if !allowed {
        return Err(ErrorKind::UnauthorizedClient.into());
    }
    match grant {
        Grant::AuthorizationCode => authorization_code(state, &client, params),
        Grant::ClientCredentials => client_credentials(state, &client, params),
        Grant::Password => password(state, &client, params),
        Grant::RefreshToken => refresh_token(state, &client, params),
    }
}

fn authorization_code(
    state: &AppState,
    client: &AuthenticatedClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let code = present(params, "code").ok_or(ErrorKind::InvalidRequest)?;
    let verifier = present(params, "code_verifier");
    let mut store = state.store();
    let Some(grant) = store.codes.get(code).cloned() else {
        return Err(ErrorKind::InvalidGrant.into());
    };
    if grant.used {
        // A replayed code: refuse it and revoke what it produced (RFC 6749 §4.1.2).
        for id in &grant.token_ids {
            store.revoke_token(*id);
        }
        return Err(ErrorKind::InvalidGrant.into());
    }
    if grant.code_challenge.is_some() && verifier.is_none() {
        return Err(ErrorKind::InvalidRequest.into());
    }
    let redirect_uri = present(params, "redirect_uri").ok_or(ErrorKind::InvalidRequest)?;
    let pkce_ok = match (&grant.code_challenge, verifier) {
        (None, None) => true,
        (Some(challenge), Some(verifier)) => pkce::verifies(challenge, verifier),
        _ => false,
    };
    let valid = grant.issued.elapsed() < state.config.code_lifetime
        && grant.client_id == client.client.client_id
        && grant.redirect_uri == redirect_uri
        && pkce_ok
        && store.user_active(grant.user_id);
    let user = state.user(grant.user_id).filter(|_| valid).ok_or(ErrorKind::InvalidGrant)?;
    let (token_id, response) =
        issue(state, &mut store, &client.client.client_id, user, grant.scopes, true);
    if let Some(stored) = store.codes.get_mut(code) {
        stored.used = true;
        stored.token_ids.push(token_id);
    }
    Ok(response)
}

fn client_credentials(
    state: &AppState,
    client: &AuthenticatedClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let scopes =
        scope::parse(params.get("scope").map(String::as_str)).ok_or(ErrorKind::InvalidScope)?;
    // ScopeStack service accounts belong to a user; the sandbox's acts as the admin.
    let user = state.user(ADMIN_USER_ID).ok_or(ErrorKind::InvalidGrant)?;
    let mut store = state.store();
    Ok(issue(state, &mut store, &client.client.client_id, user, scopes, false).1)
}

fn password(
    state: &AppState,
    client: &AuthenticatedClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    // ScopeStack's documented pitfall: a redirect_uri with this grant fails.
    if params.contains_key("redirect_uri") {
        return Err(ErrorKind::InvalidGrant.into());
    }
    let (Some(email), Some(password)) = (present(params, "username"), present(params, "password"))
    else {
        return Err(ErrorKind::InvalidRequest.into());
    };
    let mut store = state.store();
    let user = state
        .user_by_email(email)
        .filter(|u| pkce::constant_time_eq(u.password.as_bytes(), password.as_bytes()))
        .filter(|u| store.user_active(u.id) && u.role != Role::Mfa)
        .ok_or(ErrorKind::InvalidGrant)?;
    let scopes =
        scope::parse(params.get("scope").map(String::as_str)).ok_or(ErrorKind::InvalidScope)?;
    Ok(issue(state, &mut store, &client.client.client_id, user, scopes, true).1)
}

fn refresh_token(
    state: &AppState,
    client: &AuthenticatedClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let refresh = present(params, "refresh_token").ok_or(ErrorKind::InvalidRequest)?;
    let mut store = state.store();
    let (old_id, old) = store
        .by_refresh
        .get(refresh)
        .and_then(|id| store.tokens.get(id).map(|t| (*id, t.clone())))
        .filter(|(_, t)| !t.revoked && t.client_id == client.client.client_id)
        .filter(|(_, t)| store.user_active(t.user_id))
        .ok_or(ErrorKind::InvalidGrant)?;
    let user = state.user(old.user_id).ok_or(ErrorKind::InvalidGrant)?;
    let scopes = match present(params, "scope") {
        None => old.scopes.clone(),
        Some(requested) => scope::parse(Some(requested))
            .filter(|s| s.iter().all(|x| old.scopes.contains(x)))
            .ok_or(ErrorKind::InvalidScope)?,
    };
    store.revoke_token(old_id);
    Ok(issue(state, &mut store, &client.client.client_id, user, scopes, true).1)
}
