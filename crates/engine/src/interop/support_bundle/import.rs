//! Opening a support bundle: checked (size, format, version, settings), then its profile made
//! anew under "NAME (from support bundle)" and its exchanges put into that profile's history,
//! where the request tester shows them.

use super::document::{Bundle, FORMAT, VERSION};
use super::scrub::Scrubber;
use crate::error::EngineError;
use crate::profiles::{free_name, Profile, ProfileId, ProfileStore};
use crate::requests::History;

/// The largest bundle read.
pub const MAX_BUNDLE_BYTES: u64 = 20 * 1024 * 1024;

fn refuse(why: impl std::fmt::Display) -> EngineError {
    EngineError::MissingInput(format!(
        "This is not a ScopeStack Companion support bundle ({why}). Choose a file made with \"Support bundle…\" or `scopestack-cli support-bundle`."
    ))
}

/// Reads and checks a bundle's text.
pub fn read(text: &str) -> Result<Bundle, EngineError> {
    if text.len() as u64 > MAX_BUNDLE_BYTES {
        return Err(refuse(format!("it is larger than {} MB", MAX_BUNDLE_BYTES / 1024 / 1024)));
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| refuse(format!("it is not JSON: {e}")))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(other) => return Err(refuse(format!("its format is \"{other}\""))),
        None => return Err(refuse("it has no \"format\" field")),
    }
    let version = value
        .get("version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| refuse("it has no version number"))?;
    if version > u64::from(VERSION) {
        return Err(EngineError::MissingInput(format!(
            "This support bundle was made by a newer version of ScopeStack Companion (format {version}; this one reads up to {VERSION}). Update the app, then open it again."
        )));
    }
    serde_json::from_value(value).map_err(|e| refuse(format!("a part of it is damaged: {e}")))
}

/// What opening a bundle did.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenedBundle {
    pub profile: Profile,
    pub exchanges: usize,
    pub bundle: Bundle,
}

impl OpenedBundle {
    /// The hosts other than the profile's API (`api_url`, as the profile resolves now) that the
    /// bundle's exchanges went to, each once: run again, they are sent without the token.
    pub fn other_hosts(&self, api_url: &url::Url) -> Vec<String> {
        let mut hosts: Vec<String> = Vec::new();
        for url in self.bundle.exchanges.iter().filter_map(|e| url::Url::parse(&e.url).ok()) {
            let host = crate::origin::host_label(&url);
            if !crate::origin::same(&url, api_url) && !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        hosts
    }
}

/// Recreates the bundle's profile (under a new name) and fills its history with the exchanges.
pub fn import(
    store: &mut ProfileStore,
    history: &History,
    text: &str,
) -> Result<OpenedBundle, EngineError> {
    let mut bundle = read(text)?;
    let settings = bundle.profile.clone();
    let wanted = format!("{} (from support bundle)", settings.name.trim());
    let name = free_name(store, &wanted);
    let profile = Profile { name, ..settings.into_profile(ProfileId::generate()) };
    profile.validate().map_err(|e| {
        EngineError::MissingInput(format!(
            "The support bundle's profile cannot be used, so nothing was imported: {e}"
        ))
    })?;
    // A bundle from elsewhere may have been edited: scrub what looks like a token once more.
    let mut scrubber = Scrubber::new(&[], std::slice::from_ref(&profile.client_id));
    for e in bundle.exchanges.iter_mut() {
        e.url = scrubber.url(&e.url);
        e.headers = e.headers.iter().map(|(k, v)| (k.clone(), scrubber.header(k, v))).collect();
        e.request_headers =
            e.request_headers.iter().map(|(k, v)| (k.clone(), scrubber.header(k, v))).collect();
        let content_type = e
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.clone());
        match e.body.take().map(|b| scrubber.body(&b, content_type.as_deref())) {
            Some(crate::redact::BodyCopy::Kept { text, .. }) => e.body = Some(text),
            Some(crate::redact::BodyCopy::NotKept { note }) => e.body_note = Some(note.to_string()),
            None => {}
        }
    }
    store.add(profile.clone())?;
    if let Err(e) = history.replace_all(&profile.id, bundle.exchanges.clone()) {
        let _ = store.remove(&profile.id);
        return Err(e);
    }
    Ok(OpenedBundle { exchanges: bundle.exchanges.len(), profile, bundle })
}
