//! Where a request may go: a URL's origin (scheme, host, port), whether it is this computer, and
//! the rule every request of the engine obeys as it leaves — https://, or http:// to this
//! computer only — checked on the final URL and on every redirect hop.

use std::net::IpAddr;
use url::{Host, Url};

/// The origin of a URL as text, `https://api.scopestack.io` or `http://127.0.0.1:3000`: what a
/// token or a kept secret is bound to.
pub fn of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Whether two URLs have the same scheme, host and port (a default port counts as written).
pub fn same(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The host (and port, when one is written) of a URL, as people read it in a warning.
pub fn host_label(url: &Url) -> String {
    let host = url.host_str().unwrap_or("(no host)");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// The host label of an origin kept as text (see [`of`]); the text itself when it is no URL.
pub fn label_of_origin(origin: &str) -> String {
    Url::parse(origin).map(|u| host_label(&u)).unwrap_or_else(|_| origin.to_string())
}

/// Whether the URL names this computer: `127.0.0.0/8`, `::1`, or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Why a URL may not be sent to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsafe {
    /// `http://` to a computer other than this one: anything on the way could read it.
    PlainHttpElsewhere,
    /// Neither http nor https.
    OtherScheme,
}

/// Checks that a request to `url` leaves safely: over https, or over http to this computer.
pub fn check_transport(url: &Url) -> Result<(), Unsafe> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(Unsafe::PlainHttpElsewhere),
        _ => Err(Unsafe::OtherScheme),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert!(same(
            &url("https://api.scopestack.io/v1/me"),
            &url("https://api.scopestack.io:443/acme/v1/projects")
        ));
        assert!(!same(&url("https://api.scopestack.io/"), &url("http://api.scopestack.io/")));
        assert!(!same(
            &url("https://api.scopestack.io/"),
            &url("https://api.scopestack.io.evil.example/")
        ));
        assert!(!same(&url("http://127.0.0.1:3000/"), &url("http://127.0.0.1:9999/")));
        assert_eq!(of(&url("https://API.scopestack.io:443/x?y#z")), "https://api.scopestack.io");
        assert_eq!(of(&url("http://127.0.0.1:3000/x")), "http://127.0.0.1:3000");
        assert_eq!(label_of_origin("http://127.0.0.1:3000"), "127.0.0.1:3000");
        assert_eq!(label_of_origin("https://app.scopestack.io"), "app.scopestack.io");
    }

    #[test]
    fn only_https_or_http_to_this_computer_leaves() {
        for ok in [
            "https://api.scopestack.io/",
            "http://127.0.0.1:9/",
            "http://127.9.9.9/",
            "http://[::1]:80/",
            "http://LOCALHOST:3000/",
        ] {
            assert_eq!(check_transport(&url(ok)), Ok(()), "{ok}");
        }
        for plain in [
            "http://evil.example/",
            "http://10.0.0.1/",
            "http://localhost.evil.example/",
            "http://[::2]/",
        ] {
            assert_eq!(check_transport(&url(plain)), Err(Unsafe::PlainHttpElsewhere), "{plain}");
        }
        assert_eq!(check_transport(&url("ftp://x/")), Err(Unsafe::OtherScheme));
        assert_eq!(check_transport(&url("file:///etc/passwd")), Err(Unsafe::OtherScheme));
    }
}
