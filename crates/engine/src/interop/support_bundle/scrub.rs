//! [`Scrubber`]: removes every secret from a support bundle's texts — the profile's known
//! secrets in every form they can take (as they are, URL-encoded, JSON-escaped, base64 at any
//! alignment), then the rules of [`crate::redact`] (secret-named headers, parameters and body
//! fields, URLs, bodies whose format cannot be read, JWTs), and values that look like tokens (long
//! runs of mixed letters and digits) — and checks the finished file for leftovers.

use crate::redact::{self, looks_like_token, BodyCopy, REDACTED};
use base64::Engine as _;

/// Known secrets shorter than this are not searched for (they would match ordinary text).
const MIN_SECRET_LEN: usize = 4;
/// Pieces of a secret (between dots and the like) shorter than this are not searched for alone.
const MIN_PIECE_LEN: usize = 8;
/// Encoded pieces shorter than this are not searched for.
const MIN_FORM_LEN: usize = 6;

/// Every form a secret can take in a text: as it is, URL-encoded, JSON-escaped, and the base64
/// characters that stand for it wherever it starts within a base64-encoded text.
pub fn forms_of(secret: &str) -> Vec<String> {
    let mut all = plain_forms(secret);
    all.extend(base64_forms(secret));
    all.sort_by_key(|f| std::cmp::Reverse(f.len()));
    all.dedup();
    all
}

fn plain_forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_string()];
    forms.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    forms.push(
        secret
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect(),
    );
    if let Ok(json) = serde_json::to_string(secret) {
        forms.push(json[1..json.len() - 1].to_string());
    }
    forms.retain(|f| f.len() >= MIN_FORM_LEN || f == secret);
    forms
}

/// The base64 (standard and URL-safe) characters made only of the secret's bytes, for each of
/// the three places it can start within a 3-byte group.
fn base64_forms(secret: &str) -> Vec<String> {
    let mut forms = Vec::new();
    for engine in
        [&base64::engine::general_purpose::STANDARD, &base64::engine::general_purpose::URL_SAFE]
    {
        for offset in 0..3usize {
            let mut bytes = vec![0u8; offset];
            bytes.extend_from_slice(secret.as_bytes());
            let encoded = engine.encode(&bytes);
            // The characters made only of the secret's bytes: skip the group holding the padding
            // bytes in front, stop before the last group, which depends on what follows.
            let start = if offset == 0 { 0 } else { 4 };
            let end = (bytes.len() / 3) * 4;
            if end > start {
                forms.push(encoded[start..end].to_string());
            }
        }
    }
    forms.retain(|f| f.len() >= MIN_FORM_LEN);
    forms
}

fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
}

/// `text` with every occurrence of a base64 form replaced together with the rest of the base64
/// run it sits in (whose edge characters also carry bits of the secret).
fn replace_base64_run(text: &str, form: &str) -> (String, usize) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut last, mut count) = (0, 0);
    let mut from = 0;
    while let Some(found) = text[from..].find(form) {
        let mut start = from + found;
        let mut end = start + form.len();
        while start > last && is_base64_char(bytes[start - 1]) {
            start -= 1;
        }
        while end < bytes.len() && is_base64_char(bytes[end]) {
            end += 1;
        }
        out.push_str(&text[last..start]);
        out.push_str(REDACTED);
        count += 1;
        last = end;
        from = end;
    }
    out.push_str(&text[last..]);
    (out, count)
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '=' | '~')
}

/// Removes secrets from texts; made once per bundle with the profile's known secrets.
#[derive(Clone, Debug, Default)]
pub struct Scrubber {
    forms: Vec<String>,
    /// The base64 forms, replaced with the whole base64 run around them.
    b64_forms: Vec<String>,
    /// Values that are not secret even when they look like tokens (the client ID, the URLs).
    allowed: Vec<String>,
    /// How many known-secret and token-looking values were removed.
    pub removed_known: usize,
    pub removed_token_like: usize,
}

impl Scrubber {
    pub fn new(known_secrets: &[String], allowed: &[String]) -> Scrubber {
        // A secret, and its pieces between dots and the like: a JWT's parts, or what is left of
        // a token after another redaction replaced a part of it.
        let mut known: Vec<&str> = Vec::new();
        for secret in
            known_secrets.iter().filter(|s| s.len() >= MIN_SECRET_LEN && s.as_str() != REDACTED)
        {
            known.push(secret);
            known.extend(
                secret
                    .split(['.', ':', ' ', '/', '+', '=', '~'])
                    .filter(|piece| piece.len() >= MIN_PIECE_LEN && piece.len() < secret.len()),
            );
        }
        let sorted = |mut forms: Vec<String>| {
            forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
            forms.dedup();
            forms
        };
        let forms = sorted(known.iter().flat_map(|s| plain_forms(s)).collect());
        let b64_forms = sorted(known.iter().flat_map(|s| base64_forms(s)).collect());
        Scrubber {
            forms,
            b64_forms,
            allowed: allowed.iter().filter(|a| !a.is_empty()).cloned().collect(),
            ..Scrubber::default()
        }
    }

    /// Any text: known secrets, then the free-text rule of [`redact::redact_text`] (URLs, secret-named pairs, credentials,
    /// JWTs), then token-looking values, replaced by `[redacted]`.
    pub fn text(&mut self, text: &str) -> String {
        let mut out = text.to_string();
        for form in &self.forms {
            if out.contains(form.as_str()) {
                self.removed_known += out.matches(form.as_str()).count();
                out = out.replace(form.as_str(), REDACTED);
            }
        }
        for form in &self.b64_forms {
            if out.contains(form.as_str()) {
                let (replaced, n) = replace_base64_run(&out, form);
                self.removed_known += n;
                out = replaced;
            }
        }
        let out = redact::redact_text(&out);
        self.token_like(&out)
    }

    fn token_like(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut run = String::new();
        let flush =
            |run: &mut String, out: &mut String, removed: &mut usize, allowed: &[String]| {
                if looks_like_token(run) && !allowed.iter().any(|a| a.contains(run.as_str())) {
                    out.push_str(REDACTED);
                    *removed += 1;
                } else {
                    out.push_str(run);
                }
                run.clear();
            };
        for c in text.chars() {
            if is_token_char(c) {
                run.push(c);
            } else {
                flush(&mut run, &mut out, &mut self.removed_token_like, &self.allowed);
                out.push(c);
            }
        }
        flush(&mut run, &mut out, &mut self.removed_token_like, &self.allowed);
        out
    }

    /// A URL: its userinfo, secret-named parameters and fragment first, then [`Scrubber::text`].
    pub fn url(&mut self, url: &str) -> String {
        let redacted = redact::redact_url(url);
        self.text(&redacted)
    }

    /// A header value: a secret-named header loses its whole value (the scheme is kept).
    pub fn header(&mut self, name: &str, value: &str) -> String {
        if redact::header_is_secret(name) {
            return match value.trim().split_once(' ') {
                Some((scheme, _)) if name.to_ascii_lowercase().contains("authorization") => {
                    format!("{scheme} {REDACTED}")
                }
                _ => REDACTED.to_string(),
            };
        }
        self.text(value)
    }

    /// A query or form pair.
    pub fn pair(&mut self, name: &str, value: &str) -> (String, String) {
        let value =
            if redact::is_secret_parameter(name) { REDACTED.to_string() } else { self.text(value) };
        (self.text(name), value)
    }

    /// A body: the body rules of [`redact::redact_body`] first (secret-named JSON or form fields redacted, a body whose format
    /// cannot be read and that may hold a secret not kept), then [`Scrubber::text`].
    pub fn body(&mut self, body: &str, content_type: Option<&str>) -> BodyCopy {
        match redact::redact_body_text(body, content_type) {
            BodyCopy::Kept { text, redacted_fields } => {
                BodyCopy::Kept { text: self.text(&text), redacted_fields }
            }
            not_kept => not_kept,
        }
    }

    /// The known secret forms still found in `bytes` (none, for a bundle that may be written).
    pub fn leftovers(&self, bytes: &[u8]) -> usize {
        let text = String::from_utf8_lossy(bytes);
        self.forms.iter().chain(&self.b64_forms).filter(|f| text.contains(f.as_str())).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rest_of_a_partly_redacted_token_is_found() {
        let mut s =
            Scrubber::new(&["Prefix1234.eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln".into()], &[]);
        assert_eq!(s.text("X: Prefix1234.eyJ…[redacted]"), "X: [redacted].eyJ…[redacted]");
    }

    #[test]
    fn base64_forms_are_found_at_every_alignment() {
        let secret = "s3cr3t-Value!";
        let forms = forms_of(secret);
        for prefix in ["", "a", "ab", "client-id:"] {
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(format!("{prefix}{secret}tail"));
            assert!(
                forms.iter().any(|f| f.len() >= 8 && encoded.contains(f.as_str())),
                "{prefix}: {encoded} vs {forms:?}"
            );
        }
        assert!(forms.contains(&"s3cr3t-Value%21".to_string()));
    }

    #[test]
    fn known_secrets_tokens_and_jwts_are_removed_but_ids_stay() {
        let mut s = Scrubber::new(&["hunter2-secret".into()], &["AbCdEf0123456789GhIjKlMn".into()]);
        let text = "a hunter2-secret b aHVudGVyMi1zZWNyZXQ c Tok3nLooking9Value0Abc12 d AbCdEf0123456789GhIjKlMn e 0d6c1e52-4a8b-4f7e-9a31-5b2f8c7d1001 f sandbox-demo/v1/projects-2024";
        let out = s.text(text);
        assert_eq!(out, "a [redacted] b [redacted] c [redacted] d AbCdEf0123456789GhIjKlMn e 0d6c1e52-4a8b-4f7e-9a31-5b2f8c7d1001 f sandbox-demo/v1/projects-2024");
        assert_eq!((s.removed_known, s.removed_token_like), (2, 1));
        assert_eq!(s.header("Authorization", "Bearer abc.def"), "Bearer [redacted]");
        assert_eq!(s.header("X-Api-Key", "k"), "[redacted]");
        assert_eq!(s.pair("access_token", "x"), ("access_token".into(), "[redacted]".into()));
        assert_eq!(
            s.body(r#"{"password":"p","name":"hunter2-secret"}"#, None),
            BodyCopy::Kept {
                text: r#"{"password":"[redacted]","name":"[redacted]"}"#.into(),
                redacted_fields: vec!["password".into()]
            }
        );
        assert_eq!(
            s.body("<password>p</password>", Some("application/xml")),
            BodyCopy::NotKept { note: redact::UNREADABLE_BODY_NOTE }
        );
        assert_eq!(s.leftovers(b"nothing here"), 0);
        assert_eq!(s.leftovers(b"x hunter2-secret"), 1);
    }
}
