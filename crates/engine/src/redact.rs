//! The one set of rules for keeping secrets out of every copy the engine makes of a request, an answer or a failure: the history, saved requests, diagnosis details and support bundles.
//!
//! - Names: a header, parameter, field or variable is secret when its name says so ([`is_secret_name`]: authorization, cookie, token,
//!   secret, password, passcode, api key, private key, credential, assertion, signature, pin, otp, …, case and punctuation ignored);
//!   in URLs, forms and `key=value` text `code` and `sig` are secret too ([`is_secret_parameter`]). `token_type` is not (its value is a scheme name).
//! - Headers ([`redact_header`]): `Authorization` and `Proxy-Authorization` keep their scheme and, for a bearer token, a fingerprint
//!   (`Bearer [redacted #3f9a1c]`); other secret-named headers (`Cookie`, `Set-Cookie`, `X-Api-Key`, …) lose their value; the rest
//!   get the free-text rule.
//! - URLs ([`redact_url`]): the whole userinfo (`user:pass@`), the values of secret-named query and fragment parameters
//!   (`#access_token=…`), any other parameter whose decoded value holds a secret, a fragment that looks like a token, and JWTs.
//! - Bodies ([`redact_body`]): JSON keeps its layout with every secret-named field redacted at any depth (`{{variables}}` allowed);
//!   a form (`a=b&c=d`, or declared `application/x-www-form-urlencoded`) is redacted field by field. Anything else (XML, multipart,
//!   plain text, broken JSON) is kept only when it plainly holds no secret: not one word of it is a secret-looking name or
//!   looks like a token; otherwise it is dropped for a note ([`UNREADABLE_BODY_NOTE`]). Binary bodies are never kept.
//! - Free text such as failure messages ([`redact_text`]): every URL gets the URL rule; `key=value`, `"key": value` and
//!   `<key>value</key>` lose the value when the key is secret-named; `Bearer …`/`Basic …` credentials and JWTs are redacted.
//! - Known secret values ([`KnownSecrets`]): where a caller knows the values themselves, every occurrence in any text is replaced.

use std::borrow::Cow;

/// What a secret value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// What stands for a body whose format could not be read and that may hold a secret.
pub const UNREADABLE_BODY_NOTE: &str = "[body not kept: its format could not be read, and it may hold a secret]";

/// What stands for a body that is not text.
pub const BINARY_BODY_NOTE: &str = "[body not kept: it is not text, and it may hold a secret]";

/// Parts of a name (lowercase, letters and digits only) that make it secret wherever they appear in it.
const SECRET_NAME_PARTS: [&str; 16] = [
    "authorization",
    "cookie",
    "token",
    "secret",
    "password",
    "passwd",
    "passphrase",
    "passcode",
    "apikey",
    "accesskey",
    "privatekey",
    "credential",
    "sessionid",
    "assertion",
    "signature",
    "codeverifier",
];

/// Whole names (lowercase, letters and digits only) that are secret.
const SECRET_NAMES: [&str; 8] = ["pwd", "pass", "otp", "pin", "mfacode", "key", "auth", "session"];

/// Whole names that are secret as URL or form parameters only (`code` is an ordinary JSON:API error field; `sig` signs a shared
/// link).
const SECRET_PARAMETERS: [&str; 2] = ["code", "sig"];

/// Names that hold a secret-looking part but never a secret.
const NOT_SECRET_NAMES: [&str; 1] = ["tokentype"];

fn normalized(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Whether a header, field or variable name suggests a secret: `Authorization`, `Cookie`, `X-Api-Key`, `client_secret`,
/// `refreshToken`, `password`, `pin`, and the like.
pub fn is_secret_name(name: &str) -> bool {
    let norm = normalized(name);
    if norm.is_empty() || NOT_SECRET_NAMES.contains(&norm.as_str()) {
        return false;
    }
    SECRET_NAMES.contains(&norm.as_str()) || SECRET_NAME_PARTS.iter().any(|part| norm.contains(part))
}

/// Whether a URL query, fragment or form parameter name suggests a secret: [`is_secret_name`], `code` (an authorization code) and
/// `sig` (a shared link's signature).
pub fn is_secret_parameter(name: &str) -> bool {
    is_secret_name(name) || SECRET_PARAMETERS.contains(&normalized(name).as_str())
}

/// Whether a run of token characters looks like a credential: long, with capitals, small letters and digits mixed, or a long run
/// of hex digits.
pub fn looks_like_token(run: &str) -> bool {
    let (upper, lower, digit) = run.bytes().fold((false, false, false), |(u, l, d), b| (u || b.is_ascii_uppercase(), l || b.is_ascii_lowercase(), d || b.is_ascii_digit()));
    let hex = run.bytes().all(|b| b.is_ascii_hexdigit());
    (run.len() >= 20 && upper && lower && digit) || (run.len() >= 32 && hex && digit && (upper || lower))
}

// ---------------------------------------------------------------------------------------------
// Headers

/// `Bearer [redacted #3f9a1c]`: the scheme and, for a bearer credential, a fingerprint (the first 6 hex digits of its SHA-256) so
/// that exchanges made with one token can be told apart from those made with another, without a single character of the token.
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

fn is_authorization_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    lower == "authorization" || lower == "proxy-authorization"
}

/// Whether a header carries a secret by its name alone (so [`redact_header`] hides its value).
pub fn header_is_secret(name: &str) -> bool {
    is_authorization_header(name) || is_secret_name(name)
}

/// A header's value as it may be shown or kept.
pub fn redact_header(name: &str, value: &str) -> String {
    if is_authorization_header(name) {
        redact_authorization(value)
    } else if is_secret_name(name) {
        REDACTED.to_string()
    } else {
        redact_text(value)
    }
}

/// Headers as they may be shown or kept.
pub fn redact_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers.iter().map(|(k, v)| (k.clone(), redact_header(k, v))).collect()
}

/// Query pairs as they may be kept: secret-named ones lose their value, the rest get the free-text rule. Also returns the names
/// whose value changed.
pub fn redact_pairs(pairs: &[(String, String)]) -> (Vec<(String, String)>, Vec<String>) {
    let mut names = Vec::new();
    let out = pairs
        .iter()
        .map(|(k, v)| {
            let kept = if is_secret_parameter(k) { REDACTED.to_string() } else { redact_text(v) };
            if kept != *v {
                names.push(k.clone());
            }
            (k.clone(), kept)
        })
        .collect();
    (out, names)
}

// ---------------------------------------------------------------------------------------------
// URLs

/// A URL (absolute, relative, or a template with `{variables}`) with its userinfo, the values of secret-named query and fragment
/// parameters, a token-like fragment and JWTs redacted.
pub fn redact_url(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (base, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (before_fragment, None),
    };
    let mut out = redact_key_values(&without_userinfo(base)).into_owned();
    if let Some(q) = query {
        out.push('?');
        out.push_str(&redact_parameters(q).0);
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(&redact_fragment(f));
    }
    scrub_jwts(&out).into_owned()
}

/// `https://[redacted]@host/…` for `https://user:password@host/…` (a user name alone can be a key too).
fn without_userinfo(base: &str) -> Cow<'_, str> {
    let authority_start = match base.find("://") {
        Some(i) => i + 3,
        None if base.starts_with("//") => 2,
        None => return Cow::Borrowed(base),
    };
    let authority_end = base[authority_start..].find(['/', '\\']).map_or(base.len(), |p| authority_start + p);
    match base[authority_start..authority_end].rfind('@') {
        Some(at) if !base[authority_start..].starts_with(REDACTED) => {
            Cow::Owned(format!("{}{REDACTED}{}", &base[..authority_start], &base[authority_start + at..]))
        }
        _ => Cow::Borrowed(base),
    }
}

/// A URL-encoded component decoded (`+` as a space); `=` in it stays.
fn decode_component(text: &str) -> String {
    url::form_urlencoded::parse(text.replace('=', "%3D").as_bytes()).map(|(k, _)| k.into_owned()).next().unwrap_or_default()
}

/// `a=1&token=x;b=2` with the values of secret-named parameters redacted, and the values of others that hold a secret once decoded
/// (a URL with a token in it, a JWT). Also returns the names redacted.
fn redact_parameters(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut names = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices().filter(|(_, c)| *c == '&' || *c == ';').chain(std::iter::once((text.len(), '&'))) {
        out.push_str(&redact_parameter(&text[start..i], &mut names));
        if i < text.len() {
            out.push(c);
        }
        start = i + 1;
    }
    (out, names)
}

fn redact_parameter<'a>(piece: &'a str, names: &mut Vec<String>) -> Cow<'a, str> {
    let Some((raw_key, raw_value)) = piece.split_once('=') else { return Cow::Borrowed(piece) };
    let key = decode_component(raw_key);
    let value = decode_component(raw_value);
    if value.is_empty() || value.starts_with("[redacted") {
        return Cow::Borrowed(piece);
    }
    if is_secret_parameter(&key) || redact_text(&value) != value {
        names.push(key);
        return Cow::Owned(format!("{raw_key}={REDACTED}"));
    }
    Cow::Borrowed(piece)
}

/// A fragment: parameters (`access_token=…&state=…`, also after a route: `/cb?code=…`) get the parameter rule; an anchor without
/// `=` is kept unless a part of it looks like a token.
fn redact_fragment(fragment: &str) -> String {
    if !fragment.contains('=') {
        let token_like = fragment.split(|c: char| !(c.is_ascii_alphanumeric() || "-_+~".contains(c))).any(looks_like_token);
        return if token_like { REDACTED.to_string() } else { fragment.to_string() };
    }
    match fragment.find('?') {
        Some(q) if !fragment[..q].contains('=') => format!("{}?{}", &fragment[..q], redact_parameters(&fragment[q + 1..]).0),
        _ => redact_parameters(fragment).0,
    }
}

// ---------------------------------------------------------------------------------------------
// Free text

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

fn cut_to_line(text: &str, max: usize) -> String {
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
        let start = text[..sep].char_indices().rev().find(|(_, c)| !(c.is_ascii_alphanumeric() || "+.-".contains(*c))).map_or(0, |(p, c)| p + c.len_utf8()).max(spliced.copied);
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
fn skip_string(b: &[u8], i: usize) -> usize {
    string_close(b, i).map_or(b.len(), |close| close + 1)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The index just past the JSON value starting at `i` (to the end of the text when it is cut off).
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
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace() {
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
        let found = if escaped { text[i + 1..].find("\\\"").map(|p| (&text[i + 1..i + 1 + p], i + 1 + p + 2)) } else { string_close(b, i).map(|close| (&text[i + 1..close], close + 1)) };
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
            let close = if escaped { text[content..].find("\\\"").map_or(b.len(), |p| content + p) } else { string_close(b, value_start).unwrap_or(b.len()) };
            Some((content, close, false))
        } else {
            match b.get(value_start) {
                Some(b'{' | b'[') if !escaped => Some((value_start, skip_value(b, value_start), true)),
                Some(c) if c.is_ascii_digit() || *c == b'-' => Some((value_start, skip_value(b, value_start), true)),
                _ => None,
            }
        };
        match span {
            Some((start, end, needs_quotes)) if end > start && !text[start..].starts_with("[redacted") => {
                let with = if needs_quotes { format!("\"{REDACTED}\"") } else { REDACTED.to_string() };
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
        if c.is_ascii_whitespace() || matches!(c, b'&' | b';' | b',' | b'"' | b'\'' | b'<' | b'>' | b'#' | b')' | b'}' | b']' | b'\\' | b'`') {
            break;
        }
        i += 1;
    }
    (i > start).then_some((start, i))
}

/// `key=value` wherever it appears (forms, queries, cookies, messages): the value of a secret-named key redacted.
fn redact_key_values(text: &str) -> Cow<'_, str> {
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
        if key_start == key_end || !is_secret_parameter(&decode_component(&text[key_start..key_end])) {
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
        let name_len = text[open + 1..].find(|c: char| !(c.is_ascii_alphanumeric() || "_:.-".contains(c))).unwrap_or(text.len() - open - 1);
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
        && (word.bytes().any(|c| c.is_ascii_digit()) || inner.contains(['-', '_', '.', '~', '+', '/']) || word.len() > inner.len() || word.bytes().skip(1).any(|c| c.is_ascii_uppercase()))
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
        let len = text[start..].find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '<' | '>' | ')' | '\\')).unwrap_or(text.len() - start);
        let word = text[start..start + len].trim_end_matches(['.', ';', ':', '!', '?']);
        if !is_credential(word) {
            continue;
        }
        let with = if scheme == "bearer " { format!("[redacted #{}]", fingerprint(word)) } else { REDACTED.to_string() };
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

// ---------------------------------------------------------------------------------------------
// Bodies

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
    let declared_form = content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("application/x-www-form-urlencoded"));
    if let Some((text, redacted_fields)) = redact_json_text(text).or_else(|| redact_form_text(text, declared_form)) {
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
        BodyCopy::Kept { text, redacted_fields } => BodyCopy::Kept { text: cut_to_line(&text, max), redacted_fields },
        not_kept => not_kept,
    }
}

/// Whether not one word of `text` (nor a part of one between `-` and `_`) is a secret-looking name or looks like a token.
fn plainly_holds_no_secret(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).filter(|w| !w.is_empty()).all(|word| {
        !is_secret_name(word) && !looks_like_token(word) && word.split(['-', '_']).all(|part| !is_secret_name(part) && !looks_like_token(part))
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
    if t.is_empty() || (!declared && (t.contains(char::is_whitespace) || !t.split('&').all(|p| p.contains('=')))) {
        return None;
    }
    Some(redact_parameters(text))
}

// ---------------------------------------------------------------------------------------------
// Known secret values

/// The exact secret values a caller knows (read from the vault, or from the request itself), to replace wherever they show up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownSecrets {
    /// Longest first, so that a secret holding another is replaced whole.
    values: Vec<String>,
}

impl KnownSecrets {
    /// Values shorter than this are not searched for (they would match ordinary text).
    pub const MIN_LEN: usize = 4;

    pub fn new(values: impl IntoIterator<Item = String>) -> KnownSecrets {
        let mut values: Vec<String> = values.into_iter().filter(|v| v.len() >= Self::MIN_LEN && !v.contains(REDACTED)).collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        values.dedup();
        KnownSecrets { values }
    }

    /// `text` with every known value replaced by [`REDACTED`].
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for value in &self.values {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), REDACTED);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJTY29wZVN0YWNrIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

    fn kept(copy: BodyCopy) -> (String, Vec<String>) {
        match copy {
            BodyCopy::Kept { text, redacted_fields } => (text, redacted_fields),
            BodyCopy::NotKept { note } => panic!("not kept: {note}"),
        }
    }

    #[test]
    fn secret_names_are_recognised() {
        for name in ["Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "x-auth-token", "client_secret", "Password", "passcode", "refresh-token", "API_KEY", "apikey", "private_key", "otp", "key", "client_assertion", "code_verifier"] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["Accept", "Content-Type", "project-name", "page[size]", "include", "author", "token_type", "code", "state", "keyboard"] {
            assert!(!is_secret_name(name), "{name}");
        }
        assert!(is_secret_parameter("code") && is_secret_parameter("sig") && !is_secret_parameter("state"));
    }

    #[test]
    fn authorization_keeps_the_scheme_and_a_fingerprint_only() {
        let shown = redact_authorization(&format!("Bearer {JWT}"));
        assert!(shown.starts_with("Bearer [redacted #") && shown.ends_with(']') && shown.len() == "Bearer [redacted #000000]".len(), "{shown}");
        // Not one run of 4 characters of the token is left.
        let chars: Vec<char> = JWT.chars().collect();
        for window in chars.windows(4) {
            assert!(!shown.contains(&window.iter().collect::<String>()), "{shown} shows part of the token");
        }
        // The same token gets the same fingerprint every time, another token another one.
        assert_eq!(redact_authorization(&format!("bearer  {JWT} ")), format!("bearer {}", &shown["Bearer ".len()..]));
        assert_ne!(redact_authorization(&format!("Bearer {JWT}x")), shown);
        assert_ne!(redact_authorization("Bearer short"), redact_authorization("Bearer shore"));
        assert_eq!(redact_authorization("Bearer"), "[redacted]");
        assert_eq!(redact_authorization("Basic dXNlcjpwYXNzd29yZA=="), "Basic [redacted]");
        assert_eq!(redact_header("Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZA=="), "Basic [redacted]");
        assert_eq!(redact_header("Set-Cookie", "s=abc; HttpOnly"), "[redacted]");
        assert_eq!(redact_header("X-Trace", &format!("id {JWT} end")), "id eyJ…[redacted] end");
        assert_eq!(redact_header("Referer", "https://x.test/cb?code=abc&page=2"), "https://x.test/cb?code=[redacted]&page=2");
        // The text rule finds the same fingerprint in a message, and leaves a redacted header alone.
        assert_eq!(redact_text(&format!("sent Authorization: Bearer {JWT}")), format!("sent Authorization: {shown}"));
        assert_eq!(redact_text(&shown), shown);
    }

    #[test]
    fn urls_lose_userinfo_secret_parameters_and_fragments() {
        let url = format!("https://me:hunter2@api.test/{{account-slug}}/v1/x?page%5Bsize%5D=5&access_token={JWT}&client_secret=s3cr3t&state=xyz#top");
        assert_eq!(redact_url(&url), "https://[redacted]@api.test/{account-slug}/v1/x?page%5Bsize%5D=5&access_token=[redacted]&client_secret=[redacted]&state=xyz#top");
        assert_eq!(redact_url("https://apikey123@api.test/"), "https://[redacted]@api.test/");
        assert_eq!(redact_url("http://127.0.0.1:8765/cb#access_token=abc&token_type=bearer&state=s"), "http://127.0.0.1:8765/cb#access_token=[redacted]&token_type=bearer&state=s");
        assert_eq!(redact_url("/app#/callback?code=abc;id_token=x"), "/app#/callback?code=[redacted];id_token=[redacted]");
        assert_eq!(redact_url("/v1/x#Zq9TokenLikeValue12345678"), "/v1/x#[redacted]");
        assert_eq!(redact_url("/v1/x;jsessionid=abc?next=%2Fhome%3Ftoken%3Dabc&q=ok"), "/v1/x;jsessionid=[redacted]?next=[redacted]&q=ok");
        assert_eq!(redact_url(&redact_url(&url)), redact_url(&url), "redacting twice changes nothing");
    }

    #[test]
    fn messages_lose_secrets_in_urls_pairs_json_and_markup() {
        let r = redact_text("error sending request for url (http://127.0.0.1:9/v1/x?token=abc123&page=1#access_token=frag): connection refused");
        assert_eq!(r, "error sending request for url (http://127.0.0.1:9/v1/x?token=[redacted]&page=1#access_token=[redacted]): connection refused");
        let json = r#"{"access_token":"abc123secret","token_type":"Bearer","refresh_token": "rrr","expires_in":7200,"pin":1234,"creds":{"password":"x"}}"#;
        let r = redact_text(json);
        assert_eq!(r, r#"{"access_token":"[redacted]","token_type":"Bearer","refresh_token": "[redacted]","expires_in":7200,"pin":"[redacted]","creds":{"password":"[redacted]"}}"#);
        let r = redact_text(r#"the server said: {\"password\":\"hunter2\",\"name\":\"a\"}"#);
        assert_eq!(r, r#"the server said: {\"password\":\"[redacted]\",\"name\":\"a\"}"#);
        assert_eq!(redact_text(r#"a \" stray, then "password": "x""#), r#"a \" stray, then "password": "[redacted]""#);
        let r = redact_text("grant_type=authorization_code&code=AbCd&redirect_uri=x; cookie: session=abc; password = 'two words'");
        assert_eq!(r, "grant_type=authorization_code&code=[redacted]&redirect_uri=x; cookie: session=[redacted]; password = '[redacted]'");
        assert_eq!(redact_text("<user><password>hunter2</password><pin><![CDATA[12<34]]></pin></user>"), "<user><password>[redacted]</password><pin>[redacted]</pin></user>");
        assert_eq!(redact_text(r#"{"errors":[{"code":"blank","title":"can't be blank"}]}"#), r#"{"errors":[{"code":"blank","title":"can't be blank"}]}"#);
        assert_eq!(redact_text("Check the client secret: copy it. Send a Bearer token, or use basic authentication."), "Check the client secret: copy it. Send a Bearer token, or use basic authentication.");
        assert_eq!(redact_text(r#"WWW-Authenticate: Bearer realm="api", error="invalid_token""#), r#"WWW-Authenticate: Bearer realm="api", error="invalid_token""#);
        assert_eq!(redact_text("Authorization: Basic dXNlcjpwYXNzd29yZA=="), "Authorization: Basic [redacted]");
        assert_eq!(redact_text(&format!("token {JWT} here")), "token eyJ…[redacted] here");
        assert_eq!(redact_text("ünïcödé token=é x"), "ünïcödé token=[redacted] x");
        let once = redact_text(json);
        assert_eq!(redact_text(&once), once, "redacting twice changes nothing");
    }

    #[test]
    fn excerpts_are_short_single_lines() {
        assert_eq!(excerpt("<html>\n  <body>  hello </body>\n</html>", 12), "<html> <body…");
    }

    #[test]
    fn json_bodies_keep_their_layout_but_not_their_secrets() {
        let body = "{\n  \"data\": {\"type\": \"users\", \"attributes\": {\"name\": \"Avery\", \"password\": \"p\\\"w{d}\", \"api-key\": {\"k\": [1, 2]}, \"pin\": 1234, \"site\": \"https://x.test/?token=abc\"}}\n}";
        let (out, names) = kept(redact_body(body.as_bytes(), Some("application/vnd.api+json")));
        assert_eq!(
            out,
            "{\n  \"data\": {\"type\": \"users\", \"attributes\": {\"name\": \"Avery\", \"password\": \"[redacted]\", \"api-key\": \"[redacted]\", \"pin\": \"[redacted]\", \"site\": \"https://x.test/?token=[redacted]\"}}\n}"
        );
        assert_eq!(names, vec!["password", "api-key", "pin"]);
        assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
        let (out, names) = kept(redact_body(br#"{"id": {{projectId}}, "secret": {{secret}}}"#, None));
        assert_eq!((out.as_str(), names), (r#"{"id": {{projectId}}, "secret": "[redacted]"}"#, vec!["secret".to_string()]));
        assert!(redact_json_text("not json").is_none());
    }

    #[test]
    fn form_bodies_are_redacted_by_field() {
        let (out, names) = kept(redact_body(b"grant_type=password&username=a%40b&password=hunter2&code=c0de", None));
        assert_eq!(out, "grant_type=password&username=a%40b&password=[redacted]&code=[redacted]");
        assert_eq!(names, vec!["password", "code"]);
        let (out, _) = kept(redact_body(b"note=two words&pass word=x y", Some("application/x-www-form-urlencoded; charset=utf-8")));
        assert_eq!(out, "note=two words&pass word=[redacted]");
        assert!(redact_form_text("just some text", false).is_none());
    }

    #[test]
    fn other_bodies_are_kept_only_when_they_plainly_hold_no_secret() {
        for body in ["secret: hunter2", "<login><password>hunter2</password></login>", "{\"password\": \"hunter2\"", "--b\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nabc\r\n--b--", "Zq9TokenLikeValue12345678 was used"] {
            assert_eq!(redact_body(body.as_bytes(), Some("text/plain")), BodyCopy::NotKept { note: UNREADABLE_BODY_NOTE }, "{body}");
        }
        assert_eq!(redact_body(&[0xff, 0xfe, 0x00], None), BodyCopy::NotKept { note: BINARY_BODY_NOTE });
        let (out, _) = kept(redact_body(b"<html><title>Down for maintenance</title> see https://status.test/?code=abc</html>", Some("text/html")));
        assert_eq!(out, "<html><title>Down for maintenance</title> see https://status.test/?code=[redacted]</html>");
        assert_eq!(body_excerpt("hello\n  world", None, 7), BodyCopy::Kept { text: "hello w…".into(), redacted_fields: vec![] });
    }

    #[test]
    fn odd_texts_never_panic() {
        const PIECES: [&str; 30] = [
            "\"", "\\\"", "=", "&", ";", "<password>", "</password>", "<![CDATA[", "]]>", "é", "日本", "Bearer ", "basic ", "eyJ", ".", "://", "https", "#", "?",
            "{{", "}}", ":", "token", "[redacted", "]", "{", "[", " ", "@", "Zq9TokenLikeValue12345678",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut pick = seed;
            for _ in 0..(seed % 14) {
                text.push_str(PIECES[(pick % PIECES.len() as u64) as usize]);
                pick /= PIECES.len() as u64;
                if pick == 0 {
                    pick = seed.rotate_left(29) | 1;
                }
            }
            let _ = (redact_text(&text), redact_url(&text), redact_body_text(&text, None), excerpt(&text, 5));
        }
    }

    #[test]
    fn known_secrets_are_replaced_anywhere() {
        let known = KnownSecrets::new(["hunter2-secret".to_string(), "abc".to_string(), "hunter2".to_string()]);
        assert_eq!(known.scrub("a hunter2-secret b hunter2 c abc"), "a [redacted] b [redacted] c abc");
    }
}
