//! `diagnose_error` for every kind of engine error: the code, the ranking of causes with the
//! context, the fixes, and texts written for a non-technical admin.

use engine::diagnose::{codes, diagnose_error, Context, Diagnosis, Fix, SettingsField};
use engine::error::NetworkFailure;
use engine::profiles::{Method, ProfileError, ProfileId};
use engine::vault::VaultError;
use engine::EngineError;
use engine::Grant;

fn refused(error: &str) -> EngineError {
    EngineError::Refused { error: error.into(), description: Some("The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.".into()), hint: "h".into() }
}

fn net(failure: NetworkFailure, detail: &str) -> EngineError {
    EngineError::Network {
        url: "https://app.scopestack.io/oauth/token".into(),
        failure,
        detail: detail.into(),
    }
}

/// Every diagnosis must be complete, known, and explain "grant" whenever it uses the word.
fn check(d: &Diagnosis) {
    assert!(codes::ALL.contains(&d.code), "{} is not in codes::ALL", d.code);
    assert!(
        !d.title.is_empty() && !d.what_happened.is_empty() && !d.what_to_do.is_empty(),
        "{d:#?}"
    );
    let text = format!("{} {} {}", d.title, d.what_happened.join(" "), d.what_to_do.join(" "))
        .to_lowercase();
    if text.contains("grant ") || text.contains("grant\"") || text.contains("_grant") {
        assert!(text.contains("oauth's word for"), "\"grant\" unexplained in {d:#?}");
    }
    for jargon in
        ["rfc", "doorkeeper", "reqwest", "rustls", "serde", "hyper", "oauth2 crate", "stack trace"]
    {
        assert!(!text.contains(jargon), "jargon \"{jargon}\" in {d:#?}");
    }
}

fn diagnose(err: &EngineError, ctx: &Context) -> Diagnosis {
    let d = diagnose_error(err, ctx);
    check(&d);
    d
}

#[test]
fn invalid_grant_is_ranked_by_the_grant_that_was_sent() {
    let password = Context { method: Some(Method::Password), ..Context::default() };
    let d = diagnose(&refused("invalid_grant"), &password);
    assert_eq!(d.code, "oauth.invalid_grant.password");
    assert!(d.what_happened[0].contains("email or password"), "{:?}", d.what_happened);
    assert!(
        d.what_happened.iter().any(|c| c.contains("deactivated"))
            && d.what_happened.iter().any(|c| c.contains("invitation"))
    );

    let postman =
        Context { grant: Some(Grant::Password), sent_redirect_uri: true, ..Context::default() };
    let d = diagnose(&refused("invalid_grant"), &postman);
    assert_eq!(d.code, "oauth.invalid_grant.redirect_uri_with_password");
    assert_eq!(d.fixes[0], Fix::SwitchToPasswordWithoutRedirectUri);
    assert!(d.what_happened[0].contains("Password Credentials"), "{:?}", d.what_happened);

    let browser = Context {
        method: Some(Method::BrowserLogin),
        callback_url: Some("https://oauth.pstmn.io/v1/callback".into()),
        ..Context::default()
    };
    let d = diagnose(&refused("invalid_grant"), &browser);
    assert_eq!(d.code, "oauth.invalid_grant.authorization_code");
    assert!(d
        .fixes
        .contains(&Fix::CopyCallbackUrl { url: "https://oauth.pstmn.io/v1/callback".into() }));
    assert!(
        d.what_happened.iter().any(|c| c.contains("expired"))
            && d.what_happened.iter().any(|c| c.contains("callback URL differs"))
    );

    // Nothing known of the grant: Doorkeeper's description always mentions the redirection URI,
    // which does not make it Postman's pitfall (the app never sends a callback URL with a
    // password); the sign-in code and callback come first, and Postman is not named at all.
    let d = diagnose(&refused("invalid_grant"), &Context::default());
    assert_eq!(d.code, "oauth.invalid_grant");
    assert!(d.what_happened[0].contains("callback URL differs"), "{:?}", d.what_happened);
    assert!(!d.what_happened.iter().any(|c| c.contains("Postman")), "{:?}", d.what_happened);
    // A request known to have carried a callback URL (typed into the request tester): Postman's pitfall first, in plain words.
    let d = diagnose(
        &refused("invalid_grant"),
        &Context { sent_redirect_uri: true, ..Context::default() },
    );
    assert!(d.what_happened[0].contains("Password Credentials"), "{:?}", d.what_happened);
    assert!(
        !d.what_happened[0].contains("(the \"grant\""),
        "no nested aside: {}",
        d.what_happened[0]
    );
}

#[test]
fn invalid_client_points_at_the_characters_to_check() {
    let ctx = |id: &str| Context {
        client_id: Some(id.into()),
        method: Some(Method::ClientCredentials),
        ..Context::default()
    };
    let d = diagnose(&refused("invalid_client"), &ctx("aB0cOdlI"));
    assert_eq!(d.code, "oauth.invalid_client.lookalike_characters");
    let first = &d.what_happened[0];
    assert!(
        first.contains("position 3: the digit zero (0)")
            && first.contains("position 5: the capital letter O")
            && first.contains("position 7: the small letter l"),
        "{first}"
    );
    assert!(
        d.what_happened.iter().any(|c| c.contains("service account")),
        "client credentials need a service account's client"
    );
    assert_eq!(
        d.fixes,
        vec![
            Fix::OpenSettings { field: SettingsField::ClientId },
            Fix::OpenSettings { field: SettingsField::ClientSecret }
        ]
    );

    assert_eq!(
        diagnose(&refused("invalid_client"), &ctx(" abc\n")).code,
        "oauth.invalid_client.whitespace"
    );
    let d = diagnose(&refused("invalid_client"), &ctx("abcО\u{200B}x"));
    assert_eq!(d.code, "oauth.invalid_client.unusual_characters");
    assert!(d.what_to_do[0].contains("abcOx"), "the cleaned ID is offered: {:?}", d.what_to_do);
    assert_eq!(diagnose(&refused("invalid_client"), &ctx("abc-xyz")).code, "oauth.invalid_client");
    assert_eq!(
        diagnose(&refused("invalid_client"), &Context::default()).code,
        "oauth.invalid_client"
    );
}

#[test]
fn every_oauth_error_code_has_its_diagnosis() {
    let ctx = Context { method: Some(Method::Password), ..Context::default() };
    for (error, code) in [
        ("unauthorized_client", "oauth.unauthorized_client"),
        ("unsupported_grant_type", "oauth.unsupported_grant_type"),
        ("invalid_scope", "oauth.invalid_scope"),
        ("invalid_request", "oauth.invalid_request"),
        ("access_denied", "oauth.access_denied"),
        ("server_error", "oauth.server_error"),
        ("temporarily_unavailable", "oauth.server_error"),
        ("something_new", "oauth.other"),
    ] {
        let d = diagnose(&refused(error), &ctx);
        assert_eq!(d.code, code, "{error}");
    }
    let d = diagnose(&refused("unauthorized_client"), &ctx);
    assert!(
        d.fixes.contains(&Fix::SwitchMethod { to: Method::ClientCredentials })
            && !d.fixes.contains(&Fix::SwitchMethod { to: Method::Password }),
        "{:?}",
        d.fixes
    );
    let revoke = Context::default().api_request("POST", "https://app.scopestack.io/oauth/revoke");
    assert_eq!(diagnose(&refused("invalid_client"), &revoke).code, "oauth.revoke.invalid_client");
    assert_eq!(diagnose(&refused("unsupported_token_type"), &revoke).code, "oauth.revoke.refused");
}

#[test]
fn network_failures_are_told_apart() {
    let ctx = Context::default();
    for (failure, detail, code) in [
        (NetworkFailure::Connect, "the server's name could not be found (dns error: failed to lookup address information)", "net.dns"),
        (NetworkFailure::Connect, "the connection was refused: nothing is listening at that address.", "net.connection_refused"),
        (NetworkFailure::Timeout, "the connection could not be made in time. Check", "net.timeout.connect"),
        (NetworkFailure::Timeout, "the server did not answer in time. Check", "net.timeout.no_answer"),
        (NetworkFailure::Timeout, "the server started answering, then stopped before the answer was complete", "net.timeout.stalled"),
        (NetworkFailure::Tls, "the secure connection failed (invalid peer certificate: UnknownIssuer)", "net.tls.untrusted_certificate"),
        (
            NetworkFailure::Tls,
            "the secure connection failed (invalid peer certificate: certificate expired: verification time 1, but certificate is not valid after 0)",
            "net.tls.certificate_date",
        ),
        (
            NetworkFailure::Tls,
            "the secure connection failed (invalid peer certificate: certificate not valid for name \"app.scopestack.io\")",
            "net.tls.hostname_mismatch",
        ),
        (NetworkFailure::Tls, "the secure connection failed (received corrupt message of type InvalidContentType)", "net.tls.not_tls"),
        (NetworkFailure::Tls, "the secure connection failed (received fatal alert: HandshakeFailure)", "net.tls.handshake"),
        (NetworkFailure::Connect, "the proxy server refused or could not make the connection (unsuccessful tunnel)", "net.proxy"),
        (
            NetworkFailure::Connect,
            "the proxy server refused or could not make the connection (proxy authentication required)",
            "net.proxy.auth_required",
        ),
        (NetworkFailure::Other, "the connection was cut off (reset) before the answer came (connection reset by peer)", "net.connection_reset"),
        (NetworkFailure::Other, "the server closed the connection before it finished answering", "net.connection_closed"),
        (NetworkFailure::Other, "error sending request: invalid HTTP version parsed", "net.not_http"),
        (NetworkFailure::Other, "something else entirely", "net.other"),
    ] {
        assert_eq!(diagnose(&net(failure, detail), &ctx).code, code, "{detail}");
    }
    let d = diagnose(&net(NetworkFailure::Tls, "(invalid peer certificate: UnknownIssuer)"), &ctx);
    assert!(
        d.what_happened[0].contains("inspect encrypted traffic"),
        "the corporate-proxy hint: {:?}",
        d.what_happened
    );
    let d = diagnose(&net(NetworkFailure::Tls, "certificate expired"), &ctx);
    assert!(d.what_to_do[0].contains("date, time"), "the clock hint: {:?}", d.what_to_do);
}

#[test]
fn local_problems_have_their_diagnoses_and_buttons() {
    let ctx = Context {
        callback_url: Some("http://127.0.0.1:8765/callback".into()),
        ..Context::default()
    };
    let cases: Vec<(EngineError, &str, Fix)> = vec![
        (VaultError::Locked.into(), "keychain.locked", Fix::UseSessionOnlyVault),
        (VaultError::Unavailable("no dbus".into()).into(), "keychain.unavailable", Fix::UseSessionOnlyVault),
        (VaultError::Failed("x".into()).into(), "keychain.failed", Fix::UseSessionOnlyVault),
        (VaultError::Damaged("x".into()).into(), "keychain.damaged", Fix::SignInAgain),
        (EngineError::StateMismatch, "signin.state_mismatch", Fix::SignInAgain),
        (EngineError::Cancelled, "signin.cancelled", Fix::SignInAgain),
        (EngineError::TimedOut { seconds: 300 }, "signin.timed_out", Fix::SignInAgain),
        (EngineError::PortInUse { port: 8765 }, "signin.port_in_use", Fix::CopyCallbackUrl { url: "http://127.0.0.1:8765/callback".into() }),
        (EngineError::BadCallbackUrl("no code".into()), "signin.bad_callback_url", Fix::SignInAgain),
        (EngineError::BrowserOpen("no browser".into()), "signin.browser_not_opened", Fix::OpenSettings { field: SettingsField::CallbackUrl }),
        (
            EngineError::AuthorizationDenied { error: "access_denied".into(), description: None, hint: String::new() },
            "signin.denied",
            Fix::SignInAgain,
        ),
        (
            EngineError::AuthorizationDenied { error: "invalid_scope".into(), description: None, hint: String::new() },
            "signin.refused",
            Fix::OpenSettings { field: SettingsField::Scope },
        ),
        (EngineError::NoToken, "token.missing", Fix::SignInAgain),
        (
            EngineError::SecretGivenElsewhere { secret: "client secret", given_for: "app.scopestack.io".into(), now: "collect.example".into() },
            "custody.secret_given_elsewhere",
            Fix::ConfirmKeptSecrets { given_for: "app.scopestack.io".into(), now: "collect.example".into() },
        ),
        (
            EngineError::SignInAgain {
                reason: "the saved refresh token has expired or was revoked, so the token cannot be renewed by itself.".into(),
            },
            "token.refresh_token_expired",
            Fix::SignInAgain,
        ),
        (
            EngineError::SignInAgain { reason: "this token came without a refresh token, so it cannot be renewed by itself.".into() },
            "token.cannot_renew",
            Fix::SignInAgain,
        ),
        (
            EngineError::MissingInput("Enter the client secret (ScopeStack shows it once, when the client is created).".into()),
            "input.missing",
            Fix::OpenSettings { field: SettingsField::ClientSecret },
        ),
        (
            EngineError::MissingInput("Enter the service account's email.".into()),
            "input.missing",
            Fix::OpenSettings { field: SettingsField::Username },
        ),
        (
            ProfileError::InvalidUrl {
                field: "token URL",
                value: "app.scopestack.io/oauth/token".into(),
                reason: "relative URL without a base".into(),
            }
            .into(),
            "input.invalid_url",
            Fix::OpenSettings { field: SettingsField::TokenUrl },
        ),
        (
            ProfileError::InsecureUrl { field: "API URL", value: "http://api.scopestack.io".into() }.into(),
            "input.insecure_url",
            Fix::OpenSettings { field: SettingsField::ApiUrl },
        ),
        (
            ProfileError::UnsupportedScheme { field: "API URL", value: "ftp://x".into() }.into(),
            "input.unsupported_scheme",
            Fix::OpenSettings { field: SettingsField::ApiUrl },
        ),
        (ProfileError::EmptyName.into(), "input.profile_name_missing", Fix::OpenSettings { field: SettingsField::ProfileName }),
        (ProfileError::DuplicateName("Prod".into()).into(), "input.profile_name_taken", Fix::OpenSettings { field: SettingsField::ProfileName }),
        (ProfileError::SandboxNotRunning.into(), "local.sandbox_not_running", Fix::Retry),
        (EngineError::Local("oops".into()), "local.other", Fix::Retry),
    ];
    for (err, code, fix) in cases {
        let d = diagnose(&err, &ctx);
        assert_eq!(d.code, code, "{err:?}");
        assert!(d.fixes.contains(&fix), "{code}: {fix:?} not in {:?}", d.fixes);
    }
    for err in [ProfileError::UnknownProfile(ProfileId::new("p")), ProfileError::NoConfigDir] {
        diagnose(&err.into(), &ctx);
    }
}

#[test]
fn api_errors_from_verify_use_the_token_age() {
    let err = EngineError::Api {
        status: 401,
        message: "The API refused the token (401 Unauthorized): it has expired or was revoked"
            .into(),
        answer: Default::default(),
    };
    let old = Context { token_age_secs: Some(3 * 3600), ..Context::default() };
    let d = diagnose(&err, &old);
    assert_eq!(d.code, "api.unauthorized.expired");
    assert!(d.what_happened[0].contains("3 hours"), "{:?}", d.what_happened);
    assert_eq!(d.fixes[0], Fix::RenewToken);
    let fresh =
        Context { token_age_secs: Some(60), token_expired: Some(false), ..Context::default() };
    assert_eq!(diagnose(&err, &fresh).code, "api.unauthorized");
    let pasted = Context {
        sent_token: Some(engine::Secret::new(r#"{"access_token":"x"}"#)),
        ..Context::default()
    };
    assert_eq!(diagnose(&err, &pasted).code, "api.unauthorized.token_is_json");
    let none = Context { sent_authorization: Some(false), ..Context::default() };
    assert_eq!(diagnose(&err, &none).code, "api.unauthorized.no_token");
    let not_found = EngineError::Api {
        status: 404,
        message: "https://app.scopestack.io/v1/me was not found (404). Check the API URL".into(),
        answer: Default::default(),
    };
    let d = diagnose(&not_found, &Context::default());
    assert_eq!(d.code, "api.not_found.wrong_api_url");
    assert!(
        d.what_happened.iter().any(|c| c.contains("api.scopestack.io")),
        "{:?}",
        d.what_happened
    );
}

#[test]
fn diagnoses_serialize_with_tagged_fixes_and_keep_secrets_out() {
    let err = EngineError::BadResponse {
        status: Some(200),
        detail: r#"the field "expires_in" has a value of the wrong kind (invalid type: string "7200", expected u64): "{"access_token":"eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyIjoxfQ.c2lnbmF0dXJl","refresh_token":"r-secret","expires_in":"7200"}""#.into(),
        answer: engine::AnswerFacts::of(engine::Problem::TokenField { field: "expires_in".into() }).boxed(),
    };
    let d = diagnose(&err, &Context::default());
    assert_eq!(d.code, "token_response.invalid_field");
    assert!(d.what_happened[0].contains("expires_in"), "{:?}", d.what_happened);
    let json = serde_json::to_value(&d).unwrap();
    let text = json.to_string();
    assert!(!text.contains("r-secret") && !text.contains("c2lnbmF0dXJl"), "{text}");
    assert!(
        json["fixes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == &serde_json::json!({"kind": "open_settings", "field": "token_url"})),
        "{json}"
    );
    assert_eq!(
        serde_json::to_value(Fix::RetryAfter { seconds: 30 }).unwrap(),
        serde_json::json!({"kind": "retry_after", "seconds": 30})
    );
    assert_eq!(
        serde_json::to_value(Fix::SwitchMethod { to: Method::ClientCredentials }).unwrap(),
        serde_json::json!({"kind": "switch_method", "to": "client_credentials"})
    );
    assert_eq!(
        serde_json::to_value(Fix::UseSessionOnlyVault).unwrap(),
        serde_json::json!({"kind": "use_session_only_vault"})
    );
    assert!(json.get("field_errors").is_none(), "empty field errors are left out");
    assert!(d.to_text().contains("(code: token_response.invalid_field)"));
}

#[test]
fn what_the_answer_was_decides_not_the_words_of_the_message() {
    use engine::http_answer::Answer;
    use engine::{AnswerFacts, Problem};
    // The verify call's 429 carries the server's Retry-After, and its 503 whether it was a page.
    let limited = EngineError::Api {
        status: 429,
        message: "The API answered 429: \"slow down\"".into(),
        answer: AnswerFacts { retry_after: Some(30), ..AnswerFacts::default() }.boxed(),
    };
    let d = diagnose(&limited, &Context::default());
    assert_eq!(d.code, "api.rate_limited");
    assert!(d.fixes.contains(&Fix::RetryAfter { seconds: 30 }), "{:?}", d.fixes);
    let page = AnswerFacts {
        content_type: Some("text/html; charset=utf-8".into()),
        ..AnswerFacts::default()
    };
    let down = EngineError::Api {
        status: 503,
        message: "The API answered 503: \"Service Unavailable\"".into(),
        answer: page.boxed(),
    };
    let d = diagnose(&down, &Context::default());
    assert!(d.what_happened.iter().any(|c| c.contains("web page")), "{:?}", d.what_happened);
    let plain = EngineError::Api {
        status: 503,
        message: "The API answered 503: \"Service Unavailable\"".into(),
        answer: Default::default(),
    };
    assert!(!diagnose(&plain, &Context::default())
        .what_happened
        .iter()
        .any(|c| c.contains("web page")));
    // A token URL's redirect names where it points from its Location, whatever the message says.
    let redirect = EngineError::BadResponse {
        status: Some(301),
        detail: "moved".into(),
        answer: AnswerFacts {
            location: Some("https://elsewhere.test/oauth/token".into()),
            ..AnswerFacts::of(Problem::Redirect)
        }
        .boxed(),
    };
    let d = diagnose(&redirect, &Context::default());
    assert_eq!(d.code, "token_response.redirect");
    assert!(
        d.what_happened[0].contains("https://elsewhere.test/oauth/token"),
        "{:?}",
        d.what_happened
    );
    // A mislabelled token answer names its content type from the header.
    let mislabelled = EngineError::BadResponse {
        status: Some(200),
        detail: "labelled oddly".into(),
        answer: AnswerFacts {
            content_type: Some("text/plain".into()),
            ..AnswerFacts::of(Problem::Unusable(Answer::MislabelledJson))
        }
        .boxed(),
    };
    let d = diagnose(&mislabelled, &Context::default());
    assert_eq!(d.code, "token_response.wrong_content_type");
    assert!(d.what_happened[0].contains("\"text/plain\""), "{:?}", d.what_happened);
    // The words alone no longer decide: a message that reads like a cut-off token answer, with
    // nothing known of the answer, is not diagnosed as one.
    let words_only = EngineError::BadResponse {
        status: Some(200),
        detail: "the answer is cut off before its end".into(),
        answer: Default::default(),
    };
    assert_eq!(diagnose(&words_only, &Context::default()).code, "response.unusable");
}

#[test]
fn custody_refusals_say_what_happened_and_offer_no_retry() {
    let ctx = Context::default();
    let d = diagnose(&EngineError::InsecureDestination { url: "http://evil.example".into() }, &ctx);
    assert_eq!(d.code, "custody.insecure_destination");
    assert!(
        d.what_happened[0].contains("http://evil.example") && d.what_to_do[0].contains("https://"),
        "{d:?}"
    );
    let d = diagnose(
        &EngineError::PageLinkElsewhere {
            host: "collect.example".into(),
            api: "api.scopestack.io".into(),
        },
        &ctx,
    );
    assert_eq!(d.code, "custody.page_link_elsewhere");
    assert!(
        d.title.contains("collect.example") && d.what_happened[0].contains("api.scopestack.io"),
        "{d:?}"
    );
    assert!(!d.fixes.contains(&Fix::Retry), "retrying would not help: {:?}", d.fixes);
}
