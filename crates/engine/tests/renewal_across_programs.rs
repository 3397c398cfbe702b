//! Two programs renewing one profile's token at the same moment, as the app and a CLI command
//! can: here two engines, each with its own vault over the same real keychain and the same lock
//! folder. The sandbox rotates refresh tokens like Doorkeeper, so without the lock they share,
//! the second renewal would send the refresh token the first had just used up, and the profile
//! would need a new sign-in. Ignored in plain `cargo test`; `scripts/test` runs it with the
//! keychain it starts.

use crate::common::*;
use crate::one_process::keychain_turn;
use engine::session::Engine;
use engine::vault::{SecretKind, Vault, VaultMode};
use engine::Secret;
use std::time::Duration;

fn program(service: &str, locks: Option<&std::path::Path>) -> Engine {
    let http = engine::http::client(engine::http::HttpSettings::default()).expect("HTTP client");
    // Tokens live 30 s at this sandbox and are renewed 60 s before they expire: always due.
    let engine =
        Engine::new(Vault::with_service(service, VaultMode::Keychain), http).with_renew_margin(60);
    match locks {
        Some(dir) => engine.with_renewal_locks(dir.to_path_buf()),
        None => engine,
    }
}

/// A sandbox and two programs (the app and a CLI command) whose shared keychain service `name`
/// holds a password-grant token for one profile. The client secret is kept (a refresh needs it);
/// the password is not, so a refresh token used up by the other program cannot be made good by
/// asking again.
async fn two_programs_with_a_token(
    name: &str,
    locks: Option<&std::path::Path>,
) -> (sandbox::Sandbox, Engine, Engine, engine::session::Target) {
    let sb = sandbox_with(Duration::from_secs(30), Duration::from_secs(600)).await;
    let service = format!("ScopeStack Companion test {name} {}", std::process::id());
    let (app, cli) = (program(&service, locks), program(&service, locks));
    let target = password_target(&sb, sandbox::ADMIN_EMAIL);
    app.remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    app.obtain_direct(&target, &creds_pw(sandbox::PASSWORD_CLIENT_SECRET, sandbox::ADMIN_PASSWORD))
        .await
        .unwrap();
    (sb, app, cli, target)
}

#[tokio::test]
#[ignore = "needs an unlocked gnome-keyring: run through scripts/test"]
#[allow(clippy::await_holding_lock)] // the keychain turn is held for the whole test on purpose
async fn two_programs_renewing_at_once_both_end_with_a_working_token() {
    let _turn = keychain_turn();
    let locks = tempfile::tempdir().unwrap();
    let (_sb, app, cli, target) = two_programs_with_a_token("renewal", Some(locks.path())).await;

    for round in 1..=4 {
        let (from_app, from_cli) = tokio::join!(app.valid_token(&target), cli.valid_token(&target));
        let (from_app, from_cli) = (
            from_app.unwrap_or_else(|e| panic!("round {round}, the app: {e}")),
            from_cli.unwrap_or_else(|e| panic!("round {round}, the CLI: {e}")),
        );
        assert_ne!(
            from_app.access_token, from_cli.access_token,
            "round {round}: each renewed in turn"
        );
    }
    let last = cli.stored_tokens(&target).unwrap().expect("a token is kept");
    let me = engine::verify::verify(app.http(), &target.endpoints.api_url, &last.access_token)
        .await
        .expect("the last token works");
    assert_eq!(me.account_slug, sandbox::ACCOUNT_SLUG);
    app.vault.forget_profile(&target.profile.id).unwrap();
}

/// The race the lock prevents is real: without it, the same two renewals break the profile.
#[tokio::test]
#[ignore = "needs an unlocked gnome-keyring: run through scripts/test"]
#[allow(clippy::await_holding_lock)] // the keychain turn is held for the whole test on purpose
async fn without_the_shared_lock_one_of_two_renewals_at_once_is_refused() {
    let _turn = keychain_turn();
    let (_sb, app, cli, target) = two_programs_with_a_token("renewal race", None).await;

    let (from_app, from_cli) = tokio::join!(app.valid_token(&target), cli.valid_token(&target));
    let refused = [from_app, from_cli].into_iter().filter_map(Result::err).collect::<Vec<_>>();
    assert_eq!(
        refused.len(),
        1,
        "one renewal used a refresh token the other had used up: {refused:?}"
    );
    assert!(matches!(refused[0], engine::EngineError::SignInAgain { .. }), "{:?}", refused[0]);
    app.vault.forget_profile(&target.profile.id).unwrap();
}
