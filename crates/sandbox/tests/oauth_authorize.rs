//! The browser login: `/oauth/authorize` pages, redirects, MFA, sessions.

use crate::common::*;
use reqwest::header::{CONTENT_TYPE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;
use sandbox::*;

const LOOPBACK_OTHER_PORT: &str = "http://127.0.0.1:54321/callback";

async fn page(url: &str) -> (StatusCode, String, reqwest::header::HeaderMap) {
    let resp = http().get(url).send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    (status, resp.text().await.unwrap(), headers)
}

#[tokio::test]
async fn unknown_client_gets_an_error_page_not_a_redirect() {
    let sb = start().await;
    let (status, html, headers) =
        page(&authorize_url(&sb, "no-such-client", BROWSER_REDIRECT_URI, &[])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.get(LOCATION).is_none());
    assert!(headers[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(html.contains("An error has occurred"));
    assert!(html.contains("invalid_client"));
    assert!(html.contains(INVALID_CLIENT));
}

#[tokio::test]
async fn missing_client_id_gets_invalid_request_page() {
    let sb = start().await;
    let (status, html, headers) =
        page(&format!("{}/oauth/authorize?response_type=code", sb.base_url())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(headers.get(LOCATION).is_none());
    assert!(html.contains("invalid_request"));
    assert!(html.contains(INVALID_REQUEST));
}

#[tokio::test]
async fn mismatched_callback_gets_an_error_page_naming_the_registered_one() {
    let sb = start().await;
    let (status, html, headers) =
        page(&authorize_url(&sb, BROWSER_CLIENT_ID, "https://evil.example/callback", &[])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(headers.get(LOCATION).is_none());
    assert!(html.contains("invalid_redirect_uri"));
    assert!(html.contains(
        "The requested redirect uri is malformed or doesn&#39;t match client redirect URI."
    ));
    assert!(!html.contains("evil.example"), "the rejected callback is not echoed");
    // The Postman-registered client, used from a desktop app's loopback listener: the rehearsal case.
    let (status, html, _) =
        page(&authorize_url(&sb, POSTMAN_CLIENT_ID, LOOPBACK_OTHER_PORT, &[])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("invalid_redirect_uri"));
    assert!(html.contains(POSTMAN_REDIRECT_URI), "sandbox note names the registered callback");
    // The Postman client with its own callback is fine.
    let (status, _, _) =
        page(&authorize_url(&sb, POSTMAN_CLIENT_ID, POSTMAN_REDIRECT_URI, &[])).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_client_without_callbacks_cannot_use_the_browser_login() {
    let sb = start().await;
    let (status, html, _) =
        page(&authorize_url(&sb, SERVICE_CLIENT_ID, BROWSER_REDIRECT_URI, &[])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("invalid_redirect_uri"));
}

#[tokio::test]
async fn loopback_callback_matches_any_port_but_not_localhost_or_another_path() {
    let sb = start().await;
    for ok in [BROWSER_REDIRECT_URI, LOOPBACK_OTHER_PORT, "http://127.0.0.1:1/callback"] {
        let (status, html, _) = page(&authorize_url(&sb, BROWSER_CLIENT_ID, ok, &[])).await;
        assert_eq!(status, StatusCode::OK, "{ok}");
        assert!(html.contains("id=\"email\""), "{ok}");
    }
    for bad in [
        "http://localhost:8765/callback",
        "http://localhost:54321/callback",
        "http://127.0.0.1:54321/callback/",
        "http://127.0.0.1:54321/other",
        "https://127.0.0.1:8765/callback",
        "http://127.0.0.1:8765/callback?extra=1",
    ] {
        let (status, html, _) = page(&authorize_url(&sb, BROWSER_CLIENT_ID, bad, &[])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(html.contains("invalid_redirect_uri"), "{bad}");
    }
}

#[tokio::test]
async fn login_page_has_named_fields_buttons_client_name_and_hidden_request() {
    let sb = start().await;
    let (_, challenge) = pkce_pair();
    let url = authorize_url(
        &sb,
        BROWSER_CLIENT_ID,
        LOOPBACK_OTHER_PORT,
        &[
            ("state", "st-123"),
            ("scope", "read write"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    );
    let (status, html, headers) = page(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-store");
    for needle in [
        "id=\"email\" name=\"email\"",
        "id=\"password\" name=\"password\"",
        "id=\"sign_in\" name=\"sign_in\"",
        "id=\"deny\" name=\"deny\"",
        "Browser login (demo)",
        "Sign in",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("src=\"http"), "no external assets");
    assert!(!html.contains("href=\"http"), "no external assets");
    let hidden = hidden_fields(&html);
    for (k, v) in [
        ("client_id", BROWSER_CLIENT_ID),
        ("redirect_uri", LOOPBACK_OTHER_PORT),
        ("state", "st-123"),
        ("scope", "read write"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("response_type", "code"),
    ] {
        assert!(hidden.contains(&(k.to_owned(), v.to_owned())), "hidden {k}");
    }
}

#[tokio::test]
async fn echoed_values_are_html_escaped() {
    let sb = start().await;
    let nasty = "\"><script>alert(1)</script>";
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[("state", nasty)]);
    let (status, html, _) = page(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    // The escaped value still round-trips through the form to the redirect.
    let browser = browser();
    let resp =
        submit(&browser, &sb, &html, &[("email", nasty), ("password", "x"), ("sign_in", "1")])
            .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(!html.contains("<script>"));
    assert!(hidden_fields(&html).contains(&("state".to_owned(), nasty.to_owned())));
}

#[tokio::test]
async fn sign_in_redirects_with_code_and_exact_state_and_sets_a_session_cookie() {
    let sb = start().await;
    let state = "a b&c=d/é?x#y+z";
    let browser = browser();
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, LOOPBACK_OTHER_PORT, &[("state", state)]);
    let html = sign_in_page(&browser, &url).await;
    let resp = submit(
        &browser,
        &sb,
        &html,
        &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD), ("sign_in", "1")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let loc = location(resp.headers());
    assert!(loc.starts_with("http://127.0.0.1:54321/callback?"), "{loc}");
    let params = location_params(resp.headers());
    assert_eq!(params["state"], state);
    assert!(params["code"].len() >= 43);
    assert!(!params.contains_key("error"));
    let cookie = resp.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("_scopestack_sandbox_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
}

#[tokio::test]
async fn without_state_no_state_is_added() {
    let sb = start().await;
    let browser = browser();
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[]);
    let html = sign_in_page(&browser, &url).await;
    let resp =
        submit(&browser, &sb, &html, &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)]).await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let params = location_params(resp.headers());
    assert!(params.contains_key("code"));
    assert!(!params.contains_key("state"));
}

#[tokio::test]
async fn wrong_password_or_unknown_email_shows_the_form_again_with_an_error() {
    let sb = start().await;
    let browser = browser();
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[("state", "s")]);
    let html = sign_in_page(&browser, &url).await;
    for (email, password) in
        [(ADMIN_EMAIL, "wrong"), ("nobody@sandbox-demo.test", ADMIN_PASSWORD), (ADMIN_EMAIL, "")]
    {
        let resp = submit(
            &browser,
            &sb,
            &html,
            &[("email", email), ("password", password), ("sign_in", "1")],
        )
        .await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.headers().get(LOCATION).is_none());
        assert!(resp.headers().get(SET_COOKIE).is_none());
        let page = resp.text().await.unwrap();
        assert!(page.contains("id=\"error\""));
        assert!(page.contains("Invalid email or password."));
        assert!(page.contains(&format!("value=\"{email}\"")), "email kept");
        assert!(page.contains("id=\"password\""));
    }
}

#[tokio::test]
async fn deactivated_user_is_told_the_account_is_deactivated() {
    let sb = start().await;
    let browser = browser();
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[]);
    let html = sign_in_page(&browser, &url).await;
    let resp = submit(
        &browser,
        &sb,
        &html,
        &[("email", DEACTIVATED_EMAIL), ("password", DEACTIVATED_PASSWORD)],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.headers().get(LOCATION).is_none());
    let page = resp.text().await.unwrap();
    assert!(page.contains("Your account has been deactivated."));
    // With a wrong password, the deactivation is not revealed.
    let resp =
        submit(&browser, &sb, &html, &[("email", DEACTIVATED_EMAIL), ("password", "nope")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!resp.text().await.unwrap().contains("deactivated."));
}

#[tokio::test]
async fn mfa_user_must_enter_the_one_time_code() {
    let sb = start().await;
    let browser = browser();
    let (verifier, challenge) = pkce_pair();
    let url = authorize_url(
        &sb,
        BROWSER_CLIENT_ID,
        BROWSER_REDIRECT_URI,
        &[
            ("state", "mfa-state"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    );
    let html = sign_in_page(&browser, &url).await;
    let resp =
        submit(&browser, &sb, &html, &[("email", MFA_EMAIL), ("password", MFA_PASSWORD)]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().get(SET_COOKIE).is_none(), "no session before the code");
    let mfa = resp.text().await.unwrap();
    assert!(mfa.contains("one-time code"));
    assert!(mfa.contains("id=\"one_time_code\" name=\"one_time_code\""));
    assert!(!mfa.contains("id=\"password\""));

    let resp = submit(&browser, &sb, &mfa, &[("one_time_code", "000000"), ("verify", "1")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = resp.text().await.unwrap();
    assert!(again.contains("id=\"error\""));
    assert!(again.contains("That one-time code is not correct."));
    assert!(again.contains("id=\"one_time_code\""));

    let resp =
        submit(&browser, &sb, &again, &[("one_time_code", MFA_ONE_TIME_CODE), ("verify", "1")])
            .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert!(resp.headers().get(SET_COOKIE).is_some());
    let params = location_params(resp.headers());
    assert_eq!(params["state"], "mfa-state");
    let (status, body, _) = token_request(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("code", &params["code"]),
            ("redirect_uri", BROWSER_REDIRECT_URI),
            ("code_verifier", &verifier),
            ("client_id", BROWSER_CLIENT_ID),
            ("client_secret", BROWSER_CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, claims) = jwt_parts(body["access_token"].as_str().unwrap());
    assert_eq!(claims["user"]["id"], MFA_USER_ID);
    // The ticket is spent: submitting the code again starts over.
    let resp =
        submit(&browser, &sb, &again, &[("one_time_code", MFA_ONE_TIME_CODE), ("verify", "1")])
            .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("id=\"password\""));
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_state() {
    let sb = start().await;
    let browser = browser();
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[("state", "deny me")]);
    let html = sign_in_page(&browser, &url).await;
    let resp = submit(&browser, &sb, &html, &[("deny", "1")]).await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert!(location(resp.headers()).starts_with(BROWSER_REDIRECT_URI));
    let params = location_params(resp.headers());
    assert_eq!(params["error"], "access_denied");
    assert_eq!(params["error_description"], ACCESS_DENIED);
    assert_eq!(params["state"], "deny me");
    assert!(!params.contains_key("code"));
}

#[tokio::test]
async fn a_session_shows_continue_as_and_can_authorize_without_a_password() {
    let sb = start().await;
    let browser = browser();
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[("state", "one")]);
    browser_code(&sb, &browser, &url, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    let url = authorize_url(&sb, BROWSER_CLIENT_ID, LOOPBACK_OTHER_PORT, &[("state", "two")]);
    let resp = browser.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Continue as Avery Admin"));
    assert!(html.contains("id=\"authorize\" name=\"authorize\""));
    assert!(html.contains("id=\"deny\""));
    assert!(html.contains("id=\"switch_account\""));
    assert!(html.contains("Sign in as someone else"));
    assert!(!html.contains("id=\"password\""));

    let resp = submit(&browser, &sb, &html, &[("authorize", "1")]).await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert!(location(resp.headers()).starts_with(LOOPBACK_OTHER_PORT));
    let params = location_params(resp.headers());
    assert_eq!(params["state"], "two");
    assert!(params.contains_key("code"));

    // A browser without the cookie gets the login form.
    let (_, html, _) = page(&url).await;
    assert!(html.contains("id=\"password\""));
    // "authorize" without a session is refused.
    let resp = submit(&http(), &sb, &html, &[("authorize", "1")]).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().get(LOCATION).is_none());
}

#[tokio::test]
async fn sign_in_as_someone_else_ends_the_session() {
    let sb = start().await;
    let browser = browser();
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[]);
    browser_code(&sb, &browser, &url, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let html = sign_in_page(&browser, &url).await;
    assert!(html.contains("Continue as"));
    let resp = submit(&browser, &sb, &html, &[("switch_account", "1")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()[SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    let login = resp.text().await.unwrap();
    assert!(login.contains("id=\"password\""));
    let html = sign_in_page(&browser, &url).await;
    assert!(!html.contains("Continue as"));
    // Signing in as the read-only user now gives their code.
    let resp = submit(
        &browser,
        &sb,
        &login,
        &[("email", READONLY_EMAIL), ("password", READONLY_PASSWORD)],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let html = sign_in_page(&browser, &url).await;
    assert!(html.contains("Continue as Riley Reader"));
}

#[tokio::test]
async fn deactivating_a_user_ends_their_browser_session() {
    let sb = start().await;
    let browser = browser();
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[]);
    browser_code(&sb, &browser, &url, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert!(sb.set_user_active(ADMIN_EMAIL, false));
    let html = sign_in_page(&browser, &url).await;
    assert!(!html.contains("Continue as"));
    assert!(html.contains("id=\"password\""));
    assert!(!sb.set_user_active("nobody@example.test", false));
}

#[tokio::test]
async fn unsupported_or_missing_response_type_redirects_with_an_error() {
    let sb = start().await;
    let base = sb.base_url();
    let q = |rt: &str| {
        format!(
            "{base}/oauth/authorize?{}client_id={BROWSER_CLIENT_ID}&redirect_uri={}&state=rt",
            rt,
            url::form_urlencoded::byte_serialize(BROWSER_REDIRECT_URI.as_bytes())
                .collect::<String>()
        )
    };
    let resp = http().get(q("response_type=token&")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    let params = location_params(resp.headers());
    assert_eq!(params["error"], "unsupported_response_type");
    assert_eq!(
        params["error_description"],
        "The authorization server does not support this response type."
    );
    assert_eq!(params["state"], "rt");
    let resp = http().get(q("")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    let params = location_params(resp.headers());
    assert_eq!(params["error"], "invalid_request");
    assert_eq!(params["error_description"], INVALID_REQUEST);
}

#[tokio::test]
async fn pkce_method_other_than_s256_redirects_with_invalid_request() {
    let sb = start().await;
    let (_, challenge) = pkce_pair();
    for method in [Some("plain"), Some("S512"), None] {
        let mut extra = vec![("code_challenge", challenge.as_str()), ("state", "p")];
        if let Some(m) = method {
            extra.push(("code_challenge_method", m));
        }
        let resp = http()
            .get(authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &extra))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FOUND, "{method:?}");
        let params = location_params(resp.headers());
        assert_eq!(params["error"], "invalid_request");
        assert_eq!(params["error_description"], INVALID_REQUEST);
        assert_eq!(params["state"], "p");
    }
}

#[tokio::test]
async fn unknown_scope_redirects_with_invalid_scope() {
    let sb = start().await;
    let url =
        authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[("scope", "read admin")]);
    let resp = http().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    let params = location_params(resp.headers());
    assert_eq!(params["error"], "invalid_scope");
    assert_eq!(params["error_description"], INVALID_SCOPE);
}

#[tokio::test]
async fn the_form_post_is_validated_again() {
    let sb = start().await;
    let form = [
        ("response_type", "code"),
        ("client_id", BROWSER_CLIENT_ID),
        ("redirect_uri", "https://evil.example/cb"),
        ("email", ADMIN_EMAIL),
        ("password", ADMIN_PASSWORD),
    ];
    let resp =
        http().post(format!("{}/oauth/authorize", sb.base_url())).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.headers().get(LOCATION).is_none());
    assert!(resp.text().await.unwrap().contains("invalid_redirect_uri"));
}
