//! Reading the headers a diagnosis depends on: `Content-Type`, `Retry-After`, `Location`,
//! `WWW-Authenticate`, and `Date` (to spot a computer clock that is off).

use crate::http_answer::parse_http_date;

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
    media_type(media) == crate::http_answer::JSON_API
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_and_challenges() {
        let h = vec![("Date".to_string(), "Thu, 01 Jan 1970 01:00:00 GMT".to_string())];
        assert_eq!(clock_skew_secs(&h, 0), Some(3600));
        assert!(is_skewed(3600) && !is_skewed(-200));
        assert_eq!(skew_words(-7200), "this computer's clock is 2 hours ahead of the server's");
        let (e, d) = bearer_challenge(
            r#"Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token expired""#,
        );
        assert_eq!(
            (e.as_deref(), d.as_deref()),
            (Some("invalid_token"), Some("The access token expired"))
        );
        assert!(
            is_json_media("application/vnd.api+json; charset=utf-8")
                && !is_json_media("text/plain")
        );
    }
}
