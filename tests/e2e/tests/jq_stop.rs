//! A jq filter that never ends, in the real window: `def f: f; f` shows that it is running, and
//! Cancel (the button, then Escape) stops it with a message; `last(repeat(1))` is stopped by the
//! 10 s limit; the app's jq worker thread is gone each time; and a normal filter works after.

use e2e::{AppSession, Key};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// `what` in the shown request tab (hidden tabs stay in the page).
fn in_tab(what: &str) -> String {
    format!(".request-tabpanel:not([hidden]) {what}")
}

/// The app's threads named `jq` (its jq workers), from `/proc`.
fn jq_threads(pid: u32) -> usize {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return 0 };
    tasks
        .flatten()
        .filter(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|name| name.trim() == "jq")
        })
        .count()
}

/// Waits until the app runs `n` jq worker threads.
async fn jq_threads_become(pid: u32, n: usize, wait: Duration) {
    let deadline = Instant::now() + wait;
    while jq_threads(pid) != n {
        assert!(Instant::now() < deadline, "the app runs {} jq threads, not {n}", jq_threads(pid));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Runs `filter` and waits until the window shows it running.
async fn start(app: &AppSession, filter: &str) {
    app.fill(&in_tab("input[name=jq_filter]"), filter, WAIT).await.unwrap();
    app.click_in_view(&in_tab("[data-testid=run-jq]"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=jq-running]"), "Running the jq filter", WAIT)
        .await
        .unwrap();
}

/// Waits for the message of the stopped filter, and for the running state to go.
async fn stopped_with(app: &AppSession, message: &str, wait: Duration) {
    app.wait_for_text(&in_tab(".error-note"), message, wait).await.unwrap();
    app.wait_gone(&in_tab("[data-testid=jq-running]"), WAIT).await.unwrap();
}

#[tokio::test]
async fn a_jq_filter_that_never_ends_is_cancelled_or_timed_out_and_the_next_one_runs() {
    let app = AppSession::launch_with_sandbox_token("jq-stop").await.unwrap();
    let pid = app.app_pid().expect("the app's process id");
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=response] [data-testid=status-line]"), "200", WAIT)
        .await
        .unwrap();

    // Cancel: the filter runs (its worker thread too) until the button stops it.
    start(&app, "def f: f; f").await;
    jq_threads_become(pid, 1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(jq_threads(pid), 1, "still running half a second later: it never ends by itself");
    app.screenshot("jq-running").await.unwrap();
    app.click_in_view(&in_tab("[data-testid=cancel-jq]"), WAIT).await.unwrap();
    stopped_with(&app, "Cancelled", WAIT).await;
    jq_threads_become(pid, 0, WAIT).await;

    // Escape cancels too.
    start(&app, "[limit(1e9; repeat(1))] | length").await;
    app.press(&[Key::Escape]).await.unwrap();
    stopped_with(&app, "Cancelled", WAIT).await;
    jq_threads_become(pid, 0, WAIT).await;

    // Left alone, a filter that never ends is stopped at 10 s, with what to do about it.
    start(&app, "last(repeat(1))").await;
    stopped_with(&app, "ran longer than 10 s and was stopped", WAIT).await;
    app.wait_for_text(&in_tab(".error-note"), "limit(n; …)", WAIT).await.unwrap();
    jq_threads_become(pid, 0, WAIT).await;

    // The next filter runs as usual.
    app.fill(&in_tab("input[name=jq_filter]"), ".data | length", WAIT).await.unwrap();
    app.click_in_view(&in_tab("[data-testid=run-jq]"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=jq-output]"), "10", WAIT).await.unwrap();
    app.wait_gone(&in_tab(".error-note"), WAIT).await.unwrap();
    app.close().await;
}
