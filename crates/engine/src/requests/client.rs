//! The request tester's HTTP client: the engine's setup (rustls with the OS's and the bundled
//! roots, proxies from the environment, the connect timeout, no redirects) but without automatic
//! decompression, so the bytes on the wire can be counted before they are decoded here. The
//! total timeout is applied per exchange by [`crate::requests::send`], as a large body may
//! rightly take longer than any fixed limit.

use crate::error::EngineError;
use crate::http::{HttpSettings, USER_AGENT};
use std::sync::OnceLock;

/// Builds a client with `settings`' connect timeout.
pub fn build(settings: HttpSettings) -> Result<reqwest::Client, reqwest::Error> {
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

/// The process's one client (connections are pooled across requests).
pub fn shared() -> Result<&'static reqwest::Client, EngineError> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client);
    }
    let client = build(HttpSettings::default())
        .map_err(|e| EngineError::Local(format!("The HTTP client could not start: {e}")))?;
    Ok(CLIENT.get_or_init(|| client))
}
