//! The profiles file: one JSON document in the config directory, written atomically.

use super::{defaults, Profile, ProfileError, ProfileId, MAX_PROFILE_NAME};
use crate::file_lock::FileLock;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The file name inside the config directory.
pub const PROFILES_FILE: &str = "profiles.json";
const FORMAT_VERSION: u32 = 1;
/// How long a change waits while another program (the CLI, a second app) changes the file.
const CHANGE_WAIT: Duration = Duration::from_secs(5);

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
struct ProfilesFile {
    version: u32,
    profiles: Vec<Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_profile: Option<ProfileId>,
}

/// Something the user should hear about after opening the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum StoreNotice {
    /// The file could not be read; it was kept under a new name and fresh defaults were written.
    UnreadableFileSetAside { kept_as: PathBuf, reason: String },
}

impl std::fmt::Display for StoreNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreNotice::UnreadableFileSetAside { kept_as, reason } => write!(
                f,
                "Your profiles file could not be read ({reason}). It was kept as {} and the app started with its default profiles.",
                kept_as.display()
            ),
        }
    }
}

/// All profiles, and the one used last.
#[derive(Debug)]
pub struct ProfileStore {
    path: PathBuf,
    profiles: Vec<Profile>,
    last_profile: Option<ProfileId>,
    /// The file's bytes as this store last read or wrote them: other bytes on disk mean another
    /// program (the CLI, a second app) changed the file since.
    on_disk: Option<Vec<u8>>,
}

impl ProfileStore {
    /// Opens the store in the app's config directory (see [`crate::paths::config_dir`]).
    pub fn open_default() -> Result<(ProfileStore, Option<StoreNotice>), ProfileError> {
        let dir = crate::paths::config_dir().ok_or(ProfileError::NoConfigDir)?;
        Self::open(&dir)
    }

    /// Opens the store in `dir`. On first use it writes the two default profiles (Sandbox and
    /// ScopeStack). A file that cannot be parsed is never overwritten: it is renamed and kept.
    pub fn open(dir: &Path) -> Result<(ProfileStore, Option<StoreNotice>), ProfileError> {
        let path = dir.join(PROFILES_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(ProfileError::Io { action: "read", path, source }),
        };
        let mut notice = None;
        let parsed = match text.as_deref().map(parse) {
            None => None,
            Some(Ok(file)) => Some(file),
            Some(Err(reason)) => {
                let kept_as = set_aside(&path)?;
                notice = Some(StoreNotice::UnreadableFileSetAside { kept_as, reason });
                None
            }
        };
        let store = match parsed {
            Some(file) => ProfileStore {
                path,
                profiles: file.profiles,
                last_profile: file.last_profile,
                on_disk: text.map(String::into_bytes),
            },
            None => {
                let mut store = ProfileStore {
                    path,
                    profiles: vec![defaults::sandbox_profile(), defaults::scopestack_production()],
                    last_profile: Some(ProfileId::new(defaults::SANDBOX_PROFILE_ID)),
                    on_disk: None,
                };
                // Another program may have written the first file meanwhile: that one is kept.
                let _lock = store.lock_for_change()?;
                if !store.reload_if_changed()? {
                    store.save()?;
                }
                store
            }
        };
        Ok((store, notice))
    }

    /// Takes in what another program (the CLI, a second app) wrote to the file since this store
    /// last read or wrote it, so that a change made here never undoes one made there. Every change
    /// calls it first; the app also calls it before showing the profiles. Returns whether the
    /// file had changed. A file that cannot be read now is left as it is and reported; a deleted
    /// file is written again by the next change.
    pub fn reload_if_changed(&mut self) -> Result<bool, ProfileError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(source) => {
                return Err(ProfileError::Io { action: "read", path: self.path.clone(), source })
            }
        };
        if self.on_disk.as_deref() == Some(bytes.as_slice()) {
            return Ok(false);
        }
        let unreadable = |reason: String| ProfileError::ChangedElsewhereUnreadable {
            path: self.path.clone(),
            reason,
        };
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| unreadable(format!("it is not UTF-8 text: {e}")))?;
        let file = parse(text).map_err(unreadable)?;
        self.profiles = file.profiles;
        self.last_profile = file.last_profile;
        self.on_disk = Some(bytes);
        Ok(true)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The lock every program of the app takes to change the file (`profiles.json.lock` beside
    /// it), so that between reading another program's version and writing this one nobody
    /// writes: without it, two changes at once could each drop the other's.
    fn lock_for_change(&self) -> Result<FileLock, ProfileError> {
        let path = self.path.with_file_name(format!("{PROFILES_FILE}.lock"));
        Ok(FileLock::acquire(&path, "changing the profiles file", CHANGE_WAIT)?)
    }

    pub fn list(&self) -> &[Profile] {
        &self.profiles
    }

    pub fn get(&self, id: &ProfileId) -> Result<&Profile, ProfileError> {
        self.profiles
            .iter()
            .find(|p| &p.id == id)
            .ok_or_else(|| ProfileError::UnknownProfile(id.clone()))
    }

    /// The profile to open on: the last one used if it still exists, else the first.
    pub fn startup_profile(&self) -> Option<&Profile> {
        self.last_profile
            .as_ref()
            .and_then(|id| self.profiles.iter().find(|p| &p.id == id))
            .or_else(|| self.profiles.first())
    }

    /// Adds a new profile after checking it; saves the file.
    pub fn add(&mut self, profile: Profile) -> Result<(), ProfileError> {
        let _lock = self.lock_for_change()?;
        self.reload_if_changed()?;
        profile.validate()?;
        self.check_name_free(&profile.name, None)?;
        self.profiles.push(profile);
        self.save()
    }

    /// Adds a copy of a profile's settings under a new id and a free name ("NAME copy", else
    /// "NAME copy 2", …, within [`MAX_PROFILE_NAME`] characters); saves the file. Its secrets and
    /// token are not copied: the vault keeps them by id, so the copy starts without any. Returns
    /// the copy.
    pub fn duplicate(&mut self, id: &ProfileId) -> Result<Profile, ProfileError> {
        let _lock = self.lock_for_change()?;
        self.reload_if_changed()?;
        let mut copy = self.get(id)?.clone();
        copy.id = ProfileId::generate();
        copy.name = copy_name(&self.profiles, &copy.name);
        copy.validate()?;
        self.check_name_free(&copy.name, None)?;
        self.profiles.push(copy.clone());
        self.save()?;
        Ok(copy)
    }

    /// Replaces the profile with the same id after checking it; saves the file.
    pub fn update(&mut self, profile: Profile) -> Result<(), ProfileError> {
        let _lock = self.lock_for_change()?;
        self.reload_if_changed()?;
        profile.validate()?;
        self.check_name_free(&profile.name, Some(&profile.id))?;
        let slot = self
            .profiles
            .iter_mut()
            .find(|p| p.id == profile.id)
            .ok_or_else(|| ProfileError::UnknownProfile(profile.id.clone()))?;
        *slot = profile;
        self.save()
    }

    /// Removes a profile; saves the file.
    pub fn remove(&mut self, id: &ProfileId) -> Result<Profile, ProfileError> {
        let _lock = self.lock_for_change()?;
        self.reload_if_changed()?;
        let index = self
            .profiles
            .iter()
            .position(|p| &p.id == id)
            .ok_or_else(|| ProfileError::UnknownProfile(id.clone()))?;
        let removed = self.profiles.remove(index);
        if self.last_profile.as_ref() == Some(id) {
            self.last_profile = None;
        }
        self.save()?;
        Ok(removed)
    }

    /// Remembers the profile in use, so the app reopens on it.
    pub fn set_last_profile(&mut self, id: &ProfileId) -> Result<(), ProfileError> {
        let _lock = self.lock_for_change()?;
        self.reload_if_changed()?;
        self.get(id)?;
        self.last_profile = Some(id.clone());
        self.save()
    }

    fn check_name_free(&self, name: &str, except: Option<&ProfileId>) -> Result<(), ProfileError> {
        let taken = self
            .profiles
            .iter()
            .any(|p| Some(&p.id) != except && p.name.trim().eq_ignore_ascii_case(name.trim()));
        if taken {
            return Err(ProfileError::DuplicateName(name.trim().to_string()));
        }
        Ok(())
    }

    /// Writes the whole file to a temporary neighbour, flushes it, then renames it over the old
    /// one, so a crash never leaves a half-written file.
    fn save(&mut self) -> Result<(), ProfileError> {
        let file = ProfilesFile {
            version: FORMAT_VERSION,
            profiles: self.profiles.clone(),
            last_profile: self.last_profile.clone(),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(|e| ProfileError::Io {
            action: "encode",
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        write_atomically(&self.path, &json)?;
        self.on_disk = Some(json);
        Ok(())
    }
}

/// The name of a copy of the profile named `name`: "NAME copy", else "NAME copy 2", "NAME copy 3",
/// … the first that no profile has (in any case). NAME is cut to keep room for " copy N" within
/// [`MAX_PROFILE_NAME`] characters.
fn copy_name(profiles: &[Profile], name: &str) -> String {
    let stem: String = name.chars().take(MAX_PROFILE_NAME - 10).collect();
    let base = format!("{stem} copy");
    let taken =
        |candidate: &str| profiles.iter().any(|p| p.name.trim().eq_ignore_ascii_case(candidate));
    if !taken(&base) {
        return base;
    }
    (2u32..).map(|n| format!("{base} {n}")).find(|candidate| !taken(candidate)).unwrap_or(base)
}

fn parse(text: &str) -> Result<ProfilesFile, String> {
    let file: ProfilesFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if file.version > FORMAT_VERSION {
        return Err(format!(
            "it was written by a newer version of the app (format {}, this app reads up to {FORMAT_VERSION})",
            file.version
        ));
    }
    Ok(file)
}

fn set_aside(path: &Path) -> Result<PathBuf, ProfileError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let kept_as = path.with_file_name(format!("{PROFILES_FILE}.unreadable-{stamp}"));
    std::fs::rename(path, &kept_as).map_err(|source| ProfileError::Io {
        action: "rename",
        path: path.to_path_buf(),
        source,
    })?;
    Ok(kept_as)
}

/// Writes a whole file to a temporary neighbour (a fresh name each time, so two writers never
/// share one), flushes it, and renames it into place, so readers never see half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ProfileError> {
    let io = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| ProfileError::Io { action, path, source }
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io("create", dir))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".partial-")
        .tempfile_in(dir)
        .map_err(io("create a temporary file in", dir))?;
    tmp.write_all(bytes).map_err(io("write", tmp.path()))?;
    tmp.as_file().sync_all().map_err(io("flush", tmp.path()))?;
    tmp.persist(path).map_err(|e| io("replace", path)(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::{Environment, Method};

    #[test]
    fn first_open_writes_the_two_default_profiles() {
        let dir = tempfile::tempdir().unwrap();
        let (store, notice) = ProfileStore::open(dir.path()).unwrap();
        assert!(notice.is_none());
        let names: Vec<_> = store.list().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Sandbox", "ScopeStack"]);
        assert_eq!(store.startup_profile().unwrap().name, "Sandbox");
        assert_eq!(store.list()[0].environment, Environment::BuiltInSandbox);
        match &store.list()[1].environment {
            Environment::Server(e) => {
                assert_eq!(e.authorize_url.as_str(), "https://app.scopestack.io/oauth/authorize");
                assert_eq!(e.token_url.as_str(), "https://app.scopestack.io/oauth/token");
                assert_eq!(e.api_url.as_str(), "https://api.scopestack.io/");
            }
            other => panic!("ScopeStack profile should point at a server, got {other:?}"),
        }
        assert!(store.list()[1].client_id.is_empty(), "no credentials in the ScopeStack profile");
        assert!(dir.path().join(PROFILES_FILE).exists());
    }

    fn named(name: &str) -> Profile {
        let mut p = crate::profiles::scopestack_production();
        p.id = ProfileId::generate();
        p.name = name.into();
        p
    }

    fn names(store: &ProfileStore) -> Vec<&str> {
        store.list().iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn a_change_here_keeps_what_another_program_wrote_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, _) = ProfileStore::open(dir.path()).unwrap();
        let (mut cli, _) = ProfileStore::open(dir.path()).unwrap();
        assert!(!app.reload_if_changed().unwrap(), "nothing changed yet");

        cli.add(named("Added by the CLI")).unwrap();
        app.add(named("Added in the app")).unwrap();
        assert_eq!(names(&app), ["Sandbox", "ScopeStack", "Added by the CLI", "Added in the app"]);
        let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(names(&reopened), names(&app), "both additions are in the file");

        // The other way round, with a removal and the last profile.
        let gone = cli.list().iter().find(|p| p.name == "ScopeStack").unwrap().id.clone();
        assert!(cli.reload_if_changed().unwrap(), "the app's addition is taken in");
        cli.remove(&gone).unwrap();
        let chosen = app.list().iter().find(|p| p.name == "Added by the CLI").unwrap().id.clone();
        app.set_last_profile(&chosen).unwrap();
        let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(
            names(&reopened),
            ["Sandbox", "Added by the CLI", "Added in the app"],
            "the CLI's removal stays removed"
        );
        assert_eq!(reopened.startup_profile().unwrap().id, chosen);
    }

    #[test]
    fn changes_made_at_the_same_moment_by_several_programs_are_all_kept() {
        let dir = tempfile::tempdir().unwrap();
        ProfileStore::open(dir.path()).unwrap();
        // Each thread stands for another program: its own store over the same file.
        let writers: Vec<_> = (0..6)
            .map(|w| {
                let dir = dir.path().to_path_buf();
                std::thread::spawn(move || {
                    let (mut store, _) = ProfileStore::open(&dir).unwrap();
                    for n in 0..8 {
                        store.add(named(&format!("writer {w} profile {n}"))).unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(
            reopened.list().len(),
            2 + 6 * 8,
            "every addition is in the file: {:?}",
            names(&reopened)
        );
    }

    #[test]
    fn a_change_waits_while_another_program_holds_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = ProfileStore::open(dir.path()).unwrap();
        let held = FileLock::acquire(
            &dir.path().join(format!("{PROFILES_FILE}.lock")),
            "test",
            Duration::from_secs(1),
        )
        .unwrap();
        let change = std::thread::spawn(move || store.add(named("Added here")));
        std::thread::sleep(Duration::from_millis(300));
        let (meanwhile, _) = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(
            names(&meanwhile),
            ["Sandbox", "ScopeStack"],
            "nothing is written while another program holds the file"
        );
        assert!(!change.is_finished(), "the change waits");
        drop(held);
        change.join().unwrap().expect("the change goes ahead once the lock is let go");
        let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(names(&reopened), ["Sandbox", "ScopeStack", "Added here"]);
    }

    #[test]
    fn a_file_damaged_by_another_program_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = ProfileStore::open(dir.path()).unwrap();
        let path = dir.path().join(PROFILES_FILE);
        for damaged in [&b"{ \"version\": 1, \"profiles\": [ cut sh"[..], b"\xff\xfe not text"] {
            std::fs::write(&path, damaged).unwrap();
            let err = store.add(named("Acme")).unwrap_err();
            assert!(matches!(err, ProfileError::ChangedElsewhereUnreadable { .. }), "{err:?}");
            assert!(
                err.to_string().contains("Nothing was changed")
                    && err.to_string().contains(PROFILES_FILE),
                "{err}"
            );
            assert_eq!(
                std::fs::read(&path).unwrap(),
                damaged,
                "the damaged file is not overwritten"
            );
            assert_eq!(
                names(&store),
                ["Sandbox", "ScopeStack"],
                "the profiles in memory are unchanged"
            );
        }
        // A deleted file is written again by the next change.
        std::fs::remove_file(&path).unwrap();
        store.add(named("Acme")).unwrap();
        let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(names(&reopened), ["Sandbox", "ScopeStack", "Acme"]);
    }

    #[test]
    fn changes_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = ProfileStore::open(dir.path()).unwrap();
        let mut p = crate::profiles::scopestack_production();
        p.id = ProfileId::generate();
        p.name = "Acme staging".into();
        p.method = Method::Password;
        store.add(p.clone()).unwrap();
        store.set_last_profile(&p.id).unwrap();
        let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(reopened.list().len(), 3);
        assert_eq!(reopened.startup_profile().unwrap(), &p);
    }

    #[test]
    fn duplicate_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = ProfileStore::open(dir.path()).unwrap();
        let mut p = crate::profiles::scopestack_production();
        p.id = ProfileId::generate();
        p.name = " sandbox ".into();
        assert!(matches!(store.add(p), Err(ProfileError::DuplicateName(n)) if n == "sandbox"));
    }

    #[test]
    fn an_unreadable_file_is_kept_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PROFILES_FILE), b"{ not json").unwrap();
        let (store, notice) = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(store.list().len(), 2);
        let Some(StoreNotice::UnreadableFileSetAside { kept_as, .. }) = notice else {
            panic!("expected a notice about the unreadable file");
        };
        assert_eq!(std::fs::read(&kept_as).unwrap(), b"{ not json");
    }

    #[test]
    fn a_file_from_a_newer_version_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PROFILES_FILE), br#"{"version": 99, "profiles": []}"#)
            .unwrap();
        let (_, notice) = ProfileStore::open(dir.path()).unwrap();
        assert!(notice.unwrap().to_string().contains("newer version"));
    }

    #[test]
    fn removing_the_last_used_profile_falls_back_to_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = ProfileStore::open(dir.path()).unwrap();
        let scopestack = store.list()[1].id.clone();
        store.set_last_profile(&scopestack).unwrap();
        store.remove(&scopestack).unwrap();
        assert_eq!(store.startup_profile().unwrap().name, "Sandbox");
        assert!(matches!(store.get(&scopestack), Err(ProfileError::UnknownProfile(_))));
    }
}
