//! What a support bundle says of the computer it was made on: the operating system's name
//! (`/etc/os-release`), its kernel release (`/proc/sys/kernel/osrelease`), and the platform.

use serde::{Deserialize, Serialize};

/// The computer a bundle was made on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SystemInfo {
    /// `linux`, `macos`, `windows`.
    pub os: String,
    pub arch: String,
    /// The distribution's `PRETTY_NAME` ("Debian GNU/Linux 12 (bookworm)"), when known.
    #[serde(default)]
    pub os_release: Option<String>,
    /// The kernel release ("6.1.0-18-amd64"), when known.
    #[serde(default)]
    pub kernel: Option<String>,
}

/// The value of `key` in an os-release text (`KEY="value"` lines).
fn os_release_value(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == key)
            .then(|| v.trim().trim_matches('"').trim_matches('\'').to_string())
            .filter(|v| !v.is_empty())
    })
}

impl SystemInfo {
    /// This computer, as far as it can be read without running anything.
    pub fn current() -> SystemInfo {
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let release = read("/etc/os-release").or_else(|| read("/usr/lib/os-release"));
        SystemInfo {
            os: std::env::consts::OS.to_string(),
            arch: std::env::consts::ARCH.to_string(),
            os_release: release.as_deref().and_then(|t| {
                os_release_value(t, "PRETTY_NAME").or_else(|| os_release_value(t, "NAME"))
            }),
            kernel: read("/proc/sys/kernel/osrelease")
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_lines_are_read() {
        let text = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n";
        assert_eq!(
            os_release_value(text, "PRETTY_NAME").as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(os_release_value(text, "ID").as_deref(), Some("debian"));
        assert_eq!(os_release_value(text, "VERSION"), None);
        let me = SystemInfo::current();
        assert_eq!(me.os, std::env::consts::OS);
        if cfg!(target_os = "linux") {
            assert!(me.kernel.is_some());
        }
    }
}
