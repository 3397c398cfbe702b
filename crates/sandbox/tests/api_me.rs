//! `GET /v1/me`, and the 401/406 rules every API call follows.

use std::time::Duration;

use crate::common::*;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::StatusCode;
use sandbox::*;
use serde_json::{json, Value};

async fn me_with(
    sb: &Sandbox,
    auth: Option<&str>,
    accept: Option<&str>,
) -> (StatusCode, String, String) {
    let mut req = http().get(format!("{}/v1/me", sb.base_url()));
    if let Some(a) = auth {
        req = req.header(AUTHORIZATION, a);
    }
    if let Some(a) = accept {
        req = req.header(ACCEPT, a);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let ct = resp
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, ct, resp.text().await.unwrap())
}

fn not_acceptable(specified: &str) -> Value {
    json!({"errors": [{
        "title": "Not acceptable",
        "detail": format!("All requests must use the 'application/vnd.api+json' Accept without media type parameters. This request specified '{specified}'."),
        "code": "406",
        "status": "406",
    }]})
}

#[tokio::test]
async fn me_describes_the_admin() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let resp = api_get(&sb, "/v1/me", &token).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], JSONAPI);
    let body: Value = resp.json().await.unwrap();
    let data = &body["data"];
    assert_eq!(data["id"], ADMIN_USER_ID.to_string());
    assert_eq!(data["type"], "mes");
    assert_eq!(data["links"]["self"], format!("{}/v1/mes", sb.base_url()));
    let a = &data["attributes"];
    assert_eq!(a["name"], "Avery Admin");
    assert!(a["title"].is_string());
    assert_eq!(a["email"], ADMIN_EMAIL);
    assert_eq!(a["phone"], "");
    assert_eq!(a["account-id"], 1001);
    assert_eq!(a["account-slug"], "sandbox-demo");
    assert_eq!(a["site-admin"], false);
    assert_eq!(a["uuid"].as_str().unwrap().len(), 36);
    let privileges = a["privileges"].as_array().unwrap();
    assert!(
        privileges.contains(&json!({"privilege": "projects.overview", "access-level": "manage"}))
    );
    assert!(privileges.iter().all(|p| p["access-level"] == "manage"));
    let mut keys: Vec<&String> = a.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "account-id",
            "account-slug",
            "email",
            "name",
            "phone",
            "privileges",
            "site-admin",
            "title",
            "uuid"
        ]
    );
}

#[tokio::test]
async fn read_only_users_have_view_privileges() {
    let sb = start().await;
    let (status, body) = api_json(&sb, "/v1/me", &readonly_token(&sb).await).await;
    assert_eq!(status, StatusCode::OK);
    let a = &body["data"]["attributes"];
    assert_eq!(a["name"], "Riley Reader");
    assert_eq!(body["data"]["id"], READONLY_USER_ID.to_string());
    let privileges = a["privileges"].as_array().unwrap();
    assert!(privileges.contains(&json!({"privilege": "projects.overview", "access-level": "view"})));
    assert!(privileges.iter().all(|p| p["access-level"] == "view"));
}

#[tokio::test]
async fn missing_or_malformed_tokens_get_the_exact_401_body() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let pasted_json = format!("Bearer {{\"access_token\":\"{token}\",\"token_type\":\"Bearer\"}}");
    let other = start().await;
    let foreign = admin_token(&other).await;
    let cases = [
        None,
        Some("Bearer".to_owned()),
        Some("Bearer ".to_owned()),
        Some("Bearer not-a-jwt".to_owned()),
        Some(pasted_json),
        Some(format!("Basic {token}")),
        Some(token.clone()),
        Some(format!("Bearer {foreign}")),
        Some(format!("Bearer {token}x")),
    ];
    for auth in cases {
        let (status, ct, body) = me_with(&sb, auth.as_deref(), Some(JSONAPI)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(ct, JSONAPI);
        assert_eq!(body, UNAUTHORIZED);
    }
    let (status, _, _) = me_with(&sb, Some(&format!("bearer {token}")), Some(JSONAPI)).await;
    assert_eq!(status, StatusCode::OK, "the scheme is case-insensitive");
}

#[tokio::test]
async fn expired_revoked_and_deactivated_tokens_get_401() {
    let sb = start_with(Duration::from_secs(1), Duration::from_secs(600)).await;
    let expiring = admin_token(&sb).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, _, body) = me_with(&sb, Some(&format!("Bearer {expiring}")), Some(JSONAPI)).await;
    assert_eq!((status, body.as_str()), (StatusCode::UNAUTHORIZED, UNAUTHORIZED));

    let sb = start().await;
    let token = readonly_token(&sb).await;
    assert_eq!(api_get(&sb, "/v1/me", &token).await.status(), StatusCode::OK);
    assert!(sb.set_user_active(READONLY_EMAIL, false));
    let resp = api_get(&sb, "/v1/me", &token).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.text().await.unwrap(), UNAUTHORIZED);
    assert!(sb.set_user_active(READONLY_EMAIL, true));
    assert_eq!(api_get(&sb, "/v1/me", &token).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn accept_must_include_the_jsonapi_media_type() {
    let sb = start().await;
    let auth = format!("Bearer {}", admin_token(&sb).await);
    let (status, body) = raw_request(
        &sb,
        &format!(
            "GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(status, 406);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), not_acceptable("none"));
    for (accept, specified) in [
        (Some("application/json"), "application/json"),
        (Some("*/*"), "*/*"),
        (
            Some("application/vnd.api+json; charset=utf-8"),
            "application/vnd.api+json; charset=utf-8",
        ),
    ] {
        let (status, ct, body) = me_with(&sb, Some(&auth), accept).await;
        assert_eq!(status, StatusCode::NOT_ACCEPTABLE, "{accept:?}");
        assert_eq!(ct, JSONAPI);
        assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), not_acceptable(specified));
    }
    for accept in [
        "application/vnd.api+json",
        "application/vnd.api+json, */*",
        "text/html, application/vnd.api+json",
    ] {
        let (status, _, _) = me_with(&sb, Some(&auth), Some(accept)).await;
        assert_eq!(status, StatusCode::OK, "{accept}");
    }
}

#[tokio::test]
async fn authentication_is_checked_before_accept() {
    let sb = start().await;
    let (status, _, body) = me_with(&sb, None, Some("application/json")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, UNAUTHORIZED);
}

#[tokio::test]
async fn mfa_user_behaves_as_an_admin_after_mfa() {
    let sb = start().await;
    let url = authorize_url(&sb, BROWSER_CLIENT_ID, BROWSER_REDIRECT_URI, &[]);
    let browser = browser();
    let html = browser.get(&url).send().await.unwrap().text().await.unwrap();
    let mfa = submit(&browser, &sb, &html, &[("email", MFA_EMAIL), ("password", MFA_PASSWORD)])
        .await
        .text()
        .await
        .unwrap();
    let resp = submit(&browser, &sb, &mfa, &[("one_time_code", MFA_ONE_TIME_CODE)]).await;
    let code = location_params(resp.headers())["code"].clone();
    let (_, tokens, _) = token_request(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", BROWSER_REDIRECT_URI),
            ("client_id", BROWSER_CLIENT_ID),
            ("client_secret", BROWSER_CLIENT_SECRET),
        ],
    )
    .await;
    let (status, me) = api_json(&sb, "/v1/me", tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["data"]["attributes"]["name"], "Morgan Multifactor");
    assert!(me["data"]["attributes"]["privileges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["access-level"] == "manage"));
}
