//! The support bundle's promise: with every secret of a session set to a known marker — client
//! secrets, passwords, access and refresh tokens (a marked sandbox issues them), and
//! token-looking values in the headers, query and body of requests — every method is run,
//! requests are sent and recorded as the app records them, bundles are exported, and the marker
//! is found nowhere in them: not as it is, nor URL-encoded, nor base64-encoded at any alignment.
//! Opening a bundle recreates the profile and its exchanges.

use crate::common::*;
use base64::Engine as _;
use engine::diagnose::{diagnose_error, diagnose_response, Context};
use engine::interop::support_bundle;
use engine::profiles::{Method, ProfileStore};
use engine::requests::{self, ExchangeStore, History, HistoryEntry, RequestSpec};
use engine::session::{Credentials, Engine, Target};
use engine::vault::SecretKind;
use engine::Secret;
use sandbox::{Sandbox, SandboxConfig};
use std::collections::HashMap;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const MARKER: &str = "Qz7MarkerXk41";

/// Every way the marker could be written into a text file.
fn marker_forms() -> Vec<(String, String)> {
    let mut forms = vec![("as it is".to_string(), MARKER.to_string())];
    forms.push((
        "URL-encoded".into(),
        url::form_urlencoded::byte_serialize(MARKER.as_bytes()).collect(),
    ));
    forms.push(("lowercase".into(), MARKER.to_ascii_lowercase()));
    for (name, engine) in [
        ("base64", &base64::engine::general_purpose::STANDARD),
        ("base64url", &base64::engine::general_purpose::URL_SAFE_NO_PAD),
    ] {
        for k in 0..3usize {
            let mut bytes = vec![b'x'; k];
            bytes.extend_from_slice(MARKER.as_bytes());
            let encoded = engine.encode(&bytes);
            // The characters whose 6 bits all come from the marker's bytes.
            let start = (k * 8).div_ceil(6);
            let end = (bytes.len() * 8) / 6;
            forms.push((format!("{name} at offset {k}"), encoded[start..end].to_string()));
        }
    }
    forms
}

fn client_secret(sb: &Sandbox, client_id: &str) -> String {
    sb.demo()
        .clients
        .into_iter()
        .find(|c| c.client_id == client_id)
        .expect("a demo client")
        .client_secret
}

fn password(sb: &Sandbox, email: &str) -> String {
    sb.demo().users.into_iter().find(|u| u.email == email).expect("a demo user").password
}

/// Sends a request and records it in the history as the app does, diagnosis included.
async fn send_and_record(
    engine: &Engine,
    target: &Target,
    spec: RequestSpec,
    history: &History,
    store: &ExchangeStore,
) -> Option<u16> {
    let result =
        requests::send(engine, target, &spec, &HashMap::new(), store, &CancellationToken::new())
            .await;
    let ctx = Context::for_target(target);
    let entry = match &result {
        Ok(summary) => {
            let body = store.read_chunk(summary.id, 0, 1024 * 1024).unwrap_or_default();
            let diagnosis = diagnose_response(
                summary.status,
                &summary.headers,
                &body,
                &ctx.clone().api_request(&summary.method, &summary.final_url),
            );
            HistoryEntry::from_exchange(&spec, summary).with_diagnosis(diagnosis.as_ref())
        }
        Err(e) => {
            HistoryEntry::from_failure(&spec, e).with_diagnosis(Some(&diagnose_error(e, &ctx)))
        }
    };
    history.record(&target.profile.id, entry).expect("record the exchange");
    result.ok().map(|s| s.status)
}

/// The requests of the session, with marked and token-looking values in every place.
fn marked_requests(target: &Target, engine: &Engine, closed_port: u16) -> Vec<RequestSpec> {
    let tokens = engine.stored_tokens(target).unwrap().expect("a token");
    let access = tokens.access_token.expose().to_string();
    let refresh = tokens
        .refresh_token
        .as_ref()
        .map(|r| r.expose().to_string())
        .unwrap_or_else(|| format!("{MARKER}-no-refresh"));
    let secret = engine.vault.get(&target.profile.id, SecretKind::ClientSecret).unwrap().unwrap();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        target.profile.client_id,
        secret.expose()
    ));
    vec![
        RequestSpec::get("{account-slug}/v1/projects")
            .with_query("include", "client")
            .with_query("trace", &format!("{MARKER}9Zy8Xw7Vu6Ts5Rq4"))
            .with_query("access_token", &format!("{MARKER}-in-query"))
            .with_header("X-Request-Trace", &format!("{MARKER}Ab12Cd34Ef56Gh78"))
            .with_header("X-Api-Key", &format!("{MARKER}-api-key")),
        RequestSpec::get("/v1/me").with_header("X-Debug-Copy", &access).with_header("X-Basic-Copy", &format!("Basic {basic}")),
        RequestSpec::get(&format!("/v1/me?note={}", urlencode(&refresh))).with_header("Authorization", &format!("Bearer {MARKER}-not-a-real-token")),
        RequestSpec::new("POST", "{account-slug}/v1/projects").with_body(format!(
            r#"{{"data":{{"type":"projects","attributes":{{"project-name":"Bundle test","password":"{MARKER}-body","note":"{refresh}","trace":"{MARKER}Zz9Yy8Xx7Ww6Vv5"}}}}}}"#
        )),
        RequestSpec::get(&format!("http://127.0.0.1:{closed_port}/v1/me?token={MARKER}-to-nowhere")),
    ]
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_of_every_method_holds_no_marked_secret() {
    let sb =
        Sandbox::start_marked(SandboxConfig::default(), MARKER).await.expect("a marked sandbox");
    let ep = endpoints(&sb);
    let engine = engine();
    let temp = tempfile::tempdir().unwrap();
    let history = History::in_dir(temp.path().join("history"));
    let store = ExchangeStore::new();

    // Method B: client credentials.
    let cc = target_at(
        ep.clone(),
        "bundle-cc",
        Method::ClientCredentials,
        sandbox::SERVICE_CLIENT_ID,
        "",
    );
    engine
        .remember(
            &cc,
            SecretKind::ClientSecret,
            &Secret::new(client_secret(&sb, sandbox::SERVICE_CLIENT_ID)),
        )
        .unwrap();
    engine
        .obtain_direct(&cc, &Credentials::default())
        .await
        .expect("client credentials with the marked secret");

    // Method C: password, with a refresh token.
    let pw = target_at(
        ep.clone(),
        "bundle-password",
        Method::Password,
        sandbox::PASSWORD_CLIENT_ID,
        sandbox::ADMIN_EMAIL,
    );
    engine
        .remember(
            &pw,
            SecretKind::ClientSecret,
            &Secret::new(client_secret(&sb, sandbox::PASSWORD_CLIENT_ID)),
        )
        .unwrap();
    engine
        .remember(&pw, SecretKind::Password, &Secret::new(password(&sb, sandbox::ADMIN_EMAIL)))
        .unwrap();
    engine
        .obtain_direct(&pw, &Credentials::default())
        .await
        .expect("password grant with the marked password");

    // Method A: browser login through the loopback listener, the person typing the marked password.
    let br = target_at(
        ep.clone(),
        "bundle-browser",
        Method::BrowserLogin,
        sandbox::BROWSER_CLIENT_ID,
        "",
    );
    engine
        .remember(
            &br,
            SecretKind::ClientSecret,
            &Secret::new(client_secret(&sb, sandbox::BROWSER_CLIENT_ID)),
        )
        .unwrap();
    let person = Person::SignIn {
        email: sandbox::ADMIN_EMAIL.into(),
        password: password(&sb, sandbox::ADMIN_EMAIL),
        one_time_code: None,
    };
    let opener = ScriptedBrowser::new(person);
    engine
        .sign_in_with_loopback(
            &br,
            &Credentials::default(),
            &opener,
            Duration::from_secs(15),
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .expect("browser login with the marked password");

    let closed = closed_port();
    for target in [&cc, &pw, &br] {
        let tokens = engine.stored_tokens(target).unwrap().unwrap();
        assert!(
            tokens.access_token.expose().starts_with(MARKER),
            "the sandbox issued a marked access token"
        );
        let mut statuses = Vec::new();
        for spec in marked_requests(target, &engine, closed) {
            statuses.push(send_and_record(&engine, target, spec, &history, &store).await);
        }
        assert_eq!(statuses[0], Some(200), "{statuses:?}");
        assert_eq!(statuses[2], Some(401), "the wrong bearer token is refused: {statuses:?}");
        assert_eq!(statuses[4], None, "the closed port gives no answer");

        let history_text = std::fs::read_to_string(history.path(&target.profile.id)).unwrap();
        assert!(
            history_text.contains(MARKER),
            "the history holds marked values, so the bundle must scrub them itself"
        );

        let input =
            support_bundle::gather(&target.profile, &engine.vault, &history, "test-version")
                .unwrap();
        assert!(
            input.known_secrets.iter().all(|s| s.starts_with(MARKER))
                && input.known_secrets.len() >= 2,
            "the vault's secrets are marked"
        );
        let path = temp.path().join(format!("{}.bundle.json", target.profile.id));
        assert_eq!(support_bundle::write(input, &path).unwrap(), 5);

        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for (what, form) in marker_forms() {
            assert!(
                !text.contains(form.as_str()),
                "the marker ({what}: {form}) is in the bundle of {}:\n{text}",
                target.profile.name
            );
        }

        let bundle: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(bundle["format"], support_bundle::FORMAT);
        assert_eq!(
            bundle["profile"]["client_id"],
            target.profile.client_id.as_str(),
            "settings are kept"
        );
        assert_eq!(bundle["app"]["version"], "test-version");
        assert_eq!(bundle["system"]["os"], std::env::consts::OS);
        assert!(bundle["secrets"]["access_token"].as_bool().unwrap());
        let exchanges = bundle["exchanges"].as_array().unwrap();
        assert_eq!(exchanges.len(), 5);
        let refused = &exchanges[2];
        assert_eq!(refused["status"], 401);
        assert!(refused["diagnosis"]["code"].as_str().unwrap().starts_with("api."), "{refused}");
        assert!(exchanges[0]["diagnosis"].is_null() || exchanges[0]["status"] != 200);
        assert!(
            exchanges[0]["error"].as_str().unwrap().contains("127.0.0.1"),
            "the failed exchange keeps its error"
        );
        assert!(
            bundle["scrubbed"]["known_secrets"].as_u64().unwrap() > 0,
            "the bundle counted what it removed"
        );
    }

    // Opening a bundle on another computer.
    let other = tempfile::tempdir().unwrap();
    let (mut other_store, _) = ProfileStore::open(other.path()).unwrap();
    let other_history = History::in_dir(other.path().join("history"));
    let text = std::fs::read_to_string(temp.path().join(format!("{}.bundle.json", cc.profile.id)))
        .unwrap();
    let opened = support_bundle::import(&mut other_store, &other_history, &text).unwrap();
    assert_eq!(opened.profile.name, "bundle-cc (from support bundle)");
    assert_eq!(opened.profile.client_id, sandbox::SERVICE_CLIENT_ID);
    assert_eq!(other_history.list(&opened.profile.id).unwrap().len(), 5);
    let again = support_bundle::import(&mut other_store, &other_history, &text).unwrap();
    assert_eq!(again.profile.name, "bundle-cc (from support bundle) (2)");
    sb.shutdown().await;
}

#[test]
fn bad_foreign_and_oversized_files_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = ProfileStore::open(dir.path()).unwrap();
    let history = History::in_dir(dir.path().join("history"));
    let oversized = " ".repeat(support_bundle::MAX_BUNDLE_BYTES as usize + 1);
    let newer = format!(r#"{{"format":"{}","version":99}}"#, support_bundle::FORMAT);
    let cases = [
        ("not json", "not JSON"),
        (r#"{"info":{"name":"x"},"item":[]}"#, "no \"format\""),
        (
            r#"{"format":"scopestack-companion-profiles","version":1,"profiles":[]}"#,
            "\"scopestack-companion-profiles\"",
        ),
        (newer.as_str(), "newer version"),
        (r#"{"format":"scopestack-companion-support-bundle","version":1,"profile":{}}"#, "damaged"),
        (oversized.as_str(), "larger than"),
    ];
    for (text, expected) in cases {
        let err = support_bundle::import(&mut store, &history, text).unwrap_err();
        assert!(err.to_string().contains(expected), "{}: {err}", &text[..text.len().min(60)]);
        assert_eq!(err.kind(), engine::ErrorKind::Input);
    }
    assert_eq!(store.list().len(), 2, "nothing was added");
}
