//! The raw exchange behind a diagnosis, as text for its "details" disclosure and for support:
//! the request line and headers, the status line and headers, and the first part of each body,
//! with every secret redacted (tokens, secrets, passwords, cookies, sign-in codes).

use crate::http_answer::status_and_reason;
use crate::redact::{redact_body_text, redact_header, redact_text, redact_url, BodyCopy};

/// How many characters of each body are shown.
pub const BODY_SHOWN: usize = 2000;
/// How much of a body is read to redact it (a secret is never cut in half by the excerpt).
const BODY_REDACTED: usize = 64 * 1024;

/// One request and its answer, as sent and received.
#[derive(Clone, Copy, Debug)]
pub struct Exchange<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub request_headers: &'a [(String, String)],
    pub request_body: Option<&'a [u8]>,
    pub status: u16,
    pub response_headers: &'a [(String, String)],
    pub response_body: &'a [u8],
}

/// The exchange as text, secrets redacted.
pub fn exchange_text(x: &Exchange<'_>) -> String {
    let mut out =
        format!("{} {}\n", x.method.to_ascii_uppercase(), redact_text(&redact_url(x.url)));
    headers(&mut out, x.request_headers);
    if let Some(b) = x.request_body.filter(|b| !b.is_empty()) {
        out.push('\n');
        out.push_str(&body(b, content_type(x.request_headers)));
    }
    out.push_str(&format!("\n\n{}\n", status_and_reason(x.status)));
    headers(&mut out, x.response_headers);
    if !x.response_body.is_empty() {
        out.push('\n');
        out.push_str(&body(x.response_body, content_type(x.response_headers)));
    }
    out.trim_end().to_string()
}

fn headers(out: &mut String, headers: &[(String, String)]) {
    for (name, value) in headers {
        let line: String = format!("{name}: {}", redact_header(name, value))
            .chars()
            .filter(|c| !c.is_control())
            .take(500)
            .collect();
        out.push_str(&line);
        out.push('\n');
    }
}

fn content_type(headers: &[(String, String)]) -> Option<&str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.as_str())
}

/// A body as text: redacted by the body rules of [`crate::redact`] (a body whose format cannot be read and that may hold a
/// secret is replaced by a note), and cut.
fn body(bytes: &[u8], content_type: Option<&str>) -> String {
    let head = &bytes[..bytes.len().min(BODY_REDACTED)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t.to_string(),
        // A character cut at the end of the part read is not damage.
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned()
        }
        Err(_) => return format!("({} bytes that are not text)", bytes.len()),
    };
    let redacted = match redact_body_text(&text, content_type) {
        BodyCopy::Kept { text, .. } => text,
        BodyCopy::NotKept { note } => return format!("{note} ({} bytes)", bytes.len()),
    };
    let shown: String = redacted.chars().take(BODY_SHOWN).collect();
    if bytes.len() > BODY_REDACTED || redacted.chars().count() > BODY_SHOWN {
        format!("{shown}\n… ({} bytes in all)", bytes.len())
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_exchange_shows_lines_headers_and_bodies_without_secrets() {
        let jwt = "eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyIjoxMjM0NTY3OH0.c2lnbmF0dXJlc2lnbmF0dXJl";
        let request_headers = pairs(&[
            ("Accept", "application/vnd.api+json"),
            ("Authorization", &format!("Bearer {jwt}")),
            ("Cookie", "session=abc"),
        ]);
        let response_headers = pairs(&[
            ("Content-Type", "application/json"),
            ("Set-Cookie", "s=secret-cookie"),
            ("Retry-After", "30"),
        ]);
        let request_body = b"grant_type=password&username=a%40b.test&password=hunter2&redirect_uri=https%3A%2F%2Foauth.pstmn.io%2Fv1%2Fcallback";
        let response_body = format!(
            r#"{{"error":"invalid_grant","access_token":"{jwt}","refresh_token":"r-123"}}"#
        );
        let text = exchange_text(&Exchange {
            method: "post",
            url: "https://app.scopestack.io/oauth/token?code=abc123&state=s",
            request_headers: &request_headers,
            request_body: Some(request_body),
            status: 400,
            response_headers: &response_headers,
            response_body: response_body.as_bytes(),
        });
        assert!(text.starts_with("POST https://app.scopestack.io/oauth/token?"), "{text}");
        assert!(text.contains("\nAccept: application/vnd.api+json\n"), "{text}");
        assert!(text.contains("\n400 Bad Request\n"), "{text}");
        assert!(text.contains("Retry-After: 30"), "{text}");
        assert!(text.contains("grant_type=password") && text.contains("redirect_uri="), "{text}");
        assert!(text.contains("\"error\":\"invalid_grant\""), "{text}");
        for secret in ["hunter2", "c2lnbmF0dXJl", "r-123", "secret-cookie", "session=abc", "abc123"]
        {
            assert!(!text.contains(secret), "{secret} shows in:\n{text}");
        }
    }

    #[test]
    fn long_and_binary_bodies_are_cut_and_described() {
        let long = "x".repeat(10_000);
        let text = exchange_text(&Exchange {
            method: "GET",
            url: "https://api.scopestack.io/v1/me",
            request_headers: &[],
            request_body: None,
            status: 200,
            response_headers: &[],
            response_body: long.as_bytes(),
        });
        assert!(text.ends_with("… (10000 bytes in all)"), "{}", &text[text.len() - 40..]);
        assert!(text.len() < 2200);
        let binary = exchange_text(&Exchange {
            method: "GET",
            url: "https://x.test/",
            request_headers: &[],
            request_body: None,
            status: 200,
            response_headers: &[],
            response_body: &[0xff, 0xfe, 0x00, 0x41],
        });
        assert!(binary.ends_with("(4 bytes that are not text)"), "{binary}");
    }
}
