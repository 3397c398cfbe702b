//! The desktop shell of ScopeStack Companion: a thin Tauri layer over the engine.
//!
//! - `state`: what the running app holds (profiles, the engine, the built-in sandbox).
//! - `commands`: the calls the web UI may make, each a few lines over the engine.
//! - `views`: what the UI is shown of a token and the secrets (never their values).
//! - `signin_window`: the in-app sign-in window that catches the registered callback.
//! - `auto_renew`: renewing tokens before they expire.
//! - `error`: the typed error every command returns to the UI.
//! - `validate`: checks on every argument the webview sends.
//! - `rendering` (Linux): CPU painting for WebKitGTK on machines without a GPU.
//! - `bindings`: the one list of commands the window may call, registered here and written
//!   as the TypeScript of the IPC contract into `ui/src/generated/` by its test.
//! - `desktop_session` (Linux): a clear message, not a panic, when no display can be opened.
//! - `file_dialogs`: the folder each native file dialog opens in.
//! - `shutdown`: ending the normal way on SIGTERM, SIGINT and SIGHUP (clipboard cleared, temporary bodies removed).
//! - `pending_clears`: secrets on the clipboard waiting to be cleared.

mod auto_renew;
mod bindings;
mod commands;
// GTK and WebKitGTK exist on Linux only; Windows and macOS have neither to check or tune.
#[cfg(target_os = "linux")]
pub mod desktop_session;
mod error;
mod file_dialogs;
mod first_view;
mod pending_clears;
#[cfg(target_os = "linux")]
pub mod rendering;
mod shutdown;
mod signin_window;
mod state;
mod validate;
mod views;

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};
use tauri::Manager;

/// When `main` began, as [`main_started`] noted it (logged once logging is on).
static MAIN_STARTED: OnceLock<f64> = OnceLock::new();

/// Milliseconds since the Unix epoch: the launch phases' clock, the one scripts/release-figures
/// starts the app by (so each phase reads as the time since the process was spawned).
fn epoch_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Logs one step of the launch ("launch-phase NAME at_ms=…"), which scripts/release-figures
/// lines up against the minimal Tauri app's same steps.
pub(crate) fn launch_phase(name: &str) {
    launch_phase_at(name, epoch_ms());
}

fn launch_phase_at(name: &str, at_ms: f64) {
    tracing::info!("launch-phase {name} at_ms={at_ms:.1}");
}

/// Told when the app's state is managed (it starts after the window is made).
static STARTED: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// The app's state, once it has started: at once after that, and before, as soon as it has (for
/// the window's first command, which may come before).
pub(crate) async fn started(app: &tauri::AppHandle) -> tauri::State<'_, state::AppState> {
    loop {
        let notified = STARTED.notified();
        tokio::pin!(notified);
        // Listening before looking, so a start between the two is not missed.
        notified.as_mut().enable();
        if let Some(state) = app.try_state::<state::AppState>() {
            return state;
        }
        notified.await;
    }
}

/// Call first thing in `main`: the start of the launch's first phase.
pub fn main_started() {
    let _ = MAIN_STARTED.set(epoch_ms());
}

/// Builds and runs the app: starts the built-in sandbox, opens the profiles, shows the window.
pub fn run() {
    init_logging();
    if let Some(at) = MAIN_STARTED.get() {
        launch_phase_at("main", *at);
    }
    launch_phase("gtk");
    // The one list of commands and events: the same builder writes their TypeScript (bindings.rs).
    let ipc = bindings::builder();
    let invoke_handler = ipc.invoke_handler();
    let result = first_view::register(tauri::Builder::default())
        .plugin(window_state_plugin())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            launch_phase("window");
            // Before anything emits: a typed event not mounted would panic when emitted.
            ipc.mount_events(app);
            // The window exists now. The sandbox, the profiles file and the keychain check start on
            // the async runtime's threads while WebKit starts its processes and loads the page
            // (the main thread is idle then), not while GTK and WebKit make the window (on two
            // cores that was made 7 ms later; the launch as a whole measured the same either way).
            // The main thread never waits for them, so a keychain slow to answer does not hold the
            // window's first frame: the page's first command, app_snapshot, waits instead.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                match state::AppState::start().await {
                    Ok(state) => {
                        launch_phase("state");
                        handle.manage(state);
                        STARTED.notify_waiters();
                        auto_renew::spawn(handle);
                    }
                    Err(e) => {
                        eprintln!("ScopeStack Companion could not start: {e}");
                        handle.exit(1);
                    }
                }
            });
            shutdown::exit_on_signals(app.handle().clone());
            shutdown::sweep_left_behind();
            launch_phase("setup-done");
            Ok(())
        })
        .on_window_event(|window, event| {
            // Keep the size and position on disk as they change: the app may be ended without a
            // clean close (log-out, kill), and should still reopen as the user left it.
            if window.label() == "main"
                && matches!(event, tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_))
            {
                use tauri_plugin_window_state::{AppHandleExt, StateFlags};
                let _ = window.app_handle().save_window_state(
                    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED,
                );
            }
        })
        .invoke_handler(invoke_handler)
        .build(tauri::generate_context!());
    launch_phase("built");
    match result {
        // The process ends without dropping the app's state, so what it would clean up on drop
        // is cleaned up here: the temporary files of large bodies, and copied secrets still
        // waiting to be cleared from the clipboard (as the exit is asked for: at Exit the
        // clipboard plugin has already let the clipboard go, handing it to a clipboard manager).
        Ok(app) => app.run(|app, event| match event {
            tauri::RunEvent::ExitRequested { .. } => commands::clipboard::clear_pending(app),
            tauri::RunEvent::Exit => {
                if let Some(state) = app.try_state::<state::AppState>() {
                    state.exchanges.remove_files();
                }
            }
            _ => {}
        }),
        Err(e) => {
            eprintln!("ScopeStack Companion could not start its window: {e}");
            std::process::exit(1);
        }
    }
}

/// The window-state plugin (the window's size, place and maximised state, restored at the next
/// start). They are kept in the settings folder when `SCOPESTACK_COMPANION_HOME` names one, as
/// everything else of a portable copy or a test is; else in the OS config folder.
fn window_state_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    let builder = tauri_plugin_window_state::Builder::default();
    let in_settings = engine::paths::home_override()
        .and_then(|home| home.join("window-state.json").to_str().map(str::to_string));
    match in_settings {
        // An absolute file name: the plugin joins it to its own folder, which it then replaces.
        Some(file) => builder.with_filename(file).build(),
        None => builder.build(),
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
