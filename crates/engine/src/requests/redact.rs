//! Keeping tokens and secrets out of what is shown and saved: the `Authorization` header and
//! every header, query parameter or JSON/form field whose name suggests a secret, passwords in
//! URLs, and anything shaped like a JWT wherever it appears.

use std::borrow::Cow;

/// What a secret value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Whether a header, parameter or field name suggests a secret: `Authorization`, `Cookie`,
/// `X-Api-Key`, and anything with token, secret, password and the like in it.
pub fn is_secret_name(name: &str) -> bool {
    let norm: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    const EXACT: [&str; 5] = ["pwd", "pass", "otp", "pin", "mfacode"];
    const CONTAINS: [&str; 12] = [
        "authorization",
        "cookie",
        "token",
        "secret",
        "password",
        "passwd",
        "passphrase",
        "apikey",
        "accesskey",
        "privatekey",
        "credential",
        "sessionid",
    ];
    EXACT.contains(&norm.as_str()) || CONTAINS.iter().any(|c| norm.contains(c))
}

/// `Bearer [redacted #3f9a1c]`: the scheme and, for a bearer credential, a fingerprint (the first
/// 6 hex digits of its SHA-256) so that exchanges made with one token can be told apart from those
/// made with another, without a single character of the token itself.
pub fn redact_authorization(value: &str) -> String {
    let value = value.trim();
    let (scheme, credential) = match value.split_once(' ') {
        Some((s, c)) => (s, c.trim()),
        None => ("", value),
    };
    let redacted = if scheme.eq_ignore_ascii_case("bearer") && !credential.is_empty() {
        format!("[redacted #{}]", fingerprint(credential))
    } else {
        REDACTED.to_string()
    };
    if scheme.is_empty() {
        redacted
    } else {
        format!("{scheme} {redacted}")
    }
}

/// The first 6 hex digits of a value's SHA-256: tells values apart, reveals none of them.
fn fingerprint(value: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(value.as_bytes()).iter().take(3).map(|b| format!("{b:02x}")).collect()
}

/// A header's value as it may be shown or saved.
pub fn redact_header(name: &str, value: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    if lower == "authorization" || lower == "proxy-authorization" {
        redact_authorization(value)
    } else if is_secret_name(name) {
        REDACTED.to_string()
    } else {
        scrub_jwts(value).into_owned()
    }
}

/// Headers as they may be shown or saved.
pub fn redact_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers.iter().map(|(k, v)| (k.clone(), redact_header(k, v))).collect()
}

/// Whether [`redact_header`] changes the value (the header carries a secret).
pub fn header_is_secret(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    lower == "authorization" || lower == "proxy-authorization" || is_secret_name(name)
}

fn is_b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

/// Every JWT-shaped string (`eyJ….….…`) replaced by `eyJ…[redacted]`.
pub fn scrub_jwts(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut i = 0;
    while let Some(found) = text[i..].find("eyJ") {
        let start = i + found;
        let run = |from: usize| {
            let mut j = from;
            while j < bytes.len() && is_b64url(bytes[j]) {
                j += 1;
            }
            j
        };
        let header_end = run(start);
        let mut end = header_end;
        let mut dots = 0;
        while dots < 2 && bytes.get(end) == Some(&b'.') {
            end = run(end + 1);
            dots += 1;
        }
        let preceded_by_word = start > 0 && is_b64url(bytes[start - 1]);
        if dots == 2 && header_end - start >= 10 && !preceded_by_word {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[last..start]);
            o.push_str("eyJ…");
            o.push_str(REDACTED);
            last = end;
            i = end;
        } else {
            i = start + 3;
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[last..]);
            Cow::Owned(o)
        }
    }
}

/// A URL with the password of `user:password@` and the values of secret-named query
/// parameters redacted (and JWTs scrubbed). Works on templates with `{variables}` too.
pub fn redact_url(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (base, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b.to_string(), Some(q)),
        None => (before_fragment.to_string(), None),
    };
    let mut base = base;
    if let Some(scheme_end) = base.find("://") {
        let authority_start = scheme_end + 3;
        let authority_end = base[authority_start..].find('/').map_or(base.len(), |p| authority_start + p);
        if let Some(at) = base[authority_start..authority_end].rfind('@') {
            let userinfo = &base[authority_start..authority_start + at];
            if let Some((user, _password)) = userinfo.split_once(':') {
                base = format!("{}{user}:{REDACTED}{}", &base[..authority_start], &base[authority_start + at..]);
            }
        }
    }
    let mut out = base;
    if let Some(q) = query {
        out.push('?');
        let parts: Vec<String> = q
            .split('&')
            .map(|pair| {
                let (raw_key, _) = pair.split_once('=').unwrap_or((pair, ""));
                let key: String = url::form_urlencoded::parse(raw_key.as_bytes()).map(|(k, _)| k.into_owned()).next().unwrap_or_default();
                if pair.contains('=') && is_secret_name(&key) {
                    format!("{raw_key}={REDACTED}")
                } else {
                    pair.to_string()
                }
            })
            .collect();
        out.push_str(&parts.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    scrub_jwts(&out).into_owned()
}

/// Query pairs with secret-named values redacted; also returns the names redacted.
pub fn redact_pairs(pairs: &[(String, String)]) -> (Vec<(String, String)>, Vec<String>) {
    let mut names = Vec::new();
    let out = pairs
        .iter()
        .map(|(k, v)| {
            if is_secret_name(k) {
                names.push(k.clone());
                (k.clone(), REDACTED.to_string())
            } else {
                (k.clone(), scrub_jwts(v).into_owned())
            }
        })
        .collect();
    (out, names)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The index just past the JSON string starting at `i` (a `"`).
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The index just past the JSON value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => skip_string(b, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace() {
                j += 1;
            }
            j
        }
    }
}

/// A JSON text with the value of every secret-named key replaced by `"[redacted]"`, keeping
/// the rest byte for byte (order and spacing too). `None` when `text` is not JSON. Also returns
/// the keys redacted.
pub fn redact_json_text(text: &str) -> Option<(String, Vec<String>)> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut names = Vec::new();
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let end = skip_string(b, i);
        let colon = skip_ws(b, end);
        if b.get(colon) != Some(&b':') {
            i = end;
            continue;
        }
        let key: String = serde_json::from_str(&text[i..end]).unwrap_or_default();
        let value_start = skip_ws(b, colon + 1);
        if is_secret_name(&key) {
            let value_end = skip_value(b, value_start);
            out.push_str(&text[last..value_start]);
            out.push('"');
            out.push_str(REDACTED);
            out.push('"');
            last = value_end;
            names.push(key);
            i = value_end;
        } else {
            i = value_start;
        }
    }
    out.push_str(&text[last..]);
    Some((scrub_jwts(&out).into_owned(), names))
}

/// A form body (`a=1&password=x`) with secret-named values redacted; `None` when it does not
/// look like one.
pub fn redact_form_text(text: &str) -> Option<(String, Vec<String>)> {
    let t = text.trim();
    if t.is_empty() || t.contains(char::is_whitespace) || !t.split('&').all(|p| p.contains('=')) {
        return None;
    }
    let redacted = redact_url(&format!("?{t}"));
    let names = url::form_urlencoded::parse(t.as_bytes()).map(|(k, _)| k.into_owned()).filter(|k| is_secret_name(k)).collect();
    Some((redacted[1..].to_string(), names))
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJTY29wZVN0YWNrIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

    #[test]
    fn secret_names_are_recognised() {
        for name in ["Authorization", "Cookie", "X-Api-Key", "x-auth-token", "client_secret", "Password", "refresh-token", "API_KEY", "otp"] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["Accept", "Content-Type", "project-name", "page[size]", "include", "author"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn authorization_keeps_the_scheme_and_a_fingerprint_only() {
        let shown = redact_authorization(&format!("Bearer {JWT}"));
        assert!(shown.starts_with("Bearer [redacted #") && shown.ends_with(']') && shown.len() == "Bearer [redacted #000000]".len(), "{shown}");
        // Not one run of 4 characters of the token is left (the old form kept its first 6).
        let chars: Vec<char> = JWT.chars().collect();
        for window in chars.windows(4) {
            assert!(!shown.contains(&window.iter().collect::<String>()), "{shown} shows part of the token");
        }
        // The same token gets the same fingerprint every time, another token another one.
        assert_eq!(redact_authorization(&format!("bearer  {JWT} ")), format!("bearer {}", &shown["Bearer ".len()..]));
        assert_ne!(redact_authorization(&format!("Bearer {JWT}x")), shown);
        assert_ne!(redact_authorization("Bearer short"), redact_authorization("Bearer shore"));
        assert!(redact_authorization("Bearer short").starts_with("Bearer [redacted #"));
        assert_eq!(redact_authorization("Bearer"), "[redacted]");
        assert_eq!(redact_authorization("Basic dXNlcjpwYXNzd29yZA=="), "Basic [redacted]");
        assert_eq!(redact_header("X-Trace", &format!("id {JWT} end")), "id eyJ…[redacted] end");
    }

    #[test]
    fn urls_lose_passwords_and_secret_parameters() {
        let url = format!("https://me:hunter2@api.test/{{account-slug}}/v1/x?page%5Bsize%5D=5&access_token={JWT}&client_secret=s3cr3t#top");
        let r = redact_url(&url);
        assert_eq!(r, "https://me:[redacted]@api.test/{account-slug}/v1/x?page%5Bsize%5D=5&access_token=[redacted]&client_secret=[redacted]#top");
    }

    #[test]
    fn json_bodies_keep_their_layout_but_not_their_secrets() {
        let body = "{\n  \"data\": {\"type\": \"users\", \"attributes\": {\"name\": \"Avery\", \"password\": \"p\\\"w{d}\", \"api-key\": {\"k\": [1, 2]}, \"pin\": 1234}}\n}";
        let (out, names) = redact_json_text(body).unwrap();
        assert_eq!(
            out,
            "{\n  \"data\": {\"type\": \"users\", \"attributes\": {\"name\": \"Avery\", \"password\": \"[redacted]\", \"api-key\": \"[redacted]\", \"pin\": \"[redacted]\"}}\n}"
        );
        assert_eq!(names, vec!["password", "api-key", "pin"]);
        assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
        assert!(redact_json_text("not json").is_none());
    }

    #[test]
    fn form_bodies_are_redacted_by_field() {
        let (out, names) = redact_form_text("grant_type=password&username=a%40b&password=hunter2").unwrap();
        assert_eq!(out, "grant_type=password&username=a%40b&password=[redacted]");
        assert_eq!(names, vec!["password"]);
        assert!(redact_form_text("just some text").is_none());
    }
}
