//! With no keychain reachable, the vault says so plainly and offers the session-only mode.
//! (In a process of its own: it points D-Bus at nowhere for the whole process.)

use engine::profiles::ProfileId;
use engine::secret::Secret;
use engine::vault::{SecretKind, Vault, VaultError, VaultMode};

#[test]
fn a_missing_keychain_is_reported_and_session_only_still_works() {
    if !crate::one_process::in_a_process_of_its_own(
        "keychain_missing::a_missing_keychain_is_reported_and_session_only_still_works",
    ) {
        return;
    }
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/scopestack-test-bus");
    let vault =
        Vault::with_service("ScopeStack Companion missing-keychain test", VaultMode::Keychain);
    let err = vault.check().expect_err("no keychain behind a dead bus");
    assert!(matches!(err, VaultError::Unavailable(_) | VaultError::Failed(_)), "{err:?}");
    assert!(err.to_string().contains("keep secrets for this session only"), "{err}");
    let err =
        vault.set(&ProfileId::new("p"), SecretKind::ClientSecret, &Secret::new("x")).unwrap_err();
    assert!(err.to_string().contains("session only"), "{err}");

    vault.use_session_only();
    vault.set(&ProfileId::new("p"), SecretKind::ClientSecret, &Secret::new("x")).unwrap();
    assert_eq!(
        vault.get(&ProfileId::new("p"), SecretKind::ClientSecret).unwrap(),
        Some(Secret::new("x"))
    );
}
