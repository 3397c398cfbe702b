//! Revoking (RFC 7009, and servers without it) and verifying with `GET /v1/me`.

use crate::common::*;
use engine::profiles::Method;
use engine::session::{Credentials, RevokeOutcome};
use engine::tokens::{now_unix, ExpirySource, TokenSet};
use engine::vault::SecretKind;
use engine::{EngineError, ErrorKind, Secret};

fn assert_api_401_sign_in_again(err: &EngineError) {
    match err {
        EngineError::Api { status, message, .. } => {
            assert_eq!(*status, 401);
            assert!(message.contains("Sign in again"), "{message}");
        }
        other => panic!("expected the API's 401, got {other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::AuthRefused);
}

const DONE: RevokeOutcome = RevokeOutcome { revoked_on_server: true, deleted_locally: true };
const LOCAL_ONLY: RevokeOutcome = RevokeOutcome { revoked_on_server: false, deleted_locally: true };

#[tokio::test]
async fn revoking_a_password_token_kills_both_tokens_and_empties_the_vault() {
    let sb = sandbox().await;
    let engine = engine();
    let target = password_target(&sb, sandbox::ADMIN_EMAIL);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    let tokens = engine
        .obtain_direct(
            &target,
            &Credentials { client_secret: None, password: secret(sandbox::ADMIN_PASSWORD) },
        )
        .await
        .unwrap();
    engine.verify(&target).await.expect("works before");

    assert_eq!(engine.revoke(&target).await.expect("revoke"), DONE);
    assert_eq!(engine.stored_tokens(&target).unwrap(), None, "no tokens left here");
    assert_eq!(engine.vault.get(&target.profile.id, SecretKind::Tokens).unwrap(), None);
    // The client secret is a setting, not a token: it stays.
    assert!(engine.vault.get(&target.profile.id, SecretKind::ClientSecret).unwrap().is_some());

    let err =
        engine::verify::verify(engine.http(), &target.endpoints.api_url, &tokens.access_token)
            .await
            .unwrap_err();
    assert_api_401_sign_in_again(&err);
    let (status, body) = raw_token_request(
        &sb,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", sandbox::PASSWORD_CLIENT_ID),
            ("client_secret", sandbox::PASSWORD_CLIENT_SECRET),
            ("refresh_token", tokens.refresh_token.as_ref().unwrap().expose()),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "the refresh token is dead too"
    );
    assert!(matches!(engine.verify(&target).await, Err(EngineError::NoToken)));
}

#[tokio::test]
async fn revoking_client_credentials_and_browser_tokens_works_with_body_and_basic() {
    let sb = sandbox().await;
    let engine = engine();
    for target in [service_target(&sb), with_basic(service_target(&sb))] {
        engine
            .remember(
                &target,
                SecretKind::ClientSecret,
                &Secret::new(sandbox::SERVICE_CLIENT_SECRET),
            )
            .unwrap();
        let tokens = engine.obtain_direct(&target, &Credentials::default()).await.unwrap();
        assert_eq!(engine.revoke(&target).await.unwrap(), DONE, "{:?}", target.profile.client_auth);
        let err =
            engine::verify::verify(engine.http(), &target.endpoints.api_url, &tokens.access_token)
                .await
                .unwrap_err();
        assert_api_401_sign_in_again(&err);
    }

    let target = browser_target(&sb);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::BROWSER_CLIENT_SECRET))
        .unwrap();
    let browser = ScriptedBrowser::new(Person::readonly());
    let tokens = engine
        .sign_in_with_loopback(
            &target,
            &Credentials::default(),
            &browser,
            std::time::Duration::from_secs(10),
            &Default::default(),
            &no_progress(),
        )
        .await
        .unwrap();
    assert_eq!(engine.revoke(&target).await.unwrap(), DONE);
    assert_api_401_sign_in_again(
        &engine::verify::verify(engine.http(), &target.endpoints.api_url, &tokens.access_token)
            .await
            .unwrap_err(),
    );
}

#[tokio::test]
async fn revoking_with_nothing_stored_is_fine() {
    let sb = sandbox().await;
    assert_eq!(engine().revoke(&service_target(&sb)).await.unwrap(), LOCAL_ONLY);
}

#[tokio::test]
async fn a_refused_revocation_still_deletes_the_tokens_here() {
    let sb = sandbox().await;
    let engine = engine();
    let target = service_target(&sb);
    let tokens =
        engine.obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET)).await.unwrap();
    // The kept client secret is wrong (or was never kept): the server will not revoke.
    engine.remember(&target, SecretKind::ClientSecret, &Secret::new("stale-secret")).unwrap();
    let err = engine.revoke(&target).await.unwrap_err();
    match &err {
        EngineError::Refused { error, hint, .. } => {
            assert_eq!(error, "invalid_client");
            assert!(hint.contains("client secret"), "{hint}");
        }
        other => panic!("expected invalid_client, got {other:?}"),
    }
    assert_eq!(
        engine.stored_tokens(&target).unwrap(),
        None,
        "deleted here whatever the server said"
    );
    // Honest: the token still works on the server.
    engine::verify::verify(engine.http(), &target.endpoints.api_url, &tokens.access_token)
        .await
        .expect("still valid there");
}

fn fake_tokens(method: Method) -> TokenSet {
    TokenSet {
        access_token: Secret::new("fake-access"),
        token_type: "Bearer".into(),
        refresh_token: Some(Secret::new("fake-refresh")),
        scope: Some("read write".into()),
        issued_at: now_unix(),
        expires_at: Some(now_unix() + 7200),
        expiry_source: ExpirySource::ExpiresIn,
        obtained_with: method,
    }
}

#[tokio::test]
async fn a_server_whose_token_url_has_no_revoke_beside_it_is_not_asked() {
    let server = FakeServer::start(|_| (200, token_json("issued-access", None, 7200))).await;
    let mut ep = server.endpoints();
    ep.token_url = server.base.join("/connect/tokens").unwrap();
    let target = target_at(ep, "idp", Method::ClientCredentials, "cid", "");
    let engine = engine();
    engine.obtain_direct(&target, &creds("s")).await.unwrap();
    assert_eq!(engine.revoke(&target).await.unwrap(), LOCAL_ONLY);
    assert_eq!(engine.stored_tokens(&target).unwrap(), None);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/connect/tokens"], "no revocation request was sent");
}

#[tokio::test]
async fn a_server_answering_404_for_revoke_is_reported_as_not_revoked() {
    let server = FakeServer::start(|req| {
        if req.path == "/oauth/revoke" {
            (404, r#"{"error":"not_found"}"#.into())
        } else {
            (500, "{}".into())
        }
    })
    .await;
    let target = target_at(server.endpoints(), "old", Method::Password, "cid", "svc@example.test");
    let engine = engine();
    engine.vault.set_tokens(&target.profile.id, &fake_tokens(Method::Password)).unwrap();
    engine.remember(&target, SecretKind::ClientSecret, &Secret::new("s")).unwrap();
    assert_eq!(engine.revoke(&target).await.unwrap(), LOCAL_ONLY);
    assert_eq!(engine.stored_tokens(&target).unwrap(), None);
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one try, then it stops: {requests:?}");
    assert_eq!(requests[0].path, "/oauth/revoke");
    assert_eq!(requests[0].field("token").as_deref(), Some("fake-refresh"));
    assert_eq!(requests[0].field("token_type_hint").as_deref(), Some("refresh_token"));
    assert_eq!(requests[0].field("client_id").as_deref(), Some("cid"));
}

#[tokio::test]
async fn verify_reads_who_and_which_account() {
    let sb = sandbox().await;
    let engine = engine();
    let target = service_target(&sb);
    engine.obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET)).await.unwrap();
    let me = engine.verify(&target).await.expect("verify");
    assert_eq!(me.user_id, sandbox::ADMIN_USER_ID.to_string());
    assert_eq!(me.name, "Avery Admin");
    assert_eq!(me.email, sandbox::ADMIN_EMAIL);
    assert_eq!(me.account_slug, "sandbox-demo");
    assert_eq!(me.account_id, "1001");
    assert!(me.privileges.len() >= 5, "{:?}", me.privileges);
    assert!(me.privileges.iter().any(|p| p.privilege == "projects.overview"));
    assert!(me.privileges.iter().all(|p| p.access_level == "manage"), "{:?}", me.privileges);
}

#[tokio::test]
async fn verify_shows_a_read_only_user_as_view() {
    let sb = sandbox().await;
    let engine = engine();
    let target = password_target(&sb, sandbox::READONLY_EMAIL);
    engine
        .obtain_direct(
            &target,
            &creds_pw(sandbox::PASSWORD_CLIENT_SECRET, sandbox::READONLY_PASSWORD),
        )
        .await
        .unwrap();
    let me = engine.verify(&target).await.expect("verify");
    assert_eq!((me.email.as_str(), me.name.as_str()), (sandbox::READONLY_EMAIL, "Riley Reader"));
    assert_eq!((me.account_slug.as_str(), me.account_id.as_str()), ("sandbox-demo", "1001"));
    assert!(!me.privileges.is_empty());
    assert!(me.privileges.iter().all(|p| p.access_level == "view"), "{:?}", me.privileges);
}

#[tokio::test]
async fn verify_after_the_user_is_deactivated_is_a_401_that_says_sign_in_again() {
    let sb = sandbox().await;
    let engine = engine();
    let target = password_target(&sb, sandbox::READONLY_EMAIL);
    engine
        .obtain_direct(
            &target,
            &creds_pw(sandbox::PASSWORD_CLIENT_SECRET, sandbox::READONLY_PASSWORD),
        )
        .await
        .unwrap();
    sb.set_user_active(sandbox::READONLY_EMAIL, false);
    assert_api_401_sign_in_again(&engine.verify(&target).await.unwrap_err());
}

#[tokio::test]
async fn verify_against_the_wrong_api_url_says_to_check_it() {
    let sb = sandbox().await;
    let engine = engine();
    let mut target = service_target(&sb);
    engine.obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET)).await.unwrap();
    target.endpoints.api_url = target.endpoints.api_url.join("/nowhere/").unwrap();
    match engine.verify(&target).await.unwrap_err() {
        EngineError::Api { status: 404, message, .. } => {
            assert!(message.contains("Check the API URL"), "{message}")
        }
        other => panic!("expected the API's 404, got {other:?}"),
    }
}

#[tokio::test]
async fn revocation_sends_basic_credentials_the_way_token_requests_do() {
    // RFC 6749 §2.3.1: id and secret are form-encoded before Basic; Doorkeeper decodes them. A
    // secret with reserved characters must reach the revoke endpoint as it reaches the token one.
    let server = FakeServer::start(|req| {
        if req.path == "/oauth/revoke" {
            (200, "{}".into())
        } else {
            (200, token_json("a", Some("r"), 7200))
        }
    })
    .await;
    let target = with_basic(target_at(
        server.endpoints(),
        "basic",
        Method::Password,
        "cid 1",
        "svc@example.test",
    ));
    let engine = engine();
    engine.remember(&target, SecretKind::ClientSecret, &Secret::new("s3cr/et:+%")).unwrap();
    engine
        .obtain_direct(&target, &Credentials { client_secret: None, password: secret("p") })
        .await
        .unwrap();
    assert_eq!(engine.revoke(&target).await.unwrap(), DONE);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "token, revoke refresh, revoke access: {requests:?}");
    let token_auth = requests[0].header("authorization").expect("Basic on the token request");
    for revoke in &requests[1..] {
        assert_eq!(revoke.path, "/oauth/revoke");
        assert_eq!(
            revoke.header("authorization").as_deref(),
            Some(token_auth.as_str()),
            "same Basic credentials as the token request"
        );
        assert_eq!(revoke.field("client_secret"), None);
    }
    assert_eq!(requests[1].field("token").as_deref(), Some("r"));
    assert_eq!(requests[2].field("token").as_deref(), Some("a"));
}
