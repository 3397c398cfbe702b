//! `Engine::token`: the one decision both front ends make — the kept token when it is valid now
//! (renewed when due), or a new one by the profile's method, with the front end's part (what it
//! checks before a direct request, its browser sign-in, its failures) asked for only when needed.

use crate::common::*;
use engine::session::{Credentials, Engine, SignInFrontEnd, Target, Want};
use engine::tokens::TokenSet;
use engine::EngineError;
use std::sync::Mutex;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How the test front end's browser sign-in goes.
enum Browser<'a> {
    /// It finishes later, in another call (as the window's paste mode).
    Later,
    /// A person signs in through the system browser and a loopback listener.
    SignsIn { engine: &'a Engine, target: &'a Target, creds: &'a Credentials },
}

/// A front end that records what the engine asked of it.
struct Recorder<'a> {
    asked: Mutex<Vec<String>>,
    refuse_direct: bool,
    browser: Browser<'a>,
}

impl Recorder<'_> {
    fn new() -> Self {
        Recorder { asked: Mutex::new(Vec::new()), refuse_direct: false, browser: Browser::Later }
    }

    fn asked(&self) -> Vec<String> {
        std::mem::take(&mut *self.asked.lock().unwrap())
    }

    fn note(&self, what: String) {
        self.asked.lock().unwrap().push(what);
    }
}

impl SignInFrontEnd for Recorder<'_> {
    type Error = EngineError;

    fn failure(&self, e: EngineError) -> EngineError {
        self.note(format!("failure: {e}"));
        e
    }

    fn before_direct_request(&self) -> Result<(), EngineError> {
        self.note("direct request".into());
        if self.refuse_direct {
            return Err(EngineError::MissingInput("Give the client secret.".into()));
        }
        Ok(())
    }

    async fn browser_sign_in(&self) -> Result<Option<TokenSet>, EngineError> {
        self.note("browser sign-in".into());
        match &self.browser {
            Browser::Later => Ok(None),
            Browser::SignsIn { engine, target, creds } => {
                let browser = ScriptedBrowser::new(Person::admin());
                let tokens = engine
                    .sign_in_with_loopback(
                        target,
                        creds,
                        &browser,
                        Duration::from_secs(20),
                        &CancellationToken::new(),
                        &no_progress(),
                    )
                    .await?;
                Ok(Some(tokens))
            }
        }
    }
}

async fn token(
    engine: &Engine,
    target: &Target,
    creds: &Credentials,
    want: Want,
    front: &Recorder<'_>,
) -> Result<Option<TokenSet>, EngineError> {
    engine.token(target, creds, want, &CancellationToken::new(), front).await
}

#[tokio::test]
async fn a_direct_method_asks_once_then_uses_the_kept_token() {
    let sb = sandbox().await;
    let (engine, target, front) = (engine(), service_target(&sb), Recorder::new());
    let creds = creds(sandbox::SERVICE_CLIENT_SECRET);
    let first = token(&engine, &target, &creds, Want::ValidNow, &front).await.unwrap().unwrap();
    assert_eq!(front.asked(), ["direct request"], "none kept yet: a new one");
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(first.clone()), "and it is kept");

    let again = token(&engine, &target, &creds, Want::ValidNow, &front).await.unwrap().unwrap();
    assert_eq!(again.access_token, first.access_token, "the kept token, valid for two hours");
    assert!(front.asked().is_empty(), "nothing asked of the front end");

    let new = token(&engine, &target, &creds, Want::New, &front).await.unwrap().unwrap();
    assert_ne!(new.access_token, first.access_token, "a new token when one is asked for");
    assert_eq!(front.asked(), ["direct request"]);
}

#[tokio::test]
async fn a_token_that_cannot_be_renewed_is_replaced_only_with_secrets_given() {
    let sb = sandbox_with(Duration::from_secs(30), Duration::from_secs(600)).await;
    // Tokens live 30 s and are renewed 60 s before they expire: every one is due at once, and a
    // client-credentials token has no refresh token and no kept secret to renew with.
    let engine = engine().with_renew_margin(60);
    let (target, front) = (service_target(&sb), Recorder::new());
    let given = creds(sandbox::SERVICE_CLIENT_SECRET);
    let old = engine.obtain_direct(&target, &given).await.unwrap();

    let err =
        token(&engine, &target, &Credentials::default(), Want::ValidNow, &front).await.unwrap_err();
    assert!(matches!(err, EngineError::SignInAgain { .. }), "{err:?}");
    assert_eq!(front.asked(), [format!("failure: {err}")]);

    let new = token(&engine, &target, &given, Want::ValidNow, &front).await.unwrap().unwrap();
    assert_ne!(new.access_token, old.access_token);
    assert_eq!(front.asked(), ["direct request"]);
}

#[tokio::test]
async fn a_browser_sign_in_never_starts_unasked() {
    let sb = sandbox().await;
    let (engine, target, front) = (engine(), browser_target(&sb), Recorder::new());
    let creds = creds(sandbox::BROWSER_CLIENT_SECRET);
    let err = token(&engine, &target, &creds, Want::ValidNow, &front).await.unwrap_err();
    assert!(matches!(err, EngineError::NoToken), "{err:?}");
    assert_eq!(front.asked(), [format!("failure: {err}")], "no browser opened");

    let waiting = token(&engine, &target, &creds, Want::New, &front).await.unwrap();
    assert!(waiting.is_none(), "the front end's sign-in finishes later");
    assert_eq!(front.asked(), ["browser sign-in"]);
}

#[tokio::test]
async fn a_browser_sign_in_keeps_its_token_for_the_next_call() {
    let sb = sandbox().await;
    let (engine, target) = (engine(), browser_target(&sb));
    let creds = creds(sandbox::BROWSER_CLIENT_SECRET);
    let front = Recorder {
        browser: Browser::SignsIn { engine: &engine, target: &target, creds: &creds },
        ..Recorder::new()
    };
    let signed_in = token(&engine, &target, &creds, Want::New, &front).await.unwrap().unwrap();
    assert_eq!(front.asked(), ["browser sign-in"]);
    let kept = token(&engine, &target, &creds, Want::ValidNow, &front).await.unwrap().unwrap();
    assert_eq!(kept.access_token, signed_in.access_token);
    assert!(front.asked().is_empty());
}

#[tokio::test]
async fn the_front_end_may_stop_a_direct_request_before_it_goes() {
    let sb = sandbox().await;
    let (engine, target) = (engine(), service_target(&sb));
    let front = Recorder { refuse_direct: true, ..Recorder::new() };
    let err =
        token(&engine, &target, &Credentials::default(), Want::New, &front).await.unwrap_err();
    assert!(matches!(err, EngineError::MissingInput(_)), "{err:?}");
    assert_eq!(front.asked(), ["direct request"], "its own error, not a failure of the engine");
    assert!(engine.stored_tokens(&target).unwrap().is_none(), "nothing was asked of the server");
}

#[tokio::test]
async fn a_cancelled_direct_request_keeps_nothing() {
    let sb = sandbox().await;
    let (engine, target, front) = (engine(), service_target(&sb), Recorder::new());
    let cancel = CancellationToken::new();
    cancel.cancel();
    let creds = creds(sandbox::SERVICE_CLIENT_SECRET);
    let err = engine.token(&target, &creds, Want::New, &cancel, &front).await.unwrap_err();
    assert!(matches!(err, EngineError::Cancelled), "{err:?}");
    assert_eq!(front.asked(), ["direct request".to_string(), format!("failure: {err}")]);
    assert!(engine.stored_tokens(&target).unwrap().is_none());
}
