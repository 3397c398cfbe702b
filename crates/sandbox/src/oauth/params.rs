//! Reading OAuth parameters from a query string, a form body or a JSON body, never failing.

use std::collections::HashMap;

use axum::http::{header, HeaderMap};

/// Parameter name → value (the last one wins when repeated, as in Rails).
pub(crate) type Params = HashMap<String, String>;

/// Parameters of a query string (`None` when there is none).
pub(crate) fn from_query(query: Option<&str>) -> Params {
    query
        .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// Parameters of a request body: JSON objects when the body says so, form encoding otherwise.
pub(crate) fn from_body(headers: &HeaderMap, body: &[u8]) -> Params {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"));
    if !is_json {
        return url::form_urlencoded::parse(body).into_owned().collect();
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                serde_json::Value::Number(n) => Some((k, n.to_string())),
                serde_json::Value::Bool(b) => Some((k, b.to_string())),
                _ => None,
            })
            .collect(),
        _ => Params::new(),
    }
}

/// The value of `key` unless it is missing or blank (Rails' `present?`).
pub(crate) fn present<'a>(params: &'a Params, key: &str) -> Option<&'a str> {
    params.get(key).map(String::as_str).filter(|v| !v.trim().is_empty())
}
