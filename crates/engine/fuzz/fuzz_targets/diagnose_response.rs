//! Arbitrary answers through `diagnose_response`, as a token request and as an API call.
#![no_main]

use engine::diagnose::{codes, diagnose_response, Context};
use libfuzzer_sys::fuzz_target;

const HEADERS: [(&str, &str); 10] = [
    ("Content-Type", "application/vnd.api+json"),
    ("Content-Type", "text/html"),
    ("Content-Type", "application/json"),
    ("Retry-After", "30"),
    ("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"),
    ("Location", "https://app.scopestack.io/oauth/token"),
    ("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token expired\""),
    ("WWW-Authenticate", "Bearer error=\"insufficient_scope\""),
    ("Date", "not a date"),
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]);
    let mask = u16::from_le_bytes([data[2], data[3]]);
    let mut headers: Vec<(String, String)> =
        HEADERS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, (k, v))| (k.to_string(), v.to_string())).collect();
    // One header with arbitrary text from the input, too.
    let body = &data[5..];
    let text = String::from_utf8_lossy(&body[..body.len().min(64)]).into_owned();
    headers.push((["Date", "Retry-After", "Content-Type", "WWW-Authenticate", "Location"][usize::from(data[4]) % 5].to_string(), text.clone()));
    let flags = data[4];
    let ctx = if flags & 0x80 != 0 {
        Context::default().token_request(
            ["password", "client_credentials", "authorization_code", "refresh_token"][usize::from(flags) % 4],
            "https://app.scopestack.io/oauth/token",
        )
    } else {
        Context {
            sent_accept: (flags & 1 != 0).then(|| "application/vnd.api+json".to_string()),
            sent_content_type: (flags & 2 != 0).then(|| text.clone()),
            sent_authorization: Some(flags & 4 != 0),
            sent_token: (flags & 8 != 0).then(|| engine::Secret::new(text.clone())),
            token_age_secs: (flags & 16 != 0).then_some(i64::from(status) * 97),
            api_url: Some("https://api.scopestack.io".into()),
            ..Context::default()
        }
        .api_request(if flags & 32 != 0 { "POST" } else { "GET" }, &format!("https://api.scopestack.io/{}", text.replace(' ', "")))
    };
    if let Some(d) = diagnose_response(status, &headers, body, &ctx) {
        assert!(codes::ALL.contains(&d.code), "{}", d.code);
        assert!(!d.title.is_empty() && !d.what_happened.is_empty() && !d.what_to_do.is_empty());
    }
});
