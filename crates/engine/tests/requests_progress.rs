//! A request's progress while it runs, against a local server that sends a large body slowly:
//! updates arrive while the body comes, only grow, know the Content-Length when the server sent
//! one, and end with the whole body's size.

use crate::requests_support::{engine, give_token, no_vars, target_at};
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use engine::requests::progress::{self, SendProgress};
use engine::requests::{self as rq, RequestSpec};
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use url::Url;

const CHUNK: usize = 64 * 1024;
const CHUNKS: usize = 40;
const BODY: u64 = (CHUNK * CHUNKS) as u64;
/// Between two chunks: the body takes about 1.2 s.
const PAUSE: Duration = Duration::from_millis(30);

/// `/sized` announces its length, `/chunked` does not; both send [`BODY`] bytes slowly.
struct SlowServer {
    base: Url,
    task: JoinHandle<()>,
}

impl Drop for SlowServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn slow_body() -> Body {
    let chunks = futures_util::stream::unfold(0, |n| async move {
        if n == CHUNKS {
            return None;
        }
        tokio::time::sleep(PAUSE).await;
        Some((Ok::<Bytes, std::io::Error>(Bytes::from(vec![b'x'; CHUNK])), n + 1))
    });
    Body::from_stream(chunks)
}

async fn slow_server() -> SlowServer {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let app = Router::new()
        .route(
            "/sized",
            get(|| async {
                Response::builder()
                    .header(header::CONTENT_TYPE, "text/plain")
                    .header(header::CONTENT_LENGTH, BODY)
                    .body(slow_body())
                    .unwrap()
            }),
        )
        .route(
            "/chunked",
            get(|| async {
                Response::builder()
                    .header(header::CONTENT_TYPE, "text/plain")
                    .body(slow_body())
                    .unwrap()
            }),
        );
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    SlowServer { base, task }
}

/// Sends `path` with a progress channel; returns the summary and every update seen.
async fn send_watching(path: &str) -> (rq::ExchangeSummary, Vec<SendProgress>) {
    let server = slow_server().await;
    let engine = engine();
    let target = target_at(&server.base, "progress");
    give_token(&engine, &target, "stand-in-token-for-the-progress-test-0123");
    let store = rq::ExchangeStore::new();
    let (tx, mut rx) = progress::channel();
    let watcher = tokio::spawn(async move {
        let mut seen = Vec::new();
        while rx.changed().await.is_ok() {
            seen.push(*rx.borrow_and_update());
        }
        seen
    });
    let summary = rq::send_with_progress(
        &engine,
        &target,
        &RequestSpec::get(path),
        &no_vars(),
        &store,
        &CancellationToken::new(),
        &tx,
    )
    .await
    .unwrap();
    drop(tx);
    (summary, watcher.await.unwrap())
}

fn check_growth(seen: &[SendProgress]) {
    for pair in seen.windows(2) {
        assert!(pair[1].received >= pair[0].received, "{pair:?}");
        assert!(pair[1].elapsed_ms >= pair[0].elapsed_ms, "{pair:?}");
        assert!(pair[1].first_byte >= pair[0].first_byte, "{pair:?}");
    }
}

#[tokio::test]
async fn progress_grows_while_the_body_comes_and_ends_at_its_size() {
    let (summary, seen) = send_watching("/sized").await;
    assert_eq!(summary.status, 200);
    assert_eq!(summary.sizes.decoded, BODY);
    check_growth(&seen);
    let last = *seen.last().expect("updates");
    assert!(last.done && last.first_byte);
    assert_eq!(last.received, BODY);
    assert_eq!(last.content_length, Some(BODY));
    assert!(last.elapsed_ms >= (PAUSE * CHUNKS as u32).as_millis() as u64 / 2, "{last:?}");
    // Updates came while the body was still coming, and knew its length.
    let midway: Vec<_> = seen.iter().filter(|p| p.received > 0 && p.received < BODY).collect();
    assert!(midway.len() >= 3, "{seen:?}");
    assert!(midway.iter().all(|p| p.first_byte && !p.done && p.content_length == Some(BODY)));
    // About ten a second (the body takes about 1.2 s), not one per chunk.
    assert!(seen.len() < CHUNKS, "{} updates: {seen:?}", seen.len());
    assert_eq!(seen.iter().filter(|p| p.done).count(), 1);
}

#[tokio::test]
async fn without_a_content_length_the_progress_says_so() {
    let (summary, seen) = send_watching("/chunked").await;
    assert_eq!(summary.sizes.decoded, BODY);
    check_growth(&seen);
    assert!(seen.iter().all(|p| p.content_length.is_none()), "{seen:?}");
    let last = seen.last().unwrap();
    assert!(last.done && last.received == BODY);
}

#[tokio::test]
async fn one_channel_serves_requests_one_after_the_other() {
    let server = slow_server().await;
    let engine = engine();
    let target = target_at(&server.base, "progress-again");
    give_token(&engine, &target, "stand-in-token-for-the-progress-test-0123");
    let store = rq::ExchangeStore::new();
    let (tx, rx) = progress::channel();
    let cancel = CancellationToken::new();
    for path in ["/sized", "/chunked"] {
        let spec = RequestSpec::get(path);
        rq::send_with_progress(&engine, &target, &spec, &no_vars(), &store, &cancel, &tx)
            .await
            .unwrap();
        let last = *rx.borrow();
        assert!(last.done && last.received == BODY, "{path}: {last:?}");
        assert_eq!(last.content_length.is_some(), path == "/sized");
    }
}
