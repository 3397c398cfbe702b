//! A long day in minutes: the real app on a sandbox whose tokens live a few seconds, auto-renew
//! on, a request sent through the window's own command (`send_request`) every few seconds, and
//! `scopestack-cli token` on the same profile at the same time. It counts what a user would
//! notice (failed requests, renewals that needed a new sign-in) and what the computer pays (the
//! app's memory, open files, temporary files). Used by the `bench_soak` benchmark (20 minutes a
//! method, figures printed) and by the `soak` end-to-end test (2 minutes, asserted).

use crate::process_facts::{files_under, open_fds, other_webkit_processes, tree_memory};
use crate::{fresh_home, target_dir, AppSession, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A way of getting the token, as the Quick Start lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    BrowserLogin,
    ClientCredentials,
    Password,
}

impl Method {
    pub const ALL: [Method; 3] =
        [Method::BrowserLogin, Method::ClientCredentials, Method::Password];

    pub fn words(self) -> &'static str {
        match self {
            Method::BrowserLogin => "browser login",
            Method::ClientCredentials => "client credentials",
            Method::Password => "password",
        }
    }

    /// `scopestack-cli profiles add` arguments for the sandbox's client of this method.
    fn profile_args(self) -> Vec<&'static str> {
        match self {
            Method::BrowserLogin => {
                vec!["--grant", "authorization-code", "--client-id", "sandbox-browser-login"]
            }
            Method::ClientCredentials => {
                vec!["--grant", "client-credentials", "--client-id", "sandbox-service-account"]
            }
            Method::Password => vec![
                "--grant",
                "password",
                "--client-id",
                "sandbox-password-client",
                "--username",
                "admin@sandbox-demo.test",
            ],
        }
    }

    /// The secrets typed into the window's form (demo values of the sandbox), kept for renewals.
    fn secrets_js(self) -> &'static str {
        match self {
            Method::BrowserLogin => "{ client_secret: 'demo-browser-secret', remember: true }",
            Method::ClientCredentials => {
                "{ client_secret: 'demo-service-secret', remember: true }"
            }
            Method::Password => {
                "{ client_secret: 'demo-password-secret', password: 'demo-admin-pass', remember: true }"
            }
        }
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct SoakPlan {
    /// The profiles' methods, one profile each, all used in the same app at once.
    pub methods: Vec<Method>,
    /// How long the requests go on.
    pub duration: Duration,
    /// One request per profile this often.
    pub request_every: Duration,
    /// `scopestack-cli token` on each profile in turn this often.
    pub cli_every: Duration,
    /// The sandbox's access-token lifetime.
    pub token_lifetime: Duration,
    /// When the first memory and file-descriptor reading is taken.
    pub first_reading_at: Duration,
    /// A name for the settings folder.
    pub name: String,
    /// The D-Bus session (and so the keychain) of the app and the CLI, when not the tests' own.
    pub bus: Option<String>,
}

/// A memory and file-descriptor reading of the app.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reading {
    pub pss_mb: f64,
    /// Memory no other process shares (PSS also moves with other programs' use of the same
    /// libraries).
    pub uss_mb: f64,
    /// What the app's processes allocated themselves: other programs cannot move it.
    pub anon_mb: f64,
    pub open_fds: usize,
    /// WebKit web processes of other programs running at the reading (see
    /// [`other_webkit_processes`]): PSS and USS are comparable only between readings with the same
    /// count.
    pub webkit_neighbours: usize,
}

/// What a soak counted.
#[derive(Clone, Debug, Default)]
pub struct SoakReport {
    pub requests_sent: u64,
    /// Requests that failed, with the first few reasons.
    pub requests_failed: u64,
    pub failures: Vec<String>,
    /// The app's renewals by way, from its log.
    pub app_renewals: Tally,
    /// The CLI's runs, those that failed, and its renewals by way (from `token --json`).
    pub cli_runs: u64,
    pub cli_failed: u64,
    pub cli_renewals: Tally,
    /// Readings of the app 10 s after the first sign-ins, then the median of the readings in the
    /// minute from `first_reading_at`, and in the last minute.
    pub start: Reading,
    pub first: Reading,
    pub last: Reading,
    /// Every reading from `first_reading_at` on, by second of the run.
    pub readings: Vec<(u64, Reading)>,
    /// Files in the app's temporary folder at the end, while it still runs and after it exited.
    pub temp_files_running: usize,
    pub temp_files_after_exit: usize,
    pub wall: Duration,
    /// The longest a request through the window took, before and after the event of
    /// [`run_with_event`] (all of them count as before when there is none).
    pub slowest_request_before: Duration,
    pub slowest_request_after: Duration,
    /// Requests sent after the event, and those of them that failed.
    pub requests_after: u64,
    pub failed_after: u64,
}

impl SoakReport {
    /// Counts one finished `scopestack-cli token`.
    fn count_cli(&mut self, done: std::result::Result<Option<String>, String>) {
        self.cli_runs += 1;
        match done {
            Ok(Some(way)) => self.cli_renewals.count(&way),
            Ok(None) => {}
            Err(reason) => {
                self.cli_failed += 1;
                if self.failures.len() < 10 {
                    self.failures.push(format!("CLI: {reason}"));
                }
            }
        }
    }
}

/// Renewals by way: refresh token; asking again with a kept secret (how a token without a
/// refresh token is renewed); asking again because the refresh token was refused (a fall-back
/// to a new sign-in); failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub by_refresh: u64,
    pub by_asking_again: u64,
    pub fell_back_to_sign_in: u64,
    pub failed: u64,
}

impl Tally {
    pub fn done(&self) -> u64 {
        self.by_refresh + self.by_asking_again + self.fell_back_to_sign_in
    }

    fn count(&mut self, way: &str) {
        match way {
            "refresh" | "Refresh" => self.by_refresh += 1,
            "asking_again" | "AskingAgain" => self.by_asking_again += 1,
            "asking_again_after_refresh_refused" | "AskingAgainAfterRefreshRefused" => {
                self.fell_back_to_sign_in += 1
            }
            _ => self.failed += 1,
        }
    }
}

/// The CLI binary next to the app's: `SCOPESTACK_CLI_BIN`, or the debug build.
pub fn cli_binary() -> Result<PathBuf> {
    let path = std::env::var_os("SCOPESTACK_CLI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/scopestack-cli"));
    path.canonicalize().map_err(|e| {
        format!(
            "the CLI {} was not found ({e}); build it with `cargo build --workspace`",
            path.display()
        )
    })
}

/// A `scopestack-cli sandbox` on a free port, stopped when dropped.
struct SandboxServer {
    child: Child,
    base_url: String,
}

impl SandboxServer {
    fn start(token_lifetime: Duration) -> Result<SandboxServer> {
        let mut child = Command::new(cli_binary()?)
            .args(["sandbox", "--token-lifetime", &token_lifetime.as_secs().max(1).to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start the sandbox: {e}"))?;
        let stdout = child.stdout.take().ok_or("the sandbox has no standard output")?;
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
            .map_err(|e| format!("the sandbox did not say its address: {e}"))?;
        let base_url = line.trim().to_string();
        if !base_url.starts_with("http://127.0.0.1:") {
            let _ = child.kill();
            return Err(format!("the sandbox printed {base_url:?}, not its address"));
        }
        Ok(SandboxServer { child, base_url })
    }
}

impl Drop for SandboxServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The CLI with the app's settings folder and D-Bus session (so the same profiles, keychain and
/// renewal locks).
fn cli(home: &Path, plan: &SoakPlan) -> Result<Command> {
    let mut cmd = Command::new(cli_binary()?);
    cmd.env("SCOPESTACK_COMPANION_HOME", home)
        .env("DBUS_SESSION_BUS_ADDRESS", bus_of(plan))
        .env_remove("BROWSER")
        .stdin(Stdio::null());
    Ok(cmd)
}

/// The plan's D-Bus session, else the tests' own.
fn bus_of(plan: &SoakPlan) -> String {
    plan.bus.clone().or_else(|| std::env::var("DBUS_SESSION_BUS_ADDRESS").ok()).unwrap_or_default()
}

fn profile_name(method: Method) -> String {
    format!("Soak {}", method.words())
}

/// How long after the first sign-ins the start reading is taken.
const WARM_UP: Duration = Duration::from_secs(10);
/// Memory is read this often from `first_reading_at` on.
const READING_EVERY: Duration = Duration::from_secs(20);
/// The memory at a moment is the median of the readings in this long a window from it: the
/// web process's garbage collector moves it by a third within a minute.
const MEDIAN_WINDOW: Duration = Duration::from_secs(60);

/// The median reading (memory and descriptors each), of readings taken close together.
fn median(readings: &[Reading]) -> Reading {
    let middle = |mut values: Vec<f64>| -> f64 {
        if values.is_empty() {
            return 0.0;
        }
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    Reading {
        pss_mb: middle(readings.iter().map(|r| r.pss_mb).collect()),
        uss_mb: middle(readings.iter().map(|r| r.uss_mb).collect()),
        anon_mb: middle(readings.iter().map(|r| r.anon_mb).collect()),
        open_fds: middle(readings.iter().map(|r| r.open_fds as f64).collect()) as usize,
        webkit_neighbours: readings.iter().map(|r| r.webkit_neighbours).max().unwrap_or(0),
    }
}

/// Runs the plan and reports what it counted. Fails only when the soak could not be set up.
pub async fn run(plan: &SoakPlan) -> Result<SoakReport> {
    run_with_event(plan, None::<(Duration, fn())>).await
}

/// [`run`], with `event` (such as the keychain's daemon dying) done once at its time into the
/// run; the report then counts the requests before and after it apart.
pub async fn run_with_event(
    plan: &SoakPlan,
    mut event: Option<(Duration, impl FnOnce())>,
) -> Result<SoakReport> {
    let home = fresh_home(&plan.name)?;
    let temp = home.join("tmp");
    std::fs::create_dir_all(&temp).map_err(|e| e.to_string())?;
    let sandbox = SandboxServer::start(plan.token_lifetime)?;
    for method in &plan.methods {
        let out = cli(&home, plan)?
            .args(["profiles", "add", &profile_name(*method), "--base-url", &sandbox.base_url])
            .args(method.profile_args())
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("profiles add failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
    }
    let log = home.join("app.log");
    let scripted_browser = target_dir().join("debug/scripted-browser");
    let scripted_browser = scripted_browser.to_string_lossy().into_owned();
    let temp_text = temp.to_string_lossy().into_owned();
    let app = AppSession::launch_logging(
        &home,
        &[
            ("TMPDIR", temp_text.as_str()),
            ("BROWSER", scripted_browser.as_str()),
            ("SCRIPTED_BROWSER_EMAIL", "admin@sandbox-demo.test"),
            ("SCRIPTED_BROWSER_PASSWORD", "demo-admin-pass"),
            ("RUST_LOG", "info"),
            ("NO_COLOR", "1"),
            ("DBUS_SESSION_BUS_ADDRESS", bus_of(plan).as_str()),
        ],
        &log,
    )
    .await?;
    let pid = app.app_pid().ok_or("the app's process was not found")?;
    let ids = sign_in_each(&app, &plan.methods).await?;

    let mut report = SoakReport::default();
    let started = Instant::now();
    let mut start_taken = false;
    let mut next_request = started;
    let mut next_cli = started + plan.cli_every;
    let mut cli_turn = 0usize;
    let mut next_reading = started + plan.first_reading_at;
    let mut readings: Vec<(Duration, Reading)> = Vec::new();
    let mut running_cli: Vec<tokio::task::JoinHandle<std::result::Result<Option<String>, String>>> =
        Vec::new();
    let mut event_done = false;
    while started.elapsed() < plan.duration {
        // The start reading is taken once the first requests and CLI runs have opened their
        // connections (pooled from then on).
        if !start_taken && started.elapsed() >= WARM_UP {
            report.start = reading(pid);
            start_taken = true;
        }
        if Instant::now() >= next_reading {
            readings.push((started.elapsed(), reading(pid)));
            next_reading += READING_EVERY;
        }
        if Instant::now() >= next_cli {
            let id = &ids[cli_turn % ids.len()];
            let name = profile_name(id.1);
            cli_turn += 1;
            running_cli.push(tokio::task::spawn(cli_token(home.clone(), plan.clone(), name)));
            next_cli += plan.cli_every;
        }
        let after_event = match event.take() {
            Some((at, act)) if started.elapsed() >= at => {
                act();
                event_done = true;
                true
            }
            Some(pending) => {
                event = Some(pending);
                false
            }
            None => event_done,
        };
        if Instant::now() >= next_request {
            for (id, method) in &ids {
                report.requests_sent += 1;
                let sent_at = Instant::now();
                let outcome = send_me(&app, id).await;
                let took = sent_at.elapsed();
                if after_event {
                    report.requests_after += 1;
                    report.failed_after += u64::from(outcome.is_err());
                    report.slowest_request_after = report.slowest_request_after.max(took);
                } else {
                    report.slowest_request_before = report.slowest_request_before.max(took);
                }
                if let Err(reason) = outcome {
                    report.requests_failed += 1;
                    if report.failures.len() < 10 {
                        let at = started.elapsed().as_secs();
                        report.failures.push(format!("{} at {at} s: {reason}", method.words()));
                    }
                }
            }
            next_request += plan.request_every;
        }
        for done in take_finished(&mut running_cli).await {
            report.count_cli(done);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for handle in running_cli {
        report.count_cli(handle.await.unwrap_or_else(|e| Err(e.to_string())));
    }
    report.wall = started.elapsed();
    readings.push((report.wall, reading(pid)));
    let window_of = |from: Duration| -> Vec<Reading> {
        let to = from + MEDIAN_WINDOW;
        readings.iter().filter(|(at, _)| *at >= from && *at <= to).map(|(_, r)| *r).collect()
    };
    report.first = median(&window_of(plan.first_reading_at));
    report.last = median(&window_of(report.wall.saturating_sub(MEDIAN_WINDOW)));
    report.readings = readings.iter().map(|(at, r)| (at.as_secs(), *r)).collect();
    report.temp_files_running = files_under(&temp).len();
    app.close().await;
    crate::process_facts::wait_until_ended(pid, Duration::from_secs(10)).await;
    report.temp_files_after_exit = files_under(&temp).len();
    report.app_renewals = app_renewals(&log);
    drop(sandbox);
    Ok(report)
}

/// Gets each profile's first token through the window's command, as "Get New Access Token"
/// does, with the secrets kept; returns the profiles' ids with their methods.
async fn sign_in_each(app: &AppSession, methods: &[Method]) -> Result<Vec<(String, Method)>> {
    let snapshot = call(app, "return await invoke('app_snapshot');").await?;
    let mut ids = Vec::new();
    for method in methods {
        let name = profile_name(*method);
        let id = snapshot["profiles"]
            .as_array()
            .and_then(|all| all.iter().find(|p| p["profile"]["name"] == name.as_str()))
            .and_then(|p| p["profile"]["id"].as_str())
            .ok_or_else(|| format!("the app does not list the profile {name}: {snapshot}"))?
            .to_string();
        call(
            app,
            &format!(
                "return await invoke('get_token', {{ id: {id:?}, secrets: {} }});",
                method.secrets_js()
            ),
        )
        .await
        .map_err(|e| format!("{}: the first token failed: {e}", method.words()))?;
        ids.push((id, *method));
    }
    Ok(ids)
}

/// `GET /v1/me` through the window's `send_request`; an error unless the API answered 200.
async fn send_me(app: &AppSession, id: &str) -> std::result::Result<(), String> {
    let spec = "{ method: 'GET', url: '/v1/me', query: [], headers: [], body: null, follow_redirects: true, auth: true }";
    let sent =
        call(app, &format!("return await invoke('send_request', {{ id: {id:?}, spec: {spec} }});"))
            .await?;
    match sent["status"].as_u64() {
        Some(200) => Ok(()),
        other => Err(format!("status {other:?}: {}", sent["diagnosis"])),
    }
}

/// Runs `script` (with `invoke` in scope) in the window and returns its value, or the thrown
/// error as text.
async fn call(app: &AppSession, script: &str) -> std::result::Result<Value, String> {
    let wrapped = format!(
        "const done = arguments[arguments.length - 1]; const invoke = window.__TAURI_INTERNALS__.invoke; \
         (async () => {{ {script} }})().then((v) => done({{ ok: v ?? null }}), (e) => done({{ err: e ?? 'error' }}));"
    );
    let outcome = app.execute_async(&wrapped).await?;
    match outcome.get("ok") {
        Some(v) => Ok(v.clone()),
        None => Err(match &outcome["err"] {
            Value::String(s) => s.clone(),
            other => other["message"].as_str().map(str::to_string).unwrap_or(other.to_string()),
        }),
    }
}

/// One `scopestack-cli token --json` on the profile; how it renewed (or `None`), or why it
/// failed — including a printed token the API does not take.
async fn cli_token(
    home: PathBuf,
    plan: SoakPlan,
    profile: String,
) -> std::result::Result<Option<String>, String> {
    let out = tokio::task::spawn_blocking(move || {
        cli(&home, &plan)?
            .args(["token", "--profile", &profile, "--json"])
            .output()
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())??;
    if !out.status.success() {
        return Err(format!(
            "exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let doc: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    if doc["expires_in"].as_i64().unwrap_or(0) <= 0 {
        return Err(format!("printed a token with no time left: expires_in {}", doc["expires_in"]));
    }
    Ok(doc["renewed"].as_str().map(str::to_string))
}

async fn take_finished<T>(
    running: &mut Vec<tokio::task::JoinHandle<std::result::Result<T, String>>>,
) -> Vec<std::result::Result<T, String>> {
    let mut done = Vec::new();
    let mut still = Vec::new();
    for handle in running.drain(..) {
        if handle.is_finished() {
            done.push(handle.await.unwrap_or_else(|e| Err(e.to_string())));
        } else {
            still.push(handle);
        }
    }
    *running = still;
    done
}

fn reading(pid: u32) -> Reading {
    let memory = tree_memory(pid);
    Reading {
        pss_mb: memory.pss_mb,
        uss_mb: memory.uss_mb,
        anon_mb: memory.anon_mb,
        open_fds: open_fds(pid).unwrap_or(0),
        webkit_neighbours: other_webkit_processes(pid),
    }
}

/// The app's renewals by way, from the engine's log lines ("renewed the access token by=…",
/// "could not renew the access token").
fn app_renewals(log: &Path) -> Tally {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut tally = Tally::default();
    for line in text.lines() {
        if line.contains("could not renew the access token") {
            tally.failed += 1;
        } else if line.contains("renewed the access token") {
            let way = line.split("by=").nth(1).and_then(|w| w.split_whitespace().next());
            tally.count(way.unwrap_or("?"));
        }
    }
    tally
}
