//! Whether a requested `redirect_uri` matches a registered one: exactly, or on any port of a
//! loopback IP callback (RFC 8252 §7.3, as Doorkeeper 5.5+ does). `localhost` gets no leeway.

use url::Url;

/// Whether `requested` may be used where `registered` is on file.
pub(crate) fn matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    let (Ok(reg), Ok(req)) = (Url::parse(registered), Url::parse(requested)) else {
        return false;
    };
    is_loopback_ip(&reg)
        && reg.scheme() == "http"
        && req.scheme() == reg.scheme()
        && req.host_str() == reg.host_str()
        && req.path() == reg.path()
        && req.query() == reg.query()
        && req.fragment().is_none()
        && req.username() == reg.username()
        && req.password() == reg.password()
}

/// Whether the URL's host is a literal loopback IP address (not the name `localhost`).
fn is_loopback_ip(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    const REG: &str = "http://127.0.0.1:8765/callback";

    #[test]
    fn loopback_ports_vary_but_nothing_else() {
        assert!(matches(REG, REG));
        assert!(matches(REG, "http://127.0.0.1:51234/callback"));
        assert!(matches(REG, "http://127.0.0.1/callback"));
        assert!(!matches(REG, "http://localhost:8765/callback"));
        assert!(!matches(REG, "http://127.0.0.1:8765/callback/"));
        assert!(!matches(REG, "http://127.0.0.1:8765/other"));
        assert!(!matches(REG, "http://127.0.0.1:8765/callback?x=1"));
        assert!(!matches(REG, "https://127.0.0.1:8765/callback"));
        assert!(!matches(REG, "http://127.0.0.2:8765/callback"));
        assert!(!matches(REG, "http://127.0.0.1:8765/callback#frag"));
        let postman = "https://oauth.pstmn.io/v1/callback";
        assert!(matches(postman, postman));
        assert!(!matches(postman, "https://oauth.pstmn.io:8443/v1/callback"));
        assert!(!matches("http://localhost:8765/cb", "http://localhost:9999/cb"));
    }
}
