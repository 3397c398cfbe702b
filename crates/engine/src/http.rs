//! The HTTP clients every engine request uses: rustls with the OS's root certificates (so
//! corporate TLS inspection works) as well as the bundled ones, proxies from the environment,
//! connect and total timeouts, and no redirect following (a token endpoint must never redirect a
//! client secret elsewhere); the choice of client by URL ([`Clients`]: the certificate store is
//! read only when an https URL is used); and their failures read into an [`EngineError`] in plain
//! words.

use crate::error::{AnswerFacts, EngineError, NetworkFailure, Problem};
use crate::http_answer::{words, Answer, TransportError};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use url::Url;

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

/// What every engine client shares: user agent, no redirects, timeouts, rustls.
pub(crate) fn builder(settings: HttpSettings) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.total_timeout)
        .use_rustls_tls()
}

/// Builds the client. Fails only when the TLS backend cannot start (the OS's certificate store
/// cannot be read into it), which is reported as is.
pub fn client(settings: HttpSettings) -> Result<reqwest::Client, reqwest::Error> {
    builder(settings).tls_built_in_root_certs(true).build()
}

/// The client for plain http:// to this computer only: the same setup without any root
/// certificate, so building it reads no certificate store (and an https:// request through it
/// could only fail, never go through unverified). [`Clients`] hands it out for loopback http
/// URLs alone.
fn loopback_client(settings: HttpSettings) -> Result<reqwest::Client, reqwest::Error> {
    builder(settings).tls_built_in_root_certs(false).build()
}

/// What the request tester's clients share: the same setup without automatic decompression (so
/// the bytes on the wire can be counted before the tester decodes them) and without a total
/// timeout (the tester bounds each exchange itself, as a large body may rightly take longer than
/// any fixed limit).
fn tester_builder(settings: HttpSettings) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(settings.connect_timeout)
        .no_gzip()
        .no_brotli()
        .use_rustls_tls()
}

/// The request tester's client, with the OS's root certificates and the bundled ones.
pub fn tester_client(settings: HttpSettings) -> Result<reqwest::Client, reqwest::Error> {
    tester_builder(settings).tls_built_in_root_certs(true).build()
}

/// The request tester's client for plain http:// to this computer: no root certificate, as
/// [`loopback_client`].
fn tester_loopback_client(settings: HttpSettings) -> Result<reqwest::Client, reqwest::Error> {
    tester_builder(settings).tls_built_in_root_certs(false).build()
}

/// Whether a request to `url` goes out as plain http:// to this computer (127.0.0.0/8, ::1,
/// localhost): the only requests that need no TLS at all.
pub fn is_loopback_http(url: &Url) -> bool {
    url.scheme() == "http" && crate::origin::is_loopback(url)
}

/// Something that gives the HTTP client for a request to a URL: one [`reqwest::Client`] for
/// every URL, or [`Clients`], which builds the one a URL needs on first use.
pub trait ClientFor: Sync {
    /// The client to send a request to `url` with.
    fn client_for(&self, url: &Url) -> Result<&reqwest::Client, EngineError>;
}

impl ClientFor for reqwest::Client {
    fn client_for(&self, _url: &Url) -> Result<&reqwest::Client, EngineError> {
        Ok(self)
    }
}

/// The engine's HTTP clients. Either one client given for every URL (the app builds its client
/// at start and reports there when it cannot), or built on first use by URL ([`Clients::lazy`]):
/// plain http:// to this computer gets a client without root certificates, and anything else
/// (https://) the full [`client`], whose OS certificate store is read then and only then. So a
/// command that talks to a local sandbox never reads the certificate store, and one that talks
/// to ScopeStack reads it once. Clones share the clients (and their connection pools).
#[derive(Clone)]
pub struct Clients(Arc<Kind>);

/// How a client is built from its settings.
type Build = fn(HttpSettings) -> Result<reqwest::Client, reqwest::Error>;

enum Kind {
    One(reqwest::Client),
    Lazy {
        settings: HttpSettings,
        /// Builds the client for http:// to this computer, and the one for everything else.
        builds: (Build, Build),
        loopback: OnceLock<reqwest::Client>,
        secure: OnceLock<reqwest::Client>,
    },
}

impl From<reqwest::Client> for Clients {
    fn from(client: reqwest::Client) -> Clients {
        Clients(Arc::new(Kind::One(client)))
    }
}

impl Clients {
    /// Clients built on first use, by URL, with `settings`: [`client`] for https://.
    pub fn lazy(settings: HttpSettings) -> Clients {
        Clients::lazy_with(settings, (loopback_client, client))
    }

    /// The request tester's clients built on first use, by URL: [`tester_client`] for https://.
    pub fn lazy_tester(settings: HttpSettings) -> Clients {
        Clients::lazy_with(settings, (tester_loopback_client, tester_client))
    }

    fn lazy_with(settings: HttpSettings, builds: (Build, Build)) -> Clients {
        Clients(Arc::new(Kind::Lazy {
            settings,
            builds,
            loopback: OnceLock::new(),
            secure: OnceLock::new(),
        }))
    }

    /// Whether the client that reads the OS certificate store has been built (always, for a
    /// client given at the start).
    pub fn secure_client_started(&self) -> bool {
        match &*self.0 {
            Kind::One(_) => true,
            Kind::Lazy { secure, .. } => secure.get().is_some(),
        }
    }
}

impl ClientFor for Clients {
    fn client_for(&self, url: &Url) -> Result<&reqwest::Client, EngineError> {
        let (settings, (plain, full), loopback, secure) = match &*self.0 {
            Kind::One(client) => return Ok(client),
            Kind::Lazy { settings, builds, loopback, secure } => {
                (*settings, *builds, loopback, secure)
            }
        };
        let (cell, build) = if is_loopback_http(url) { (loopback, plain) } else { (secure, full) };
        if let Some(client) = cell.get() {
            return Ok(client);
        }
        // A failure is not kept: the next request tries again (the store may have been fixed).
        let built = build(settings).map_err(|e| client_failure(url, &e))?;
        Ok(cell.get_or_init(|| built))
    }
}

/// A client that could not be built, said for the request to `url` that needed it.
fn client_failure(url: &Url, e: &reqwest::Error) -> EngineError {
    let chain = error_chain(e);
    if is_loopback_http(url) {
        return EngineError::Local(format!(
            "The HTTP client could not start ({chain}), so nothing was sent to {}.",
            crate::origin::of(url)
        ));
    }
    EngineError::Local(format!(
        "The secure (https) HTTP client could not start, so nothing was sent to {}: {chain}. It reads the system's certificate store (the file SSL_CERT_FILE and the folder SSL_CERT_DIR name when they are set, else /etc/ssl/certs): check that it holds readable, valid certificates.",
        crate::origin::of(url)
    ))
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

/// A small answer read whole: its status, the facts of its headers, and its body.
pub(crate) struct SmallAnswer {
    pub status: u16,
    pub answer: AnswerFacts,
    pub body: Vec<u8>,
}

/// Sends a GET that expects a small answer (`/v1/me`, token info, the API's description) and
/// reads its body under `cap` bytes: the one way these calls reach the network and read its
/// failures. The bearer token, when given, goes only to `url`: callers check its origin first.
pub(crate) async fn get_small(
    http: &impl ClientFor,
    url: &Url,
    accept: &str,
    bearer: Option<&crate::secret::Secret>,
    cap: usize,
) -> Result<SmallAnswer, EngineError> {
    let mut request =
        http.client_for(url)?.get(url.clone()).header(reqwest::header::ACCEPT, accept);
    if let Some(token) = bearer {
        request = request.bearer_auth(token.expose());
    }
    let response = request.send().await.map_err(|e| classify_reqwest(url.as_str(), &e))?;
    let status = response.status().as_u16();
    let answer = AnswerFacts::from_headers(response.headers());
    let body = crate::http_answer::read_capped(response, cap)
        .await
        .map_err(|e| network_error(url.as_str(), &e))?;
    Ok(SmallAnswer { status, answer, body })
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
