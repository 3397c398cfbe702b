//! Checks on what the webview sends that need the running app: profile ids, of the app's shape
//! and known to its profiles. The limits on everything else (lengths, one line, URLs, requests)
//! are the engine's, shared with the CLI ([`engine::limits`]); their refusals, an
//! `EngineError::InvalidInput`, become a [`CommandError::Input`] that says what to change.

use crate::error::CommandError;
use crate::state::AppState;
use engine::{ProfileId, ProfileStore};

/// Profile ids are made by the app (`p-` and 16 hex digits, or a built-in name).
pub const MAX_PROFILE_ID: usize = 64;

fn input(message: impl Into<String>) -> CommandError {
    CommandError::Input(message.into())
}

/// A profile id of the shape the app makes; whether it exists is [`known_profile`]'s job.
pub fn profile_id(raw: &str) -> Result<ProfileId, CommandError> {
    let plausible = !raw.is_empty()
        && raw.len() <= MAX_PROFILE_ID
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !plausible {
        return Err(input("That is not a profile of this app. Choose a profile in the sidebar."));
    }
    Ok(ProfileId::new(raw))
}

/// The id of a profile that exists in `store`. Everything keyed by a profile — its keychain
/// entries, its history file, its sign-in cookies — is reached only through this.
pub fn known_profile(store: &ProfileStore, raw: &str) -> Result<ProfileId, CommandError> {
    let id = profile_id(raw)?;
    if store.get(&id).is_err() {
        return Err(input("That profile no longer exists (it may have been deleted). Choose a profile in the sidebar."));
    }
    Ok(id)
}

/// [`known_profile`] against the running app's profiles.
pub fn profile(state: &AppState, raw: &str) -> Result<ProfileId, CommandError> {
    known_profile(&*state.store()?, raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(r: Result<impl std::fmt::Debug, CommandError>) -> String {
        match r {
            Err(CommandError::Input(m)) => m,
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    #[test]
    fn profile_ids_have_the_apps_shape() {
        for ok in ["sandbox", "scopestack", "p-00ff12ab34cd56ef"] {
            assert_eq!(profile_id(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "../x", "a/b", "p 1", "é", &"a".repeat(MAX_PROFILE_ID + 1), "a\0"] {
            assert!(err(profile_id(bad)).contains("Choose a profile"), "{bad:?}");
        }
    }

    #[test]
    fn only_profiles_in_the_store_are_known() {
        let dir = std::env::temp_dir().join(format!("validate-test-{}", std::process::id()));
        let store = ProfileStore::open(&dir).unwrap().0;
        let existing = store.list()[0].id.as_str().to_string();
        assert_eq!(known_profile(&store, &existing).unwrap().as_str(), existing);
        assert!(err(known_profile(&store, "p-0000000000000000")).contains("no longer exists"));
        assert!(err(known_profile(&store, "")).contains("Choose a profile"));
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The engine's refusals reach the window as they did when these checks lived here: an
    /// input error with the engine's words, without a diagnosis.
    #[test]
    fn the_engines_limits_arrive_as_input_errors() {
        let refused = engine::limits::profile_name("   ").map_err(CommandError::from);
        assert!(err(refused).contains("Give the profile a name"));
    }
}
