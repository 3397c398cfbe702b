//! Facts of HTTP answers that every layer reads alike (the error, oauth, verify, the request tester, diagnose): the JSON:API media type, a status's name, `Retry-After` and HTTP dates, reading a body under a cap, and what an unusable token answer was.

use futures_util::StreamExt;

/// The JSON:API media type ScopeStack requires in `Accept` (and `Content-Type` on writes).
pub const JSON_API: &str = "application/vnd.api+json";

/// Token endpoint answers are a few hundred bytes; anything past this is not a token response.
pub const MAX_TOKEN_RESPONSE_BYTES: usize = 1024 * 1024;

/// Why no usable answer was read: the connection, the size cap, or a token URL's answer that is neither a token nor an OAuth error.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error(transparent)]
    Http(#[from] reqwest::Error),
    #[error("the answer is larger than {0} bytes, far more than any token response")]
    TooLarge(usize),
    #[error("the request could not be built: {0}")]
    Build(String),
    /// The token endpoint answered with a redirect, which is never followed.
    #[error("the token URL answered {status} (a redirect)")]
    Redirected { status: u16, location: Option<String> },
    /// The token endpoint answered with something no token endpoint sends (see [`Answer`]).
    #[error("the token URL answered {status} with an unusable answer")]
    Unusable {
        status: u16,
        answer: Answer,
        content_type: Option<String>,
        retry_after: Option<u64>,
        excerpt: String,
    },
}

/// What an unusable token-endpoint answer was, instead of a token or an OAuth error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Empty,
    WebPage,
    NotText,
    /// JSON, but labelled with another content type.
    MislabelledJson,
    /// Another kind of content (XML, plain text).
    NotJson,
    /// JSON that is neither a token nor an OAuth error, with a status other than 200.
    OtherJson,
}

/// Words of the `BadResponse` details written for token answers, which `diagnose` recognises.
pub mod words {
    pub const REDIRECT: &str = "(a redirect)";
    pub const EMPTY: &str = "with an empty body";
    pub const WEB_PAGE: &str = "with a web page";
    pub const NOT_TEXT: &str = "with bytes that are not text";
    pub const MISLABELLED: &str = "with JSON labelled";
    pub const NOT_JSON: &str = "content instead of JSON";
    pub const OTHER_JSON: &str = "with JSON that is neither a token nor an OAuth error";
    pub const RETRY_AFTER: &str = "It asks to wait ";
    pub const CUT_OFF: &str = "is cut off before its end";
    pub const INVALID_JSON: &str = "is not valid JSON";
    pub const MISSING_ACCESS_TOKEN: &str = "has no access_token";
    pub const MISSING_TOKEN_TYPE: &str = "has no token_type";
    pub const MISSING_FIELD: &str = "lacks the field";
    pub const WRONG_FIELD: &str = "has a value of the wrong kind";
    pub const EMPTY_ACCESS_TOKEN: &str = "empty access_token";
    pub const NOT_BEARER: &str = "takes only Bearer tokens";
    pub const TOO_LARGE: &str = "larger than";
}

/// Reads at most `max_body` bytes of an answer's body, stopping as soon as it is larger.
pub async fn read_capped(
    response: reqwest::Response,
    max_body: usize,
) -> Result<Vec<u8>, TransportError> {
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > max_body {
            return Err(TransportError::TooLarge(max_body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The first 300 characters of a body, for messages (never a whole page), with any token,
/// secret or password in it replaced by `[redacted]`.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let text = text.trim();
    if text.is_empty() {
        return "an empty answer".into();
    }
    format!("\"{}\"", crate::redact::excerpt(text, 300))
}

/// A status with its standard name: "401 Unauthorized".
pub fn status_and_reason(status: u16) -> String {
    match http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// Seconds to wait from a `Retry-After` value (seconds, or an HTTP date), at `now`.
pub fn retry_after_secs(value: &str, now: i64) -> Option<u64> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs);
    }
    let when = parse_http_date(v)?;
    Some(u64::try_from((when - now).max(0)).unwrap_or(0))
}

/// Parses an HTTP date (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850
/// `Sunday, 06-Nov-94 08:49:37 GMT`, or asctime `Sun Nov  6 08:49:37 1994`) to unix seconds.
pub fn parse_http_date(value: &str) -> Option<i64> {
    let when = httpdate::parse_http_date(value.trim()).ok()?;
    let secs = when.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_in_all_three_forms() {
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Sat, 29 Feb 2020 23:59:59 GMT"), Some(1_583_020_799));
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date("Sun, 99 Nov 1994 08:49:37 GMT"), None);
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(retry_after_secs("120", 0), Some(120));
        assert_eq!(retry_after_secs("Thu, 01 Jan 1970 00:02:00 GMT", 60), Some(60));
        assert_eq!(retry_after_secs("Thu, 01 Jan 1970 00:02:00 GMT", 600), Some(0));
        assert_eq!(retry_after_secs("soon", 0), None);
    }

    #[test]
    fn a_status_with_its_name() {
        assert_eq!(status_and_reason(401), "401 Unauthorized");
        assert_eq!(status_and_reason(599), "599");
    }
}
