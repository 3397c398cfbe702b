//! Opening the system browser for a sign-in: `$BROWSER` when set (as scripts and tests set it),
//! else the desktop's default ([`DEFAULT_OPENER`]: `xdg-open` on Linux, `open` on macOS, the URL
//! handler on Windows). Only `https://` and loopback `http://` addresses are opened, so nothing
//! from a server can make the app launch another kind of link.

use crate::session::BrowserOpener;
use std::process::{Command, Stdio};
use url::Url;

/// What opens a URL in the desktop's default browser when `$BROWSER` is not set.
#[cfg(target_os = "macos")]
pub const DEFAULT_OPENER: &str = "open";
/// What opens a URL in the desktop's default browser when `$BROWSER` is not set (Windows' URL
/// handler: unlike `cmd /c start`, it takes a URL with `&` in it as it is).
#[cfg(windows)]
pub const DEFAULT_OPENER: &str = "rundll32 url.dll,FileProtocolHandler";
/// What opens a URL in the desktop's default browser when `$BROWSER` is not set.
#[cfg(not(any(target_os = "macos", windows)))]
pub const DEFAULT_OPENER: &str = "xdg-open";

/// Opens URLs with `$BROWSER` or [`DEFAULT_OPENER`].
///
/// `$BROWSER` may list several commands separated by `:` (the first that starts is used); each is
/// a program with optional arguments, split on spaces, and gets the URL in place of `%s`, or as
/// its last argument.
#[derive(Clone, Debug, Default)]
pub struct SystemBrowser {
    /// Environment variables not passed on to the browser (those holding the caller's secrets).
    pub hidden_vars: Vec<String>,
    /// Send the browser's standard output to our standard error (a CLI keeps stdout for results).
    pub output_to_stderr: bool,
}

impl SystemBrowser {
    fn commands() -> Vec<String> {
        match std::env::var("BROWSER") {
            Ok(list) if !list.trim().is_empty() => {
                list.split(':').map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect()
            }
            _ => vec![DEFAULT_OPENER.into()],
        }
    }

    fn spawn(&self, command: &str, url: &Url) -> Result<(), String> {
        let mut words = command.split_whitespace();
        let program = words.next().ok_or("$BROWSER is empty")?;
        let mut args: Vec<String> = words.map(String::from).collect();
        if args.iter().any(|a| a.contains("%s")) {
            args.iter_mut().for_each(|a| *a = a.replace("%s", url.as_str()));
        } else {
            args.push(url.to_string());
        }
        let mut cmd = Command::new(program);
        cmd.args(&args).stdin(Stdio::null()).stderr(Stdio::null());
        cmd.stdout(if self.output_to_stderr { to_stderr() } else { Stdio::null() });
        for var in &self.hidden_vars {
            cmd.env_remove(var);
        }
        let mut child = cmd.spawn().map_err(|e| format!("{program} could not be started ({e})"))?;
        // Reap it when it exits, so no zombie is left behind.
        std::thread::spawn(move || child.wait());
        Ok(())
    }
}

/// Our standard error, for the browser's output.
#[cfg(unix)]
fn to_stderr() -> Stdio {
    use std::os::fd::AsFd;
    match std::io::stderr().as_fd().try_clone_to_owned() {
        Ok(fd) => Stdio::from(fd),
        Err(_) => Stdio::null(),
    }
}

/// Our standard error, for the browser's output.
#[cfg(not(unix))]
fn to_stderr() -> Stdio {
    Stdio::from(std::io::stderr())
}

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        check_openable(url)?;
        let mut failures = Vec::new();
        for command in Self::commands() {
            match self.spawn(&command, url) {
                Ok(()) => return Ok(()),
                Err(e) => failures.push(e),
            }
        }
        Err(failures.join("; "))
    }
}

/// Refuses anything but `https://` and `http://` on this computer.
pub fn check_openable(url: &Url) -> Result<(), String> {
    crate::profiles::check_url("sign-in address", url).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_and_loopback_addresses_are_opened() {
        assert!(check_openable(&Url::parse("https://app.scopestack.io/oauth/authorize").unwrap())
            .is_ok());
        assert!(check_openable(&Url::parse("http://127.0.0.1:9/oauth/authorize").unwrap()).is_ok());
        assert!(check_openable(&Url::parse("http://evil.example/").unwrap()).is_err());
        assert!(check_openable(&Url::parse("file:///etc/passwd").unwrap()).is_err());
    }
}
