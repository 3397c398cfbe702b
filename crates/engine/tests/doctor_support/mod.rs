//! Loopback servers that break one step of the connection check each: TLS servers whose
//! certificate comes from an unknown authority (one named like a company's TLS-inspection
//! product), a proxy that wants a sign-in, a server that never answers the handshake, and an
//! OAuth + API look-alike whose clock is off or whose `/v1/me` answers without a token.
//!
//! The certificates in `certs/` are throwaway test keys for 127.0.0.1, made with openssl (EC
//! P-256, valid 100 years): `inspection` is signed by a CA named "Zscaler Root CA", `unknown` by
//! one named "Northwind Test Root CA"; neither CA is in any store.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use url::Url;

/// Endpoints of a server at `base` (token at /oauth/token, API at the root).
pub fn endpoints_at(base: &str) -> engine::Endpoints {
    engine::Endpoints::for_base(&Url::parse(base).unwrap()).expect("endpoints")
}

/// A TLS server for 127.0.0.1 with the test certificate `which` (`inspection` or `unknown`),
/// answering 401 to anything.
pub async fn tls_server(which: &str) -> u16 {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doctor_support/certs");
    let answer = b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    crate::tls_server::serving(dir, which, Some(&format!("{which}-ca")), answer.to_vec()).await
}

/// A proxy that answers every request (a CONNECT first) with 407 and a `Proxy-Authenticate`.
pub async fn sign_in_proxy() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    port
}

/// A server that accepts connections, reads, and never says a word.
pub async fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                while let Ok(n) = s.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                }
                tokio::time::sleep(Duration::from_secs(60)).await;
            });
        }
    });
    port
}

/// How the look-alike server answers.
#[derive(Clone, Copy)]
pub struct LookAlike {
    /// Added to its clock in the `Date` header, in seconds.
    pub clock_offset: i64,
    /// What `GET /v1/me` without a token answers.
    pub me_status: u16,
}

/// A plain-HTTP token endpoint and API on 127.0.0.1 that answer like ScopeStack's (401 with an
/// OAuth error to a token request without credentials, 401 to `/v1/me`), bent by `how`. Its
/// base URL.
pub async fn look_alike(how: LookAlike) -> String {
    let date = move || {
        let offset = Duration::from_secs(how.clock_offset.unsigned_abs());
        let at = if how.clock_offset < 0 {
            SystemTime::now() - offset
        } else {
            SystemTime::now() + offset
        };
        HeaderValue::from_str(&httpdate::fmt_http_date(at)).unwrap()
    };
    let token = move || async move {
        let mut h = HeaderMap::new();
        h.insert("date", date());
        h.insert("content-type", HeaderValue::from_static("application/json"));
        (
            StatusCode::UNAUTHORIZED,
            h,
            r#"{"error":"invalid_client","error_description":"Client authentication failed."}"#,
        )
            .into_response()
    };
    let me = move || async move {
        let mut h = HeaderMap::new();
        h.insert("date", date());
        h.insert("content-type", HeaderValue::from_static("application/vnd.api+json"));
        let status = StatusCode::from_u16(how.me_status).unwrap();
        let body = if how.me_status == 200 {
            r#"{"data":{"type":"users","attributes":{"name":"Anyone"}}}"#
        } else {
            r#"{"errors":[{"status":"401","title":"Unauthorized"}]}"#
        };
        (status, h, body).into_response()
    };
    let app = axum::Router::new().route("/oauth/token", post(token)).route("/v1/me", get(me));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://127.0.0.1:{port}")
}
