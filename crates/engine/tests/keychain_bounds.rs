//! Every keychain call is bounded: against a real gnome-keyring of the test's own (its own
//! display, D-Bus session and daemon, see `keychain_support`) that is locked, stopped or killed,
//! the vault answers within its bound, or at once, and never hangs. Each test runs in a process of
//! its own, as the keychain library finds the D-Bus session through the process's environment.

use crate::keychain_support::{Activation, PrivateKeychain};
use crate::one_process::in_a_process_of_its_own;
use engine::profiles::ProfileId;
use engine::secret::Secret;
use engine::vault::{SecretKind, Vault, VaultError, VaultMode};
use engine::EngineError;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Far past every bound here: a call still unanswered then is taken for a hang.
const HANG: Duration = Duration::from_secs(30);

const SECRET: &str = "bounded-keychain-secret-1";

/// This test's own keychain with the login keyring unlocked, this process pointed at it, and a
/// vault over it bounded by `bound` holding one client secret; `None` outside the process of the
/// test's own.
fn set_up(
    test: &str,
    activation: Activation,
    bound: Duration,
) -> Option<(PrivateKeychain, Arc<Vault>)> {
    if !in_a_process_of_its_own(&format!("keychain_bounds::{test}")) {
        return None;
    }
    let keychain = PrivateKeychain::start(activation);
    for (name, value) in keychain.env() {
        std::env::set_var(name, value);
    }
    let vault = Vault::with_service("ScopeStack Companion bounds test", VaultMode::Keychain)
        .with_timeout(bound);
    vault.check().expect("the private keychain answers");
    vault.set(&profile(), SecretKind::ClientSecret, &Secret::new(SECRET)).unwrap();
    assert_eq!(
        vault.get(&profile(), SecretKind::ClientSecret).unwrap(),
        Some(Secret::new(SECRET)),
        "the secret is in the keychain"
    );
    Some((keychain, Arc::new(vault)))
}

fn profile() -> ProfileId {
    ProfileId::new("bounded")
}

/// Runs `call` with [`HANG`] as the limit; fails the test if it has not answered by then.
fn answered_within_hang<T: Send + 'static>(
    what: &str,
    call: impl FnOnce() -> T + Send + 'static,
) -> (T, Duration) {
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    std::thread::spawn(move || {
        let _ = tx.send(call());
    });
    match rx.recv_timeout(HANG) {
        Ok(answer) => (answer, started.elapsed()),
        Err(_) => panic!("{what} hung: no answer after {HANG:?}"),
    }
}

fn read(vault: &Arc<Vault>) -> impl FnOnce() -> Result<Option<Secret>, VaultError> {
    let vault = Arc::clone(vault);
    move || vault.get(&profile(), SecretKind::ClientSecret)
}

fn write(vault: &Arc<Vault>) -> impl FnOnce() -> Result<(), VaultError> {
    let vault = Arc::clone(vault);
    move || vault.set(&profile(), SecretKind::Password, &Secret::new("another-secret"))
}

/// The error is the vault's own bound giving up (not libdbus's 2-second reply timeout), says so
/// in plain words, and is diagnosed as such.
fn assert_no_answer_from_the_bound(err: &VaultError, bound: Duration) {
    assert!(
        matches!(err, VaultError::NoAnswer { waited } if *waited == bound),
        "expected the bound's NoAnswer after {bound:?}, got {err:?}"
    );
    let text = err.to_string();
    for words in ["did not answer within", "locked", "Unlock it", "session only"] {
        assert!(text.contains(words), "{words:?} missing from {text:?}");
    }
    let engine_error = EngineError::Vault(VaultError::NoAnswer { waited: bound });
    let diagnosis =
        engine::diagnose::diagnose_error(&engine_error, &engine::diagnose::Context::default());
    assert_eq!(diagnosis.code, "keychain.no_answer");
    assert_eq!(engine_error.kind(), engine::ErrorKind::Keychain);
}

#[test]
#[ignore = "needs Xvfb, dbus-daemon and gnome-keyring: run through scripts/test"]
fn a_locked_keychain_whose_prompt_nobody_answers_gives_no_answer_within_the_bound() {
    let bound = Duration::from_millis(1500);
    let test = "a_locked_keychain_whose_prompt_nobody_answers_gives_no_answer_within_the_bound";
    let Some((keychain, vault)) = set_up(test, Activation::PromptOnly, bound) else { return };
    keychain.lock();
    // libsecret's own client, which has no bound, is still waiting on the unlock prompt: the
    // keychain really does not answer.
    let attributes =
        ["service", "ScopeStack Companion bounds test", "username", "bounded/client-secret"];
    assert_eq!(
        keychain.secret_tool_lookup(&attributes, Duration::from_secs(3)),
        None,
        "secret-tool answered from a locked keychain"
    );

    let (answer, took) = answered_within_hang("reading from the locked keychain", read(&vault));
    let err = answer.expect_err("a locked keychain gave a secret");
    assert_no_answer_from_the_bound(&err, bound);
    assert!(took >= bound, "gave up before the bound: {took:?}");
    eprintln!("read from the locked keychain: no answer after {took:?} (bound {bound:?})");

    // The first call is still waiting on the prompt: the next ones fail at once, the same way,
    // without starting another thread behind it.
    for (what, answer) in [
        ("writing", answered_within_hang("writing to the locked keychain", write(&vault))),
        ("checking", {
            let vault = Arc::clone(&vault);
            answered_within_hang("checking the locked keychain", move || vault.check())
        }),
    ] {
        let (answer, took) = answer;
        assert_no_answer_from_the_bound(&answer.expect_err("the locked keychain answered"), bound);
        assert!(
            took < bound,
            "{what} waited {took:?} behind a stuck call instead of failing at once"
        );
    }
}

#[test]
#[ignore = "needs Xvfb, dbus-daemon and gnome-keyring: run through scripts/test"]
fn a_stopped_keychain_daemon_gives_no_answer_within_the_bound_and_is_used_again_once_resumed() {
    // Below libdbus's own 2-second reply timeout, so it is the bound that answers.
    let bound = Duration::from_millis(1000);
    let test =
        "a_stopped_keychain_daemon_gives_no_answer_within_the_bound_and_is_used_again_once_resumed";
    let Some((keychain, vault)) = set_up(test, Activation::PromptOnly, bound) else { return };
    keychain.stop();
    let (answer, took) = answered_within_hang("reading from a stopped keychain", read(&vault));
    assert_no_answer_from_the_bound(&answer.expect_err("a stopped keychain answered"), bound);
    eprintln!("read from the stopped keychain: no answer after {took:?} (bound {bound:?})");

    keychain.resume();
    let started = Instant::now();
    loop {
        let (answer, _) = answered_within_hang("reading from the resumed keychain", read(&vault));
        match answer {
            Ok(value) => break assert_eq!(value, Some(Secret::new(SECRET))),
            Err(VaultError::NoAnswer { .. }) if started.elapsed() < HANG => {
                std::thread::sleep(Duration::from_millis(200))
            }
            Err(e) => panic!("the resumed keychain is not used again: {e:?}"),
        }
    }
    eprintln!("the resumed keychain answered again after {:?}", started.elapsed());
}

#[test]
#[ignore = "needs Xvfb, dbus-daemon and gnome-keyring: run through scripts/test"]
fn a_killed_keychain_daemon_is_reported_at_once() {
    let bound = Duration::from_secs(5);
    let test = "a_killed_keychain_daemon_is_reported_at_once";
    let Some((mut keychain, vault)) = set_up(test, Activation::PromptOnly, bound) else { return };
    keychain.kill();
    let (answer, took) = answered_within_hang("reading from a killed keychain", read(&vault));
    let err = answer.expect_err("a killed keychain answered");
    assert!(
        matches!(err, VaultError::Unavailable(_) | VaultError::Failed(_)),
        "a killed keychain is reported as gone, not as silent: {err:?}"
    );
    assert!(err.to_string().contains("keep secrets for this session only"), "{err}");
    assert!(took < bound, "took {took:?}: not at once");
    eprintln!("read from the killed keychain: {err} (after {took:?})");
}

#[test]
#[ignore = "needs Xvfb, dbus-daemon and gnome-keyring: run through scripts/test"]
fn a_keychain_daemon_killed_and_restarted_locked_gives_no_answer_within_the_bound() {
    // As on a desktop, the bus starts a new daemon when the vault asks for the keychain again; it
    // opens the keyring on disk locked, and asks for its password in a prompt nobody answers.
    let bound = Duration::from_millis(1500);
    let test = "a_keychain_daemon_killed_and_restarted_locked_gives_no_answer_within_the_bound";
    let Some((mut keychain, vault)) = set_up(test, Activation::PromptAndKeychain, bound) else {
        return;
    };
    keychain.kill();
    let (answer, took) = answered_within_hang("reading from a restarted keychain", read(&vault));
    assert_no_answer_from_the_bound(&answer.expect_err("a locked keychain gave a secret"), bound);
    eprintln!("read from the restarted, locked keychain: no answer after {took:?}");
}
