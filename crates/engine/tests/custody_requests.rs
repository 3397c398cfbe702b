//! Token custody in the request tester: the profile's token goes only to the profile's API
//! origin unless the user opts in for one request; requests leave over https or to this computer
//! only, after variables and at every redirect; page links stay on the API.

use crate::requests_support::*;
use engine::requests::{self as rq, RequestSpec};
use engine::EngineError;
use std::collections::HashMap;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "custody-token-7f3a9c";

/// The echo of another server (another port of 127.0.0.1 is another origin) for `spec`.
async fn send_elsewhere(spec: RequestSpec) -> (rq::ExchangeSummary, serde_json::Value) {
    let api = test_server().await;
    let capture = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &api, TOKEN);
    let store = rq::ExchangeStore::new();
    let spec = RequestSpec { url: capture.base.join(&spec.url).unwrap().to_string(), ..spec };
    let summary = rq::send(&engine, &target, &spec, &no_vars(), &store, &CancellationToken::new())
        .await
        .unwrap();
    let echo = json_of(&store, summary.id);
    (summary, echo)
}

#[tokio::test]
async fn another_origin_gets_no_token_and_the_exchange_says_so() {
    let (summary, echo) = send_elsewhere(RequestSpec::get("/echo")).await;
    assert!(
        echo["headers"].get("authorization").is_none(),
        "the other server received {}",
        echo["headers"]
    );
    assert!(!summary.sent_profile_token);
    let host = summary
        .token_withheld_from
        .clone()
        .expect("the summary names the host the token was held back from");
    assert!(host.starts_with("127.0.0.1:"), "{host}");
    assert!(
        summary.notes.iter().any(|n| n.contains("not your ScopeStack API") && n.contains(&host)),
        "{:?}",
        summary.notes
    );
}

#[tokio::test]
async fn the_token_goes_to_another_origin_only_when_asked_for_that_request() {
    let mut spec = RequestSpec::get("/echo");
    spec.send_token_to_other_host = true;
    let (summary, echo) = send_elsewhere(spec.clone()).await;
    assert_eq!(echo["headers"]["authorization"], format!("Bearer {TOKEN}"));
    assert!(summary.sent_profile_token && summary.token_withheld_from.is_none());
    // Nothing remembers the choice: it is not written with the request.
    let written = serde_json::to_string(&spec).unwrap();
    assert!(!written.contains("send_token_to_other_host"), "{written}");
    let read_back: RequestSpec = serde_json::from_str(&written).unwrap();
    assert!(!read_back.send_token_to_other_host);
}

#[tokio::test]
async fn the_same_origin_still_gets_the_token() {
    let api = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &api, TOKEN);
    let store = rq::ExchangeStore::new();
    let absolute = api.base.join("/echo").unwrap().to_string();
    let summary = rq::send(
        &engine,
        &target,
        &RequestSpec::get(&absolute),
        &no_vars(),
        &store,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(json_of(&store, summary.id)["headers"]["authorization"], format!("Bearer {TOKEN}"));
    assert_eq!(summary.token_withheld_from, None);
}

#[tokio::test]
async fn token_destination_tells_the_window_before_sending() {
    let api = url::Url::parse("https://api.scopestack.io").unwrap();
    let vars = HashMap::from([("host".to_string(), "https://collect.example".to_string())]);
    let d = rq::spec::token_destination(&RequestSpec::get("/v1/me"), &vars, &api).unwrap();
    assert!(d.sends_token && d.other_host.is_none());
    let d = rq::spec::token_destination(&RequestSpec::get("{host}/v1/me"), &vars, &api).unwrap();
    assert_eq!((d.sends_token, d.other_host.as_deref()), (false, Some("collect.example")));
    assert_eq!(
        d.resolved_url, "https://collect.example/v1/me",
        "the preview shows the variable filled"
    );
    let d = rq::spec::token_destination(&RequestSpec::get("{{host}}/v1/me?q=a b"), &vars, &api)
        .unwrap();
    assert_eq!(d.resolved_url, "https://collect.example/v1/me?q=a%20b", "{{name}} is filled too");
    let mut spec = RequestSpec::get("https://collect.example:8443/x");
    spec.send_token_to_other_host = true;
    let d = rq::spec::token_destination(&spec, &vars, &api).unwrap();
    assert_eq!((d.sends_token, d.other_host.as_deref()), (true, Some("collect.example:8443")));
}

#[tokio::test]
async fn a_variable_cannot_turn_a_request_into_plain_http_to_another_computer() {
    let api = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &api, TOKEN);
    let store = rq::ExchangeStore::new();
    let vars = HashMap::from([("u".to_string(), "http://evil.example".to_string())]);
    for spec in [RequestSpec::get("{u}/collect"), RequestSpec::get("http://192.0.2.1/collect")] {
        let err = rq::send(&engine, &target, &spec, &vars, &store, &CancellationToken::new())
            .await
            .unwrap_err();
        assert!(matches!(err, EngineError::InsecureDestination { .. }), "{err:?}");
        assert!(err.to_string().contains("https://"), "{err}");
    }
    assert_eq!(store.len(), 0, "nothing was sent, so nothing was kept");
}

#[tokio::test]
async fn a_redirect_to_plain_http_elsewhere_is_not_followed() {
    let api = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &api, TOKEN);
    let store = rq::ExchangeStore::new();
    let spec = RequestSpec::get("/to").with_query("url", "http://evil.example/collect");
    let summary = rq::send(&engine, &target, &spec, &no_vars(), &store, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(summary.status, 302, "the redirect's own answer is shown");
    assert!(summary.redirects.is_empty());
    assert!(
        summary.notes.iter().any(|n| n.contains("was not followed") && n.contains("plain http")),
        "{:?}",
        summary.notes
    );
}

#[tokio::test]
async fn page_links_are_followed_on_the_api_only() {
    let api = test_server().await;
    let capture = test_server().await;
    let engine = engine();
    let target = test_target(&engine, &api, TOKEN);
    let store = rq::ExchangeStore::new();
    let mut next = RequestSpec::get(capture.base.join("/echo?page=2").unwrap().as_str());
    next.page_link = true;
    let err = rq::send(&engine, &target, &next, &no_vars(), &store, &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("paging follows links on the API only"), "{err}");
    next.url = api.base.join("/echo?page=2").unwrap().to_string();
    let summary = rq::send(&engine, &target, &next, &no_vars(), &store, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(json_of(&store, summary.id)["headers"]["authorization"], format!("Bearer {TOKEN}"));
}
