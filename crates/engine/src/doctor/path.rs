//! The path to one host, walked by hand: its name looked up, a TCP connection to an address
//! found, the proxy's tunnel when a proxy is in use, then the TLS handshake ([`super::tls`]) on
//! that same connection. When a proxy is in use, the first two steps are about the proxy: it is
//! what this computer must find and reach.

use super::proxy::{Proxies, ProxyHop};
use super::{tls, Found, Outcome};
use crate::diagnose::codes::CHECK_UNREACHABLE;
use crate::diagnose::{network, Context, Diagnosis, Fix};
use crate::error::NetworkFailure;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

/// One host to walk to: a URL of it, and the proxy it goes through.
pub struct Target {
    pub url: Url,
    /// Its host (and port when written), as shown.
    pub label: String,
    pub proxy: Option<ProxyHop>,
    /// Why no proxy is used, in words (when none is).
    pub direct_reason: String,
}

impl Target {
    pub fn of(url: &Url, proxies: &Proxies) -> Target {
        Target {
            url: url.clone(),
            label: crate::origin::host_label(url),
            proxy: proxies.for_url(url),
            direct_reason: proxies.direct_reason(url),
        }
    }
}

/// What the walk to one host found, step by step.
pub struct Walk {
    pub host: String,
    pub names: Found,
    pub connect: Found,
    pub proxy: Found,
    pub tls: Found,
}

impl Walk {
    /// Whether the way to the host is open (no step failed).
    pub fn reached(&self) -> bool {
        [&self.names, &self.connect, &self.proxy, &self.tls]
            .iter()
            .all(|f| f.outcome != Outcome::Fail)
    }
}

fn not_tried(step: &str) -> Found {
    Found::skipped(format!("not tried: the {step} step failed"))
}

/// Walks to `target`, each step within `limit`.
pub async fn walk(target: &Target, limit: Duration) -> Walk {
    let url = &target.url;
    let port = url.port_or_known_default().unwrap_or(443);
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    // The first hop: the proxy, or the server itself.
    let (hop_host, hop_port, hop_url) = match &target.proxy {
        Some(p) => (p.host.clone(), p.port, p.url()),
        None => (host.to_string(), port, url.to_string()),
    };
    let skip_all = |step: &str| Walk {
        host: target.label.clone(),
        names: not_tried(step),
        connect: not_tried(step),
        proxy: not_tried(step),
        tls: not_tried(step),
    };

    let (names, addresses) = resolve(&hop_host, hop_port, &hop_url, target, limit).await;
    if names.outcome == Outcome::Fail {
        return Walk { names, ..skip_all("name resolution") };
    }
    let (connect, stream) = connect(&addresses, &hop_url, limit).await;
    let Some(mut stream) = stream else {
        return Walk { names, connect, ..skip_all("connection") };
    };
    let proxy = match &target.proxy {
        None => Found::pass(target.direct_reason.clone()),
        Some(p) if !p.is_http() => Found::skipped(format!(
            "{} (from {}) is a {} proxy: its tunnel is not tried step by step here; the requests below go through it",
            p.shown, p.from, p.scheme
        )),
        Some(p) if url.scheme() != "https" => Found::pass(format!(
            "{} (from {}): plain http requests are handed to it; the requests below go through it",
            p.shown, p.from
        )),
        Some(p) => match tokio::time::timeout(limit, tunnel(&mut stream, host, port, p)).await {
            Ok(found) => found,
            Err(_) => timed_out(
                url,
                format!(
                    "{} did not answer the request for a tunnel within {} s",
                    p.shown,
                    limit.as_secs()
                ),
            ),
        },
    };
    if proxy.outcome == Outcome::Fail {
        return Walk { host: target.label.clone(), names, connect, proxy, tls: not_tried("proxy") };
    }
    let tls = if url.scheme() != "https" {
        if crate::origin::is_loopback(url) {
            Found::skipped("skipped (plain HTTP on this computer)")
        } else {
            Found::skipped("skipped (plain HTTP)")
        }
    } else if target.proxy.as_ref().is_some_and(|p| !p.is_http()) {
        Found::skipped("not tried here: the connection goes through the proxy")
    } else {
        match tokio::time::timeout(limit, tls::handshake(stream, url)).await {
            Ok(found) => found,
            Err(_) => timed_out(
                url,
                format!(
                    "{}: the secure handshake did not finish within {} s",
                    target.label,
                    limit.as_secs()
                ),
            ),
        }
    };
    Walk { host: target.label.clone(), names, connect, proxy, tls }
}

/// A step that did not finish within its limit: failed, with the network diagnosis of a timeout.
fn timed_out(url: &Url, detail: String) -> Found {
    let diagnosis = network::diagnose(
        url.as_str(),
        NetworkFailure::Timeout,
        "the server did not answer in time",
        &ctx(url),
    );
    Found::fail(detail.clone(), diagnosis.details(detail))
}

fn ctx(url: &Url) -> Context {
    Context { url: Some(url.to_string()), ..Context::default() }
}

/// Looks up `host`, within `limit`.
async fn resolve(
    host: &str,
    port: u16,
    hop_url: &str,
    target: &Target,
    limit: Duration,
) -> (Found, Vec<SocketAddr>) {
    let through = match &target.proxy {
        Some(p) => format!(
            " (the proxy, from {}; it looks up {} itself)",
            p.from,
            target.url.host_str().unwrap_or_default()
        ),
        None => String::new(),
    };
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return (
            Found::pass(format!("{host} is an address: nothing to look up{through}")),
            vec![SocketAddr::new(ip, port)],
        );
    }
    let ctx = Context { url: Some(hop_url.to_string()), ..Context::default() };
    match tokio::time::timeout(limit, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(found)) => {
            let mut addresses: Vec<SocketAddr> = Vec::new();
            for a in found {
                if !addresses.contains(&a) {
                    addresses.push(a);
                }
            }
            if addresses.is_empty() {
                let detail = format!("{host}: the name has no address");
                let d =
                    network::diagnose(hop_url, NetworkFailure::Connect, "dns: no address", &ctx);
                return (Found::fail(detail.clone(), d.details(detail)), addresses);
            }
            let shown: Vec<String> = addresses.iter().take(4).map(|a| a.ip().to_string()).collect();
            let more = if addresses.len() > 4 {
                format!(" and {} more", addresses.len() - 4)
            } else {
                String::new()
            };
            (Found::pass(format!("{host} → {}{more}{through}", shown.join(", "))), addresses)
        }
        Ok(Err(e)) => {
            let detail = format!("{host} could not be found ({e}){through}");
            let d = network::diagnose(
                hop_url,
                NetworkFailure::Connect,
                &format!("the name could not be found (dns lookup): {e}"),
                &ctx,
            );
            (Found::fail(detail.clone(), d.details(detail)), Vec::new())
        }
        Err(_) => {
            let detail = format!("looking up {host} did not finish within {} s", limit.as_secs());
            let d = network::diagnose(
                hop_url,
                NetworkFailure::Connect,
                "the name could not be found in time (dns lookup)",
                &ctx,
            );
            (Found::fail(detail.clone(), d.details(detail)), Vec::new())
        }
    }
}

/// Connects to the first address that answers, all within `limit`.
async fn connect(
    addresses: &[SocketAddr],
    hop_url: &str,
    limit: Duration,
) -> (Found, Option<TcpStream>) {
    let ctx = Context { url: Some(hop_url.to_string()), ..Context::default() };
    let started = Instant::now();
    let deadline = started + limit;
    let mut last: Option<(SocketAddr, Result<std::io::Error, ()>)> = None;
    for address in addresses {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match tokio::time::timeout(left, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => {
                let ms = started.elapsed().as_millis();
                return (Found::pass(format!("connected to {address} in {ms} ms")), Some(stream));
            }
            Ok(Err(e)) => last = Some((*address, Ok(e))),
            Err(_) => last = Some((*address, Err(()))),
        }
    }
    let Some((address, error)) = last else {
        let detail = "no address to connect to".to_string();
        return (
            Found::fail(
                detail.clone(),
                network::diagnose(hop_url, NetworkFailure::Other, &detail, &ctx),
            ),
            None,
        );
    };
    let (detail, diagnosis) = match error {
        Err(()) => (
            format!("{address}: timed out (no answer within {} s)", limit.as_secs()),
            network::diagnose(
                hop_url,
                NetworkFailure::Timeout,
                "the connection could not be made in time",
                &ctx,
            ),
        ),
        Ok(e) if e.kind() == ErrorKind::TimedOut => (
            format!("{address}: timed out"),
            network::diagnose(
                hop_url,
                NetworkFailure::Timeout,
                "the connection could not be made in time",
                &ctx,
            ),
        ),
        Ok(e) if e.kind() == ErrorKind::ConnectionRefused => (
            format!("{address}: refused (nothing listens on port {})", address.port()),
            network::diagnose(hop_url, NetworkFailure::Connect, "connection refused", &ctx),
        ),
        Ok(e) if matches!(e.kind(), ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable) => {
            (format!("{address}: unreachable ({e})"), unreachable(&address))
        }
        Ok(e) => (
            format!("{address}: {e}"),
            network::diagnose(hop_url, NetworkFailure::Connect, &e.to_string(), &ctx),
        ),
    };
    (Found::fail(detail.clone(), diagnosis.details(detail)), None)
}

/// No route to the address: this computer's network cannot get there at all.
fn unreachable(address: &SocketAddr) -> Diagnosis {
    Diagnosis::new(CHECK_UNREACHABLE, format!("This computer has no way to reach {}", address.ip()))
        .cause("The network said there is no route to that address: this computer may be offline, or a VPN or firewall rule keeps it from that network.")
        .cause(if address.is_ipv6() {
            "The address is an IPv6 one: this network may not carry IPv6."
        } else {
            "A company network may allow the internet only through a proxy server."
        })
        .step("Check that this computer is online (and on the VPN, if your company uses one).")
        .step("If your company uses a proxy server, ask IT for its address and set HTTPS_PROXY to it before starting the app.")
        .fix(Fix::Retry)
}

/// Asks the proxy on `stream` for a tunnel to `host:port`.
async fn tunnel(stream: &mut TcpStream, host: &str, port: u16, proxy: &ProxyHop) -> Found {
    let authority =
        if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
    let url = format!("https://{authority}/");
    let ctx = Context { url: Some(url.clone()), ..Context::default() };
    let mut request = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: {}\r\n",
        crate::http::USER_AGENT
    )
    .into_bytes();
    if let Some(auth) = &proxy.auth {
        request.extend_from_slice(b"Proxy-Authorization: ");
        request.extend_from_slice(auth.as_bytes());
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"\r\n");
    let failed = |detail: String, words: &str| {
        let d = network::diagnose(&url, NetworkFailure::Connect, words, &ctx);
        Found::fail(detail.clone(), d.details(detail))
    };
    if let Err(e) = stream.write_all(&request).await {
        return failed(
            format!("{}: the request for a tunnel could not be sent ({e})", proxy.shown),
            "proxy tunnel: connection reset",
        );
    }
    // The answer's head, up to its blank line; nothing follows it until the client speaks.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut byte).await {
            Ok(0) => break,
            Ok(_) => head.push(byte[0]),
            Err(e) => {
                return failed(
                    format!("{}: the proxy cut the connection ({e})", proxy.shown),
                    "proxy tunnel: connection reset",
                )
            }
        }
    }
    let text = String::from_utf8_lossy(&head);
    let status = text
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok());
    match status {
        Some(200..=299) => Found::pass(format!(
            "{} (from {}) opened a tunnel to {authority}",
            proxy.shown, proxy.from
        )),
        Some(407) => failed(
            format!(
                "{} (from {}) answered 407: the proxy wants a sign-in",
                proxy.shown, proxy.from
            ),
            "proxy authentication required (407)",
        ),
        Some(status) => failed(
            format!(
                "{} (from {}) refused the tunnel to {authority}: {}",
                proxy.shown,
                proxy.from,
                crate::http_answer::status_and_reason(status)
            ),
            &format!("unsuccessful tunnel ({status})"),
        ),
        None => failed(
            format!("{} (from {}) did not answer like a proxy", proxy.shown, proxy.from),
            "unsuccessful tunnel: the proxy server refused",
        ),
    }
}
