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

/// Waits for a native window with this exact title, focuses it, types `text` and presses Return,
/// then waits for the dialog to close. `select_key` first selects where the path goes (Ctrl+A in
/// a save dialog's name field, Ctrl+L for an open dialog's location entry). A dialog still open
/// after that leaves a screenshot of the whole screen, and the test fails saying so.
pub async fn answer_dialog(title: &str, select_key: &str, text: &str) {
    let window = wait_for_window(title).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    xdotool(&["windowfocus", "--sync", &window]);
    xdotool(&["key", select_key]);
    xdotool(&["type", "--delay", "10", text]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    xdotool(&["key", "Return"]);
    if !window_closes(&window, DIALOG_WAIT).await {
        let shot = screen_shot(&format!("dialog-still-open-{}", title.replace(' ', "-")));
        panic!(
            "the dialog \"{title}\" stayed open after the path was typed; the screen: {}",
            shot.display()
        );
    }
}

/// The id of the first window titled exactly `title`, once there is one.
async fn wait_for_window(title: &str) -> String {
    let deadline = Instant::now() + DIALOG_WAIT;
    loop {
        let found = xdotool(&["search", "--name", &format!("^{title}$")]);
        if let Some(id) = found.lines().next().filter(|l| !l.is_empty()) {
            return id.to_string();
        }
        assert!(Instant::now() < deadline, "the dialog \"{title}\" did not open");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Whether the window `id` is gone (or no longer shown) within `wait`.
async fn window_closes(id: &str, wait: Duration) -> bool {
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline {
        let shown = xdotool(&["search", "--onlyvisible", "--name", "."]);
        if !shown.lines().any(|l| l == id) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

/// A screenshot of the whole X screen at `target/screenshots/NAME.png` (ImageMagick's `import`).
pub fn screen_shot(name: &str) -> PathBuf {
    let dir = crate::target_dir().join("screenshots");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{name}.png"));
    let _ = Command::new("import").args(["-window", "root"]).arg(&path).status();
    path
}
