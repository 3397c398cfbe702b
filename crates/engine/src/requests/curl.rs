//! Copy as curl: a request as a command to paste into a POSIX shell, with the token as
//! `$TOKEN` (set it first with `export TOKEN=…`) unless the user asks for it to be included.

use crate::error::EngineError;
use crate::http::USER_AGENT;
use crate::requests::send::ACCEPT_ENCODING;
use crate::requests::spec::{self, RequestSpec};
use crate::requests::summary::ExchangeSummary;
use crate::secret::Secret;
use crate::session::{Engine, Target};
use std::collections::HashMap;
use url::Url;

/// What a curl command needs of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurlRequest {
    pub method: String,
    /// Absolute, query included.
    pub url: String,
    /// Without the profile's `Authorization`, which [`to_curl`] adds.
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub follow_redirects: bool,
    /// Whether the profile's token goes in `Authorization`.
    pub uses_profile_token: bool,
    pub timeout_ms: Option<u64>,
}

impl CurlRequest {
    /// The request of an exchange as it was sent. Headers that were redacted stay redacted,
    /// except `Authorization`, which becomes the token (or `$TOKEN`).
    pub fn from_summary(s: &ExchangeSummary) -> CurlRequest {
        let mut uses_profile_token = s.sent_profile_token;
        let headers = s
            .request_headers
            .iter()
            .filter(|(k, v)| {
                let name = k.to_ascii_lowercase();
                if name == "authorization" {
                    uses_profile_token = true;
                    return false;
                }
                let added_by_the_app = (name == "user-agent" && v == USER_AGENT)
                    || (name == "accept-encoding" && v == ACCEPT_ENCODING);
                !added_by_the_app
            })
            .cloned()
            .collect();
        CurlRequest {
            method: s.method.clone(),
            url: s.url.clone(),
            headers,
            body: s.request_body.clone(),
            follow_redirects: s.follow_redirects,
            uses_profile_token,
            timeout_ms: None,
        }
    }

    /// The request a spec would send (variables expanded, URL resolved, JSON:API defaults added).
    pub fn from_spec(
        spec: &RequestSpec,
        vars: &HashMap<String, String>,
        api_url: &Url,
    ) -> Result<CurlRequest, EngineError> {
        let prepared = spec::prepare(spec, vars, api_url, None)?;
        Ok(CurlRequest {
            method: prepared.method.to_string(),
            url: prepared.url.to_string(),
            headers: prepared.headers,
            body: prepared.body,
            follow_redirects: prepared.follow_redirects,
            uses_profile_token: prepared.sends_profile_token,
            timeout_ms: spec.timeout_ms,
        })
    }
}

/// Quotes a word for a POSIX shell: as is when it is plainly safe, else in single quotes.
pub fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The curl command. `token`: `None` writes `$TOKEN`, `Some` writes the token itself.
pub fn to_curl(request: &CurlRequest, token: Option<&Secret>) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut first = String::from("curl");
    // With a body, curl would send POST unless told the method.
    match request.method.as_str() {
        "GET" if request.body.is_none() => {}
        "HEAD" if request.body.is_none() => first.push_str(" --head"),
        m => {
            first.push_str(" -X ");
            first.push_str(&shell_quote(m));
        }
    }
    if request.url.contains(['[', ']', '{', '}']) {
        first.push_str(" --globoff");
    }
    first.push(' ');
    first.push_str(&shell_quote(&request.url));
    lines.push(first);
    if request.follow_redirects {
        lines.push("-L".to_string());
    }
    if let Some(ms) = request.timeout_ms {
        lines.push(format!("--max-time {}", ms as f64 / 1000.0));
    }
    for (k, v) in &request.headers {
        lines.push(format!("-H {}", shell_quote(&format!("{k}: {v}"))));
    }
    if request.uses_profile_token {
        lines.push(match token {
            Some(t) => {
                format!("-H {}", shell_quote(&format!("Authorization: Bearer {}", t.expose())))
            }
            None => "-H \"Authorization: Bearer $TOKEN\"".to_string(),
        });
    }
    let mut preface = String::new();
    if let Some(body) = &request.body {
        match std::str::from_utf8(body) {
            Ok(text) => lines.push(format!("--data-raw {}", shell_quote(text))),
            Err(_) => {
                preface.push_str("# The request body is binary: save it as request-body.bin in this folder first.\n");
                lines.push("--data-binary @request-body.bin".to_string());
            }
        }
    }
    format!("{preface}{}", lines.join(" \\\n  "))
}

/// [`to_curl`] for a profile: with its current token (renewed when due) when `include_token`,
/// else with `$TOKEN`.
pub async fn to_curl_for(
    engine: &Engine,
    target: &Target,
    request: &CurlRequest,
    include_token: bool,
) -> Result<String, EngineError> {
    if include_token && request.uses_profile_token {
        let tokens = engine.valid_token(target).await?;
        Ok(to_curl(request, Some(&tokens.access_token)))
    } else {
        Ok(to_curl(request, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Front ends run it on multi-threaded runtimes (Tauri commands): its future must be `Send`.
    /// Checked at compile time.
    #[allow(dead_code)]
    fn the_future_is_send(engine: &Engine, target: &Target, request: &CurlRequest) {
        fn is_send<T: Send>(_: &T) {}
        is_send(&to_curl_for(engine, target, request, true));
    }

    #[test]
    fn words_are_quoted_for_posix_shells() {
        assert_eq!(shell_quote("GET"), "GET");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$TOKEN"), "'$TOKEN'");
    }

    #[test]
    fn the_token_is_a_variable_unless_asked_for() {
        let api = Url::parse("https://api.scopestack.io").unwrap();
        let vars = HashMap::from([("account-slug".to_string(), "acme".to_string())]);
        let spec = RequestSpec::new("POST", "{account-slug}/v1/projects")
            .with_body(r#"{"data":{"type":"projects","attributes":{"project-name":"O'Brien"}}}"#);
        let req = CurlRequest::from_spec(&spec, &vars, &api).unwrap();
        let cmd = to_curl(&req, None);
        assert_eq!(
            cmd,
            "curl -X POST https://api.scopestack.io/acme/v1/projects \\\n  -L \\\n  -H 'Accept: application/vnd.api+json' \\\n  -H 'Content-Type: application/vnd.api+json' \\\n  -H \"Authorization: Bearer $TOKEN\" \\\n  --data-raw '{\"data\":{\"type\":\"projects\",\"attributes\":{\"project-name\":\"O'\\''Brien\"}}}'"
        );
        let with = to_curl(&req, Some(&Secret::new("tok-123")));
        assert!(with.contains("-H 'Authorization: Bearer tok-123'"), "{with}");
    }

    #[test]
    fn a_get_with_a_body_says_its_method() {
        let api = Url::parse("https://api.scopestack.io").unwrap();
        let spec = RequestSpec::get("/v1/search").with_body("q=1");
        let cmd = to_curl(&CurlRequest::from_spec(&spec, &HashMap::new(), &api).unwrap(), None);
        assert!(cmd.starts_with("curl -X GET "), "{cmd}");
        assert_eq!(crate::requests::from_curl(&cmd).unwrap().method, "GET");
    }
}
