//! `POST /oauth/revoke` and `GET /oauth/token/info`.

use crate::common::*;
use reqwest::header::{CACHE_CONTROL, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use sandbox::*;
use serde_json::{json, Value};

async fn revoke(sb: &Sandbox, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    let resp =
        http().post(format!("{}/oauth/revoke", sb.base_url())).form(fields).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

async fn info(
    sb: &Sandbox,
    token: Option<&str>,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let mut req = http().get(format!("{}/oauth/token/info", sb.base_url()));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    (status, resp.json().await.unwrap(), headers)
}

async fn refresh_with(sb: &Sandbox, refresh: &str) -> StatusCode {
    token_request(
        sb,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", PASSWORD_CLIENT_ID),
            ("client_secret", PASSWORD_CLIENT_SECRET),
        ],
    )
    .await
    .0
}

const PW: [(&str, &str); 2] =
    [("client_id", PASSWORD_CLIENT_ID), ("client_secret", PASSWORD_CLIENT_SECRET)];

#[tokio::test]
async fn token_info_describes_a_valid_token() {
    let sb = start().await;
    let tokens = password_tokens(&sb, READONLY_EMAIL, READONLY_PASSWORD).await;
    let (status, body, headers) = info(&sb, tokens["access_token"].as_str()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    assert_eq!(body["resource_owner_id"], READONLY_USER_ID);
    assert_eq!(body["scope"], json!(["read", "write"]));
    let expires_in = body["expires_in"].as_u64().unwrap();
    assert!((7190..=7200).contains(&expires_in), "{expires_in}");
    assert_eq!(body["application"], json!({"uid": PASSWORD_CLIENT_ID}));
    assert_eq!(body["created_at"], tokens["created_at"]);
    let mut keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["application", "created_at", "expires_in", "resource_owner_id", "scope"]);
}

#[tokio::test]
async fn token_info_refuses_unknown_or_missing_tokens() {
    let sb = start().await;
    for token in [Some("garbage"), None] {
        let (status, body, headers) = info(&sb, token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body,
            json!({"error": "invalid_token", "error_description": "The access token is invalid"})
        );
        assert!(headers[WWW_AUTHENTICATE].to_str().unwrap().starts_with("Bearer realm="));
    }
}

#[tokio::test]
async fn revoking_an_access_token_kills_it_and_its_refresh_token() {
    let sb = start().await;
    let tokens = password_tokens(&sb, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(api_get(&sb, "/v1/me", access).await.status(), StatusCode::OK);
    let mut f = PW.to_vec();
    f.push(("token", access));
    assert_eq!(revoke(&sb, &f).await, (StatusCode::OK, json!({})));
    let resp = api_get(&sb, "/v1/me", access).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.text().await.unwrap(), UNAUTHORIZED);
    let (status, body, _) = info(&sb, Some(access)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Doorkeeper's token info does not say why (revoked, expired or unknown).
    assert_eq!(body["error_description"], "The access token is invalid");
    assert_eq!(
        refresh_with(&sb, tokens["refresh_token"].as_str().unwrap()).await,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn revoking_a_refresh_token_also_revokes_its_access_token() {
    let sb = start().await;
    let tokens = password_tokens(&sb, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let mut f = PW.to_vec();
    f.extend([("token", refresh), ("token_type_hint", "refresh_token")]);
    assert_eq!(revoke(&sb, &f).await, (StatusCode::OK, json!({})));
    assert_eq!(refresh_with(&sb, refresh).await, StatusCode::BAD_REQUEST);
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(api_get(&sb, "/v1/me", access).await.status(), StatusCode::UNAUTHORIZED);
    // Without a hint the refresh token is found as well.
    let tokens = password_tokens(&sb, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let mut f = PW.to_vec();
    f.push(("token", tokens["refresh_token"].as_str().unwrap()));
    assert_eq!(revoke(&sb, &f).await.0, StatusCode::OK);
    assert_eq!(
        api_get(&sb, "/v1/me", tokens["access_token"].as_str().unwrap()).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn unknown_or_missing_tokens_answer_200() {
    let sb = start().await;
    let mut f = PW.to_vec();
    f.push(("token", "never-issued"));
    assert_eq!(revoke(&sb, &f).await, (StatusCode::OK, json!({})));
    assert_eq!(revoke(&sb, &PW).await, (StatusCode::OK, json!({})));
}

#[tokio::test]
async fn revoke_needs_client_authentication() {
    let sb = start().await;
    let tokens = password_tokens(&sb, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let access = tokens["access_token"].as_str().unwrap();
    for fields in [
        vec![("token", access)],
        vec![("token", access), ("client_id", PASSWORD_CLIENT_ID), ("client_secret", "wrong")],
    ] {
        let (status, body) = revoke(&sb, &fields).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body, json!({"error": "invalid_client", "error_description": INVALID_CLIENT}));
    }
    assert_eq!(api_get(&sb, "/v1/me", access).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn another_clients_token_is_not_revoked() {
    let sb = start().await;
    let tokens = password_tokens(&sb, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let access = tokens["access_token"].as_str().unwrap();
    let (status, body) = revoke(
        &sb,
        &[
            ("token", access),
            ("client_id", SERVICE_CLIENT_ID),
            ("client_secret", SERVICE_CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!({"error": "unauthorized_client", "error_description": "You are not authorized to revoke this token"})
    );
    assert_eq!(api_get(&sb, "/v1/me", access).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn revoke_accepts_http_basic() {
    let sb = start().await;
    let token = service_token(&sb).await;
    let resp = http()
        .post(format!("{}/oauth/revoke", sb.base_url()))
        .basic_auth(SERVICE_CLIENT_ID, Some(SERVICE_CLIENT_SECRET))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(api_get(&sb, "/v1/me", &token).await.status(), StatusCode::UNAUTHORIZED);
}
