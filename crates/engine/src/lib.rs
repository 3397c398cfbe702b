//! The engine of ScopeStack Companion: everything that is not UI.
//!
//! The desktop shell (`src-tauri/`) and `scopestack-cli` are thin front ends over this crate, so
//! what one can do the other can too. It knows nothing of Tauri.
//!
//! - [`session`]: the front door — obtain, renew, revoke, verify — over the parts below.
//! - [`profiles`]: the non-secret settings of each connection, kept in one file.
//! - [`vault`]: secrets in the OS keychain, or in memory for this session only.
//! - [`oauth`]: the grants, browser login with PKCE, the loopback listener, revocation.
//! - [`verify`]: `GET /v1/me`, read into who and which account.
//! - [`diagnose`]: any failure explained in plain words, with fixes the UI turns into buttons.
//! - [`doctor`]: the connection check: names, connection, proxy, TLS, token endpoint, clock, API, step by step.
//! - [`browser`]: opening the system browser (`$BROWSER`, else the desktop's default).
//! - [`tokens`]: the token set and its expiry.
//! - [`token_info`]: token details from the server (`/oauth/token/info`): scopes, client, owner, times.
//! - [`secret`]: a string type that cannot be printed by accident.
//! - [`redact`]: the one set of rules keeping secrets out of what is shown, kept or exported (history, saved requests,
//!   diagnosis details, support bundles).
//! - [`origin`]: where requests may go: origins, this computer, https or loopback.
//! - [`http`]: the one HTTP client setup (TLS roots, proxies, timeouts, no redirects), and its failures in plain words.
//! - [`http_answer`]: facts of HTTP answers read alike everywhere: the JSON:API media type, `Retry-After`, a body read under a cap.
//! - [`error`]: the engine's error, with a kind front ends switch on.
//! - [`limits`]: the limits on what people give the app, and the checks both front ends run on it.
//! - [`paths`]: where the engine keeps its files.
//! - [`file_lock`]: locks shared with the app's other programs (profiles file, token renewal).
//! - [`requests`]: the request tester: send, store, jq, JSON:API view, curl, history, saved requests.
//! - [`interop`]: Postman collections and environments in and out; support bundles.
//! - [`catalogue`]: what the app knows of ScopeStack's API (resource types, parameters, actions, write bodies), and its own description merged in.
//!
//! The layers stack one way: a module imports only from its own layer's lower modules and the layers below, and no files import each other in a circle.
//! 1. At the bottom `secret`, `origin`, `redact`, `paths`, `file_lock`; on them `http_answer`, `profiles`, `tokens`, `vault`; then `error` (which wraps their errors) and `http` (the client, its failures as an `EngineError`).
//! 2. `oauth` and `verify` on the bottom; `session` on them.
//! 3. `requests` and `browser` on `session`; `diagnose` on all of these (it reads oauth's answers, the session's state and the request tester's exchanges); `limits` on `profiles` and `requests` (it checks a request to send). `doctor` on `diagnose` (it walks the path to a server and explains each failed step). `token_info` on `session` (the token's details from its server; `requests` asks it for a 403's scopes).
//! 4. `interop` and `catalogue` (on `http`, `origin` and `error`; it completes what `requests` sends) at the top.

pub mod browser;
pub mod catalogue;
pub mod diagnose;
pub mod doctor;
pub mod error;
pub mod file_lock;
pub mod http;
pub mod http_answer;
pub mod interop;
pub mod limits;
pub mod oauth;
pub mod origin;
pub mod paths;
pub mod profiles;
pub mod redact;
pub mod renewals;
pub mod requests;
pub mod secret;
pub mod session;
pub mod token_info;
pub mod tokens;
pub mod vault;
pub mod verify;

pub use error::{AnswerFacts, EngineError, ErrorKind, Problem};
pub use profiles::{
    AccountKind, CallbackMode, CallbackSettings, ClientAuth, Endpoints, Environment, Grant, Method,
    Profile, ProfileError, ProfileId, ProfileStore,
};
pub use secret::Secret;
pub use session::{Credentials, Engine, Target};
