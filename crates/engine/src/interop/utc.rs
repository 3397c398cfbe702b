//! Unix times as RFC 3339 UTC timestamps (`2026-05-04T09:30:00Z`): what exports, bundles and
//! the CLI print.

/// A unix time (seconds) as an RFC 3339 UTC timestamp, such as `2026-05-04T09:30:00Z`; the
/// seconds themselves for a time beyond what a calendar date can hold.
pub fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::rfc3339(1_777_887_000), "2026-05-04T09:30:00Z");
    }
}
