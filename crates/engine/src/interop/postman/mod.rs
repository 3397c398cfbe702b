//! Postman interop: import a collection (v2.1, v2.0) — its requests, folders, variables and
//! OAuth 2.0 settings become a profile and saved requests of it — or an environment, with a
//! report of what became what; export a profile as a Postman environment. Secrets from a file go
//! to the vault only when the user asks, else they are dropped and the report says so.
//!
//! - [`values`]: Postman's key/value lists and `{{variables}}`.
//! - [`collection`]: reading a collection's requests and folders.
//! - [`auth`]: its OAuth 2.0 settings.
//! - [`templates`]: URLs rewritten for the request tester (`{{baseUrl}}` → the API URL).
//! - [`environment`]: reading and writing environments.
//! - [`import`]: putting it all into the profiles, saved requests and vault.
//! - [`report`]: the [`ImportReport`].

pub mod auth;
pub mod collection;
pub mod environment;
pub mod import;
pub mod report;
pub mod templates;
pub mod values;

pub use import::{
    import_collection, import_environment, import_text, ImportOptions, Imported, Stores,
};
pub use report::ImportReport;

/// The largest Postman file read.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
