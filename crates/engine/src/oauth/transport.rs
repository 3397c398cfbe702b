//! The HTTP adapter the `oauth2` crate sends through: our client (TLS roots, proxies, timeouts,
//! no redirects), a cap on how much of an answer is read, and a plain-language reading of
//! network failures.

use crate::error::{EngineError, NetworkFailure};
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
}

/// Sends one request built by `oauth2` and reads at most `max_body` bytes of the answer.
pub async fn send(client: &reqwest::Client, request: oauth2::HttpRequest, max_body: usize) -> Result<oauth2::HttpResponse, TransportError> {
    let request = reqwest::Request::try_from(request).map_err(|e| TransportError::Build(e.to_string()))?;
    let response = client.execute(request).await?;
    let mut builder = http::Response::builder().status(response.status()).version(response.version());
    if let Some(headers) = builder.headers_mut() {
        headers.extend(response.headers().iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > max_body {
            return Err(TransportError::TooLarge(max_body));
        }
        body.extend_from_slice(&chunk);
    }
    builder.body(body).map_err(|e| TransportError::Build(e.to_string()))
}

/// Turns a transport failure into an error that says what happened, for `url`.
pub fn network_error(url: &str, error: &TransportError) -> EngineError {
    match error {
        TransportError::Http(e) => classify_reqwest(url, e),
        TransportError::TooLarge(_) => EngineError::BadResponse { status: None, detail: error.to_string() },
        TransportError::Build(detail) => EngineError::Local(format!("The request to {url} could not be built: {detail}")),
    }
}

/// Reads a reqwest error's whole chain to tell timeouts, refused connections, name lookups and
/// certificate problems apart.
pub fn classify_reqwest(url: &str, e: &reqwest::Error) -> EngineError {
    let chain = error_chain(e);
    let lower = chain.to_ascii_lowercase();
    let (failure, detail) = if e.is_timeout() {
        (NetworkFailure::Timeout, "the server did not answer in time. Check your connection, or try again later.".to_string())
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        (
            NetworkFailure::Tls,
            format!("the secure connection failed ({chain}). If your company inspects HTTPS traffic, its root certificate must be installed in the system's certificate store."),
        )
    } else if lower.contains("dns") || lower.contains("lookup") || lower.contains("resolve") {
        (NetworkFailure::Connect, format!("the server's name could not be found ({chain}). Check the URL and your internet connection."))
    } else if lower.contains("refused") {
        (NetworkFailure::Connect, "the connection was refused: nothing is listening at that address. Check the URL and port.".to_string())
    } else if e.is_connect() {
        (NetworkFailure::Connect, format!("the connection failed ({chain}). Check the URL, your connection and any proxy settings."))
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
