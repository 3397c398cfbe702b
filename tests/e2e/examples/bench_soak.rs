//! Benchmark of a long day: for each method in turn (browser login, client credentials,
//! password), the real app on a sandbox whose tokens live 5 seconds, auto-renew on, `GET /v1/me`
//! through the window's own command every 2 seconds for 20 minutes, and `scopestack-cli token`
//! on the same profile every 3 seconds. Prints requests sent and failed, renewals by way (app and
//! CLI), the app's memory at minute 1 and at the end, its open file descriptors, and the
//! temporary files left. Asserts nothing.
//!
//! `bash scripts/bench-soak [MINUTES [browser|client|password]…]` builds the release binaries and runs it; by hand:
//! ```sh
//! SCOPESTACK_APP_BIN=target/release/scopestack-companion SCOPESTACK_CLI_BIN=target/release/scopestack-cli \
//!   bash scripts/with-test-services cargo run --release -p e2e --example bench_soak [MINUTES]
//! ```
//! Without the two variables it runs the debug builds.
//!
//! With `BENCH_SOAK_KILL_KEYCHAIN_AT=SECONDS`, the keychain's daemon (whoever owns
//! `org.freedesktop.secrets` on the session bus) is ended with SIGTRAP, as gnome-keyring-daemon
//! crashes, that many seconds into each method's run; the bus starts a new one, locked, on the next
//! call. The report then gives the slowest request before and after, and the failures after: a
//! request may fail once the keychain is gone, but none may wait much past the keychain's bound.

use e2e::soak::{self, Method, SoakPlan};
use std::time::Duration;

#[tokio::main]
async fn main() {
    let minutes: u64 = std::env::args().nth(1).and_then(|m| m.parse().ok()).unwrap_or(20);
    // Methods named after the minutes (browser, client, password) run alone; else all three.
    let named: Vec<String> = std::env::args().skip(2).collect();
    let methods: Vec<Method> = Method::ALL
        .into_iter()
        .filter(|m| named.is_empty() || named.iter().any(|n| m.words().starts_with(n.as_str())))
        .collect();
    println!(
        "app: {}",
        std::env::var("SCOPESTACK_APP_BIN")
            .unwrap_or_else(|_| "target/debug/scopestack-companion".into())
    );
    println!("{minutes} min a method, 5-second tokens, a request every 2 s, the CLI every 3 s");
    let running = e2e::process_facts::other_webkit_processes(std::process::id());
    if running > 0 {
        println!("note: {running} other WebKit web process(es) run on this machine; the app's PSS reads lower while they share its libraries");
    }
    println!();
    println!("method             | sent | failed | app renewals (refresh / ask again / fell back / failed) | CLI runs (failed) | CLI renewals (r / a / fb / f) | PSS min 1 → end (growth) | USS min 1 → end (growth) | fds start → end | temp files (running, after exit)");
    for method in methods {
        let plan = SoakPlan {
            methods: vec![method],
            duration: Duration::from_secs(minutes * 60),
            request_every: Duration::from_secs(2),
            cli_every: Duration::from_secs(3),
            token_lifetime: Duration::from_secs(5),
            first_reading_at: Duration::from_secs(60),
            name: format!("bench-soak-{}", method.words().replace(' ', "-")),
            bus: None,
        };
        let kill_keychain = kill_keychain_at().map(|at| (at, end_the_keychain_daemon));
        let r = match soak::run_with_event(&plan, kill_keychain).await {
            Ok(r) => r,
            Err(e) => {
                println!("{:<18} | could not run: {e}", method.words());
                continue;
            }
        };
        let a = r.app_renewals;
        let c = r.cli_renewals;
        let growth = (r.last.pss_mb - r.first.pss_mb) / r.first.pss_mb.max(1.0) * 100.0;
        println!(
            "{:<18} | {:>4} | {:>6} | {:>4} ({} / {} / {} / {}) | {:>4} ({}) | {:>3} ({} / {} / {} / {}) | {:.1} → {:.1} MB ({:+.1}%) | {:.1} → {:.1} MB ({:+.1}%) | {} → {} | {}, {}",
            method.words(),
            r.requests_sent,
            r.requests_failed,
            a.done(),
            a.by_refresh,
            a.by_asking_again,
            a.fell_back_to_sign_in,
            a.failed,
            r.cli_runs,
            r.cli_failed,
            c.done(),
            c.by_refresh,
            c.by_asking_again,
            c.fell_back_to_sign_in,
            c.failed,
            r.first.pss_mb,
            r.last.pss_mb,
            growth,
            r.first.uss_mb,
            r.last.uss_mb,
            (r.last.uss_mb - r.first.uss_mb) / r.first.uss_mb.max(1.0) * 100.0,
            r.start.open_fds,
            r.last.open_fds,
            r.temp_files_running,
            r.temp_files_after_exit,
        );
        // PSS and USS include WebKit's libraries (some 75 MB), shared with every other WebKit
        // process on the machine: they read lower while another runs (a test, a GNOME app) and
        // jump when it ends. Anonymous memory, the app's own allocations, does not move with them.
        let neighbours: Vec<usize> = r.readings.iter().map(|(_, m)| m.webkit_neighbours).collect();
        let (fewest, most) = (
            neighbours.iter().copied().min().unwrap_or(0),
            neighbours.iter().copied().max().unwrap_or(0),
        );
        let anon: Vec<f64> = r.readings.iter().map(|(_, m)| m.anon_mb).collect();
        println!(
            "    anonymous memory (the app's own allocations) min 1 → end: {:.1} → {:.1} MB ({:+.1}%), {:.1} to {:.1} MB over {} readings; {}",
            r.first.anon_mb,
            r.last.anon_mb,
            (r.last.anon_mb - r.first.anon_mb) / r.first.anon_mb.max(1.0) * 100.0,
            anon.iter().copied().fold(f64::INFINITY, f64::min),
            anon.iter().copied().fold(0.0, f64::max),
            anon.len(),
            if most == 0 {
                "no other WebKit process ran, so PSS and USS are the app's alone".to_string()
            } else if fewest == most {
                format!("{most} other WebKit web process(es) ran throughout: PSS and USS read low, but compare")
            } else {
                format!("other WebKit web processes came and went ({fewest} to {most}): PSS and USS moved with them, not with the app; compare anonymous memory")
            }
        );
        println!(
            "    slowest request through the window: {:.1} s{}",
            r.slowest_request_before.as_secs_f64(),
            match kill_keychain_at() {
                Some(at) => format!(
                    " before the keychain's daemon was ended at {} s; {:.1} s after it, when {} of {} requests failed",
                    at.as_secs(),
                    r.slowest_request_after.as_secs_f64(),
                    r.failed_after,
                    r.requests_after
                ),
                None => String::new(),
            }
        );
        for failure in &r.failures {
            println!("    {failure}");
        }
    }
}

/// `BENCH_SOAK_KILL_KEYCHAIN_AT`, in seconds into each run.
fn kill_keychain_at() -> Option<Duration> {
    let secs = std::env::var("BENCH_SOAK_KILL_KEYCHAIN_AT").ok()?;
    Some(Duration::from_secs(
        secs.trim().parse().expect("BENCH_SOAK_KILL_KEYCHAIN_AT: whole seconds"),
    ))
}

/// Ends the process that owns `org.freedesktop.secrets` on the session bus with SIGTRAP (what a
/// failed assertion in gnome-keyring-daemon ends it with).
fn end_the_keychain_daemon() {
    let asked = std::process::Command::new("dbus-send")
        .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/"])
        .args(["org.freedesktop.DBus.GetConnectionUnixProcessID", "string:org.freedesktop.secrets"])
        .output();
    let pid = asked.ok().and_then(|out| {
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .skip_while(|word| *word != "uint32")
            .nth(1)
            .map(str::to_string)
    });
    match pid {
        Some(pid) => {
            let _ = std::process::Command::new("kill").args(["-TRAP", &pid]).status();
            println!("    (ended the keychain's daemon, process {pid})");
        }
        None => println!("    (no keychain daemon owns org.freedesktop.secrets: nothing ended)"),
    }
}
