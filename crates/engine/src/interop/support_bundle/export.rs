//! Making a support bundle for a profile: its settings, the last exchanges of its history with
//! their diagnoses (made now for older entries that have none), versions, and every secret
//! scrubbed by [`Scrubber`]. A bundle in which a known secret is still found is not written.

use super::document::{AppInfo, Bundle, ScrubCounts, SecretsPresent, FORMAT, VERSION};
use super::scrub::Scrubber;
use super::system::SystemInfo;
use crate::diagnose::{diagnose_response, Context};
use crate::error::EngineError;
use crate::profiles::{ExportedProfile, Profile};
use crate::redact::BodyCopy;
use crate::requests::history::KeptDiagnosis;
use crate::requests::{History, HistoryEntry};
use crate::vault::{SecretKind, Vault, VaultMode};
use std::path::Path;

/// The most exchanges a bundle carries.
pub const MAX_EXCHANGES: usize = 50;

/// What goes into a bundle, gathered by [`gather`] (or by a test).
pub struct BundleInput {
    pub profile: Profile,
    /// Newest first.
    pub history: Vec<HistoryEntry>,
    /// The profile's secrets, to search for and remove in every form.
    pub known_secrets: Vec<String>,
    pub secrets: SecretsPresent,
    pub app: AppInfo,
    pub now_unix_ms: i64,
}

/// The profile's history and what its vault holds (the values only to scrub them).
pub fn gather(
    profile: &Profile,
    vault: &Vault,
    history: &History,
    app_version: &str,
) -> Result<BundleInput, EngineError> {
    let id = &profile.id;
    let client_secret = vault.get(id, SecretKind::ClientSecret)?;
    let password = vault.get(id, SecretKind::Password)?;
    let tokens = vault.get_tokens(id)?;
    let mut known: Vec<String> = [client_secret.as_ref(), password.as_ref()]
        .into_iter()
        .flatten()
        .map(|s| s.expose().to_string())
        .collect();
    if let Some(t) = &tokens {
        known.push(t.access_token.expose().to_string());
        known.extend(t.refresh_token.as_ref().map(|r| r.expose().to_string()));
    }
    let secrets = SecretsPresent {
        client_secret: client_secret.is_some(),
        password: password.is_some(),
        access_token: tokens.is_some(),
        refresh_token: tokens.as_ref().is_some_and(|t| t.refresh_token.is_some()),
        token_expires_at: tokens.as_ref().and_then(|t| t.expires_at),
        vault: match vault.mode() {
            VaultMode::Keychain => "keychain".into(),
            VaultMode::SessionOnly => "session_only".into(),
        },
    };
    Ok(BundleInput {
        profile: profile.clone(),
        history: history.list(id)?,
        known_secrets: known,
        secrets,
        app: AppInfo { name: "ScopeStack Companion".into(), version: app_version.to_string() },
        now_unix_ms: now_ms(),
    })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A diagnosis for an answer kept without one (entries from before diagnoses were kept).
fn late_diagnosis(entry: &HistoryEntry, profile: &Profile) -> Option<KeptDiagnosis> {
    let status = entry.status.filter(|s| *s >= 400)?;
    let sent = |name: &str| {
        entry
            .request_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let url = entry.sent_url.clone().unwrap_or_else(|| entry.url.clone());
    let mut ctx = Context::for_profile(profile).api_request(&entry.method, &url);
    ctx.sent_accept = sent("accept");
    ctx.sent_content_type = sent("content-type");
    ctx.sent_authorization = Some(sent("authorization").is_some());
    diagnose_response(status, &[], b"", &ctx).map(|d| KeptDiagnosis::from(&d))
}

fn scrub_entry(mut e: HistoryEntry, s: &mut Scrubber, profile: &Profile) -> HistoryEntry {
    if e.diagnosis.is_none() {
        e.diagnosis = late_diagnosis(&e, profile);
    }
    e.url = s.url(&e.url);
    e.sent_url = e.sent_url.as_deref().map(|u| s.url(u));
    e.query = e.query.iter().map(|(k, v)| s.pair(k, v)).collect();
    e.headers = e.headers.iter().map(|(k, v)| (s.text(k), s.header(k, v))).collect();
    e.request_headers =
        e.request_headers.iter().map(|(k, v)| (s.text(k), s.header(k, v))).collect();
    let content_type = e
        .headers
        .iter()
        .chain(&e.request_headers)
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone());
    match e.body.take().map(|b| s.body(&b, content_type.as_deref())) {
        Some(BodyCopy::Kept { text, .. }) => e.body = Some(text),
        Some(BodyCopy::NotKept { note }) => e.body_note = Some(note.to_string()),
        None => {}
    }
    for text in [&mut e.body_note, &mut e.status_text, &mut e.error].into_iter().flatten() {
        *text = s.text(text);
    }
    for text in e.redacted.iter_mut() {
        *text = s.text(text);
    }
    if let Some(d) = e.diagnosis.as_mut() {
        for text in d.texts_mut() {
            *text = s.text(text);
        }
    }
    e
}

/// The profile's settings as a bundle carries them (the same fields as a profiles export).
pub(crate) fn exported(profile: &Profile) -> ExportedProfile {
    ExportedProfile::from_profile(profile)
}

/// The bundle's JSON text. Fails, writing nothing, if a known secret would still be in it.
pub fn build(input: BundleInput) -> Result<String, EngineError> {
    let p = &input.profile;
    let mut allowed = vec![p.client_id.clone(), p.username.clone(), p.name.clone()];
    if let crate::profiles::Environment::Server(e) = &p.environment {
        allowed.extend([
            e.authorize_url.to_string(),
            e.token_url.to_string(),
            e.api_url.to_string(),
        ]);
    }
    allowed.extend(p.callback.redirect_uri.clone());
    let mut scrubber = Scrubber::new(&input.known_secrets, &allowed);
    let exchanges: Vec<HistoryEntry> = input
        .history
        .into_iter()
        .take(MAX_EXCHANGES)
        .map(|e| scrub_entry(e, &mut scrubber, p))
        .collect();
    let mut profile = exported(p);
    profile.name = scrubber.text(&profile.name);
    profile.username = scrubber.text(&profile.username);
    let bundle = Bundle {
        format: FORMAT.into(),
        version: VERSION,
        made_at: crate::interop::utc::rfc3339(input.now_unix_ms / 1000),
        made_at_unix_ms: input.now_unix_ms,
        app: input.app,
        system: SystemInfo::current(),
        profile,
        secrets: input.secrets,
        exchanges,
        scrubbed: ScrubCounts {
            known_secrets: scrubber.removed_known,
            token_like_values: scrubber.removed_token_like,
        },
    };
    let text = serde_json::to_string_pretty(&bundle).map_err(|e| {
        EngineError::Local(format!("The support bundle could not be encoded ({e})."))
    })?;
    let left = scrubber.leftovers(text.as_bytes());
    if left > 0 {
        return Err(EngineError::Local(format!(
            "The support bundle still held {left} form(s) of a secret after scrubbing, so it was not written. Clear the request history and try again."
        )));
    }
    Ok(text)
}

/// Builds the bundle and writes it to `path` atomically.
pub fn write(input: BundleInput, path: &Path) -> Result<usize, EngineError> {
    let exchanges = input.history.len().min(MAX_EXCHANGES);
    let text = build(input)?;
    crate::profiles::write_atomically(path, text.as_bytes())
        .map_err(|e| EngineError::Local(format!("The support bundle could not be written: {e}")))?;
    Ok(exchanges)
}
