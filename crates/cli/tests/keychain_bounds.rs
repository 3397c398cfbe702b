//! `scopestack-cli` against a real gnome-keyring of the test's own that is locked or stopped:
//! it exits 5 with the keychain's "did not answer" message within its bound
//! (`SCOPESTACK_COMPANION_KEYCHAIN_TIMEOUT_MS`), and never hangs.

#[path = "../../engine/tests/keychain_support/mod.rs"]
mod keychain_support;

use crate::support::{assert_code, cli, stderr, stdout, TestSandbox, SERVICE_ID, SERVICE_SECRET};
use keychain_support::{Activation, PrivateKeychain};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Far past the bound: a command still running then is taken for a hang.
const HANG: Duration = Duration::from_secs(30);

const PROFILE: &str = "Bounded keychain";

/// The CLI with its settings in `home` and its keychain the private one, bounded by `bound`.
fn cli_on(keychain: &PrivateKeychain, home: &Path, bound: Duration) -> Command {
    let mut cmd = cli(home);
    cmd.envs(keychain.env())
        .env("SCOPESTACK_COMPANION_KEYCHAIN_TIMEOUT_MS", bound.as_millis().to_string());
    cmd
}

/// Runs `cmd` to its end, or kills it and fails the test once it has run for [`HANG`].
fn run_within_hang(mut cmd: Command, what: &str) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} hung: still running after {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    child.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    (Output { status, stdout: out, stderr: err }, took)
}

/// A profile of the sandbox's service account whose client secret and token are kept in the
/// private keychain.
fn profile_with_kept_secrets(keychain: &PrivateKeychain, home: &Path, sbx: &TestSandbox) {
    let bound = Duration::from_secs(10);
    let out = cli_on(keychain, home, bound)
        .args(["profiles", "add", PROFILE, "--grant", "client-credentials"])
        .args(["--base-url", &sbx.base, "--client-id", SERVICE_ID])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = cli_on(keychain, home, bound)
        .args(["login", "--profile", PROFILE, "--client-secret-env", "S", "--remember"])
        .env("S", SERVICE_SECRET)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let (out, _) = run_within_hang(
        {
            let mut cmd = cli_on(keychain, home, bound);
            cmd.args(["token", "--profile", PROFILE]);
            cmd
        },
        "reading the token from the unlocked keychain",
    );
    assert_code(&out, 0);
    assert!(!stdout(&out).trim().is_empty(), "the token is printed");
}

/// `token --profile` exits 5 within the bound, with the message and what to do on the
/// command line.
fn assert_token_gets_no_answer(keychain: &PrivateKeychain, home: &Path, bound: Duration) {
    let mut cmd = cli_on(keychain, home, bound);
    cmd.args(["token", "--profile", PROFILE]);
    let (out, took) = run_within_hang(cmd, "`token` against a keychain that does not answer");
    assert_code(&out, 5);
    let said = stderr(&out);
    let within = format!("did not answer within {} s", bound.as_secs_f64());
    for words in [within.as_str(), "it may be locked", "Unlock it", "--session-only"] {
        assert!(said.contains(words), "{words:?} missing from: {said}");
    }
    assert!(stdout(&out).is_empty(), "no token printed: {}", stdout(&out));
    eprintln!("`token` exited 5 after {took:?} (bound {bound:?}):\n{said}");
}

#[test]
#[ignore = "needs Xvfb, dbus-daemon and gnome-keyring: run through scripts/test"]
fn token_from_a_locked_keychain_exits_5_within_the_bound() {
    let keychain = PrivateKeychain::start(Activation::PromptOnly);
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    profile_with_kept_secrets(&keychain, home.path(), &sbx);
    keychain.lock();
    assert_token_gets_no_answer(&keychain, home.path(), Duration::from_millis(1500));
}

#[test]
#[ignore = "needs Xvfb, dbus-daemon and gnome-keyring: run through scripts/test"]
fn token_from_a_stopped_keychain_daemon_exits_5_within_the_bound() {
    let keychain = PrivateKeychain::start(Activation::PromptOnly);
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    profile_with_kept_secrets(&keychain, home.path(), &sbx);
    keychain.stop();
    // Below libdbus's own 2-second reply timeout, so it is the bound that answers.
    assert_token_gets_no_answer(&keychain, home.path(), Duration::from_millis(1000));
    keychain.resume();
}

/// The app's programs take turns at the keychain (gnome-keyring aborts when several clients open
/// sessions at once): while another one holds the turn past the bound, `token` gets no answer;
/// once it is let go, `token` reads the keychain again.
#[test]
#[ignore = "needs Xvfb, dbus-daemon and gnome-keyring: run through scripts/test"]
fn token_waits_its_turn_at_the_keychain_behind_another_program() {
    let keychain = PrivateKeychain::start(Activation::PromptOnly);
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    profile_with_kept_secrets(&keychain, home.path(), &sbx);
    let turn = home.path().join("locks").join("keychain.lock");
    let held = engine::file_lock::FileLock::acquire(&turn, "the test", Duration::ZERO).unwrap();
    assert_token_gets_no_answer(&keychain, home.path(), Duration::from_millis(1500));
    drop(held);
    let mut cmd = cli_on(&keychain, home.path(), Duration::from_secs(10));
    cmd.args(["token", "--profile", PROFILE]);
    let (out, _) = run_within_hang(cmd, "`token` once the turn is free");
    assert_code(&out, 0);
    assert!(!stdout(&out).trim().is_empty(), "the token is printed");
}
