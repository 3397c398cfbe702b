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

mod body;
mod text;
mod urls;

pub use body::*;
pub use text::*;
pub use urls::*;

/// What a secret value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// What stands for a body whose format could not be read and that may hold a secret.
pub const UNREADABLE_BODY_NOTE: &str =
    "[body not kept: its format could not be read, and it may hold a secret]";

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
    SECRET_NAMES.contains(&norm.as_str())
        || SECRET_NAME_PARTS.iter().any(|part| norm.contains(part))
}

/// Whether a URL query, fragment or form parameter name suggests a secret: [`is_secret_name`], `code` (an authorization code) and
/// `sig` (a shared link's signature).
pub fn is_secret_parameter(name: &str) -> bool {
    is_secret_name(name) || SECRET_PARAMETERS.contains(&normalized(name).as_str())
}

/// Whether a run of token characters looks like a credential: long, with capitals, small letters and digits mixed, or a long run
/// of hex digits.
pub fn looks_like_token(run: &str) -> bool {
    let (upper, lower, digit) = run.bytes().fold((false, false, false), |(u, l, d), b| {
        (u || b.is_ascii_uppercase(), l || b.is_ascii_lowercase(), d || b.is_ascii_digit())
    });
    let hex = run.bytes().all(|b| b.is_ascii_hexdigit());
    (run.len() >= 20 && upper && lower && digit)
        || (run.len() >= 32 && hex && digit && (upper || lower))
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
        let mut values: Vec<String> = values
            .into_iter()
            .filter(|v| v.len() >= Self::MIN_LEN && !v.contains(REDACTED))
            .collect();
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
        for name in [
            "Authorization",
            "Cookie",
            "Set-Cookie",
            "X-Api-Key",
            "x-auth-token",
            "client_secret",
            "Password",
            "passcode",
            "refresh-token",
            "API_KEY",
            "apikey",
            "private_key",
            "otp",
            "key",
            "client_assertion",
            "code_verifier",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "Accept",
            "Content-Type",
            "project-name",
            "page[size]",
            "include",
            "author",
            "token_type",
            "code",
            "state",
            "keyboard",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
        assert!(
            is_secret_parameter("code")
                && is_secret_parameter("sig")
                && !is_secret_parameter("state")
        );
    }

    #[test]
    fn authorization_keeps_the_scheme_and_a_fingerprint_only() {
        let shown = redact_authorization(&format!("Bearer {JWT}"));
        assert!(
            shown.starts_with("Bearer [redacted #")
                && shown.ends_with(']')
                && shown.len() == "Bearer [redacted #000000]".len(),
            "{shown}"
        );
        // Not one run of 4 characters of the token is left.
        let chars: Vec<char> = JWT.chars().collect();
        for window in chars.windows(4) {
            assert!(
                !shown.contains(&window.iter().collect::<String>()),
                "{shown} shows part of the token"
            );
        }
        // The same token gets the same fingerprint every time, another token another one.
        assert_eq!(
            redact_authorization(&format!("bearer  {JWT} ")),
            format!("bearer {}", &shown["Bearer ".len()..])
        );
        assert_ne!(redact_authorization(&format!("Bearer {JWT}x")), shown);
        assert_ne!(redact_authorization("Bearer short"), redact_authorization("Bearer shore"));
        assert_eq!(redact_authorization("Bearer"), "[redacted]");
        assert_eq!(redact_authorization("Basic dXNlcjpwYXNzd29yZA=="), "Basic [redacted]");
        assert_eq!(
            redact_header("Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZA=="),
            "Basic [redacted]"
        );
        assert_eq!(redact_header("Set-Cookie", "s=abc; HttpOnly"), "[redacted]");
        assert_eq!(redact_header("X-Trace", &format!("id {JWT} end")), "id eyJ…[redacted] end");
        assert_eq!(
            redact_header("Referer", "https://x.test/cb?code=abc&page=2"),
            "https://x.test/cb?code=[redacted]&page=2"
        );
        // The text rule finds the same fingerprint in a message, and leaves a redacted header alone.
        assert_eq!(
            redact_text(&format!("sent Authorization: Bearer {JWT}")),
            format!("sent Authorization: {shown}")
        );
        assert_eq!(redact_text(&shown), shown);
    }

    #[test]
    fn urls_lose_userinfo_secret_parameters_and_fragments() {
        let url = format!("https://me:hunter2@api.test/{{account-slug}}/v1/x?page%5Bsize%5D=5&access_token={JWT}&client_secret=s3cr3t&state=xyz#top");
        assert_eq!(redact_url(&url), "https://[redacted]@api.test/{account-slug}/v1/x?page%5Bsize%5D=5&access_token=[redacted]&client_secret=[redacted]&state=xyz#top");
        assert_eq!(redact_url("https://apikey123@api.test/"), "https://[redacted]@api.test/");
        assert_eq!(
            redact_url("http://127.0.0.1:8765/cb#access_token=abc&token_type=bearer&state=s"),
            "http://127.0.0.1:8765/cb#access_token=[redacted]&token_type=bearer&state=s"
        );
        assert_eq!(
            redact_url("/app#/callback?code=abc;id_token=x"),
            "/app#/callback?code=[redacted];id_token=[redacted]"
        );
        assert_eq!(redact_url("/v1/x#Zq9TokenLikeValue12345678"), "/v1/x#[redacted]");
        assert_eq!(
            redact_url("/v1/x;jsessionid=abc?next=%2Fhome%3Ftoken%3Dabc&q=ok"),
            "/v1/x;jsessionid=[redacted]?next=[redacted]&q=ok"
        );
        assert_eq!(
            redact_url(&redact_url(&url)),
            redact_url(&url),
            "redacting twice changes nothing"
        );
    }

    #[test]
    fn messages_lose_secrets_in_urls_pairs_json_and_markup() {
        let r = redact_text("error sending request for url (http://127.0.0.1:9/v1/x?token=abc123&page=1#access_token=frag): connection refused");
        assert_eq!(r, "error sending request for url (http://127.0.0.1:9/v1/x?token=[redacted]&page=1#access_token=[redacted]): connection refused");
        let json = r#"{"access_token":"abc123secret","token_type":"Bearer","refresh_token": "rrr","expires_in":7200,"pin":1234,"creds":{"password":"x"}}"#;
        let r = redact_text(json);
        assert_eq!(
            r,
            r#"{"access_token":"[redacted]","token_type":"Bearer","refresh_token": "[redacted]","expires_in":7200,"pin":"[redacted]","creds":{"password":"[redacted]"}}"#
        );
        let r = redact_text(r#"the server said: {\"password\":\"hunter2\",\"name\":\"a\"}"#);
        assert_eq!(r, r#"the server said: {\"password\":\"[redacted]\",\"name\":\"a\"}"#);
        assert_eq!(
            redact_text(r#"a \" stray, then "password": "x""#),
            r#"a \" stray, then "password": "[redacted]""#
        );
        let r = redact_text("grant_type=authorization_code&code=AbCd&redirect_uri=x; cookie: session=abc; password = 'two words'");
        assert_eq!(r, "grant_type=authorization_code&code=[redacted]&redirect_uri=x; cookie: session=[redacted]; password = '[redacted]'");
        assert_eq!(
            redact_text("<user><password>hunter2</password><pin><![CDATA[12<34]]></pin></user>"),
            "<user><password>[redacted]</password><pin>[redacted]</pin></user>"
        );
        assert_eq!(
            redact_text(r#"{"errors":[{"code":"blank","title":"can't be blank"}]}"#),
            r#"{"errors":[{"code":"blank","title":"can't be blank"}]}"#
        );
        assert_eq!(redact_text("Check the client secret: copy it. Send a Bearer token, or use basic authentication."), "Check the client secret: copy it. Send a Bearer token, or use basic authentication.");
        assert_eq!(
            redact_text(r#"WWW-Authenticate: Bearer realm="api", error="invalid_token""#),
            r#"WWW-Authenticate: Bearer realm="api", error="invalid_token""#
        );
        assert_eq!(
            redact_text("Authorization: Basic dXNlcjpwYXNzd29yZA=="),
            "Authorization: Basic [redacted]"
        );
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
        let (out, names) =
            kept(redact_body(br#"{"id": {{projectId}}, "secret": {{secret}}}"#, None));
        assert_eq!(
            (out.as_str(), names),
            (r#"{"id": {{projectId}}, "secret": "[redacted]"}"#, vec!["secret".to_string()])
        );
        assert!(redact_json_text("not json").is_none());
    }

    #[test]
    fn form_bodies_are_redacted_by_field() {
        let (out, names) = kept(redact_body(
            b"grant_type=password&username=a%40b&password=hunter2&code=c0de",
            None,
        ));
        assert_eq!(out, "grant_type=password&username=a%40b&password=[redacted]&code=[redacted]");
        assert_eq!(names, vec!["password", "code"]);
        let (out, _) = kept(redact_body(
            b"note=two words&pass word=x y",
            Some("application/x-www-form-urlencoded; charset=utf-8"),
        ));
        assert_eq!(out, "note=two words&pass word=[redacted]");
        assert!(redact_form_text("just some text", false).is_none());
    }

    #[test]
    fn other_bodies_are_kept_only_when_they_plainly_hold_no_secret() {
        for body in [
            "secret: hunter2",
            "<login><password>hunter2</password></login>",
            "{\"password\": \"hunter2\"",
            "--b\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nabc\r\n--b--",
            "Zq9TokenLikeValue12345678 was used",
        ] {
            assert_eq!(
                redact_body(body.as_bytes(), Some("text/plain")),
                BodyCopy::NotKept { note: UNREADABLE_BODY_NOTE },
                "{body}"
            );
        }
        assert_eq!(
            redact_body(&[0xff, 0xfe, 0x00], None),
            BodyCopy::NotKept { note: BINARY_BODY_NOTE }
        );
        let (out, _) = kept(redact_body(
            b"<html><title>Down for maintenance</title> see https://status.test/?code=abc</html>",
            Some("text/html"),
        ));
        assert_eq!(out, "<html><title>Down for maintenance</title> see https://status.test/?code=[redacted]</html>");
        assert_eq!(
            body_excerpt("hello\n  world", None, 7),
            BodyCopy::Kept { text: "hello w…".into(), redacted_fields: vec![] }
        );
    }

    #[test]
    fn odd_texts_never_panic() {
        const PIECES: [&str; 30] = [
            "\"",
            "\\\"",
            "=",
            "&",
            ";",
            "<password>",
            "</password>",
            "<![CDATA[",
            "]]>",
            "é",
            "日本",
            "Bearer ",
            "basic ",
            "eyJ",
            ".",
            "://",
            "https",
            "#",
            "?",
            "{{",
            "}}",
            ":",
            "token",
            "[redacted",
            "]",
            "{",
            "[",
            " ",
            "@",
            "Zq9TokenLikeValue12345678",
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
            let _ = (
                redact_text(&text),
                redact_url(&text),
                redact_body_text(&text, None),
                excerpt(&text, 5),
            );
        }
    }

    #[test]
    fn known_secrets_are_replaced_anywhere() {
        let known = KnownSecrets::new([
            "hunter2-secret".to_string(),
            "abc".to_string(),
            "hunter2".to_string(),
        ]);
        assert_eq!(
            known.scrub("a hunter2-secret b hunter2 c abc"),
            "a [redacted] b [redacted] c abc"
        );
    }
}
