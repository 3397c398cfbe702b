//! Shared pieces of the request tester's tests: a sandbox with a signed-in service account, a
//! profile aimed at any server with a stand-in token, and a tiny server for what the sandbox
//! cannot do (5xx, binary and Latin-1 bodies, slow answers, redirects, echoing the request).
#![allow(dead_code)] // each test file uses its own part of this module

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use engine::profiles::{
    CallbackSettings, ClientAuth, Endpoints, Environment, Method as GrantMethod, Profile, ProfileId,
};
use engine::requests::ExchangeStore;
use engine::session::{Credentials, Engine, Target};
use engine::tokens::{ExpirySource, TokenSet};
use engine::vault::Vault;
use engine::Secret;
use sandbox::{Sandbox, SandboxConfig};
use std::collections::HashMap;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use url::Url;

pub fn engine() -> Engine {
    let http = engine::http::client(engine::http::HttpSettings {
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(15),
    })
    .expect("HTTP client");
    Engine::new(Vault::session_only(), http)
}

/// A profile whose API (and token endpoint) is at `base`.
pub fn target_at(base: &Url, id: &str) -> Target {
    let endpoints = Endpoints::for_base(base).expect("endpoints");
    let profile = Profile {
        id: ProfileId::new(id),
        name: id.to_string(),
        account_kind: engine::AccountKind::Test,
        environment: Environment::Server(endpoints.clone()),
        method: GrantMethod::ClientCredentials,
        client_id: sandbox::SERVICE_CLIENT_ID.to_string(),
        username: String::new(),
        scope: "read write".into(),
        client_auth: ClientAuth::Body,
        callback: CallbackSettings::default(),
    };
    Target { profile, endpoints }
}

/// Stores `token` for the profile, valid for an hour.
pub fn give_token(engine: &Engine, target: &Target, token: &str) {
    let now = engine::tokens::now_unix();
    let tokens = TokenSet {
        access_token: Secret::new(token),
        token_type: "Bearer".into(),
        refresh_token: None,
        scope: Some("read write".into()),
        issued_at: now,
        expires_at: Some(now + 3600),
        expiry_source: ExpirySource::ExpiresIn,
        obtained_with: GrantMethod::ClientCredentials,
    };
    engine.vault.set_tokens(&target.profile.id, &tokens).expect("store the token");
}

/// A sandbox, an engine, and the service account's profile with a real token.
pub struct SandboxSession {
    pub sandbox: Sandbox,
    pub engine: Engine,
    pub target: Target,
    pub store: ExchangeStore,
    pub cancel: CancellationToken,
}

impl SandboxSession {
    pub async fn start() -> SandboxSession {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.expect("start the sandbox");
        let engine = engine();
        let target = target_at(&Url::parse(&sandbox.base_url()).unwrap(), "service");
        let creds = Credentials {
            client_secret: Some(Secret::new(sandbox::SERVICE_CLIENT_SECRET)),
            password: None,
        };
        engine.obtain_direct(&target, &creds).await.expect("a service-account token");
        SandboxSession {
            sandbox,
            engine,
            target,
            store: ExchangeStore::new(),
            cancel: CancellationToken::new(),
        }
    }

    pub fn token(&self) -> String {
        self.engine.stored_tokens(&self.target).unwrap().unwrap().access_token.expose().to_string()
    }
}

pub fn slug_vars() -> HashMap<String, String> {
    HashMap::from([("account-slug".to_string(), sandbox::ACCOUNT_SLUG.to_string())])
}

pub fn no_vars() -> HashMap<String, String> {
    HashMap::new()
}

// ---------------------------------------------------------------------------------------------
// The test server

/// A server on 127.0.0.1 for what the sandbox cannot do. Stops when dropped.
pub struct TestServer {
    pub base: Url,
    task: JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Bytes sent at once before `/slow-body` starts trickling: more than the memory threshold.
pub const SLOW_BODY_BURST: usize = 3 * 1024 * 1024;

/// The Latin-1 text `/latin1` answers ("café crème" in ISO-8859-1).
pub const LATIN1: &[u8] = b"caf\xe9 cr\xe8me";

pub async fn test_server() -> TestServer {
    let listener =
        tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.expect("bind the test server");
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let app = Router::new()
        .route("/status/{code}", any(status))
        .route("/binary", get(binary))
        .route("/latin1", get(latin1))
        .route("/slow-headers", get(slow_headers))
        .route("/slow-body", get(slow_body))
        .route("/redirect/{n}", any(redirect))
        .route("/to", any(redirect_to))
        .route("/echo", any(echo));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    TestServer { base, task }
}

async fn status(Path(code): Path<u16>) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = format!(
        r#"{{"errors":[{{"status":"{code}","title":"Internal Server Error","detail":"Something broke on our side (request id 1234)."}}]}}"#
    );
    (status, [(header::CONTENT_TYPE, "application/vnd.api+json")], body).into_response()
}

pub fn binary_bytes() -> Vec<u8> {
    (0..4096u32).map(|i| (i % 256) as u8).collect()
}

async fn binary() -> Response {
    ([(header::CONTENT_TYPE, "application/octet-stream")], binary_bytes()).into_response()
}

async fn latin1() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=iso-8859-1")], LATIN1.to_vec()).into_response()
}

async fn slow_headers() -> Response {
    tokio::time::sleep(Duration::from_secs(10)).await;
    "finally".into_response()
}

async fn slow_body() -> Response {
    let burst = futures_util::stream::iter(
        (0..SLOW_BODY_BURST / 65536)
            .map(|_| Ok::<Bytes, std::io::Error>(Bytes::from(vec![b'a'; 65536]))),
    );
    let trickle = futures_util::stream::unfold(0u32, |n| async move {
        if n == 120 {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        Some((Ok::<Bytes, std::io::Error>(Bytes::from_static(b"b")), n + 1))
    });
    use futures_util::StreamExt;
    Response::builder()
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from_stream(burst.chain(trickle)))
        .unwrap()
}

async fn redirect(Path(n): Path<u32>) -> Response {
    let location = if n <= 1 { "/echo".to_string() } else { format!("/redirect/{}", n - 1) };
    (StatusCode::FOUND, [(header::LOCATION, location)], "").into_response()
}

async fn redirect_to(Query(q): Query<HashMap<String, String>>) -> Response {
    let code = q
        .get("code")
        .and_then(|c| c.parse().ok())
        .and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(StatusCode::FOUND);
    (code, [(header::LOCATION, q.get("url").cloned().unwrap_or_default())], "").into_response()
}

async fn echo(method: Method, headers: HeaderMap, body: Bytes) -> Response {
    let headers: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                serde_json::Value::String(v.to_str().unwrap_or("").to_string()),
            )
        })
        .collect();
    let doc = serde_json::json!({"method": method.as_str(), "headers": headers, "body": String::from_utf8_lossy(&body)});
    ([(header::CONTENT_TYPE, "application/json")], doc.to_string()).into_response()
}

/// A profile aimed at the test server, with a stand-in token.
pub fn test_target(engine: &Engine, server: &TestServer, token: &str) -> Target {
    let target = target_at(&server.base, &format!("test-{}", server.base.port().unwrap()));
    give_token(engine, &target, token);
    target
}

/// The stored body of an exchange, whole.
pub fn body_of(store: &ExchangeStore, id: u64) -> Vec<u8> {
    store.body(id).unwrap().read_all(u64::MAX).unwrap().to_vec()
}

pub fn json_of(store: &ExchangeStore, id: u64) -> serde_json::Value {
    serde_json::from_slice(&body_of(store, id)).expect("a JSON body")
}
