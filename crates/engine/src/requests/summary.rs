//! [`ExchangeSummary`]: everything the UI shows of one request and its answer, except the body
//! itself, which stays in the [`crate::requests::ExchangeStore`] and is read in chunks.

use serde::{Deserialize, Serialize};

/// The key of an exchange in the store.
pub type ExchangeId = u64;

/// What the body is, for choosing a viewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// JSON (by content type or by its start), valid UTF-8.
    Json,
    /// Valid UTF-8 that is not JSON (HTML, plain text, an empty body).
    Text,
    /// Not UTF-8, or declared as binary (images, PDF, octet-stream).
    Binary,
}

/// Milliseconds, from when the first request of the exchange was sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Timings {
    /// Until the final answer's status and headers arrived (redirects included).
    pub ttfb_ms: f64,
    /// Until its body's last byte arrived.
    pub total_ms: f64,
}

/// Body sizes in bytes (headers not counted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Sizes {
    /// As the server sent it (compressed, when it was).
    pub wire: u64,
    /// After decoding gzip or brotli: what is stored and shown.
    pub decoded: u64,
}

/// One redirect that was followed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct RedirectHop {
    /// The URL that answered with the redirect.
    pub url: String,
    pub status: u16,
    /// Where it pointed, made absolute.
    pub location: String,
}

/// One exchange, as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ExchangeSummary {
    /// The key of the body in the store.
    pub id: ExchangeId,
    pub method: String,
    /// The URL first requested (variables expanded).
    pub url: String,
    /// The URL of the final answer (differs after redirects).
    pub final_url: String,
    pub status: u16,
    /// What the status means, in plain words: "401 Unauthorized — the token is missing, …".
    pub status_text: String,
    /// `HTTP/1.1`, `HTTP/2.0`, …
    pub http_version: String,
    /// The response headers, in order.
    pub headers: Vec<(String, String)>,
    /// The request headers as sent, with `Authorization` and other secrets redacted.
    pub request_headers: Vec<(String, String)>,
    /// The request body as sent (text, or `{"base64": …}`).
    #[serde(default, with = "crate::requests::spec::serde_body")]
    #[cfg_attr(feature = "ts", specta(type = Option<crate::requests::spec::BodyJson>))]
    pub request_body: Option<Vec<u8>>,
    /// Whether the profile's token was sent (not a user-set `Authorization`).
    pub sent_profile_token: bool,
    /// The host the profile's token was held back from, because the address is not the
    /// profile's API and the user did not choose to send it there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_withheld_from: Option<String>,
    pub follow_redirects: bool,
    pub timings: Timings,
    pub sizes: Sizes,
    pub redirects: Vec<RedirectHop>,
    pub content_type: Option<String>,
    /// The `Content-Encoding` the body came with, when any.
    pub content_encoding: Option<String>,
    pub body_kind: BodyKind,
    /// The answer is a JSON:API document (`application/vnd.api+json`).
    pub is_json_api: bool,
    /// The body was too large to keep in memory and sits in a temporary file.
    pub stored_on_disk: bool,
    /// Things worth knowing about this exchange, in plain words.
    pub notes: Vec<String>,
    /// The server refused the profile's token (401) while it should still have been valid, so
    /// the engine renewed it and sent the request once more: this is the second answer.
    #[serde(default)]
    pub renewed_and_resent: bool,
    /// The scopes of the profile's token sent, when the answer was 403 and they are known
    /// (from the server's token details, else from the token answer): what tells a missing
    /// scope from a missing right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_scopes: Option<Vec<String>>,
}

impl ExchangeSummary {
    /// The first value of a response header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}
