//! Servers that cannot be routes of the bad server, because they misbehave before any path is
//! sent: one that answers a TLS handshake with garbage, TLS servers with a self-signed or an
//! expired certificate, and proxies that refuse the tunnel.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Accepts, then writes garbage bytes at once: what an https:// client meets at a port that
/// speaks some other protocol.
pub async fn garbage_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let garbage: Vec<u8> =
                    (0u32..512).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
                let _ = s.write_all(&garbage).await;
                let mut buf = [0u8; 1024];
                let _ =
                    tokio::time::timeout(std::time::Duration::from_secs(2), s.read(&mut buf)).await;
            });
        }
    });
    port
}

/// A TLS server with one of the test certificates (`selfsigned` or `expired`, for 127.0.0.1)
/// that answers every request with a valid token.
pub async fn tls_server(which: &str) -> u16 {
    let body = r#"{"access_token":"tls-token","token_type":"Bearer","expires_in":7200}"#;
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus_support/certs");
    crate::tls_server::serving(dir, which, None, answer.into_bytes()).await
}

/// A proxy that answers every CONNECT with `status`.
pub async fn refusing_proxy(status: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let reason =
                    if status == 407 { "Proxy Authentication Required" } else { "Forbidden" };
                let extra =
                    if status == 407 { "Proxy-Authenticate: Basic realm=\"corp\"\r\n" } else { "" };
                let answer = format!("HTTP/1.1 {status} {reason}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n");
                let _ = s.write_all(answer.as_bytes()).await;
            });
        }
    });
    port
}

/// A port with nothing listening on it.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
