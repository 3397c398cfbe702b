//! Arbitrary text as every field `check_input` looks at, and as a pasted token.
#![no_main]

use engine::diagnose::{check_input, codes, extract_token, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let input = Input {
        token: Some(&text),
        client_id: Some(&text),
        token_url: Some(&text),
        authorize_url: Some(&text),
        api_url: Some(&text),
        request_url: Some(&text),
    };
    for w in check_input(&input) {
        assert!(codes::ALL.contains(&w.code), "{}", w.code);
        assert!(!w.message.is_empty());
    }
    if let Some(token) = extract_token(&text) {
        assert!(!token.expose().is_empty());
        assert!(!token.expose().chars().any(char::is_whitespace));
    }
});
