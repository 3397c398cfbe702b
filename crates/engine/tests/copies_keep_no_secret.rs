//! Every copy the engine writes follows one set of redaction rules: requests whose secrets sit where only some of the old rules
//! looked — a form body, a text/plain body, an XML body, a URL fragment, a failure message quoting an expanded URL — leave none of
//! their markers in the history file, the saved-requests file, or a support bundle (made from new entries and from entries an
//! older version wrote unredacted).

use crate::requests_support::*;
use engine::diagnose::{diagnose_error, Context};
use engine::interop::support_bundle::{self, AppInfo, BundleInput, SecretsPresent};
use engine::redact::UNREADABLE_BODY_NOTE;
use engine::requests::{
    self as rq, History, HistoryEntry, NewSavedRequest, RequestSpec, SavedRequests,
};
use engine::session::{Engine, Target};
use std::collections::HashMap;

/// One marker per place; none holds a secret-looking word nor looks like a token, so only the rules for its place can remove it.
const FORM_MARKER: &str = "Qm1Ax7Form";
const TEXT_MARKER: &str = "Qm2Bx7Text";
const XML_MARKER: &str = "Qm3Cx7Xml";
const FRAGMENT_MARKER: &str = "Qm4Dx7Frag";
const MESSAGE_MARKER: &str = "Qm5Ex7Msg";
const MARKERS: [&str; 5] = [FORM_MARKER, TEXT_MARKER, XML_MARKER, FRAGMENT_MARKER, MESSAGE_MARKER];

const STAND_IN_TOKEN: &str = "stand-in-token-for-the-copies-test";

fn assert_no_marker(what: &str, text: &str) {
    for marker in MARKERS {
        for form in [marker.to_string(), marker.to_ascii_lowercase()] {
            assert!(!text.contains(&form), "{form} is in the {what}:\n{text}");
        }
    }
}

/// The requests with markers in their bodies and URL, sent to the test server's echo.
fn marked_requests(base: &url::Url) -> Vec<RequestSpec> {
    let echo = base.join("echo").unwrap().to_string();
    vec![
        RequestSpec::new("POST", &echo)
            .with_header("Content-Type", "application/x-www-form-urlencoded")
            .with_body(format!("username=avery&password={FORM_MARKER}")),
        RequestSpec::new("POST", &echo)
            .with_header("Content-Type", "text/plain")
            .with_body(format!("secret: {TEXT_MARKER}")),
        RequestSpec::new("PUT", &echo).with_header("Content-Type", "application/xml").with_body(
            format!("<login><user>avery</user><password>{XML_MARKER}</password></login>"),
        ),
        RequestSpec::get(&format!("{echo}#access_token={FRAGMENT_MARKER}&token_type=bearer")),
    ]
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Sends the marked requests and a request that fails (its URL's `{tok}` expanded to a marker only the message shows), and
/// returns their history entries as the app makes them.
async fn marked_entries(
    engine: &Engine,
    target: &Target,
    server: &TestServer,
) -> Vec<HistoryEntry> {
    let store = rq::ExchangeStore::new();
    let cancel = tokio_util::sync::CancellationToken::new();
    let mut entries = Vec::new();
    for spec in marked_requests(&server.base) {
        let summary = rq::send(engine, target, &spec, &no_vars(), &store, &cancel)
            .await
            .expect("the echo answers");
        assert_eq!(summary.status, 200);
        entries.push(HistoryEntry::from_exchange(&spec, &summary));
    }
    let failing =
        RequestSpec::get(&format!("http://127.0.0.1:{}/v1/projects?token={{tok}}", closed_port()));
    let vars: HashMap<String, String> = [("tok".to_string(), MESSAGE_MARKER.to_string())].into();
    let err = rq::send(engine, target, &failing, &vars, &store, &cancel)
        .await
        .expect_err("nothing listens there");
    assert!(err.to_string().contains(MESSAGE_MARKER), "the message quotes the URL as sent: {err}");
    let diagnosis = diagnose_error(&err, &Context::for_target(target));
    entries.push(HistoryEntry::from_failure(&failing, &err).with_diagnosis(Some(&diagnosis)));
    entries
}

#[tokio::test]
async fn the_history_file_holds_no_marker() {
    let server = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &server, STAND_IN_TOKEN);
    let temp = tempfile::tempdir().unwrap();
    let history = History::in_dir(temp.path().join("history"));
    for entry in marked_entries(&engine, &target, &server).await {
        history.record(&target.profile.id, entry).unwrap();
    }

    let text = std::fs::read_to_string(history.path(&target.profile.id)).unwrap();
    assert_no_marker("history file", &text);
    assert!(!text.contains(STAND_IN_TOKEN));
    let entries = history.list(&target.profile.id).unwrap();
    let [failed, fragment, xml, plain, form] = entries.as_slice() else {
        panic!("5 entries: {entries:?}")
    };
    assert_eq!(
        form.body.as_deref(),
        Some("username=avery&password=[redacted]"),
        "a form keeps its other fields"
    );
    assert!(form.redacted.contains(&"body field password".to_string()), "{:?}", form.redacted);
    for entry in [plain, xml] {
        assert_eq!(
            (entry.body.as_deref(), entry.body_note.as_deref()),
            (None, Some(UNREADABLE_BODY_NOTE))
        );
        assert!(entry.redacted.contains(&"body".to_string()), "{:?}", entry.redacted);
    }
    assert!(
        fragment.url.ends_with("#access_token=[redacted]&token_type=bearer"),
        "{}",
        fragment.url
    );
    let error = failed.error.as_deref().unwrap();
    assert!(
        error.contains("/v1/projects?token=[redacted]"),
        "the message keeps its shape: {error}"
    );
    assert!(failed
        .diagnosis
        .as_ref()
        .is_some_and(|d| d.details.as_deref().is_some_and(|t| t.contains("127.0.0.1"))));
}

#[test]
fn the_saved_requests_file_holds_no_marker() {
    let temp = tempfile::tempdir().unwrap();
    let saved = SavedRequests::in_dir(temp.path());
    let profile = engine::ProfileId::new("copies");
    let mut specs = marked_requests(&url::Url::parse("https://api.test/").unwrap());
    specs.push(RequestSpec::get(&format!("https://api.test/v1/projects?token={MESSAGE_MARKER}")));
    let new = specs
        .into_iter()
        .enumerate()
        .map(|(n, spec)| NewSavedRequest { name: format!("request {n}"), folder: Vec::new(), spec })
        .collect();
    let kept = saved.add(&profile, new).unwrap();

    let text = std::fs::read_to_string(saved.path(&profile)).unwrap();
    assert_no_marker("saved-requests file", &text);
    assert_eq!(
        kept[0].spec.body.as_deref(),
        Some(b"username=avery&password=[redacted]".as_slice())
    );
    for request in &kept[1..3] {
        assert!(
            request.spec.body.is_none() && request.redacted.contains(&"body".to_string()),
            "{request:?}"
        );
    }
    assert!(
        kept[3].spec.url.ends_with("#access_token=[redacted]&token_type=bearer"),
        "{}",
        kept[3].spec.url
    );
}

/// An entry as an older version wrote it: markers in every place, nothing redacted.
fn unredacted_entry() -> HistoryEntry {
    let entry = serde_json::json!({
        "id": "old-1",
        "at_unix_ms": 1,
        "method": "POST",
        "url": format!("https://api.test/v1/login#access_token={FRAGMENT_MARKER}"),
        "headers": [["Content-Type", "text/plain"]],
        "body": format!("secret: {TEXT_MARKER}\nand <password>{XML_MARKER}</password> and password={FORM_MARKER}"),
        "follow_redirects": true,
        "auth": true,
        "sent_url": format!("https://api.test/v1/login#access_token={FRAGMENT_MARKER}"),
        "status": null,
        "status_text": null,
        "error": format!("Could not reach http://127.0.0.1:9/v1/x?token={MESSAGE_MARKER}: connection refused"),
        "timings": null,
        "sizes": null,
        "diagnosis": {"code": "net.connection_refused", "title": "Nothing answered", "details": format!("GET http://127.0.0.1:9/v1/x?token={MESSAGE_MARKER}#access_token={FRAGMENT_MARKER}")}
    });
    serde_json::from_value(entry).expect("an old entry")
}

#[tokio::test]
async fn a_support_bundle_holds_no_marker() {
    let server = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &server, STAND_IN_TOKEN);
    let mut history = marked_entries(&engine, &target, &server).await;
    history.push(unredacted_entry());
    let input = BundleInput {
        profile: target.profile.clone(),
        history,
        known_secrets: vec![STAND_IN_TOKEN.to_string()],
        secrets: SecretsPresent {
            access_token: true,
            vault: "session_only".into(),
            ..SecretsPresent::default()
        },
        app: AppInfo { name: "ScopeStack Companion".into(), version: "test".into() },
        now_unix_ms: 0,
    };
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("bundle.json");
    assert_eq!(support_bundle::write(input, &path).unwrap(), 6);

    let text = std::fs::read_to_string(&path).unwrap();
    assert_no_marker("support bundle", &text);
    let bundle: serde_json::Value = serde_json::from_str(&text).unwrap();
    let old = &bundle["exchanges"][5];
    assert!(old["body"].is_null() && old["body_note"] == UNREADABLE_BODY_NOTE, "{old}");
    assert!(old["error"].as_str().unwrap().contains("/v1/x?token=[redacted]"), "{old}");
}
