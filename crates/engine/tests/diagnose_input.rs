//! `check_input`: the warnings before anything is sent, and `extract_token`.

use engine::diagnose::{check_input, extract_token, Input, SettingsField};

fn codes(input: &Input<'_>) -> Vec<&'static str> {
    check_input(input).into_iter().map(|w| w.code).collect()
}

#[test]
fn a_pasted_token_answer_gives_up_its_token() {
    let pasted = r#"{"access_token":"eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJTY29wZVN0YWNrIn0.c2ln","token_type":"Bearer","expires_in":7200}"#;
    let warnings = check_input(&Input { token: Some(pasted), ..Input::default() });
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        (warnings[0].code, warnings[0].field),
        ("input.token_is_json", SettingsField::Token)
    );
    assert!(warnings[0].message.contains("take it out for you"), "{}", warnings[0].message);
    assert!(warnings[0].suggestion.is_none(), "a token is never put in a warning");
    assert_eq!(
        extract_token(pasted).unwrap().expose(),
        "eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJTY29wZVN0YWNrIn0.c2ln"
    );
    // Half a paste still works; so do "Bearer ", quotes and line breaks.
    assert_eq!(extract_token(r#""access_token": "abc123", "tok"#).unwrap().expose(), "abc123");
    assert_eq!(extract_token("Bearer abc123").unwrap().expose(), "abc123");
    assert_eq!(extract_token("\"abc\n123\"").unwrap().expose(), "abc123");
    assert!(extract_token("abc123").is_none(), "nothing to change");
    assert!(extract_token(r#"{"token_type":"Bearer"}"#).is_none());
    assert_eq!(
        codes(&Input { token: Some("Bearer abc"), ..Input::default() }),
        vec!["input.token_has_bearer_prefix"]
    );
    assert_eq!(
        codes(&Input { token: Some("'abc'"), ..Input::default() }),
        vec!["input.token_quoted"]
    );
    assert_eq!(
        codes(&Input { token: Some("abc\ndef"), ..Input::default() }),
        vec!["input.token_whitespace"]
    );
    assert!(codes(&Input { token: Some("ééééééé"), ..Input::default() }).is_empty());
}

#[test]
fn client_ids_with_spaces_or_look_alikes_are_flagged() {
    let w = check_input(&Input { client_id: Some(" abc123 "), ..Input::default() });
    assert_eq!(w[0].code, "input.client_id_whitespace");
    assert_eq!(w[0].suggestion.as_deref(), Some("abc123"));
    let w = check_input(&Input { client_id: Some("abcО12\u{200B}3"), ..Input::default() });
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].code, "input.client_id_lookalike");
    assert!(
        w[0].message.contains("position 4") && w[0].message.contains("another alphabet"),
        "{}",
        w[0].message
    );
    assert_eq!(w[0].suggestion.as_deref(), Some("abcO123"));
    assert!(
        codes(&Input { client_id: Some("Xy0OlI1-abc_DEF"), ..Input::default() }).is_empty(),
        "plain ASCII IDs are not second-guessed before sending"
    );
}

#[test]
fn urls_without_a_scheme_or_on_the_wrong_host_are_flagged() {
    let w = check_input(&Input {
        token_url: Some("app.scopestack.io/oauth/token"),
        ..Input::default()
    });
    assert_eq!(w[0].code, "input.url_without_scheme");
    assert_eq!(w[0].suggestion.as_deref(), Some("https://app.scopestack.io/oauth/token"));
    let w = check_input(&Input { api_url: Some("https://app.scopestack.io"), ..Input::default() });
    assert_eq!(
        (w[0].code, w[0].suggestion.as_deref()),
        ("input.api_url_is_app_host", Some("https://api.scopestack.io"))
    );
    let w = check_input(&Input {
        token_url: Some("https://api.scopestack.io/oauth/token"),
        ..Input::default()
    });
    assert_eq!(
        (w[0].code, w[0].suggestion.as_deref()),
        ("input.token_url_is_api_host", Some("https://app.scopestack.io/oauth/token"))
    );
    let w = check_input(&Input {
        authorize_url: Some("https://api.scopestack.io/oauth/authorize"),
        ..Input::default()
    });
    assert_eq!(w[0].code, "input.authorize_url_is_api_host");
    let w =
        check_input(&Input { token_url: Some("https://app.scopestack.io"), ..Input::default() });
    assert_eq!(
        (w[0].code, w[0].suggestion.as_deref()),
        ("input.token_url_path", Some("https://app.scopestack.io/oauth/token"))
    );
    let w = check_input(&Input {
        api_url: Some("https://api.scopestack.io/v1/me"),
        ..Input::default()
    });
    assert_eq!(
        (w[0].code, w[0].suggestion.as_deref()),
        ("input.api_url_has_path", Some("https://api.scopestack.io"))
    );
    let w = check_input(&Input { api_url: Some("http://api.scopestack.io"), ..Input::default() });
    assert_eq!(
        (w[0].code, w[0].suggestion.as_deref()),
        ("input.url_not_https", Some("https://api.scopestack.io/"))
    );
    assert_eq!(
        codes(&Input { api_url: Some(" https://api.scopestack.io "), ..Input::default() }),
        vec!["input.url_whitespace"]
    );
    let w = check_input(&Input {
        request_url: Some("https://api.scopestack.io/v1/projects"),
        ..Input::default()
    });
    assert_eq!(
        (w[0].code, w[0].suggestion.as_deref()),
        (
            "input.request_url_missing_account_slug",
            Some("https://api.scopestack.io/{account-slug}/v1/projects")
        )
    );
    assert_eq!(
        codes(&Input {
            request_url: Some("https://app.scopestack.io/acme/v1/projects"),
            ..Input::default()
        }),
        vec!["input.request_url_is_app_host"]
    );
    // What is right raises nothing.
    let good = Input {
        token: Some("eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJTY29wZVN0YWNrIn0.c2ln"),
        client_id: Some("Xy0OlI1-abc"),
        token_url: Some("https://app.scopestack.io/oauth/token"),
        authorize_url: Some("https://app.scopestack.io/oauth/authorize"),
        api_url: Some("https://api.scopestack.io"),
        request_url: Some("https://api.scopestack.io/acme/v1/projects?include=client"),
    };
    assert!(check_input(&good).is_empty(), "{:?}", check_input(&good));
    assert!(
        check_input(&Input { api_url: Some("http://127.0.0.1:8080"), ..Input::default() })
            .is_empty(),
        "http is fine on this computer"
    );
    let json = serde_json::to_value(check_input(&Input {
        api_url: Some("https://app.scopestack.io"),
        ..Input::default()
    }))
    .unwrap();
    assert_eq!(json[0]["field"], "api_url");
}
