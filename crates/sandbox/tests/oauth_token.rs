//! `POST /oauth/token`: every grant's success shape and every error code and text.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common::*;
use reqwest::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use sandbox::*;
use serde_json::Value;

const OTHER_PORT_CALLBACK: &str = "http://127.0.0.1:40404/callback";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A code for the admin through the browser client, with an optional PKCE challenge.
async fn code_for(sb: &Sandbox, redirect_uri: &str, challenge: Option<&str>) -> String {
    let mut extra = vec![("state", "xyz")];
    if let Some(c) = challenge {
        extra.push(("code_challenge", c));
        extra.push(("code_challenge_method", "S256"));
    }
    let url = authorize_url(sb, BROWSER_CLIENT_ID, redirect_uri, &extra);
    browser_code(sb, &browser(), &url, ADMIN_EMAIL, ADMIN_PASSWORD).await
}

async fn exchange(
    sb: &Sandbox,
    code: &str,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("client_id", BROWSER_CLIENT_ID),
        ("client_secret", BROWSER_CLIENT_SECRET),
    ];
    if let Some(r) = redirect_uri {
        fields.push(("redirect_uri", r));
    }
    if let Some(v) = verifier {
        fields.push(("code_verifier", v));
    }
    token_request(sb, &fields).await
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[tokio::test]
async fn authorization_code_grant_returns_doorkeeper_shaped_tokens() {
    let sb = start().await;
    let (verifier, challenge) = pkce_pair();
    let code = code_for(&sb, OTHER_PORT_CALLBACK, Some(&challenge)).await;
    let before = now();
    let (status, body, headers) =
        exchange(&sb, &code, Some(OTHER_PORT_CALLBACK), Some(&verifier)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    assert!(headers[CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
    assert_eq!(
        keys(&body),
        ["access_token", "created_at", "expires_in", "refresh_token", "scope", "token_type"]
    );
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 7200);
    assert_eq!(body["scope"], "read write");
    let created = body["created_at"].as_u64().unwrap();
    assert!(created >= before && created <= now());
    let refresh = body["refresh_token"].as_str().unwrap();
    assert!(refresh.len() >= 43);
    assert!(refresh.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    // The token works against the API.
    let (status, me) = api_json(&sb, "/v1/me", body["access_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["data"]["attributes"]["email"], ADMIN_EMAIL);
}

#[tokio::test]
async fn access_tokens_are_hs512_jwts_without_exp() {
    let sb = start().await;
    let body = password_tokens(&sb, READONLY_EMAIL, READONLY_PASSWORD).await;
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3);
    let (header, claims) = jwt_parts(token);
    assert_eq!(header["alg"], "HS512");
    assert_eq!(claims["iss"], "ScopeStack");
    assert!(claims.get("exp").is_none(), "no exp claim: {claims}");
    assert_eq!(claims["iat"], body["created_at"]);
    assert!(claims["jti"].as_str().unwrap().len() >= 32);
    assert_eq!(claims["user"]["id"], READONLY_USER_ID);
    assert_eq!(claims["user"]["email"], READONLY_EMAIL);
    assert_eq!(claims["user"]["account"], ACCOUNT_SLUG);
    let other = password_tokens(&sb, READONLY_EMAIL, READONLY_PASSWORD).await;
    assert_ne!(jwt_parts(other["access_token"].as_str().unwrap()).1["jti"], claims["jti"]);
}

#[tokio::test]
async fn pkce_right_wrong_and_missing_verifier() {
    let sb = start().await;
    let (verifier, challenge) = pkce_pair();
    let code = code_for(&sb, BROWSER_REDIRECT_URI, Some(&challenge)).await;
    let r = exchange(&sb, &code, Some(BROWSER_REDIRECT_URI), None).await;
    assert_oauth_error(&r, 400, "invalid_request", INVALID_REQUEST);
    let r = exchange(
        &sb,
        &code,
        Some(BROWSER_REDIRECT_URI),
        Some("not-the-verifier-at-all-0123456789-0123456789"),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
    // Failed attempts do not spend the code.
    let (status, body, _) = exchange(&sb, &code, Some(BROWSER_REDIRECT_URI), Some(&verifier)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_verifier_without_a_challenge_is_refused() {
    let sb = start().await;
    let code = code_for(&sb, BROWSER_REDIRECT_URI, None).await;
    let r = exchange(
        &sb,
        &code,
        Some(BROWSER_REDIRECT_URI),
        Some("unexpected-verifier-0123456789-0123456789"),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
    let (status, _, _) = exchange(&sb, &code, Some(BROWSER_REDIRECT_URI), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn redirect_uri_must_equal_the_one_used_at_authorize() {
    let sb = start().await;
    let code = code_for(&sb, OTHER_PORT_CALLBACK, None).await;
    let r = exchange(&sb, &code, None, None).await;
    assert_oauth_error(&r, 400, "invalid_request", INVALID_REQUEST);
    // Registered, and matching for the authorize step, but not the one used.
    let r = exchange(&sb, &code, Some(BROWSER_REDIRECT_URI), None).await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
    let r = exchange(&sb, &code, Some("http://127.0.0.1:40404/callback/"), None).await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
    let (status, _, _) = exchange(&sb, &code, Some(OTHER_PORT_CALLBACK), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn codes_are_single_use_and_a_replay_revokes_the_tokens() {
    let sb = start().await;
    let code = code_for(&sb, BROWSER_REDIRECT_URI, None).await;
    let (status, first, _) = exchange(&sb, &code, Some(BROWSER_REDIRECT_URI), None).await;
    assert_eq!(status, StatusCode::OK);
    let access = first["access_token"].as_str().unwrap();
    assert_eq!(api_get(&sb, "/v1/me", access).await.status(), StatusCode::OK);
    let r = exchange(&sb, &code, Some(BROWSER_REDIRECT_URI), None).await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
    assert_eq!(api_get(&sb, "/v1/me", access).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_codes_are_refused() {
    let sb = start_with(Duration::from_secs(7200), Duration::from_secs(1)).await;
    let code = code_for(&sb, BROWSER_REDIRECT_URI, None).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let r = exchange(&sb, &code, Some(BROWSER_REDIRECT_URI), None).await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
}

#[tokio::test]
async fn unknown_codes_and_codes_of_other_clients_are_refused() {
    let sb = start().await;
    let r = exchange(&sb, "no-such-code", Some(BROWSER_REDIRECT_URI), None).await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
    let code = code_for(&sb, BROWSER_REDIRECT_URI, None).await;
    let r = token_request(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", BROWSER_REDIRECT_URI),
            ("client_id", POSTMAN_CLIENT_ID),
            ("client_secret", POSTMAN_CLIENT_SECRET),
        ],
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
    let r = exchange(&sb, &code, Some(BROWSER_REDIRECT_URI), None).await;
    assert_eq!(r.0, StatusCode::OK, "still usable by its own client");
    let r = token_request(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", BROWSER_CLIENT_ID),
            ("client_secret", BROWSER_CLIENT_SECRET),
        ],
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request", INVALID_REQUEST);
}

#[tokio::test]
async fn client_credentials_has_no_refresh_token_and_acts_as_the_admin() {
    let sb = start().await;
    let (status, body, headers) = token_request(
        &sb,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", SERVICE_CLIENT_ID),
            ("client_secret", SERVICE_CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    assert_eq!(keys(&body), ["access_token", "created_at", "expires_in", "scope", "token_type"]);
    assert_eq!(body["scope"], "read write");
    assert_eq!(body["expires_in"], 7200);
    let (_, claims) = jwt_parts(body["access_token"].as_str().unwrap());
    assert_eq!(claims["user"]["id"], ADMIN_USER_ID);
    let (_, me) = api_json(&sb, "/v1/me", body["access_token"].as_str().unwrap()).await;
    assert_eq!(me["data"]["attributes"]["email"], ADMIN_EMAIL);
}

#[tokio::test]
async fn scopes_may_be_narrowed_but_not_invented() {
    let sb = start().await;
    let base = [
        ("grant_type", "client_credentials"),
        ("client_id", SERVICE_CLIENT_ID),
        ("client_secret", SERVICE_CLIENT_SECRET),
    ];
    let mut f = base.to_vec();
    f.push(("scope", "read"));
    let (status, body, _) = token_request(&sb, &f).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["scope"], "read");
    let mut f = base.to_vec();
    f.push(("scope", "read admin"));
    assert_oauth_error(&token_request(&sb, &f).await, 400, "invalid_scope", INVALID_SCOPE);
    let f = [
        ("grant_type", "password"),
        ("client_id", PASSWORD_CLIENT_ID),
        ("client_secret", PASSWORD_CLIENT_SECRET),
        ("username", ADMIN_EMAIL),
        ("password", ADMIN_PASSWORD),
        ("scope", "delete"),
    ];
    assert_oauth_error(&token_request(&sb, &f).await, 400, "invalid_scope", INVALID_SCOPE);
}

#[tokio::test]
async fn password_grant_success_and_its_refusals() {
    let sb = start().await;
    let body = password_tokens(&sb, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(
        keys(&body),
        ["access_token", "created_at", "expires_in", "refresh_token", "scope", "token_type"]
    );
    assert_eq!(body["scope"], "read write");
    let with = |user: &'static str, pass: &'static str| {
        vec![
            ("grant_type", "password"),
            ("client_id", PASSWORD_CLIENT_ID),
            ("client_secret", PASSWORD_CLIENT_SECRET),
            ("username", user),
            ("password", pass),
        ]
    };
    // ScopeStack's documented pitfall: redirect_uri with the password grant.
    let mut f = with(ADMIN_EMAIL, ADMIN_PASSWORD);
    f.push(("redirect_uri", "https://oauth.pstmn.io/v1/callback"));
    assert_oauth_error(&token_request(&sb, &f).await, 400, "invalid_grant", INVALID_GRANT);
    for (user, pass) in [
        (ADMIN_EMAIL, "wrong"),
        ("nobody@sandbox-demo.test", "x"),
        (DEACTIVATED_EMAIL, DEACTIVATED_PASSWORD),
        (MFA_EMAIL, MFA_PASSWORD),
    ] {
        assert_oauth_error(
            &token_request(&sb, &with(user, pass)).await,
            400,
            "invalid_grant",
            INVALID_GRANT,
        );
    }
    let f = [
        ("grant_type", "password"),
        ("client_id", PASSWORD_CLIENT_ID),
        ("client_secret", PASSWORD_CLIENT_SECRET),
        ("password", "x"),
    ];
    assert_oauth_error(&token_request(&sb, &f).await, 400, "invalid_request", INVALID_REQUEST);
    // Case-insensitive email, like Devise.
    let body = password_tokens(&sb, "Admin@Sandbox-Demo.TEST", ADMIN_PASSWORD).await;
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn clients_may_only_use_their_own_grant() {
    let sb = start().await;
    let cases: [&[(&str, &str)]; 5] = [
        &[
            ("grant_type", "client_credentials"),
            ("client_id", BROWSER_CLIENT_ID),
            ("client_secret", BROWSER_CLIENT_SECRET),
        ],
        &[
            ("grant_type", "password"),
            ("client_id", SERVICE_CLIENT_ID),
            ("client_secret", SERVICE_CLIENT_SECRET),
            ("username", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
        ],
        &[
            ("grant_type", "password"),
            ("client_id", BROWSER_CLIENT_ID),
            ("client_secret", BROWSER_CLIENT_SECRET),
            ("username", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
        ],
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PASSWORD_CLIENT_ID),
            ("client_secret", PASSWORD_CLIENT_SECRET),
            ("code", "x"),
            ("redirect_uri", BROWSER_REDIRECT_URI),
        ],
        &[
            ("grant_type", "refresh_token"),
            ("client_id", SERVICE_CLIENT_ID),
            ("client_secret", SERVICE_CLIENT_SECRET),
            ("refresh_token", "x"),
        ],
    ];
    for fields in cases {
        assert_oauth_error(
            &token_request(&sb, fields).await,
            400,
            "unauthorized_client",
            UNAUTHORIZED_CLIENT,
        );
    }
}

#[tokio::test]
async fn unknown_or_missing_grant_type() {
    let sb = start().await;
    let r = token_request(
        &sb,
        &[
            ("grant_type", "implicit"),
            ("client_id", BROWSER_CLIENT_ID),
            ("client_secret", BROWSER_CLIENT_SECRET),
        ],
    )
    .await;
    assert_oauth_error(&r, 400, "unsupported_grant_type", UNSUPPORTED_GRANT_TYPE);
    let r = token_request(
        &sb,
        &[("client_id", BROWSER_CLIENT_ID), ("client_secret", BROWSER_CLIENT_SECRET)],
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request", INVALID_REQUEST);
    assert_eq!(r.2[CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn bad_client_credentials_are_invalid_client_401() {
    let sb = start().await;
    let cases: [&[(&str, &str)]; 4] = [
        &[
            ("grant_type", "client_credentials"),
            ("client_id", SERVICE_CLIENT_ID),
            ("client_secret", "wrong"),
        ],
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "sandbox-service-acc0unt"),
            ("client_secret", SERVICE_CLIENT_SECRET),
        ],
        &[("grant_type", "client_credentials"), ("client_id", SERVICE_CLIENT_ID)],
        &[("grant_type", "client_credentials")],
    ];
    for fields in cases {
        let r = token_request(&sb, fields).await;
        assert_oauth_error(&r, 401, "invalid_client", INVALID_CLIENT);
        assert!(r.2.get(WWW_AUTHENTICATE).is_none());
    }
}

#[tokio::test]
async fn http_basic_client_authentication() {
    let sb = start().await;
    let url = format!("{}/oauth/token", sb.base_url());
    let resp = http()
        .post(&url)
        .basic_auth(SERVICE_CLIENT_ID, Some(SERVICE_CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.json::<Value>().await.unwrap()["access_token"].is_string());

    let resp = http()
        .post(&url)
        .basic_auth(SERVICE_CLIENT_ID, Some("wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let challenge = resp.headers()[WWW_AUTHENTICATE].to_str().unwrap().to_owned();
    assert!(challenge.starts_with("Basic realm="), "{challenge}");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_description"], INVALID_CLIENT);

    let resp = http()
        .post(&url)
        .header(AUTHORIZATION, "Basic !!!not-base64")
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().get(WWW_AUTHENTICATE).is_some());
}

#[tokio::test]
async fn refresh_tokens_rotate_and_the_old_pair_dies() {
    let sb = start().await;
    let first = password_tokens(&sb, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let old_access = first["access_token"].as_str().unwrap();
    let old_refresh = first["refresh_token"].as_str().unwrap();
    let fields = |rt: &str, id: &'static str, secret: &'static str| {
        vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", rt.to_owned()),
            ("client_id", id.to_owned()),
            ("client_secret", secret.to_owned()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let url = format!("{}/oauth/token", sb.base_url());
        async move {
            let resp = http().post(url).form(&f).send().await.unwrap();
            let status = resp.status();
            let headers = resp.headers().clone();
            (status, resp.json::<Value>().await.unwrap(), headers)
        }
    };
    // Another client cannot use it.
    let r = send(fields(old_refresh, BROWSER_CLIENT_ID, BROWSER_CLIENT_SECRET)).await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);

    let (status, second, _) =
        send(fields(old_refresh, PASSWORD_CLIENT_ID, PASSWORD_CLIENT_SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(
        keys(&second),
        ["access_token", "created_at", "expires_in", "refresh_token", "scope", "token_type"]
    );
    assert_ne!(second["access_token"], first["access_token"]);
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_eq!(second["scope"], "read write");

    let r = send(fields(old_refresh, PASSWORD_CLIENT_ID, PASSWORD_CLIENT_SECRET)).await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
    assert_eq!(api_get(&sb, "/v1/me", old_access).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        api_get(&sb, "/v1/me", second["access_token"].as_str().unwrap()).await.status(),
        StatusCode::OK
    );

    // Narrowing on refresh is allowed, widening afterwards is not.
    let mut f = fields(
        second["refresh_token"].as_str().unwrap(),
        PASSWORD_CLIENT_ID,
        PASSWORD_CLIENT_SECRET,
    );
    f.push(("scope", "read".to_owned()));
    let (status, third, _) = send(f).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(third["scope"], "read");
    let mut f = fields(
        third["refresh_token"].as_str().unwrap(),
        PASSWORD_CLIENT_ID,
        PASSWORD_CLIENT_SECRET,
    );
    f.push(("scope", "read write".to_owned()));
    assert_oauth_error(&send(f).await, 400, "invalid_scope", INVALID_SCOPE);

    let r = send(fields("unknown-refresh-token", PASSWORD_CLIENT_ID, PASSWORD_CLIENT_SECRET)).await;
    assert_oauth_error(&r, 400, "invalid_grant", INVALID_GRANT);
    let r = send(vec![
        ("grant_type", "refresh_token".to_owned()),
        ("client_id", PASSWORD_CLIENT_ID.to_owned()),
        ("client_secret", PASSWORD_CLIENT_SECRET.to_owned()),
    ])
    .await;
    assert_oauth_error(&r, 400, "invalid_request", INVALID_REQUEST);
}

#[tokio::test]
async fn authorization_code_tokens_refresh_too() {
    let sb = start().await;
    let code = code_for(&sb, BROWSER_REDIRECT_URI, None).await;
    let (_, first, _) = exchange(&sb, &code, Some(BROWSER_REDIRECT_URI), None).await;
    let r = token_request(
        &sb,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", first["refresh_token"].as_str().unwrap()),
            ("client_id", BROWSER_CLIENT_ID),
            ("client_secret", BROWSER_CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(r.0, StatusCode::OK, "{}", r.1);
    assert!(r.1["refresh_token"].is_string());
}

#[tokio::test]
async fn token_lifetime_is_configurable_and_expired_tokens_are_refused() {
    let sb = start_with(Duration::from_secs(1), Duration::from_secs(600)).await;
    let body = password_tokens(&sb, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(body["expires_in"], 1);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(api_get(&sb, "/v1/me", token).await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let resp = api_get(&sb, "/v1/me", token).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.text().await.unwrap(), UNAUTHORIZED);
    let resp = http()
        .get(format!("{}/oauth/token/info", sb.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let info: Value = resp.json().await.unwrap();
    assert_eq!(info["error"], "invalid_token");
    assert_eq!(info["error_description"], "The access token is invalid");
    // The refresh token still gets a fresh access token.
    let r = token_request(
        &sb,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", body["refresh_token"].as_str().unwrap()),
            ("client_id", PASSWORD_CLIENT_ID),
            ("client_secret", PASSWORD_CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(r.0, StatusCode::OK);
}

#[tokio::test]
async fn json_bodies_are_accepted_like_form_bodies() {
    let sb = start().await;
    let resp = http()
        .post(format!("{}/oauth/token", sb.base_url()))
        .json(&serde_json::json!({
            "grant_type": "client_credentials",
            "client_id": SERVICE_CLIENT_ID,
            "client_secret": SERVICE_CLIENT_SECRET,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}
