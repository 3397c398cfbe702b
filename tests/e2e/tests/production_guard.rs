//! The production guard in the real window: a profile marked production (here one on a sandbox
//! started with `scopestack-cli sandbox`, so a real server holds the data) shows a band naming
//! its account, and the first write of each request tab asks first — Cancel sends nothing (the
//! server's data is unchanged), Send writes, a second write in the tab goes without asking, a new
//! tab asks again. A write on the built-in Sandbox (a test profile) never asks. Screenshots of
//! the band and the question, and axe-core over both, in the light and the dark theme.

use e2e::soak::cli_binary;
use e2e::{fresh_home, AppSession, Key};
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const PROJECT: &str = "1201";

/// `what` in the shown request tab (hidden tabs stay in the page).
fn in_tab(what: &str) -> String {
    format!(".request-tabpanel:not([hidden]) {what}")
}

/// A `scopestack-cli sandbox` on a free port, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(cli_binary().unwrap())
            .arg("sandbox")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sandbox starts");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).unwrap();
        let base = line.trim().trim_end_matches('/').to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "the sandbox said {line:?}");
        Server { child, base }
    }

    /// The project's name as the server holds it now (read with a token of its own).
    async fn project_name(&self) -> String {
        let http = reqwest::Client::new();
        let token: Value = http
            .post(format!("{}/oauth/token", self.base))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "sandbox-service-account"),
                ("client_secret", "demo-service-secret"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let doc: Value = http
            .get(format!("{}/sandbox-demo/v1/projects/{PROJECT}", self.base))
            .bearer_auth(token["access_token"].as_str().unwrap())
            .header("Accept", "application/vnd.api+json")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        doc["data"]["attributes"]["project-name"].as_str().unwrap_or_default().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `scopestack-cli ARGS…` on the app's settings folder.
fn cli(home: &Path, args: &[&str]) {
    let out = Command::new(cli_binary().unwrap())
        .args(args)
        .env("SCOPESTACK_COMPANION_HOME", home)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A settings folder whose chosen profile, "Customer", points at `server` and is marked
/// production (the sandbox's client ID set; its secret typed in the window).
fn customer_home(name: &str, server: &Server) -> std::path::PathBuf {
    let home = fresh_home(name).unwrap();
    cli(
        &home,
        &[
            "profiles",
            "add",
            "Customer",
            "--base-url",
            &server.base,
            "--grant",
            "client-credentials",
            "--client-id",
            "sandbox-service-account",
            "--production",
        ],
    );
    cli(&home, &["profiles", "use", "Customer"]);
    home
}

/// Loads `curl -X PATCH …` renaming the project to `name` into the shown tab.
async fn load_patch(app: &AppSession, base: &str, name: &str) {
    let body = format!(
        r#"{{"data":{{"type":"projects","id":"{PROJECT}","attributes":{{"project-name":"{name}"}}}}}}"#
    );
    let curl = format!("curl -X PATCH '{base}/sandbox-demo/v1/projects/{PROJECT}' --data '{body}'");
    app.open_curl_import(WAIT).await.unwrap();
    app.fill(&in_tab(".curl-import textarea"), &curl, WAIT).await.unwrap();
    app.click_on(&in_tab("[data-testid=load-curl]"), WAIT).await.unwrap();
    app.wait_gone(&in_tab(".curl-import"), WAIT).await.unwrap();
    let method = app
        .execute(&format!(
            "return document.querySelector({:?}).value",
            in_tab("select[aria-label=Method]")
        ))
        .await
        .unwrap();
    assert_eq!(method, "PATCH");
}

/// Waits for the shown tab's own answer to read `status`.
async fn answered(app: &AppSession, status: &str) {
    app.wait_for_text(&in_tab("[data-testid=response] [data-testid=status-line]"), status, WAIT)
        .await
        .unwrap();
}

async fn focused_testid(app: &AppSession) -> Value {
    app.focused().await.unwrap()["testid"].clone()
}

/// Waits until the element with `testid` has the focus (the question moves it there just after
/// it shows), and says what had it instead if it never comes.
async fn wait_for_focus(app: &AppSession, testid: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let focused = focused_testid(app).await;
        if focused == testid {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{testid} never got the focus: {focused}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_production_profile_shows_its_account_and_asks_before_each_tabs_first_write() {
    let server = Server::start();
    let original = server.project_name().await;
    let app = AppSession::launch(&customer_home("production-guard", &server)).await.unwrap();

    // Before the token is verified, the band names the profile.
    let band =
        app.wait_for_text("[data-testid=production-band]", "Production", WAIT).await.unwrap();
    assert!(band.contains("Production · Customer"), "{band}");
    // The editor's mark: Test takes the band away, Production brings it back.
    app.click_on("input[name=account_kind][value=test]", WAIT).await.unwrap();
    app.wait_gone("[data-testid=production-band]", WAIT).await.unwrap();
    app.click_on("input[name=account_kind][value=production]", WAIT).await.unwrap();
    app.wait_for("[data-testid=production-band]", WAIT).await.unwrap();

    app.fill("input[name=client_secret]", "demo-service-secret", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    let band = app
        .wait_for_text("[data-testid=production-band]", "Production · sandbox-demo", WAIT)
        .await
        .unwrap();
    assert!(band.contains("Production · sandbox-demo"), "the account from /v1/me: {band}");
    app.screenshot("production-band").await.unwrap();
    app.assert_accessible("production-band").await.unwrap();

    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    load_patch(&app, &server.base, "Renamed once").await;
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    let title =
        app.wait_for_text("[data-testid=confirm-write] h2", "PATCH a project", WAIT).await.unwrap();
    assert_eq!(title, "PATCH a project in account sandbox-demo?");
    let line = app.wait_for_text("[data-testid=confirm-write-line]", "PATCH", WAIT).await.unwrap();
    assert!(line.contains(&format!("PATCH /sandbox-demo/v1/projects/{PROJECT}")), "{line}");
    // A stray Enter never writes: the focus goes to Cancel.
    wait_for_focus(&app, "confirm-write-cancel").await;
    app.screenshot("production-guard-question").await.unwrap();
    app.assert_accessible("production-guard-question").await.unwrap();

    // Escape cancels: nothing was sent.
    app.press(&[Key::Escape]).await.unwrap();
    app.wait_gone("[data-testid=confirm-write]", WAIT).await.unwrap();
    assert_eq!(server.project_name().await, original, "Cancel sent nothing");
    let answers = app
        .execute(&format!(
            "return document.querySelectorAll({:?}).length",
            in_tab("[data-testid=response]")
        ))
        .await
        .unwrap();
    assert_eq!(answers, 0, "no answer in the tab after Cancel");

    // Asked again; Send by keyboard (Shift+Tab from Cancel, Enter) writes.
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    app.wait_for("[data-testid=confirm-write]", WAIT).await.unwrap();
    wait_for_focus(&app, "confirm-write-cancel").await;
    app.press(&[Key::ShiftTab]).await.unwrap();
    assert_eq!(focused_testid(&app).await, "confirm-write-send");
    app.press(&[Key::Enter]).await.unwrap();
    app.wait_gone("[data-testid=confirm-write]", WAIT).await.unwrap();
    answered(&app, "200").await;
    assert_eq!(server.project_name().await, "Renamed once");

    // A second write in the same tab goes without asking.
    load_patch(&app, &server.base, "Renamed twice").await;
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    let mut written = false;
    for _ in 0..100 {
        let asked = app
            .execute("return !!document.querySelector('[data-testid=confirm-write]')")
            .await
            .unwrap();
        assert_eq!(asked, false, "the tab asked a second time");
        if server.project_name().await == "Renamed twice" {
            written = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(written, "the second write reached the server");

    // A new tab asks again; Cancel (by pointer) sends nothing.
    app.click_on("[data-testid=new-tab]", WAIT).await.unwrap();
    load_patch(&app, &server.base, "Renamed from a new tab").await;
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    app.wait_for_text("[data-testid=confirm-write] h2", "PATCH a project", WAIT).await.unwrap();
    app.click_on("[data-testid=confirm-write-cancel]", WAIT).await.unwrap();
    app.wait_gone("[data-testid=confirm-write]", WAIT).await.unwrap();
    assert_eq!(server.project_name().await, "Renamed twice", "Cancel in the new tab sent nothing");
    app.close().await;
}

#[tokio::test]
async fn a_write_on_the_test_sandbox_profile_does_not_ask() {
    let app = AppSession::launch_with_sandbox_token("production-guard-test").await.unwrap();
    assert_eq!(
        app.execute("return !!document.querySelector('[data-testid=production-band]')")
            .await
            .unwrap(),
        false,
        "no band on a test profile"
    );
    let snapshot = app
        .execute_async(
            "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('app_snapshot').then(done, (e) => done({ error: String(e) }));",
        )
        .await
        .unwrap();
    let base = snapshot["sandbox"]["base_url"].as_str().expect("the sandbox's address");
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    load_patch(&app, base.trim_end_matches('/'), "Written without a question").await;
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    answered(&app, "200").await;
    let asked = app
        .execute("return !!document.querySelector('[data-testid=confirm-write]')")
        .await
        .unwrap();
    assert_eq!(asked, false);
    let body = app
        .wait_for_content(&in_tab("[data-testid=response]"), "Written without a question", WAIT)
        .await;
    assert!(body.is_ok(), "the write's answer shows: {body:?}");
    app.close().await;
}

/// The band in the dark theme: its words and AA contrast there too.
#[tokio::test]
async fn the_band_reads_in_the_dark_theme() {
    let server = Server::start();
    let home = customer_home("production-guard-dark", &server);
    let app = AppSession::launch_with(&home, &[("GTK_THEME", "Adwaita:dark")]).await.unwrap();
    let band =
        app.wait_for_text("[data-testid=production-band]", "Production", WAIT).await.unwrap();
    assert!(band.contains("Production · Customer"), "{band}");
    let dark =
        app.execute("return matchMedia('(prefers-color-scheme: dark)').matches").await.unwrap();
    assert_eq!(dark, true, "the window follows the dark theme");
    app.screenshot("production-band-dark").await.unwrap();
    app.assert_accessible("production-band-dark").await.unwrap();
    app.close().await;
}
