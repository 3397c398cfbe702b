//! Helpers for the CLI tests: a sandbox in the test process, the real binary in a temporary
//! `SCOPESTACK_COMPANION_HOME`, and a scripted browser sign-in.

#![allow(dead_code)] // each test file uses its own part of this module

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub const SERVICE_ID: &str = sandbox::SERVICE_CLIENT_ID;
pub const SERVICE_SECRET: &str = sandbox::SERVICE_CLIENT_SECRET;

/// A sandbox running on its own runtime for as long as the value lives.
pub struct TestSandbox {
    pub runtime: tokio::runtime::Runtime,
    pub sandbox: Option<sandbox::Sandbox>,
    pub base: String,
}

impl TestSandbox {
    pub fn start() -> TestSandbox {
        TestSandbox::with_config(sandbox::SandboxConfig::default())
    }

    /// A sandbox whose access tokens live `secs` seconds.
    pub fn with_token_lifetime(secs: u64) -> TestSandbox {
        TestSandbox::with_config(sandbox::SandboxConfig {
            token_lifetime: Duration::from_secs(secs),
            ..Default::default()
        })
    }

    fn with_config(config: sandbox::SandboxConfig) -> TestSandbox {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = runtime.block_on(sandbox::Sandbox::start(config)).unwrap();
        let base = sandbox.base_url();
        TestSandbox { runtime, sandbox: Some(sandbox), base }
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.base)
    }

    /// `GET /v1/me` with a token: the status and the body.
    pub fn me(&self, token: &str) -> (u16, serde_json::Value) {
        let url = format!("{}/v1/me", self.base);
        self.runtime.block_on(async {
            let response = reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .header("Accept", "application/vnd.api+json")
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json().await.unwrap_or(serde_json::Value::Null))
        })
    }

    /// Signs in on the sandbox's sign-in page as a browser would, for the sign-in address the
    /// CLI printed: posts the form (`email`, `password`, button `sign_in`) and returns the 302's
    /// `Location`, the address the browser ends on.
    pub fn sign_in(&self, authorize_url: &str, email: &str, password: &str) -> String {
        let url = url::Url::parse(authorize_url).unwrap();
        let mut form: Vec<(String, String)> =
            url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        form.push(("email".into(), email.into()));
        form.push(("password".into(), password.into()));
        form.push(("sign_in".into(), String::new()));
        let action = format!("{}/oauth/authorize", self.base);
        self.runtime.block_on(async {
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let page = client.get(authorize_url).send().await.unwrap();
            assert_eq!(page.status().as_u16(), 200, "the sign-in page shows");
            let response = client.post(action).form(&form).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 302, "signing in redirects back");
            response.headers()["location"].to_str().unwrap().to_string()
        })
    }

    /// A GET as the browser would make it (to the CLI's loopback listener).
    pub fn browser_get(&self, url: &str) -> u16 {
        self.runtime.block_on(async {
            reqwest::Client::new().get(url).send().await.unwrap().status().as_u16()
        })
    }
}

impl Drop for TestSandbox {
    fn drop(&mut self) {
        if let Some(s) = self.sandbox.take() {
            drop(s);
        }
    }
}

static KEYCHAIN: Mutex<()> = Mutex::new(());

/// Held for the whole of a test whose commands use the real keychain (a stored profile without `--session-only`), now that all the CLI's tests share one process: gnome-keyring-daemon 42 crashed when keychain sessions were opened from two places at once, and a crashed daemon leaves every later keychain call of the run waiting on a new, locked one.
pub fn keychain_turn() -> MutexGuard<'static, ()> {
    KEYCHAIN.lock().unwrap_or_else(|e| e.into_inner())
}

/// The real binary, with its settings in `home` and no browser or keychain of the caller's.
pub fn cli(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scopestack-cli"));
    cmd.env("SCOPESTACK_COMPANION_HOME", home).env_remove("BROWSER").stdin(Stdio::null());
    cmd
}

/// Runs the binary to the end with `stdin` written to it.
/// `scopestack-cli COMMAND ARGS…` with the one-off settings of the sandbox's service account
/// (client credentials; the secret from the environment variable `SVC_SECRET`).
pub fn with_service_account(
    home: &Path,
    sbx: &TestSandbox,
    command: &str,
    args: &[&str],
) -> Command {
    let mut cmd = cli(home);
    cmd.arg(command)
        .args(args)
        .args([
            "--grant",
            "client-credentials",
            "--token-url",
            &sbx.token_url(),
            "--client-id",
            SERVICE_ID,
            "--client-secret-env",
            "SVC_SECRET",
        ])
        .env("SVC_SECRET", SERVICE_SECRET);
    cmd
}

pub fn run_with_stdin(mut cmd: Command, stdin: &str) -> Output {
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing the output when it differs.
#[track_caller]
pub fn assert_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit code\nstdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
}

/// Reads the child's stderr line by line until a line starting (after spaces) with `prefix`;
/// returns that line, trimmed, and all lines read. The reader is handed back for the rest.
pub fn wait_for_line(reader: &mut BufReader<ChildStderr>, prefix: &str) -> (String, String) {
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).unwrap();
        assert!(n > 0, "stderr ended before a line starting with {prefix}; it said:\n{seen}");
        seen.push_str(&line);
        if line.trim_start().starts_with(prefix) {
            return (line.trim().to_string(), seen);
        }
    }
}

/// Waits for a child with a deadline; kills it and fails past the deadline.
pub fn wait_with_deadline(mut child: Child, limit: Duration) -> Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "the CLI did not finish within {limit:?}\nstdout: {}\nstderr: {}",
                stdout(&output),
                stderr(&output)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The rest of a stderr reader, as text.
pub fn rest(mut reader: BufReader<ChildStderr>) -> String {
    let mut text = String::new();
    let _ = reader.read_to_string(&mut text);
    text
}

/// A port on 127.0.0.1 where nothing listens (bound, then freed).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
