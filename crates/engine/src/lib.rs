//! The engine of ScopeStack Companion: everything that is not UI.
//!
//! The desktop shell (`src-tauri/`) and `scopestack-cli` are thin front ends over this crate, so
//! what one can do the other can too. It knows nothing of Tauri.
//!
//! - [`profiles`]: the non-secret settings of each connection, kept in one file.
//! - [`secret`]: a string type that cannot be printed by accident.
//! - [`tokens`]: the token set and its expiry.
//! - [`vault`]: secrets in the OS keychain, or in memory for this session only.
//! - [`http`]: the one HTTP client setup (TLS roots, proxies, timeouts, no redirects).
//! - [`paths`]: where the engine keeps its files.

pub mod http;
pub mod paths;
pub mod profiles;
pub mod secret;
pub mod tokens;
pub mod vault;

pub use profiles::{
    CallbackMode, CallbackSettings, ClientAuth, Endpoints, Environment, Method, Profile, ProfileError, ProfileId,
    ProfileStore,
};
pub use secret::Secret;
