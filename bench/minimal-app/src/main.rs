//! A Tauri 2 window showing one page, nothing else: what scripts/release-figures measures the
//! desktop app against. The page calls `page_ready` once it has painted; that prints one line on
//! stderr, the same signal the desktop app gives when its first profile view is up.

#[tauri::command]
fn page_ready(page_ms: f64) {
    eprintln!("{READY_LINE} page_ms={page_ms}");
}

/// The line scripts/release-figures waits for (the desktop app prints the same).
const READY_LINE: &str = "ui-ready";

fn main() {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![page_ready])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("minimal-app could not open its window: {e}");
        std::process::exit(1);
    }
}
