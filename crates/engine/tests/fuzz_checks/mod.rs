//! What each fuzz target checks, for one input: shared by the `cargo fuzz` targets
//! (`crates/engine/fuzz`, which include this file), the crash regressions
//! (`tests/fuzz_regressions.rs`) and the seeded run in the ordinary suite
//! (`tests/diagnose_fuzzlike.rs`). Each panics when the engine misbehaves.
#![allow(dead_code)]

use engine::diagnose::{
    check_input as check, codes, diagnose_error, diagnose_response as diagnose, extract_token,
    Context, Diagnosis, Input,
};
use engine::oauth::client::read_token_answer;
use engine::profiles::Method;
use engine::requests::jsonapi::{self, DocKind};
use engine::requests::{from_curl, to_curl, CurlRequest};
use engine::Grant;
use std::collections::HashMap;

/// A diagnosis must have a known code and say what happened and what to do.
pub fn complete(d: &Diagnosis) {
    assert!(codes::ALL.contains(&d.code), "{} is not a known code", d.code);
    assert!(
        !d.title.is_empty() && !d.what_happened.is_empty() && !d.what_to_do.is_empty(),
        "{d:#?}"
    );
}

const CONTENT_TYPES: [&str; 8] = [
    "application/json",
    "application/json; charset=utf-8",
    "text/html",
    "text/plain",
    "application/xml",
    "",
    "application/vnd.api+json",
    "APPLICATION/JSON",
];

/// `[status: 2 bytes][content type][grant]body…` through the engine's reading of a token
/// answer, then `diagnose_error` on whatever error comes out.
pub fn token_answer(data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 900;
    let content_type = CONTENT_TYPES[usize::from(data[2]) % CONTENT_TYPES.len()];
    let (grant, method) = match data[3] % 4 {
        0 => (Grant::ClientCredentials, Method::ClientCredentials),
        1 => (Grant::Password, Method::Password),
        2 => (Grant::AuthorizationCode, Method::BrowserLogin),
        _ => (Grant::RefreshToken, Method::BrowserLogin),
    };
    let mut response = http::Response::new(data[4..].to_vec());
    *response.status_mut() = http::StatusCode::from_u16(status).expect("100..=999 is a status");
    if !content_type.is_empty() {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    }
    if let Err(e) = read_token_answer(response, grant, method) {
        let ctx = Context {
            method: Some(method),
            client_id: Some(String::from_utf8_lossy(&data[4..data.len().min(40)]).into_owned()),
            ..Context::default()
        }
        .token_request(grant, "https://app.scopestack.io/oauth/token");
        complete(&diagnose_error(&e, &ctx));
    }
}

const HEADERS: [(&str, &str); 10] = [
    ("Content-Type", "application/vnd.api+json"),
    ("Content-Type", "text/html"),
    ("Content-Type", "application/json"),
    ("Retry-After", "30"),
    ("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"),
    ("Location", "https://app.scopestack.io/oauth/token"),
    (
        "WWW-Authenticate",
        "Bearer error=\"invalid_token\", error_description=\"The access token expired\"",
    ),
    ("WWW-Authenticate", "Bearer error=\"insufficient_scope\""),
    ("Date", "not a date"),
];

/// `[status: 2][header mask: 2][flags]body…` through `diagnose_response`, as a token request
/// or as an API call.
pub fn diagnose_response(data: &[u8]) {
    if data.len() < 5 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]);
    let mask = u16::from_le_bytes([data[2], data[3]]);
    let mut headers: Vec<(String, String)> = HEADERS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, (k, v))| (k.to_string(), v.to_string()))
        .collect();
    // One header with arbitrary text from the input, too.
    let body = &data[5..];
    let text = String::from_utf8_lossy(&body[..body.len().min(64)]).into_owned();
    let flags = data[4];
    headers.push((
        ["Date", "Retry-After", "Content-Type", "WWW-Authenticate", "Location"]
            [usize::from(flags) % 5]
            .to_string(),
        text.clone(),
    ));
    let ctx = if flags & 0x80 != 0 {
        Context::default().token_request(
            [
                Grant::Password,
                Grant::ClientCredentials,
                Grant::AuthorizationCode,
                Grant::RefreshToken,
            ][usize::from(flags) % 4],
            "https://app.scopestack.io/oauth/token",
        )
    } else {
        Context {
            sent_accept: (flags & 1 != 0).then(|| "application/vnd.api+json".to_string()),
            sent_content_type: (flags & 2 != 0).then(|| text.clone()),
            sent_authorization: Some(flags & 4 != 0),
            sent_token: (flags & 8 != 0).then(|| engine::Secret::new(text.clone())),
            token_age_secs: (flags & 16 != 0).then_some(i64::from(status) * 97),
            api_url: Some("https://api.scopestack.io".into()),
            ..Context::default()
        }
        .api_request(
            if flags & 32 != 0 { "POST" } else { "GET" },
            &format!("https://api.scopestack.io/{}", text.replace(' ', "")),
        )
    };
    if let Some(d) = diagnose(status, &headers, body, &ctx) {
        complete(&d);
    }
}

/// The input as every field `check_input` looks at, and as a pasted token.
pub fn check_input(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let input = Input {
        token: Some(&text),
        client_id: Some(&text),
        token_url: Some(&text),
        authorize_url: Some(&text),
        api_url: Some(&text),
        request_url: Some(&text),
    };
    for w in check(&input) {
        assert!(codes::ALL.contains(&w.code), "{}", w.code);
        assert!(!w.message.is_empty());
    }
    if let Some(token) = extract_token(&text) {
        assert!(!token.expose().is_empty());
        assert!(!token.expose().chars().any(char::is_whitespace));
    }
}

/// A body through the JSON:API view of the request tester: never fails, always serialises,
/// and never shows more than the document holds.
pub fn jsonapi_view(data: &[u8]) {
    let view = jsonapi::parse(data);
    serde_json::to_string(&view).expect("a view serialises");
    if view.kind == DocKind::NotJsonApi {
        assert!(view.note.is_some() && view.resources.is_empty(), "{view:?}");
        return;
    }
    let doc: serde_json::Value =
        serde_json::from_slice(data).expect("a JSON:API view comes from JSON");
    let count = |name: &str| doc.get(name).and_then(|v| v.as_array()).map_or(0, Vec::len);
    assert!(view.unreferenced_included <= count("included"));
    match view.kind {
        DocKind::Collection => assert!(view.resources.len() <= count("data")),
        DocKind::Errors => assert_eq!(view.errors.len(), count("errors")),
        _ => assert!(view.resources.len() <= 1),
    }
}

/// Pasted text through curl import. What imports, and can be sent, must survive the window's
/// round trip: Copy as curl, then Import curl, gives the same request.
pub fn curl_import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(spec) = from_curl(text) else { return };
    serde_json::to_string(&spec).expect("an imported request serialises");
    let api = url::Url::parse("https://api.scopestack.io").expect("a URL");
    let vars = HashMap::new();
    // A request that cannot be sent (a bad URL, a header with a line break) stops here, as it
    // would in the app.
    let Ok(first) = CurlRequest::from_spec(&spec, &vars, &api) else { return };
    let command = to_curl(&first, None);
    let again = from_curl(&command)
        .unwrap_or_else(|e| panic!("our own curl command does not import: {e}\n{command}"));
    let second = CurlRequest::from_spec(&again, &vars, &api)
        .unwrap_or_else(|e| panic!("the re-imported request cannot be sent: {e}\n{command}"));
    assert_eq!(first, second, "copy as curl, then import, changed the request:\n{command}");
}
