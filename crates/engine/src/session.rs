//! The engine's front door, reading like the quick start: obtain a token, keep it renewed,
//! revoke it, verify it. Secrets come from and go to the vault; the front ends never hold them
//! longer than a form field.

use crate::error::EngineError;
use crate::file_lock::FileLock;
use crate::oauth::authcode::{self, PendingSignIn};
use crate::oauth::loopback::{LoopbackListener, PortChoice};
use crate::oauth::revoke::{self, Revocation};
use crate::oauth::{grants, ClientSettings};
use crate::profiles::{Endpoints, Environment, Method, Profile};
use crate::renewals::{RenewalCounter, RenewalTally, RenewedBy};
use crate::secret::Secret;
use crate::tokens::{now_unix, TokenSet};
use crate::vault::{Binding, SecretKind, Vault, VaultMode};
use crate::verify::{self, Identity};
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use url::Url;

/// Renew this many seconds before a token expires, by default.
pub const DEFAULT_RENEW_MARGIN_SECS: i64 = 60;

/// How long a renewal waits while another program renews the same profile's token: longer than
/// one token request may take (the HTTP client gives up after 30 s).
const RENEWAL_WAIT: Duration = Duration::from_secs(45);

/// A profile with the URLs it uses right now.
#[derive(Clone, Debug)]
pub struct Target {
    pub profile: Profile,
    pub endpoints: Endpoints,
}

/// What the built-in sandbox's secrets are bound to: its port changes at each launch, so it is
/// named rather than addressed.
pub const SANDBOX_ORIGIN: &str = "the built-in sandbox";

/// The origins a profile's secrets go to with its settings as they are: a kept secret or token
/// given for other origins is held back.
pub fn binding_of(profile: &Profile) -> Binding {
    match &profile.environment {
        Environment::BuiltInSandbox => {
            Binding { token_origin: SANDBOX_ORIGIN.into(), api_origin: SANDBOX_ORIGIN.into() }
        }
        Environment::Server(endpoints) => Binding {
            token_origin: crate::origin::of(&endpoints.token_url),
            api_origin: crate::origin::of(&endpoints.api_url),
        },
    }
}

impl Target {
    /// [`binding_of`] this target's profile.
    pub fn binding(&self) -> Binding {
        binding_of(&self.profile)
    }
}

/// Kept secrets of a profile whose token URL moved to another origin since they were given:
/// they wait for the user's word (or to be given again) before they go there.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SecretsMoved {
    /// "client secret", "password": what waits.
    pub secrets: Vec<&'static str>,
    /// The host they were given for, as people read it.
    pub given_for: String,
    /// The host the profile now sends them to.
    pub now: String,
}

/// Which secrets a profile keeps, and those that wait for the user's word.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct KeptSecrets {
    pub client_secret: bool,
    pub password: bool,
    pub moved: Option<SecretsMoved>,
}

fn secret_words(kind: SecretKind) -> &'static str {
    match kind {
        SecretKind::ClientSecret => "client secret",
        SecretKind::Password => "password",
        SecretKind::Tokens => "tokens",
    }
}

/// Secrets typed in for this request. What is `None` is looked up in the vault.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub client_secret: Option<Secret>,
    pub password: Option<Secret>,
}

/// The steps of a browser sign-in, for progress displays.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum SignInStage {
    OpeningBrowser { url: String },
    WaitingForBrowser { redirect_uri: String },
    ExchangingCode,
}

/// What a token is asked for ([`Engine::token`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// A new token by the profile's method, now: the window's Get New Access Token, `login`, and
    /// the command line's one-off and Sandbox runs (which keep nothing to use again).
    New,
    /// A token valid now: the kept one, renewed first when due. A direct method (client
    /// credentials, password) gets a new one when there is none yet, or when it cannot be renewed
    /// and secrets were given for this request; a browser sign-in never starts unasked: the
    /// answer is then [`EngineError::NoToken`] or [`EngineError::SignInAgain`].
    ValidNow,
}

/// A front end's part in getting a token ([`Engine::token`]): what it shows or checks before a
/// direct request, how a browser sign-in goes there, and how it reports a failure.
pub trait SignInFrontEnd {
    /// What the front end's commands fail with.
    type Error;

    /// A failure of getting the token, as the front end reports it (explained against the
    /// profile's token request, in its words).
    fn failure(&self, e: EngineError) -> Self::Error;

    /// Just before a direct token request (client credentials, password) goes out: the window
    /// shows its progress, the command line checks that the secrets it needs were given. An
    /// error stops the request.
    fn before_direct_request(&self) -> Result<(), Self::Error>;

    /// A browser sign-in, the front end's way (the system browser and a loopback listener, an
    /// in-app window, a pasted address), keeping the token set as the engine's sign-in calls
    /// do. `None`: it finishes later, in another call (the window's paste mode waits for the
    /// address the browser ended on).
    fn browser_sign_in(&self)
        -> impl Future<Output = Result<Option<TokenSet>, Self::Error>> + Send;
}

/// Opens a URL in the user's browser. Injected, so tests and the CLI's `$BROWSER` can stand in.
pub trait BrowserOpener: Send + Sync {
    fn open(&self, url: &Url) -> Result<(), String>;
}

/// What happened when a token was revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct RevokeOutcome {
    /// Whether the server confirmed the revocation (false: it has no revocation endpoint).
    pub revoked_on_server: bool,
    /// Always true: the tokens are gone from this computer.
    pub deleted_locally: bool,
}

pub struct Engine {
    pub vault: Vault,
    /// The clients of token requests, revocation and `/v1/me`, picked by URL.
    http: crate::http::Clients,
    /// A fixed renewal margin (tests); `None`: [`TokenSet::due_for_renewal`]'s.
    renew_margin_secs: Option<i64>,
    /// One renewal at a time: servers rotate refresh tokens, so two renewals racing with the
    /// same refresh token would leave the second with a revoked one.
    renewing: tokio::sync::Mutex<()>,
    /// Where the locks live that hold the same rule across programs (the app and each CLI
    /// command share the keychain's tokens); `None`: within this process only.
    renewal_locks: Option<PathBuf>,
    /// The request tester's HTTP clients ([`crate::http::Clients::lazy_tester`]), each built on
    /// first use; their connections are pooled across requests.
    tester_client: crate::http::Clients,
    /// Account slugs read from `/v1/me`, by API URL and a hash of the token they were read with.
    account_slugs: std::sync::Mutex<std::collections::HashMap<(String, u64), String>>,
    /// Renewals so far, by way.
    renewals: RenewalCounter,
}

impl Engine {
    /// An engine over `vault`, sending with `http`: one client for every URL, or
    /// [`crate::http::Clients::lazy`] to build them on first use (no certificate store read for
    /// http:// to this computer).
    pub fn new(vault: Vault, http: impl Into<crate::http::Clients>) -> Engine {
        Engine {
            vault,
            http: http.into(),
            renew_margin_secs: None,
            renewing: tokio::sync::Mutex::new(()),
            renewal_locks: None,
            tester_client: crate::http::Clients::lazy_tester(Default::default()),
            account_slugs: Default::default(),
            renewals: Default::default(),
        }
    }

    /// Renews one profile's token at a time across every program that uses `dir` for these
    /// locks too (the app and the CLI use `<settings folder>/locks`).
    pub fn with_renewal_locks(mut self, dir: PathBuf) -> Engine {
        self.renewal_locks = Some(dir);
        self
    }

    /// [`Engine::with_renewal_locks`] in the folder every program of the app uses
    /// ([`crate::paths::locks_dir`]); as it is when there is no settings folder.
    pub fn with_shared_renewal_locks(self) -> Engine {
        match crate::paths::locks_dir() {
            Some(dir) => self.with_renewal_locks(dir),
            None => self,
        }
    }

    pub fn with_renew_margin(mut self, secs: i64) -> Engine {
        self.renew_margin_secs = Some(secs);
        self
    }

    pub fn http(&self) -> &crate::http::Clients {
        &self.http
    }

    /// The request tester's clients, each built on first use (for http:// to this computer, or
    /// for anything else).
    pub fn tester_client(&self) -> &crate::http::Clients {
        &self.tester_client
    }

    /// The account slug read before for this API URL and token hash, if any.
    pub(crate) fn known_account_slug(&self, key: &(String, u64)) -> Option<String> {
        self.account_slugs.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    pub(crate) fn remember_account_slug(&self, key: (String, u64), slug: String) {
        self.account_slugs.lock().unwrap_or_else(|e| e.into_inner()).insert(key, slug);
    }

    /// Keeps a client secret or password in the vault for next time, bound to the origin of the
    /// profile's token URL.
    pub fn remember(
        &self,
        target: &Target,
        kind: SecretKind,
        value: &Secret,
    ) -> Result<(), EngineError> {
        Ok(self.vault.set_kept(&target.profile.id, kind, value, &target.binding().token_origin)?)
    }

    /// A kept client secret or password, when it may go to the profile's token URL: it was given
    /// for that origin (or kept before origins were recorded). Given for another origin, it is
    /// not used: [`EngineError::SecretGivenElsewhere`].
    fn kept(&self, target: &Target, kind: SecretKind) -> Result<Option<Secret>, EngineError> {
        let Some(kept) = self.vault.get_kept(&target.profile.id, kind)? else { return Ok(None) };
        let now = target.binding().token_origin;
        match kept.given_for {
            Some(given_for) if given_for != now => Err(EngineError::SecretGivenElsewhere {
                secret: secret_words(kind),
                given_for: crate::origin::label_of_origin(&given_for),
                now: crate::origin::label_of_origin(&now),
            }),
            _ => Ok(Some(kept.value)),
        }
    }

    /// Which secrets are kept for the profile (whether, never what), and which of them wait for
    /// the user's word because the token URL moved since they were given.
    pub fn kept_secrets(&self, target: &Target) -> Result<KeptSecrets, EngineError> {
        let now = target.binding().token_origin;
        let mut kept = KeptSecrets::default();
        for kind in [SecretKind::ClientSecret, SecretKind::Password] {
            let Some(secret) = self.vault.get_kept(&target.profile.id, kind)? else { continue };
            match kind {
                SecretKind::ClientSecret => kept.client_secret = true,
                _ => kept.password = true,
            }
            let Some(given_for) = secret.given_for.filter(|g| *g != now) else { continue };
            let entry = kept.moved.get_or_insert_with(|| SecretsMoved {
                secrets: Vec::new(),
                given_for: crate::origin::label_of_origin(&given_for),
                now: crate::origin::label_of_origin(&now),
            });
            entry.secrets.push(secret_words(kind));
        }
        Ok(kept)
    }

    /// [`Engine::kept_secrets`]' `moved`: `None` when no kept secret waits.
    pub fn kept_secrets_moved(&self, target: &Target) -> Result<Option<SecretsMoved>, EngineError> {
        Ok(self.kept_secrets(target)?.moved)
    }

    /// The user's word that the kept secrets may go to the profile's token URL as it is now:
    /// they are bound to its origin from here on.
    pub fn confirm_kept_secrets(&self, target: &Target) -> Result<(), EngineError> {
        let now = target.binding().token_origin;
        for kind in [SecretKind::ClientSecret, SecretKind::Password] {
            if let Some(kept) = self.vault.get_kept(&target.profile.id, kind)? {
                if kept.given_for.as_deref() != Some(now.as_str()) {
                    self.vault.set_kept(&target.profile.id, kind, &kept.value, &now)?;
                }
            }
        }
        Ok(())
    }

    /// The stored token set, when it was issued for the profile's URLs as they are now. One
    /// issued for other origins (the profile's URLs moved since) is deleted, never sent.
    fn tokens_of(&self, target: &Target) -> Result<Option<TokenSet>, EngineError> {
        Ok(self.vault.get_tokens_for(&target.profile.id, &target.binding())?)
    }

    fn keep_tokens(&self, target: &Target, tokens: &TokenSet) -> Result<(), EngineError> {
        Ok(self.vault.set_bound_tokens(&target.profile.id, tokens, &target.binding())?)
    }

    fn settings(
        &self,
        target: &Target,
        creds: &Credentials,
    ) -> Result<ClientSettings, EngineError> {
        let client_secret = match &creds.client_secret {
            Some(s) => Some(s.clone()),
            None => self.kept(target, SecretKind::ClientSecret)?,
        };
        Ok(ClientSettings {
            token_url: target.endpoints.token_url.clone(),
            client_id: target.profile.client_id.clone(),
            client_secret,
            client_auth: target.profile.client_auth,
            scope: target.profile.scope.clone(),
        })
    }

    fn password(
        &self,
        target: &Target,
        creds: &Credentials,
    ) -> Result<Option<Secret>, EngineError> {
        match &creds.password {
            Some(p) => Ok(Some(p.clone())),
            None => self.kept(target, SecretKind::Password),
        }
    }

    /// Client credentials or password: one request, and the token set is stored.
    pub async fn obtain_direct(
        &self,
        target: &Target,
        creds: &Credentials,
    ) -> Result<TokenSet, EngineError> {
        let settings = self.settings(target, creds)?;
        let tokens = match target.profile.method {
            Method::ClientCredentials => grants::client_credentials(&self.http, &settings).await?,
            Method::Password => {
                let password = self.password(target, creds)?.unwrap_or_else(|| Secret::new(""));
                grants::password(&self.http, &settings, &target.profile.username, &password).await?
            }
            Method::BrowserLogin => {
                return Err(EngineError::MissingInput(
                    "Browser login needs a browser: use the sign-in flow.".into(),
                ));
            }
        };
        self.keep_tokens(target, &tokens)?;
        Ok(tokens)
    }

    /// Starts a browser sign-in whose answer will come to `redirect_uri` (the in-app window and
    /// paste mode; the loopback flow is [`Engine::sign_in_with_loopback`]).
    pub fn begin_sign_in(
        &self,
        target: &Target,
        creds: &Credentials,
        redirect_uri: &Url,
    ) -> Result<PendingSignIn, EngineError> {
        authcode::begin(
            &self.settings(target, creds)?,
            &target.endpoints.authorize_url,
            redirect_uri,
        )
    }

    /// Finishes a browser sign-in from the address the browser ended on; stores the token set.
    pub async fn finish_sign_in(
        &self,
        target: &Target,
        creds: &Credentials,
        pending: PendingSignIn,
        callback_url: &str,
    ) -> Result<TokenSet, EngineError> {
        let code = authcode::code_from_pasted(&pending, callback_url)?;
        let tokens =
            authcode::exchange(&self.http, &self.settings(target, creds)?, pending, code).await?;
        self.keep_tokens(target, &tokens)?;
        Ok(tokens)
    }

    /// The whole browser sign-in through the system browser and a loopback listener. The port
    /// is freed on success, error, cancel and timeout.
    pub async fn sign_in_with_loopback(
        &self,
        target: &Target,
        creds: &Credentials,
        opener: &dyn BrowserOpener,
        timeout: Duration,
        cancel: &CancellationToken,
        progress: &(dyn Fn(SignInStage) + Send + Sync),
    ) -> Result<TokenSet, EngineError> {
        let settings = self.settings(target, creds)?;
        let registered = match &target.profile.callback.redirect_uri {
            Some(uri) => Some(Url::parse(uri).map_err(|e| {
                EngineError::MissingInput(format!(
                    "The callback URL \"{uri}\" is not a valid address ({e})."
                ))
            })?),
            None => None,
        };
        let listener = LoopbackListener::bind(registered.as_ref(), PortChoice::Registered).await?;
        let pending =
            authcode::begin(&settings, &target.endpoints.authorize_url, listener.redirect_uri())?;
        progress(SignInStage::OpeningBrowser { url: pending.authorize_url.to_string() });
        opener.open(&pending.authorize_url).map_err(EngineError::BrowserOpen)?;
        progress(SignInStage::WaitingForBrowser { redirect_uri: pending.redirect_uri.to_string() });
        let code = listener.receive(&pending, timeout, cancel).await?;
        progress(SignInStage::ExchangingCode);
        let tokens = tokio::select! {
            result = authcode::exchange(&self.http, &settings, pending, code) => result?,
            _ = cancel.cancelled() => return Err(EngineError::Cancelled),
        };
        self.keep_tokens(target, &tokens)?;
        Ok(tokens)
    }

    /// A token, as `want` says: the kept one when it is valid now (renewed first when due), or a
    /// new one by the profile's method — one request for client credentials and password
    /// (stopped by `cancel`), or `front`'s browser sign-in. The one decision both front ends
    /// make; `Ok(None)` only when the browser sign-in finishes later
    /// ([`SignInFrontEnd::browser_sign_in`]).
    pub async fn token<F: SignInFrontEnd>(
        &self,
        target: &Target,
        creds: &Credentials,
        want: Want,
        cancel: &CancellationToken,
        front: &F,
    ) -> Result<Option<TokenSet>, F::Error> {
        let direct = target.profile.method != Method::BrowserLogin;
        if want == Want::ValidNow {
            let secrets_given = creds.client_secret.is_some() || creds.password.is_some();
            match self.valid_token(target).await {
                Ok(tokens) => return Ok(Some(tokens)),
                Err(EngineError::NoToken) if direct => {}
                Err(EngineError::SignInAgain { .. }) if direct && secrets_given => {}
                Err(e) => return Err(front.failure(e)),
            }
        }
        if !direct {
            return front.browser_sign_in().await;
        }
        front.before_direct_request()?;
        tokio::select! {
            result = self.obtain_direct(target, creds) => result.map(Some).map_err(|e| front.failure(e)),
            _ = cancel.cancelled() => Err(front.failure(EngineError::Cancelled)),
        }
    }

    /// The stored token set, without renewing.
    pub fn stored_tokens(&self, target: &Target) -> Result<Option<TokenSet>, EngineError> {
        self.tokens_of(target)
    }

    /// A token that is valid now: the stored one, renewed first when it expires within the margin.
    pub async fn valid_token(&self, target: &Target) -> Result<TokenSet, EngineError> {
        let tokens = self.tokens_of(target)?.ok_or(EngineError::NoToken)?;
        if !self.due(&tokens) {
            return Ok(tokens);
        }
        let _one_at_a_time = self.renewing.lock().await;
        let _nor_elsewhere = self.renewal_lock(target).await?;
        // Another caller, here or in another program, may have renewed it while this one waited.
        let tokens = self.tokens_of(target)?.ok_or(EngineError::NoToken)?;
        if !self.due(&tokens) {
            return Ok(tokens);
        }
        self.renew_now(target).await
    }

    /// Whether `tokens` should be renewed now.
    pub fn due(&self, tokens: &TokenSet) -> bool {
        match self.renew_margin_secs {
            Some(margin) => tokens.needs_renewal(now_unix(), margin),
            None => tokens.due_for_renewal(now_unix()),
        }
    }

    /// Renews now: with the refresh token when there is one; else client credentials ask again;
    /// a password grant asks again only when the password was kept. Otherwise: sign in again.
    pub async fn renew(&self, target: &Target) -> Result<TokenSet, EngineError> {
        let _one_at_a_time = self.renewing.lock().await;
        let _nor_elsewhere = self.renewal_lock(target).await?;
        self.renew_now(target).await
    }

    /// The lock across programs for renewing this profile's token; none when there is no lock
    /// folder, or when the tokens are in this process's memory only.
    async fn renewal_lock(&self, target: &Target) -> Result<Option<FileLock>, EngineError> {
        let Some(dir) = &self.renewal_locks else { return Ok(None) };
        if self.vault.mode() == VaultMode::SessionOnly {
            return Ok(None);
        }
        let path = dir.join(format!("renew-{}.lock", lock_file_stem(target.profile.id.as_str())));
        Ok(Some(
            FileLock::acquire_async(&path, "renewing this profile's token", RENEWAL_WAIT).await?,
        ))
    }

    /// [`Engine::renew`], for a caller that holds the renewal locks. It reads the tokens only now,
    /// so a refresh token another program rotated meanwhile is the one used.
    async fn renew_now(&self, target: &Target) -> Result<TokenSet, EngineError> {
        let result = self.renewed(target).await;
        let failure = result.as_ref().err().map(|e| format!("{:?}", e.kind()));
        let outcome = match (&result, &failure) {
            (Ok((_, by)), _) => Ok(*by),
            (Err(_), failure) => Err(failure.as_deref().unwrap_or_default()),
        };
        self.renewals.note(target.profile.id.as_str(), outcome);
        result.map(|(tokens, _)| tokens)
    }

    /// The renewal itself, and which way it went.
    async fn renewed(&self, target: &Target) -> Result<(TokenSet, RenewedBy), EngineError> {
        let current = self.tokens_of(target)?.ok_or(EngineError::NoToken)?;
        let settings = self.settings(target, &Credentials::default())?;
        let (renewed, by) = if current.refresh_token.is_some() {
            match grants::refresh(&self.http, &settings, &current).await {
                Err(EngineError::SignInAgain { reason }) => {
                    match self.ask_again(target, &current, &settings).await {
                        Some(result) => (result, RenewedBy::AskingAgainAfterRefreshRefused),
                        None => return Err(EngineError::SignInAgain { reason }),
                    }
                }
                other => (other, RenewedBy::Refresh),
            }
        } else {
            match self.ask_again(target, &current, &settings).await {
                Some(result) => (result, RenewedBy::AskingAgain),
                None => return Err(EngineError::SignInAgain {
                    reason: "this token has no refresh token and the secrets to ask again were not kept.".into(),
                }),
            }
        };
        let renewed = renewed?;
        self.keep_tokens(target, &renewed)?;
        Ok((renewed, by))
    }

    /// The renewals this engine has made so far, by way, and those that failed.
    pub fn renewal_tally(&self) -> RenewalTally {
        self.renewals.tally()
    }

    /// A fresh direct request in place of a refresh, when the secrets for it are kept.
    async fn ask_again(
        &self,
        target: &Target,
        current: &TokenSet,
        settings: &ClientSettings,
    ) -> Option<Result<TokenSet, EngineError>> {
        let has_secret = settings.client_secret.as_ref().is_some_and(|s| !s.is_empty());
        match current.obtained_with {
            Method::ClientCredentials if has_secret => {
                Some(grants::client_credentials(&self.http, settings).await)
            }
            Method::Password if has_secret => match self.kept(target, SecretKind::Password) {
                Ok(Some(password)) => Some(
                    grants::password(&self.http, settings, &target.profile.username, &password)
                        .await,
                ),
                Ok(None) => None,
                Err(e) => Some(Err(e)),
            },
            _ => None,
        }
    }

    /// Revokes the tokens on the server (RFC 7009) and deletes them here, whatever the server says.
    pub async fn revoke(&self, target: &Target) -> Result<RevokeOutcome, EngineError> {
        let Some(tokens) = self.tokens_of(target)? else {
            return Ok(RevokeOutcome { revoked_on_server: false, deleted_locally: true });
        };
        let settings = self.settings(target, &Credentials::default())?;
        let mut outcome = Ok(Revocation::Revoked);
        if let Some(refresh) = &tokens.refresh_token {
            outcome = revoke::revoke(&self.http, &settings, refresh, "refresh_token").await;
        }
        if matches!(outcome, Ok(Revocation::Revoked)) {
            outcome =
                revoke::revoke(&self.http, &settings, &tokens.access_token, "access_token").await;
        }
        self.vault.delete(&target.profile.id, SecretKind::Tokens)?;
        let revoked = outcome?;
        Ok(RevokeOutcome {
            revoked_on_server: revoked == Revocation::Revoked,
            deleted_locally: true,
        })
    }

    /// Proves the token with `GET /v1/me` (renewing it first when due).
    pub async fn verify(&self, target: &Target) -> Result<Identity, EngineError> {
        let tokens = self.valid_token(target).await?;
        verify::verify(&self.http, &target.endpoints.api_url, &tokens.access_token).await
    }
}

/// A profile id as a file name: as it is when it is letters, digits, `-` and `_` (generated ids
/// are), else a hash of it.
fn lock_file_stem(id: &str) -> String {
    if !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return id.to_string();
    }
    use sha2::{Digest, Sha256};
    Sha256::digest(id.as_bytes()).iter().take(12).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_lock_file_name_never_leaves_the_lock_folder() {
        assert_eq!(super::lock_file_stem("p-00ff12ab34cd56ef"), "p-00ff12ab34cd56ef");
        for odd in ["../../etc/passwd", "a/b", "", "x y", &"long".repeat(40)] {
            let stem = super::lock_file_stem(odd);
            assert!(
                stem.len() == 24 && stem.chars().all(|c| c.is_ascii_hexdigit()),
                "{odd:?} -> {stem}"
            );
        }
        assert_ne!(super::lock_file_stem("a/b"), super::lock_file_stem("a/c"));
    }
}
