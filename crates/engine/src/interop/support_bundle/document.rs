//! The support bundle document: one JSON file, `{"format": "scopestack-companion-support-bundle",
//! "version": 1, …}` with the profile's settings, what secrets it has (never their values), the
//! last exchanges with their diagnoses, and the app's and computer's versions.

use super::system::SystemInfo;
use crate::profiles::ExportedProfile;
use crate::requests::HistoryEntry;
use serde::{Deserialize, Serialize};

/// The `format` field of a bundle.
pub const FORMAT: &str = "scopestack-companion-support-bundle";
/// The version this app writes; imports read up to it.
pub const VERSION: u32 = 1;

/// Which secrets the profile had when the bundle was made: yes or no, never a value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SecretsPresent {
    pub client_secret: bool,
    pub password: bool,
    pub access_token: bool,
    pub refresh_token: bool,
    /// When the access token expires (or expired), unix seconds.
    #[serde(default)]
    pub token_expires_at: Option<i64>,
    /// Where secrets were kept: `keychain` or `session_only`.
    #[serde(default)]
    pub vault: String,
}

/// The app that made the bundle.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

/// What was taken out while making the bundle.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ScrubCounts {
    /// Occurrences of the profile's own secrets (in any encoding) replaced.
    pub known_secrets: usize,
    /// Other token-looking values replaced.
    pub token_like_values: usize,
}

/// A whole support bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Bundle {
    pub format: String,
    pub version: u32,
    /// When it was made: RFC 3339 and unix milliseconds.
    pub made_at: String,
    pub made_at_unix_ms: i64,
    pub app: AppInfo,
    pub system: SystemInfo,
    pub profile: ExportedProfile,
    pub secrets: SecretsPresent,
    /// The last exchanges of the profile, newest first, with their diagnoses.
    pub exchanges: Vec<HistoryEntry>,
    #[serde(default)]
    pub scrubbed: ScrubCounts,
}
