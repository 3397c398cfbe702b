//! The desktop shell of ScopeStack Companion: a thin Tauri layer over the engine.
//!
//! - `state`: what the running app holds (profiles, the built-in sandbox).
//! - `commands`: the calls the web UI may make, each a few lines over the engine.
//! - `error`: the typed error every command returns to the UI.

mod commands;
mod error;
mod state;

use tauri::Manager;

/// Builds and runs the app: starts the built-in sandbox, opens the profiles, shows the window.
pub fn run() {
    init_logging();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_shell::init())
        .setup(|app| {
            let state = tauri::async_runtime::block_on(state::AppState::start());
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![commands::app_snapshot, commands::select_profile])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("ScopeStack Companion could not start its window: {e}");
        std::process::exit(1);
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
