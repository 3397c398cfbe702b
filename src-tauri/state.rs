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
    /// Why the secure HTTP client could not start, if it could not: every network action then
    /// fails with it ([`AppState::can_send`]) rather than send with a weaker client.
    pub http_failure: Option<String>,
    /// Kept so the sandbox serves for as long as the app runs.
    _sandbox: Option<sandbox::Sandbox>,
}

/// The engine's HTTP client, from how building the secure one went: that client; or, never a
/// weaker one in its place, a client that cannot send anything (it trusts no certificate and
/// refuses plain `http://`) with the reason the secure one failed, which every network action
/// then returns. An error only if not even that client can be built.
pub fn engine_http(
    built: Result<reqwest::Client, reqwest::Error>,
) -> Result<(reqwest::Client, Option<String>), String> {
    let e = match built {
        Ok(client) => return Ok((client, None)),
        Err(e) => e,
    };
    let reason = error_chain(&e);
    let closed = reqwest::Client::builder()
        .https_only(true)
        .tls_built_in_root_certs(false)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .map_err(|closed| {
            format!(
                "{} (and no stand-in that sends nothing could be built either: {})",
                no_secure_http(&reason),
                error_chain(&closed)
            )
        })?;
    Ok((closed, Some(reason)))
}

/// An error and its causes on one line ("builder error: zero valid certificates found…").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What a network action says when the secure HTTP client could not start: what happened, that
/// nothing was sent, and what to do.
pub fn no_secure_http(reason: &str) -> CommandError {
    let message = format!(
        "The app's secure HTTP client could not start: {reason}. Restart the app; if it keeps happening, check that this computer's trusted certificates can be read (the ca-certificates package, and the files SSL_CERT_FILE or SSL_CERT_DIR name, if set), then export a support bundle and send it to whoever supports the app."
    );
    let diagnosis = engine::diagnose::Diagnosis::new(engine::diagnose::codes::LOCAL_OTHER, "The app cannot send anything over the network")
        .cause(format!("The app's secure HTTP client could not start: {reason}."))
        .cause("Rather than send with a weaker client, the app sends nothing: getting, renewing, verifying and revoking tokens and the request tester all stop here. Tokens and secrets already kept are untouched.")
        .step("Restart the app.")
        .step("If it keeps happening, check that this computer's trusted certificates can be read: the ca-certificates package, and the files SSL_CERT_FILE or SSL_CERT_DIR name, if set, must hold valid certificates.")
        .step("Still failing? Export a support bundle and send it to whoever supports the app.")
        .details(reason.to_string());
    CommandError::Engine { kind: engine::ErrorKind::Local, message, diagnosis: Box::new(diagnosis) }
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
    /// error only if not even a client that sends nothing can be built).
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
        let (http, http_failure) =
            engine_http(engine::http::client(engine::http::HttpSettings::default()))?;
        if let Some(reason) = &http_failure {
            tracing::error!(%reason, "the secure HTTP client could not start: nothing will be sent");
            notices.push(no_secure_http(reason).to_string());
        }
        crate::launch_phase("http");
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
            http_failure,
            _sandbox: running,
        })
    }

    /// Whether the engine can send anything: when its secure HTTP client could not start, the
    /// error every network action returns instead of trying.
    pub fn can_send(&self) -> Result<(), CommandError> {
        self.http_failure.as_deref().map_or(Ok(()), |reason| Err(no_secure_http(reason)))
    }

    /// An engine failure as the command returns it; a network failure met because the secure HTTP
    /// client could not start (a renewal on the way to copying a token) says so instead.
    pub fn engine_failure(&self, e: engine::EngineError) -> CommandError {
        match &self.http_failure {
            Some(reason) if e.kind() == engine::ErrorKind::Network => no_secure_http(reason),
            _ => e.into(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    /// A real failed build of a client (no TLS version left to speak).
    fn failed_build() -> reqwest::Error {
        match reqwest::Client::builder()
            .use_rustls_tls()
            .min_tls_version(reqwest::tls::Version::TLS_1_3)
            .max_tls_version(reqwest::tls::Version::TLS_1_2)
            .build()
        {
            Ok(_) => panic!("a client with no TLS version should not build"),
            Err(e) => e,
        }
    }

    /// What reaches a loopback listener when `client` sends a token to it, and whether it was sent.
    async fn send_to_listener(client: &reqwest::Client, scheme: &str) -> (bool, Vec<u8>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let url = format!("{scheme}://127.0.0.1:{port}/v1/me");
        let sent =
            client.get(&url).bearer_auth("secret-token").timeout(Duration::from_secs(5)).send();
        let received = async {
            let Ok(Ok((mut socket, _))) =
                tokio::time::timeout(Duration::from_secs(2), listener.accept()).await
            else {
                return Vec::new();
            };
            let mut bytes = vec![0u8; 4096];
            let n = tokio::time::timeout(Duration::from_secs(2), socket.read(&mut bytes))
                .await
                .ok()
                .and_then(|r| r.ok())
                .unwrap_or(0);
            bytes.truncate(n);
            bytes
        };
        let (sent, received) = tokio::join!(sent, received);
        (sent.is_ok(), received)
    }

    #[test]
    fn the_secure_client_is_used_when_it_builds() {
        let (_, failure) = engine_http(Ok(reqwest::Client::new())).expect("a client");
        assert_eq!(failure, None);
    }

    #[tokio::test]
    async fn a_secure_client_that_failed_is_never_replaced_by_one_that_sends() {
        let (client, failure) = engine_http(Err(failed_build())).expect("a stand-in client");
        let reason = failure.expect("the reason is kept");
        assert!(
            reason.contains("empty supported tls versions"),
            "the cause, not only \"builder error\": {reason}"
        );
        let (sent, received) = send_to_listener(&client, "http").await;
        assert!(
            !sent && received.is_empty(),
            "nothing is sent over plain http: {:?}",
            String::from_utf8_lossy(&received)
        );
        let (sent, received) = send_to_listener(&client, "https").await;
        assert!(!sent, "no TLS server can be trusted");
        assert!(
            !received.windows(12).any(|w| w == b"secret-token")
                && received.first().is_none_or(|b| *b == 0x16),
            "at most a TLS hello reaches the server: {received:?}"
        );
    }

    #[test]
    fn a_network_action_says_what_happened_and_what_to_do() {
        let error = serde_json::to_value(no_secure_http(
            "builder error: zero valid certificates found in native root store",
        ))
        .expect("serializable");
        assert_eq!(error["kind"], "local");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.starts_with("The app's secure HTTP client could not start: builder error: zero valid certificates found in native root store. Restart the app; if it keeps happening, "), "{message}");
        assert_eq!(error["diagnosis"]["title"], "The app cannot send anything over the network");
        assert_eq!(error["diagnosis"]["what_to_do"][0], "Restart the app.");
        assert_eq!(
            error["diagnosis"]["fixes"],
            serde_json::json!([]),
            "no Retry: trying again cannot help"
        );
    }
}
