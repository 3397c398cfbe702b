//! The request history keeps no token and no secret: real exchanges with the sandbox, carrying
//! secrets in every place a request can, are recorded in the data directory, and the file is
//! searched for each secret. In a process of its own, as it sets SCOPESTACK_COMPANION_HOME.

use crate::requests_support::*;
use engine::requests::{self as rq, History, HistoryEntry, RequestSpec};

const COOKIE: &str = "session=cookie-value-77f1";
const API_KEY: &str = "api-key-value-5b2c";
const QUERY_TOKEN: &str = "query-token-value-0d9e";
const PASSWORD: &str = "body-password-value-31aa";
const CLIENT_SECRET: &str = "body-client-secret-8c4d";
const NESTED: &str = "nested-refresh-token-e6f0";
const OWN_BEARER: &str = "users-own-bearer-token-4411";

#[tokio::test]
async fn no_token_or_secret_reaches_the_history_file() {
    if !crate::one_process::in_a_process_of_its_own(
        "requests_history::no_token_or_secret_reaches_the_history_file",
    ) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    std::env::set_var(engine::paths::HOME_ENV, home.path());
    let s = SandboxSession::start().await;
    let token = s.token();
    let history = History::open_default().unwrap();
    let profile = &s.target.profile.id;

    let body = format!(
        "{{\"data\":{{\"type\":\"clients\",\"attributes\":{{\"name\":\"Secretive Co\",\"password\":\"{PASSWORD}\",\"client_secret\":\"{CLIENT_SECRET}\",\"extra\":{{\"refresh_token\":\"{NESTED}\"}},\"note\":\"{token}\"}}}}}}"
    );
    let spec = RequestSpec::new(
        "POST",
        &format!("{{account-slug}}/v1/clients?access_token={QUERY_TOKEN}"),
    )
    .with_query("api_key", API_KEY)
    .with_header("Cookie", COOKIE)
    .with_header("X-Api-Key", API_KEY)
    .with_header("X-Trace", &format!("carrying {token} along"))
    .with_body(body);
    let summary =
        rq::send(&s.engine, &s.target, &spec, &slug_vars(), &s.store, &s.cancel).await.unwrap();
    history.record(profile, HistoryEntry::from_exchange(&spec, &summary)).unwrap();

    let own =
        RequestSpec::get("/v1/me").with_header("Authorization", &format!("Bearer {OWN_BEARER}"));
    let summary =
        rq::send(&s.engine, &s.target, &own, &slug_vars(), &s.store, &s.cancel).await.unwrap();
    assert_eq!(summary.status, 401);
    history.record(profile, HistoryEntry::from_exchange(&own, &summary)).unwrap();

    // A failure whose message carries the URL, secrets and all.
    let mut failing = spec.clone();
    failing.url = format!("http://127.0.0.1:9/v1/x?access_token={QUERY_TOKEN}&password={PASSWORD}");
    let err = rq::send(&s.engine, &s.target, &failing, &slug_vars(), &s.store, &s.cancel)
        .await
        .unwrap_err();
    history.record(profile, HistoryEntry::from_failure(&failing, &err)).unwrap();

    let path = home.path().join("data").join("history").join(format!("{}.json", profile.as_str()));
    assert_eq!(history.path(profile), path);
    let text = std::fs::read_to_string(&path).expect("the history file is in the data directory");
    for secret in [
        token.as_str(),
        COOKIE,
        "cookie-value-77f1",
        API_KEY,
        QUERY_TOKEN,
        PASSWORD,
        CLIENT_SECRET,
        NESTED,
        OWN_BEARER,
    ] {
        assert!(!text.contains(secret), "{secret} reached the history file:\n{text}");
    }
    // The rest of the request is there to re-run.
    assert!(
        text.contains("Secretive Co")
            && text.contains("{account-slug}/v1/clients")
            && text.contains("[redacted]")
    );

    let entries = history.list(profile).unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries[0].error.as_deref().is_some_and(|e| e.contains("127.0.0.1:9")));
    let first = &entries[2];
    assert_eq!(first.status, Some(400), "the sandbox refuses attributes it does not know");
    for what in [
        "header Cookie",
        "header X-Api-Key",
        "header X-Trace",
        "query api_key",
        "body field password",
        "body field client_secret",
        "URL secrets",
    ] {
        assert!(first.redacted.iter().any(|r| r == what), "{what} in {:?}", first.redacted);
    }
    let again = first.to_spec();
    assert_eq!(again.method, "POST");
    assert!(
        again.header("cookie").is_none() && again.header("x-api-key").is_none(),
        "redacted headers are left out of a re-run"
    );
    assert!(again.header("x-trace").is_none(), "a header with a token in it is left out too");
    assert!(first.redacted.iter().any(|r| r == "header X-Trace"));
    let body: serde_json::Value = serde_json::from_slice(again.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["data"]["attributes"]["name"], "Secretive Co");
    assert_eq!(body["data"]["attributes"]["password"], "[redacted]");
    let rerun =
        rq::send(&s.engine, &s.target, &again, &slug_vars(), &s.store, &s.cancel).await.unwrap();
    assert_eq!(rerun.status, 400, "the sandbox refuses the attributes it does not know, as before");

    history.clear(profile).unwrap();
    assert!(!path.exists());
    assert!(history.list(profile).unwrap().is_empty());
}
