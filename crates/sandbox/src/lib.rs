//! A local simulator of ScopeStack: a Doorkeeper-like OAuth server and the JSON:API, on 127.0.0.1,
//! all state in memory, seeded with demo data.
//!
//! Modules:
//! - [`config`]: [`SandboxConfig`] (port, token and code lifetimes).
//! - [`error`]: [`SandboxError`], why a sandbox could not start.
//! - [`demo`]: the seeded account, OAuth clients and users; [`demo_data`].
//! - `kinds`: the resource types served (attributes, relationships, filters, sorts, actions).
//! - `records`, `seed`: the account's records of every type, seeded with related demo data.
//! - `state`: the in-memory store (codes, tokens, sessions, records).
//! - `jwt`, `random`, `clock`: token signing, random values, timestamps.
//! - `oauth`: `/oauth/authorize` (HTML pages), `/oauth/token`, `/oauth/revoke`, `/oauth/token/info`.
//! - `api`: `/v1/me`, `/{slug}/v1/{type}[/{id}[/{action}]]` for every type of `kinds`,
//!   `/{slug}/v1/sample-records`, and the OpenAPI description at `GET /`.
//! - `router`: all routes plus fallbacks and compression.
//!
//! Besides the API every caller needs ([`Sandbox::start`], [`Sandbox::addr`],
//! [`Sandbox::base_url`], [`Sandbox::shutdown`], [`demo_data`]), [`Sandbox::set_user_active`]
//! deactivates a user at run time, to rehearse "the user was deactivated" with live tokens, and
//! [`Sandbox::start_marked`] puts a known marker into every secret and token it accepts or issues.

pub mod config;
pub mod demo;
pub mod error;

mod api;
mod clock;
mod jwt;
mod kinds;
mod oauth;
mod random;
mod records;
mod router;
mod seed;
mod state;

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::SandboxConfig;
pub use demo::*;
pub use error::SandboxError;

/// How long [`Sandbox::shutdown`] lets requests in flight finish before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running sandbox server. Dropping it stops the server too.
pub struct Sandbox {
    addr: SocketAddr,
    state: state::AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1:config.port` (a free port when 0). Call it inside a Tokio
    /// runtime: the server runs as a spawned task until [`Sandbox::shutdown`] or drop.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        Sandbox::start_seeded(config, None).await
    }

    /// Starts a sandbox whose every client secret, user password, access token and refresh
    /// token begins with `marker`, for tests that search files for a known secret.
    /// [`Sandbox::demo`] tells the secrets it accepts.
    pub async fn start_marked(
        config: SandboxConfig,
        marker: &str,
    ) -> Result<Sandbox, SandboxError> {
        Sandbox::start_seeded(config, Some(marker)).await
    }

    async fn start_seeded(
        config: SandboxConfig,
        marker: Option<&str>,
    ) -> Result<Sandbox, SandboxError> {
        let port = config.port;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(|e| SandboxError::from_bind(port, e))?;
        let addr = listener.local_addr().map_err(|e| SandboxError::from_bind(port, e))?;
        let base_url = format!("http://{addr}");
        let state = match marker {
            None => state::AppState::new(config, base_url),
            Some(m) => {
                let (clients, users) = demo::marked(m);
                state::AppState::with_seed(config, base_url, clients, users, Some(m.to_owned()))
            }
        };
        let app = router::app(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                // A send or a dropped sender both mean "stop".
                let _ = stopped.await;
            });
            if let Err(e) = server.await {
                tracing::warn!(error = %e, "sandbox server stopped with an error");
            }
        });
        tracing::info!(%addr, "sandbox listening");
        Ok(Sandbox { addr, state, stop: Some(stop), task: Some(task) })
    }

    /// The address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// The account, clients and users this sandbox accepts (marked ones for
    /// [`Sandbox::start_marked`], else the same as [`demo_data`]).
    pub fn demo(&self) -> DemoData {
        demo::demo_data_of(&self.state.clients, &self.state.users)
    }

    /// Deactivates (or reactivates) a demo user by email, as an administrator would: their
    /// sessions and tokens stop working at once. Returns false for an unknown email.
    pub fn set_user_active(&self, email: &str, active: bool) -> bool {
        let Some(user) = self.state.user_by_email(email) else {
            return false;
        };
        let mut store = self.state.store();
        store.inactive_users.retain(|id| *id != user.id);
        if !active {
            store.inactive_users.push(user.id);
        }
        true
    }

    /// Stops accepting connections, lets requests in flight finish (for up to 5 seconds), and
    /// frees the port.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await.is_err() {
                task.abort();
                let _ = task.await;
            }
        }
        tracing::info!(addr = %self.addr, "sandbox stopped");
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
