//! The URL rule of [`super`]: userinfo, secret-named query and fragment parameters, token-like fragments and JWTs redacted.

use super::*;
use std::borrow::Cow;

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
    let authority_end =
        base[authority_start..].find(['/', '\\']).map_or(base.len(), |p| authority_start + p);
    match base[authority_start..authority_end].rfind('@') {
        Some(at) if !base[authority_start..].starts_with(REDACTED) => Cow::Owned(format!(
            "{}{REDACTED}{}",
            &base[..authority_start],
            &base[authority_start + at..]
        )),
        _ => Cow::Borrowed(base),
    }
}

/// A URL-encoded component decoded (`+` as a space); `=` in it stays.
pub(super) fn decode_component(text: &str) -> String {
    url::form_urlencoded::parse(text.replace('=', "%3D").as_bytes())
        .map(|(k, _)| k.into_owned())
        .next()
        .unwrap_or_default()
}

/// `a=1&token=x;b=2` with the values of secret-named parameters redacted, and the values of others that hold a secret once decoded
/// (a URL with a token in it, a JWT). Also returns the names redacted.
pub(super) fn redact_parameters(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut names = Vec::new();
    let mut start = 0;
    for (i, c) in text
        .char_indices()
        .filter(|(_, c)| *c == '&' || *c == ';')
        .chain(std::iter::once((text.len(), '&')))
    {
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
        let token_like = fragment
            .split(|c: char| !(c.is_ascii_alphanumeric() || "-_+~".contains(c)))
            .any(looks_like_token);
        return if token_like { REDACTED.to_string() } else { fragment.to_string() };
    }
    match fragment.find('?') {
        Some(q) if !fragment[..q].contains('=') => {
            format!("{}?{}", &fragment[..q], redact_parameters(&fragment[q + 1..]).0)
        }
        _ => redact_parameters(fragment).0,
    }
}
