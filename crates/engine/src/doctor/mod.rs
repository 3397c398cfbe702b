//! The connection check ("doctor"): walks the path to a profile's server one step at a time —
//! names, connection, proxy, TLS, the token endpoint, the server's clock, the API — and says of
//! each whether it passed, with a plain-language diagnosis and fix when it did not.
//!
//! Nothing secret is sent: the token endpoint gets a request without any credential, the API a
//! request without a token. (A proxy's own user name and password, when its address holds them,
//! go to the proxy as they do for every request.) Every step has a time limit, so the walk
//! always ends.
//!
//! - [`proxy`]: which proxy a URL goes through, read as reqwest reads it.
//! - [`path`]: name resolution, the TCP connection, the proxy's tunnel, per host.
//! - [`tls`]: the TLS handshake with the engine's roots, and who issued the certificate.
//! - [`certificate`]: the issuer and subject names of a DER certificate.
//! - [`answers`]: the token endpoint's and the API's answers, and the server's clock.

pub mod answers;
pub mod certificate;
pub mod path;
pub mod proxy;
pub mod tls;

use crate::diagnose::Diagnosis;
use crate::profiles::Endpoints;
use serde::Serialize;
use std::time::Duration;

pub use proxy::{ProxyChoice, ProxyVars};

/// The steps, in the order they are walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StepId {
    /// The token endpoint's and the API's host names looked up (or the proxy's).
    Names,
    /// A TCP connection to an address found.
    Connect,
    /// The proxy in use, and its tunnel to the server.
    Proxy,
    /// The TLS handshake and the certificate's issuer.
    Tls,
    /// The token endpoint answers an OAuth error to a request without credentials.
    TokenEndpoint,
    /// The server's clock against this computer's.
    Clock,
    /// The API answers 401 to `GET /v1/me` without a token.
    Api,
}

impl StepId {
    /// The step's name, as shown.
    pub fn title(self) -> &'static str {
        match self {
            StepId::Names => "Name resolution",
            StepId::Connect => "Connection (TCP)",
            StepId::Proxy => "Proxy",
            StepId::Tls => "Secure connection (TLS)",
            StepId::TokenEndpoint => "Token endpoint",
            StepId::Clock => "Clock",
            StepId::Api => "API",
        }
    }
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// Not needed here (plain HTTP on this computer), or not tried because a step before failed.
    Skipped,
}

/// One step of the walk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Step {
    pub id: StepId,
    /// The step's name, e.g. "Name resolution".
    pub title: String,
    pub outcome: Outcome,
    /// A short line: what was found ("app.scopestack.io → 3.33.152.147").
    pub detail: String,
    /// On a failure: what it means and what to do.
    pub diagnosis: Option<Diagnosis>,
}

/// The whole walk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Report {
    /// The token URL and API URL checked.
    pub token_url: String,
    pub api_url: String,
    pub steps: Vec<Step>,
    /// Whether every step passed or was skipped.
    pub passed: bool,
}

impl Report {
    /// The first failed step, if any.
    pub fn first_failure(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.outcome == Outcome::Fail)
    }
}

/// How the check runs.
#[derive(Clone, Debug)]
pub struct CheckSettings {
    /// The time limit of each step (and of each host's part of it).
    pub step_timeout: Duration,
    /// Which proxy settings to use: the environment's (what the engine's requests use), or given.
    pub proxy: ProxyChoice,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings { step_timeout: Duration::from_secs(10), proxy: ProxyChoice::Environment }
    }
}

/// What one step found: its outcome, a short line and, on failure, the diagnosis.
#[derive(Clone, Debug)]
pub struct Found {
    pub outcome: Outcome,
    pub detail: String,
    pub diagnosis: Option<Diagnosis>,
}

impl Found {
    pub fn pass(detail: impl Into<String>) -> Found {
        Found { outcome: Outcome::Pass, detail: detail.into(), diagnosis: None }
    }
    pub fn skipped(detail: impl Into<String>) -> Found {
        Found { outcome: Outcome::Skipped, detail: detail.into(), diagnosis: None }
    }
    pub fn fail(detail: impl Into<String>, diagnosis: Diagnosis) -> Found {
        Found { outcome: Outcome::Fail, detail: detail.into(), diagnosis: Some(diagnosis) }
    }
    fn into_step(self, id: StepId) -> Step {
        Step {
            id,
            title: id.title().to_string(),
            outcome: self.outcome,
            detail: self.detail,
            diagnosis: self.diagnosis,
        }
    }
}

/// Walks the path to the token endpoint and the API of `endpoints`. Never fails as a whole: what
/// goes wrong is a failed step.
pub async fn check(endpoints: &Endpoints, settings: &CheckSettings) -> Report {
    let token_url = &endpoints.token_url;
    let api_url = &endpoints.api_url;
    let proxies = settings.proxy.matcher();
    // The hosts to walk: the token endpoint's, and the API's when it is another.
    let mut targets = vec![path::Target::of(token_url, &proxies)];
    if crate::origin::of(api_url) != crate::origin::of(token_url) {
        targets.push(path::Target::of(api_url, &proxies));
    }
    // The hosts are walked side by side: the walk takes as long as the slowest, not the sum.
    let walks = futures_util::future::join_all(
        targets.iter().map(|target| path::walk(target, settings.step_timeout)),
    )
    .await;
    let several = walks.len() > 1;
    let mut steps = vec![
        combine(StepId::Names, walks.iter().map(|w| (&w.host, &w.names)), several),
        combine(StepId::Connect, walks.iter().map(|w| (&w.host, &w.connect)), several),
        combine(StepId::Proxy, walks.iter().map(|w| (&w.host, &w.proxy)), several),
        combine(StepId::Tls, walks.iter().map(|w| (&w.host, &w.tls)), several),
    ];
    let token_reachable = walks[0].reached();
    let api_reachable = walks.last().is_some_and(path::Walk::reached);
    let answers =
        answers::ask(endpoints, &targets, (token_reachable, api_reachable), settings).await;
    steps.push(answers.token.into_step(StepId::TokenEndpoint));
    steps.push(answers.clock.into_step(StepId::Clock));
    steps.push(answers.api.into_step(StepId::Api));
    let passed = steps.iter().all(|s| s.outcome != Outcome::Fail);
    Report { token_url: token_url.to_string(), api_url: api_url.to_string(), steps, passed }
}

/// One step over every host: failed when one failed (with the first failure's diagnosis),
/// skipped when all were skipped, else passed; the details side by side.
fn combine<'a>(
    id: StepId,
    parts: impl Iterator<Item = (&'a String, &'a Found)>,
    several: bool,
) -> Step {
    let parts: Vec<(&String, &Found)> = parts.collect();
    let outcome = if parts.iter().any(|(_, f)| f.outcome == Outcome::Fail) {
        Outcome::Fail
    } else if parts.iter().all(|(_, f)| f.outcome == Outcome::Skipped) {
        Outcome::Skipped
    } else {
        Outcome::Pass
    };
    // Each host's line, named when several are walked (unless the line names it already), and
    // once when they all say the same.
    let first = parts.first().map(|(_, f)| f.detail.clone()).unwrap_or_default();
    let detail = if several && parts.iter().any(|(_, f)| f.detail != first) {
        parts
            .iter()
            .map(|(host, f)| {
                if f.detail.starts_with(host.as_str()) {
                    f.detail.clone()
                } else {
                    format!("{host}: {}", f.detail)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        first
    };
    let diagnosis = parts.iter().find_map(|(_, f)| f.diagnosis.clone());
    Step { id, title: id.title().to_string(), outcome, detail, diagnosis }
}
