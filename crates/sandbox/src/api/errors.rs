//! JSON:API error documents (401, 403, 404, 405, 406, 415, 400, 422) as ScopeStack sends them.

use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The JSON:API media type, for `Accept` and `Content-Type`.
pub(crate) const MEDIA_TYPE: &str = "application/vnd.api+json";

/// The exact body ScopeStack answers for any authentication failure.
pub(crate) const UNAUTHORIZED_BODY: &str =
    r#"{"errors":[{"status":"401","title":"Unauthorized"}]}"#;

/// `source` of an error: where in the request document the problem is.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Source {
    pub pointer: String,
}

/// One entry of `errors[]`, in the field order JSONAPI::Resources uses.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ErrorObject {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    pub status: String,
}

/// An API failure: a status and its `errors[]`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub errors: Vec<ErrorObject>,
}

impl ApiError {
    /// One error with title, detail and code equal to the status.
    pub fn simple(status: StatusCode, title: &str, detail: String) -> Self {
        Self::coded(status, title, detail, status.as_str())
    }

    /// One error with its own code.
    pub fn coded(status: StatusCode, title: &str, detail: String, code: &str) -> Self {
        ApiError {
            status,
            errors: vec![ErrorObject {
                title: title.to_owned(),
                detail: Some(detail),
                code: Some(code.to_owned()),
                source: None,
                status: status.as_str().to_owned(),
            }],
        }
    }

    /// 401 with ScopeStack's fixed body.
    pub fn unauthorized() -> Self {
        ApiError { status: StatusCode::UNAUTHORIZED, errors: Vec::new() }
    }

    /// 406 for a missing or wrong `Accept`.
    pub fn not_acceptable(specified: &str) -> Self {
        Self::simple(
            StatusCode::NOT_ACCEPTABLE,
            "Not acceptable",
            format!("All requests must use the '{MEDIA_TYPE}' Accept without media type parameters. This request specified '{specified}'."),
        )
    }

    /// 415 for a missing or wrong `Content-Type` on a write.
    pub fn unsupported_media_type(specified: &str) -> Self {
        Self::simple(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            format!("All requests that create or update must use the '{MEDIA_TYPE}' Content-Type. This request specified '{specified}'."),
        )
    }

    /// 403 for a token without the `write` scope, on a write.
    pub fn insufficient_scope(scopes: &[String]) -> Self {
        Self::simple(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "The access token's scopes ({}) do not include write, which this action needs.",
                if scopes.is_empty() { "none".to_owned() } else { scopes.join(" ") }
            ),
        )
    }

    /// 403 for a user whose role cannot write.
    pub fn forbidden() -> Self {
        Self::simple(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "You are not allowed to perform this action.".to_owned(),
        )
    }

    /// 404 for an unknown account slug or record id.
    pub fn record_not_found(key: &str) -> Self {
        Self::simple(
            StatusCode::NOT_FOUND,
            "Record not found",
            format!("The record identified by {key} could not be found."),
        )
    }

    /// 404 for a path no route serves.
    pub fn route_not_found(method: &Method, path: &str) -> Self {
        Self::simple(
            StatusCode::NOT_FOUND,
            "Route not found",
            format!("No route matches {method} {path}."),
        )
    }

    /// 405 for a known path with the wrong method.
    pub fn method_not_allowed(method: &Method, path: &str) -> Self {
        Self::simple(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method not allowed",
            format!("{method} is not supported on {path}."),
        )
    }

    /// 400 with a JSONAPI::Resources title and code.
    pub fn bad_request(title: &str, detail: String, code: &str) -> Self {
        Self::coded(StatusCode::BAD_REQUEST, title, detail, code)
    }

    /// 422 with one entry per problem.
    pub fn unprocessable(problems: Vec<Problem>) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: problems
                .into_iter()
                .map(|p| ErrorObject {
                    detail: Some(format!("{} - {}", p.field, p.message)),
                    title: p.message,
                    code: Some("100".to_owned()),
                    source: Some(Source { pointer: p.pointer }),
                    status: "422".to_owned(),
                })
                .collect(),
        }
    }
}

/// A validation problem: which field, what is wrong, and its JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub field: String,
    pub message: String,
    pub pointer: String,
}

#[derive(Serialize)]
struct ErrorDocument<'a> {
    errors: &'a [ErrorObject],
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = if self.status == StatusCode::UNAUTHORIZED {
            UNAUTHORIZED_BODY.as_bytes().to_vec()
        } else {
            serde_json::to_vec(&ErrorDocument { errors: &self.errors }).unwrap_or_default()
        };
        (self.status, [(header::CONTENT_TYPE, MEDIA_TYPE)], body).into_response()
    }
}

/// A JSON:API success document.
pub(crate) fn document(status: StatusCode, body: &serde_json::Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, MEDIA_TYPE)], bytes).into_response()
}
