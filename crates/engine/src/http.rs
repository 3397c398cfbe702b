//! The HTTP client every engine request uses: rustls with the OS's root certificates (so
//! corporate TLS inspection works) as well as the bundled ones, proxies from the environment,
//! connect and total timeouts, and no redirect following (a token endpoint must never redirect a
//! client secret elsewhere).

use std::time::Duration;

/// Timeouts of one HTTP client.
#[derive(Clone, Copy, Debug)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings { connect_timeout: Duration::from_secs(10), total_timeout: Duration::from_secs(30) }
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
