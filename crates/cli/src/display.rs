//! Small helpers for what the commands print: stdout lines, times and method names.

use engine::tokens::{now_unix, TokenSet};
use engine::Method;
use std::io::Write;

/// `println!` for results: a reader that went away (`| head`) ends the command quietly instead
/// of a panic.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::display::write_line(format_args!($($arg)*)) };
}
pub(crate) use outln;

pub fn write_line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) =
        out.write_fmt(args).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write the output: {e}");
            std::process::exit(crate::exit::Code::Local as i32);
        }
        std::process::exit(0);
    }
}

/// A unix time as an RFC 3339 UTC timestamp, such as `2026-05-04T09:30:00Z`.
pub fn utc(unix: i64) -> String {
    engine::interop::utc::rfc3339(unix)
}

/// A duration in words: "1 h 59 min", "45 s".
pub fn duration(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        _ if s < 172_800 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} days", s / 86_400),
    }
}

/// "expires 2026-05-04T09:30:00Z (in 1 h 59 min)", or that the server gave no expiry.
pub fn expiry(tokens: &TokenSet) -> String {
    match tokens.expires_at {
        Some(at) => format!("expires {} (in {})", utc(at), duration(at - now_unix())),
        None => "has no expiry given by the server".into(),
    }
}

/// The method's name as the Quick Start says it.
pub fn method(m: Method) -> &'static str {
    match m {
        Method::BrowserLogin => "browser login",
        Method::ClientCredentials => "client credentials",
        Method::Password => "password",
    }
}

/// The method's name as `--grant` takes it.
pub fn grant_name(m: Method) -> &'static str {
    match m {
        Method::BrowserLogin => "authorization-code",
        Method::ClientCredentials => "client-credentials",
        Method::Password => "password",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_read_as_utc_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(utc(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(utc(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn durations_read_in_words() {
        assert_eq!(duration(-5), "0 s");
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(600), "10 min");
        assert_eq!(duration(7140), "1 h 59 min");
        assert_eq!(duration(3 * 86_400), "3 days");
    }
}
