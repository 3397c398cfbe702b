//! The desktop token workflow in the real window, against the built-in sandbox and the real
//! keychain: each method from launch to a verified identity, the in-app sign-in window, cancel,
//! a wrong secret, revoke, the clipboard, and the system's dark theme.

use e2e::AppSession;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

fn home(name: &str) -> PathBuf {
    let dir = e2e::target_dir().join("e2e-home").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn launch(name: &str, env: &[(&str, &str)]) -> AppSession {
    let app =
        AppSession::launch_with(&home(name), env).await.expect("launch the app over WebDriver");
    app.wait_for_text("[data-testid=profile-switcher] .switcher-name", "Sandbox", WAIT)
        .await
        .unwrap();
    app
}

/// Waits until the Sign-in view says "You're connected as NAME" in the account checked with
/// /v1/me (no click).
async fn connected(app: &AppSession, name: &str) {
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=success]", name, WAIT).await.unwrap();
}

/// Waits until the token is verified as `name`, opens "Who the token acts as" and returns the
/// identity it shows.
async fn verified(app: &AppSession, name: &str) -> String {
    connected(app, name).await;
    app.expand("[data-testid=identity-details]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=identity]", name, WAIT).await.unwrap()
}

/// Opens "Token details", where the token panel is.
async fn token_details(app: &AppSession) {
    app.expand("[data-testid=token-details]", WAIT).await.unwrap();
}

fn scripted_browser() -> &'static str {
    env!("CARGO_BIN_EXE_scripted-browser")
}

#[tokio::test]
async fn client_credentials_from_launch_to_a_verified_token_in_at_most_three_clicks() {
    let app = launch("cc", &[]).await;
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    connected(&app, "Avery Admin").await;
    assert!(app.click_count() <= 3, "took {} clicks", app.click_count());
    let identity = verified(&app, "Avery Admin").await;
    assert!(identity.contains("1001"), "account id shown: {identity}");

    token_details(&app).await;
    let panel = app.wait_for_text("[data-testid=token-panel]", "Bearer", WAIT).await.unwrap();
    assert!(panel.contains("By asking again with the client secret"), "{panel}");
    let expiry = app.wait_for_text("[data-testid=expiry]", "in ", WAIT).await.unwrap();
    assert!(expiry.contains(" h ") || expiry.contains(" min"), "live countdown: {expiry}");
    let masked = app.wait_for_text("[data-testid=token-text]", "…", WAIT).await.unwrap();
    assert!(masked.len() < 20, "the token is masked: {masked}");

    // "Remember secrets" put the client secret in the real keychain, not in a file.
    let found = Command::new("secret-tool")
        .args([
            "search",
            "--all",
            "--unlock",
            "service",
            &e2e::keychain_service_of(&app.home),
            "username",
            "sandbox/client-secret",
        ])
        .output()
        .expect("secret-tool");
    let listing = String::from_utf8_lossy(&found.stdout).to_string()
        + &String::from_utf8_lossy(&found.stderr);
    assert!(listing.contains("demo-service-secret"), "client secret in the keychain: {listing}");
    let settings = std::fs::read_to_string(app.home.join("profiles.json")).unwrap();
    assert!(!settings.contains("demo-service-secret"), "no secret in the profiles file");
    app.screenshot("token-client-credentials").await.unwrap();
    app.execute(
        "document.querySelector('[data-testid=identity-details]').scrollIntoView({block: 'center'})",
    )
    .await
    .unwrap();
    app.screenshot("verified-identity").await.unwrap();
    app.close().await;
}

#[tokio::test]
async fn password_method_gets_a_token_with_a_refresh_token() {
    let app = launch("password", &[]).await;
    app.click_on("input[value=password]", WAIT).await.unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    verified(&app, "Avery Admin").await;
    token_details(&app).await;
    app.wait_for_text("[data-testid=token-panel]", "With its refresh token", WAIT).await.unwrap();
    app.screenshot("token-password").await.unwrap();
    app.close().await;
}

#[tokio::test]
async fn browser_login_through_the_system_browser_with_a_one_time_code() {
    let log = home("browser-log").join("browser.log");
    let log_path = log.to_string_lossy().to_string();
    let app = launch(
        "browser",
        &[
            ("BROWSER", scripted_browser()),
            ("SCRIPTED_BROWSER_EMAIL", "mfa@sandbox-demo.test"),
            ("SCRIPTED_BROWSER_PASSWORD", "demo-mfa-pass"),
            ("SCRIPTED_BROWSER_OTP", "246810"),
            ("SCRIPTED_BROWSER_LOG", &log_path),
        ],
    )
    .await;
    app.click_on("input[value=browser_login]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=callback-url]", "http://127.0.0.1:8765/callback", WAIT)
        .await
        .unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    verified(&app, "Morgan Multifactor").await;
    let steps = std::fs::read_to_string(&log).unwrap();
    assert!(steps.contains("one-time code page"), "{steps}");
    assert!(
        steps.contains("callback answered 200 OK: true"),
        "the browser was told it can close the tab: {steps}"
    );
    token_details(&app).await;
    app.wait_for_text("[data-testid=token-panel]", "With its refresh token", WAIT).await.unwrap();
    app.screenshot("token-browser-login").await.unwrap();
    app.close().await;
}

/// Runs xdotool (X11 input, like a person at the keyboard) and returns what it printed.
fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool").args(args).output().expect("xdotool");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[tokio::test]
async fn browser_login_through_the_in_app_window() {
    let app = launch("in-app", &[]).await;
    app.click_on("input[value=browser_login]", WAIT).await.unwrap();
    app.click_on("input[value=in_app_window]", WAIT).await.unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();

    // The sign-in window is a second native window; a person types into it.
    let deadline = std::time::Instant::now() + WAIT;
    let window = loop {
        let found = xdotool(&["search", "--name", "^Sign in — Sandbox$"]);
        if let Some(id) = found.lines().next().filter(|l| !l.is_empty()) {
            break id.to_string();
        }
        assert!(std::time::Instant::now() < deadline, "the sign-in window did not open");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    tokio::time::sleep(Duration::from_secs(2)).await; // let the sign-in page load
    xdotool(&["windowfocus", "--sync", &window]);
    xdotool(&["type", "--delay", "15", "admin@sandbox-demo.test"]);
    xdotool(&["key", "Tab"]);
    xdotool(&["type", "--delay", "15", "demo-admin-pass"]);
    let _ = Command::new("import")
        .args([
            "-window",
            "root",
            &e2e::target_dir().join("screenshots/in-app-sign-in-window.png").to_string_lossy(),
        ])
        .status();
    xdotool(&["key", "Return"]);
    verified(&app, "Avery Admin").await;
    let deadline = std::time::Instant::now() + WAIT;
    while !xdotool(&["search", "--name", "^Sign in — Sandbox$"]).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the sign-in window closed itself after the callback"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.close().await;
}

#[tokio::test]
async fn cancel_while_waiting_for_the_browser_frees_the_port() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app =
        launch("cancel", &[("BROWSER", scripted_browser()), ("SCRIPTED_BROWSER_ACTION", "ignore")])
            .await;
    app.click_on("input[value=browser_login]", WAIT).await.unwrap();
    app.click_on("details.advanced summary", WAIT).await.unwrap();
    app.type_into("input[name=redirect_uri]", &format!("http://127.0.0.1:{port}/callback"), WAIT)
        .await
        .unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=progress]", "Waiting for you to sign in", WAIT).await.unwrap();
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "the app listens on the registered port while waiting"
    );
    app.screenshot("waiting-for-browser").await.unwrap();
    app.click_on("[data-testid=cancel]", WAIT).await.unwrap();
    app.wait_for_text(".error-note", "Cancelled before it finished", WAIT).await.unwrap();
    app.wait_gone("[data-testid=progress]", WAIT).await.unwrap();
    TcpListener::bind(("127.0.0.1", port)).expect("the port is free again after Cancel");
    app.close().await;
}

#[tokio::test]
async fn a_wrong_secret_is_explained() {
    let app = launch("wrong-secret", &[]).await;
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.type_into("input[name=client_secret]", "not-the-secret", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    let note = app.wait_for_text(".error-note", "invalid_client", WAIT).await.unwrap();
    assert!(note.contains("Check the client ID and client secret"), "{note}");
    let card =
        app.wait_for_text(".error-note [data-testid=diagnosis]", "What to do", WAIT).await.unwrap();
    assert!(card.contains("What probably happened"), "the engine's diagnosis is shown: {card}");
    app.screenshot("error-wrong-secret").await.unwrap();
    app.close().await;
}

#[tokio::test]
async fn after_revoke_the_window_asks_for_a_new_token() {
    let app = launch("revoke", &[]).await;
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    verified(&app, "Avery Admin").await;
    token_details(&app).await;
    app.click_on("[data-testid=revoke]", WAIT).await.unwrap();
    app.click_on("[data-testid=confirm-revoke]", WAIT).await.unwrap();
    app.wait_gone("[data-testid=token-panel]", WAIT).await.unwrap();
    // The token is gone: the bar says so and offers nothing to copy, and the Sign-in view is the
    // token form again, its one button to get a new token.
    app.wait_for_text("[data-testid=connection-health]", "No token yet", WAIT).await.unwrap();
    app.wait_gone("[data-testid=bar-copy-token]", WAIT).await.unwrap();
    app.wait_for_text(
        "[data-testid=sign-in-view] [data-testid=get-token]",
        "Get New Access Token",
        WAIT,
    )
    .await
    .unwrap();
    app.close().await;
}

fn clipboard() -> String {
    let out =
        Command::new("xclip").args(["-o", "-selection", "clipboard"]).output().expect("xclip");
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[tokio::test]
async fn a_copied_token_is_cleared_from_the_clipboard() {
    let app = launch("clipboard", &[("SCOPESTACK_COMPANION_CLIPBOARD_CLEAR_SECS", "2")]).await;
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    verified(&app, "Avery Admin").await;
    token_details(&app).await;
    app.click_on("[data-testid=token-panel] button[aria-pressed]", WAIT).await.unwrap();
    // The masked token starts with "eyJ" too: wait for the whole one.
    let deadline = std::time::Instant::now() + WAIT;
    let token = loop {
        let text = app.wait_for_text("[data-testid=token-text]", "eyJ", WAIT).await.unwrap();
        if text.len() > 100 {
            break text;
        }
        assert!(std::time::Instant::now() < deadline, "the whole token was never shown: {text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    app.click_on("[data-testid=copy-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=token-panel]", "cleared in 2 s", WAIT).await.unwrap();
    assert_eq!(clipboard().trim(), token.trim(), "the clipboard holds the token");
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(!clipboard().contains(&token), "the clipboard no longer holds the token");
    app.close().await;
}

#[tokio::test]
async fn the_window_follows_the_system_dark_theme() {
    let app = launch("dark", &[("GTK_THEME", "Adwaita:dark")]).await;
    let dark =
        app.execute("return matchMedia('(prefers-color-scheme: dark)').matches").await.unwrap();
    assert_eq!(dark, serde_json::Value::Bool(true));
    app.screenshot("launch-sandbox-dark").await.unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.type_into("input[name=client_secret]", "not-the-secret", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text(".error-note", "invalid_client", WAIT).await.unwrap();
    app.screenshot("error-wrong-secret-dark").await.unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    verified(&app, "Avery Admin").await;
    app.screenshot("token-client-credentials-dark").await.unwrap();
    app.execute(
        "document.querySelector('[data-testid=identity-details]').scrollIntoView({block: 'center'})",
    )
    .await
    .unwrap();
    app.screenshot("verified-identity-dark").await.unwrap();
    app.close().await;
}

#[tokio::test]
async fn a_token_near_expiry_is_renewed_automatically_and_renew_now_works() {
    // Sandbox tokens live 20 s: auto-renew renews them with a quarter of their life left, 15 s on.
    let app = launch("auto-renew", &[("SCOPESTACK_COMPANION_SANDBOX_TOKEN_LIFETIME", "20")]).await;
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    verified(&app, "Avery Admin").await;
    token_details(&app).await;
    let before = app.wait_for_text("[data-testid=token-text]", "…", WAIT).await.unwrap();
    let renewed = app
        .wait_for_text("[data-testid=last-renewal]", "Renewed", Duration::from_secs(40))
        .await
        .unwrap();
    assert!(!renewed.contains("Sign in again"), "{renewed}");
    let after = app.wait_for_text("[data-testid=token-text]", "…", WAIT).await.unwrap();
    assert_ne!(before, after, "a new token replaced the old one");
    // Switch auto-renew off, then renew by hand.
    app.click_on("[data-testid=token-panel] input[type=checkbox]", WAIT).await.unwrap();
    app.click_on("[data-testid=renew]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=last-renewal]", "Renewed", WAIT).await.unwrap();
    app.screenshot("token-renewed").await.unwrap();
    app.close().await;
}

#[tokio::test]
async fn browser_login_by_pasting_the_address_the_browser_ended_on() {
    let log = home("paste-log").join("browser.log");
    let log_path = log.to_string_lossy().to_string();
    let app = launch(
        "paste",
        &[
            ("BROWSER", scripted_browser()),
            ("SCRIPTED_BROWSER_EMAIL", "admin@sandbox-demo.test"),
            ("SCRIPTED_BROWSER_PASSWORD", "demo-admin-pass"),
            ("SCRIPTED_BROWSER_LOG", &log_path),
        ],
    )
    .await;
    app.click_on("input[value=browser_login]", WAIT).await.unwrap();
    app.click_on("input[value=paste]", WAIT).await.unwrap();
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.click_on(".paste-step button", WAIT).await.unwrap();
    // The "browser" signs in and ends on the callback address (nothing listens there in paste mode).
    let deadline = std::time::Instant::now() + WAIT;
    let landed = loop {
        let steps = std::fs::read_to_string(&log).unwrap_or_default();
        if let Some(line) = steps.lines().find_map(|l| l.strip_prefix("redirected to ")) {
            break line.to_string();
        }
        assert!(std::time::Instant::now() < deadline, "the browser never got back: {steps}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(landed.starts_with("http://127.0.0.1:8765/callback?code="), "{landed}");
    app.type_into("input[name=pasted_url]", &landed, WAIT).await.unwrap();
    app.screenshot("paste-mode").await.unwrap();
    app.click_on(".paste-step button.primary", WAIT).await.unwrap();
    verified(&app, "Avery Admin").await;
    app.close().await;
}
