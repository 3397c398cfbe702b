//! Ending the app the normal way when the system asks it to (SIGTERM at log-out or from `kill`,
//! SIGHUP, Ctrl+C in a terminal), so that what it cleans up on the way out, the temporary files
//! of large bodies and copied secrets still on the clipboard, is cleaned up then too. Without this, the default action of these signals
//! ends the process on the spot. At start, the body folders that earlier runs could not clean
//! up (a crash, SIGKILL, a power cut) are swept: only those whose program is no longer running.

use tauri::AppHandle;

/// Listens for the signals for the app's whole life; the first one ends it with exit code 0.
pub fn exit_on_signals(app: AppHandle) {
    #[cfg(unix)]
    tauri::async_runtime::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let streams = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
            signal(SignalKind::hangup()),
        );
        let (Ok(mut term), Ok(mut int), Ok(mut hup)) = streams else {
            tracing::warn!(
                "cannot listen for SIGTERM, SIGINT and SIGHUP: they will end the app at once"
            );
            return;
        };
        let name = tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
            _ = hup.recv() => "SIGHUP",
        };
        tracing::info!(signal = name, "asked to end: closing the app");
        app.exit(0);
    });
    #[cfg(not(unix))]
    let _ = app;
}

/// Removes, off the main thread, the temporary body folders that earlier runs of the app left
/// behind because they could not clean up (a crash, SIGKILL); a folder of a running app (this
/// one's, another instance's) is locked and stays.
pub fn sweep_left_behind() {
    tauri::async_runtime::spawn_blocking(engine::requests::ExchangeStore::sweep_left_behind);
}
