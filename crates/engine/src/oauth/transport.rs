//! The HTTP adapter the `oauth2` crate sends through: our client (TLS roots, proxies, timeouts,
//! no redirects), a cap on how much of an answer is read, and a plain-language reading of
//! network failures.

use crate::error::{AnswerFacts, EngineError, NetworkFailure, Problem};
use futures_util::StreamExt;

/// Token endpoint answers are a few hundred bytes; anything past this is not a token response.
pub const MAX_TOKEN_RESPONSE_BYTES: usize = 1024 * 1024;

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
    Unusable { status: u16, answer: Answer, content_type: Option<String>, retry_after: Option<u64>, excerpt: String },
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

/// Sends one request built by `oauth2` and reads at most `max_body` bytes of the answer.
pub async fn send(client: &reqwest::Client, request: oauth2::HttpRequest, max_body: usize) -> Result<oauth2::HttpResponse, TransportError> {
    let request = reqwest::Request::try_from(request).map_err(|e| TransportError::Build(e.to_string()))?;
    let response = client.execute(request).await?;
    let mut builder = http::Response::builder().status(response.status()).version(response.version());
    if let Some(headers) = builder.headers_mut() {
        headers.extend(response.headers().iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let body = read_capped(response, max_body).await?;
    builder.body(body).map_err(|e| TransportError::Build(e.to_string()))
}

/// Reads at most `max_body` bytes of an answer's body, stopping as soon as it is larger.
pub async fn read_capped(response: reqwest::Response, max_body: usize) -> Result<Vec<u8>, TransportError> {
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

/// Turns a transport failure into an error that says what happened, for `url`.
pub fn network_error(url: &str, error: &TransportError) -> EngineError {
    match error {
        TransportError::Http(e) => classify_reqwest(url, e),
        TransportError::TooLarge(_) => EngineError::BadResponse { status: None, detail: error.to_string(), answer: AnswerFacts::of(Problem::TokenTooLarge).boxed() },
        TransportError::Build(detail) => EngineError::Local(format!("The request to {url} could not be built: {detail}")),
        TransportError::Redirected { status, location } => EngineError::BadResponse {
            status: Some(*status),
            detail: format!(
                "the token URL answered {status} {} to {}. A token request carries the client secret, so it is never sent on to another address: nothing was sent there. Check the token URL.",
                words::REDIRECT,
                location.as_deref().map(|l| format!("\"{}\"", crate::redact::excerpt(l, 200))).unwrap_or_else(|| "an address it did not give".into())
            ),
            answer: AnswerFacts { location: location.clone(), ..AnswerFacts::of(Problem::Redirect) }.boxed(),
        },
        TransportError::Unusable { status, answer, content_type, retry_after, excerpt } => {
            let reason = http::StatusCode::from_u16(*status).ok().and_then(|s| s.canonical_reason()).map(|r| format!(" {r}")).unwrap_or_default();
            let ct = content_type.as_deref().unwrap_or("no content type");
            let what = match answer {
                Answer::Empty => words::EMPTY.to_string(),
                Answer::WebPage => format!("{} instead of a token", words::WEB_PAGE),
                Answer::NotText => format!("{} instead of a token", words::NOT_TEXT),
                Answer::MislabelledJson => format!("{} \"{ct}\" instead of application/json", words::MISLABELLED),
                Answer::NotJson => format!("with \"{ct}\" {}", words::NOT_JSON),
                Answer::OtherJson => words::OTHER_JSON.to_string(),
            };
            let wait = retry_after.map(|s| format!(" {}{s} seconds.", words::RETRY_AFTER)).unwrap_or_default();
            let shown = if excerpt.is_empty() { String::new() } else { format!(": {excerpt}") };
            EngineError::BadResponse {
                status: Some(*status),
                detail: format!("the token URL answered {status}{reason} {what}{shown}.{wait}"),
                answer: AnswerFacts { content_type: content_type.clone(), retry_after: *retry_after, ..AnswerFacts::of(Problem::Unusable(*answer)) }.boxed(),
            }
        }
    }
}

/// Reads a reqwest error's whole chain to tell timeouts, refused connections, name lookups and
/// certificate problems apart.
pub fn classify_reqwest(url: &str, e: &reqwest::Error) -> EngineError {
    let chain = error_chain(e);
    // The URL is part of the chain's text; a host named "proxy" or "dns" must not decide.
    let without_url = match e.url() {
        Some(u) => chain.replace(u.as_str(), ""),
        None => chain.clone(),
    };
    let lower = without_url.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let (failure, detail) = if e.is_timeout() {
        let what = if e.is_connect() {
            "the connection could not be made in time"
        } else if e.is_body() || e.is_decode() {
            "the server started answering, then stopped before the answer was complete, and did not finish in time"
        } else {
            "the server did not answer in time"
        };
        (NetworkFailure::Timeout, format!("{what}. Check your connection, or try again later."))
    } else if has(&["certificate", "tls", "handshake", "corrupt message", "fatal alert", "when expecting"]) {
        (
            NetworkFailure::Tls,
            format!("the secure connection failed ({chain}). If your company inspects HTTPS traffic, its root certificate must be installed in the system's certificate store."),
        )
    } else if has(&["proxy", "tunnel"]) {
        (NetworkFailure::Connect, format!("the proxy server refused or could not make the connection ({chain}). Check the proxy settings (HTTPS_PROXY, NO_PROXY), or ask your IT team."))
    } else if lower.contains("dns") || lower.contains("lookup") || lower.contains("resolve") {
        (NetworkFailure::Connect, format!("the server's name could not be found ({chain}). Check the URL and your internet connection."))
    } else if lower.contains("refused") {
        (NetworkFailure::Connect, "the connection was refused: nothing is listening at that address. Check the URL and port.".to_string())
    } else if e.is_connect() {
        (NetworkFailure::Connect, format!("the connection failed ({chain}). Check the URL, your connection and any proxy settings."))
    } else if has(&["reset", "broken pipe", "aborted"]) {
        (NetworkFailure::Other, format!("the connection was cut off (reset) before the answer came ({chain}). A firewall, proxy or overloaded server may have ended it. Try again."))
    } else if has(&["closed before", "incomplete", "unexpected eof", "end of file", "connection closed"]) {
        (NetworkFailure::Other, format!("the server closed the connection before it finished answering ({chain}). Try again."))
    } else {
        (NetworkFailure::Other, chain)
    };
    EngineError::Network { url: url.to_string(), failure, detail }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}
