//! The HTTP client every engine request uses: rustls with the OS's root certificates (so
//! corporate TLS inspection works) as well as the bundled ones, proxies from the environment,
//! connect and total timeouts, and no redirect following (a token endpoint must never redirect a
//! client secret elsewhere); and its failures read into an [`EngineError`] in plain words.

use crate::error::{AnswerFacts, EngineError, NetworkFailure, Problem};
use crate::http_answer::{words, Answer, TransportError};
use std::time::Duration;

/// Timeouts of one HTTP client.
#[derive(Clone, Copy, Debug)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
        }
    }
}

/// The user agent sent with every request.
pub const USER_AGENT: &str = concat!("ScopeStackCompanion/", env!("CARGO_PKG_VERSION"));

/// Builds the client. Fails only when the TLS backend cannot start, which is reported as is.
pub fn client(settings: HttpSettings) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.total_timeout)
        .use_rustls_tls()
        .tls_built_in_root_certs(true)
        .build()
}

/// The request tester's client: the same setup without automatic decompression (so the bytes on
/// the wire can be counted before the tester decodes them) and without a total timeout (the
/// tester bounds each exchange itself, as a large body may rightly take longer than any fixed
/// limit).
pub fn tester_client(settings: HttpSettings) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(settings.connect_timeout)
        .no_gzip()
        .no_brotli()
        .use_rustls_tls()
        .tls_built_in_root_certs(true)
        .build()
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
    } else if has(&[
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "fatal alert",
        "when expecting",
    ]) {
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
    } else if has(&[
        "closed before",
        "incomplete",
        "unexpected eof",
        "end of file",
        "connection closed",
    ]) {
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
