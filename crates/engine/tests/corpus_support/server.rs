//! The bad server: one raw TCP listener on 127.0.0.1 whose first path segment names the
//! behaviour (`/truncated-json/oauth/token`), so that broken HTTP can be served as easily as
//! well-formed answers. It counts the requests each route gets.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a route does with a request.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// A complete, well-formed answer (Content-Length added unless given).
    Answer { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// These exact bytes, then the connection is closed.
    Raw(Vec<u8>),
    /// Reads the request and never answers (the connection stays open).
    Silent,
    /// Sends the head and a tenth of the body, then nothing more.
    StallMidBody,
    /// Sends half a head, then closes.
    CloseMidHeaders,
    /// Reads the request, then resets the connection (RST).
    Reset,
    /// A 1 GB JSON body, streamed in 64 KB pieces, never held in memory.
    Gigabyte { status: u16 },
    /// A 302 to the very same URL.
    RedirectToSelf,
}

/// Shorthand for an answer with a content type.
pub fn answer(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Behaviour {
    let headers = if content_type.is_empty() {
        vec![]
    } else {
        vec![("Content-Type".to_string(), content_type.to_string())]
    };
    Behaviour::Answer { status, headers, body: body.into() }
}

/// Shorthand for a JSON answer.
pub fn json(status: u16, body: &str) -> Behaviour {
    answer(status, "application/json; charset=utf-8", body.as_bytes().to_vec())
}

/// Shorthand for an answer with extra headers.
pub fn with_headers(
    status: u16,
    content_type: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> Behaviour {
    let mut headers = vec![("Content-Type".to_string(), content_type.to_string())];
    headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Behaviour::Answer { status, headers, body: body.as_bytes().to_vec() }
}

pub struct BadServer {
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Behaviour>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    /// Bytes the 1 GB routes managed to send before the client hung up.
    pub gigabyte_sent: Arc<Mutex<HashMap<String, u64>>>,
}

impl BadServer {
    pub async fn start() -> BadServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the bad server");
        let port = listener.local_addr().unwrap().port();
        let server = BadServer {
            port,
            routes: Arc::default(),
            hits: Arc::default(),
            gigabyte_sent: Arc::default(),
        };
        let (routes, hits, sent) =
            (server.routes.clone(), server.hits.clone(), server.gigabyte_sent.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (routes, hits, sent) = (routes.clone(), hits.clone(), sent.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, port, routes, hits, sent).await;
                });
            }
        });
        server
    }

    pub fn route(&self, name: &str, behaviour: Behaviour) {
        self.routes.lock().unwrap().insert(name.to_string(), behaviour);
    }

    pub fn hits(&self, name: &str) -> usize {
        self.hits.lock().unwrap().get(name).copied().unwrap_or(0)
    }

    /// `http://127.0.0.1:PORT/NAME`, the base of a route.
    pub fn base(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }
}

/// The request head's path and the behaviour's name (its first segment).
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.first() == Some(&0x16) {
            // A TLS ClientHello sent to this plain-HTTP port: answer as an HTTP server would.
            return Ok(Some(("__tls__".into(), Vec::new())));
        }
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.split_once(':')
                        .filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                        .map(|(_, v)| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            let mut body = buf[end + 4..].to_vec();
            while body.len() < length {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
            return Ok(Some((path, body)));
        }
        if buf.len() > 64 * 1024 {
            return Ok(None);
        }
    }
}

async fn serve(
    mut stream: TcpStream,
    port: u16,
    routes: Arc<Mutex<HashMap<String, Behaviour>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    sent: Arc<Mutex<HashMap<String, u64>>>,
) -> std::io::Result<()> {
    let Some((path, _body)) = read_request(&mut stream).await? else { return Ok(()) };
    if path == "__tls__" {
        stream
            .write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await?;
        return Ok(());
    }
    let name = path.trim_start_matches('/').split(['/', '?']).next().unwrap_or("").to_string();
    *hits.lock().unwrap().entry(name.clone()).or_default() += 1;
    let behaviour = routes.lock().unwrap().get(&name).cloned();
    let Some(behaviour) = behaviour else {
        stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await?;
        return Ok(());
    };
    match behaviour {
        Behaviour::Answer { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            for (k, v) in &headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-length")) {
                head.push_str(&format!("Content-Length: {}\r\n", body.len()));
            }
            head.push_str("Connection: close\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.flush().await?;
            let _ = stream.shutdown().await;
            // Let the client read to the end before the socket goes.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Behaviour::Raw(bytes) => {
            stream.write_all(&bytes).await?;
            stream.flush().await?;
            let _ = stream.shutdown().await;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Behaviour::Silent => {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Behaviour::StallMidBody => {
            stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"access_token\":\"abc").await?;
            stream.flush().await?;
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Behaviour::CloseMidHeaders => {
            stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: applica").await?;
            stream.flush().await?;
        }
        Behaviour::Reset => {
            stream.set_zero_linger()?;
            drop(stream);
        }
        Behaviour::Gigabyte { status } => {
            const GB: u64 = 1 << 30;
            let head = format!("HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {GB}\r\n\r\n", reason(status));
            stream.write_all(head.as_bytes()).await?;
            let start = b"{\"access_token\":\"";
            stream.write_all(start).await?;
            let piece = vec![b'a'; 64 * 1024];
            let mut total = start.len() as u64;
            while total < GB {
                let n = piece.len().min((GB - total) as usize);
                if stream.write_all(&piece[..n]).await.is_err() {
                    break;
                }
                total += n as u64;
            }
            sent.lock().unwrap().insert(name, total);
        }
        Behaviour::RedirectToSelf => {
            let head = format!("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}{path}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
        }
    }
    Ok(())
}

fn reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Whatever")
}
