//! The one-shot loopback listener that receives the browser's answer after a sign-in.
//!
//! It listens on 127.0.0.1 only (never on another interface), answers the browser with a small
//! page, and closes after the first answer on the callback path, on cancel, or on timeout, which
//! frees its port.

use super::authcode::{code_from_callback, PendingSignIn};
use crate::error::EngineError;
use futures_util::stream::{FuturesUnordered, StreamExt};
use oauth2::AuthorizationCode;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use url::Url;

/// How long the browser has, by default, to come back.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// The path used when no callback is registered.
pub const DEFAULT_PATH: &str = "/callback";
const MAX_REQUEST_HEAD: usize = 16 * 1024;
/// Connections read at once; more are closed unanswered.
const MAX_OPEN_CONNECTIONS: usize = 32;

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
    listener: TcpListener,
    redirect_uri: Url,
}

impl LoopbackListener {
    /// Opens the listener. `registered` is the callback URL registered for the client, if known;
    /// it must point at this computer over http.
    pub async fn bind(registered: Option<&Url>, ports: PortChoice) -> Result<LoopbackListener, EngineError> {
        let template = match registered {
            Some(url) => {
                check_loopback_callback(url)?;
                url.clone()
            }
            None => Url::parse(&format!("http://127.0.0.1{DEFAULT_PATH}")).map_err(|e| EngineError::Local(e.to_string()))?,
        };
        let port = match (ports, registered) {
            (PortChoice::Registered, Some(url)) => url.port_or_known_default().unwrap_or(80),
            _ => 0,
        };
        // The browser goes where the callback URL points: [::1] for an IPv6 callback, else 127.0.0.1.
        let ip = match template.host() {
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
        };
        let address = SocketAddr::new(ip, port);
        let listener = TcpListener::bind(address).await.map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                EngineError::PortInUse { port }
            } else {
                EngineError::Local(format!("Could not listen on {address} for the sign-in: {e}."))
            }
        })?;
        let actual = listener.local_addr().map_err(|e| EngineError::Local(e.to_string()))?.port();
        let mut redirect_uri = template;
        redirect_uri.set_port(Some(actual)).map_err(|_| EngineError::Local("the callback URL cannot take a port".into()))?;
        Ok(LoopbackListener { listener, redirect_uri })
    }

    /// The callback URL to send in the sign-in request.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Waits for the browser's answer and reads the code from it. Other paths (a favicon, say)
    /// get a 404 and the wait goes on. Ends with the first answer, on cancel, or on timeout; the
    /// port is free again when this returns. Connections are read side by side, so a spare
    /// connection a browser opens and leaves idle (preconnect) holds up neither the answer nor
    /// a cancel or the timeout.
    pub async fn receive(self, pending: &PendingSignIn, timeout: Duration, cancel: &CancellationToken) -> Result<AuthorizationCode, EngineError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut reading = FuturesUnordered::new();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        if reading.len() < MAX_OPEN_CONNECTIONS {
                            reading.push(read_head(stream));
                        }
                    }
                }
                Some((mut stream, target)) = reading.next() => {
                    let Some(url) = target.and_then(|t| self.redirect_uri.join(&t).ok()) else {
                        respond(&mut stream, 400, "Bad request", "This address only receives the sign-in answer.").await;
                        continue;
                    };
                    if url.path() != self.redirect_uri.path() {
                        respond(&mut stream, 404, "Not found", "This address only receives the sign-in answer.").await;
                        continue;
                    }
                    let result = code_from_callback(pending, &url);
                    match &result {
                        Ok(_) => respond(&mut stream, 200, "Signed in", "You are signed in. You can close this tab and return to ScopeStack Companion.").await,
                        Err(e) => respond(&mut stream, 400, "Sign-in did not complete", &e.to_string()).await,
                    }
                    return result;
                }
                _ = tokio::time::sleep_until(deadline) => return Err(EngineError::TimedOut { seconds: timeout.as_secs() }),
                _ = cancel.cancelled() => return Err(EngineError::Cancelled),
            }
        }
    }
}

/// Reads one connection's request head (for up to 5 seconds) and hands the connection back
/// with its request target, if it sent a usable one.
async fn read_head(mut stream: TcpStream) -> (TcpStream, Option<String>) {
    let target = tokio::time::timeout(Duration::from_secs(5), read_request_target(&mut stream)).await.ok().flatten();
    (stream, target)
}

/// A loopback listener can only catch a callback on this computer, over http.
fn check_loopback_callback(url: &Url) -> Result<(), EngineError> {
    let loopback_host = matches!(url.host_str(), Some("127.0.0.1") | Some("localhost") | Some("[::1]"));
    if url.scheme() == "http" && loopback_host {
        Ok(())
    } else {
        Err(EngineError::MissingInput(format!(
            "The callback registered for this client ({url}) is not on this computer, so the app cannot listen for it. Use the in-app sign-in window or paste mode, or ask ScopeStack support to register http://127.0.0.1:8765/callback."
        )))
    }
}

/// Reads the request head and returns the request target ("/callback?code=…").
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > MAX_REQUEST_HEAD {
            return None;
        }
    }
    let head = std::str::from_utf8(&buf).ok()?;
    let mut parts = head.lines().next()?.split_whitespace();
    let (method, target) = (parts.next()?, parts.next()?);
    (method == "GET" && target.starts_with('/')).then(|| target.to_string())
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
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
