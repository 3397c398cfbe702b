//! Test connection in the real window: on the Sandbox profile every step passes (run from the
//! keyboard); on a profile pointing at a refused port the TCP step fails with its diagnosis and
//! fix, and the steps after it are skipped. Each step shows a mark and a word, not colour alone;
//! the status line says the result; axe-core over both (the failure in both themes); screenshots.

use e2e::soak::cli_binary;
use e2e::{fresh_home, AppSession, Key};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
/// The check ends well within its own limits (10 s a step); this only stops a broken test.
const CHECK_WAIT: Duration = Duration::from_secs(90);

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

/// Each step's id, outcome and visible text, in order.
async fn steps(app: &AppSession) -> Vec<(String, String, String)> {
    let v = app
        .execute(
            "return [...document.querySelectorAll('[data-testid=check-steps] > li')].map((li) => [li.dataset.testid.replace('check-step-', ''), li.dataset.outcome, li.querySelector('.check-line').textContent])",
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let s = s.as_array().unwrap();
            let text = |i: usize| s[i].as_str().unwrap_or_default().to_string();
            (text(0), text(1), text(2))
        })
        .collect()
}

/// The app's environment without a proxy (the check reads the same variables as the requests).
const NO_PROXY_ENV: &[(&str, &str)] =
    &[("HTTPS_PROXY", ""), ("HTTP_PROXY", ""), ("ALL_PROXY", ""), ("NO_PROXY", "")];

#[tokio::test]
async fn test_connection_on_the_sandbox_passes_every_step() {
    let app =
        AppSession::launch_with(&fresh_home("check-sandbox").unwrap(), NO_PROXY_ENV).await.unwrap();
    // From the keyboard: the button takes focus and Enter runs the check.
    let button = app.wait_for("[data-testid=test-connection]", WAIT).await.unwrap();
    assert_eq!(app.text(&button).await.unwrap(), "Test connection");
    app.execute("document.querySelector('[data-testid=test-connection]').focus()").await.unwrap();
    app.press(&[Key::Enter]).await.unwrap();
    let status = app
        .wait_for_text("[data-testid=connection-check-status]", "every step passed", CHECK_WAIT)
        .await
        .unwrap();
    assert_eq!(status, "Connection check: every step passed.");

    let found = steps(&app).await;
    let outcomes: Vec<(&str, &str)> =
        found.iter().map(|(id, outcome, _)| (id.as_str(), outcome.as_str())).collect();
    assert_eq!(
        outcomes,
        vec![
            ("names", "pass"),
            ("connect", "pass"),
            ("proxy", "pass"),
            ("tls", "skipped"),
            ("token_endpoint", "pass"),
            ("clock", "pass"),
            ("api", "pass"),
        ]
    );
    // The word is in the text, beside the mark: not colour alone.
    for (id, outcome, text) in &found {
        let word = if outcome == "pass" { "Passed" } else { "Skipped" };
        assert!(text.contains(word), "{id}: {text}");
    }
    assert!(found[3].2.contains("plain HTTP on this computer"), "{}", found[3].2);
    assert!(found[6].2.contains("401"), "{}", found[6].2);
    let base = app
        .execute("return document.querySelector('[data-testid=sandbox-status] .status.ok').title")
        .await
        .unwrap();
    let base = base.as_str().expect("the sandbox's address").trim_end_matches('/').to_string();
    let where_ =
        app.text(&app.wait_for("[data-testid=check-where]", WAIT).await.unwrap()).await.unwrap();
    assert_eq!(where_, format!("Checked the token URL {base}/oauth/token and the API {base}/."));
    let notes = app
        .execute(
            "return document.querySelectorAll('[data-testid=connection-check] .error-note').length",
        )
        .await
        .unwrap();
    assert_eq!(notes, 0, "no diagnosis when every step passes");

    app.execute("document.querySelector('[data-testid=connection-check]').scrollIntoView()")
        .await
        .unwrap();
    app.screenshot("connection-check-sandbox").await.unwrap();
    app.assert_accessible("connection-check-sandbox").await.unwrap();
    app.close().await;
}

#[tokio::test]
async fn test_connection_on_a_refused_port_shows_the_tcp_failure_and_its_fix() {
    refused_port("light", &[]).await;
}

/// The same in the dark theme: the marks' and words' colours keep their contrast there too.
#[tokio::test]
async fn the_failed_check_reads_in_the_dark_theme() {
    refused_port("dark", &[("GTK_THEME", "Adwaita:dark")]).await;
}

async fn refused_port(theme: &str, theme_env: &[(&str, &str)]) {
    let home = fresh_home(&format!("check-refused-{theme}")).unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    cli(
        &home,
        &[
            "profiles",
            "add",
            "Nowhere",
            "--base-url",
            &base,
            "--grant",
            "client-credentials",
            "--client-id",
            "some-client",
            "--test",
        ],
    );
    cli(&home, &["profiles", "use", "Nowhere"]);
    let env: Vec<(&str, &str)> = NO_PROXY_ENV.iter().chain(theme_env).copied().collect();
    let app = AppSession::launch_with(&home, &env).await.unwrap();
    app.click_in_view("[data-testid=test-connection]", WAIT).await.unwrap();
    let status = app
        .wait_for_text("[data-testid=connection-check-status]", "failed", CHECK_WAIT)
        .await
        .unwrap();
    assert_eq!(status, "Connection check: 1 step failed — Connection (TCP).");

    let found = steps(&app).await;
    let outcome = |id: &str| found.iter().find(|s| s.0 == id).map(|s| s.1.clone()).unwrap();
    assert_eq!(outcome("names"), "pass");
    assert_eq!(outcome("connect"), "fail");
    for later in ["proxy", "tls", "token_endpoint", "clock", "api"] {
        assert_eq!(outcome(later), "skipped", "{later}: {found:?}");
    }
    let connect = &found.iter().find(|s| s.0 == "connect").unwrap().2;
    assert!(connect.contains("Failed") && connect.contains("refused"), "{connect}");

    let card = app
        .wait_for_text(
            "[data-testid=check-step-connect] [data-testid=diagnosis]",
            "What to do",
            WAIT,
        )
        .await
        .unwrap();
    assert!(card.contains("Check the address and port in the settings"), "{card}");
    let title = app
        .execute("return document.querySelector('[data-testid=check-step-connect] .error-title').textContent")
        .await
        .unwrap();
    assert_eq!(title, format!("Nothing answers at 127.0.0.1"));
    let code = app
        .execute("return document.querySelector('[data-testid=check-step-connect] .error-note').dataset.code")
        .await
        .unwrap();
    assert_eq!(code, "net.connection_refused");

    app.execute("document.querySelector('[data-testid=check-step-connect]').scrollIntoView({block: 'center'})")
        .await
        .unwrap();
    app.screenshot(&format!("connection-check-refused-{theme}")).await.unwrap();
    app.assert_accessible(&format!("connection-check-refused-{theme}")).await.unwrap();
    app.close().await;
}
