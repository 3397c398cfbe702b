//! The in-memory store shared by all handlers: users' status, codes, tokens, sessions, records.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::config::SandboxConfig;
use crate::demo::{seed_clients, seed_users, DemoClient, Role, SeedUser};
use crate::jwt::JwtKey;
use crate::records::Records;

/// How long the sign-in page waits for the one-time code after a correct password.
pub(crate) const MFA_TICKET_LIFETIME: Duration = Duration::from_secs(600);

/// Cheaply cloneable handle on the sandbox's state.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

/// Immutable settings plus the mutable [`Store`].
pub(crate) struct Shared {
    pub config: SandboxConfig,
    pub base_url: String,
    pub jwt: JwtKey,
    pub users: Vec<SeedUser>,
    pub clients: Vec<DemoClient>,
    /// Put in front of every token issued (see [`crate::Sandbox::start_marked`]).
    pub marker: Option<String>,
    store: Mutex<Store>,
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub user_id: u64,
    pub scopes: Vec<String>,
    pub code_challenge: Option<String>,
    pub issued: Instant,
    pub used: bool,
    /// Tokens issued from this code, revoked if the code is replayed.
    pub token_ids: Vec<u64>,
}

/// One issued access token and its refresh token (Doorkeeper keeps them in one row too).
#[derive(Debug, Clone)]
pub(crate) struct TokenRecord {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub client_id: String,
    pub user_id: u64,
    pub scopes: Vec<String>,
    pub issued: Instant,
    pub created_at: u64,
    pub revoked: bool,
}

/// A correct password of a user who still has to enter the one-time code.
#[derive(Debug, Clone)]
pub(crate) struct MfaTicket {
    pub user_id: u64,
    pub issued: Instant,
}

/// What a presented access token turned out to be.
#[derive(Debug, Clone)]
pub(crate) enum AccessStatus {
    Unknown,
    Revoked,
    Expired,
    Valid(TokenRecord),
}

impl AccessStatus {
    /// A word for logs (never the token itself).
    pub fn label(&self) -> &'static str {
        match self {
            AccessStatus::Unknown => "unknown",
            AccessStatus::Revoked => "revoked",
            AccessStatus::Expired => "expired",
            AccessStatus::Valid(_) => "valid",
        }
    }
}

/// Everything that changes while the sandbox runs.
pub(crate) struct Store {
    /// Users deactivated (seeded or by [`crate::Sandbox::set_user_active`]).
    pub inactive_users: Vec<u64>,
    pub codes: HashMap<String, AuthCode>,
    pub tokens: HashMap<u64, TokenRecord>,
    pub by_access: HashMap<String, u64>,
    pub by_refresh: HashMap<String, u64>,
    pub next_token_id: u64,
    /// Session cookie value → user id.
    pub sessions: HashMap<String, u64>,
    pub mfa_tickets: HashMap<String, MfaTicket>,
    pub records: Records,
}

impl AppState {
    /// Fresh state for a sandbox reachable at `base_url`.
    pub fn new(config: SandboxConfig, base_url: String) -> Self {
        Self::with_seed(config, base_url, seed_clients(), seed_users(), None)
    }

    /// Fresh state with these clients and users, tokens prefixed with `marker` when given.
    pub fn with_seed(
        config: SandboxConfig,
        base_url: String,
        clients: Vec<DemoClient>,
        users: Vec<SeedUser>,
        marker: Option<String>,
    ) -> Self {
        let inactive_users =
            users.iter().filter(|u| u.role == Role::Deactivated).map(|u| u.id).collect();
        AppState(Arc::new(Shared {
            config,
            base_url,
            jwt: JwtKey::random(),
            users,
            clients,
            marker,
            store: Mutex::new(Store {
                inactive_users,
                codes: HashMap::new(),
                tokens: HashMap::new(),
                by_access: HashMap::new(),
                by_refresh: HashMap::new(),
                next_token_id: 1,
                sessions: HashMap::new(),
                mfa_tickets: HashMap::new(),
                records: Records::seeded(),
            }),
        }))
    }

    /// Locks the store; a panic elsewhere never makes it unusable.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.0.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Shared {
    /// The client registered under `client_id`.
    pub fn client(&self, client_id: &str) -> Option<&DemoClient> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    /// The JWT of an access token, without the marker a marked sandbox put in front.
    pub fn unmarked<'t>(&self, token: &'t str) -> &'t str {
        match self.marker.as_deref().and_then(|m| token.strip_prefix(m)) {
            Some(rest) => rest.strip_prefix('.').unwrap_or(rest),
            None => token,
        }
    }

    /// The user with this id.
    pub fn user(&self, id: u64) -> Option<&SeedUser> {
        self.users.iter().find(|u| u.id == id)
    }

    /// The user with this email (case-insensitive, like Devise).
    pub fn user_by_email(&self, email: &str) -> Option<&SeedUser> {
        let email = email.trim();
        self.users.iter().find(|u| u.email.eq_ignore_ascii_case(email))
    }
}

impl Store {
    /// Whether the user may sign in and use tokens.
    pub fn user_active(&self, user_id: u64) -> bool {
        !self.inactive_users.contains(&user_id)
    }

    /// Records a new token row and returns its id.
    pub fn insert_token(&mut self, record: TokenRecord) -> u64 {
        let id = self.next_token_id;
        self.next_token_id += 1;
        self.by_access.insert(record.access_token.clone(), id);
        if let Some(refresh) = &record.refresh_token {
            self.by_refresh.insert(refresh.clone(), id);
        }
        self.tokens.insert(id, record);
        id
    }

    /// Revokes a token row (its access and refresh token alike).
    pub fn revoke_token(&mut self, id: u64) {
        if let Some(record) = self.tokens.get_mut(&id) {
            record.revoked = true;
        }
    }

    /// Classifies an access token presented by a caller.
    pub fn access_status(&self, token: &str, lifetime: Duration) -> AccessStatus {
        let Some(record) = self.by_access.get(token).and_then(|id| self.tokens.get(id)) else {
            return AccessStatus::Unknown;
        };
        if record.revoked {
            AccessStatus::Revoked
        } else if record.issued.elapsed() >= lifetime {
            AccessStatus::Expired
        } else {
            AccessStatus::Valid(record.clone())
        }
    }
}
