//! [`RequestSpec`], what the user asks to send, and [`prepare`], which turns it into the request
//! that goes out: variables expanded (`{name}` in the URL, query and headers, known `{{name}}`
//! in a text body too), the URL resolved against the profile's API URL, and
//! ScopeStack's defaults — `Accept: application/vnd.api+json`, the JSON:API `Content-Type` on
//! writes, `Authorization: Bearer` with the profile's token — unless the user set them.
//!
//! The token goes only to the profile's own API origin (scheme, host, port): a request to any
//! other origin goes without it unless the user ticks "send it anyway" for that one request
//! ([`RequestSpec::send_token_to_other_host`], never kept). A request leaves over https://, or
//! over http:// to this computer only.

use crate::error::EngineError;
use crate::http_answer::JSON_API;
use crate::limits;
use crate::origin;
use crate::requests::vars;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;
use url::Url;

/// A request as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct RequestSpec {
    /// `GET`, `POST`, …; empty means `GET`.
    pub method: String,
    /// Absolute (`https://…`), or relative to the profile's API URL (`/v1/me`,
    /// `{account-slug}/v1/projects`). May hold a query already.
    pub url: String,
    /// Query parameters added to the URL's own, in order.
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// Request headers, in order; a name may repeat. A header with an empty value is not
    /// sent, and keeps the default of that name out (`Content-Type: ` sends none at all).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Serialised as a string when it is UTF-8, else as `{"base64": "…"}`.
    #[serde(default, with = "serde_body")]
    #[cfg_attr(feature = "ts", specta(type = Option<BodyJson>))]
    pub body: Option<Vec<u8>>,
    #[serde(default = "yes")]
    pub follow_redirects: bool,
    /// Send the profile's token (unless the user set `Authorization` themselves).
    #[serde(default = "yes")]
    pub auth: bool,
    /// The whole exchange must finish within this time. Without it, the headers must come
    /// within the client's total timeout (30 s) and the body may take as long as it keeps coming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// Send the profile's token although the address is not the profile's API: the user's
    /// choice for this one request. Never written anywhere (history, saved requests, exports),
    /// so nothing remembers it.
    #[serde(default, skip_serializing)]
    pub send_token_to_other_host: bool,
    /// This request follows a JSON:API page link (`links.next`, …) of an answer: it must stay
    /// on the profile's API, else paging stops. Never written anywhere.
    #[serde(default, skip_serializing)]
    pub page_link: bool,
}

fn yes() -> bool {
    true
}

impl RequestSpec {
    /// A request with the default settings: redirects followed, the profile's token sent.
    pub fn new(method: &str, url: &str) -> RequestSpec {
        RequestSpec {
            method: method.to_string(),
            url: url.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            follow_redirects: true,
            auth: true,
            timeout_ms: None,
            send_token_to_other_host: false,
            page_link: false,
        }
    }

    pub fn get(url: &str) -> RequestSpec {
        RequestSpec::new("GET", url)
    }

    pub fn with_query(mut self, name: &str, value: &str) -> RequestSpec {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    pub fn with_header(mut self, name: &str, value: &str) -> RequestSpec {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> RequestSpec {
        self.body = Some(body.into());
        self
    }

    /// The first value of a header the user set (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The method in capitals, `GET` when empty.
    pub fn method_name(&self) -> String {
        let m = self.method.trim();
        if m.is_empty() {
            "GET".to_string()
        } else {
            m.to_ascii_uppercase()
        }
    }

    /// Whether sending it needs the profile's token.
    pub fn needs_token(&self) -> bool {
        self.auth && self.header("authorization").is_none()
    }

    /// The variables the URL, query and headers use.
    pub fn variables(&self) -> Vec<String> {
        let mut names = vars::used_in(&self.url);
        for (k, v) in &self.query {
            names.extend(vars::used_in(k));
            names.extend(vars::used_in(v));
        }
        for (_, v) in &self.headers {
            names.extend(vars::used_in(v));
        }
        names.sort();
        names.dedup();
        names
    }
}

/// Whether a method carries a body that gets the JSON:API `Content-Type` by default.
pub fn is_write(method: &str) -> bool {
    matches!(method, "POST" | "PATCH" | "PUT")
}

/// A request ready to go: everything expanded and resolved. The token is kept apart, as a
/// [`Secret`], so the header list can be shown and logged as it is.
#[derive(Clone, Debug)]
pub struct PreparedRequest {
    pub method: reqwest::Method,
    pub url: Url,
    /// Every header to send except `Authorization` from the profile's token.
    pub headers: Vec<(String, String)>,
    /// The profile's token, sent as `Authorization: Bearer …`.
    pub bearer: Option<Secret>,
    pub body: Option<Vec<u8>>,
    pub follow_redirects: bool,
    pub timeout: Option<Duration>,
    /// Whether the profile's token goes with it (the origin rule of this module, decided here
    /// once): `bearer` is filled when it does and the caller gave the token.
    pub sends_profile_token: bool,
    /// The host the profile's token was held back from: the request wanted it, but the address
    /// is not the profile's API and the user did not choose to send it there.
    pub token_withheld_from: Option<String>,
}

/// The origin rule: a request that wants the profile's token gets it on the profile's API
/// origin, or where the user chose to send it for this one request.
fn token_may_go(spec: &RequestSpec, url: &Url, api_url: &Url) -> bool {
    origin::same(url, api_url) || spec.send_token_to_other_host
}

/// Where a request's token would go, for the window to say beside Send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct TokenDestination {
    /// Whether the profile's token is attached.
    pub sends_token: bool,
    /// The address's host when it is not the profile's API (`None`: it is the API).
    pub other_host: Option<String>,
    /// The address as it would be sent: variables filled, relative to the API URL.
    pub resolved_url: String,
}

/// Where the profile's token would go if `spec` were sent now: the URL resolved with `vars`,
/// then the origin rule of this module. Fails as [`prepare`] does on a URL it cannot resolve.
pub fn token_destination(
    spec: &RequestSpec,
    vars: &HashMap<String, String>,
    api_url: &Url,
) -> Result<TokenDestination, EngineError> {
    let url = resolve_url(&vars::expand(&spec.url, vars)?, api_url)?;
    Ok(TokenDestination {
        sends_token: spec.needs_token() && token_may_go(spec, &url, api_url),
        other_host: (!origin::same(&url, api_url)).then(|| origin::host_label(&url)),
        resolved_url: url.to_string(),
    })
}

impl PreparedRequest {
    /// The headers as they go out, `Authorization` included with its real value — only for the
    /// HTTP request itself.
    pub(crate) fn wire_headers(&self) -> Vec<(String, String)> {
        let mut all = self.headers.clone();
        if let Some(token) = &self.bearer {
            all.push(("Authorization".to_string(), format!("Bearer {}", token.expose())));
        }
        all
    }
}

/// The API URL as a base for relative paths (with a trailing slash, so a path prefix is kept).
pub fn api_base(api_url: &Url) -> Url {
    let mut base = api_url.clone();
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base.set_query(None);
    base.set_fragment(None);
    base
}

/// Resolves a URL as typed: absolute `http(s)://…`, else relative to the API URL (a leading `/`
/// still keeps the API URL's own path, as `/v1/me` means "the API's /v1/me").
pub fn resolve_url(text: &str, api_url: &Url) -> Result<Url, EngineError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(EngineError::MissingInput(
            "Enter the URL to send the request to, such as /v1/me.".into(),
        ));
    }
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let url = Url::parse(text).map_err(|e| {
            EngineError::MissingInput(format!("\"{text}\" is not a valid URL ({e})."))
        })?;
        // URL parsing lets through names no computer can have ({, }, ", …).
        if let Some(url::Host::Domain(host)) = url.host() {
            if let Some(c) =
                host.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
            {
                return Err(EngineError::MissingInput(format!("\"{text}\" names the computer \"{host}\", and a computer's name cannot hold \"{c}\". Check the address.")));
            }
        }
        return Ok(url);
    }
    if let Some((scheme, _)) = text.split_once("://") {
        return Err(EngineError::MissingInput(format!(
            "\"{text}\" uses {scheme}://; the request tester sends http:// and https:// requests only."
        )));
    }
    let relative = text.trim_start_matches('/');
    // "name:…" before the first "/" would be read as a URL of its own (mailto:, file:, or
    // localhost:3000 as a scheme named localhost): say so rather than send it anywhere.
    let first = relative.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((before, after)) = first.split_once(':') {
        if !after.is_empty() && after.bytes().all(|b| b.is_ascii_digit()) {
            return Err(EngineError::MissingInput(format!(
                "\"{text}\" looks like an address without its start: write https://{text} (or http://{text} for this computer)."
            )));
        }
        if before.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && before.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return Err(EngineError::MissingInput(format!(
                "\"{text}\" uses {before}:; the request tester sends http:// and https:// requests only. For a path of the API, write it as /v1/…."
            )));
        }
    }
    // "./" keeps whatever is left a path below the API URL.
    api_base(api_url).join(&format!("./{relative}")).map_err(|e| {
        EngineError::MissingInput(format!(
            "\"{text}\" cannot be added to the API URL {api_url} ({e})."
        ))
    })
}

/// Builds the request: variables expanded, URL resolved, defaults added. `bearer` is the
/// profile's token, used when the spec asks for it, the user set no `Authorization`, and the
/// address is the profile's API (or the user chose to send it elsewhere). Fails closed: an
/// address that would travel over plain http to another computer, or a page link that leaves
/// the API, is an error, not a request.
pub fn prepare(
    spec: &RequestSpec,
    vars: &HashMap<String, String>,
    api_url: &Url,
    bearer: Option<&Secret>,
) -> Result<PreparedRequest, EngineError> {
    let method_name = spec.method_name();
    let method = reqwest::Method::from_bytes(method_name.as_bytes()).map_err(|_| {
        EngineError::MissingInput(format!(
            "\"{}\" is not an HTTP method. Use GET, POST, PATCH, PUT or DELETE.",
            spec.method.trim()
        ))
    })?;
    let mut url = resolve_url(&vars::expand(&spec.url, vars)?, api_url)?;
    if origin::check_transport(&url).is_err() {
        return Err(EngineError::InsecureDestination { url: origin::of(&url) });
    }
    if spec.page_link && !origin::same(&url, api_url) {
        return Err(EngineError::PageLinkElsewhere {
            host: origin::host_label(&url),
            api: origin::host_label(api_url),
        });
    }
    if !spec.query.is_empty() {
        let expanded: Vec<(String, String)> = spec
            .query
            .iter()
            .map(|(k, v)| Ok((vars::expand(k, vars)?, vars::expand(v, vars)?)))
            .collect::<Result<_, EngineError>>()?;
        let mut pairs = url.query_pairs_mut();
        for (k, v) in &expanded {
            pairs.append_pair(k, v);
        }
    }
    let mut headers = Vec::with_capacity(spec.headers.len() + 3);
    for (name, value) in &spec.headers {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let value = vars::expand(value, vars)?;
        check_header(name, &value)?;
        headers.push((name.to_string(), value));
    }
    let has = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    if !has(&headers, "accept") {
        headers.insert(0, ("Accept".to_string(), JSON_API.to_string()));
    }
    if spec.body.is_some() && is_write(&method_name) && !has(&headers, "content-type") {
        headers.push(("Content-Type".to_string(), JSON_API.to_string()));
    }
    let wants_token = spec.auth && !has(&headers, "authorization");
    let may_go = token_may_go(spec, &url, api_url);
    let sends_profile_token = wants_token && may_go;
    let bearer = if sends_profile_token { bearer.cloned() } else { None };
    let token_withheld_from = (wants_token && !may_go).then(|| origin::host_label(&url));
    // A header left empty is not sent: that is how a default (Accept, Content-Type, the
    // token) is left out on purpose.
    headers.retain(|(_, v)| !v.trim().is_empty());
    Ok(PreparedRequest {
        method,
        url,
        headers,
        bearer,
        body: spec.body.as_ref().map(|b| expand_body(b, vars)),
        follow_redirects: spec.follow_redirects,
        timeout: spec.timeout_ms.map(Duration::from_millis),
        sends_profile_token,
        token_withheld_from,
    })
}

/// A UTF-8 body with its known `{{name}}` variables filled in (see [`vars::expand_known_double`]);
/// any other body as it is.
fn expand_body(body: &[u8], vars: &HashMap<String, String>) -> Vec<u8> {
    match std::str::from_utf8(body) {
        Ok(text) if text.contains("{{") => vars::expand_known_double(text, vars).into_bytes(),
        _ => body.to_vec(),
    }
}

fn check_header(name: &str, value: &str) -> Result<(), EngineError> {
    reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| EngineError::MissingInput(format!("\"{name}\" is not a valid header name: use letters, digits and dashes, without spaces or a colon.")))?;
    reqwest::header::HeaderValue::from_str(value).map_err(|_| {
        EngineError::MissingInput(format!("The value of the header {name} has a character a header cannot carry (a line break or a control character)."))
    })?;
    Ok(())
}

/// A body as it crosses JSON (its TypeScript type; `serde_body` writes and reads it): text, or
/// `{ base64 }` for bytes that are not UTF-8.
#[cfg(feature = "ts")]
#[derive(Serialize, specta::Type)]
#[serde(untagged)]
pub enum BodyJson {
    Text(String),
    Base64 { base64: String },
}

/// Bodies in JSON: a string when the bytes are UTF-8, else `{"base64": "…"}`; reads either,
/// and an array of byte values too.
pub(crate) mod serde_body {
    use base64::Engine as _;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Text(String),
        Base64 { base64: String },
        Bytes(Vec<u8>),
    }

    pub fn serialize<S: Serializer>(body: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match body {
            None => s.serialize_none(),
            Some(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Repr::Text(text.to_string()).serialize(s),
                Err(_) => {
                    Repr::Base64 { base64: base64::engine::general_purpose::STANDARD.encode(bytes) }
                        .serialize(s)
                }
            },
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Ok(match Option::<Repr>::deserialize(d)? {
            None => None,
            Some(Repr::Text(t)) => Some(t.into_bytes()),
            Some(Repr::Bytes(b)) => Some(b),
            Some(Repr::Base64 { base64 }) => Some(
                base64::engine::general_purpose::STANDARD
                    .decode(base64.as_bytes())
                    .map_err(D::Error::custom)?,
            ),
        })
    }
}

/// A request of the request tester within the limits of [`crate::limits`]: every part bounded
/// and the method a word. Where it may go (and whether the token goes with it) the engine decides
/// as it sends.
pub fn check_limits(spec: &RequestSpec) -> Result<(), EngineError> {
    let method = limits::one_line("method", &spec.method, limits::MAX_METHOD)?;
    if !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(limits::invalid(format!(
            "\"{method}\" is not an HTTP method. Use GET, POST, PATCH, PUT or DELETE."
        )));
    }
    limits::bounded("request URL", &spec.url, limits::MAX_REQUEST_URL)?;
    if spec.query.len() > limits::MAX_QUERY_PAIRS {
        return Err(limits::invalid(format!(
            "The request has {} query parameters; at most {} can be sent.",
            spec.query.len(),
            limits::MAX_QUERY_PAIRS
        )));
    }
    for (k, v) in &spec.query {
        limits::bounded("query parameter", k, limits::MAX_QUERY_PART)?;
        limits::bounded("query parameter value", v, limits::MAX_QUERY_PART)?;
    }
    if spec.headers.len() > limits::MAX_HEADERS {
        return Err(limits::invalid(format!(
            "The request has {} headers; at most {} can be sent.",
            spec.headers.len(),
            limits::MAX_HEADERS
        )));
    }
    for (k, v) in &spec.headers {
        limits::bounded("header name", k, limits::MAX_HEADER_NAME)?;
        limits::bounded("header value", v, limits::MAX_HEADER_VALUE)?;
    }
    if spec.body.as_ref().is_some_and(|b| b.len() > limits::MAX_REQUEST_BODY) {
        return Err(limits::invalid(format!(
            "The request body is larger than {} MB. Send a smaller body.",
            limits::MAX_REQUEST_BODY / (1024 * 1024)
        )));
    }
    if spec.timeout_ms.is_some_and(|t| t == 0 || t > limits::MAX_TIMEOUT_MS) {
        return Err(limits::invalid(format!(
            "Give the request between 1 ms and {} minutes to finish.",
            limits::MAX_TIMEOUT_MS / 60_000
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Url {
        Url::parse("https://api.scopestack.io").unwrap()
    }

    fn vars() -> HashMap<String, String> {
        [("account-slug".to_string(), "acme".to_string())].into()
    }

    #[test]
    fn relative_urls_resolve_against_the_api_url_and_keep_its_path() {
        assert_eq!(
            resolve_url("/v1/me", &api()).unwrap().as_str(),
            "https://api.scopestack.io/v1/me"
        );
        assert_eq!(
            resolve_url("acme/v1/projects?x=1", &api()).unwrap().as_str(),
            "https://api.scopestack.io/acme/v1/projects?x=1"
        );
        let gw = Url::parse("https://gw.example/scopestack").unwrap();
        assert_eq!(
            resolve_url("/v1/me", &gw).unwrap().as_str(),
            "https://gw.example/scopestack/v1/me"
        );
        assert!(resolve_url("ftp://x/y", &api()).is_err());
        assert!(resolve_url("  ", &api()).is_err());
    }

    #[test]
    fn text_that_reads_as_another_kind_of_url_is_refused() {
        for other in [
            "file:/etc/passwd",
            "/file:/etc/passwd",
            "mailto:a@b.test",
            "javascript:alert(1)",
            "a.b+c-d:x/y",
        ] {
            let err = resolve_url(other, &api()).unwrap_err().to_string();
            assert!(err.contains("http:// and https:// requests only"), "{other}: {err}");
        }
        let err = resolve_url("localhost:3000/v1/me", &api()).unwrap_err().to_string();
        assert!(err.contains("write https://localhost:3000/v1/me"), "{err}");
        assert_eq!(
            resolve_url("acme/v1/projects/1:2", &api()).unwrap().as_str(),
            "https://api.scopestack.io/acme/v1/projects/1:2"
        );
        assert_eq!(
            resolve_url("{x}:y/z", &api()).unwrap().as_str(),
            "https://api.scopestack.io/%7Bx%7D:y/z"
        );
        let err = resolve_url("http://a{b}.test/", &api()).unwrap_err().to_string();
        assert!(err.contains("cannot hold \"{\""), "{err}");
        assert!(resolve_url("https://my_host-1.example.test:8443/x", &api()).is_ok());
    }

    #[test]
    fn defaults_are_added_unless_the_user_set_them() {
        let token = Secret::new("tok");
        let spec = RequestSpec::new("post", "{account-slug}/v1/projects")
            .with_body("{}")
            .with_query("include", "client");
        let p = prepare(&spec, &vars(), &api(), Some(&token)).unwrap();
        assert_eq!(p.method, reqwest::Method::POST);
        assert_eq!(p.url.as_str(), "https://api.scopestack.io/acme/v1/projects?include=client");
        assert_eq!(
            p.headers,
            vec![("Accept".into(), JSON_API.into()), ("Content-Type".into(), JSON_API.into())]
        );
        assert!(p.bearer.is_some());

        let spec = RequestSpec::get("/v1/me")
            .with_header("accept", "text/html")
            .with_header("Authorization", "Bearer mine")
            .with_body("x");
        let p = prepare(&spec, &vars(), &api(), Some(&token)).unwrap();
        assert_eq!(
            p.headers,
            vec![
                ("accept".into(), "text/html".into()),
                ("Authorization".into(), "Bearer mine".into())
            ]
        );
        assert!(p.bearer.is_none(), "the user's own Authorization wins");

        let spec = RequestSpec::new("POST", "/x")
            .with_body("{}")
            .with_header("Content-Type", "")
            .with_header("Authorization", " ");
        let p = prepare(&spec, &vars(), &api(), Some(&token)).unwrap();
        assert_eq!(
            p.headers,
            vec![("Accept".into(), JSON_API.into())],
            "empty headers leave the defaults out"
        );
        assert!(p.bearer.is_none());

        let mut spec = RequestSpec::get("/v1/me");
        spec.auth = false;
        assert!(prepare(&spec, &vars(), &api(), Some(&token)).unwrap().bearer.is_none());
    }

    #[test]
    fn bad_methods_and_headers_are_explained() {
        assert!(prepare(&RequestSpec::new("GE T", "/v1/me"), &vars(), &api(), None)
            .unwrap_err()
            .to_string()
            .contains("not an HTTP method"));
        let spec = RequestSpec::get("/v1/me").with_header("X Bad", "1");
        assert!(prepare(&spec, &vars(), &api(), None)
            .unwrap_err()
            .to_string()
            .contains("header name"));
        let spec = RequestSpec::get("/v1/me").with_header("X-Ok", "a\nb");
        assert!(prepare(&spec, &vars(), &api(), None)
            .unwrap_err()
            .to_string()
            .contains("line break"));
    }

    #[test]
    fn bodies_serialise_as_text_or_base64() {
        let spec = RequestSpec::new("POST", "/x").with_body(vec![0xff, 0x00]);
        let json = serde_json::to_string(&spec).unwrap();
        assert!(json.contains(r#""body":{"base64":"/wA="}"#), "{json}");
        assert_eq!(serde_json::from_str::<RequestSpec>(&json).unwrap(), spec);
        let spec = RequestSpec::new("POST", "/x").with_body("{\"a\":1}");
        let json = serde_json::to_string(&spec).unwrap();
        assert!(json.contains(r#""body":"{\"a\":1}""#), "{json}");
        assert_eq!(serde_json::from_str::<RequestSpec>(&json).unwrap(), spec);
        let minimal: RequestSpec =
            serde_json::from_str(r#"{"method":"GET","url":"/v1/me"}"#).unwrap();
        assert!(minimal.follow_redirects && minimal.auth && minimal.body.is_none());
    }
}
