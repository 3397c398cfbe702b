//! The one-shot loopback listener that receives the browser's answer after a sign-in.
//!
//! It listens on this computer's loopback addresses only (never on another interface): on
//! 127.0.0.1 for a `127.0.0.1` callback, on [::1] for a `[::1]` one, and on both, with the same
//! port, for a `localhost` one, since a browser may resolve `localhost` to either (without IPv6 on
//! the machine, on 127.0.0.1 alone). It answers the browser with a small page and closes on the
//! sign-in's own answer (the request on the callback path carrying this sign-in's `state`), on
//! cancel, or on timeout, which frees its port. Anything else cannot end the wait: other paths get
//! a 404, answers with another or no `state` (a stray page or another program) a 400, and a
//! connection that sends no request head in time, or is the oldest one still silent when the
//! connection cap is reached, is closed unanswered, so idle connections cannot crowd out the
//! browser's answer.

use super::authcode::{code_from_callback, PendingSignIn};
use crate::error::EngineError;
use futures_util::future::{AbortHandle, Abortable};
use futures_util::stream::{FuturesUnordered, StreamExt};
use oauth2::AuthorizationCode;
use std::collections::VecDeque;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::task::Poll;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use url::Url;

/// How long the browser has, by default, to come back.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// The path used when no callback is registered.
pub const DEFAULT_PATH: &str = "/callback";
const MAX_REQUEST_HEAD: usize = 16 * 1024;
/// How long a connection has to send its whole request head; then it is closed unanswered.
const REQUEST_HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// Connections read at once; when one more arrives, the oldest still silent one is closed.
const MAX_OPEN_CONNECTIONS: usize = 32;
/// How long the browser has to take the listener's page before the connection is closed anyway.
const ANSWER_DEADLINE: Duration = Duration::from_secs(2);
/// Free ports tried for a `localhost` callback before giving up on finding one free on both
/// 127.0.0.1 and [::1].
const FREE_PORT_ATTEMPTS: usize = 5;
const NOT_THIS_SIGN_IN: &str =
    "This sign-in answer does not belong to the sign-in in progress; the app keeps waiting.";

/// Which port to listen on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortChoice {
    /// Exactly the registered callback's port (works with any server).
    Registered,
    /// Any free port, keeping the registered path (servers that follow RFC 8252, as Doorkeeper
    /// does for 127.0.0.1, accept it).
    Free,
}

pub struct LoopbackListener {
    /// One socket per loopback address the browser may come to, all on the same port.
    listeners: Vec<TcpListener>,
    redirect_uri: Url,
}

impl LoopbackListener {
    /// Opens the listener. `registered` is the callback URL registered for the client, if known;
    /// it must point at this computer over http.
    pub async fn bind(
        registered: Option<&Url>,
        ports: PortChoice,
    ) -> Result<LoopbackListener, EngineError> {
        let template = match registered {
            Some(url) => {
                check_loopback_callback(url)?;
                url.clone()
            }
            None => Url::parse(&format!("http://127.0.0.1{DEFAULT_PATH}"))
                .map_err(|e| EngineError::Local(e.to_string()))?,
        };
        let port = match (ports, registered) {
            (PortChoice::Registered, Some(url)) => url.port_or_known_default().unwrap_or(80),
            _ => 0,
        };
        // The browser goes where the callback URL points: [::1] for an IPv6 callback, either
        // address for localhost, else 127.0.0.1.
        let listeners = match template.host() {
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => {
                vec![listen(SocketAddr::from((Ipv6Addr::LOCALHOST, port))).await?]
            }
            Some(url::Host::Domain("localhost")) => listen_on_both_loopbacks(port).await?,
            _ => vec![listen(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?],
        };
        let actual = listeners
            .first()
            .and_then(|l| l.local_addr().ok())
            .map(|a| a.port())
            .ok_or_else(|| EngineError::Local("the sign-in listener has no port".into()))?;
        let mut redirect_uri = template;
        redirect_uri
            .set_port(Some(actual))
            .map_err(|_| EngineError::Local("the callback URL cannot take a port".into()))?;
        Ok(LoopbackListener { listeners, redirect_uri })
    }

    /// The callback URL to send in the sign-in request.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// The first address listened on (127.0.0.1 for a `localhost` callback).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listeners.first().and_then(|l| l.local_addr().ok())
    }

    /// Waits for the browser's answer and reads the code from it. Other paths (a favicon, say)
    /// get a 404, and answers on the callback path with another or no `state` a 400; the wait
    /// goes on after both. Ends with this sign-in's answer (its code, or the error the server
    /// sent back, such as a Deny), on cancel, or on timeout; the port is free again when this
    /// returns. Connections are read side by side, so a spare connection a browser opens and
    /// leaves idle (preconnect) holds up neither the answer nor a cancel or the timeout; each has
    /// a few seconds to send its request head, and when the cap of open connections is reached
    /// the oldest one still silent is closed to make room, so the browser's answer is read.
    pub async fn receive(
        self,
        pending: &PendingSignIn,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Result<AuthorizationCode, EngineError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut reading = FuturesUnordered::new();
        // The connections whose request head is still being read, oldest first, each with the
        // handle that closes it.
        let mut still_reading: VecDeque<(u64, AbortHandle)> = VecDeque::new();
        let mut next_connection: u64 = 0;
        let mut next_listener = 0;
        loop {
            tokio::select! {
                accepted = accept_any(&self.listeners, &mut next_listener) => {
                    let Ok(stream) = accepted else { continue };
                    if still_reading.len() >= MAX_OPEN_CONNECTIONS {
                        if let Some((_, oldest)) = still_reading.pop_front() {
                            oldest.abort();
                        }
                    }
                    let (close, registration) = AbortHandle::new_pair();
                    still_reading.push_back((next_connection, close));
                    reading.push(Abortable::new(read_head(next_connection, stream, REQUEST_HEAD_DEADLINE), registration));
                    next_connection += 1;
                }
                Some(finished) = reading.next() => {
                    // A connection closed to make room for a newer one ends here, unanswered.
                    let Ok((connection, mut stream, head)) = finished else { continue };
                    still_reading.retain(|(reading_id, _)| *reading_id != connection);
                    let target = match head {
                        RequestHead::Get(target) => target,
                        // Nothing (or not all of a head) came in time: closed without a page, since
                        // a browser that sends its request on an idle connection just as it is
                        // closed would take that page as the answer to its request.
                        RequestHead::Incomplete => continue,
                        RequestHead::Unusable => {
                            respond(&mut stream, 400, "Bad request", "This address only receives the sign-in answer.").await;
                            continue;
                        }
                    };
                    let Ok(url) = self.redirect_uri.join(&target) else {
                        respond(&mut stream, 400, "Bad request", "This address only receives the sign-in answer.").await;
                        continue;
                    };
                    if url.path() != self.redirect_uri.path() {
                        respond(&mut stream, 404, "Not found", "This address only receives the sign-in answer.").await;
                        continue;
                    }
                    match code_from_callback(pending, &url) {
                        Ok(code) => {
                            respond(&mut stream, 200, "Signed in", "You are signed in. You can close this tab and return to ScopeStack Companion.").await;
                            return Ok(code);
                        }
                        // Another page or program answering; only the sign-in's own answer ends it.
                        Err(EngineError::StateMismatch) => {
                            respond(&mut stream, 400, "Not this sign-in", NOT_THIS_SIGN_IN).await;
                        }
                        Err(e) => {
                            respond(&mut stream, 400, "Sign-in did not complete", &e.to_string()).await;
                            return Err(e);
                        }
                    }
                }
                _ = tokio::time::sleep_until(deadline) => return Err(EngineError::TimedOut { seconds: timeout.as_secs() }),
                _ = cancel.cancelled() => return Err(EngineError::Cancelled),
            }
        }
    }
}

/// Listens on one address; a taken port is `PortInUse`.
async fn listen(address: SocketAddr) -> Result<TcpListener, EngineError> {
    TcpListener::bind(address).await.map_err(|e| listen_error(address, e))
}

fn listen_error(address: SocketAddr, e: std::io::Error) -> EngineError {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        EngineError::PortInUse { port: address.port() }
    } else {
        EngineError::Local(format!("Could not listen on {address} for the sign-in: {e}."))
    }
}

/// Listens on 127.0.0.1 and [::1] with the same port (`port`, or for 0 one free on both), or on
/// 127.0.0.1 alone when this computer has no IPv6.
async fn listen_on_both_loopbacks(port: u16) -> Result<Vec<TcpListener>, EngineError> {
    if port != 0 {
        let ipv4 = listen(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
        let ipv6_address = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
        return match TcpListener::bind(ipv6_address).await {
            Ok(ipv6) => Ok(vec![ipv4, ipv6]),
            Err(e) if means_no_ipv6(&e) => Ok(vec![ipv4]),
            Err(e) => Err(listen_error(ipv6_address, e)),
        };
    }
    // Ports whose [::1] side was taken stay held until the end, so that the next try gets
    // another one.
    let mut half_free = Vec::new();
    for _ in 0..FREE_PORT_ATTEMPTS {
        let ipv4 = listen(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let port = ipv4.local_addr().map_err(|e| EngineError::Local(e.to_string()))?.port();
        let ipv6_address = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
        match TcpListener::bind(ipv6_address).await {
            Ok(ipv6) => return Ok(vec![ipv4, ipv6]),
            Err(e) if means_no_ipv6(&e) => return Ok(vec![ipv4]),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => half_free.push(ipv4),
            Err(e) => return Err(listen_error(ipv6_address, e)),
        }
    }
    Err(EngineError::Local(format!(
        "Could not find a port free on both 127.0.0.1 and [::1] for the sign-in ({FREE_PORT_ATTEMPTS} tries). Try again, or register a 127.0.0.1 callback."
    )))
}

/// Whether binding [::1] failed because this computer has no IPv6 (none configured on the
/// loopback interface, or none in the system at all).
fn means_no_ipv6(e: &std::io::Error) -> bool {
    // EAFNOSUPPORT, which the standard library does not sort into a kind.
    const ADDRESS_FAMILY_NOT_SUPPORTED: Option<i32> =
        if cfg!(any(target_os = "linux", target_os = "android")) {
            Some(97)
        } else if cfg!(any(
            target_os = "macos",
            target_os = "ios",
            target_os = "freebsd",
            target_os = "openbsd",
            target_os = "netbsd"
        )) {
            Some(47)
        } else if cfg!(windows) {
            Some(10047)
        } else {
            None
        };
    e.kind() == std::io::ErrorKind::AddrNotAvailable
        || (e.raw_os_error().is_some() && e.raw_os_error() == ADDRESS_FAMILY_NOT_SUPPORTED)
}

/// The next connection on any of the listeners, asking them in turn so that a flood on one
/// address cannot keep the other from being served.
async fn accept_any(
    listeners: &[TcpListener],
    next_listener: &mut usize,
) -> std::io::Result<TcpStream> {
    std::future::poll_fn(|cx| {
        for offset in 0..listeners.len() {
            let index = (*next_listener + offset) % listeners.len();
            if let Poll::Ready(accepted) = listeners[index].poll_accept(cx) {
                *next_listener = (index + 1) % listeners.len();
                return Poll::Ready(accepted.map(|(stream, _)| stream));
            }
        }
        Poll::Pending
    })
    .await
}

/// A loopback listener can only catch a callback on this computer, over http.
fn check_loopback_callback(url: &Url) -> Result<(), EngineError> {
    let loopback_host =
        matches!(url.host_str(), Some("127.0.0.1") | Some("localhost") | Some("[::1]"));
    if url.scheme() == "http" && loopback_host {
        Ok(())
    } else {
        Err(EngineError::MissingInput(format!(
            "The callback registered for this client ({url}) is not on this computer, so the app cannot listen for it. Use the in-app sign-in window or paste mode, or ask ScopeStack support to register http://127.0.0.1:8765/callback."
        )))
    }
}

/// What a connection sent before its deadline.
#[derive(Debug, PartialEq, Eq)]
enum RequestHead {
    /// A GET request; its target ("/callback?code=…").
    Get(String),
    /// Something that is not a GET request head, or a head over the size limit.
    Unusable,
    /// Nothing, or part of a head when the connection was closed or its time ran out.
    Incomplete,
}

/// Reads one connection's request head, giving it `deadline` for the whole head (however it
/// trickles in), and hands the connection back with what it sent.
async fn read_head<S: AsyncRead + Unpin>(
    connection: u64,
    mut stream: S,
    deadline: Duration,
) -> (u64, S, RequestHead) {
    let head = tokio::time::timeout(deadline, read_request_head(&mut stream))
        .await
        .unwrap_or(RequestHead::Incomplete);
    (connection, stream, head)
}

/// Reads the request head and returns the request target of a GET. A head cut short by the end
/// of the connection is read as far as it goes.
async fn read_request_head<R: AsyncRead + Unpin>(stream: &mut R) -> RequestHead {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let Ok(n) = stream.read(&mut chunk).await else { return RequestHead::Incomplete };
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > MAX_REQUEST_HEAD {
            return RequestHead::Unusable;
        }
    }
    if buf.is_empty() {
        return RequestHead::Incomplete;
    }
    let target = std::str::from_utf8(&buf).ok().and_then(|head| {
        let mut parts = head.lines().next()?.split_whitespace();
        let (method, target) = (parts.next()?, parts.next()?);
        (method == "GET" && target.starts_with('/')).then(|| target.to_string())
    });
    target.map_or(RequestHead::Unusable, RequestHead::Get)
}

async fn respond(stream: &mut TcpStream, status: u16, title: &str, message: &str) {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:34em;margin:4em auto;padding:0 1em;line-height:1.5;color:#1c2430}}\
         h1{{font-size:1.4em}}</style></head><body><h1>{t}</h1><p>{m}</p></body></html>",
        t = escape(title),
        m = escape(message)
    );
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // A peer that does not read its page must not hold up the wait.
    let _ = tokio::time::timeout(ANSWER_DEADLINE, async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn head_of(bytes: &[u8]) -> RequestHead {
        read_request_head(&mut &bytes[..]).await
    }

    #[tokio::test]
    async fn a_get_head_yields_its_target() {
        assert_eq!(
            head_of(b"GET /callback?code=x&state=y HTTP/1.1\r\nHost: localhost\r\n\r\n").await,
            RequestHead::Get("/callback?code=x&state=y".into())
        );
        // Cut short by the end of the connection, a request line is still read.
        assert_eq!(
            head_of(b"GET /callback?code=x HTTP/1.1\r\n").await,
            RequestHead::Get("/callback?code=x".into())
        );
    }

    #[tokio::test]
    async fn other_methods_garbage_and_oversized_heads_are_unusable() {
        assert_eq!(head_of(b"POST /callback HTTP/1.1\r\n\r\n").await, RequestHead::Unusable);
        assert_eq!(head_of(b"NONSENSE\r\n\r\n").await, RequestHead::Unusable);
        assert_eq!(head_of(b"GET http://elsewhere/ HTTP/1.1\r\n\r\n").await, RequestHead::Unusable);
        assert_eq!(head_of(b"\xff\xfe /callback\r\n\r\n").await, RequestHead::Unusable);
        let huge =
            format!("GET /callback HTTP/1.1\r\nX-Filler: {}\r\n\r\n", "a".repeat(MAX_REQUEST_HEAD));
        assert_eq!(head_of(huge.as_bytes()).await, RequestHead::Unusable);
    }

    #[tokio::test]
    async fn a_connection_that_sends_nothing_is_incomplete() {
        assert_eq!(head_of(b"").await, RequestHead::Incomplete);
    }

    #[tokio::test]
    async fn a_connection_that_trickles_runs_out_of_time() {
        let (mut client, server) = tokio::io::duplex(64);
        let trickle = tokio::spawn(async move {
            while client.write_all(b"G").await.is_ok() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        let started = std::time::Instant::now();
        let (_, _, head) = read_head(7, server, Duration::from_millis(300)).await;
        assert_eq!(head, RequestHead::Incomplete);
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        trickle.abort();
    }

    #[test]
    fn a_missing_ipv6_is_recognised() {
        assert!(means_no_ipv6(&std::io::Error::from(std::io::ErrorKind::AddrNotAvailable)));
        assert!(!means_no_ipv6(&std::io::Error::from(std::io::ErrorKind::AddrInUse)));
        assert!(!means_no_ipv6(&std::io::Error::from(std::io::ErrorKind::PermissionDenied)));
        #[cfg(target_os = "linux")]
        assert!(means_no_ipv6(&std::io::Error::from_raw_os_error(97)), "EAFNOSUPPORT");
    }
}
