//! Moving profiles between computers: export to a JSON document that holds no secret, and import
//! such a document into a [`ProfileStore`] with fresh ids.
//!
//! The document is `{"format":"scopestack-companion-profiles","version":1,"profiles":[…]}`. Each
//! entry lists the settings of [`ExportedProfile`] and nothing else: no id (an import makes new
//! ones) and no secret — client secrets, passwords and tokens live in the vault, never here. The
//! entry type is its own struct, not [`Profile`], so that nothing added to `Profile` later can slip
//! into an export unnoticed.

use super::{
    AccountKind, CallbackSettings, ClientAuth, Environment, Method, Profile, ProfileError,
    ProfileId, ProfileStore,
};
use serde::{Deserialize, Serialize};

/// The `format` field of an export.
pub const EXPORT_FORMAT: &str = "scopestack-companion-profiles";
/// The `version` field of an export written by this version; imports read up to it.
pub const EXPORT_VERSION: u32 = 1;

/// The whole export document.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
struct ExportDocument {
    format: String,
    version: u32,
    profiles: Vec<ExportedProfile>,
}

/// One profile as exported: its settings, without id and without any secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ExportedProfile {
    pub name: String,
    pub environment: Environment,
    pub method: Method,
    #[serde(default)]
    pub client_id: String,
    /// The service account's email, for the password method (not a secret).
    #[serde(default)]
    pub username: String,
    #[serde(default = "default_scope")]
    pub scope: String,
    #[serde(default)]
    pub client_auth: ClientAuth,
    #[serde(default)]
    pub callback: CallbackSettings,
    /// Production or test; an export from before the mark gets the default of its server
    /// ([`AccountKind::default_for`]).
    #[serde(default)]
    pub account_kind: Option<AccountKind>,
}

fn default_scope() -> String {
    "read write".into()
}

impl ExportedProfile {
    /// The entry's mark, or the default of its server when it has none.
    pub fn account_kind(&self) -> AccountKind {
        self.account_kind.unwrap_or_else(|| AccountKind::default_for(&self.environment))
    }

    pub(crate) fn from_profile(p: &Profile) -> ExportedProfile {
        ExportedProfile {
            name: p.name.clone(),
            environment: p.environment.clone(),
            method: p.method,
            client_id: p.client_id.clone(),
            username: p.username.clone(),
            scope: p.scope.clone(),
            client_auth: p.client_auth,
            callback: p.callback.clone(),
            account_kind: Some(p.account_kind),
        }
    }

    /// The profile of this entry under `id`, its name trimmed.
    pub(crate) fn into_profile(self, id: ProfileId) -> Profile {
        let account_kind = self.account_kind();
        Profile {
            id,
            name: self.name.trim().to_string(),
            environment: self.environment,
            method: self.method,
            client_id: self.client_id,
            username: self.username,
            scope: self.scope,
            client_auth: self.client_auth,
            callback: self.callback,
            account_kind,
        }
    }
}

/// Why an export could not be read or imported, with what to do.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("This is not a ScopeStack Companion profiles export ({0}). Choose a file made with \"Export profiles\" or `scopestack-cli profiles export`.")]
    NotAnExport(String),
    #[error("This export was written by a newer version of ScopeStack Companion (format version {0}; this version reads up to {EXPORT_VERSION}). Update, then import again.")]
    NewerVersion(u32),
    #[error("The profile \"{name}\" in this export cannot be imported, so nothing was imported: {source}")]
    InvalidProfile {
        name: String,
        #[source]
        source: ProfileError,
    },
    #[error(transparent)]
    Store(#[from] ProfileError),
}

/// One imported profile, and the name it had in the export when it had to be renamed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedProfile {
    pub profile: Profile,
    /// `Some(original)` when the name was taken and " (2)" (or the next free number) was added.
    pub renamed_from: Option<String>,
}

/// The export document of `profiles`, pretty-printed. It holds no id and no secret.
pub fn export_profiles(profiles: &[Profile]) -> String {
    let doc = ExportDocument {
        format: EXPORT_FORMAT.into(),
        version: EXPORT_VERSION,
        profiles: profiles.iter().map(ExportedProfile::from_profile).collect(),
    };
    // Strings, enums and URLs only: encoding cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Reads an export document, checking its format and version (not yet the profiles themselves).
pub fn read_export(text: &str) -> Result<Vec<ExportedProfile>, TransferError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| TransferError::NotAnExport(format!("it is not JSON: {e}")))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(EXPORT_FORMAT) => {}
        Some(other) => {
            return Err(TransferError::NotAnExport(format!("its format is \"{other}\"")))
        }
        None => return Err(TransferError::NotAnExport("it has no \"format\" field".into())),
    }
    let version = value
        .get("version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| TransferError::NotAnExport("it has no version number".into()))?;
    if version > u64::from(EXPORT_VERSION) {
        return Err(TransferError::NewerVersion(u32::try_from(version).unwrap_or(u32::MAX)));
    }
    let doc: ExportDocument =
        serde_json::from_value(value).map_err(|e| TransferError::NotAnExport(e.to_string()))?;
    Ok(doc.profiles)
}

/// Imports an export document into `store`: every profile is checked first (one invalid profile
/// imports nothing), then each is added with a new id; a name already taken (in any case) gets
/// " (2)" appended, or the next free number.
pub fn import_profiles(
    store: &mut ProfileStore,
    text: &str,
) -> Result<Vec<ImportedProfile>, TransferError> {
    let mut checked = Vec::new();
    for entry in read_export(text)? {
        let original = entry.name.trim().to_string();
        let profile = entry.into_profile(ProfileId::generate());
        profile
            .validate()
            .map_err(|source| TransferError::InvalidProfile { name: original.clone(), source })?;
        checked.push((original, profile));
    }
    let mut imported = Vec::with_capacity(checked.len());
    for (original, mut profile) in checked {
        profile.name = free_name(store, &original);
        let renamed_from = (profile.name != original).then_some(original);
        store.add(profile.clone())?;
        imported.push(ImportedProfile { profile, renamed_from });
    }
    Ok(imported)
}

/// `name` if no profile has it yet, else `name (2)`, `name (3)`, … whichever is free first.
pub(crate) fn free_name(store: &ProfileStore, name: &str) -> String {
    let taken = |candidate: &str| {
        store.list().iter().any(|p| p.name.trim().eq_ignore_ascii_case(candidate))
    };
    if !taken(name) {
        return name.to_string();
    }
    (2u32..)
        .map(|n| format!("{name} ({n})"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::{scopestack_production, Endpoints};
    use url::Url;

    fn store() -> (tempfile::TempDir, ProfileStore) {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = ProfileStore::open(dir.path()).unwrap();
        (dir, store)
    }

    fn acme() -> Profile {
        let mut p = scopestack_production();
        p.id = ProfileId::generate();
        p.name = "Acme".into();
        p.method = Method::Password;
        p.client_id = "acme-client".into();
        p.username = "robot@acme.test".into();
        p
    }

    #[test]
    fn an_export_names_its_format_and_holds_only_settings() {
        let text = export_profiles(&[acme()]);
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["format"], EXPORT_FORMAT);
        assert_eq!(doc["version"], EXPORT_VERSION);
        let entry = doc["profiles"][0].as_object().unwrap();
        let mut keys: Vec<_> = entry.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "account_kind",
                "callback",
                "client_auth",
                "client_id",
                "environment",
                "method",
                "name",
                "scope",
                "username"
            ]
        );
        assert_eq!(entry["client_id"], "acme-client");
        for word in ["secret", "\"password\":", "access_token", "refresh_token", "\"id\":"] {
            assert!(!text.contains(word), "the export mentions {word}: {text}");
        }
    }

    #[test]
    fn an_import_gets_new_ids_and_the_same_settings() {
        let (_dir, mut store) = store();
        let original = acme();
        let imported =
            import_profiles(&mut store, &export_profiles(std::slice::from_ref(&original))).unwrap();
        assert_eq!(imported.len(), 1);
        let p = &imported[0].profile;
        assert_ne!(p.id, original.id);
        assert_eq!(imported[0].renamed_from, None);
        assert_eq!(Profile { id: original.id.clone(), ..p.clone() }, original);
        assert_eq!(store.get(&p.id).unwrap(), p);
    }

    #[test]
    fn clashing_names_get_a_number() {
        let (_dir, mut store) = store();
        let text = export_profiles(&[acme()]);
        import_profiles(&mut store, &text).unwrap();
        let second = import_profiles(&mut store, &text).unwrap();
        assert_eq!(second[0].profile.name, "Acme (2)");
        assert_eq!(second[0].renamed_from.as_deref(), Some("Acme"));
        let third = import_profiles(&mut store, &text.replace("\"Acme\"", "\"ACME\"")).unwrap();
        assert_eq!(third[0].profile.name, "ACME (3)");
        assert_eq!(store.list().len(), 5);
    }

    #[test]
    fn the_built_in_sandbox_imports_fine() {
        let (_dir, mut store) = store();
        let sandbox = store.list()[0].clone();
        assert_eq!(sandbox.environment, Environment::BuiltInSandbox);
        let imported = import_profiles(&mut store, &export_profiles(&[sandbox])).unwrap();
        assert_eq!(imported[0].profile.name, "Sandbox (2)");
        assert_eq!(imported[0].profile.environment, Environment::BuiltInSandbox);
    }

    #[test]
    fn one_invalid_profile_imports_nothing() {
        let (_dir, mut store) = store();
        let mut bad = acme();
        bad.name = "Plain http".into();
        bad.environment = Environment::Server(Endpoints {
            authorize_url: Url::parse("http://app.example/oauth/authorize").unwrap(),
            token_url: Url::parse("http://app.example/oauth/token").unwrap(),
            api_url: Url::parse("http://api.example").unwrap(),
        });
        let err = import_profiles(&mut store, &export_profiles(&[acme(), bad])).unwrap_err();
        assert!(
            matches!(&err, TransferError::InvalidProfile { name, source: ProfileError::InsecureUrl { .. } } if name == "Plain http"),
            "{err}"
        );
        assert!(err.to_string().contains("use https://"), "{err}");
        assert_eq!(store.list().len(), 2, "nothing was imported");
    }

    #[test]
    fn an_empty_name_is_refused() {
        let (_dir, mut store) = store();
        let mut nameless = acme();
        nameless.name = "  ".into();
        let err = import_profiles(&mut store, &export_profiles(&[nameless])).unwrap_err();
        assert!(matches!(
            err,
            TransferError::InvalidProfile { source: ProfileError::EmptyName, .. }
        ));
    }

    #[test]
    fn other_documents_are_refused_with_a_reason() {
        let (_dir, mut store) = store();
        let cases = [
            ("not json", "not JSON"),
            (r#"{"version":1,"profiles":[]}"#, "no \"format\""),
            (r#"{"format":"postman","version":1,"profiles":[]}"#, "\"postman\""),
            (r#"{"format":"scopestack-companion-profiles","profiles":[]}"#, "no version"),
        ];
        for (text, expected) in cases {
            let err = import_profiles(&mut store, text).unwrap_err();
            assert!(matches!(err, TransferError::NotAnExport(_)), "{text}: {err}");
            assert!(err.to_string().contains(expected), "{text}: {err}");
        }
        let newer = r#"{"format":"scopestack-companion-profiles","version":2,"profiles":[]}"#;
        assert!(matches!(import_profiles(&mut store, newer), Err(TransferError::NewerVersion(2))));
    }

    #[test]
    fn the_profiles_file_of_the_store_is_not_an_export() {
        let (dir, mut store) = store();
        let text =
            std::fs::read_to_string(dir.path().join(crate::profiles::PROFILES_FILE)).unwrap();
        assert!(matches!(import_profiles(&mut store, &text), Err(TransferError::NotAnExport(_))));
    }

    #[test]
    fn secret_looking_fields_in_an_import_are_dropped() {
        let (_dir, mut store) = store();
        let text = export_profiles(&[acme()])
            .replace("\"client_id\"", "\"client_secret\": \"s3cr3t\", \"client_id\"");
        let imported = import_profiles(&mut store, &text).unwrap();
        let saved = std::fs::read_to_string(store.path()).unwrap();
        assert!(!saved.contains("s3cr3t"));
        assert_eq!(imported[0].profile.client_id, "acme-client");
    }
}
