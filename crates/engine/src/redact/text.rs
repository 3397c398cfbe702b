//! The free-text rule of [`super`] (failure messages, header values, excerpts): URLs, secret-named `key=value`, `"key": value`
//! and `<key>value</key>`, bearer and basic credentials, and JWTs.

use super::*;
use std::borrow::Cow;

/// `text` (a failure message, a header value, an excerpt of an answer) with every secret it shows replaced: URLs get the URL rule,
/// secret-named `key=value`, `"key": value` and `<key>value</key>` lose the value, and bearer and basic credentials and JWTs go.
pub fn redact_text(text: &str) -> String {
    let out = redact_urls_in(text);
    let out = redact_quoted_keys(&out);
    let out = redact_key_values(&out);
    let out = redact_secret_elements(&out);
    let out = redact_credentials(&out);
    scrub_jwts(&out).into_owned()
}

/// The first `max` characters of `text`, redacted, on one line, with `…` when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    cut_to_line(&redact_text(&one_line(text)), max)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn cut_to_line(text: &str, max: usize) -> String {
    let one = one_line(text);
    let mut out: String = one.chars().take(max).collect();
    if one.chars().count() > max {
        out.push('…');
    }
    out
}

fn is_url_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | ')' | '\\')
}

/// Every `scheme://…` in `text` through [`redact_url`].
fn redact_urls_in(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let mut spliced = Spliced::new(text);
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let sep = from + found;
        let start = text[..sep]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || "+.-".contains(*c)))
            .map_or(0, |(p, c)| p + c.len_utf8())
            .max(spliced.copied);
        let end = text[sep..].find(is_url_end).map_or(text.len(), |p| sep + p);
        from = end.max(sep + 3);
        if start == sep {
            continue;
        }
        spliced.replace(start, end, &redact_url(&text[start..end]));
    }
    spliced.finish()
}

/// The index of the quote closing the JSON string starting at `i` (a `"`); `None` when it is cut off.
fn string_close(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The index just past the JSON string starting at `i` (a `"`).
pub(super) fn skip_string(b: &[u8], i: usize) -> usize {
    string_close(b, i).map_or(b.len(), |close| close + 1)
}

pub(super) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The index just past the JSON value starting at `i` (to the end of the text when it is cut off).
pub(super) fn skip_value(b: &[u8], i: usize) -> usize {
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
                        depth = depth.saturating_sub(1);
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
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            j
        }
    }
}

/// A text rebuilt with some of its spans replaced, left to front; borrowed as it is when nothing
/// was replaced.
struct Spliced<'a> {
    text: &'a str,
    out: String,
    /// How far the text has been copied (or replaced) into `out`.
    copied: usize,
    replaced: bool,
}

impl<'a> Spliced<'a> {
    fn new(text: &'a str) -> Spliced<'a> {
        Spliced { text, out: String::new(), copied: 0, replaced: false }
    }

    /// Replaces `start..end` (at or after what was copied already) with `with`.
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        self.out.push_str(&self.text[self.copied..start]);
        self.out.push_str(with);
        self.copied = end;
        self.replaced = true;
    }

    fn finish(mut self) -> Cow<'a, str> {
        if !self.replaced {
            return Cow::Borrowed(self.text);
        }
        self.out.push_str(&self.text[self.copied..]);
        Cow::Owned(self.out)
    }
}

/// `"key": value` and `\"key\": value` (JSON quoted in a message) in any text: the value of a secret-named key redacted, strings
/// keeping their quotes. `null`, `true` and `false` stay (they are no secret).
fn redact_quoted_keys(text: &str) -> Cow<'_, str> {
    if !text.contains('"') {
        return Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let mut spliced = Spliced::new(text);
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let escaped = i > 0 && b[i - 1] == b'\\';
        // The key and the index past its closing quote.
        let found = if escaped {
            text[i + 1..].find("\\\"").map(|p| (&text[i + 1..i + 1 + p], i + 1 + p + 2))
        } else {
            string_close(b, i).map(|close| (&text[i + 1..close], close + 1))
        };
        let Some((key, after)) = found else {
            i += 1;
            continue;
        };
        let colon = skip_ws(b, after);
        if b.get(colon) != Some(&b':') || key.len() > 100 || !is_secret_name(key) {
            // Its closing quote may open the next string (a stray quote in prose put the pairs off by one).
            i = after - 1;
            continue;
        }
        let value_start = skip_ws(b, colon + 1);
        let quote = if escaped { "\\\"" } else { "\"" };
        let span = if text[value_start..].starts_with(quote) {
            let content = value_start + quote.len();
            let close = if escaped {
                text[content..].find("\\\"").map_or(b.len(), |p| content + p)
            } else {
                string_close(b, value_start).unwrap_or(b.len())
            };
            Some((content, close, false))
        } else {
            match b.get(value_start) {
                Some(b'{' | b'[') if !escaped => {
                    Some((value_start, skip_value(b, value_start), true))
                }
                Some(c) if c.is_ascii_digit() || *c == b'-' => {
                    Some((value_start, skip_value(b, value_start), true))
                }
                _ => None,
            }
        };
        match span {
            Some((start, end, needs_quotes))
                if end > start && !text[start..].starts_with("[redacted") =>
            {
                let with =
                    if needs_quotes { format!("\"{REDACTED}\"") } else { REDACTED.to_string() };
                spliced.replace(start, end, &with);
                i = end.max(i + 1);
            }
            _ => i = value_start.max(i + 1),
        }
    }
    spliced.finish()
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']' | b'%' | b'+')
}

/// Where the value after `=` at `from` starts and ends: a quoted value without its quotes, else up to the next separator.
fn value_after_equals(text: &str, from: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = from;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    if let Some(&q @ (b'"' | b'\'')) = b.get(i) {
        let start = i + 1;
        let end = text[start..].find(q as char).map_or(b.len(), |p| start + p);
        return (end > start).then_some((start, end));
    }
    let start = i;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_whitespace()
            || matches!(
                c,
                b'&' | b';'
                    | b','
                    | b'"'
                    | b'\''
                    | b'<'
                    | b'>'
                    | b'#'
                    | b')'
                    | b'}'
                    | b']'
                    | b'\\'
                    | b'`'
            )
        {
            break;
        }
        i += 1;
    }
    (i > start).then_some((start, i))
}

/// `key=value` wherever it appears (forms, queries, cookies, messages): the value of a secret-named key redacted.
pub(super) fn redact_key_values(text: &str) -> Cow<'_, str> {
    if !text.contains('=') {
        return Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let mut spliced = Spliced::new(text);
    let mut from = 0;
    while let Some(found) = text[from..].find('=') {
        let eq = from + found;
        from = eq + 1;
        let mut key_end = eq;
        while key_end > spliced.copied && b[key_end - 1] == b' ' {
            key_end -= 1;
        }
        let mut key_start = key_end;
        while key_start > spliced.copied && is_key_byte(b[key_start - 1]) {
            key_start -= 1;
        }
        if key_start == key_end
            || !is_secret_parameter(&decode_component(&text[key_start..key_end]))
        {
            continue;
        }
        let Some((start, end)) = value_after_equals(text, eq + 1) else { continue };
        from = end.max(from);
        if text[start..end].starts_with("[redacted") {
            continue;
        }
        spliced.replace(start, end, REDACTED);
    }
    spliced.finish()
}

/// `<password>…</password>` (XML, HTML) in any text: the content of a secret-named element redacted, CDATA included.
fn redact_secret_elements(text: &str) -> Cow<'_, str> {
    if !text.contains('<') {
        return Cow::Borrowed(text);
    }
    let mut spliced = Spliced::new(text);
    let mut from = 0;
    while let Some(found) = text[from..].find('<') {
        let open = from + found;
        from = open + 1;
        let name_len = text[open + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "_:.-".contains(c)))
            .unwrap_or(text.len() - open - 1);
        let name = &text[open + 1..open + 1 + name_len];
        let local = name.rsplit(':').next().unwrap_or(name);
        if name.is_empty() || !is_secret_name(local) {
            continue;
        }
        let Some(gt) = text[open..].find('>').map(|p| open + p) else { break };
        if text[open + 1..gt].contains('<') || text[..gt].ends_with('/') {
            continue;
        }
        let content = gt + 1;
        let end = if text[content..].starts_with("<![CDATA[") {
            text[content..].find("]]>").map_or(text.len(), |p| content + p + 3)
        } else {
            text[content..].find('<').map_or(text.len(), |p| content + p)
        };
        from = end.max(from);
        if text[content..end].trim().is_empty() || text[content..].starts_with("[redacted") {
            continue;
        }
        spliced.replace(content, end, REDACTED);
    }
    spliced.finish()
}

/// Whether a word after `Bearer ` or `Basic ` is a credential rather than prose ("Bearer token", "basic authentication") or an
/// auth parameter (`Bearer realm="api"`).
fn is_credential(word: &str) -> bool {
    let inner = word.trim_end_matches('=');
    word.len() >= 8
        && !word.starts_with('[')
        && !inner.contains('=')
        && (word.bytes().any(|c| c.is_ascii_digit())
            || inner.contains(['-', '_', '.', '~', '+', '/'])
            || word.len() > inner.len()
            || word.bytes().skip(1).any(|c| c.is_ascii_uppercase()))
}

/// `Bearer <token>` and `Basic <credentials>` in any text: a bearer token becomes its fingerprint, basic credentials `[redacted]`.
fn redact_credentials(text: &str) -> Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("bearer ") && !lower.contains("basic ") {
        return Cow::Borrowed(text);
    }
    Cow::Owned(redact_scheme(&redact_scheme(text, "bearer "), "basic "))
}

/// The credentials after one scheme (`"bearer "`, lowercase) redacted.
fn redact_scheme(text: &str, scheme: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut spliced = Spliced::new(text);
    let mut from = 0;
    while let Some(found) = lower[from..].find(scheme) {
        let at = from + found;
        let start = at + scheme.len();
        from = start;
        if text[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let len = text[start..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '<' | '>' | ')' | '\\')
            })
            .unwrap_or(text.len() - start);
        let word = text[start..start + len].trim_end_matches(['.', ';', ':', '!', '?']);
        if !is_credential(word) {
            continue;
        }
        let with = if scheme == "bearer " {
            format!("[redacted #{}]", fingerprint(word))
        } else {
            REDACTED.to_string()
        };
        spliced.replace(start, start + word.len(), &with);
        from = start + word.len();
    }
    spliced.finish().into_owned()
}

fn is_b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'='
}

/// Every JWT-shaped string (`eyJ…` with two or more dots: signed or encrypted) replaced by `eyJ…[redacted]`.
pub fn scrub_jwts(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut i = 0;
    let run = |from: usize| {
        let mut j = from;
        while j < bytes.len() && is_b64url(bytes[j]) {
            j += 1;
        }
        j
    };
    while let Some(found) = text[i..].find("eyJ") {
        let start = i + found;
        let mut end = run(start);
        let mut dots = 0;
        while bytes.get(end) == Some(&b'.') {
            end = run(end + 1);
            dots += 1;
        }
        if dots >= 2 {
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
