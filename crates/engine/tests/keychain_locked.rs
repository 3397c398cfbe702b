//! A keychain that is there but locked: the vault says so plainly (unlock it, or keep secrets for
//! this session only). Starts its own D-Bus session and a gnome-keyring daemon that is never
//! unlocked, so it needs gnome-keyring installed: ignored in plain `cargo test`, run by
//! `scripts/test` with `--include-ignored`. (Its own test binary: it points D-Bus at its bus.)

use engine::profiles::ProfileId;
use engine::secret::Secret;
use engine::vault::{SecretKind, Vault, VaultError, VaultMode};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Daemons {
    bus_pid: Option<u32>,
    keyring: Option<Child>,
    _dir: tempfile::TempDir,
}

impl Drop for Daemons {
    fn drop(&mut self) {
        if let Some(mut k) = self.keyring.take() {
            let _ = k.kill();
            let _ = k.wait();
        }
        if let Some(pid) = self.bus_pid {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    }
}

/// A private session bus with a gnome-keyring daemon whose login keyring stays locked.
fn locked_keyring() -> Daemons {
    let dir = tempfile::tempdir().unwrap();
    let runtime = dir.path().join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let out = Command::new("dbus-daemon")
        .args(["--session", "--fork", "--nopidfile", "--print-address=1", "--print-pid=1"])
        .output()
        .expect("dbus-daemon (package dbus) must be installed");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut lines = text.lines();
    let address = lines.next().expect("bus address").trim().to_string();
    let bus_pid = lines.next().and_then(|p| p.trim().parse().ok());
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    // With a display, gnome-keyring would show its unlock prompt and wait for a person (what a
    // desktop should do); without one it refuses at once, which is what this test checks.
    std::env::remove_var("DISPLAY");
    std::env::remove_var("WAYLAND_DISPLAY");
    std::env::set_var("XDG_RUNTIME_DIR", &runtime);
    std::env::set_var("XDG_DATA_HOME", dir.path().join("data"));
    // Create a login keyring with a password, then restart the daemon without it: the keyring
    // exists and is locked.
    let mut first = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon must be installed");
    {
        use std::io::Write as _;
        let mut stdin = first.stdin.take().unwrap();
        let _ = stdin.write_all(b"locked-keyring-test-password");
    }
    let vault = Vault::with_service("ScopeStack Companion locked-keyring test", VaultMode::Keychain);
    let deadline = Instant::now() + Duration::from_secs(10);
    while vault.set(&ProfileId::new("warm-up"), SecretKind::Password, &Secret::new("x")).is_err() {
        assert!(Instant::now() < deadline, "the first keyring daemon never became usable");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = first.kill();
    let _ = first.wait();
    let keyring = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--components=secrets"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon");
    std::thread::sleep(Duration::from_millis(500));
    Daemons { bus_pid, keyring: Some(keyring), _dir: dir }
}

#[test]
#[ignore = "needs gnome-keyring and dbus-daemon installed: run through scripts/test"]
fn a_locked_keychain_is_reported_with_what_to_do() {
    let _daemons = locked_keyring();
    let vault = Vault::with_service("ScopeStack Companion locked-keyring test", VaultMode::Keychain);
    let err = vault.set(&ProfileId::new("p"), SecretKind::ClientSecret, &Secret::new("value")).unwrap_err();
    assert!(matches!(err, VaultError::Locked), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("locked") && message.contains("keep secrets for this session only"), "{message}");
    vault.use_session_only();
    vault.set(&ProfileId::new("p"), SecretKind::ClientSecret, &Secret::new("value")).unwrap();
}
