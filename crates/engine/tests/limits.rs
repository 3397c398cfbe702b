//! The limits both front ends apply to what people give them (`engine::limits`): each refusal is
//! an input error whose message names the value and says what to change.

use engine::limits::*;
use engine::requests::spec::check_limits;
use engine::requests::RequestSpec;
use engine::{EngineError, ErrorKind};

/// The message of an `InvalidInput` refusal.
fn refused<T: std::fmt::Debug>(r: Result<T, EngineError>) -> String {
    match r {
        Err(e @ EngineError::InvalidInput(_)) => {
            assert_eq!(e.kind(), ErrorKind::Input);
            e.to_string()
        }
        other => panic!("expected an input refusal, got {other:?}"),
    }
}

#[test]
fn lengths_are_bounded_in_characters() {
    assert_eq!(bounded("x", "ééé", 3).unwrap(), "ééé");
    assert!(refused(bounded("client ID", "abcd", 3)).contains("client ID is too long (at most 3"));
    assert!(bounded("x", &"a".repeat(10_000_000), 100).is_err());
}

#[test]
fn one_line_values_are_trimmed_and_refuse_control_characters() {
    assert_eq!(one_line("client ID", "  abc \n", 10).unwrap(), "abc");
    assert!(refused(one_line("client ID", "ab\ncd", 10)).contains("line break"));
    assert!(one_line("client ID", "a\u{7}b", 10).is_err());
}

#[test]
fn profile_names_are_needed_and_bounded() {
    assert_eq!(profile_name("  Production ").unwrap(), "Production");
    assert!(refused(profile_name("   ")).contains("Give the profile a name"));
    assert!(profile_name(&"n".repeat(MAX_PROFILE_NAME)).is_ok());
    assert!(refused(profile_name(&"n".repeat(MAX_PROFILE_NAME + 1))).contains("too long"));
    assert!(refused(profile_name("Pro\nduction")).contains("one line"));
}

#[test]
fn scopes_are_words_on_one_line() {
    assert_eq!(scope(" read\nwrite  admin ").unwrap(), "read write admin");
    assert_eq!(scope("").unwrap(), "");
    assert!(refused(scope(&"s".repeat(MAX_SCOPE + 1))).contains("scope is too long"));
}

#[test]
fn settings_urls_are_parsed_and_scheme_checked() {
    assert_eq!(
        settings_url("token URL", " https://app.scopestack.io/oauth/token ").unwrap().host_str(),
        Some("app.scopestack.io")
    );
    assert!(settings_url("token URL", "http://127.0.0.1:9/oauth/token").is_ok());
    assert!(refused(settings_url("token URL", "app.scopestack.io/oauth/token"))
        .contains("Start it with https://"));
    assert!(refused(settings_url("token URL", "http://app.scopestack.io/oauth/token"))
        .contains("https://"));
    assert!(settings_url("API URL", "file:///etc/passwd").is_err());
    assert!(settings_url("API URL", "javascript:alert(1)").is_err());
    assert!(refused(settings_url("API URL", "")).contains("Enter the API URL"));
    assert!(settings_url("API URL", &format!("https://x.test/{}", "a".repeat(MAX_SETTINGS_URL)))
        .is_err());
}

#[test]
fn secrets_are_bounded_and_single_line() {
    assert!(secret("password", Some(String::new())).unwrap().is_none());
    assert!(secret("password", None).unwrap().is_none());
    assert_eq!(secret("password", Some("pä ss!".into())).unwrap().unwrap().expose(), "pä ss!");
    assert!(refused(secret("client secret", Some("a\nb".into()))).contains("line break"));
    assert!(secret("client secret", Some("a\0b".into())).is_err());
    assert!(secret("client secret", Some("x".repeat(MAX_SECRET))).is_ok());
    assert!(refused(secret("client secret", Some("x".repeat(MAX_SECRET + 1))))
        .contains("at most 4096 bytes"));
}

#[test]
fn pasted_addresses_must_be_addresses() {
    assert_eq!(
        pasted_address(" http://127.0.0.1:8765/callback?code=a&state=b ").unwrap(),
        "http://127.0.0.1:8765/callback?code=a&state=b"
    );
    assert!(refused(pasted_address("code=a&state=b")).contains("whole address"));
    assert!(
        pasted_address(&format!("https://x.test/?code={}", "a".repeat(MAX_PASTED_URL))).is_err()
    );
}

#[test]
fn requests_are_bounded() {
    assert!(check_limits(&RequestSpec::get("/v1/me")).is_ok());
    assert!(check_limits(&RequestSpec::get("{account-slug}/v1/projects")).is_ok());
    assert!(
        refused(check_limits(&RequestSpec::new("GE T", "/v1/me"))).contains("not an HTTP method")
    );
    assert!(check_limits(&RequestSpec::get(&"a".repeat(MAX_REQUEST_URL + 1))).is_err());

    let mut many = RequestSpec::get("/v1/me");
    many.headers = vec![("X-A".into(), "b".into()); MAX_HEADERS];
    assert!(check_limits(&many).is_ok(), "{MAX_HEADERS} headers may be sent");
    many.headers.push(("X-A".into(), "b".into()));
    assert!(refused(check_limits(&many)).contains("at most 100 can be sent"));
    assert!(check_limits(
        &RequestSpec::get("/v1/me").with_header("X-A", &"v".repeat(MAX_HEADER_VALUE + 1))
    )
    .is_err());
    assert!(check_limits(
        &RequestSpec::get("/v1/me").with_header(&"N".repeat(MAX_HEADER_NAME + 1), "v")
    )
    .is_err());

    let mut query = RequestSpec::get("/v1/me");
    query.query = vec![("q".into(), "v".into()); MAX_QUERY_PAIRS + 1];
    assert!(refused(check_limits(&query)).contains("query parameters"));
    assert!(check_limits(
        &RequestSpec::get("/v1/me").with_query("q", &"v".repeat(MAX_QUERY_PART + 1))
    )
    .is_err());

    assert!(check_limits(&RequestSpec::new("POST", "/x").with_body(vec![b'a'; MAX_REQUEST_BODY]))
        .is_ok());
    assert!(refused(check_limits(&RequestSpec::new("POST", "/x").with_body(vec![
        b'a';
        MAX_REQUEST_BODY
            + 1
    ])))
    .contains("Send a smaller body"));

    for timeout in [0, MAX_TIMEOUT_MS + 1] {
        let mut slow = RequestSpec::get("/v1/me");
        slow.timeout_ms = Some(timeout);
        assert!(refused(check_limits(&slow)).contains("minutes"), "{timeout}");
    }
}

#[test]
fn history_ids_have_the_engines_shape() {
    assert!(history_id("18f2a3b4c5d-0a1b2c3d").is_ok());
    assert!(refused(history_id("../../x")).contains("Recent requests"));
    assert!(history_id("").is_err());
    assert!(history_id(&"a".repeat(MAX_HISTORY_ID + 1)).is_err());
}

/// A refusal is explained like any input error, for the CLI's text and the window's card.
#[test]
fn refusals_are_diagnosed_as_input_to_change() {
    let err = profile_name("").unwrap_err();
    let d = engine::diagnose::diagnose_error(&err, &engine::diagnose::Context::default());
    assert_eq!(d.code, engine::diagnose::codes::INPUT_INVALID);
    assert!(d.what_happened.iter().any(|c| c.contains("Give the profile a name")), "{d:?}");
}
