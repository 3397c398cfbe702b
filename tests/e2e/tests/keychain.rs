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
async fn launch_and_sign_in(keychain: &PrivateKeychain, name: &str) {
    let home = e2e::fresh_home(name).expect("a settings folder");
    let started = Instant::now();
    let app =
        AppSession::launch_with(&home, &[("DBUS_SESSION_BUS_ADDRESS", keychain.bus_address())])
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
    keychain.secret_tool_store(
        &["service", "ScopeStack Companion", "username", "sandbox/tokens", "target", "default"],
        "{}",
    );
    keychain.lock();
    launch_and_sign_in(&keychain, "keychain-locked").await;
}

#[tokio::test]
async fn with_a_stopped_keychain_daemon_the_window_comes_up_and_keeps_secrets_for_this_session() {
    let keychain = PrivateKeychain::start(Activation::PromptOnly);
    keychain.stop();
    launch_and_sign_in(&keychain, "keychain-stopped").await;
    keychain.resume();
}
