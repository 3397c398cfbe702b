//! Checks, before anything else starts, that a graphical session is reachable: without one GTK
//! cannot open a window and the windowing library would panic (an abort in release builds). The
//! person gets a sentence saying what is missing and what to use instead.

/// Opens GTK on the current display, or says in plain words why the window cannot open.
pub fn check() -> Result<(), String> {
    if gtk::init().is_ok() {
        return Ok(());
    }
    let display = std::env::var("DISPLAY").ok().filter(|v| !v.is_empty());
    let wayland = std::env::var("WAYLAND_DISPLAY").ok().filter(|v| !v.is_empty());
    let why = match (display, wayland) {
        (None, None) => "no graphical session was found (neither DISPLAY nor WAYLAND_DISPLAY is set)".to_string(),
        (Some(d), None) => format!("the display {d} (DISPLAY) could not be opened"),
        (None, Some(w)) => format!("the Wayland display {w} (WAYLAND_DISPLAY) could not be opened"),
        (Some(d), Some(w)) => format!("neither the display {d} (DISPLAY) nor the Wayland display {w} (WAYLAND_DISPLAY) could be opened"),
    };
    Err(format!(
        "ScopeStack Companion could not open its window: {why}. Start it from a desktop session; \
         on a server or over SSH use `scopestack-cli`, which does everything without a window."
    ))
}
