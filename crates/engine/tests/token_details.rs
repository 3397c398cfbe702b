//! Token details from the sandbox's `/oauth/token/info`, the 403 told apart by them (a missing
//! scope or a missing right), and the one silent retry on 401: a GET refused with a token revoked
//! behind the app's back is renewed and sent again; a POST is not; a second 401 is not retried.

use crate::requests_support::*;
use engine::diagnose::{codes, diagnose_exchange};
use engine::requests::send::RESENT_NOTE;
use engine::requests::{self as rq, ExchangeSummary, RequestSpec};
use engine::session::Credentials;
use engine::token_info;
use engine::vault::SecretKind;
use engine::Secret;

/// Revokes the profile's access token at the sandbox, as another app or an administrator
/// would: the engine is not told.
async fn revoke_behind_the_apps_back(s: &SandboxSession) {
    let response = reqwest::Client::new()
        .post(format!("{}/oauth/revoke", s.sandbox.base_url()))
        .form(&[
            ("client_id", sandbox::SERVICE_CLIENT_ID),
            ("client_secret", sandbox::SERVICE_CLIENT_SECRET),
            ("token", s.token().as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "the sandbox revoked the token");
}

/// Keeps the service account's secret, so the engine can renew without the user.
fn keep_secret(s: &SandboxSession) {
    s.engine
        .remember(&s.target, SecretKind::ClientSecret, &Secret::new(sandbox::SERVICE_CLIENT_SECRET))
        .unwrap();
}

async fn send(s: &SandboxSession, spec: RequestSpec) -> ExchangeSummary {
    rq::send(&s.engine, &s.target, &spec, &slug_vars(), &s.store, &s.cancel).await.unwrap()
}

#[tokio::test]
async fn token_details_come_from_the_servers_token_info_as_it_gave_them() {
    let s = SandboxSession::start().await;
    let stored = s.engine.stored_tokens(&s.target).unwrap().unwrap();
    let details = token_info::details(&s.engine, &s.target).await.unwrap();
    assert_eq!(details.scopes, ["read", "write"]);
    assert_eq!(details.client.as_deref(), Some(sandbox::SERVICE_CLIENT_ID));
    assert_eq!(details.resource_owner, Some(sandbox::ADMIN_USER_ID.to_string()));
    assert_eq!(details.issued_at, Some(stored.issued_at));
    let left = details.expires_at.unwrap() - details.fetched_at;
    assert!((7190..=7200).contains(&left), "{left}");
    assert_eq!(details.info.scope, serde_json::json!(["read", "write"]));
    assert_eq!(details.info.application, serde_json::json!({"uid": sandbox::SERVICE_CLIENT_ID}));
    assert!(details.info.other.is_empty(), "{:?}", details.info.other);
    assert!(!format!("{details:?}").contains(&s.token()), "no token in the details");

    // A revoked token is refused there too, in words.
    revoke_behind_the_apps_back(&s).await;
    match token_info::details(&s.engine, &s.target).await.unwrap_err() {
        engine::EngineError::Api { status: 401, message, .. } => {
            assert!(message.contains("expired or was revoked"), "{message}")
        }
        other => panic!("expected a 401, got {other:?}"),
    }
}

#[tokio::test]
async fn a_get_refused_with_a_revoked_token_is_renewed_and_sent_once_more() {
    let s = SandboxSession::start().await;
    keep_secret(&s);
    let refused = s.token();
    revoke_behind_the_apps_back(&s).await;
    let before = s.engine.renewal_tally();
    let r = send(&s, RequestSpec::get("{account-slug}/v1/clients")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&body_of(&s.store, r.id)));
    assert!(r.renewed_and_resent);
    assert_eq!(r.notes.first().map(String::as_str), Some(RESENT_NOTE));
    assert_eq!(s.engine.renewal_tally().since(&before).done(), 1, "renewed once");
    assert_ne!(s.token(), refused, "the renewed token is kept");
    // The kept answer is the second one; the next request goes with the new token at once.
    assert_eq!(s.store.summary(r.id).unwrap(), r);
    let again = send(&s, RequestSpec::get("{account-slug}/v1/clients")).await;
    assert_eq!((again.status, again.renewed_and_resent), (200, false));
    assert_eq!(s.engine.renewal_tally().since(&before).done(), 1);
}

#[tokio::test]
async fn the_account_slugs_lookup_refused_with_a_revoked_token_renews_it_once_too() {
    let s = SandboxSession::start().await;
    keep_secret(&s);
    revoke_behind_the_apps_back(&s).await;
    let before = s.engine.renewal_tally();
    // {account-slug} not given: it is read from /v1/me with the token, which is refused first.
    let spec = RequestSpec::get("{account-slug}/v1/projects");
    let r = rq::send(&s.engine, &s.target, &spec, &no_vars(), &s.store, &s.cancel).await.unwrap();
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&body_of(&s.store, r.id)));
    assert!(r.url.contains(&format!("/{}/v1/projects", sandbox::ACCOUNT_SLUG)), "{}", r.url);
    assert!(r.renewed_and_resent);
    assert_eq!(r.notes.first().map(String::as_str), Some(RESENT_NOTE));
    assert_eq!(s.engine.renewal_tally().since(&before).done(), 1, "one renewal for both");
}

#[tokio::test]
async fn a_post_refused_with_a_revoked_token_is_not_sent_again() {
    let s = SandboxSession::start().await;
    keep_secret(&s);
    let refused = s.token();
    revoke_behind_the_apps_back(&s).await;
    let before = s.engine.renewal_tally();
    let body = r#"{"data":{"type":"clients","attributes":{"name":"Sent Once Co"}}}"#;
    let r = send(&s, RequestSpec::new("POST", "{account-slug}/v1/clients").with_body(body)).await;
    assert_eq!(r.status, 401);
    assert!(!r.renewed_and_resent);
    assert!(!r.notes.iter().any(|n| n == RESENT_NOTE), "{:?}", r.notes);
    assert_eq!(s.engine.renewal_tally().since(&before).done(), 0, "no renewal for a write");
    assert_eq!(s.token(), refused);
    // Nothing was created behind the user's back.
    let clients = send(&s, RequestSpec::get("{account-slug}/v1/clients")).await;
    assert_eq!(clients.status, 200, "a GET renews and goes through");
    assert!(!String::from_utf8_lossy(&body_of(&s.store, clients.id)).contains("Sent Once Co"));
}

#[tokio::test]
async fn a_second_401_is_not_retried_again() {
    let s = SandboxSession::start().await;
    keep_secret(&s);
    // The service account acts as the admin: with the admin deactivated, every token the
    // sandbox issues for it is refused by the API, the renewed one too.
    assert!(s.sandbox.set_user_active(sandbox::ADMIN_EMAIL, false));
    let before = s.engine.renewal_tally();
    let r = send(&s, RequestSpec::get("/v1/me")).await;
    assert_eq!(r.status, 401);
    assert!(r.renewed_and_resent, "the first 401 was answered by one renewal");
    assert_eq!(s.engine.renewal_tally().since(&before).done(), 1, "and only one");
    let d = diagnose_exchange(&s.engine, &s.target, &s.store, &r).unwrap();
    assert!(d.code.starts_with("api.unauthorized"), "{}", d.code);
}

#[tokio::test]
async fn without_a_way_to_renew_the_first_answer_stands() {
    // The client secret was given for the first token only, not kept.
    let s = SandboxSession::start().await;
    revoke_behind_the_apps_back(&s).await;
    let r = send(&s, RequestSpec::get("/v1/me")).await;
    assert_eq!(r.status, 401);
    assert!(!r.renewed_and_resent);
    assert!(r.notes.iter().any(|n| n.contains("renewing it failed")), "{:?}", r.notes);
}

/// A profile of the read-only user (password grant) asking for `scope`, with a token.
async fn readonly_session(scope: &str) -> SandboxSession {
    password_session(sandbox::READONLY_EMAIL, sandbox::READONLY_PASSWORD, scope).await
}

/// A profile of a user (password grant) asking for `scope`, with a token.
async fn password_session(email: &str, password: &str, scope: &str) -> SandboxSession {
    let mut s = SandboxSession::start().await;
    s.target.profile.method = engine::Method::Password;
    s.target.profile.client_id = sandbox::PASSWORD_CLIENT_ID.into();
    s.target.profile.username = email.into();
    s.target.profile.scope = scope.into();
    let creds = Credentials {
        client_secret: Some(Secret::new(sandbox::PASSWORD_CLIENT_SECRET)),
        password: Some(Secret::new(password)),
    };
    s.engine.obtain_direct(&s.target, &creds).await.unwrap();
    s
}

#[tokio::test]
async fn a_403_tells_a_missing_scope_from_a_missing_right_with_the_servers_token_details() {
    let change = || {
        RequestSpec::new("POST", "{account-slug}/v1/clients")
            .with_body(r#"{"data":{"type":"clients","attributes":{"name":"Refused Co"}}}"#)
    };
    // Every scope the write needs: the role is what refuses.
    let s = readonly_session("read write").await;
    let r = send(&s, change()).await;
    assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&body_of(&s.store, r.id)));
    assert_eq!(r.token_scopes, Some(vec!["read".to_string(), "write".to_string()]));
    let d = diagnose_exchange(&s.engine, &s.target, &s.store, &r).unwrap();
    assert_eq!(d.code, codes::API_FORBIDDEN_ROLE);
    assert!(d.what_happened[0].contains("ask an account admin"), "{:?}", d.what_happened);

    // A read-only token: the scope is what is missing.
    let s = readonly_session("read").await;
    let r = send(&s, change()).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.token_scopes, Some(vec!["read".to_string()]));
    let d = diagnose_exchange(&s.engine, &s.target, &s.store, &r).unwrap();
    assert_eq!(d.code, codes::API_FORBIDDEN_SCOPE);
    assert!(
        d.what_happened[0].contains("lacks the write scope (it has: read)"),
        "{:?}",
        d.what_happened
    );

    // An admin, who may write, with a read-only token: the sandbox refuses the scope, and the
    // diagnosis says so rather than sending the admin to an admin.
    let s = password_session(sandbox::ADMIN_EMAIL, sandbox::ADMIN_PASSWORD, "read").await;
    let r = send(&s, change()).await;
    assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&body_of(&s.store, r.id)));
    let d = diagnose_exchange(&s.engine, &s.target, &s.store, &r).unwrap();
    assert_eq!(d.code, codes::API_FORBIDDEN_SCOPE);
    let s = password_session(sandbox::ADMIN_EMAIL, sandbox::ADMIN_PASSWORD, "read write").await;
    assert_eq!(send(&s, change()).await.status, 201, "with the write scope the admin writes");
}

#[tokio::test]
async fn a_server_without_token_info_says_so_and_plain_http_elsewhere_is_never_asked() {
    let server = test_server().await;
    let http = reqwest::Client::new();
    let token = Secret::new("a-token");
    let token_url = server.base.join("oauth/token").unwrap();
    match token_info::fetch(&http, &token_url, &token).await.unwrap_err() {
        engine::EngineError::Api { status: 404, message, .. } => {
            assert!(message.contains("does not tell about tokens"), "{message}");
            assert!(message.contains("/oauth/token/info"), "{message}");
        }
        other => panic!("expected the 404 in words, got {other:?}"),
    }
    // The token would travel in the clear to another computer: nothing is sent.
    let elsewhere = url::Url::parse("http://192.0.2.1/oauth/token").unwrap();
    assert!(matches!(
        token_info::fetch(&http, &elsewhere, &token).await,
        Err(engine::EngineError::InsecureDestination { .. })
    ));
}

#[tokio::test]
async fn a_401_from_another_host_the_token_was_sent_to_does_not_renew_it() {
    let s = SandboxSession::start().await;
    keep_secret(&s);
    let elsewhere = test_server().await;
    let mut spec = RequestSpec::get(elsewhere.base.join("status/401").unwrap().as_str());
    spec.send_token_to_other_host = true;
    let before = s.engine.renewal_tally();
    let r = send(&s, spec).await;
    assert_eq!(r.status, 401);
    assert!(r.sent_profile_token, "the user chose to send it there");
    assert!(!r.renewed_and_resent, "another host's 401 says nothing of the token");
    assert_eq!(s.engine.renewal_tally().since(&before).done(), 0);
}
