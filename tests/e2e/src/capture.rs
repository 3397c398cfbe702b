//! A throwaway HTTP server on 127.0.0.1 that records every request it receives (the request line,
//! headers and body as text) and answers an empty JSON:API list: the "collector" of the token
//! custody tests, standing for a server that should never see the token.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as the capture server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// `GET /collect HTTP/1.1`.
    pub request_line: String,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == &name.to_ascii_lowercase()).map(|(_, v)| v.as_str())
    }
}

/// The running server; it stops with the test's runtime.
pub struct CaptureServer {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl CaptureServer {
    pub async fn start() -> CaptureServer {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind the capture server");
        let port = listener.local_addr().expect("its address").port();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let record = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let record = record.clone();
                tokio::spawn(async move {
                    let Ok(Some(request)) =
                        tokio::time::timeout(Duration::from_secs(10), read_request(&mut stream))
                            .await
                    else {
                        return;
                    };
                    record.lock().unwrap_or_else(|p| p.into_inner()).push(request);
                    let body = r#"{"data":[],"meta":{"collected":true}}"#;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.api+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        CaptureServer { port, seen }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Waits up to `wait` for at least `count` requests; what was seen by then.
    pub async fn wait_for(&self, count: usize, wait: Duration) -> Vec<Seen> {
        let deadline = tokio::time::Instant::now() + wait;
        while self.seen().len() < count && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.seen()
    }
}

/// Reads one request: its head, and a body of `Content-Length` bytes.
async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length.min(1024 * 1024) {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen { request_line, headers, body: String::from_utf8_lossy(&body).into_owned() })
}
