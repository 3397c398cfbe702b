//! Where the engine keeps its files: the OS config directory, or `SCOPESTACK_COMPANION_HOME`.

use std::path::PathBuf;

/// The environment variable that moves every file of the app into one directory
/// (tests, portable use).
pub const HOME_ENV: &str = "SCOPESTACK_COMPANION_HOME";

/// The folder `SCOPESTACK_COMPANION_HOME` names, when it is set and not empty.
pub fn home_override() -> Option<PathBuf> {
    std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// The directory for settings: `$SCOPESTACK_COMPANION_HOME` if set, else the OS config directory
/// (`~/.config/scopestack-companion` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(home) = home_override() {
        return Some(home);
    }
    directories::ProjectDirs::from("", "", "scopestack-companion")
        .map(|d| d.config_dir().to_path_buf())
}

/// The folder of the locks the app's programs share (see [`crate::file_lock`]): `locks` in the
/// settings folder.
pub fn locks_dir() -> Option<PathBuf> {
    config_dir().map(|dir| dir.join("locks"))
}

/// The directory for data the app keeps between runs that is not a setting (the in-app sign-in
/// window's cookies): `$SCOPESTACK_COMPANION_HOME/data` if set, else the OS data directory
/// (`~/.local/share/scopestack-companion` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(home) = home_override() {
        return Some(home.join("data"));
    }
    directories::ProjectDirs::from("", "", "scopestack-companion")
        .map(|d| d.data_dir().to_path_buf())
}
