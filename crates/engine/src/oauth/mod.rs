//! OAuth 2.0 as ScopeStack's server (Doorkeeper) speaks it, on top of the `oauth2` crate.
//!
//! - [`client`]: the `oauth2` client for a profile, and reading token answers and errors.
//! - [`transport`]: the HTTP adapter (with the size cap of [`crate::http_answer`]).
//! - [`grants`]: client credentials, password, refresh.
//! - [`authcode`]: browser login with PKCE and state.
//! - [`loopback`]: the one-shot 127.0.0.1 listener for the browser's answer.
//! - [`revoke`]: RFC 7009 revocation.

pub mod authcode;
pub mod client;
pub mod grants;
pub mod loopback;
pub mod revoke;
pub mod transport;

pub use client::ClientSettings;
