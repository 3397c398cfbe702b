//! The request tester: send any request to ScopeStack's JSON:API with the profile's token, and
//! look at the answer — status in plain words, headers, timings, sizes, the body as JSON, text
//! or bytes, a JSON:API view, jq filters, curl commands, and a per-profile history.
//!
//! - [`spec`]: [`RequestSpec`], what the user asks to send, and how it becomes a request
//!   (URL resolution, JSON:API default headers, the token).
//! - [`vars`]: `{account-slug}` and other `{name}` variables.
//! - the tester's HTTP clients are [`crate::http::Clients::lazy_tester`] (one for http:// to this
//!   computer, [`crate::http::tester_client`] for https://, each built on first use), held by the
//!   [`Engine`](crate::session::Engine).
//! - [`send`]: [`send()`], one exchange: redirects, timings, cancellation;
//!   [`send_with_progress`] also tells how far it has come ([`progress`]).
//! - [`body`]: receiving a body: gzip/brotli decoding while streaming, memory or temp file.
//! - [`sniff`]: JSON, text or binary.
//! - [`status`]: what a status code means, in plain words.
//! - [`summary`]: [`ExchangeSummary`], what the UI shows of an exchange.
//! - [`store`]: [`ExchangeStore`], the last exchanges' bodies, read in chunks; `body_dir`: their
//!   temporary folder, and the sweep of those that crashed programs left behind.
//! - [`jq`]: jq filters on a stored body (jaq).
//! - [`jsonapi`]: a JSON:API document read into a view model.
//! - [`pretty`]: JSON pretty-printed as a stream, checked, numbers kept exactly.
//! - [`textview`]: a long body read by lines and searched, for the window's viewer.
//! - [`curl`]: copy as curl; [`curl_import`]: paste a curl command.
//! - [`history`]: the recent requests of each profile, on disk, without secrets (the rules are [`crate::redact`]'s).
//! - [`saved`]: [`SavedRequests`], each profile's saved requests and variables, without secrets.

pub mod body;
mod body_dir;
pub mod curl;
pub mod curl_import;
pub mod history;
pub mod jq;
pub mod jsonapi;
pub mod pretty;
pub mod progress;
pub mod saved;
pub mod send;
pub mod sniff;
pub mod spec;
pub mod status;
pub mod store;
pub mod summary;
pub mod textview;
pub mod vars;

pub use curl::{to_curl, CurlRequest};
pub use curl_import::from_curl;
pub use history::{History, HistoryEntry, KeptDiagnosis};
pub use jq::{JqLimits, JqOutput};
pub use jsonapi::JsonApiView;
pub use progress::SendProgress;
pub use saved::{NewSavedRequest, SavedRequest, SavedRequests};
pub use send::{send, send_with_progress};
pub use spec::{PreparedRequest, RequestSpec};
pub use store::{ExchangeStore, StoreLimits};
pub use summary::{BodyKind, ExchangeId, ExchangeSummary, RedirectHop, Sizes, Timings};
pub use textview::{TextDoc, TextMode, TextViews};

/// Deletes what the request tester keeps on disk for a profile (its history, its saved requests
/// and variables), for when the profile itself is deleted. Files that are not there are fine.
pub fn forget_profile(profile: &crate::ProfileId) -> Result<(), crate::EngineError> {
    History::open_default()?.clear(profile)?;
    SavedRequests::open_default()?.clear(profile)
}

/// A profile's variables (from a Postman import or the window's Variables tab), to fill `{name}`
/// and `{{name}}` in a request. A damaged or unreadable file is an error that names the file:
/// sending without the variables would send another request than the one written.
pub fn profile_variables(
    profile: &crate::ProfileId,
) -> Result<std::collections::HashMap<String, String>, crate::EngineError> {
    Ok(SavedRequests::open_default()?.variables(profile)?.into_iter().collect())
}
