//! OAuth error responses with Doorkeeper's codes, texts and statuses, and `no-store` JSON replies.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The OAuth error codes the sandbox answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnsupportedGrantType,
    InvalidScope,
    UnauthorizedClient,
    AccessDenied,
    UnsupportedResponseType,
    InvalidRedirectUri,
}

impl ErrorKind {
    /// The `error` value.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::InvalidClient => "invalid_client",
            ErrorKind::InvalidGrant => "invalid_grant",
            ErrorKind::UnsupportedGrantType => "unsupported_grant_type",
            ErrorKind::InvalidScope => "invalid_scope",
            ErrorKind::UnauthorizedClient => "unauthorized_client",
            ErrorKind::AccessDenied => "access_denied",
            ErrorKind::UnsupportedResponseType => "unsupported_response_type",
            ErrorKind::InvalidRedirectUri => "invalid_redirect_uri",
        }
    }

    /// Doorkeeper's `error_description`, word for word.
    pub fn description(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.",
            ErrorKind::InvalidClient => "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
            ErrorKind::InvalidGrant => "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
            ErrorKind::UnsupportedGrantType => "The authorization grant type is not supported by the authorization server.",
            ErrorKind::InvalidScope => "The requested scope is invalid, unknown, or malformed.",
            ErrorKind::UnauthorizedClient => "The client is not authorized to perform this request using this method.",
            ErrorKind::AccessDenied => "The resource owner or authorization server denied the request.",
            ErrorKind::UnsupportedResponseType => "The authorization server does not support this response type.",
            ErrorKind::InvalidRedirectUri => "The requested redirect uri is malformed or doesn't match client redirect URI.",
        }
    }

    /// 401 for client authentication failures, 400 otherwise.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::InvalidClient => StatusCode::UNAUTHORIZED,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// A JSON OAuth error answer from the token, revoke or token-info endpoint.
#[derive(Debug, Clone)]
pub(crate) struct OAuthError {
    pub kind: &'static str,
    pub description: &'static str,
    pub status: StatusCode,
    /// Value of `WWW-Authenticate`, if any.
    pub challenge: Option<String>,
}

impl From<ErrorKind> for OAuthError {
    fn from(kind: ErrorKind) -> Self {
        OAuthError {
            kind: kind.code(),
            description: kind.description(),
            status: kind.status(),
            challenge: None,
        }
    }
}

/// Doorkeeper's text for a bearer token its token-info endpoint cannot use (expired, revoked or
/// unknown: that endpoint does not say which).
pub(crate) const TOKEN_INVALID: &str = "The access token is invalid";
/// Doorkeeper's text when a client revokes a token issued to another client.
pub(crate) const REVOKE_NOT_YOURS: &str = "You are not authorized to revoke this token";

impl OAuthError {
    /// `invalid_client`, with a Basic challenge when the client used Basic authentication.
    pub fn invalid_client(via_basic: bool) -> Self {
        let mut err = OAuthError::from(ErrorKind::InvalidClient);
        if via_basic {
            err.challenge = Some(format!(
                "Basic realm=\"Doorkeeper\", error=\"invalid_client\", error_description=\"{}\"",
                ErrorKind::InvalidClient.description()
            ));
        }
        err
    }

    /// 401 `invalid_token` with one of the `TOKEN_*` texts.
    pub fn invalid_token(description: &'static str) -> Self {
        OAuthError {
            kind: "invalid_token",
            description,
            status: StatusCode::UNAUTHORIZED,
            challenge: Some(format!(
                "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"{description}\""
            )),
        }
    }

    /// 403 `unauthorized_client` for revoking another client's token.
    pub fn revoke_forbidden() -> Self {
        OAuthError {
            kind: ErrorKind::UnauthorizedClient.code(),
            description: REVOKE_NOT_YOURS,
            status: StatusCode::FORBIDDEN,
            challenge: None,
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.kind, error_description: self.description };
        let mut response = json_no_store(self.status, &body);
        if let Some(challenge) = self.challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

/// A JSON reply that no cache may keep (RFC 6749 §5.1).
pub(crate) fn json_no_store<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        bytes,
    )
        .into_response()
}
