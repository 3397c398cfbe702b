//! The engine of ScopeStack Companion: everything that is not UI.
//!
//! The desktop shell (`src-tauri/`) and `scopestack-cli` are thin front ends over this crate, so
//! what one can do the other can too. It knows nothing of Tauri.
//!
//! - [`profiles`]: the non-secret settings of each connection, kept in one file.
//! - [`paths`]: where the engine keeps its files.

pub mod paths;
pub mod profiles;

pub use profiles::{
    ClientAuth, CallbackMode, CallbackSettings, Endpoints, Environment, Method, Profile, ProfileError,
    ProfileId, ProfileStore,
};
