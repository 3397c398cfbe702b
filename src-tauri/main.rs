// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    scopestack_companion::main_started();
    // Linux: WebKitGTK's painting path, and a sentence rather than a panic without a display.
    // Windows and macOS always have a desktop to open the window on, and their own web views.
    #[cfg(target_os = "linux")]
    {
        scopestack_companion::rendering::choose_painting_path();
        if let Err(message) = scopestack_companion::desktop_session::check() {
            eprintln!("{message}");
            std::process::exit(1);
        }
    }
    scopestack_companion::run()
}
