//! The window's signal that its first profile view is on screen: one log line, by which
//! `scripts/release-figures` times the launch (the same signal its minimal Tauri app gives).

/// Called once by the UI after it has painted the selected profile's workspace, with the time
/// since the page began loading (so a slow launch can be split into before and in the page), and
/// where in the page that time went ("name:ms,…", shown as given, cut to 1,000 characters).
#[tauri::command]
#[specta::specta]
pub fn ui_ready(page_ms: Option<f64>, phases: Option<String>) {
    let phases: String = phases.unwrap_or_default().chars().take(1000).collect();
    // The moment the call arrives, on the launch's time line (the page sends its own clock's
    // start as the phase "origin", which places its other phases on it too).
    crate::launch_phase("ready");
    tracing::info!(page_ms = page_ms.unwrap_or(f64::NAN), %phases, "ui-ready: the first profile view is on screen");
}
