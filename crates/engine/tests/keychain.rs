//! The vault against the real OS keychain (gnome-keyring over Secret Service). Ignored in plain
//! `cargo test`; `scripts/test` starts an unlocked gnome-keyring and runs them with `--include-ignored`.

use crate::one_process::keychain_turn;
use engine::profiles::ProfileId;
use engine::secret::Secret;
use engine::vault::{SecretKind, Vault, VaultMode};
use std::process::Command;

fn unique_service(name: &str) -> String {
    format!("ScopeStack Companion test {name} {}", std::process::id())
}

/// What `secret-tool` (libsecret's own client) finds under a service: proof the secret is in the
/// keychain daemon, not somewhere of ours.
fn secret_tool_search(service: &str) -> String {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "--unlock", "service", service])
        .output()
        .expect("run secret-tool");
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
#[ignore = "needs an unlocked gnome-keyring: run through scripts/test"]
fn secrets_live_in_the_real_keychain_and_can_be_removed() {
    let _turn = keychain_turn();
    let service = unique_service("roundtrip");
    let vault = Vault::with_service(&service, VaultMode::Keychain);
    vault.check().expect("keychain reachable");
    let profile = ProfileId::new("acme");
    vault.set(&profile, SecretKind::ClientSecret, &Secret::new("kc-secret-value-1")).unwrap();
    vault.set(&profile, SecretKind::Password, &Secret::new("kc-password-value-2")).unwrap();

    let fresh = Vault::with_service(&service, VaultMode::Keychain);
    assert_eq!(
        fresh.get(&profile, SecretKind::ClientSecret).unwrap(),
        Some(Secret::new("kc-secret-value-1"))
    );
    let listed = secret_tool_search(&service);
    assert!(listed.contains("kc-secret-value-1") && listed.contains("acme/password"), "{listed}");

    fresh.forget_profile(&profile).unwrap();
    assert_eq!(vault.get(&profile, SecretKind::ClientSecret).unwrap(), None);
    assert_eq!(vault.get(&profile, SecretKind::Password).unwrap(), None);
    assert!(!secret_tool_search(&service).contains("kc-secret-value-1"));
}

#[test]
#[ignore = "needs an unlocked gnome-keyring: run through scripts/test"]
fn session_only_mode_writes_nothing_to_the_keychain() {
    let _turn = keychain_turn();
    let service = unique_service("session");
    let vault = Vault::with_service(&service, VaultMode::Keychain);
    vault.use_session_only();
    let profile = ProfileId::new("p");
    vault.set(&profile, SecretKind::ClientSecret, &Secret::new("session-only-value")).unwrap();
    assert_eq!(
        vault.get(&profile, SecretKind::ClientSecret).unwrap(),
        Some(Secret::new("session-only-value"))
    );
    assert!(!secret_tool_search(&service).contains("session-only-value"));
    let other = Vault::with_service(&service, VaultMode::Keychain);
    assert_eq!(other.get(&profile, SecretKind::ClientSecret).unwrap(), None);
}
