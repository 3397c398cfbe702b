//! The body viewer's documents against the sandbox: a large JSON:API answer (on disk) is
//! pretty-printed into a line-indexed text that reads like serde_json's pretty output, is
//! searched whole, and the JSON:API view of it is cut to what a table can show; a body that
//! is not JSON says where it stops being JSON and is still readable raw.

use crate::requests_support::*;
use engine::requests::jsonapi::{self, MAX_VIEW_RESOURCES};
use engine::requests::textview::MAX_LINE_BYTES;
use engine::requests::{self as rq, RequestSpec, TextMode, TextViews};
use engine::EngineError;

#[tokio::test]
async fn a_large_json_api_body_reads_pretty_by_lines_and_is_searched_whole() {
    let s = SandboxSession::start().await;
    let spec = RequestSpec::get("{account-slug}/v1/sample-records").with_query("bytes", "6000000");
    let summary =
        rq::send(&s.engine, &s.target, &spec, &slug_vars(), &s.store, &s.cancel).await.unwrap();
    assert_eq!(summary.status, 200);
    assert!(summary.stored_on_disk, "6 MB goes to a temporary file");
    let doc = json_of(&s.store, summary.id);
    let records = doc["data"].as_array().unwrap().len();
    let expected = serde_json::to_string_pretty(&doc).unwrap();
    let expected: Vec<&str> = expected.lines().collect();

    let views = TextViews::new();
    let pretty = views.open(&s.store, summary.id, TextMode::Pretty).unwrap();
    assert_eq!(pretty.line_count(), expected.len() as u64);
    for first in [0u64, 1, 777, expected.len() as u64 / 2, expected.len() as u64 - 4] {
        let got = pretty.lines(first, 4).unwrap();
        let want: Vec<String> =
            expected.iter().skip(first as usize).take(4).map(|l| l.to_string()).collect();
        assert_eq!(got, want, "lines from {first}");
    }
    assert!(
        std::sync::Arc::ptr_eq(
            &pretty,
            &views.open(&s.store, summary.id, TextMode::Pretty).unwrap()
        ),
        "made once, then kept"
    );

    let gamma = doc["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["attributes"]["category"] == "gamma")
        .count() as u64;
    let found = pretty.search("\"GAMMA\"", false).unwrap();
    assert_eq!(found.total, gamma);
    let last = pretty.match_at("\"GAMMA\"", false, gamma - 1).unwrap().unwrap();
    assert!(pretty.lines(last.line, 1).unwrap()[0].contains("\"category\": \"gamma\""));

    // The raw body is one line of 6 MB: it reads in pieces no longer than a view can lay out.
    let raw = views.open(&s.store, summary.id, TextMode::Raw).unwrap();
    let pieces = raw.lines(0, raw.line_count()).unwrap();
    assert!(pieces.iter().all(|p| p.len() <= MAX_LINE_BYTES + 3));
    assert_eq!(raw.line_count(), pieces.len() as u64);

    let view = jsonapi::view_stored(&s.store, summary.id).await.unwrap();
    assert_eq!(view.total_resources, records);
    assert_eq!(
        view.resources.len(),
        MAX_VIEW_RESOURCES.min(records),
        "the table gets only the first resources"
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_says_where_and_reads_raw() {
    let s = SandboxSession::start().await;
    let server = test_server().await;
    let target = test_target(&s.engine, &server, "token-for-the-test-server");
    // A 500 of the test server is JSON; its /latin1 text is not.
    let summary =
        rq::send(&s.engine, &target, &RequestSpec::get("latin1"), &no_vars(), &s.store, &s.cancel)
            .await
            .unwrap();
    let views = TextViews::new();
    let err = views.open(&s.store, summary.id, TextMode::Pretty).err().expect("not JSON");
    assert!(
        matches!(&err, EngineError::MissingInput(m) if m.contains("not valid JSON at byte 0") && m.contains("shown as it came")),
        "{err}"
    );
    let raw = views.open(&s.store, summary.id, TextMode::Raw).unwrap();
    assert_eq!(
        raw.lines(0, 1).unwrap(),
        vec!["caf\u{FFFD} cr\u{FFFD}me".to_string()],
        "bytes that are not UTF-8 show as U+FFFD"
    );
}

#[tokio::test]
async fn making_a_text_counts_the_body_read_and_stops_when_cancelled() {
    let s = SandboxSession::start().await;
    let spec = RequestSpec::get("{account-slug}/v1/sample-records").with_query("bytes", "3000000");
    let summary =
        rq::send(&s.engine, &s.target, &spec, &slug_vars(), &s.store, &s.cancel).await.unwrap();
    let body_len = s.store.body(summary.id).unwrap().len();
    for mode in [TextMode::Pretty, TextMode::Raw] {
        // Counted: every byte of the body is read once, and the count ends at the body's length.
        let views = TextViews::new();
        let making = rq::textview::Making::default();
        views.open_watched(&s.store, summary.id, mode, &making).unwrap();
        let done = making.done.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(done, body_len, "{mode:?}: the whole body counted");

        // Cancelled before it starts: nothing is made or kept, and the error says cancelled.
        let views = TextViews::new();
        let making = rq::textview::Making::default();
        making.cancel();
        let result = views.open_watched(&s.store, summary.id, mode, &making);
        assert!(matches!(result, Err(EngineError::Cancelled)), "{mode:?}: not cancelled");
        assert!(views.get(summary.id, mode).is_none(), "{mode:?}: a cancelled text is not kept");
        // Asked again without a cancel, it is made.
        assert!(views.open(&s.store, summary.id, mode).is_ok(), "{mode:?}");
    }
}
