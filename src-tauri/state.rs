//! What the running app holds: the profiles store, the engine (with its vault), the built-in
//! sandbox, and the per-profile state of sign-ins, auto-renewal and the last verification.

use engine::session::Target;
use engine::verify::Identity;
use engine::{Endpoints, Engine, Profile, ProfileId, ProfileStore};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::error::CommandError;

/// Whether the built-in sandbox is serving, and where.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SandboxStatus {
    Running { base_url: Url },
    Failed { message: String },
}

/// The last automatic renewal of a profile's token.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct RenewalRecord {
    pub at: i64,
    pub ok: bool,
    pub message: String,
}

/// What the app remembers about one profile while it runs (never a secret).
#[derive(Default)]
pub struct ProfileRuntime {
    pub auto_renew_off: bool,
    pub last_renewal: Option<RenewalRecord>,
    /// The token (by its issue time) whose renewal failed, so it is not retried every tick.
    pub failed_for_issued_at: Option<i64>,
    pub identity: Option<Identity>,
    /// The sign-in running now, to cancel it.
    pub sign_in: Option<CancellationToken>,
    /// A browser sign-in waiting for the user to paste the address the browser ended on.
    pub pasted_sign_in: Option<engine::oauth::authcode::PendingSignIn>,
    /// The request of the request tester running now, to cancel it.
    pub request: Option<CancellationToken>,
}

pub struct AppState {
    pub profiles: Result<Mutex<ProfileStore>, String>,
    pub engine: Engine,
    pub sandbox: SandboxStatus,
    /// Something to tell the user once (for example, a profiles file that could not be read).
    pub notice: Option<String>,
    /// What the app holds for each profile while it runs (one map: runtime facts, the running
    /// sign-in and request, a sign-in waiting for its pasted address).
    pub runtime: Mutex<HashMap<ProfileId, ProfileRuntime>>,
    /// The request tester's recent exchanges (bodies in memory or temporary files).
    pub exchanges: std::sync::Arc<engine::requests::ExchangeStore>,
    /// The body viewer's indexed texts (raw or pretty) of the last few exchanges.
    pub text_views: std::sync::Arc<engine::requests::TextViews>,
    /// Each profile's recent requests, without secrets.
    pub history: Result<engine::requests::History, String>,
    /// Secrets on the clipboard waiting to be cleared (after a delay, or at exit).
    pub clipboard_clears: crate::pending_clears::PendingClears,
    /// Kept so the sandbox serves for as long as the app runs.
    _sandbox: Option<sandbox::Sandbox>,
}

/// The built-in sandbox's settings; `SCOPESTACK_COMPANION_SANDBOX_TOKEN_LIFETIME` (seconds)
/// shortens token lifetimes to rehearse renewal.
fn sandbox_config() -> sandbox::SandboxConfig {
    let mut config = sandbox::SandboxConfig::default();
    if let Some(secs) = std::env::var("SCOPESTACK_COMPANION_SANDBOX_TOKEN_LIFETIME")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        config.token_lifetime = std::time::Duration::from_secs(secs.max(1));
    }
    config
}

/// The vault over the OS keychain, checked, and the notice to show when it cannot be used: then
/// it keeps secrets for this session only. Each keychain call is bounded (engine::vault::bound),
/// so a locked keychain whose prompt nobody answers, or a stopped keychain daemon, costs the
/// start a few seconds at most, never a hang. Blocking: run off the async runtime's threads.
fn open_vault() -> (engine::vault::Vault, Option<String>) {
    use engine::vault::{SecretKind, Vault, VaultError};
    let vault = Vault::keychain();
    let session_only = |e: VaultError| {
        vault.use_session_only();
        Some(format!("{e} Until then, secrets and tokens are kept for this session only."))
    };
    if let Err(e) = vault.check() {
        let notice = session_only(e);
        return (vault, notice);
    }
    // Tokens of the built-in sandbox die with it (each run signs with a new key): drop the last
    // run's, so the window never shows a token that cannot work. The check above reads no
    // secret: a locked keychain first shows here, asking for its password.
    let notice = match vault
        .delete(&engine::ProfileId::new(engine::profiles::SANDBOX_PROFILE_ID), SecretKind::Tokens)
    {
        Err(e @ VaultError::NoAnswer { .. }) => session_only(e),
        _ => None,
    };
    (vault, notice)
}

/// Recovers the data behind a mutex even if a panic poisoned it: the data is plain state.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    /// Starts the built-in sandbox on a free loopback port, opens the profiles and checks the
    /// keychain. No failure stops the app: each is shown in the window with what to do (an
    /// error only if the keychain could not be checked at all).
    pub async fn start() -> Result<AppState, String> {
        // The keychain's answers come on a blocking thread, while the sandbox starts.
        let vault = tokio::task::spawn_blocking(open_vault);
        let (running, sandbox) = match sandbox::Sandbox::start(sandbox_config()).await {
            Ok(running) => match Url::parse(&running.base_url()) {
                Ok(base_url) => {
                    tracing::info!(%base_url, "built-in sandbox started");
                    (Some(running), SandboxStatus::Running { base_url })
                }
                Err(e) => (None, SandboxStatus::Failed { message: e.to_string() }),
            },
            Err(e) => (None, SandboxStatus::Failed { message: e.to_string() }),
        };
        crate::launch_phase("sandbox");
        let mut notices = Vec::new();
        let profiles = match ProfileStore::open_default() {
            Ok((store, notice)) => {
                notices.extend(notice.map(|n| n.to_string()));
                Ok(Mutex::new(store))
            }
            Err(e) => Err(e.to_string()),
        };
        let (vault, vault_notice) =
            vault.await.map_err(|e| format!("The keychain could not be checked: {e}"))?;
        notices.extend(vault_notice);
        crate::launch_phase("keychain");
        // Built at first use: plain http to this computer (the sandbox) never reads the system's
        // certificates; https reads them then, and says what to check when they cannot be read
        // (and tries again at the next request). Not reading them at start saves the idle app
        // about 1 MB, and the launch the work.
        let http = engine::http::Clients::lazy(engine::http::HttpSettings::default());
        Ok(AppState {
            profiles,
            // Renewing tokens one at a time together with the CLI and other windows.
            engine: Engine::new(vault, http).with_shared_renewal_locks(),
            sandbox,
            notice: (!notices.is_empty()).then(|| notices.join(" ")),
            runtime: Mutex::new(HashMap::new()),
            exchanges: std::sync::Arc::new(engine::requests::ExchangeStore::new()),
            text_views: std::sync::Arc::new(engine::requests::TextViews::new()),
            history: engine::requests::History::open_default().map_err(|e| e.to_string()),
            clipboard_clears: Default::default(),
            _sandbox: running,
        })
    }

    pub fn sandbox_base(&self) -> Option<&Url> {
        match &self.sandbox {
            SandboxStatus::Running { base_url } => Some(base_url),
            SandboxStatus::Failed { .. } => None,
        }
    }

    /// The profiles, with whatever another program (the CLI) wrote to the file since taken in. A
    /// file that cannot be read now is left to the next change to report; until then the
    /// profiles as last read are used.
    pub fn store(&self) -> Result<MutexGuard<'_, ProfileStore>, CommandError> {
        self.store_and_file_problem().map(|(store, _)| store)
    }

    /// [`AppState::store`], and why the file could not be taken in just now, if it could not:
    /// the snapshot shows that with the profiles.
    pub fn store_and_file_problem(
        &self,
    ) -> Result<(MutexGuard<'_, ProfileStore>, Option<String>), CommandError> {
        let store = self.profiles.as_ref().map_err(|e| CommandError::Startup(e.clone()))?;
        let mut store = lock(store);
        let problem = store.reload_if_changed().err().map(|e| e.to_string());
        Ok((store, problem))
    }

    /// Runs `change` on the profile's runtime under its lock (never hold it across a keychain
    /// call or an await).
    pub fn with_runtime<T>(
        &self,
        id: &ProfileId,
        change: impl FnOnce(&mut ProfileRuntime) -> T,
    ) -> T {
        change(lock(&self.runtime).entry(id.clone()).or_default())
    }

    /// A profile with the URLs it uses right now.
    pub fn target(&self, id: &ProfileId) -> Result<Target, CommandError> {
        let profile = self.store()?.get(id)?.clone();
        let endpoints = profile.environment.endpoints(self.sandbox_base())?;
        Ok(Target { profile, endpoints })
    }
}

/// A profile with the URLs it will use right now (the sandbox's port is chosen at launch).
#[derive(Serialize, specta::Type)]
pub struct ProfileView {
    pub profile: Profile,
    pub endpoints: Option<Endpoints>,
}

impl ProfileView {
    pub fn new(profile: &Profile, sandbox_base: Option<&Url>) -> ProfileView {
        ProfileView {
            profile: profile.clone(),
            endpoints: profile.environment.endpoints(sandbox_base).ok(),
        }
    }
}
