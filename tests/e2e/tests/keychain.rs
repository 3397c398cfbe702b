//! The real window when the keychain does not answer: launched on a D-Bus session of the test's
//! own whose gnome-keyring is locked (its unlock prompt shown where nobody answers it) or stopped,
//! the app comes up within the keychain's bound, says why secrets are kept for this session only,
//! and the Sandbox sign-in works. The other tests' keychain is not touched.

#[path = "../../../crates/engine/tests/keychain_support/mod.rs"]
mod keychain_support;

use e2e::AppSession;
use keychain_support::{Activation, PrivateKeychain};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// Launches the app on `keychain`'s D-Bus session (the window itself on the tests' display),
/// signs in to the Sandbox with the demo account, and checks the notice.
async fn launch_and_sign_in(keychain: &PrivateKeychain, home: &std::path::Path, name: &str) {
    let started = Instant::now();
    let app =
        AppSession::launch_with(home, &[("DBUS_SESSION_BUS_ADDRESS", keychain.bus_address())])
            .await
            .expect("the app comes up although its keychain does not answer");
    eprintln!("{name}: the window came up after {:?}", started.elapsed());
    let notice = app.wait_for_text(".notice", "did not answer", WAIT).await.unwrap();
    for words in ["it may be locked", "Unlock it", "kept for this session only"] {
        assert!(notice.contains(words), "{words:?} missing from the notice: {notice}");
    }
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    app.close().await;
}

#[tokio::test]
async fn with_a_locked_keychain_the_window_comes_up_and_keeps_secrets_for_this_session() {
    let keychain = PrivateKeychain::start(Activation::PromptOnly);
    // The last run's Sandbox token, which the app deletes at start: with the keyring locked,
    // that asks for its password.
    let home = e2e::fresh_home("keychain-locked").expect("a settings folder");
    keychain.secret_tool_store(
        &[
            "service",
            &e2e::keychain_service_of(&home),
            "username",
            "sandbox/tokens",
            "target",
            "default",
        ],
        "{}",
    );
    keychain.lock();
    launch_and_sign_in(&keychain, &home, "keychain-locked").await;
}

#[tokio::test]
async fn with_a_stopped_keychain_daemon_the_window_comes_up_and_keeps_secrets_for_this_session() {
    let keychain = PrivateKeychain::start(Activation::PromptOnly);
    keychain.stop();
    let home = e2e::fresh_home("keychain-stopped").expect("a settings folder");
    launch_and_sign_in(&keychain, &home, "keychain-stopped").await;
    keychain.resume();
}

/// A keychain that stops answering while the app runs (here: locked, its unlock prompt shown
/// where nobody answers it) holds up only the command that reads it, for its bound: a command
/// that needs no keychain, sent while it waits, answers at once. Commands that read the
/// keychain run off the window's main thread, which would otherwise freeze for the bound.
#[tokio::test]
async fn a_keychain_locked_mid_session_holds_up_only_the_command_that_reads_it() {
    let keychain = PrivateKeychain::start(Activation::PromptOnly);
    let home = e2e::fresh_home("keychain-mid-session").expect("a settings folder");
    let app =
        AppSession::launch_with(&home, &[("DBUS_SESSION_BUS_ADDRESS", keychain.bus_address())])
            .await
            .expect("launch the app");
    let added = app
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke('add_profile', { name: 'Mid-session' })
               .then((s) => done(s.profiles.map((p) => p.profile).find((p) => p.name === 'Mid-session').id), (e) => done('failed: ' + JSON.stringify(e)));",
        )
        .await
        .unwrap();
    let id = added.as_str().expect("the new profile's id").to_string();
    assert!(!id.starts_with("failed"), "{id}");
    // Its token entry, then the lock: reading it now asks for the keyring's password.
    keychain.secret_tool_store(
        &[
            "service",
            &e2e::keychain_service_of(&home),
            "username",
            &format!("{id}/tokens"),
            "target",
            "default",
        ],
        "{}",
    );
    keychain.lock();
    let timing = app
        .execute_async(&format!(
            "const done = arguments[arguments.length - 1];
             const invoke = window.__TAURI_INTERNALS__.invoke;
             (async () => {{
               const started = performance.now();
               const status = invoke('profile_status', {{ id: {id:?} }}).then((s) => JSON.stringify(s), (e) => JSON.stringify(e));
               await new Promise((r) => setTimeout(r, 300));
               const asked = performance.now();
               await invoke('saved_folders', {{ id: {id:?} }});
               const otherMs = performance.now() - asked;
               const statusText = await status;
               return {{ otherMs, statusText, statusMs: performance.now() - started }};
             }})().then(done, (e) => done({{ error: String(e) }}));"
        ))
        .await
        .unwrap();
    eprintln!("mid-session lock: {timing}");
    let other_ms = timing["otherMs"].as_f64().expect("the other command's time");
    assert!(
        other_ms < 1500.0,
        "a command needing no keychain waited {other_ms:.0} ms behind one held by the keychain: {timing}"
    );
    let status = timing["statusText"].as_str().unwrap_or_default();
    assert!(
        status.contains("did not answer"),
        "the status says the keychain did not answer: {timing}"
    );
    app.close().await;
}

/// A long day's keychain dies: with 5-second tokens renewed all the time by the app and by
/// `scopestack-cli token` beside it, the keychain's daemon is killed, and a new one starts
/// locked (as a desktop's session bus would start it). No request through the window may wait
/// much longer than the keychain's bound: each answers, or fails saying the keychain did not
/// answer, within about two bounds. (Seen in a 20-minute soak: requests waited over 30 s.)
#[tokio::test]
async fn a_keychain_that_dies_mid_day_fails_requests_within_its_bound() {
    let mut keychain = PrivateKeychain::start(Activation::PromptAndKeychain);
    let plan = e2e::soak::SoakPlan {
        methods: vec![e2e::soak::Method::Password],
        duration: Duration::from_secs(36),
        request_every: Duration::from_secs(2),
        cli_every: Duration::from_secs(3),
        token_lifetime: Duration::from_secs(5),
        first_reading_at: Duration::from_secs(30),
        name: "keychain-dies-mid-day".into(),
        bus: Some(keychain.bus_address().to_string()),
    };
    let report =
        e2e::soak::run_with_event(&plan, Some((Duration::from_secs(12), || keychain.kill())))
            .await
            .expect("set up the run");
    eprintln!("{report:#?}");
    assert_eq!(report.requests_failed, report.failed_after, "a request failed before: {report:#?}");
    // Each request after the kill may wait the bound once: 24 s hold at least 4 of them.
    assert!(report.requests_after >= 4, "{report:#?}");
    // The keychain's bound: the engine's default (vault::bound::DEFAULT_KEYCHAIN_TIMEOUT).
    let bound = Duration::from_secs(5);
    assert!(
        report.slowest_request_after <= bound * 2 + Duration::from_secs(2),
        "a request waited {:?} after the keychain died (its bound is {bound:?}): {report:#?}",
        report.slowest_request_after
    );
}
