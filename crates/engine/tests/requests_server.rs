//! The request tester against a tiny test server, for what the sandbox cannot do: 5xx bodies,
//! binary and Latin-1 bodies, slow servers, cancelling mid-headers and mid-body, redirects.

use crate::requests_support::*;
use engine::error::NetworkFailure;
use engine::requests::{self as rq, BodyKind, RequestSpec};
use engine::EngineError;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "stand-in-token-for-the-test-server-0123456789";

/// The body files in a store's temporary folder (its hidden in-use marker aside).
fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| d.flatten().filter(|e| !e.file_name().to_string_lossy().starts_with('.')).count())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_server_error_keeps_its_body() {
    let server = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &server, TOKEN);
    let store = rq::ExchangeStore::new();
    let r = rq::send(
        &engine,
        &target,
        &RequestSpec::get("/status/500"),
        &no_vars(),
        &store,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 500);
    assert!(
        r.status_text.starts_with("500 Internal Server Error — the server failed"),
        "{}",
        r.status_text
    );
    assert!(r.is_json_api && r.body_kind == BodyKind::Json);
    assert_eq!(
        json_of(&store, r.id)["errors"][0]["detail"],
        "Something broke on our side (request id 1234)."
    );
    let r = rq::send(
        &engine,
        &target,
        &RequestSpec::get("/status/503"),
        &no_vars(),
        &store,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert!(r.status_text.contains("try again later"));
}

#[tokio::test]
async fn binary_and_latin1_bodies_are_binary() {
    let server = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &server, TOKEN);
    let store = rq::ExchangeStore::new();
    let cancel = CancellationToken::new();
    let r = rq::send(&engine, &target, &RequestSpec::get("/binary"), &no_vars(), &store, &cancel)
        .await
        .unwrap();
    assert_eq!(r.body_kind, BodyKind::Binary);
    assert_eq!(store.read_chunk(r.id, 0, 1 << 20).unwrap(), binary_bytes());
    assert_eq!(store.read_chunk(r.id, 250, 10).unwrap(), binary_bytes()[250..260]);
    let r = rq::send(&engine, &target, &RequestSpec::get("/latin1"), &no_vars(), &store, &cancel)
        .await
        .unwrap();
    assert_eq!(r.body_kind, BodyKind::Binary, "not UTF-8, whatever the type says");
    assert_eq!(body_of(&store, r.id), LATIN1);
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("latin1.txt");
    assert_eq!(store.save_to(r.id, &saved).unwrap(), LATIN1.len() as u64);
    assert_eq!(std::fs::read(&saved).unwrap(), LATIN1);
}

#[tokio::test]
async fn the_token_and_defaults_reach_the_server() {
    let server = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &server, TOKEN);
    let store = rq::ExchangeStore::new();
    let spec = RequestSpec::new("PATCH", "/echo")
        .with_body("{\"data\":{}}")
        .with_header("X-Custom", "{{note}}");
    let vars = std::collections::HashMap::from([("note".to_string(), "expanded".to_string())]);
    let r =
        rq::send(&engine, &target, &spec, &vars, &store, &CancellationToken::new()).await.unwrap();
    let echo = json_of(&store, r.id);
    assert_eq!(echo["method"], "PATCH");
    assert_eq!(echo["headers"]["authorization"], format!("Bearer {TOKEN}"));
    assert_eq!(echo["headers"]["accept"], "application/vnd.api+json");
    assert_eq!(echo["headers"]["content-type"], "application/vnd.api+json");
    assert_eq!(echo["headers"]["accept-encoding"], "gzip, br");
    assert_eq!(echo["headers"]["x-custom"], "expanded");
    assert_eq!(echo["body"], "{\"data\":{}}");
    let mut spec = RequestSpec::get("/echo");
    spec.auth = false;
    let r =
        rq::send(&engine, &target, &spec, &vars, &store, &CancellationToken::new()).await.unwrap();
    assert!(json_of(&store, r.id)["headers"].get("authorization").is_none());
}

#[tokio::test]
async fn a_slow_server_times_out_or_is_cancelled_while_waiting_for_headers() {
    let server = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &server, TOKEN);
    let store = rq::ExchangeStore::new();

    let mut spec = RequestSpec::get("/slow-headers");
    spec.timeout_ms = Some(400);
    let started = Instant::now();
    let err = rq::send(&engine, &target, &spec, &no_vars(), &store, &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::Network { failure: NetworkFailure::Timeout, .. }), "{err}");
    assert!(err.to_string().contains("400 ms"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));

    let cancel = CancellationToken::new();
    let later = cancel.clone();
    let started = Instant::now();
    let (spec, vars) = (RequestSpec::get("/slow-headers"), no_vars());
    let (result, _) =
        tokio::join!(rq::send(&engine, &target, &spec, &vars, &store, &cancel), async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            later.cancel();
        });
    assert!(matches!(result, Err(EngineError::Cancelled)));
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(store.is_empty());
}

/// Sends `/slow-body` and stops it (cancel, or the spec's timeout) once its temporary file
/// exists; checks that the file is gone afterwards.
async fn stop_mid_body(spec: RequestSpec, cancel_when_file_appears: bool) -> EngineError {
    let server = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &server, TOKEN);
    let store = rq::ExchangeStore::new();
    let cancel = CancellationToken::new();
    let mut seen_file = false;
    let vars = no_vars();
    let (result, _) =
        tokio::join!(rq::send(&engine, &target, &spec, &vars, &store, &cancel), async {
            for _ in 0..1000 {
                if let Some(dir) = store.temp_dir() {
                    if files_in(&dir) == 1 {
                        seen_file = true;
                        if cancel_when_file_appears {
                            cancel.cancel();
                        }
                        return;
                    }
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
    assert!(seen_file, "the body went to a temporary file before it was stopped");
    let dir = store.temp_dir().expect("a temporary directory was made");
    assert_eq!(files_in(&dir), 0, "the partial temporary file is removed");
    assert!(store.is_empty());
    result.unwrap_err()
}

#[tokio::test]
async fn cancelling_mid_body_removes_the_temporary_file() {
    let err = stop_mid_body(RequestSpec::get("/slow-body"), true).await;
    assert!(matches!(err, EngineError::Cancelled), "{err}");
}

#[tokio::test]
async fn a_total_timeout_mid_body_removes_the_temporary_file() {
    let mut spec = RequestSpec::get("/slow-body");
    spec.timeout_ms = Some(1500);
    let err = stop_mid_body(spec, false).await;
    assert!(matches!(err, EngineError::Network { failure: NetworkFailure::Timeout, .. }), "{err}");
}

#[tokio::test]
async fn redirects_are_followed_and_recorded_or_returned() {
    let server = test_server().await;
    let other = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &server, TOKEN);
    let store = rq::ExchangeStore::new();
    let cancel = CancellationToken::new();

    let r =
        rq::send(&engine, &target, &RequestSpec::get("/redirect/3"), &no_vars(), &store, &cancel)
            .await
            .unwrap();
    assert_eq!(r.status, 200);
    let hops: Vec<(u16, &str)> =
        r.redirects.iter().map(|h| (h.status, h.location.as_str())).collect();
    let at = |p: &str| server.base.join(p).unwrap().to_string();
    assert_eq!(
        hops,
        vec![
            (302, at("/redirect/2").as_str()),
            (302, at("/redirect/1").as_str()),
            (302, at("/echo").as_str())
        ]
    );
    assert_eq!(r.final_url, at("/echo"));
    assert_eq!(
        json_of(&store, r.id)["headers"]["authorization"],
        format!("Bearer {TOKEN}"),
        "same server: the token goes along"
    );

    let mut spec = RequestSpec::get("/redirect/3");
    spec.follow_redirects = false;
    let r = rq::send(&engine, &target, &spec, &no_vars(), &store, &cancel).await.unwrap();
    assert_eq!(r.status, 302);
    assert!(r.redirects.is_empty());
    assert_eq!(r.header("location"), Some("/redirect/2"));

    // Another server: the token stays behind.
    let elsewhere = other.base.join("/echo").unwrap();
    let spec = RequestSpec::get("/to").with_query("url", elsewhere.as_str());
    let r = rq::send(&engine, &target, &spec, &no_vars(), &store, &cancel).await.unwrap();
    assert_eq!(r.final_url, elsewhere.to_string());
    assert!(json_of(&store, r.id)["headers"].get("authorization").is_none());
    assert!(r.notes.iter().any(|n| n.contains("were not sent there")), "{:?}", r.notes);

    // 303 turns a POST into a GET without its body; 307 keeps both.
    let spec = RequestSpec::new("POST", "/to")
        .with_query("url", "/echo")
        .with_query("code", "303")
        .with_body("{}");
    let r = rq::send(&engine, &target, &spec, &no_vars(), &store, &cancel).await.unwrap();
    assert_eq!(json_of(&store, r.id)["method"], "GET");
    let spec = RequestSpec::new("POST", "/to")
        .with_query("url", "/echo")
        .with_query("code", "307")
        .with_body("{}");
    let r = rq::send(&engine, &target, &spec, &no_vars(), &store, &cancel).await.unwrap();
    let echo = json_of(&store, r.id);
    assert_eq!((echo["method"].as_str(), echo["body"].as_str()), (Some("POST"), Some("{}")));

    // A loop stops after ten hops.
    let looped = server.base.join("/to?url=/redirect/20").unwrap();
    let r =
        rq::send(&engine, &target, &RequestSpec::get(looped.as_str()), &no_vars(), &store, &cancel)
            .await
            .unwrap();
    assert_eq!((r.status, r.redirects.len()), (302, 10));
    assert!(r.notes.iter().any(|n| n.contains("Stopped after 10 redirects")));
}

#[tokio::test]
async fn nothing_listening_is_a_plain_network_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let engine = engine();
    let base = url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let target = target_at(&base, "closed");
    give_token(&engine, &target, TOKEN);
    let err = rq::send(
        &engine,
        &target,
        &RequestSpec::get("/v1/me"),
        &no_vars(),
        &rq::ExchangeStore::new(),
        &CancellationToken::new(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, EngineError::Network { failure: NetworkFailure::Connect, .. }), "{err}");
    assert!(err.to_string().contains("refused"), "{err}");
}
