//! A private, real keychain for one test: its own X display, D-Bus session and
//! gnome-keyring-daemon in a temporary folder, which the test may lock, stop or kill without
//! touching the keychain other tests share. Everything it started is killed when it is dropped,
//! also when the test fails. (Also used by the CLI's and the window's tests, by path.)

#![allow(dead_code)] // each user takes its own part

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The login collection `gnome-keyring-daemon --unlock` creates, and the default one.
const LOGIN_COLLECTION: &str = "/org/freedesktop/secrets/collection/login";

/// What may start on the private bus when asked for by name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// Only GNOME's unlock prompt (`gcr-prompter`, shown on the private display, where nobody
    /// answers it). A killed keychain daemon stays gone.
    PromptOnly,
    /// Also a new keychain daemon when the first is gone, as on a desktop: it starts with the
    /// keyring on disk locked.
    PromptAndKeychain,
}

pub struct PrivateKeychain {
    /// The temporary folder, removed at the end.
    dir: TempDir,
    /// The process group every process started here belongs to (the first one's id).
    group: u32,
    children: Vec<Child>,
    keyring: Option<Child>,
    display: String,
    bus: String,
}

/// A new, empty folder under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos();
        let name = format!(
            "scopestack-keychain-{}-{}-{nanos}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let dir = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn wait_for_file(path: &Path, what: &str) -> String {
    let started = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if text.ends_with('\n') {
                return text.lines().next().unwrap_or_default().trim().to_string();
            }
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{what} did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl PrivateKeychain {
    /// Starts everything, with the login keyring unlocked.
    pub fn start(activation: Activation) -> PrivateKeychain {
        let dir = TempDir::new();
        for sub in ["runtime", "data", "config", "home", "services"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.path().join("runtime"),
            std::fs::Permissions::from_mode(0o700),
        )
        .unwrap();
        let services = dir.path().join("services");
        std::fs::write(
            services.join("org.gnome.keyring.SystemPrompter.service"),
            "[D-BUS Service]\nName=org.gnome.keyring.SystemPrompter\nExec=/usr/libexec/gcr-prompter\n",
        )
        .unwrap();
        if activation == Activation::PromptAndKeychain {
            std::fs::write(
                services.join("org.freedesktop.secrets.service"),
                "[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/usr/bin/gnome-keyring-daemon --start --foreground --components=secrets\n",
            )
            .unwrap();
        }
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                dir.path().join("runtime").display(),
                services.display()
            ),
        )
        .unwrap();

        use std::os::unix::process::CommandExt;
        let display_file = dir.path().join("display");
        // `exec` keeps the shell's process id: the one killed at the end is Xvfb itself.
        let xvfb = Command::new("sh")
            .args([
                "-c",
                "exec Xvfb -displayfd 3 -screen 0 800x600x24 -nolisten tcp 3>\"$1\" 2>/dev/null",
                "sh",
            ])
            .arg(&display_file)
            .process_group(0)
            .spawn()
            .expect("start Xvfb");
        let group = xvfb.id();
        let mut keychain = PrivateKeychain {
            group,
            children: vec![xvfb],
            keyring: None,
            display: String::new(),
            bus: String::new(),
            dir,
        };
        keychain.display = format!(":{}", wait_for_file(&display_file, "Xvfb"));

        let bus_file = keychain.dir.path().join("bus");
        let bus = keychain
            .command("sh")
            .args([
                "-c",
                "exec dbus-daemon --nofork --config-file=\"$1\" --print-address=3 3>\"$2\" 2>\"$2.log\"",
                "sh",
            ])
            .arg(&config)
            .arg(&bus_file)
            .process_group(group as i32)
            .spawn()
            .expect("start dbus-daemon");
        keychain.children.push(bus);
        keychain.bus = wait_for_file(&bus_file, "dbus-daemon");

        keychain.keyring = Some(keychain.start_keyring());
        keychain
    }

    fn start_keyring(&self) -> Child {
        use std::io::Write;
        use std::os::unix::process::CommandExt;
        let mut keyring = self
            .command("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(self.group as i32)
            .spawn()
            .expect("start gnome-keyring-daemon");
        keyring.stdin.take().unwrap().write_all(b"private-keychain-password").unwrap();
        let started = Instant::now();
        while !self.secrets_service_is_up() {
            assert!(started.elapsed() < Duration::from_secs(20), "gnome-keyring did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        keyring
    }

    fn secrets_service_is_up(&self) -> bool {
        self.command("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
    }

    /// The variables a program needs to use this keychain (and nothing of the caller's).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let at = |sub: &str| self.dir.path().join(sub).display().to_string();
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", self.bus.clone()),
            ("DISPLAY", self.display.clone()),
            ("XDG_RUNTIME_DIR", at("runtime")),
            ("XDG_DATA_HOME", at("data")),
            ("XDG_CONFIG_HOME", at("config")),
            ("HOME", at("home")),
        ]
    }

    pub fn bus_address(&self) -> &str {
        &self.bus
    }

    /// A folder of this keychain's temporary folder, for the test's own files.
    pub fn path(&self, sub: &str) -> PathBuf {
        let path = self.dir.path().join(sub);
        std::fs::create_dir_all(&path).unwrap();
        path
    }

    /// `program` with this keychain's environment.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.envs(self.env());
        cmd
    }

    /// Locks the login keyring (as the desktop does after a while, or at a screen lock): reading
    /// or writing a secret then needs its password, asked in a prompt nobody here answers.
    pub fn lock(&self) {
        let out = self
            .command("gdbus")
            .args([
                "call",
                "--session",
                "--dest",
                "org.freedesktop.secrets",
                "--object-path",
                "/org/freedesktop/secrets",
                "--method",
                "org.freedesktop.Secret.Service.Lock",
                &format!("['{LOGIN_COLLECTION}']"),
            ])
            .output()
            .expect("run gdbus");
        assert!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains(LOGIN_COLLECTION),
            "locking the keyring: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stores `value` under `attributes` with `secret-tool`, as another program would.
    pub fn secret_tool_store(&self, attributes: &[&str], value: &str) {
        use std::io::Write;
        let mut child = self
            .command("secret-tool")
            .args(["store", "--label=ScopeStack Companion test entry"])
            .args(attributes)
            .stdin(Stdio::piped())
            .spawn()
            .expect("run secret-tool");
        child.stdin.take().unwrap().write_all(value.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success(), "secret-tool stored the entry");
    }

    /// What `secret-tool` (libsecret's own client, unbounded) gets for `attributes` within
    /// `limit`: `None` when it was still waiting then (and was stopped).
    pub fn secret_tool_lookup(&self, attributes: &[&str], limit: Duration) -> Option<String> {
        let out = self
            .command("timeout")
            .arg(format!("{}", limit.as_secs_f64()))
            .args(["secret-tool", "lookup"])
            .args(attributes)
            .output()
            .expect("run secret-tool");
        (out.status.code() != Some(124)).then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn signal(&self, signal: &str) {
        let pid = self.keyring.as_ref().expect("the keychain daemon runs").id();
        let _ = Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status();
    }

    /// Pauses the keychain daemon: it keeps its name on the bus but answers nothing (a hung
    /// daemon).
    pub fn stop(&self) {
        self.signal("STOP");
    }

    pub fn resume(&self) {
        self.signal("CONT");
    }

    /// Kills the keychain daemon outright (a crash).
    pub fn kill(&mut self) {
        self.signal("KILL");
        if let Some(mut keyring) = self.keyring.take() {
            let _ = keyring.wait();
        }
        let started = Instant::now();
        while self.secrets_service_is_up() {
            assert!(started.elapsed() < Duration::from_secs(10), "the keychain's name stayed");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PrivateKeychain {
    fn drop(&mut self) {
        // The whole group: also what the bus started (the prompt, a restarted keychain daemon).
        let _ = Command::new("kill").args(["-CONT", "--", &format!("-{}", self.group)]).status();
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.group)]).status();
        for child in self.keyring.iter_mut().chain(&mut self.children) {
            let _ = child.wait();
        }
    }
}
