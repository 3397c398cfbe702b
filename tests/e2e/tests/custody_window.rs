//! Token custody in the real window: a request to another server than the profile's API goes
//! without the token, and the window says so beside Send — for a pasted curl command, a request
//! imported from Postman, and a history entry of an opened support bundle — unless the user ticks
//! "send it anyway" for that request. The other server is a real one on loopback that records
//! what it receives.

use e2e::capture::CaptureServer;
use e2e::dialogs::{answer_dialog, fresh_home as home};
use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// The chosen profile's name, in the profile switcher.
const CHOSEN: &str = "[data-testid=profile-switcher] .switcher-name";

/// The shown request tab (hidden tabs stay in the page).
const TAB: &str = ".request-tabpanel:not([hidden])";

/// `what` in the shown request tab.
fn in_tab(what: &str) -> String {
    format!("{TAB} {what}")
}

/// Waits for the answer of a request just sent in the shown tab (not how an opened history
/// entry went before) and that its status line reads `status`.
async fn answered(app: &AppSession, status: &str) {
    app.wait_for_text(&in_tab("[data-testid=response] [data-testid=status-line]"), status, WAIT)
        .await
        .unwrap();
}

/// Imports a Postman file through the app menu; `keep_secrets` ticks "Keep the file's client
/// secret and password in the system keychain" first.
async fn import_postman(app: &AppSession, file: &std::path::Path, keep_secrets: bool) {
    app.click_on("[data-testid=app-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=import-postman]", WAIT).await.unwrap();
    if keep_secrets {
        app.click_on("[data-testid=postman-import-dialog][open] input[type=checkbox]", WAIT)
            .await
            .unwrap();
    }
    app.click_on("dialog[open] [data-testid=postman-choose-file]", WAIT).await.unwrap();
    answer_dialog("Import from Postman", "ctrl+l", &file.to_string_lossy()).await;
}

/// Asks the engine (through the main window's own bridge) for the built-in sandbox's base URL.
async fn sandbox_base(app: &AppSession) -> String {
    let snapshot = app
        .execute_async("const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('app_snapshot').then((s) => done(JSON.stringify(s)), (e) => done('error: ' + JSON.stringify(e)));")
        .await
        .unwrap();
    let snapshot: serde_json::Value = serde_json::from_str(snapshot.as_str().unwrap_or_default())
        .unwrap_or_else(|_| panic!("a snapshot: {snapshot}"));
    let sandbox = snapshot["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["profile"]["id"] == "sandbox")
        .expect("the Sandbox profile");
    sandbox["endpoints"]["api_url"].as_str().unwrap().trim_end_matches('/').to_string()
}

/// A Postman collection named `name` whose client-credentials auth and `{{baseUrl}}` point at the
/// sandbox at `base` (with the service account's secret when `secret` is given), and `items`.
fn sandbox_collection(
    name: &str,
    base: &str,
    secret: Option<&str>,
    items: serde_json::Value,
) -> serde_json::Value {
    let mut auth = vec![
        serde_json::json!({"key": "grant_type", "value": "client_credentials"}),
        serde_json::json!({"key": "accessTokenUrl", "value": format!("{base}/oauth/token")}),
        serde_json::json!({"key": "authUrl", "value": format!("{base}/oauth/authorize")}),
        serde_json::json!({"key": "clientId", "value": "sandbox-service-account"}),
    ];
    if let Some(secret) = secret {
        auth.push(serde_json::json!({"key": "clientSecret", "value": secret}));
    }
    serde_json::json!({
        "info": {"name": name, "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "auth": {"type": "oauth2", "oauth2": auth},
        "variable": [{"key": "baseUrl", "value": base}],
        "item": items
    })
}

fn authorization_of(seen: &[e2e::capture::Seen]) -> Vec<Option<String>> {
    seen.iter().map(|s| s.header("authorization").map(str::to_string)).collect()
}

#[tokio::test]
async fn a_pasted_curl_command_to_another_server_goes_without_the_token_unless_ticked() {
    let capture = CaptureServer::start().await;
    let app = AppSession::launch_with_sandbox_token("custody-curl").await.unwrap();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.open_curl_import(WAIT).await.unwrap();
    let curl = format!(
        "curl -H 'Authorization: Bearer $TOKEN' -H 'Accept: application/vnd.api+json' {}",
        capture.url("/collect")
    );
    app.fill(&in_tab("textarea[aria-label='curl command']"), &curl, WAIT).await.unwrap();
    app.click_on(&in_tab("[data-testid=load-curl]"), WAIT).await.unwrap();

    let notice = app
        .wait_for_text(&in_tab("[data-testid=token-elsewhere]"), "not your ScopeStack API", WAIT)
        .await
        .unwrap();
    assert!(notice.contains(&capture.host()), "the notice names the host: {notice}");
    app.screenshot("custody-token-elsewhere").await.unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    answered(&app, "200").await;
    let seen = capture.wait_for(1, WAIT).await;
    assert_eq!(
        authorization_of(&seen),
        vec![None],
        "the capture server received no token: {seen:?}"
    );
    app.wait_for_text(&in_tab("[data-testid=response]"), "the profile's token was not sent", WAIT)
        .await
        .unwrap();

    // The explicit choice, for this request: the warning names the host.
    app.click_on(&in_tab("[data-testid=send-token-elsewhere]"), WAIT).await.unwrap();
    let warning = app
        .wait_for_text(
            &in_tab("[data-testid=send-token-elsewhere-warning]"),
            "will receive your access token",
            WAIT,
        )
        .await
        .unwrap();
    assert!(warning.contains(&capture.host()), "{warning}");
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    let seen = capture.wait_for(2, WAIT).await;
    let with_token =
        authorization_of(&seen).pop().flatten().expect("the opted-in request carried the token");
    assert!(with_token.starts_with("Bearer ") && with_token.len() > 20, "{with_token}");

    // Nothing remembers the choice: another address starts unticked.
    app.fill(&in_tab("input[name=request_url]"), &capture.url("/collect-again"), WAIT)
        .await
        .unwrap();
    app.wait_for_text(&in_tab("[data-testid=token-elsewhere]"), "not your ScopeStack API", WAIT)
        .await
        .unwrap();
    let ticked = app
        .execute(&format!(
            "return document.querySelector({:?}).checked",
            in_tab("[data-testid=send-token-elsewhere]")
        ))
        .await
        .unwrap();
    assert_eq!(ticked, serde_json::Value::Bool(false));
    app.close().await;
}

#[tokio::test]
async fn a_postman_request_to_another_server_goes_without_the_token_and_the_report_lists_it() {
    let capture = CaptureServer::start().await;
    let dir = home("custody-postman");
    let app = AppSession::launch(&dir).await.unwrap();
    let base = sandbox_base(&app).await;
    let items = serde_json::json!([
        {"name": "Who am I", "request": {"method": "GET", "url": {"raw": "{{baseUrl}}/v1/me"}}},
        {"name": "Collect", "request": {"method": "GET", "url": {"raw": capture.url("/collect")}}}
    ]);
    let collection = sandbox_collection("Collector", &base, None, items);
    let file = dir.join("collector.postman_collection.json");
    std::fs::write(&file, collection.to_string()).unwrap();
    import_postman(&app, &file, false).await;
    let report = app
        .wait_for_text("[data-testid=import-report]", "Sent without the token", WAIT)
        .await
        .unwrap();
    assert!(report.contains("\"Collect\" goes to") && report.contains(&capture.host()), "{report}");
    assert!(
        !report.contains("\"Who am I\" goes to"),
        "the API's own request is not listed: {report}"
    );
    app.click_on("dialog[open] [data-testid=import-report-close]", WAIT).await.unwrap();
    app.wait_for_text(CHOSEN, "Collector", WAIT).await.unwrap();

    // A token for the imported profile, from the sandbox it points at.
    app.type_into("input[name=client_secret]", "demo-service-secret", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.click_on("[data-saved-request='Collect']", WAIT).await.unwrap();
    app.wait_for_content(".request-tab.chosen", "Collect", WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=token-elsewhere]"), &capture.host(), WAIT)
        .await
        .unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    answered(&app, "200").await;
    let seen = capture.wait_for(1, WAIT).await;
    assert_eq!(authorization_of(&seen), vec![None], "{seen:?}");
    app.close().await;
}

#[tokio::test]
async fn a_support_bundle_history_entry_runs_again_without_the_token() {
    let capture = CaptureServer::start().await;
    let dir = home("custody-bundle");
    let bundle = dir.join("collector-bundle.json");
    let app = AppSession::launch(&dir).await.unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.fill(&in_tab("input[name=request_url]"), &capture.url("/collect"), WAIT).await.unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    app.wait_for_count("[data-testid=history] .history-item", 1, WAIT).await.unwrap();
    app.click_on("[data-testid=profile-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=support-bundle]", WAIT).await.unwrap();
    answer_dialog("Save support bundle", "ctrl+a", &bundle.to_string_lossy()).await;
    app.wait_for_text("[data-testid=interop-note]", "every secret removed", WAIT).await.unwrap();

    app.click_on("[data-testid=app-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=open-support-bundle]", WAIT).await.unwrap();
    answer_dialog("Open support bundle", "ctrl+l", &bundle.to_string_lossy()).await;
    let listed =
        app.wait_for_text("[data-testid=bundle-other-hosts]", "without", WAIT).await.unwrap();
    assert!(listed.contains(&capture.host()), "{listed}");
    app.click_on("dialog[open] [data-testid=bundle-report-close]", WAIT).await.unwrap();
    app.wait_for_text(CHOSEN, "Sandbox (from support bundle)", WAIT).await.unwrap();
    app.click_on("[data-testid=view-sign-in]", WAIT).await.unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.click_on("[data-testid=history] .history-item", WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=token-elsewhere]"), &capture.host(), WAIT)
        .await
        .unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    answered(&app, "200").await;
    let seen = capture.wait_for(2, WAIT).await;
    assert_eq!(
        authorization_of(&seen),
        vec![None, None],
        "neither the first run nor the re-run carried the token: {seen:?}"
    );
    app.close().await;
}

#[tokio::test]
async fn a_kept_client_secret_waits_for_the_users_word_when_the_token_url_moves() {
    let capture = CaptureServer::start().await;
    let dir = home("custody-moved");
    let app = AppSession::launch(&dir).await.unwrap();
    let base = sandbox_base(&app).await;
    let items = serde_json::json!([{"name": "Who am I", "request": {"method": "GET", "url": {"raw": "{{baseUrl}}/v1/me"}}}]);
    let collection = sandbox_collection("Kept secret", &base, Some("demo-service-secret"), items);
    let file = dir.join("kept.postman_collection.json");
    std::fs::write(&file, collection.to_string()).unwrap();
    import_postman(&app, &file, true).await;
    app.wait_for_text("[data-testid=import-report]", "kept in the system keychain", WAIT)
        .await
        .unwrap();
    app.click_on("dialog[open] [data-testid=import-report-close]", WAIT).await.unwrap();
    app.wait_for_text(CHOSEN, "Kept secret", WAIT).await.unwrap();
    // The kept secret works where it was given.
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();

    // The token URL moves to another server: the kept secret stays behind until the user says so.
    app.click_on("[data-testid=get-another-token]", WAIT).await.unwrap();
    app.click_on("details.advanced summary", WAIT).await.unwrap();
    app.type_into("input[name=token_url]", &capture.url("/oauth/token"), WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    let question =
        app.wait_for_text("[data-testid=secrets-moved]", &capture.host(), WAIT).await.unwrap();
    let sandbox_host = base.trim_start_matches("http://").to_string();
    assert!(
        question.contains("client secret") && question.contains(&sandbox_host),
        "both hosts are named: {question}"
    );
    app.screenshot("custody-secrets-moved").await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(capture.seen().is_empty(), "the new token URL received nothing: {:?}", capture.seen());

    app.click_on("[data-testid=confirm-kept-secrets]", WAIT).await.unwrap();
    app.wait_gone("[data-testid=secrets-moved]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    let seen = capture.wait_for(1, WAIT).await;
    assert!(
        seen.iter().any(|s| s.body.contains("demo-service-secret")),
        "after the user's word it goes there: {seen:?}"
    );
    app.close().await;
}
