//! A Tauri 2 window showing one page, nothing else: what scripts/release-figures measures the
//! desktop app against. The page calls `page_ready` once it has painted; that prints one line on
//! stderr, the same signal the desktop app gives when its first profile view is up. The steps of
//! its launch that the desktop app also has are printed as the desktop app logs them
//! ("launch-phase NAME at_ms=…"), so the two time lines can be set side by side.

use std::time::{SystemTime, UNIX_EPOCH};

fn epoch_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn phase(name: &str, at_ms: f64) {
    eprintln!("launch-phase {name} at_ms={at_ms:.1}");
}

#[tauri::command]
fn page_ready(page_ms: f64, phases: Option<String>) {
    phase("ready", epoch_ms());
    let phases = phases.unwrap_or_default();
    eprintln!("{READY_LINE} page_ms={page_ms} phases={phases}");
}

/// The line scripts/release-figures waits for (the desktop app prints the same).
const READY_LINE: &str = "ui-ready";

fn main() {
    phase("main", epoch_ms());
    let result = tauri::Builder::default()
        .setup(|_| {
            phase("window", epoch_ms());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![page_ready])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("minimal-app could not open its window: {e}");
        std::process::exit(1);
    }
}
