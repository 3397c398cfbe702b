//! Token details and the one silent retry on 401 in the real window, against the built-in
//! sandbox: "What the token can do" shows the server's own word on the token (scopes, client,
//! resource owner, issued, time left); then the token is revoked at the sandbox behind the app's
//! back, and the next GET is renewed and sent again, which the status line says.

use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// The built-in sandbox's demo service account (`sandbox::SERVICE_CLIENT_ID` and its secret),
/// which acts as the demo admin (user 4001).
const SERVICE_CLIENT_ID: &str = "sandbox-service-account";
const SERVICE_CLIENT_SECRET: &str = "demo-service-secret";
const ADMIN_USER_ID: u64 = 4001;

/// `what` in the shown request tab (hidden tabs stay in the page).
fn in_tab(what: &str) -> String {
    format!(".request-tabpanel:not([hidden]) {what}")
}

/// Runs a command of the app through the main window's own bridge, as the page does.
async fn invoke(app: &AppSession, command: &str, args: serde_json::Value) -> serde_json::Value {
    let script = format!(
        "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke({command:?}, {args}).then((r) => done(JSON.stringify({{ok: r}})), (e) => done(JSON.stringify({{error: e}})));"
    );
    let answer = app.execute_async(&script).await.unwrap();
    let answer: serde_json::Value =
        serde_json::from_str(answer.as_str().unwrap_or_default()).unwrap();
    assert!(answer.get("error").is_none(), "{command} failed: {answer}");
    answer["ok"].clone()
}

/// The built-in sandbox's base URL, from the app's snapshot.
async fn sandbox_base(app: &AppSession) -> String {
    let snapshot = invoke(app, "app_snapshot", serde_json::json!({})).await;
    let sandbox = snapshot["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["profile"]["id"] == "sandbox")
        .expect("the Sandbox profile");
    sandbox["endpoints"]["api_url"].as_str().unwrap().trim_end_matches('/').to_string()
}

#[tokio::test]
async fn token_details_show_and_a_get_after_the_token_is_revoked_behind_the_apps_back_is_renewed() {
    let app = AppSession::launch_with_sandbox_token("token-details").await.unwrap();

    // The server's word on the token, next to who it acts as.
    app.expand("[data-testid=server-token-details]", WAIT).await.unwrap();
    let scopes =
        app.wait_for_text("[data-testid=server-token-scopes]", "write", WAIT).await.unwrap();
    assert!(scopes.contains("read") && scopes.contains("write"), "{scopes}");
    let client = app
        .wait_for_text("[data-testid=server-token-client]", SERVICE_CLIENT_ID, WAIT)
        .await
        .unwrap();
    assert_eq!(client, SERVICE_CLIENT_ID);
    let owner = format!("user {ADMIN_USER_ID}");
    let shown = app.wait_for_text("[data-testid=server-token-owner]", &owner, WAIT).await.unwrap();
    assert_eq!(shown, owner);
    let left = app.wait_for_text("[data-testid=server-token-left]", " h ", WAIT).await.unwrap();
    assert!(left.starts_with("1 h 59 min") || left.starts_with("2 h"), "time left: {left}");
    let facts =
        app.wait_for_text("[data-testid=server-token-facts]", "Issued", WAIT).await.unwrap();
    assert!(facts.contains("Resource owner") && facts.contains("Time left"), "{facts}");
    app.execute(
        "document.querySelector('[data-testid=server-token-details]').scrollIntoView({block: 'center'})",
    )
    .await
    .unwrap();
    app.screenshot("token-details").await.unwrap();

    // Someone else revokes the token at the server; the app is not told. The next GET (its
    // {{account-slug}} read from /v1/me first) goes through, and the status line says how.
    let token = revoke_behind_the_apps_back(&app).await;
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    let line = send_and_wait_for_200(&app).await;
    assert!(line.contains(RESENT), "status line: {line}");
    let renewed = invoke(&app, "reveal_token", serde_json::json!({"id": "sandbox"})).await;
    assert_ne!(renewed.as_str().unwrap(), token, "the renewed token is kept");
    app.screenshot("token-renewed-and-resent").await.unwrap();

    // Once more, with the account slug already known: the GET itself is refused and sent again.
    revoke_behind_the_apps_back(&app).await;
    let line = send_and_wait_for_200(&app).await;
    assert!(line.contains(RESENT), "status line: {line}");
    app.close().await;
}

/// What the status line says of an answer got by renewing the token and sending again.
const RESENT: &str = "The server refused the token; renewed it and sent again";

/// Sends the shown tab's request and waits for a fresh 200 (the status line of an earlier answer
/// is gone while a request runs).
async fn send_and_wait_for_200(app: &AppSession) -> String {
    app.execute(
        "document.querySelectorAll('[data-testid=status-line]').forEach((e) => e.remove())",
    )
    .await
    .unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=response] [data-testid=status-line]"), "200", WAIT)
        .await
        .unwrap()
}

/// Revokes the profile's token at the sandbox, as another app or an administrator would, and
/// checks the server refuses it now. Returns the revoked token.
async fn revoke_behind_the_apps_back(app: &AppSession) -> String {
    let token = invoke(app, "reveal_token", serde_json::json!({"id": "sandbox"})).await;
    let token = token.as_str().unwrap().to_string();
    let base = sandbox_base(app).await;
    let http = reqwest::Client::new();
    let revoked = http
        .post(format!("{base}/oauth/revoke"))
        .form(&[
            ("client_id", SERVICE_CLIENT_ID),
            ("client_secret", SERVICE_CLIENT_SECRET),
            ("token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 200);
    let me = http
        .get(format!("{base}/v1/me"))
        .bearer_auth(&token)
        .header("Accept", "application/vnd.api+json")
        .send()
        .await
        .unwrap();
    assert_eq!(me.status().as_u16(), 401, "the token is dead at the server");
    token
}
