//! Method A against the sandbox: the authorization code with PKCE through the loopback listener
//! (admin and MFA user), through paste mode, and the ways it fails: deny, forged or replayed
//! answers, a swapped verifier, an expired code, a callback the app cannot listen on.

use crate::common::*;
use engine::oauth::authcode::PendingSignIn;
use engine::profiles::Method;
use engine::session::SignInStage;
use engine::tokens::{now_unix, ExpirySource};
use engine::{EngineError, ErrorKind};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use url::Url;

const TIMEOUT: Duration = Duration::from_secs(10);

fn sole_stages_in_order(stages: &[SignInStage], browser: &ScriptedBrowser) {
    assert_eq!(stages.len(), 3, "{stages:?}");
    let opened = browser.opened();
    assert_eq!(opened.len(), 1, "the browser was opened once");
    match &stages[0] {
        SignInStage::OpeningBrowser { url } => assert_eq!(url, opened[0].as_str()),
        other => panic!("{other:?}"),
    }
    match &stages[1] {
        SignInStage::WaitingForBrowser { redirect_uri } => {
            assert_eq!(*redirect_uri, redirect_uri_of(&opened[0]).to_string())
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(stages[2], SignInStage::ExchangingCode);
}

#[tokio::test]
async fn the_admin_signs_in_through_the_loopback_listener() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let browser = ScriptedBrowser::new(Person::admin());
    let (stages, progress) = stage_recorder();
    let tokens = engine
        .sign_in_with_loopback(
            &target,
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &browser,
            TIMEOUT,
            &CancellationToken::new(),
            &progress,
        )
        .await
        .expect("browser sign-in");

    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.scope.as_deref(), Some("read write"));
    assert_eq!(tokens.obtained_with, Method::BrowserLogin);
    assert_eq!(tokens.expiry_source, ExpirySource::ExpiresIn);
    assert_eq!(tokens.expires_at, Some(tokens.issued_at + 7200));
    assert!((now_unix() - tokens.issued_at).abs() <= 5);
    assert!(tokens.refresh_token.is_some(), "browser login returns a refresh token");
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(tokens.clone()));

    // The authorize URL the browser got: PKCE S256, state, scope, a 127.0.0.1 callback.
    let opened = &browser.opened()[0];
    assert!(
        opened.as_str().starts_with(&format!("{}/oauth/authorize?", sb.base_url())),
        "{opened}"
    );
    assert_eq!(query_param(opened, "code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(query_param(opened, "client_id").as_deref(), Some(sandbox::BROWSER_CLIENT_ID));
    assert_eq!(query_param(opened, "scope").as_deref(), Some("read write"));
    let redirect = redirect_uri_of(opened);
    assert_eq!(
        (redirect.scheme(), redirect.host_str(), redirect.path()),
        ("http", Some("127.0.0.1"), "/callback")
    );
    sole_stages_in_order(&stages.lock().unwrap(), &browser);

    // The browser was told it may close the tab.
    let visit = browser.finished().await;
    let (status, body) = visit.landing_page();
    assert_eq!(status, 200);
    assert!(body.contains("You can close this tab"), "{body}");
    assert!(visit.redirect.as_deref().unwrap().contains("code="));

    let me = engine.verify(&target).await.expect("verify");
    assert_eq!(me.email, sandbox::ADMIN_EMAIL);
    assert!(refuses_connections(redirect.port().unwrap()), "the listener is closed");
}

#[tokio::test]
async fn the_mfa_user_signs_in_with_the_one_time_code() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let browser = ScriptedBrowser::new(Person::mfa(sandbox::MFA_ONE_TIME_CODE));
    let tokens = engine
        .sign_in_with_loopback(
            &target,
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &browser,
            TIMEOUT,
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .expect("MFA sign-in");
    assert!(tokens.refresh_token.is_some());
    let visit = browser.finished().await;
    assert!(
        visit.pages.iter().any(|(_, p)| p.contains("id=\"mfa-form\"")),
        "the code was asked for"
    );
    assert!(visit.landing_page().1.contains("You can close this tab"));
    let me = engine.verify(&target).await.unwrap();
    assert_eq!(me.email, sandbox::MFA_EMAIL);
    assert_eq!(me.name, "Morgan Multifactor");
}

#[tokio::test]
async fn a_wrong_one_time_code_never_reaches_the_app_and_the_wait_times_out() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let browser = ScriptedBrowser::new(Person::mfa("000000"));
    let err = engine
        .sign_in_with_loopback(
            &target,
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &browser,
            Duration::from_secs(2),
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::TimedOut { seconds: 2 }), "{err:?}");
    let visit = browser.finished().await;
    let (status, page) = visit.last_page();
    assert_eq!(*status, 422);
    assert!(page.contains("one-time code is not correct"), "{page}");
    assert_eq!(engine.stored_tokens(&target).unwrap(), None);
}

#[tokio::test]
async fn a_second_sign_in_in_the_same_browser_continues_the_session() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let browser = ScriptedBrowser::new(Person::readonly());
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);
    let first = engine
        .sign_in_with_loopback(
            &target,
            &c,
            &browser,
            TIMEOUT,
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .unwrap();
    browser.finished().await;
    let second = engine
        .sign_in_with_loopback(
            &target,
            &c,
            &browser,
            TIMEOUT,
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .unwrap();
    let visit = browser.finished().await;
    assert!(
        visit.pages[0].1.contains("Continue as Riley Reader"),
        "no password asked the second time"
    );
    assert_ne!(first.access_token, second.access_token);
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(second));
}

#[tokio::test]
async fn deny_in_the_browser_is_access_denied_with_a_hint() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    for person in [
        Person::Deny,
        Person::DenyAtCode {
            email: sandbox::MFA_EMAIL.into(),
            password: sandbox::MFA_PASSWORD.into(),
        },
    ] {
        let browser = ScriptedBrowser::new(person.clone());
        let err = engine
            .sign_in_with_loopback(
                &target,
                &creds(sandbox::BROWSER_CLIENT_SECRET),
                &browser,
                TIMEOUT,
                &CancellationToken::new(),
                &no_progress(),
            )
            .await
            .unwrap_err();
        match &err {
            EngineError::AuthorizationDenied { error, description, .. } => {
                assert_eq!(error, "access_denied", "{person:?}");
                assert!(
                    description.as_deref().unwrap_or_default().contains("denied"),
                    "{description:?}"
                );
            }
            other => panic!("{person:?}: expected access_denied, got {other:?}"),
        }
        assert!(err.to_string().contains("Deny"), "{err}");
        assert_eq!(err.kind(), ErrorKind::AuthRefused);
        // The browser is told what happened, not "you can close this tab".
        let (status, body) = browser.finished().await.landing_page();
        assert_eq!(status, 400);
        assert!(
            body.contains("access_denied") && !body.contains("You can close this tab"),
            "{body}"
        );
        assert_eq!(engine.stored_tokens(&target).unwrap(), None);
    }
}

/// Starts a paste-mode sign-in and has the person sign in; returns the address the browser ended
/// on (it is not followed: nothing listens there).
async fn paste_mode_callback(
    engine: &engine::Engine,
    target: &engine::Target,
    redirect_uri: &str,
) -> (PendingSignIn, String) {
    let pending = engine
        .begin_sign_in(
            target,
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &Url::parse(redirect_uri).unwrap(),
        )
        .expect("begin");
    let visit = ScriptedBrowser::not_following(Person::admin()).visit(&pending.authorize_url).await;
    let landed = visit.redirect.expect("the sandbox redirected to the callback");
    assert!(landed.starts_with(redirect_uri), "{landed}");
    (pending, landed)
}

#[tokio::test]
async fn paste_mode_finishes_from_the_address_the_browser_ended_on() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let (pending, landed) =
        paste_mode_callback(&engine, &target, sandbox::BROWSER_REDIRECT_URI).await;
    assert_eq!(pending.redirect_uri.as_str(), sandbox::BROWSER_REDIRECT_URI);
    // Pasted with stray whitespace, as from an address bar.
    let tokens = engine
        .finish_sign_in(
            &target,
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            pending,
            &format!("  {landed}\n"),
        )
        .await
        .expect("finish");
    assert_eq!(tokens.obtained_with, Method::BrowserLogin);
    assert!(tokens.refresh_token.is_some());
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(tokens));
    assert_eq!(engine.verify(&target).await.unwrap().email, sandbox::ADMIN_EMAIL);
}

#[tokio::test]
async fn a_postman_registered_client_works_in_paste_mode() {
    let sb = sandbox().await;
    let engine = engine();
    let mut target = postman_target(&sb);
    target.profile.callback.mode = engine::CallbackMode::Paste;
    let pending = engine
        .begin_sign_in(
            &target,
            &creds(sandbox::POSTMAN_CLIENT_SECRET),
            &Url::parse(sandbox::POSTMAN_REDIRECT_URI).unwrap(),
        )
        .unwrap();
    let visit = ScriptedBrowser::not_following(Person::admin()).visit(&pending.authorize_url).await;
    let landed = visit.redirect.expect("redirected to Postman's callback");
    assert!(landed.starts_with("https://oauth.pstmn.io/v1/callback?code="), "{landed}");
    let tokens = engine
        .finish_sign_in(&target, &creds(sandbox::POSTMAN_CLIENT_SECRET), pending, &landed)
        .await
        .expect("finish");
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(tokens));
}

#[tokio::test]
async fn a_postman_callback_cannot_be_used_with_the_loopback_listener() {
    let sb = sandbox().await;
    let engine = engine();
    let err = engine
        .sign_in_with_loopback(
            &postman_target(&sb),
            &creds(sandbox::POSTMAN_CLIENT_SECRET),
            &PanickingOpener,
            TIMEOUT,
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .unwrap_err();
    match &err {
        EngineError::MissingInput(text) => {
            assert!(text.contains("oauth.pstmn.io"), "{text}");
            assert!(
                text.contains("in-app sign-in window") && text.contains("paste mode"),
                "{text}"
            );
        }
        other => panic!("expected MissingInput, got {other:?}"),
    }
}

#[tokio::test]
async fn a_pasted_address_with_another_state_is_a_state_mismatch() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let (pending, landed) =
        paste_mode_callback(&engine, &target, sandbox::BROWSER_REDIRECT_URI).await;
    let mut forged = Url::parse(&landed).unwrap();
    let code = query_param(&forged, "code").unwrap();
    forged
        .query_pairs_mut()
        .clear()
        .append_pair("code", &code)
        .append_pair("state", "forged-state");
    let err = engine
        .finish_sign_in(&target, &creds(sandbox::BROWSER_CLIENT_SECRET), pending, forged.as_str())
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::StateMismatch), "{err:?}");
    assert!(err.to_string().contains("Start the sign-in again"), "{err}");
    assert_eq!(engine.stored_tokens(&target).unwrap(), None);

    // An address with the right state but no code is explained as such.
    let (pending, landed) =
        paste_mode_callback(&engine, &target, sandbox::BROWSER_REDIRECT_URI).await;
    let state = query_param(&Url::parse(&landed).unwrap(), "state").unwrap();
    let err = engine
        .finish_sign_in(
            &target,
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            pending,
            &format!("{}?state={state}", sandbox::BROWSER_REDIRECT_URI),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::BadCallbackUrl(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Input);
}

/// `landed` with its `state` replaced by the one `pending` expects.
fn rewrite_state(landed: &str, pending: &PendingSignIn) -> String {
    let state = query_param(&pending.authorize_url, "state").unwrap();
    let mut url = Url::parse(landed).unwrap();
    let code = query_param(&url, "code").unwrap();
    url.query_pairs_mut().clear().append_pair("code", &code).append_pair("state", &state);
    url.to_string()
}

#[tokio::test]
async fn a_replayed_code_is_refused_and_revokes_what_it_produced() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);
    let (pending, landed) =
        paste_mode_callback(&engine, &target, sandbox::BROWSER_REDIRECT_URI).await;
    let first = engine.finish_sign_in(&target, &c, pending, &landed).await.expect("first exchange");

    // The same address again, carried into a second sign-in (its state, so the app's own check
    // passes and the code reaches the server a second time).
    let again = engine
        .begin_sign_in(&target, &c, &Url::parse(sandbox::BROWSER_REDIRECT_URI).unwrap())
        .unwrap();
    let replay = rewrite_state(&landed, &again);
    let err = engine.finish_sign_in(&target, &c, again, &replay).await.unwrap_err();
    match &err {
        EngineError::Refused { error, .. } => assert_eq!(error, "invalid_grant"),
        other => panic!("expected invalid_grant, got {other:?}"),
    }
    assert!(err.to_string().contains("expired or was used already"), "{err}");
    // Doorkeeper's answer to a replay: the tokens of the first exchange are revoked as well.
    let err = engine::verify::verify(engine.http(), &target.endpoints.api_url, &first.access_token)
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::Api { status: 401, .. }), "{err:?}");
}

#[tokio::test]
async fn a_code_exchanged_with_another_sign_ins_verifier_is_refused() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);
    // Two sign-ins at once; the browser answers the first.
    let (first, landed) =
        paste_mode_callback(&engine, &target, sandbox::BROWSER_REDIRECT_URI).await;
    let second = engine
        .begin_sign_in(&target, &c, &Url::parse(sandbox::BROWSER_REDIRECT_URI).unwrap())
        .unwrap();
    // The first sign-in's code, finished by the second (with the second's state): PKCE catches it.
    let stolen = rewrite_state(&landed, &second);
    let err = engine.finish_sign_in(&target, &c, second, &stolen).await.unwrap_err();
    match &err {
        EngineError::Refused { error, .. } => assert_eq!(error, "invalid_grant"),
        other => panic!("expected invalid_grant, got {other:?}"),
    }
    assert_eq!(engine.stored_tokens(&target).unwrap(), None);
    // The code itself was fine: with its own verifier it still works.
    engine.finish_sign_in(&target, &c, first, &landed).await.expect("the rightful sign-in");
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let sb = sandbox_with(Duration::from_secs(7200), Duration::from_secs(1)).await;
    let engine = engine();
    let target = browser_target(&sb);
    let (pending, landed) =
        paste_mode_callback(&engine, &target, sandbox::BROWSER_REDIRECT_URI).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let err = engine
        .finish_sign_in(&target, &creds(sandbox::BROWSER_CLIENT_SECRET), pending, &landed)
        .await
        .unwrap_err();
    match &err {
        EngineError::Refused { error, .. } => assert_eq!(error, "invalid_grant"),
        other => panic!("expected invalid_grant, got {other:?}"),
    }
    assert!(err.to_string().contains("expired"), "{err}");
}

#[tokio::test]
async fn the_browser_client_needs_its_secret_for_the_exchange() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let (pending, landed) =
        paste_mode_callback(&engine, &target, sandbox::BROWSER_REDIRECT_URI).await;
    let err = engine
        .finish_sign_in(&target, &engine::session::Credentials::default(), pending, &landed)
        .await
        .unwrap_err();
    match &err {
        EngineError::Refused { error, .. } => assert_eq!(error, "invalid_client"),
        other => panic!("expected invalid_client, got {other:?}"),
    }
}

#[tokio::test]
async fn a_callback_the_client_did_not_register_is_stopped_at_the_sign_in_page() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    // localhost is not 127.0.0.1 for Doorkeeper: the sandbox shows its error page, no redirect.
    let pending = engine
        .begin_sign_in(
            &target,
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &Url::parse("http://localhost:8765/callback").unwrap(),
        )
        .unwrap();
    let visit = ScriptedBrowser::not_following(Person::admin()).visit(&pending.authorize_url).await;
    assert_eq!(visit.redirect, None);
    let (status, page) = visit.last_page();
    assert_eq!(*status, 400);
    assert!(
        page.contains("invalid_redirect_uri") && page.contains("http://127.0.0.1:8765/callback"),
        "{page}"
    );
}
