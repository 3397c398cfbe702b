//! Token custody of kept secrets: a client secret or password is bound to the token URL's origin
//! it was given for, and a token set to the origins it was issued for. When a profile's URLs move
//! (settings edited, an import), its tokens are dropped and its kept secrets wait for the user's
//! word; auto-renew never sends a secret elsewhere. The other server is a real one, recording.

use crate::common::*;
use engine::profiles::Method;
use engine::session::{Credentials, Target};
use engine::tokens::TokenSet;
use engine::vault::SecretKind;
use engine::{EngineError, Secret};

/// The same profile (same id, so the same kept secrets) with its URLs moved to `server`.
fn moved_to(target: &Target, server: &FakeServer) -> Target {
    let mut moved = target_at(
        server.endpoints(),
        target.profile.id.as_str(),
        target.profile.method,
        &target.profile.client_id,
        &target.profile.username,
    );
    moved.profile.name = target.profile.name.clone();
    moved
}

/// A server that would hand out a token to anyone: it records what it was sent.
async fn collector() -> FakeServer {
    FakeServer::start(|_| (200, token_json("collected-token", None, 3600))).await
}

fn saw_secret(server: &FakeServer, secret: &str) -> bool {
    server
        .requests()
        .iter()
        .any(|r| r.body.contains(secret) || r.headers.iter().any(|(_, v)| v.contains(secret)))
}

#[tokio::test]
async fn a_kept_client_secret_does_not_follow_a_moved_token_url_until_confirmed() {
    let sb = sandbox().await;
    let engine = engine();
    let target = service_target(&sb);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::SERVICE_CLIENT_SECRET))
        .unwrap();
    engine
        .obtain_direct(&target, &Credentials::default())
        .await
        .expect("the kept secret works where it was given");

    let capture = collector().await;
    let moved = moved_to(&target, &capture);
    let err = engine.obtain_direct(&moved, &Credentials::default()).await.unwrap_err();
    assert!(matches!(err, EngineError::SecretGivenElsewhere { .. }), "{err:?}");
    let text = err.to_string();
    let (was, now) = (
        engine::origin::host_label(&target.endpoints.token_url),
        engine::origin::host_label(&capture.base),
    );
    assert!(text.contains(&was) && text.contains(&now), "both hosts are named: {text}");
    assert!(
        capture.requests().is_empty(),
        "nothing reached the new token URL: {:?}",
        capture.requests()
    );

    let waiting = engine.kept_secrets_moved(&moved).unwrap().expect("the kept secret waits");
    assert_eq!(
        (waiting.secrets, waiting.given_for.as_str(), waiting.now.as_str()),
        (vec!["client secret"], was.as_str(), now.as_str())
    );
    assert_eq!(
        engine.kept_secrets_moved(&target).unwrap(),
        None,
        "at its own origin nothing waits"
    );

    // The user's word: from now on it goes there.
    engine.confirm_kept_secrets(&moved).unwrap();
    assert_eq!(engine.kept_secrets_moved(&moved).unwrap(), None);
    engine.obtain_direct(&moved, &Credentials::default()).await.unwrap();
    assert!(
        saw_secret(&capture, sandbox::SERVICE_CLIENT_SECRET),
        "after confirming, the secret goes to the new token URL"
    );
}

#[tokio::test]
async fn a_secret_given_again_goes_and_is_kept_for_the_new_origin() {
    let sb = sandbox().await;
    let engine = engine();
    let target = service_target(&sb);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::SERVICE_CLIENT_SECRET))
        .unwrap();
    let capture = collector().await;
    let moved = moved_to(&target, &capture);
    engine
        .obtain_direct(&moved, &creds("typed-again-secret"))
        .await
        .expect("a secret typed for this request goes");
    assert!(
        saw_secret(&capture, "typed-again-secret")
            && !saw_secret(&capture, sandbox::SERVICE_CLIENT_SECRET)
    );
    engine.remember(&moved, SecretKind::ClientSecret, &Secret::new("typed-again-secret")).unwrap();
    assert_eq!(engine.kept_secrets_moved(&moved).unwrap(), None);
}

#[tokio::test]
async fn tokens_are_dropped_when_the_api_or_token_url_moves() {
    let sb = sandbox().await;
    let engine = engine();
    let target = service_target(&sb);
    engine.obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET)).await.unwrap();
    assert!(engine.stored_tokens(&target).unwrap().is_some());

    let capture = collector().await;
    let mut api_moved = target.clone();
    api_moved.endpoints.api_url = capture.base.clone();
    api_moved.profile.environment = engine::Environment::Server(api_moved.endpoints.clone());
    assert!(
        engine.stored_tokens(&api_moved).unwrap().is_none(),
        "a token issued for another API is not used"
    );
    assert!(
        engine.vault.get(&target.profile.id, SecretKind::Tokens).unwrap().is_none(),
        "it is deleted, not just hidden"
    );
    let err = engine.verify(&api_moved).await.unwrap_err();
    assert!(matches!(err, EngineError::NoToken), "{err:?}");
    assert!(
        capture.requests().is_empty(),
        "the moved API never saw the token: {:?}",
        capture.requests()
    );
}

#[tokio::test]
async fn auto_renew_never_sends_a_kept_secret_to_a_new_origin() {
    let sb = sandbox().await;
    let engine = engine();
    let target = password_target(&sb, sandbox::ADMIN_EMAIL);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    engine.remember(&target, SecretKind::Password, &Secret::new(sandbox::ADMIN_PASSWORD)).unwrap();
    // A token kept by an earlier version (no origins recorded), due for renewal, with no refresh token.
    let now = engine::tokens::now_unix();
    let expiring = TokenSet {
        access_token: Secret::new("old-token"),
        token_type: "Bearer".into(),
        refresh_token: None,
        scope: None,
        issued_at: now - 7000,
        expires_at: Some(now + 5),
        expiry_source: engine::tokens::ExpirySource::ExpiresIn,
        obtained_with: Method::Password,
    };
    engine.vault.set_tokens(&target.profile.id, &expiring).unwrap();

    let capture = collector().await;
    let moved = moved_to(&target, &capture);
    let err = engine.valid_token(&moved).await.unwrap_err();
    assert!(matches!(err, EngineError::SecretGivenElsewhere { .. }), "{err:?}");
    assert!(
        capture.requests().is_empty(),
        "renewal sent nothing to the new token URL: {:?}",
        capture.requests()
    );
    let waiting = engine.kept_secrets_moved(&moved).unwrap().unwrap();
    assert_eq!(waiting.secrets, vec!["client secret", "password"]);
    // Where they were given, the renewal works as before.
    assert!(engine.valid_token(&target).await.is_ok());
}

#[tokio::test]
async fn the_diagnosis_offers_the_confirmation_naming_both_hosts() {
    let err = EngineError::SecretGivenElsewhere {
        secret: "client secret",
        given_for: "app.scopestack.io".into(),
        now: "collect.example".into(),
    };
    let d = engine::diagnose::diagnose_error(&err, &engine::diagnose::Context::default());
    assert_eq!(d.code, "custody.secret_given_elsewhere");
    assert!(d.title.contains("collect.example"), "{}", d.title);
    assert!(
        d.fixes.contains(&engine::diagnose::Fix::ConfirmKeptSecrets {
            given_for: "app.scopestack.io".into(),
            now: "collect.example".into()
        }),
        "{:?}",
        d.fixes
    );
}
