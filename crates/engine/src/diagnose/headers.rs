//! Reading the headers a diagnosis depends on: `Content-Type`, `Retry-After`, `Location`,
//! `WWW-Authenticate`, and `Date` (to spot a computer clock that is off).

/// How far the server's clock may differ from ours before it is worth a mention.
pub const CLOCK_SKEW_TOLERANCE_SECS: i64 = 300;

/// A header's value, by case-insensitive name (the first one).
pub fn get<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
}

/// The media type of a `Content-Type` value, lowercased, without parameters.
pub fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Whether a media type is a JSON one (`application/json`, `application/vnd.api+json`, ...).
pub fn is_json_media(media: &str) -> bool {
    let m = media_type(media);
    m == "application/json" || m == "text/json" || m.ends_with("+json")
}

/// Whether a media type is JSON:API's.
pub fn is_json_api_media(media: &str) -> bool {
    media_type(media) == crate::verify::JSON_API
}

/// Seconds to wait from a `Retry-After` value (seconds, or an HTTP date), at `now`.
pub fn retry_after_secs(value: &str, now: i64) -> Option<u64> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs);
    }
    let when = parse_http_date(v)?;
    Some(u64::try_from((when - now).max(0)).unwrap_or(0))
}

/// Server time minus our time, in seconds, from a `Date` header (positive: the server is ahead).
pub fn clock_skew_secs(headers: &[(String, String)], now: i64) -> Option<i64> {
    Some(parse_http_date(get(headers, "date")?)? - now)
}

/// Whether the clock difference is large enough to matter.
pub fn is_skewed(skew: i64) -> bool {
    skew.abs() > CLOCK_SKEW_TOLERANCE_SECS
}

/// A clock difference in words: "3 hours ahead of", "12 minutes behind".
pub fn skew_words(skew: i64) -> String {
    let abs = skew.unsigned_abs();
    let amount = match abs {
        0..=119 => format!("{abs} seconds"),
        120..=7199 => format!("{} minutes", abs / 60),
        7200..=172_799 => format!("{} hours", abs / 3600),
        _ => format!("{} days", abs / 86_400),
    };
    if skew > 0 {
        format!("this computer's clock is {amount} behind the server's")
    } else {
        format!("this computer's clock is {amount} ahead of the server's")
    }
}

/// `error` and `error_description` of a `WWW-Authenticate: Bearer ...` challenge.
pub fn bearer_challenge(value: &str) -> (Option<String>, Option<String>) {
    let param = |name: &str| {
        let lower = value.to_ascii_lowercase();
        let at = lower.find(&format!("{name}="))? + name.len() + 1;
        let rest = &value[at..];
        Some(if let Some(quoted) = rest.strip_prefix('"') {
            quoted.split('"').next().unwrap_or("").to_string()
        } else {
            rest.split([',', ' ']).next().unwrap_or("").to_string()
        })
    };
    (param("error"), param("error_description"))
}

/// Parses an HTTP date (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850
/// `Sunday, 06-Nov-94 08:49:37 GMT`, or asctime `Sun Nov  6 08:49:37 1994`) to unix seconds.
pub fn parse_http_date(value: &str) -> Option<i64> {
    let parts: Vec<&str> = value.split([' ', ',', '-']).filter(|s| !s.is_empty()).collect();
    let (day, month, year, time) = match parts.as_slice() {
        [_, d, m, y, t, ..] if d.chars().all(|c| c.is_ascii_digit()) => (*d, *m, *y, *t),
        [_, m, d, t, y] => (*d, *m, *y, *t),
        _ => return None,
    };
    let day: i64 = day.parse().ok()?;
    let month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .iter()
        .position(|m| month.get(..3).is_some_and(|m3| m3.eq_ignore_ascii_case(m)))? as i64
        + 1;
    let mut year: i64 = year.parse().ok()?;
    if year < 100 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    if !(1..=31).contains(&day) || !(0..24).contains(&h) || !(0..60).contains(&mi) || !(0..61).contains(&s) || !(1..=9999).contains(&year) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_in_all_three_forms() {
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Sat, 29 Feb 2020 23:59:59 GMT"), Some(1_583_020_799));
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date("Sun, 99 Nov 1994 08:49:37 GMT"), None);
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(retry_after_secs("120", 0), Some(120));
        assert_eq!(retry_after_secs("Thu, 01 Jan 1970 00:02:00 GMT", 60), Some(60));
        assert_eq!(retry_after_secs("Thu, 01 Jan 1970 00:02:00 GMT", 600), Some(0));
        assert_eq!(retry_after_secs("soon", 0), None);
    }

    #[test]
    fn skew_and_challenges() {
        let h = vec![("Date".to_string(), "Thu, 01 Jan 1970 01:00:00 GMT".to_string())];
        assert_eq!(clock_skew_secs(&h, 0), Some(3600));
        assert!(is_skewed(3600) && !is_skewed(-200));
        assert_eq!(skew_words(-7200), "this computer's clock is 2 hours ahead of the server's");
        let (e, d) = bearer_challenge(r#"Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token expired""#);
        assert_eq!((e.as_deref(), d.as_deref()), (Some("invalid_token"), Some("The access token expired")));
        assert!(is_json_media("application/vnd.api+json; charset=utf-8") && !is_json_media("text/plain"));
    }
}
