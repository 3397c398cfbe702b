//! Native windows the WebDriver cannot reach — the file dialogs — answered as a person would,
//! with `xdotool`; and a fresh app home per test.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// How long a dialog may take to open.
const DIALOG_WAIT: Duration = Duration::from_secs(30);

/// An empty app home for a test under `target/e2e-home/NAME-PID`.
pub fn fresh_home(name: &str) -> PathBuf {
    let dir = crate::target_dir().join("e2e-home").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the test's app home");
    dir
}

/// Runs xdotool; its output, trimmed.
pub fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool").args(args).output().expect("xdotool");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Waits for a native window with this exact title, focuses it, types `text` and presses Return.
/// `select_key` first selects where the path goes (Ctrl+A in a save dialog's name field, Ctrl+L
/// for an open dialog's location entry).
pub async fn answer_dialog(title: &str, select_key: &str, text: &str) {
    let deadline = Instant::now() + DIALOG_WAIT;
    let window = loop {
        let found = xdotool(&["search", "--name", &format!("^{title}$")]);
        if let Some(id) = found.lines().next().filter(|l| !l.is_empty()) {
            break id.to_string();
        }
        assert!(Instant::now() < deadline, "the dialog \"{title}\" did not open");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    tokio::time::sleep(Duration::from_millis(800)).await;
    xdotool(&["windowfocus", "--sync", &window]);
    xdotool(&["key", select_key]);
    xdotool(&["type", "--delay", "10", text]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    xdotool(&["key", "Return"]);
}
