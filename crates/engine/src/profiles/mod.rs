//! Profiles: the non-secret settings of one connection to a ScopeStack server.
//!
//! A profile never holds a secret (client secret, password, tokens): those live in the vault.
//! Profiles are kept together in one JSON file by [`ProfileStore`].

mod defaults;
mod kind;
mod store;
mod transfer;
mod validate;

pub use defaults::{
    sandbox_profile, scopestack_production, DEFAULT_CALLBACK, DEFAULT_SCOPE, PRODUCTION_API_URL,
    PRODUCTION_AUTHORIZE_URL, PRODUCTION_TOKEN_URL, SANDBOX_PROFILE_ID, SCOPESTACK_PROFILE_ID,
};
pub use kind::{is_write, AccountKind};
pub use store::{write_atomically, ProfileStore, StoreNotice, PROFILES_FILE};
pub(crate) use transfer::free_name;
pub use transfer::{
    export_profiles, import_profiles, read_export, ExportedProfile, ImportedProfile, TransferError,
    EXPORT_FORMAT, EXPORT_VERSION,
};
pub use validate::check_url;

use serde::{Deserialize, Serialize};
use url::Url;

/// The longest profile name, in characters: names given are checked against it
/// ([`crate::limits::profile_name`]), and a copy's name is kept within it.
pub const MAX_PROFILE_NAME: usize = 100;

/// The stable identity of a profile (what the vault keys secrets by); not its display name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(transparent)]
pub struct ProfileId(String);

impl ProfileId {
    /// A fresh identifier, from a random source, for a new profile.
    pub fn generate() -> Self {
        use rand::Rng;
        let n: u64 = rand::thread_rng().gen();
        ProfileId(format!("p-{n:016x}"))
    }

    /// Wraps an identifier read from a trusted place (the store, a built-in default).
    pub fn new(id: impl Into<String>) -> Self {
        ProfileId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ProfileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The three ways of ScopeStack's API Quick Start to get an access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Method A: sign in through a browser (OAuth authorization code with PKCE).
    BrowserLogin,
    /// Method B: a service account's client ID and secret; recommended for automations.
    ClientCredentials,
    /// Method C: account-level client plus a service account's email and password.
    Password,
}

/// What a token request asks with: a profile's [`Method`], or its refresh token. The one type for
/// it everywhere (the grants, the diagnosis's context, the front ends); [`Grant::wire_name`] is
/// OAuth's `grant_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grant {
    ClientCredentials,
    Password,
    /// Browser login: the authorization code of a browser sign-in.
    AuthorizationCode,
    /// Renewing with a refresh token.
    RefreshToken,
}

impl Grant {
    /// OAuth's `grant_type` for it.
    pub fn wire_name(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "client_credentials",
            Grant::Password => "password",
            Grant::AuthorizationCode => "authorization_code",
            Grant::RefreshToken => "refresh_token",
        }
    }

    /// The grant of a `grant_type` (as a token form typed into the request tester carries it).
    pub fn from_wire(name: &str) -> Option<Grant> {
        [Grant::ClientCredentials, Grant::Password, Grant::AuthorizationCode, Grant::RefreshToken]
            .into_iter()
            .find(|g| g.wire_name() == name)
    }

    /// The method that gets a profile's token this way; `None` for a refresh, which any method's
    /// token may use.
    pub fn method(self) -> Option<Method> {
        match self {
            Grant::ClientCredentials => Some(Method::ClientCredentials),
            Grant::Password => Some(Method::Password),
            Grant::AuthorizationCode => Some(Method::BrowserLogin),
            Grant::RefreshToken => None,
        }
    }
}

impl From<Method> for Grant {
    fn from(method: Method) -> Grant {
        match method {
            Method::ClientCredentials => Grant::ClientCredentials,
            Method::Password => Grant::Password,
            Method::BrowserLogin => Grant::AuthorizationCode,
        }
    }
}

/// How the client ID and secret are sent to the token endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// `client_id` and `client_secret` in the form body, as ScopeStack documents.
    #[default]
    Body,
    /// An HTTP Basic `Authorization` header.
    Basic,
}

/// How a browser sign-in hands its result back to the app.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CallbackMode {
    /// The system browser, with a one-shot listener on 127.0.0.1.
    #[default]
    Loopback,
    /// A sign-in window inside the app that catches the registered callback URL.
    InAppWindow,
    /// The user pastes the URL the browser ended on.
    Paste,
}

/// Where the browser sign-in returns to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct CallbackSettings {
    pub mode: CallbackMode,
    /// The callback URL registered for the client ID with ScopeStack, when the user knows it.
    /// `None` means a loopback URL on a free port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
}

/// The three URLs of a ScopeStack server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Endpoints {
    pub authorize_url: Url,
    pub token_url: Url,
    pub api_url: Url,
}

/// Which server a profile talks to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // a handful of profiles: boxing would only add noise
pub enum Environment {
    /// The sandbox built into the app; its port is chosen at each launch, so the URLs are
    /// resolved at run time from the sandbox's address.
    BuiltInSandbox,
    /// A real server (production, staging, another region) or a sandbox started by hand.
    Server(Endpoints),
}

impl Environment {
    /// The URLs to use, given where the built-in sandbox runs (if it does).
    pub fn endpoints(&self, sandbox_base: Option<&Url>) -> Result<Endpoints, ProfileError> {
        match self {
            Environment::Server(endpoints) => Ok(endpoints.clone()),
            Environment::BuiltInSandbox => {
                let base = sandbox_base.ok_or(ProfileError::SandboxNotRunning)?;
                Endpoints::for_base(base)
            }
        }
    }
}

impl Endpoints {
    /// The URLs of a server that serves OAuth and the API from one base URL (the sandbox).
    pub fn for_base(base: &Url) -> Result<Endpoints, ProfileError> {
        let join = |path: &str| {
            base.join(path).map_err(|e| ProfileError::InvalidUrl {
                field: "sandbox address",
                value: base.to_string(),
                reason: e.to_string(),
            })
        };
        Ok(Endpoints {
            authorize_url: join("/oauth/authorize")?,
            token_url: join("/oauth/token")?,
            api_url: join("/")?,
        })
    }
}

impl CallbackSettings {
    /// The callback URL a browser sign-in uses: the registered one, else [`DEFAULT_CALLBACK`].
    pub fn url_or_default(&self) -> String {
        self.redirect_uri.clone().unwrap_or_else(|| DEFAULT_CALLBACK.to_string())
    }
}

/// One connection's non-secret settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Profile {
    pub id: ProfileId,
    pub name: String,
    pub environment: Environment,
    pub method: Method,
    #[serde(default)]
    pub client_id: String,
    /// The service account's email, for the password method.
    #[serde(default)]
    pub username: String,
    pub scope: String,
    #[serde(default)]
    pub client_auth: ClientAuth,
    #[serde(default)]
    pub callback: CallbackSettings,
    /// Production (writes are asked about first) or test. A file written before the mark existed
    /// reads as [`AccountKind::default_for`] its server.
    pub account_kind: AccountKind,
}

/// A profile as a file holds it: the fields added over time may be missing.
#[derive(Deserialize)]
struct StoredProfile {
    id: ProfileId,
    name: String,
    environment: Environment,
    method: Method,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    username: String,
    scope: String,
    #[serde(default)]
    client_auth: ClientAuth,
    #[serde(default)]
    callback: CallbackSettings,
    #[serde(default)]
    account_kind: Option<AccountKind>,
}

impl<'de> Deserialize<'de> for Profile {
    /// Reads a profile; one without `account_kind` (from before the mark) gets the default of
    /// its server: production unless it is the sandbox or on this computer.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = StoredProfile::deserialize(deserializer)?;
        let account_kind =
            s.account_kind.unwrap_or_else(|| AccountKind::default_for(&s.environment));
        Ok(Profile {
            id: s.id,
            name: s.name,
            environment: s.environment,
            method: s.method,
            client_id: s.client_id,
            username: s.username,
            scope: s.scope,
            client_auth: s.client_auth,
            callback: s.callback,
            account_kind,
        })
    }
}

/// What can go wrong with profiles, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("The {field} \"{value}\" is not a valid URL ({reason}). Enter a full address such as https://app.scopestack.io/oauth/token.")]
    InvalidUrl { field: &'static str, value: String, reason: String },
    #[error("The {field} \"{value}\" uses http:// for a host other than this computer. Tokens and secrets would travel unencrypted: use https://.")]
    InsecureUrl { field: &'static str, value: String },
    #[error(
        "The {field} \"{value}\" must start with https:// (or http:// for this computer only)."
    )]
    UnsupportedScheme { field: &'static str, value: String },
    #[error("A profile needs a name.")]
    EmptyName,
    #[error("A profile named \"{0}\" exists already. Choose another name.")]
    DuplicateName(String),
    #[error("No profile with id \"{0}\".")]
    UnknownProfile(ProfileId),
    #[error("The built-in sandbox is not running, so the Sandbox profile has no address. Restart the app.")]
    SandboxNotRunning,
    #[error("No folder for settings could be found. Set SCOPESTACK_COMPANION_HOME to a writable folder.")]
    NoConfigDir,
    #[error("Could not {action} {path}: {source}. Check that the folder exists and is writable.")]
    Io { action: &'static str, path: std::path::PathBuf, source: std::io::Error },
    #[error("The profiles file {path} could not be read ({reason}).")]
    Corrupt { path: std::path::PathBuf, reason: String },
    #[error("The profiles file {path} was changed by another program and cannot be read now ({reason}). Nothing was changed: fix the file or move it away, then try again.")]
    ChangedElsewhereUnreadable { path: std::path::PathBuf, reason: String },
    #[error(transparent)]
    Locked(#[from] crate::file_lock::LockError),
}
