//! Keeping secrets out of diagnosis details and error excerpts: token, secret and password
//! values in JSON and forms, `code` in callback URLs, `Bearer` credentials, and JWTs anywhere.

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Keys whose values are secrets, in JSON (`"key": "value"`) and forms (`key=value`).
const SECRET_KEYS: [&str; 8] = ["access_token", "refresh_token", "id_token", "client_secret", "password", "token", "secret", "assertion"];

/// `text` with every secret it shows replaced by [`REDACTED`].
pub fn redact(text: &str) -> String {
    let mut out = redact_jwts(text);
    for key in SECRET_KEYS {
        out = redact_key(&out, key, false);
    }
    out = redact_key(&out, "code", true);
    redact_bearer(&out)
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Replaces the value after `key` wherever `key` stands alone as a JSON key or form name.
/// `query_only`: only after `?` or `&` (for `code`, a common non-secret JSON field).
fn redact_key(text: &str, key: &str, query_only: bool) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(key) {
        let start = from + found;
        let end = start + key.len();
        from = end;
        let before = text[..start].chars().next_back();
        let standalone = !before.is_some_and(is_word) && !text[end..].chars().next().is_some_and(is_word);
        let allowed = !query_only || matches!(before, Some('?') | Some('&'));
        if !standalone || !allowed || start < copied {
            continue;
        }
        let Some(value) = value_span(text, end) else { continue };
        out.push_str(&text[copied..value.0]);
        out.push_str(REDACTED);
        copied = value.1;
        from = value.1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Where the value after a key at `after` starts and ends: past `"`, spaces and `:` or `=`.
fn value_span(text: &str, after: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = after;
    let quoted_key = matches!(bytes.get(i), Some(b'"') | Some(b'\\'));
    if quoted_key {
        while matches!(bytes.get(i), Some(b'"') | Some(b'\\')) {
            i += 1;
        }
    }
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    // `key=value` (forms, queries) or `"key": value` (JSON); not prose such as "the token: it".
    match bytes.get(i) {
        Some(b'=') => {}
        Some(b':') if quoted_key => {}
        _ => return None,
    }
    i += 1;
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    let quoted = bytes.get(i) == Some(&b'"');
    if quoted {
        i += 1;
        let start = i;
        while let Some(&b) = bytes.get(i) {
            if b == b'"' && bytes.get(i.wrapping_sub(1)) != Some(&b'\\') {
                break;
            }
            i += 1;
        }
        return (i > start).then_some((start, i));
    }
    // Numbers, null and objects are not secrets worth hiding; a form or query value is.
    if matches!(bytes.get(i), Some(b'{') | Some(b'[') | Some(b'n') | Some(b't') | Some(b'f')) && text[after..i].contains(':') {
        return None;
    }
    let start = i;
    while let Some(&b) = bytes.get(i) {
        if matches!(b, b'&' | b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t' | b'"' | b'#' | b'<') {
            break;
        }
        i += 1;
    }
    (i > start).then_some((start, i))
}

fn redact_bearer(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find("bearer ") {
        let start = from + found + "bearer ".len();
        from = start;
        let len = text[start..].find(|c: char| c.is_whitespace() || c == '"' || c == ',' || c == '\'').unwrap_or(text.len() - start);
        if len < 8 {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(REDACTED);
        copied = start + len;
        from = copied;
    }
    out.push_str(&text[copied..]);
    out
}

/// Replaces anything shaped like a JWT (`eyJ…​.…​.…`) with [`REDACTED`].
fn redact_jwts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find("eyJ") {
        let start = from + found;
        let len =
            text[start..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' || c == '=')).unwrap_or(text.len() - start);
        from = start + len.max(3);
        if text[start..start + len].matches('.').count() < 2 {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(REDACTED);
        copied = start + len;
    }
    out.push_str(&text[copied..]);
    out
}

/// The first `max` characters of `text`, redacted, on one line, with `…` when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let redacted = redact(&one_line);
    let mut out: String = redacted.chars().take(max).collect();
    if redacted.chars().count() > max {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_fields_are_hidden_in_json_and_forms() {
        let json = r#"{"access_token":"abc123secret","token_type":"Bearer","refresh_token": "rrr","expires_in":"7200"}"#;
        let r = redact(json);
        assert!(!r.contains("abc123secret") && !r.contains("rrr"), "{r}");
        assert!(r.contains(r#""token_type":"Bearer""#) && r.contains("7200"), "{r}");
        let form = "grant_type=password&username=a%40b&password=hunter2&client_secret=s3cr3t";
        let r = redact(form);
        assert!(!r.contains("hunter2") && !r.contains("s3cr3t") && r.contains("username=a%40b"), "{r}");
    }

    #[test]
    fn codes_in_callback_urls_and_bearer_values_and_jwts_are_hidden() {
        let r = redact("http://127.0.0.1:8765/callback?code=AbCdEf&state=x");
        assert!(!r.contains("AbCdEf") && r.contains("state=x"), "{r}");
        let r = redact(r#"{"errors":[{"code":"blank","title":"can't be blank"}]}"#);
        assert!(r.contains("blank"), "a JSON:API error code stays: {r}");
        let r = redact("Authorization: Bearer abcdefghijklmnop");
        assert_eq!(r, "Authorization: Bearer [redacted]");
        let r = redact("token eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJTY29wZVN0YWNrIn0.c2ln here");
        assert_eq!(r, "token [redacted] here");
    }

    #[test]
    fn excerpts_are_short_single_lines() {
        let e = excerpt("<html>\n  <body>  hello </body>\n</html>", 12);
        assert_eq!(e, "<html> <body…");
        assert_eq!(redact("ünïcödé token=é x"), "ünïcödé token=[redacted] x");
        assert_eq!(redact("Check the client secret: copy it"), "Check the client secret: copy it");
    }
}
