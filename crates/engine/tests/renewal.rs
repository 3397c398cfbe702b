//! Keeping a token valid: `valid_token` renews inside the margin, each method the way it can
//! (refresh token, a fresh client-credentials request, the kept password), and says "sign in
//! again" when nothing is left to renew with.

use crate::common::*;
use engine::profiles::Method;
use engine::session::{Credentials, Engine, Target};
use engine::tokens::TokenSet;
use engine::vault::SecretKind;
use engine::{EngineError, Secret};
use sandbox::Sandbox;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Tokens live 30 s at the sandbox; the engine renews 60 s before expiry, so every token it gets
/// is due for renewal at once.
async fn short_lived() -> (Sandbox, Engine) {
    (
        sandbox_with(Duration::from_secs(30), Duration::from_secs(600)).await,
        engine().with_renew_margin(60),
    )
}

async fn refresh_status(
    sb: &Sandbox,
    client_id: &str,
    client_secret: &str,
    refresh: &Secret,
) -> (u16, Option<String>) {
    let (status, body) = raw_token_request(
        sb,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("refresh_token", refresh.expose()),
        ],
    )
    .await;
    (status, body["error"].as_str().map(String::from))
}

async fn api_status(engine: &Engine, target: &Target, token: &Secret) -> Result<(), u16> {
    match engine::verify::verify(engine.http(), &target.endpoints.api_url, token).await {
        Ok(_) => Ok(()),
        Err(EngineError::Api { status, .. }) => Err(status),
        Err(other) => panic!("unexpected {other:?}"),
    }
}

/// Asserts `renewed` replaced `old` with a working refresh and that the old refresh token is dead.
async fn assert_refreshed(
    sb: &Sandbox,
    engine: &Engine,
    target: &Target,
    old: &TokenSet,
    renewed: &TokenSet,
    client_secret: &str,
) {
    assert_ne!(renewed.access_token, old.access_token, "a new access token");
    let new_refresh = renewed.refresh_token.as_ref().expect("a new refresh token");
    assert_ne!(Some(new_refresh), old.refresh_token.as_ref(), "the refresh token rotated");
    assert_eq!(renewed.obtained_with, old.obtained_with, "still renewable the same way");
    assert_eq!(renewed.expires_at, Some(renewed.issued_at + 30));
    assert_eq!(
        engine.stored_tokens(target).unwrap().as_ref(),
        Some(renewed),
        "the new set is stored"
    );
    // The sandbox rotated: the old refresh token is refused now, the old access token too.
    let (status, error) = refresh_status(
        sb,
        &target.profile.client_id,
        client_secret,
        old.refresh_token.as_ref().unwrap(),
    )
    .await;
    assert_eq!((status, error.as_deref()), (400, Some("invalid_grant")));
    assert_eq!(api_status(engine, target, &old.access_token).await, Err(401));
    assert_eq!(api_status(engine, target, &renewed.access_token).await, Ok(()));
}

#[tokio::test]
async fn a_password_token_inside_the_margin_is_refreshed() {
    let (sb, engine) = short_lived().await;
    let target = password_target(&sb, sandbox::ADMIN_EMAIL);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    // The password is typed, not kept: renewal must come from the refresh token alone.
    let old = engine
        .obtain_direct(
            &target,
            &Credentials { client_secret: None, password: secret(sandbox::ADMIN_PASSWORD) },
        )
        .await
        .unwrap();
    let renewed = engine.valid_token(&target).await.expect("renewed");
    assert_refreshed(&sb, &engine, &target, &old, &renewed, sandbox::PASSWORD_CLIENT_SECRET).await;
    assert_eq!(renewed.scope.as_deref(), Some("read write"));
}

#[tokio::test]
async fn a_browser_token_inside_the_margin_is_refreshed() {
    let (sb, engine) = short_lived().await;
    let target = browser_target(&sb);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::BROWSER_CLIENT_SECRET))
        .unwrap();
    let browser = ScriptedBrowser::new(Person::admin());
    let old = engine
        .sign_in_with_loopback(
            &target,
            &Credentials::default(),
            &browser,
            Duration::from_secs(10),
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .expect("sign-in");
    let renewed = engine.valid_token(&target).await.expect("renewed");
    assert_eq!(renewed.obtained_with, Method::BrowserLogin);
    assert_refreshed(&sb, &engine, &target, &old, &renewed, sandbox::BROWSER_CLIENT_SECRET).await;
    // verify renews too, and works.
    assert_eq!(engine.verify(&target).await.unwrap().email, sandbox::ADMIN_EMAIL);
}

#[tokio::test]
async fn a_token_outside_the_margin_is_returned_as_is() {
    let sb = sandbox().await; // two-hour tokens
    let engine = engine().with_renew_margin(60);
    let target = service_target(&sb);
    let tokens =
        engine.obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET)).await.unwrap();
    assert_eq!(engine.valid_token(&target).await.unwrap(), tokens, "no renewal needed");
}

#[tokio::test]
async fn client_credentials_ask_again_with_the_kept_secret() {
    let (sb, engine) = short_lived().await;
    let target = service_target(&sb);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::SERVICE_CLIENT_SECRET))
        .unwrap();
    let old = engine.obtain_direct(&target, &Credentials::default()).await.unwrap();
    assert!(old.refresh_token.is_none());
    let renewed = engine.valid_token(&target).await.expect("a fresh client-credentials token");
    assert_ne!(renewed.access_token, old.access_token);
    assert!(renewed.refresh_token.is_none());
    assert_eq!(renewed.obtained_with, Method::ClientCredentials);
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(renewed.clone()));
    assert_eq!(api_status(&engine, &target, &renewed.access_token).await, Ok(()));
}

#[tokio::test]
async fn client_credentials_without_a_kept_secret_say_sign_in_again() {
    let (sb, engine) = short_lived().await;
    let target = service_target(&sb);
    let old = engine.obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET)).await.unwrap();
    let err = engine.valid_token(&target).await.unwrap_err();
    match &err {
        EngineError::SignInAgain { reason } => {
            assert!(reason.contains("no refresh token"), "{reason}")
        }
        other => panic!("expected SignInAgain, got {other:?}"),
    }
    assert!(err.to_string().starts_with("Sign in again"), "{err}");
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(old), "the old set is left as it was");
}

#[tokio::test]
async fn a_revoked_refresh_token_falls_back_to_the_kept_password() {
    let (sb, engine) = short_lived().await;
    let target = password_target(&sb, sandbox::READONLY_EMAIL);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    engine
        .remember(&target, SecretKind::Password, &Secret::new(sandbox::READONLY_PASSWORD))
        .unwrap();
    let old = engine.obtain_direct(&target, &Credentials::default()).await.unwrap();
    let old_refresh = old.refresh_token.clone().unwrap();
    raw_revoke(
        &sb,
        sandbox::PASSWORD_CLIENT_ID,
        sandbox::PASSWORD_CLIENT_SECRET,
        old_refresh.expose(),
    )
    .await;
    assert_eq!(
        refresh_status(
            &sb,
            sandbox::PASSWORD_CLIENT_ID,
            sandbox::PASSWORD_CLIENT_SECRET,
            &old_refresh
        )
        .await
        .0,
        400
    );

    let renewed = engine.valid_token(&target).await.expect("asked again with the kept password");
    assert_ne!(renewed.access_token, old.access_token);
    assert!(renewed.refresh_token.is_some() && renewed.refresh_token != old.refresh_token);
    assert_eq!(renewed.obtained_with, Method::Password);
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(renewed.clone()));
    assert_eq!(engine.verify(&target).await.unwrap().email, sandbox::READONLY_EMAIL);
}

#[tokio::test]
async fn a_revoked_refresh_token_without_a_kept_password_says_sign_in_again() {
    let (sb, engine) = short_lived().await;
    let target = password_target(&sb, sandbox::ADMIN_EMAIL);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    let old = engine
        .obtain_direct(
            &target,
            &Credentials { client_secret: None, password: secret(sandbox::ADMIN_PASSWORD) },
        )
        .await
        .unwrap();
    raw_revoke(
        &sb,
        sandbox::PASSWORD_CLIENT_ID,
        sandbox::PASSWORD_CLIENT_SECRET,
        old.refresh_token.as_ref().unwrap().expose(),
    )
    .await;
    let err = engine.valid_token(&target).await.unwrap_err();
    match &err {
        EngineError::SignInAgain { reason } => {
            assert!(reason.contains("expired or was revoked"), "{reason}")
        }
        other => panic!("expected SignInAgain, got {other:?}"),
    }
    assert_eq!(err.kind(), engine::ErrorKind::AuthRefused);
}

#[tokio::test]
async fn a_browser_token_whose_refresh_token_was_revoked_says_sign_in_again() {
    let (sb, engine) = short_lived().await;
    let target = browser_target(&sb);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::BROWSER_CLIENT_SECRET))
        .unwrap();
    let browser = ScriptedBrowser::new(Person::admin());
    let old = engine
        .sign_in_with_loopback(
            &target,
            &Credentials::default(),
            &browser,
            Duration::from_secs(10),
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .unwrap();
    raw_revoke(
        &sb,
        sandbox::BROWSER_CLIENT_ID,
        sandbox::BROWSER_CLIENT_SECRET,
        old.refresh_token.as_ref().unwrap().expose(),
    )
    .await;
    assert!(matches!(engine.renew(&target).await, Err(EngineError::SignInAgain { .. })));
}

#[tokio::test]
async fn a_user_deactivated_since_sign_in_cannot_renew() {
    let (sb, engine) = short_lived().await;
    let target = password_target(&sb, sandbox::READONLY_EMAIL);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    engine
        .remember(&target, SecretKind::Password, &Secret::new(sandbox::READONLY_PASSWORD))
        .unwrap();
    engine.obtain_direct(&target, &Credentials::default()).await.unwrap();
    sb.set_user_active(sandbox::READONLY_EMAIL, false);
    // The refresh is refused, and so is the password asked again: the server's own words.
    let err = engine.valid_token(&target).await.unwrap_err();
    assert!(
        matches!(&err, EngineError::Refused { error, .. } if error == "invalid_grant"),
        "{err:?}"
    );
    assert!(err.to_string().contains("deactivated"), "{err}");
}

#[tokio::test]
async fn nothing_stored_is_no_token() {
    let sb = sandbox().await;
    let engine = engine();
    let target = service_target(&sb);
    assert!(matches!(engine.valid_token(&target).await, Err(EngineError::NoToken)));
    assert!(matches!(engine.renew(&target).await, Err(EngineError::NoToken)));
    assert!(matches!(engine.verify(&target).await, Err(EngineError::NoToken)));
}

#[tokio::test]
async fn a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
    let refreshes = Arc::new(AtomicUsize::new(0));
    let seen = refreshes.clone();
    let server = FakeServer::start(move |req| match req.field("grant_type").as_deref() {
        Some("password") => (200, token_json("access-1", Some("refresh-1"), 10)),
        Some("refresh_token") if req.field("refresh_token").as_deref() == Some("refresh-1") => {
            seen.fetch_add(1, Ordering::SeqCst);
            // No refresh_token and no scope in the answer.
            (200, serde_json::json!({"access_token": format!("access-{}", 1 + seen.load(Ordering::SeqCst)), "token_type": "Bearer", "expires_in": 10}).to_string())
        }
        _ => (400, r#"{"error":"invalid_grant"}"#.into()),
    })
    .await;
    let engine = engine().with_renew_margin(60);
    let target = target_at(server.endpoints(), "fake", Method::Password, "cid", "svc@example.test");
    engine.remember(&target, SecretKind::ClientSecret, &Secret::new("s")).unwrap();
    engine
        .obtain_direct(&target, &Credentials { client_secret: None, password: secret("p") })
        .await
        .unwrap();

    let renewed = engine.valid_token(&target).await.expect("refreshed");
    assert_eq!(renewed.access_token, Secret::new("access-2"));
    assert_eq!(
        renewed.refresh_token,
        Some(Secret::new("refresh-1")),
        "the old refresh token is kept"
    );
    assert_eq!(renewed.scope.as_deref(), Some("read write"), "and so is the scope");
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(renewed));
    // And it is used again next time.
    let again = engine.valid_token(&target).await.expect("refreshed again with the kept token");
    assert_eq!(again.access_token, Secret::new("access-3"));
    assert_eq!(refreshes.load(Ordering::SeqCst), 2);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.field("refresh_token").as_deref(), Some("refresh-1"));
    assert_eq!(last.field("client_secret").as_deref(), Some("s"), "the kept client secret is sent");
}

#[tokio::test]
async fn two_callers_renewing_at_once_both_get_a_working_token() {
    // The desktop app's auto-renewal and a "verify" click can ask at the same moment; the
    // server rotates refresh tokens, so the second refresh must not reuse the first's token.
    let sb = sandbox().await;
    let engine = engine().with_renew_margin(60);
    let target = password_target(&sb, sandbox::ADMIN_EMAIL);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    let mut aging = engine
        .obtain_direct(
            &target,
            &Credentials { client_secret: None, password: secret(sandbox::ADMIN_PASSWORD) },
        )
        .await
        .unwrap();
    // A token that has aged to 5 seconds before expiry.
    aging.expires_at = Some(engine::tokens::now_unix() + 5);
    engine.vault.set_tokens(&target.profile.id, &aging).unwrap();

    let (a, b) = tokio::join!(engine.valid_token(&target), engine.valid_token(&target));
    let (a, b) = (a.expect("first caller"), b.expect("second caller"));
    assert_eq!(a, b, "renewed once, for both");
    assert_ne!(a.access_token, aging.access_token);
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(a.clone()));
    assert_eq!(api_status(&engine, &target, &a.access_token).await, Ok(()));
    let (status, _) = refresh_status(
        &sb,
        sandbox::PASSWORD_CLIENT_ID,
        sandbox::PASSWORD_CLIENT_SECRET,
        a.refresh_token.as_ref().unwrap(),
    )
    .await;
    assert_eq!(status, 200, "the stored refresh token is the live one");
}
