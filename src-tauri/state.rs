//! What the running app holds: the profiles store and the built-in sandbox it started.

use engine::{Endpoints, Profile, ProfileStore};
use serde::Serialize;
use std::sync::Mutex;
use url::Url;

/// Whether the built-in sandbox is serving, and where.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SandboxStatus {
    Running { base_url: Url },
    Failed { message: String },
}

pub struct AppState {
    pub profiles: Result<Mutex<ProfileStore>, String>,
    pub sandbox: SandboxStatus,
    /// Something to tell the user once (for example, a profiles file that could not be read).
    pub notice: Option<String>,
    /// Kept so the sandbox serves for as long as the app runs.
    _sandbox: Option<sandbox::Sandbox>,
}

impl AppState {
    /// Starts the built-in sandbox on a free loopback port and opens the profiles store.
    /// Neither failure stops the app: each is shown in the window with what to do.
    pub async fn start() -> AppState {
        let (running, sandbox) = match sandbox::Sandbox::start(sandbox::SandboxConfig::default()).await {
            Ok(running) => match Url::parse(&running.base_url()) {
                Ok(base_url) => {
                    tracing::info!(%base_url, "built-in sandbox started");
                    (Some(running), SandboxStatus::Running { base_url })
                }
                Err(e) => (None, SandboxStatus::Failed { message: e.to_string() }),
            },
            Err(e) => (None, SandboxStatus::Failed { message: e.to_string() }),
        };
        let (profiles, notice) = match ProfileStore::open_default() {
            Ok((store, notice)) => (Ok(Mutex::new(store)), notice.map(|n| n.to_string())),
            Err(e) => (Err(e.to_string()), None),
        };
        AppState { profiles, sandbox, notice, _sandbox: running }
    }

    pub fn sandbox_base(&self) -> Option<&Url> {
        match &self.sandbox {
            SandboxStatus::Running { base_url } => Some(base_url),
            SandboxStatus::Failed { .. } => None,
        }
    }
}

/// A profile with the URLs it will use right now (the sandbox's port is chosen at launch).
#[derive(Serialize)]
pub struct ProfileView {
    pub profile: Profile,
    pub endpoints: Option<Endpoints>,
}

impl ProfileView {
    pub fn new(profile: &Profile, sandbox_base: Option<&Url>) -> ProfileView {
        ProfileView { profile: profile.clone(), endpoints: profile.environment.endpoints(sandbox_base).ok() }
    }
}
