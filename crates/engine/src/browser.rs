//! Opening the system browser: `$BROWSER` when set (as scripts and tests set it), else the
//! desktop's default through `xdg-open`. Only `https://` and loopback `http://` addresses are
//! opened, so nothing from a server can make the app launch another kind of link.

use crate::session::BrowserOpener;
use std::process::{Command, Stdio};
use url::Url;

/// The user's browser.
pub struct SystemBrowser;

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        check_openable(url)?;
        let browser = std::env::var("BROWSER").ok().filter(|b| !b.trim().is_empty());
        let (program, args) = match &browser {
            // $BROWSER may be a list ("firefox:chromium"); the first entry is used. "%s" marks
            // where the address goes, else it is the last argument.
            Some(list) => {
                let first = list.split(':').next().unwrap_or_default();
                let mut words: Vec<String> = first.split_whitespace().map(String::from).collect();
                if words.is_empty() {
                    return Err("$BROWSER is set but empty".into());
                }
                let program = words.remove(0);
                if words.iter().any(|w| w.contains("%s")) {
                    words = words.into_iter().map(|w| w.replace("%s", url.as_str())).collect();
                } else {
                    words.push(url.to_string());
                }
                (program, words)
            }
            None => ("xdg-open".to_string(), vec![url.to_string()]),
        };
        Command::new(&program)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(|mut child| {
                // Reap it when it exits, so no zombie is left behind.
                std::thread::spawn(move || child.wait());
            })
            .map_err(|e| format!("could not run {program}: {e}"))
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
        assert!(check_openable(&Url::parse("https://app.scopestack.io/oauth/authorize").unwrap()).is_ok());
        assert!(check_openable(&Url::parse("http://127.0.0.1:9/oauth/authorize").unwrap()).is_ok());
        assert!(check_openable(&Url::parse("http://evil.example/").unwrap()).is_err());
        assert!(check_openable(&Url::parse("file:///etc/passwd").unwrap()).is_err());
    }
}
