//! What the tests need now that they share one test process: one turn at a time at the real keychain, and a process of its own for a test that changes the whole process (its environment, its global log subscriber) or measures it (its memory).

use std::process::Command;
use std::sync::{Mutex, MutexGuard};

static KEYCHAIN: Mutex<()> = Mutex::new(());

/// Held for the whole of a test that uses the real keychain: gnome-keyring-daemon 42 crashed (GLib-ERROR in `aes_negotiate`) when vaults opened keychain sessions from two threads at once, and a crashed daemon leaves every later keychain call of the run waiting on a new, locked one.
pub fn keychain_turn() -> MutexGuard<'static, ()> {
    KEYCHAIN.lock().unwrap_or_else(|e| e.into_inner())
}

/// Set in the process of its own, to the test it runs.
const ALONE_ENV: &str = "SCOPESTACK_TEST_ALONE";

/// For a test that changes or measures the whole process, as it could when each test file was its own binary. `name` is the test's path as `-- --list` shows it (`file::test`). Returns `true` in the process of its own, where the test then runs; elsewhere it runs this test binary again for that one test, checks that it ran and passed there, and returns `false`.
pub fn in_a_process_of_its_own(name: &str) -> bool {
    if std::env::var(ALONE_ENV).as_deref() == Ok(name) {
        return true;
    }
    let binary = std::env::current_exe().expect("the path of this test binary");
    let out = Command::new(binary)
        .args([name, "--exact", "--include-ignored", "--nocapture", "--test-threads=1"])
        .env(ALONE_ENV, name)
        .output()
        .expect("this test binary runs again");
    // Shown (indented, so no summary line of the child reads as one of this run) when the test fails.
    let said: String = [&out.stdout[..], &out.stderr[..]]
        .iter()
        .flat_map(|o| {
            String::from_utf8_lossy(o).lines().map(|l| format!("  | {l}\n")).collect::<Vec<_>>()
        })
        .collect();
    eprint!("{name}, in a process of its own:\n{said}");
    assert!(out.status.success(), "{name} failed in its process of its own ({})", out.status);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("test result: ok. 1 passed"),
        "{name} did not run in its process of its own"
    );
    false
}
