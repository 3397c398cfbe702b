//! Which proxy a URL goes through: the environment's variables read exactly as reqwest reads them
//! (hyper-util's matcher: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, upper or lower
//! case; on Linux there is no other system setting), or settings given to the check.

use hyper_util::client::proxy::matcher::Matcher;
use url::Url;

/// The proxy settings the check uses.
#[derive(Clone, Debug, Default)]
pub enum ProxyChoice {
    /// The environment's variables, as every engine request uses them.
    #[default]
    Environment,
    /// These settings instead (tests, so they never change the process's environment).
    Given(ProxyVars),
}

/// Proxy settings in the form of the environment's variables.
#[derive(Clone, Debug, Default)]
pub struct ProxyVars {
    /// `ALL_PROXY`: for every URL not covered by the two below.
    pub all: Option<String>,
    /// `HTTP_PROXY`: for http:// URLs.
    pub http: Option<String>,
    /// `HTTPS_PROXY`: for https:// URLs.
    pub https: Option<String>,
    /// `NO_PROXY`: hosts, domains and addresses that go direct.
    pub no_proxy: Option<String>,
}

/// The proxies in force, with where they came from.
pub struct Proxies {
    matcher: Matcher,
    from_environment: bool,
}

/// A proxy that a URL goes through.
#[derive(Clone, Debug)]
pub struct ProxyHop {
    /// Its address without any user name or password, as shown.
    pub shown: String,
    /// Where the setting came from ("HTTPS_PROXY", "the given settings").
    pub from: String,
    pub scheme: String,
    pub host: String,
    pub port: u16,
    /// `Proxy-Authorization` when the proxy's address holds a user name (sensitive).
    pub auth: Option<http::HeaderValue>,
}

impl ProxyHop {
    /// Whether the proxy speaks HTTP (CONNECT tunnels), the kind the check can walk through.
    pub fn is_http(&self) -> bool {
        self.scheme == "http"
    }

    /// The proxy's URL for reqwest, without credentials (they go as a header).
    pub fn url(&self) -> String {
        self.shown.clone()
    }
}

impl ProxyChoice {
    /// The proxies these settings give.
    pub fn matcher(&self) -> Proxies {
        match self {
            ProxyChoice::Environment => {
                Proxies { matcher: Matcher::from_system(), from_environment: true }
            }
            ProxyChoice::Given(vars) => {
                let value = |v: &Option<String>| v.clone().unwrap_or_default();
                let matcher = Matcher::builder()
                    .all(value(&vars.all))
                    .http(value(&vars.http))
                    .https(value(&vars.https))
                    .no(value(&vars.no_proxy))
                    .build();
                Proxies { matcher, from_environment: false }
            }
        }
    }
}

/// The first of these environment variables that is set and not empty.
fn first_set(names: &[&'static str]) -> Option<&'static str> {
    names.iter().copied().find(|n| std::env::var(n).is_ok_and(|v| !v.trim().is_empty()))
}

impl Proxies {
    /// The proxy `url` goes through, if any.
    pub fn for_url(&self, url: &Url) -> Option<ProxyHop> {
        let uri: http::Uri = url.as_str().parse().ok()?;
        let intercept = self.matcher.intercept(&uri)?;
        let target = intercept.uri();
        let scheme = target.scheme_str().unwrap_or("http").to_string();
        let host = target.host()?.trim_start_matches('[').trim_end_matches(']').to_string();
        let port = target.port_u16().unwrap_or(if scheme == "https" { 443 } else { 80 });
        let shown_host = if host.contains(':') { format!("[{host}]") } else { host.clone() };
        let from = if self.from_environment {
            let own = if url.scheme() == "https" {
                first_set(&["HTTPS_PROXY", "https_proxy"])
            } else {
                first_set(&["HTTP_PROXY", "http_proxy"])
            };
            own.or_else(|| first_set(&["ALL_PROXY", "all_proxy"]))
                .unwrap_or("the environment")
                .to_string()
        } else {
            "the given settings".to_string()
        };
        Some(ProxyHop {
            shown: format!("{scheme}://{shown_host}:{port}"),
            from,
            scheme,
            host,
            port,
            auth: intercept.basic_auth().cloned(),
        })
    }

    /// Why `url` goes direct, in words.
    pub fn direct_reason(&self, url: &Url) -> String {
        let host = url.host_str().unwrap_or_default();
        let excluded = if self.from_environment {
            first_set(&["NO_PROXY", "no_proxy"]).is_some()
                && (first_set(&["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"])
                    .is_some()
                    || first_set(&["ALL_PROXY", "all_proxy"]).is_some())
        } else {
            false
        };
        if excluded {
            format!("none: {host} is in NO_PROXY, so the connection goes direct")
        } else if self.from_environment {
            "none: the connection goes direct (HTTPS_PROXY, HTTP_PROXY and ALL_PROXY are not set; \
             they are where the app reads a proxy from)"
                .to_string()
        } else {
            "none: the connection goes direct".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(all: &str, no: &str) -> Proxies {
        ProxyChoice::Given(ProxyVars {
            all: Some(all.into()),
            no_proxy: Some(no.into()),
            ..ProxyVars::default()
        })
        .matcher()
    }

    #[test]
    fn a_given_proxy_is_used_and_its_password_never_shown() {
        let p = given("http://alice:s3cret@proxy.example:3128", "");
        let hop = p.for_url(&Url::parse("https://app.scopestack.io/oauth/token").unwrap()).unwrap();
        assert_eq!(hop.shown, "http://proxy.example:3128");
        assert_eq!((hop.host.as_str(), hop.port), ("proxy.example", 3128));
        assert!(hop.auth.is_some());
        assert!(!format!("{hop:?}").contains("s3cret"));
    }

    #[test]
    fn no_proxy_sends_a_host_direct() {
        let p = given("http://proxy.example:3128", "127.0.0.1,.scopestack.io");
        assert!(p.for_url(&Url::parse("http://127.0.0.1:9/oauth/token").unwrap()).is_none());
        assert!(p.for_url(&Url::parse("https://api.scopestack.io/v1/me").unwrap()).is_none());
        assert!(p.for_url(&Url::parse("https://example.com/").unwrap()).is_some());
    }
}
