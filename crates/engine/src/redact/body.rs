//! The body rule of [`super`]: JSON and forms redacted field by field; any other format kept only when it plainly holds no secret.

use super::*;

/// What may be kept of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyCopy {
    /// The body with its secrets redacted, and the names of the fields redacted.
    Kept { text: String, redacted_fields: Vec<String> },
    /// Nothing of it: the note says why ([`UNREADABLE_BODY_NOTE`], [`BINARY_BODY_NOTE`]).
    NotKept { note: &'static str },
}

/// A body as it may be kept (see the module's rules). `content_type` is the declared one, when known.
pub fn redact_body(bytes: &[u8], content_type: Option<&str>) -> BodyCopy {
    match std::str::from_utf8(bytes) {
        Ok(text) => redact_body_text(text, content_type),
        Err(_) => BodyCopy::NotKept { note: BINARY_BODY_NOTE },
    }
}

/// A text body as it may be kept (see the module's rules).
pub fn redact_body_text(text: &str, content_type: Option<&str>) -> BodyCopy {
    if text.trim().is_empty() {
        return BodyCopy::Kept { text: text.to_string(), redacted_fields: Vec::new() };
    }
    let declared_form = content_type
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("application/x-www-form-urlencoded"));
    if let Some((text, redacted_fields)) =
        redact_json_text(text).or_else(|| redact_form_text(text, declared_form))
    {
        return BodyCopy::Kept { text, redacted_fields };
    }
    if plainly_holds_no_secret(text) {
        return BodyCopy::Kept { text: redact_text(text), redacted_fields: Vec::new() };
    }
    BodyCopy::NotKept { note: UNREADABLE_BODY_NOTE }
}

/// The first `max` characters of a body as it may be kept, on one line (`…` when cut), or the note saying why it is not kept.
pub fn body_excerpt(text: &str, content_type: Option<&str>, max: usize) -> BodyCopy {
    match redact_body_text(text, content_type) {
        BodyCopy::Kept { text, redacted_fields } => {
            BodyCopy::Kept { text: cut_to_line(&text, max), redacted_fields }
        }
        not_kept => not_kept,
    }
}

/// Whether not one word of `text` (nor a part of one between `-` and `_`) is a secret-looking name or looks like a token.
fn plainly_holds_no_secret(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
        .all(|word| {
            !is_secret_name(word)
                && !looks_like_token(word)
                && word
                    .split(['-', '_'])
                    .all(|part| !is_secret_name(part) && !looks_like_token(part))
        })
}

/// `text` with each `{{variable}}` replaced by `0`, to check a JSON template's shape.
fn fill_templates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else { break };
        let inner = &rest[open + 2..open + 2 + close];
        out.push_str(&rest[..open]);
        if inner.contains(['{', '}', '\n']) {
            out.push_str("{{");
            rest = &rest[open + 2..];
            continue;
        }
        out.push('0');
        rest = &rest[open + 2 + close + 2..];
    }
    out.push_str(rest);
    out
}

fn is_json(text: &str) -> bool {
    let parses = |t: &str| serde_json::from_str::<serde::de::IgnoredAny>(t).is_ok();
    parses(text) || (text.contains("{{") && parses(&fill_templates(text)))
}

/// A JSON text (`{{variables}}` allowed) with the value of every secret-named key replaced by `"[redacted]"` at any depth, and the
/// free-text rule applied inside its strings, keeping the rest byte for byte. `None` when it is not JSON (or would not stay JSON).
/// Also returns the keys redacted.
pub fn redact_json_text(text: &str) -> Option<(String, Vec<String>)> {
    if !is_json(text) {
        return None;
    }
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
    let out = redact_text(&out);
    is_json(&out).then_some((out, names))
}

/// A form body (`a=1&password=x`) with secret-named values redacted; `None` when it is not one (`declared`: its content type says
/// it is, so spaces and pieces without `=` do not make it something else). Also returns the names redacted.
pub fn redact_form_text(text: &str, declared: bool) -> Option<(String, Vec<String>)> {
    let t = text.trim();
    if t.is_empty()
        || (!declared
            && (t.contains(char::is_whitespace) || !t.split('&').all(|p| p.contains('='))))
    {
        return None;
    }
    Some(redact_parameters(text))
}
