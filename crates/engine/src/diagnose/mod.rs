//! Troubleshooting: turns an engine error, or a raw HTTP answer, into a [`Diagnosis`] written for
//! a non-technical admin — a stable code, the likely causes (most likely first), what to do, and
//! [`Fix`]es the UI turns into buttons — and checks input before anything is sent.
//!
//! - [`diagnosis`]: [`Diagnosis`], [`Fix`], [`SettingsField`], [`FieldError`].
//! - [`context`]: [`Context`], what the app knows of the attempt, used to rank causes.
//! - [`codes`]: every stable code, one list.
//! - [`from_error`]: [`diagnose_error`], for an [`EngineError`](crate::EngineError).
//! - [`from_response`]: [`diagnose_response`], for a raw status, headers and body.
//! - [`of_exchange`]: [`diagnose_exchange`], for an exchange of the request tester, with what
//!   the engine knows of the request (the window and the CLI both use it).
//! - [`input`]: [`check_input`], warnings before sending (pasted JSON as a token, look-alike
//!   characters, URLs without a scheme or on the wrong host).
//! - [`oauth`]: the token endpoint's OAuth errors.
//! - [`token_answer`]: token answers that are not a usable token.
//! - [`network`]: failures before any answer: names, connections, TLS, proxies, timeouts.
//! - [`api`]: API errors: 401, 403, 404, 406, 415, 422, ...
//! - [`server`]: 5xx, maintenance pages, 429.
//! - [`local`]: the keychain, browser sign-in, profiles, files.
//! - [`body`], [`headers`], [`lookalike`], [`urls`]: reading bodies, headers, identifiers and
//!   ScopeStack's addresses.
//! - [`exchange`]: the raw exchange as text, secrets redacted by [`crate::redact`].
//! - [`kept`]: a diagnosis kept with an exchange in the history ([`crate::requests::history::KeptDiagnosis`]).
//! - [`words`]: explanations shared by many texts.

pub mod api;
pub mod body;
pub mod codes;
pub mod context;
pub mod diagnosis;
pub mod exchange;
pub mod from_error;
pub mod from_response;
pub mod headers;
pub mod input;
pub mod kept;
pub mod local;
pub mod lookalike;
pub mod network;
pub mod oauth;
pub mod of_exchange;
pub mod server;
pub mod token_answer;
pub mod urls;
pub mod words;

pub use context::Context;
pub use diagnosis::{Diagnosis, FieldError, Fix, SettingsField};
pub use exchange::Exchange;
pub use from_error::diagnose_error;
pub use from_response::diagnose_response;
pub use input::{check_input, extract_token, Input, Warning};
pub use of_exchange::diagnose_exchange;
