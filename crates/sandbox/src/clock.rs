//! Wall-clock helpers: Unix seconds and ISO 8601 timestamps like Rails prints them.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch (0 if the clock is before 1970).
pub(crate) fn now_unix() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// `2024-03-05T14:07:09.000Z` for the given Unix seconds (UTC).
pub(crate) fn iso8601(unix: u64) -> String {
    let whole = i64::try_from(unix)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let text = whole.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    // Rails prints milliseconds; a whole second's RFC 3339 form ends in "Z" without them.
    format!("{}.000Z", text.trim_end_matches('Z'))
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(1_700_000_000), "2023-11-14T22:13:20.000Z");
    }
}
