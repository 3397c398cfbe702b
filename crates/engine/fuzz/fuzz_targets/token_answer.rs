//! Arbitrary token-endpoint answers through the engine's own reading of them.
#![no_main]

use engine::diagnose::{codes, diagnose_error, Context};
use engine::oauth::client::{read_token_answer, Grant};
use engine::profiles::Method;
use libfuzzer_sys::fuzz_target;

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

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 900;
    let content_type = CONTENT_TYPES[usize::from(data[2]) % CONTENT_TYPES.len()];
    let (grant, method, name) = match data[3] % 4 {
        0 => (Grant::ClientCredentials, Method::ClientCredentials, "client_credentials"),
        1 => (Grant::Password, Method::Password, "password"),
        2 => (Grant::AuthorizationCode, Method::BrowserLogin, "authorization_code"),
        _ => (Grant::Refresh, Method::BrowserLogin, "refresh_token"),
    };
    let mut response = http::Response::new(data[4..].to_vec());
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
    if !content_type.is_empty() {
        response.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    }
    if let Err(e) = read_token_answer(response, grant, method) {
        let ctx = Context {
            method: Some(method),
            client_id: Some(String::from_utf8_lossy(&data[4..data.len().min(40)]).into_owned()),
            ..Context::default()
        }
        .token_request(name, "https://app.scopestack.io/oauth/token");
        let d = diagnose_error(&e, &ctx);
        assert!(codes::ALL.contains(&d.code), "{}", d.code);
        assert!(!d.title.is_empty() && !d.what_happened.is_empty() && !d.what_to_do.is_empty());
    }
});
