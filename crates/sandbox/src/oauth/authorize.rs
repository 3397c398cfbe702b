//! `GET` and `POST /oauth/authorize`: validating the request, signing in (password, then the
//! one-time code for MFA users), the session cookie, and redirecting back with a code or error.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use url::Url;

use super::errors::ErrorKind;
use super::pages::{continue_page, error_page, login_page, mfa_page, Hidden};
use super::params::{from_body, from_query, present, Params};
use super::{pkce, redirect_match, scope};
use crate::demo::{DemoClient, Role, SeedUser};
use crate::random::opaque_token;
use crate::state::{AppState, AuthCode, MfaTicket, MFA_TICKET_LIFETIME};

/// Name of the cookie that keeps a browser signed in.
pub(crate) const SESSION_COOKIE: &str = "_scopestack_sandbox_session";

const BAD_CREDENTIALS: &str = "Invalid email or password.";
const DEACTIVATED: &str = "Your account has been deactivated. Ask an administrator of your \
                           ScopeStack account to reactivate it.";
const WRONG_CODE: &str =
    "That one-time code is not correct. Check your authenticator app and try again.";
const SIGN_IN_AGAIN: &str = "Your sign-in has expired. Please sign in again.";

/// A validated authorization request.
struct AuthRequest {
    client: DemoClient,
    redirect_uri: String,
    state: Option<String>,
    scopes: Vec<String>,
    code_challenge: Option<String>,
    /// The request's parameters, to carry through the sign-in form.
    hidden: Hidden,
}

/// Why an authorization request cannot go on.
enum Refusal {
    /// Client or callback unusable: an error page, no redirect.
    Page(ErrorKind, Option<String>),
    /// Anything else: back to the callback with `error` (and `state`).
    Redirect { redirect_uri: String, kind: ErrorKind, state: Option<String> },
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Page(kind, note) => error_page_for(kind, note.as_deref()),
            Refusal::Redirect { redirect_uri, kind, state } => {
                error_redirect(&redirect_uri, kind, state.as_deref())
            }
        }
    }
}

/// Handles `GET /oauth/authorize`: the sign-in page, or "continue as" with a session.
pub(crate) async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let params = from_query(query.as_deref());
    let req = match validate(&state, &params) {
        Ok(req) => req,
        Err(refusal) => return refusal.into_response(),
    };
    match session_user(&state, &headers) {
        Some(user) => continue_page(&req.hidden, &req.client.name, user.name, user.email),
        None => login(&state, &req, StatusCode::OK, "", None),
    }
}

/// Handles `POST /oauth/authorize`: the buttons of the three pages.
pub(crate) async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = from_body(&headers, &body);
    let req = match validate(&state, &params) {
        Ok(req) => req,
        Err(refusal) => return refusal.into_response(),
    };
    if params.contains_key("deny") {
        tracing::debug!(client_id = %req.client.client_id, "authorization denied");
        return error_redirect(&req.redirect_uri, ErrorKind::AccessDenied, req.state.as_deref());
    }
    if params.contains_key("switch_account") {
        end_session(&state, &headers);
        let mut response = login(&state, &req, StatusCode::OK, "", None);
        set_cookie(
            &mut response,
            &format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
        );
        return response;
    }
    if params.contains_key("authorize") {
        return match session_user(&state, &headers) {
            Some(user) => issue_code(&state, &req, user.id, None),
            None => login(&state, &req, StatusCode::UNAUTHORIZED, "", Some(SIGN_IN_AGAIN)),
        };
    }
    if params.contains_key("mfa_ticket") {
        return verify_code(&state, &req, &params);
    }
    sign_in(&state, &req, &params)
}

/// Checks the request in Doorkeeper's order: problems with the client or callback get an error
/// page; later problems are redirected to the callback.
fn validate(state: &AppState, params: &Params) -> Result<AuthRequest, Refusal> {
    let Some(client_id) = present(params, "client_id") else {
        return Err(Refusal::Page(
            ErrorKind::InvalidRequest,
            Some("client_id is missing.".to_owned()),
        ));
    };
    let Some(client) = state.client(client_id) else {
        let note = "no client is registered with this client_id.".to_owned();
        return Err(Refusal::Page(ErrorKind::InvalidClient, Some(note)));
    };
    let Some(redirect_uri) = present(params, "redirect_uri") else {
        return Err(Refusal::Page(
            ErrorKind::InvalidRequest,
            Some("redirect_uri is missing.".to_owned()),
        ));
    };
    if !client.redirect_uris.iter().any(|r| redirect_match::matches(r, redirect_uri)) {
        let note = match client.redirect_uris.as_slice() {
            [] => "this client has no callback URL registered; it cannot use the browser login."
                .to_owned(),
            uris => format!("the callback URL registered for this client is {}.", uris.join(", ")),
        };
        return Err(Refusal::Page(ErrorKind::InvalidRedirectUri, Some(note)));
    }
    let state_param = params.get("state").filter(|s| !s.is_empty()).cloned();
    let fail = |kind| {
        Err(Refusal::Redirect {
            redirect_uri: redirect_uri.to_owned(),
            kind,
            state: state_param.clone(),
        })
    };
    match present(params, "response_type") {
        None => return fail(ErrorKind::InvalidRequest),
        Some("code") => {}
        Some(_) => return fail(ErrorKind::UnsupportedResponseType),
    }
    let Some(scopes) = scope::parse(params.get("scope").map(String::as_str)) else {
        return fail(ErrorKind::InvalidScope);
    };
    let code_challenge = present(params, "code_challenge").map(str::to_owned);
    if code_challenge.is_some() && present(params, "code_challenge_method") != Some(pkce::S256) {
        return fail(ErrorKind::InvalidRequest);
    }
    let hidden = [
        "response_type",
        "client_id",
        "redirect_uri",
        "state",
        "scope",
        "code_challenge",
        "code_challenge_method",
    ]
    .into_iter()
    .filter_map(|k| params.get(k).map(|v| (k, v.clone())))
    .collect();
    Ok(AuthRequest {
        client: client.clone(),
        redirect_uri: redirect_uri.to_owned(),
        state: state_param,
        scopes,
        code_challenge,
        hidden,
    })
}

fn error_page_for(kind: ErrorKind, note: Option<&str>) -> Response {
    error_page(kind.status(), kind.code(), kind.description(), note)
}

fn login(
    state: &AppState,
    req: &AuthRequest,
    status: StatusCode,
    email: &str,
    error: Option<&str>,
) -> Response {
    login_page(status, &req.hidden, &req.client.name, email, error, &state.users)
}

fn sign_in(state: &AppState, req: &AuthRequest, params: &Params) -> Response {
    let email = params.get("email").map(|e| e.trim()).unwrap_or("");
    let password = params.get("password").map(String::as_str).unwrap_or("");
    let Some(user) = state
        .user_by_email(email)
        .filter(|u| pkce::constant_time_eq(u.password.as_bytes(), password.as_bytes()))
    else {
        tracing::debug!("sign-in refused: unknown email or wrong password");
        return login(state, req, StatusCode::UNPROCESSABLE_ENTITY, email, Some(BAD_CREDENTIALS));
    };
    let active = state.store().user_active(user.id);
    if !active {
        return login(state, req, StatusCode::FORBIDDEN, email, Some(DEACTIVATED));
    }
    if user.role == Role::Mfa {
        let ticket = opaque_token();
        state
            .store()
            .mfa_tickets
            .insert(ticket.clone(), MfaTicket { user_id: user.id, issued: Instant::now() });
        return mfa_page(StatusCode::OK, &req.hidden, &req.client.name, &ticket, None);
    }
    signed_in(state, req, user)
}

fn verify_code(state: &AppState, req: &AuthRequest, params: &Params) -> Response {
    let ticket_id = params.get("mfa_ticket").map(String::as_str).unwrap_or("");
    let ticket = state.store().mfa_tickets.get(ticket_id).cloned();
    let Some(user) = ticket
        .filter(|t| t.issued.elapsed() < MFA_TICKET_LIFETIME)
        .and_then(|t| state.user(t.user_id))
    else {
        return login(state, req, StatusCode::UNPROCESSABLE_ENTITY, "", Some(SIGN_IN_AGAIN));
    };
    let code = params.get("one_time_code").map(|c| c.trim()).unwrap_or("");
    let expected = user.one_time_code().unwrap_or_default();
    if expected.is_empty() || !pkce::constant_time_eq(code.as_bytes(), expected.as_bytes()) {
        tracing::debug!(user_id = user.id, "wrong one-time code");
        return mfa_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &req.hidden,
            &req.client.name,
            ticket_id,
            Some(WRONG_CODE),
        );
    }
    state.store().mfa_tickets.remove(ticket_id);
    if !state.store().user_active(user.id) {
        return login(state, req, StatusCode::FORBIDDEN, user.email, Some(DEACTIVATED));
    }
    signed_in(state, req, user)
}

/// Starts a session for `user` and sends the browser back with a code.
fn signed_in(state: &AppState, req: &AuthRequest, user: &SeedUser) -> Response {
    let session = opaque_token();
    state.store().sessions.insert(session.clone(), user.id);
    tracing::debug!(user_id = user.id, "signed in");
    let cookie = format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax");
    issue_code(state, req, user.id, Some(cookie))
}

fn issue_code(
    state: &AppState,
    req: &AuthRequest,
    user_id: u64,
    cookie: Option<String>,
) -> Response {
    let code = opaque_token();
    state.store().codes.insert(
        code.clone(),
        AuthCode {
            client_id: req.client.client_id.clone(),
            redirect_uri: req.redirect_uri.clone(),
            user_id,
            scopes: req.scopes.clone(),
            code_challenge: req.code_challenge.clone(),
            issued: Instant::now(),
            used: false,
            token_ids: Vec::new(),
        },
    );
    tracing::debug!(client_id = %req.client.client_id, user_id, "issued an authorization code");
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = &req.state {
        pairs.push(("state", s));
    }
    let mut response = redirect(&req.redirect_uri, &pairs);
    if let Some(cookie) = cookie {
        set_cookie(&mut response, &cookie);
    }
    response
}

/// 302 to the callback with `error`, `error_description` and `state`.
fn error_redirect(redirect_uri: &str, kind: ErrorKind, state: Option<&str>) -> Response {
    let mut pairs = vec![("error", kind.code()), ("error_description", kind.description())];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect(redirect_uri, &pairs)
}

/// 302 to `redirect_uri` with `pairs` added to its query.
fn redirect(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return error_page_for(ErrorKind::InvalidRedirectUri, None);
    };
    url.query_pairs_mut().extend_pairs(pairs);
    match HeaderValue::from_str(url.as_str()) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => error_page_for(ErrorKind::InvalidRedirectUri, None),
    }
}

fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The session id in the request's cookies.
fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The active user signed in through this browser's session cookie.
fn session_user<'a>(state: &'a AppState, headers: &HeaderMap) -> Option<&'a SeedUser> {
    let sid = session_id(headers)?;
    let store = state.store();
    let user_id = *store.sessions.get(&sid)?;
    store.user_active(user_id).then(|| state.user(user_id)).flatten()
}

fn end_session(state: &AppState, headers: &HeaderMap) {
    if let Some(sid) = session_id(headers) {
        state.store().sessions.remove(&sid);
    }
}
