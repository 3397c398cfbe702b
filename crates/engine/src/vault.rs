//! The vault: every secret of every profile (client secret, password, token set) in the OS
//! keychain (Secret Service on Linux, the Credential Manager on Windows, the login Keychain on
//! macOS: keyring's store for each target, crates/engine/Cargo.toml), or — when the user chooses
//! it, or the keychain cannot be used — in memory for this session only, writing nothing to disk.
//!
//! A client secret or password is kept with the origin it was given for, and a token set with
//! the origins it was issued for ([`Binding`]), so the engine can tell when a profile's URLs
//! have moved since and hold them back (DESIGN.md, "Token custody").
//!
//! Every keychain call is bounded ([`bound`]): one that gets no answer within a few seconds (a
//! locked keychain whose unlock prompt nobody answers, a stopped Secret Service daemon) fails
//! with [`VaultError::NoAnswer`] instead of hanging.

pub mod bound;

use bound::Bound;

use crate::profiles::{Method, ProfileId};
use crate::secret::Secret;
use crate::tokens::{ExpirySource, TokenSet};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The keychain service name every entry is filed under (with the settings folder's own default).
pub const KEYCHAIN_SERVICE: &str = "ScopeStack Companion";

/// The keychain service of the settings folder `home` when `SCOPESTACK_COMPANION_HOME` names
/// one, else [`KEYCHAIN_SERVICE`]: each settings folder keeps its own secrets (the Sandbox
/// profile's id is the same in every folder), so a portable copy, or each test's app, never
/// finds another folder's kept secrets or tokens.
pub fn keychain_service_for(home: Option<&std::path::Path>) -> String {
    match home {
        Some(home) => format!("{KEYCHAIN_SERVICE} ({})", home.display()),
        None => KEYCHAIN_SERVICE.to_string(),
    }
}

/// [`keychain_service_for`] this program's settings folder.
pub fn keychain_service() -> String {
    keychain_service_for(crate::paths::home_override().as_deref())
}

/// Which secret of a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecretKind {
    ClientSecret,
    Password,
    /// The access token, its refresh token and their metadata, as one entry.
    Tokens,
}

impl SecretKind {
    pub const ALL: [SecretKind; 3] =
        [SecretKind::ClientSecret, SecretKind::Password, SecretKind::Tokens];

    fn key(self) -> &'static str {
        match self {
            SecretKind::ClientSecret => "client-secret",
            SecretKind::Password => "password",
            SecretKind::Tokens => "tokens",
        }
    }
}

/// Where secrets go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum VaultMode {
    Keychain,
    /// In memory only; gone when the app or command exits.
    SessionOnly,
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("The system keychain is locked. Unlock it (for example by signing in to your desktop, or with your keyring's password), or choose \"keep secrets for this session only\".")]
    Locked,
    #[error("No system keychain could be reached ({0}). Start or install one (GNOME Keyring or KWallet), or choose \"keep secrets for this session only\".")]
    Unavailable(String),
    #[error("The system keychain failed: {0}. Try again, or choose \"keep secrets for this session only\".")]
    Failed(String),
    #[error("A secret stored in the keychain for this profile is damaged ({0}). Sign in again to replace it.")]
    Damaged(String),
    /// The keychain gave no answer within the bound: a locked keychain waiting on an unlock
    /// prompt, or a Secret Service daemon that stopped answering (see [`bound`]).
    #[error("The system keychain did not answer within {}: it may be locked, or its service may have stopped. Unlock it and try again, or choose \"keep secrets for this session only\".", seconds(.waited))]
    NoAnswer { waited: Duration },
}

/// A wait in words: "5 s", "1.5 s".
fn seconds(d: &Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// Where the secrets of a profile were given for: the token URL's origin (client secret,
/// password, refresh token) and the API URL's origin (the access token). The built-in sandbox,
/// whose port changes at each launch, is named as such rather than by its URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Binding {
    pub token_origin: String,
    pub api_origin: String,
}

/// A kept client secret or password, and the origin it was given for (`None`: kept by a version
/// of the app that did not record it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptSecret {
    pub value: Secret,
    pub given_for: Option<String>,
}

/// How a client secret or password is written in the keychain: the value and its origin.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
struct SecretEnvelope {
    secret: String,
    given_for: String,
}

/// The secrets of all profiles.
pub struct Vault {
    mode: Mutex<VaultMode>,
    service: String,
    memory: Mutex<HashMap<(ProfileId, SecretKind), Secret>>,
    bound: Bound,
}

impl Vault {
    /// A vault over the OS keychain.
    pub fn keychain() -> Vault {
        Vault::with_service(&keychain_service(), VaultMode::Keychain)
    }

    /// A vault that keeps everything in memory.
    pub fn session_only() -> Vault {
        Vault::with_service(KEYCHAIN_SERVICE, VaultMode::SessionOnly)
    }

    /// A vault filing its keychain entries under another service name (tests). Its keychain
    /// calls are bounded by [`bound::timeout_from_env`].
    pub fn with_service(service: &str, mode: VaultMode) -> Vault {
        Vault {
            mode: Mutex::new(mode),
            service: service.to_string(),
            memory: Mutex::new(HashMap::new()),
            bound: Bound::new(bound::timeout_from_env()),
        }
    }

    /// The same vault with each keychain call bounded by `timeout` instead.
    pub fn with_timeout(mut self, timeout: Duration) -> Vault {
        self.bound = Bound::new(timeout);
        self
    }

    /// How long a keychain call may take before it fails with [`VaultError::NoAnswer`].
    pub fn timeout(&self) -> Duration {
        self.bound.timeout()
    }

    pub fn mode(&self) -> VaultMode {
        *self.mode.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// From now on, keep secrets in memory only. Nothing already in the keychain is touched.
    pub fn use_session_only(&self) {
        *self.mode.lock().unwrap_or_else(|p| p.into_inner()) = VaultMode::SessionOnly;
    }

    /// Checks that the keychain can be used, without changing anything in it.
    pub fn check(&self) -> Result<(), VaultError> {
        if self.mode() == VaultMode::SessionOnly {
            return Ok(());
        }
        self.bounded(&ProfileId::new("__probe__"), SecretKind::Tokens, |entry| {
            match entry.get_password() {
                Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(e),
            }
        })
    }

    /// A kept secret's value (for a client secret or password, whatever origin it was given for).
    pub fn get(&self, profile: &ProfileId, kind: SecretKind) -> Result<Option<Secret>, VaultError> {
        if kind == SecretKind::Tokens {
            return self.get_raw(profile, kind);
        }
        Ok(self.get_kept(profile, kind)?.map(|kept| kept.value))
    }

    /// A kept client secret or password, with the origin it was given for.
    pub fn get_kept(
        &self,
        profile: &ProfileId,
        kind: SecretKind,
    ) -> Result<Option<KeptSecret>, VaultError> {
        let Some(raw) = self.get_raw(profile, kind)? else { return Ok(None) };
        Ok(Some(match serde_json::from_str::<SecretEnvelope>(raw.expose()) {
            Ok(envelope) => KeptSecret {
                value: Secret::new(envelope.secret),
                given_for: Some(envelope.given_for),
            },
            Err(_) => KeptSecret { value: raw, given_for: None },
        }))
    }

    /// Keeps a client secret or password with the origin it is given for (see [`Binding`]).
    pub fn set_kept(
        &self,
        profile: &ProfileId,
        kind: SecretKind,
        value: &Secret,
        given_for: &str,
    ) -> Result<(), VaultError> {
        let envelope =
            SecretEnvelope { secret: value.expose().to_string(), given_for: given_for.to_string() };
        let json =
            serde_json::to_string(&envelope).map_err(|e| VaultError::Failed(e.to_string()))?;
        self.set(profile, kind, &Secret::new(json))
    }

    fn get_raw(&self, profile: &ProfileId, kind: SecretKind) -> Result<Option<Secret>, VaultError> {
        if self.mode() == VaultMode::SessionOnly {
            return Ok(self.memory().get(&(profile.clone(), kind)).cloned());
        }
        self.bounded(profile, kind, |entry| match entry.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        })
    }

    /// Writes an entry as it is. A client secret or password written this way has no origin
    /// recorded: use [`Vault::set_kept`] for those.
    pub fn set(
        &self,
        profile: &ProfileId,
        kind: SecretKind,
        value: &Secret,
    ) -> Result<(), VaultError> {
        if self.mode() == VaultMode::SessionOnly {
            self.memory().insert((profile.clone(), kind), value.clone());
            return Ok(());
        }
        let value = value.clone();
        self.bounded(profile, kind, move |entry| entry.set_password(value.expose()))
    }

    /// Removes one secret; removing one that is not there is fine.
    pub fn delete(&self, profile: &ProfileId, kind: SecretKind) -> Result<(), VaultError> {
        self.memory().remove(&(profile.clone(), kind));
        if self.mode() == VaultMode::SessionOnly {
            return Ok(());
        }
        self.bounded(profile, kind, |entry| match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e),
        })
    }

    /// Removes every secret of a profile (when the profile is deleted).
    pub fn forget_profile(&self, profile: &ProfileId) -> Result<(), VaultError> {
        for kind in SecretKind::ALL {
            self.delete(profile, kind)?;
        }
        Ok(())
    }

    pub fn get_tokens(&self, profile: &ProfileId) -> Result<Option<TokenSet>, VaultError> {
        Ok(self.get_bound_tokens(profile)?.map(|(tokens, _)| tokens))
    }

    /// The token set with the origins it was issued for (`None`: not recorded).
    pub fn get_bound_tokens(
        &self,
        profile: &ProfileId,
    ) -> Result<Option<(TokenSet, Option<Binding>)>, VaultError> {
        let Some(raw) = self.get_raw(profile, SecretKind::Tokens)? else { return Ok(None) };
        let stored: StoredTokens =
            serde_json::from_str(raw.expose()).map_err(|e| VaultError::Damaged(e.to_string()))?;
        let binding = stored.binding.clone();
        Ok(Some((stored.into_token_set(), binding)))
    }

    /// The token set, when it was issued for `binding` (or before origins were recorded). One
    /// issued for other origins — the profile's URLs moved since — is deleted, never handed out.
    pub fn get_tokens_for(
        &self,
        profile: &ProfileId,
        binding: &Binding,
    ) -> Result<Option<TokenSet>, VaultError> {
        match self.get_bound_tokens(profile)? {
            Some((_, Some(issued_for))) if issued_for != *binding => {
                self.delete(profile, SecretKind::Tokens)?;
                Ok(None)
            }
            other => Ok(other.map(|(tokens, _)| tokens)),
        }
    }

    /// Keeps a token set without the origins it was issued for.
    pub fn set_tokens(&self, profile: &ProfileId, tokens: &TokenSet) -> Result<(), VaultError> {
        self.write_tokens(profile, StoredTokens::from_token_set(tokens, None))
    }

    /// Keeps a token set with the origins it was issued for.
    pub fn set_bound_tokens(
        &self,
        profile: &ProfileId,
        tokens: &TokenSet,
        binding: &Binding,
    ) -> Result<(), VaultError> {
        self.write_tokens(profile, StoredTokens::from_token_set(tokens, Some(binding.clone())))
    }

    fn write_tokens(&self, profile: &ProfileId, stored: StoredTokens) -> Result<(), VaultError> {
        let json = serde_json::to_string(&stored).map_err(|e| VaultError::Failed(e.to_string()))?;
        self.set(profile, SecretKind::Tokens, &Secret::new(json))
    }

    /// Runs `op` on the keychain entry of a profile's secret, within the bound. No lock of the
    /// vault is held meanwhile.
    fn bounded<T: Send + 'static>(
        &self,
        profile: &ProfileId,
        kind: SecretKind,
        op: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<T, VaultError> {
        let service = self.service.clone();
        let user = format!("{}/{}", profile.as_str(), kind.key());
        let started = Instant::now();
        let wait = self.timeout();
        let answer = self.bound.run(move || {
            let _turn = keychain_turn(wait);
            keyring::Entry::new(&service, &user).and_then(|e| op(&e))
        });
        match answer {
            Ok(answer) => answer.map_err(|e| map_error(e, started.elapsed())),
            Err(bound::NoAnswer::TimedOut) => Err(VaultError::NoAnswer { waited: self.timeout() }),
            Err(bound::NoAnswer::NoThread(why)) => Err(VaultError::Failed(why)),
        }
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, HashMap<(ProfileId, SecretKind), Secret>> {
        self.memory.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// This program's turn at the keychain, among the app's programs (the window and each
/// `scopestack-cli`): a lock in the locks folder, waited for at most `wait`. On Linux,
/// gnome-keyring (42 to 50 at least) aborts when several clients open Secret Service sessions at
/// once (`gkd_secret_service_get_pkcs11_session: assertion 'client' failed`, GNOME
/// gnome-keyring#196): a `scopestack-cli token` beside the window's renewals brought it down after
/// 10 to 20 minutes of the long-day benchmark, taking every other program's keychain with it.
/// Without a locks folder, or past the wait, the call goes ahead anyway (its bound still holds).
#[cfg(target_os = "linux")]
fn keychain_turn(wait: Duration) -> Option<crate::file_lock::FileLock> {
    let path = crate::paths::locks_dir()?.join("keychain.lock");
    crate::file_lock::FileLock::acquire(&path, "using the system keychain", wait).ok()
}

/// Other systems' keychains serve several clients at once.
#[cfg(not(target_os = "linux"))]
fn keychain_turn(_wait: Duration) -> Option<()> {
    None
}

/// A keychain error in the vault's words; `waited`: how long the call took.
fn map_error(e: keyring::Error, waited: Duration) -> VaultError {
    let text = e.to_string();
    // Secret Service (Linux) speaks through D-Bus, whose failures arrive as text.
    #[cfg(target_os = "linux")]
    {
        // libdbus gave up waiting for the daemon's reply (its own timeout, shorter than the
        // bound): the daemon is there but does not answer, as when it is stopped. (Its message
        // says the reply may have been "blocked": not a locked keychain.)
        if text.contains("Did not receive a reply") || text.contains("NoReply") {
            return VaultError::NoAnswer { waited: Duration::from_secs(waited.as_secs().max(1)) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = waited;
    if text.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w.eq_ignore_ascii_case("locked")) {
        return VaultError::Locked;
    }
    // Nothing on the bus owns the keychain's name, and nothing can be started for it.
    #[cfg(target_os = "linux")]
    if text.contains("ServiceUnknown") || text.contains("not provided by any .service files") {
        return VaultError::Unavailable(text);
    }
    match e {
        keyring::Error::NoStorageAccess(inner) => VaultError::Unavailable(inner.to_string()),
        keyring::Error::BadEncoding(_) => VaultError::Damaged(text),
        _ => VaultError::Failed(text),
    }
}

/// The keychain form of a token set: only ever written into the keychain (or memory).
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
struct StoredTokens {
    access_token: String,
    token_type: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    issued_at: i64,
    #[serde(default)]
    expires_at: Option<i64>,
    expiry_source: ExpirySource,
    obtained_with: Method,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    binding: Option<Binding>,
}

impl StoredTokens {
    fn from_token_set(t: &TokenSet, binding: Option<Binding>) -> StoredTokens {
        StoredTokens {
            access_token: t.access_token.expose().to_string(),
            token_type: t.token_type.clone(),
            refresh_token: t.refresh_token.as_ref().map(|r| r.expose().to_string()),
            scope: t.scope.clone(),
            issued_at: t.issued_at,
            expires_at: t.expires_at,
            expiry_source: t.expiry_source,
            obtained_with: t.obtained_with,
            binding,
        }
    }

    fn into_token_set(self) -> TokenSet {
        TokenSet {
            access_token: Secret::new(self.access_token),
            token_type: self.token_type,
            refresh_token: self.refresh_token.map(Secret::new),
            scope: self.scope,
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            expiry_source: self.expiry_source,
            obtained_with: self.obtained_with,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_settings_folder_has_its_own_keychain_service() {
        assert_eq!(keychain_service_for(None), "ScopeStack Companion");
        let a = keychain_service_for(Some(std::path::Path::new("/tmp/a")));
        let b = keychain_service_for(Some(std::path::Path::new("/tmp/b")));
        assert_eq!(a, "ScopeStack Companion (/tmp/a)");
        assert_ne!(a, b);
    }

    fn sample_tokens() -> TokenSet {
        TokenSet {
            access_token: Secret::new("access-abc"),
            token_type: "Bearer".into(),
            refresh_token: Some(Secret::new("refresh-xyz")),
            scope: Some("read write".into()),
            issued_at: 100,
            expires_at: Some(7300),
            expiry_source: ExpirySource::ExpiresIn,
            obtained_with: Method::Password,
        }
    }

    #[test]
    fn session_only_keeps_secrets_per_profile_and_kind() {
        let vault = Vault::session_only();
        let (a, b) = (ProfileId::new("a"), ProfileId::new("b"));
        vault.set(&a, SecretKind::ClientSecret, &Secret::new("s1")).unwrap();
        vault.set(&b, SecretKind::ClientSecret, &Secret::new("s2")).unwrap();
        assert_eq!(vault.get(&a, SecretKind::ClientSecret).unwrap(), Some(Secret::new("s1")));
        assert_eq!(vault.get(&a, SecretKind::Password).unwrap(), None);
        vault.forget_profile(&a).unwrap();
        assert_eq!(vault.get(&a, SecretKind::ClientSecret).unwrap(), None);
        assert_eq!(vault.get(&b, SecretKind::ClientSecret).unwrap(), Some(Secret::new("s2")));
    }

    #[test]
    fn token_sets_round_trip() {
        let vault = Vault::session_only();
        let p = ProfileId::new("p");
        assert_eq!(vault.get_tokens(&p).unwrap(), None);
        vault.set_tokens(&p, &sample_tokens()).unwrap();
        assert_eq!(vault.get_tokens(&p).unwrap(), Some(sample_tokens()));
    }

    #[test]
    fn kept_secrets_carry_the_origin_they_were_given_for() {
        let vault = Vault::session_only();
        let p = ProfileId::new("p");
        vault
            .set_kept(
                &p,
                SecretKind::ClientSecret,
                &Secret::new("s3cr3t"),
                "https://app.scopestack.io",
            )
            .unwrap();
        let kept = vault.get_kept(&p, SecretKind::ClientSecret).unwrap().unwrap();
        assert_eq!(
            kept,
            KeptSecret {
                value: Secret::new("s3cr3t"),
                given_for: Some("https://app.scopestack.io".into())
            }
        );
        assert_eq!(
            vault.get(&p, SecretKind::ClientSecret).unwrap(),
            Some(Secret::new("s3cr3t")),
            "get() gives the value alone"
        );
        vault.set(&p, SecretKind::Password, &Secret::new("{\"not\": \"an envelope\"}")).unwrap();
        let legacy = vault.get_kept(&p, SecretKind::Password).unwrap().unwrap();
        assert_eq!(legacy.given_for, None);
        assert_eq!(legacy.value.expose(), "{\"not\": \"an envelope\"}");
    }

    #[test]
    fn token_sets_keep_the_origins_they_were_issued_for() {
        let vault = Vault::session_only();
        let p = ProfileId::new("p");
        let binding = Binding {
            token_origin: "https://app.scopestack.io".into(),
            api_origin: "https://api.scopestack.io".into(),
        };
        vault.set_bound_tokens(&p, &sample_tokens(), &binding).unwrap();
        assert_eq!(
            vault.get_bound_tokens(&p).unwrap(),
            Some((sample_tokens(), Some(binding.clone())))
        );
        let moved = Binding { token_origin: "https://collect.example".into(), ..binding.clone() };
        assert_eq!(vault.get_tokens_for(&p, &binding).unwrap(), Some(sample_tokens()));
        assert_eq!(
            vault.get_tokens_for(&p, &moved).unwrap(),
            None,
            "issued for other origins: not handed out"
        );
        assert_eq!(vault.get_bound_tokens(&p).unwrap(), None, "and deleted");
        vault.set_tokens(&p, &sample_tokens()).unwrap();
        assert_eq!(vault.get_bound_tokens(&p).unwrap(), Some((sample_tokens(), None)));
        assert_eq!(
            vault.get_tokens_for(&p, &moved).unwrap(),
            Some(sample_tokens()),
            "kept before origins were recorded: used"
        );
    }

    #[test]
    fn a_damaged_token_entry_says_sign_in_again() {
        let vault = Vault::session_only();
        let p = ProfileId::new("p");
        vault.set(&p, SecretKind::Tokens, &Secret::new("{not json")).unwrap();
        let err = vault.get_tokens(&p).unwrap_err();
        assert!(err.to_string().contains("Sign in again"), "{err}");
    }
}
