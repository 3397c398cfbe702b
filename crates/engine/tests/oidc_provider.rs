//! Conformance of the engine's OAuth against a certified third-party server: oidc-provider
//! (npm, run by `tests/oidc/server.mjs`; installed by `scripts/setup`). Each test starts its own
//! server on a free port and stops it at the end, even when the test fails.
//!
//! What this proves beyond the tests against our own sandbox: the engine speaks the standard
//! (RFC 6749, 7636, 7009, 8252) as another, strict implementation reads it.

use crate::oidc_support::*;
use engine::error::EngineError;
use engine::http::{client as http_client, HttpSettings};
use engine::profiles::{
    CallbackMode, CallbackSettings, ClientAuth, Endpoints, Environment, Method, Profile, ProfileId,
};
use engine::secret::Secret;
use engine::session::{Credentials, Engine, SignInStage, Target};
use engine::tokens::{now_unix, ExpirySource};
use engine::vault::{SecretKind, Vault};
use std::sync::Mutex;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// The access-token lifetime set in server.mjs.
const ACCESS_TTL: i64 = 60;
/// How long a sign-in may take (the scripted person needs well under a second; a failure of the
/// script should not leave the engine waiting for the default five minutes).
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(15);

fn target(
    server: &OidcServer,
    method: Method,
    client: (&str, &str),
    auth: ClientAuth,
    scope: &str,
    redirect_uri: Option<String>,
) -> Target {
    let endpoints = Endpoints {
        authorize_url: server.url("/auth"),
        token_url: server.url("/token"),
        api_url: server.issuer.clone(),
    };
    let profile = Profile {
        id: ProfileId::new(format!("oidc-{}", client.0)),
        name: format!("oidc-provider ({})", client.0),
        account_kind: engine::AccountKind::Test,
        environment: Environment::Server(endpoints.clone()),
        method,
        client_id: client.0.to_string(),
        username: String::new(),
        scope: scope.to_string(),
        client_auth: auth,
        callback: CallbackSettings { mode: CallbackMode::Loopback, redirect_uri },
    };
    Target { profile, endpoints }
}

/// An engine with an in-memory vault that holds `client`'s secret (as after "remember secret").
fn engine_for(target: &Target, client: (&str, &str)) -> Engine {
    let engine = Engine::new(
        Vault::session_only(),
        http_client(HttpSettings::default()).expect("HTTP client"),
    );
    engine.remember(target, SecretKind::ClientSecret, &Secret::new(client.1)).unwrap();
    engine
}

fn registered_callback() -> Option<String> {
    Some(format!("http://127.0.0.1:{}/callback", free_port()))
}

/// Runs a whole loopback sign-in with a scripted person; returns the engine's result and what the
/// browser saw.
async fn sign_in(
    engine: &Engine,
    target: &Target,
    person: Person,
) -> (Result<engine::tokens::TokenSet, EngineError>, Visit, Vec<SignInStage>) {
    let browser = ScriptedBrowser::new(person);
    let stages = Mutex::new(Vec::new());
    let progress = |stage: SignInStage| stages.lock().unwrap().push(stage);
    let result = engine
        .sign_in_with_loopback(
            target,
            &Credentials::default(),
            &browser,
            SIGN_IN_TIMEOUT,
            &CancellationToken::new(),
            &progress,
        )
        .await;
    let opened = browser.opened();
    assert_eq!(opened.len(), 1, "the browser is opened once (the engine answered {result:?})");
    let visit = browser.visit().await;
    let query =
        |name: &str| opened[0].query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    assert_eq!(query("code_challenge_method").as_deref(), Some("S256"));
    assert!(
        query("code_challenge").is_some_and(|c| c.len() == 43),
        "an S256 challenge is 43 characters"
    );
    (result, visit, stages.into_inner().unwrap())
}

fn param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn browser_sign_in_with_pkce_through_the_login_and_consent_pages() {
    let server = OidcServer::start();
    let callback = registered_callback();
    let target = target(
        &server,
        Method::BrowserLogin,
        BROWSER_POST,
        ClientAuth::Body,
        "openid offline_access read write",
        callback.clone(),
    );
    let engine = engine_for(&target, BROWSER_POST);

    let (result, visit, stages) = sign_in(&engine, &target, Person::SignsInAndAllows).await;
    let tokens = result.unwrap_or_else(|e| {
        panic!("sign-in failed: {e}\nbrowser: {visit:?}\nserver:\n{}", server.stderr())
    });

    // The person went through oidc-provider's own sign-in and consent pages, then to our listener
    // on exactly the registered port.
    let trail = visit.trail.join(" → ");
    assert!(trail.contains("POST /interaction/"), "{trail}");
    assert_eq!(
        visit.trail.iter().filter(|s| s.starts_with("POST /interaction/")).count(),
        2,
        "sign-in and consent: {trail}"
    );
    assert_eq!(visit.final_url.as_str().split('?').next(), callback.as_deref(), "{trail}");
    assert_eq!(visit.final_status, 200, "{}", visit.final_body);
    assert!(visit.final_body.contains("You are signed in"), "{}", visit.final_body);
    assert!(
        param(&visit.final_url, "code").is_some() && param(&visit.final_url, "state").is_some()
    );
    assert_eq!(
        param(&visit.final_url, "iss").as_deref(),
        Some(server.issuer.as_str().trim_end_matches('/')),
        "RFC 9207 iss is sent and ignored"
    );
    assert!(matches!(stages.last(), Some(SignInStage::ExchangingCode)), "{stages:?}");

    assert!(!tokens.access_token.is_empty());
    assert!(
        tokens.refresh_token.as_ref().is_some_and(|r| !r.is_empty()),
        "a refresh token was issued"
    );
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.obtained_with, Method::BrowserLogin);
    assert_eq!(tokens.expiry_source, ExpirySource::ExpiresIn);
    let left = tokens.seconds_left(now_unix()).unwrap();
    assert!(
        (ACCESS_TTL - 10..=ACCESS_TTL).contains(&left),
        "expires_in {ACCESS_TTL} s, {left} s left"
    );
    // oidc-provider grants offline_access only with prompt=consent (OpenID Connect Core 11),
    // which the engine does not send; the refresh token comes from its issueRefreshToken policy.
    let scope = tokens.scope.clone().unwrap_or_default();
    for s in ["openid", "read", "write"] {
        assert!(scope.split(' ').any(|x| x == s), "scope {scope:?} lacks {s}");
    }

    assert_eq!(
        engine.stored_tokens(&target).unwrap().as_ref(),
        Some(&tokens),
        "the token set is in the vault"
    );
    let info = server.introspect(BROWSER_POST, tokens.access_token.expose()).await;
    assert_eq!(info["active"], true, "{info}");
    assert_eq!(info["client_id"], BROWSER_POST.0, "{info}");
    assert_eq!(info["sub"], "ada@example.com", "{info}");
    assert!(server.is_active(BROWSER_POST, tokens.refresh_token.as_ref().unwrap().expose()).await);
}

#[tokio::test]
async fn basic_auth_sign_in_on_any_loopback_port_then_revoke_cancels_both_tokens_on_the_server() {
    let server = OidcServer::start();
    // No registered callback: the engine picks a free port, which RFC 8252 (and oidc-provider,
    // for native clients) accepts in place of the registered one.
    let target = target(
        &server,
        Method::BrowserLogin,
        BROWSER_BASIC,
        ClientAuth::Basic,
        "openid read write",
        None,
    );
    let engine = engine_for(&target, BROWSER_BASIC);

    let (result, visit, _) = sign_in(&engine, &target, Person::SignsInAndAllows).await;
    let tokens = result.unwrap_or_else(|e| {
        panic!("sign-in failed: {e}\nbrowser: {visit:?}\nserver:\n{}", server.stderr())
    });
    assert_ne!(visit.final_url.port(), Some(8765));
    assert_eq!(visit.final_url.path(), "/callback");
    let access = tokens.access_token.expose().to_string();
    let refresh = tokens
        .refresh_token
        .as_ref()
        .expect("a refresh token (issueRefreshToken always)")
        .expose()
        .to_string();
    assert!(server.is_active(BROWSER_POST, &access).await);
    assert!(server.is_active(BROWSER_POST, &refresh).await);

    // The secret needs RFC 6749 section 2.3.1 encoding in the Basic header: revocation must send
    // it as the token request did.
    let outcome = engine
        .revoke(&target)
        .await
        .unwrap_or_else(|e| panic!("revoke failed: {e}\nserver:\n{}", server.stderr()));
    assert!(outcome.revoked_on_server, "oidc-provider serves /revoke beside /token");
    assert!(outcome.deleted_locally);
    assert!(engine.stored_tokens(&target).unwrap().is_none());

    assert!(
        !server.is_active(BROWSER_POST, &access).await,
        "the access token is dead on the server"
    );
    assert!(
        !server.is_active(BROWSER_POST, &refresh).await,
        "the refresh token is dead on the server"
    );
    // And the server refuses to renew with it.
    let answer = reqwest::Client::new()
        .post(server.url("/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
            ("client_id", BROWSER_POST.0),
            ("client_secret", BROWSER_POST.1),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    assert_eq!(answer.json::<serde_json::Value>().await.unwrap()["error"], "invalid_grant");

    // Revoking again, with nothing stored, is a no-op that still reports local deletion.
    let again = engine.revoke(&target).await.unwrap();
    assert!(!again.revoked_on_server && again.deleted_locally);
}

#[tokio::test]
async fn renewal_rotates_the_refresh_token_and_a_replayed_one_is_refused() {
    let server = OidcServer::start();
    let target = target(
        &server,
        Method::BrowserLogin,
        BROWSER_POST,
        ClientAuth::Body,
        "read write",
        registered_callback(),
    );
    // A margin longer than the server's 60 s access tokens: every token is due for renewal.
    let engine = engine_for(&target, BROWSER_POST).with_renew_margin(ACCESS_TTL + 60);

    let (result, visit, _) = sign_in(&engine, &target, Person::SignsInAndAllows).await;
    let first = result.unwrap_or_else(|e| {
        panic!("sign-in failed: {e}\nbrowser: {visit:?}\nserver:\n{}", server.stderr())
    });
    let first_refresh = first.refresh_token.clone().expect("a refresh token");

    // valid_token renews by itself, since the token expires within the margin.
    let second = engine
        .valid_token(&target)
        .await
        .unwrap_or_else(|e| panic!("renewal failed: {e}\nserver:\n{}", server.stderr()));
    assert_ne!(second.access_token, first.access_token, "a new access token");
    let second_refresh = second.refresh_token.clone().expect("a refresh token after renewal");
    assert_ne!(
        second_refresh, first_refresh,
        "oidc-provider (rotateRefreshToken) issued a new refresh token"
    );
    assert_eq!(second.obtained_with, Method::BrowserLogin);
    assert_eq!(second.scope.as_deref(), Some("read write"));
    assert_eq!(
        engine.stored_tokens(&target).unwrap().as_ref(),
        Some(&second),
        "the renewed set replaced the old one"
    );
    assert!(server.is_active(BROWSER_POST, second.access_token.expose()).await);
    assert!(
        !server.is_active(BROWSER_POST, first_refresh.expose()).await,
        "the replaced refresh token is spent"
    );

    // An explicit renew uses the stored (rotated) refresh token.
    let third = engine
        .renew(&target)
        .await
        .unwrap_or_else(|e| panic!("renewal failed: {e}\nserver:\n{}", server.stderr()));
    assert_ne!(third.access_token, second.access_token);
    let third_refresh = third.refresh_token.clone().expect("a refresh token");
    assert_ne!(third_refresh, second_refresh);
    assert!(server.is_active(BROWSER_POST, third_refresh.expose()).await);

    // A replayed (already used) refresh token: oidc-provider answers invalid_grant, which the
    // engine turns into "sign in again"; and, detecting the reuse, it revokes the whole grant.
    engine.vault.set_tokens(&target.profile.id, &first).unwrap();
    match engine.renew(&target).await {
        Err(EngineError::SignInAgain { .. }) => {}
        other => panic!("expected SignInAgain for a replayed refresh token, got {other:?}"),
    }
    assert_eq!(
        engine.stored_tokens(&target).unwrap().as_ref(),
        Some(&first),
        "a failed renewal changes nothing stored"
    );
    assert!(
        !server.is_active(BROWSER_POST, third_refresh.expose()).await,
        "reuse detection revoked the grant"
    );
    assert!(
        !server.is_active(BROWSER_POST, third.access_token.expose()).await,
        "reuse detection revoked the grant"
    );
}

#[tokio::test]
async fn client_credentials_with_body_and_basic_auth() {
    let server = OidcServer::start();
    for (client, auth) in [
        (SERVICE_POST, ClientAuth::Body),
        (SERVICE_BASIC, ClientAuth::Basic),
        (SERVICE_POST, ClientAuth::Basic),
    ] {
        let target = target(&server, Method::ClientCredentials, client, auth, "read write", None);
        let engine = engine_for(&target, client);
        let tokens =
            engine.obtain_direct(&target, &Credentials::default()).await.unwrap_or_else(|e| {
                panic!("{} with {auth:?}: {e}\nserver:\n{}", client.0, server.stderr())
            });
        assert!(!tokens.access_token.is_empty());
        assert_eq!(tokens.refresh_token, None, "client credentials come without a refresh token");
        assert_eq!(tokens.scope.as_deref(), Some("read write"));
        assert_eq!(tokens.obtained_with, Method::ClientCredentials);
        assert!(tokens
            .seconds_left(now_unix())
            .is_some_and(|s| s > ACCESS_TTL - 10 && s <= ACCESS_TTL));
        assert_eq!(engine.stored_tokens(&target).unwrap().as_ref(), Some(&tokens));
        let info = server.introspect(SERVICE_POST, tokens.access_token.expose()).await;
        assert_eq!(info["active"], true, "{info}");
        assert_eq!(info["client_id"], client.0, "{info}");

        // Without a refresh token, renewal asks again with the kept secret.
        let renewed =
            engine.renew(&target).await.unwrap_or_else(|e| panic!("{} renew: {e}", client.0));
        assert_ne!(renewed.access_token, tokens.access_token);
        assert!(server.is_active(SERVICE_POST, renewed.access_token.expose()).await);

        let outcome = engine
            .revoke(&target)
            .await
            .unwrap_or_else(|e| panic!("{} revoke: {e}\nserver:\n{}", client.0, server.stderr()));
        assert!(outcome.revoked_on_server);
        assert!(
            !server.is_active(SERVICE_POST, renewed.access_token.expose()).await,
            "{} revoked",
            client.0
        );
    }
}

#[tokio::test]
async fn a_wrong_client_secret_is_refused_as_invalid_client() {
    let server = OidcServer::start();
    for (client, auth) in [(SERVICE_POST, ClientAuth::Body), (SERVICE_BASIC, ClientAuth::Basic)] {
        let target = target(&server, Method::ClientCredentials, client, auth, "read write", None);
        let engine = engine_for(&target, (client.0, "not-the-secret"));
        match engine.obtain_direct(&target, &Credentials::default()).await {
            Err(EngineError::Refused { error, .. }) => {
                assert_eq!(error, "invalid_client", "{} with {auth:?}", client.0)
            }
            other => panic!("{} with {auth:?}: expected invalid_client, got {other:?}", client.0),
        }
        assert!(engine.stored_tokens(&target).unwrap().is_none());
    }

    // The same at the end of a browser sign-in: the code exchange is refused.
    let target = target(
        &server,
        Method::BrowserLogin,
        BROWSER_POST,
        ClientAuth::Body,
        "read write",
        registered_callback(),
    );
    let engine = engine_for(&target, (BROWSER_POST.0, "not-the-secret"));
    let (result, visit, _) = sign_in(&engine, &target, Person::SignsInAndAllows).await;
    assert_eq!(visit.final_status, 200, "the browser part succeeded: {visit:?}");
    match result {
        Err(EngineError::Refused { error, .. }) => assert_eq!(error, "invalid_client"),
        other => panic!("expected invalid_client from the code exchange, got {other:?}"),
    }
    assert!(engine.stored_tokens(&target).unwrap().is_none());
}

#[tokio::test]
async fn cancelling_on_the_sign_in_page_is_an_authorization_denial() {
    let server = OidcServer::start();
    let callback = registered_callback();
    let target = target(
        &server,
        Method::BrowserLogin,
        BROWSER_POST,
        ClientAuth::Body,
        "read write",
        callback.clone(),
    );
    let engine = engine_for(&target, BROWSER_POST);

    let (result, visit, _) = sign_in(&engine, &target, Person::Cancels).await;
    assert!(visit.trail.iter().any(|s| s.ends_with("/abort")), "{visit:?}");
    assert_eq!(param(&visit.final_url, "error").as_deref(), Some("access_denied"));
    match result {
        Err(EngineError::AuthorizationDenied { error, description, .. }) => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("End-User aborted interaction"));
        }
        other => panic!("expected AuthorizationDenied, got {other:?}"),
    }
    assert_eq!(visit.final_status, 400, "the listener shows the error page");
    assert!(engine.stored_tokens(&target).unwrap().is_none());
    // The listener let go of the registered port.
    let port = url::Url::parse(callback.as_deref().unwrap()).unwrap().port().unwrap();
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("the callback port is free again");
}
