//! Saved requests and the variables of each profile, kept as JSON in
//! `<data dir>/saved-requests/<profile-id>.json` (beside the history; written whole to a
//! temporary file, then renamed). Nothing secret is kept: `Authorization` and every
//! secret-named header, query parameter and variable are left out (and listed as such), and the
//! rest gets the rules of [`crate::redact`] (URL secrets, secret body fields become
//! `"[redacted]"`, a body whose format cannot be read and that may hold a secret is left out).

use crate::error::EngineError;
use crate::limits::{self, MAX_SAVED_NAME};
use crate::paths;
use crate::profiles::ProfileId;
use crate::redact::{self, BodyCopy};
use crate::requests::history::History;
use crate::requests::spec::RequestSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FORMAT_VERSION: u32 = 1;

/// One saved request of a profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SavedRequest {
    pub id: String,
    pub name: String,
    /// The folders it sits in, outermost first; empty at the top level.
    #[serde(default)]
    pub folder: Vec<String>,
    /// The request, without its secrets.
    pub spec: RequestSpec,
    /// What was left out or redacted ("header X-Api-Key"): a re-run lacks these.
    #[serde(default)]
    pub redacted: Vec<String>,
    /// When it was saved, unix milliseconds.
    pub saved_at_unix_ms: i64,
}

/// A request to save: its name, folder path and spec (secrets are removed on saving).
#[derive(Clone, Debug, PartialEq)]
pub struct NewSavedRequest {
    pub name: String,
    pub folder: Vec<String>,
    pub spec: RequestSpec,
}

#[derive(Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
struct SavedFile {
    version: u32,
    #[serde(default)]
    variables: BTreeMap<String, String>,
    #[serde(default)]
    requests: Vec<SavedRequest>,
}

/// `spec` without its secrets, and what was taken out.
pub fn redact_spec(spec: &RequestSpec) -> (RequestSpec, Vec<String>) {
    let mut redacted = Vec::new();
    let url = redact::redact_url(&spec.url);
    if url != spec.url {
        redacted.push("URL secrets".to_string());
    }
    let mut keep_pairs = |what: &str,
                          pairs: &[(String, String)],
                          secret: &dyn Fn(&str) -> bool|
     -> Vec<(String, String)> {
        pairs
            .iter()
            .filter(|(k, _)| {
                let drop = secret(k);
                if drop {
                    redacted.push(format!("{what} {k}"));
                }
                !drop
            })
            .map(|(k, v)| (k.clone(), redact::redact_text(v)))
            .collect()
    };
    let query = keep_pairs("query", &spec.query, &redact::is_secret_parameter);
    let headers = keep_pairs("header", &spec.headers, &redact::header_is_secret);
    let body = spec.body.as_ref().and_then(|b| {
        match redact::redact_body(b, spec.header("content-type")) {
            BodyCopy::Kept { text, redacted_fields } => {
                redacted.extend(redacted_fields.into_iter().map(|n| format!("body field {n}")));
                Some(text.into_bytes())
            }
            BodyCopy::NotKept { .. } => {
                redacted.push("body".to_string());
                None
            }
        }
    });
    (RequestSpec { url, query, headers, body, ..spec.clone() }, redacted)
}

/// Variables without the secret-named ones (the rest redacted as free text); also returns the names left out.
pub fn redact_variables(
    vars: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let mut dropped = Vec::new();
    let kept = vars
        .iter()
        .filter(|(k, _)| {
            let secret = redact::is_secret_name(k);
            if secret {
                dropped.push(k.to_string());
            }
            !secret
        })
        .map(|(k, v)| (k.clone(), redact::redact_text(v)))
        .collect();
    (kept, dropped)
}

/// The saved requests and variables of all profiles, in one directory.
#[derive(Clone, Debug)]
pub struct SavedRequests {
    dir: PathBuf,
}

impl SavedRequests {
    /// `<data dir>/saved-requests`.
    pub fn open_default() -> Result<SavedRequests, EngineError> {
        let dir = paths::data_dir().ok_or_else(|| EngineError::Local("No folder for the app's data could be found. Set SCOPESTACK_COMPANION_HOME to a writable folder.".into()))?;
        Ok(SavedRequests::in_dir(dir.join("saved-requests")))
    }

    pub fn in_dir(dir: impl Into<PathBuf>) -> SavedRequests {
        SavedRequests { dir: dir.into() }
    }

    /// One writer of a profile's saved requests at a time, across threads and programs (the app
    /// and scopestack-cli both change them): read, change, write back.
    fn writing(&self, profile: &ProfileId) -> Result<crate::file_lock::FileLock, EngineError> {
        let lock = self.path(profile).with_extension("json.lock");
        Ok(crate::file_lock::FileLock::acquire(
            &lock,
            "the saved requests",
            super::history::WRITE_WAIT,
        )?)
    }

    /// The file of a profile (the same safe name as its history file).
    pub fn path(&self, profile: &ProfileId) -> PathBuf {
        History::in_dir(&self.dir).path(profile)
    }

    fn read(path: &Path) -> Result<SavedFile, EngineError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(SavedFile { version: FORMAT_VERSION, ..SavedFile::default() })
            }
            Err(e) => {
                return Err(EngineError::Local(format!(
                    "The saved requests {} could not be read ({e}).",
                    path.display()
                )))
            }
        };
        let file: SavedFile = serde_json::from_str(&text).map_err(|e| {
            EngineError::Local(format!("The saved requests {} are damaged ({e}). Move the file away to start again; nothing was changed.", path.display()))
        })?;
        if file.version > FORMAT_VERSION {
            return Err(EngineError::Local(format!(
                "The saved requests {} were written by a newer version of the app (format {}). Update the app; nothing was changed.",
                path.display(),
                file.version
            )));
        }
        Ok(file)
    }

    fn change<T>(
        &self,
        profile: &ProfileId,
        edit: impl FnOnce(&mut SavedFile) -> T,
    ) -> Result<T, EngineError> {
        self.try_change(profile, |file| Ok(edit(file)))
    }

    /// Reads the file under the lock, edits it, and writes it back whole — only when the edit
    /// succeeds (a damaged file is never read, so never overwritten).
    fn try_change<T>(
        &self,
        profile: &ProfileId,
        edit: impl FnOnce(&mut SavedFile) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        let _one = self.writing(profile)?;
        let path = self.path(profile);
        let mut file = SavedRequests::read(&path)?;
        let out = edit(&mut file)?;
        file.version = FORMAT_VERSION;
        let failed = |e: &dyn std::fmt::Display| {
            EngineError::Local(format!(
                "The saved requests could not be written to {} ({e}).",
                path.display()
            ))
        };
        let json = serde_json::to_vec_pretty(&file).map_err(|e| failed(&e))?;
        crate::profiles::write_atomically(&path, &json).map_err(|e| failed(&e))?;
        Ok(out)
    }

    /// Saves requests (their secrets removed) after the ones already saved; returns them as kept.
    pub fn add(
        &self,
        profile: &ProfileId,
        new: Vec<NewSavedRequest>,
    ) -> Result<Vec<SavedRequest>, EngineError> {
        let now = now_ms();
        let saved: Vec<SavedRequest> = new
            .into_iter()
            .enumerate()
            .map(|(n, r)| {
                let (spec, redacted) = redact_spec(&r.spec);
                let name = if r.name.trim().is_empty() {
                    format!("{} {}", spec.method_name(), spec.url)
                } else {
                    r.name.trim().to_string()
                };
                SavedRequest {
                    id: new_id(now, n),
                    name,
                    folder: r.folder,
                    spec,
                    redacted,
                    saved_at_unix_ms: now,
                }
            })
            .collect();
        let copy = saved.clone();
        self.change(profile, move |file| file.requests.extend(copy))?;
        Ok(saved)
    }

    /// Saves one request from the window: `name` as [`limits::saved_request_name`] and
    /// `folder` (outermost first; empty for the top level) as [`limits::folder_path`] want them;
    /// the spec without its secrets, as [`SavedRequests::add`] keeps them. Returns it as kept.
    pub fn save(
        &self,
        profile: &ProfileId,
        name: &str,
        folder: &[String],
        spec: &RequestSpec,
    ) -> Result<SavedRequest, EngineError> {
        let name = limits::saved_request_name(name)?;
        let folder = limits::folder_path(folder)?;
        let (spec, redacted) = redact_spec(spec);
        let now = now_ms();
        self.change(profile, move |file| {
            let request = SavedRequest {
                id: unused_id(file, now),
                name,
                folder,
                spec,
                redacted,
                saved_at_unix_ms: now,
            };
            file.requests.push(request.clone());
            request
        })
    }

    /// Saves over a saved request: its spec (without secrets) and the time change, its id, name,
    /// folder and place stay. Returns it as kept.
    pub fn update_spec(
        &self,
        profile: &ProfileId,
        id: &str,
        spec: &RequestSpec,
    ) -> Result<SavedRequest, EngineError> {
        let (spec, redacted) = redact_spec(spec);
        self.try_change(profile, |file| {
            let request = find_mut(file, id)?;
            request.spec = spec;
            request.redacted = redacted;
            request.saved_at_unix_ms = now_ms();
            Ok(request.clone())
        })
    }

    /// Renames a saved request (the name checked as [`SavedRequests::save`] does).
    pub fn rename(
        &self,
        profile: &ProfileId,
        id: &str,
        name: &str,
    ) -> Result<SavedRequest, EngineError> {
        let name = limits::saved_request_name(name)?;
        self.try_change(profile, |file| {
            let request = find_mut(file, id)?;
            request.name = name;
            Ok(request.clone())
        })
    }

    /// Moves a saved request to the folder path `folder` (empty: the top level), checked as
    /// [`SavedRequests::save`] does.
    pub fn move_to(
        &self,
        profile: &ProfileId,
        id: &str,
        folder: &[String],
    ) -> Result<SavedRequest, EngineError> {
        let folder = limits::folder_path(folder)?;
        self.try_change(profile, |file| {
            let request = find_mut(file, id)?;
            request.folder = folder;
            Ok(request.clone())
        })
    }

    /// Copies a saved request into the same folder, right after it, named "NAME (copy)" (or
    /// "NAME (copy 2)", … when that name is taken there). Returns the copy.
    pub fn duplicate(&self, profile: &ProfileId, id: &str) -> Result<SavedRequest, EngineError> {
        self.try_change(profile, |file| {
            let at = file.requests.iter().position(|r| r.id == id).ok_or_else(missing)?;
            let original = &file.requests[at];
            let taken: Vec<&str> = file
                .requests
                .iter()
                .filter(|r| r.folder == original.folder)
                .map(|r| r.name.as_str())
                .collect();
            let name = copy_name(&original.name, &taken);
            let now = now_ms();
            let copy = SavedRequest {
                id: unused_id(file, now),
                name,
                saved_at_unix_ms: now,
                ..original.clone()
            };
            file.requests.insert(at + 1, copy.clone());
            Ok(copy)
        })
    }

    /// The folder paths that hold saved requests, each parent before its subfolders, in the
    /// order the requests are kept; the top level (the empty path) is not listed. A folder
    /// exists while a request is in it (or in one of its subfolders).
    pub fn folders(&self, profile: &ProfileId) -> Result<Vec<Vec<String>>, EngineError> {
        let mut folders: Vec<Vec<String>> = Vec::new();
        for request in self.list(profile)? {
            for depth in 1..=request.folder.len() {
                let path = &request.folder[..depth];
                if !folders.iter().any(|f| f == path) {
                    folders.push(path.to_vec());
                }
            }
        }
        Ok(folders)
    }

    /// The profile's saved requests, in the order they were saved.
    pub fn list(&self, profile: &ProfileId) -> Result<Vec<SavedRequest>, EngineError> {
        Ok(SavedRequests::read(&self.path(profile))?.requests)
    }

    pub fn get(&self, profile: &ProfileId, id: &str) -> Result<Option<SavedRequest>, EngineError> {
        Ok(self.list(profile)?.into_iter().find(|r| r.id == id))
    }

    /// Deletes one saved request; false when there was none with that id.
    pub fn delete(&self, profile: &ProfileId, id: &str) -> Result<bool, EngineError> {
        self.change(profile, |file| {
            let before = file.requests.len();
            file.requests.retain(|r| r.id != id);
            file.requests.len() != before
        })
    }

    /// The profile's variables (`{name}` in URLs, query and headers; `{{name}}` in bodies too).
    pub fn variables(&self, profile: &ProfileId) -> Result<BTreeMap<String, String>, EngineError> {
        Ok(SavedRequests::read(&self.path(profile))?.variables)
    }

    /// Adds or replaces variables (secret-named ones are left out); returns the names left out.
    pub fn set_variables(
        &self,
        profile: &ProfileId,
        vars: &BTreeMap<String, String>,
    ) -> Result<Vec<String>, EngineError> {
        let (kept, dropped) = redact_variables(vars);
        self.change(profile, move |file| file.variables.extend(kept))?;
        Ok(dropped)
    }

    /// Makes `vars` the profile's variables, all of them (secret-named ones are left out);
    /// returns the names left out.
    pub fn replace_variables(
        &self,
        profile: &ProfileId,
        vars: &BTreeMap<String, String>,
    ) -> Result<Vec<String>, EngineError> {
        let (kept, dropped) = redact_variables(vars);
        self.change(profile, move |file| file.variables = kept)?;
        Ok(dropped)
    }

    /// Deletes the profile's saved requests and variables.
    pub fn clear(&self, profile: &ProfileId) -> Result<(), EngineError> {
        let _one = self.writing(profile)?;
        match std::fs::remove_file(self.path(profile)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => {
                Err(EngineError::Local(format!("The saved requests could not be deleted ({e}).")))
            }
        }
    }
}

/// A saved request's id: the time in hex, a counter and a random part (hex digits and `-`, at
/// most 40 characters, as the window checks).
fn new_id(now: i64, n: usize) -> String {
    format!("{now:x}-{n:04x}-{:08x}", rand::random::<u32>())
}

/// An id no request of `file` has yet.
fn unused_id(file: &SavedFile, now: i64) -> String {
    loop {
        let id = new_id(now, 0);
        if !file.requests.iter().any(|r| r.id == id) {
            return id;
        }
    }
}

fn missing() -> EngineError {
    EngineError::InvalidInput("That saved request is no longer there (it may have been deleted in another window or with scopestack-cli). Reload the saved requests and choose it again.".into())
}

fn find_mut<'a>(file: &'a mut SavedFile, id: &str) -> Result<&'a mut SavedRequest, EngineError> {
    file.requests.iter_mut().find(|r| r.id == id).ok_or_else(missing)
}

/// "NAME (copy)", or "NAME (copy N)" with the first N from 2 that is not in `taken`; NAME is
/// shortened so that the whole stays within [`MAX_SAVED_NAME`] characters.
fn copy_name(name: &str, taken: &[&str]) -> String {
    let stem: String = name.chars().take(MAX_SAVED_NAME - " (copy 99999)".len()).collect();
    let stem = stem.trim_end();
    std::iter::once(format!("{stem} (copy)"))
        .chain((2..).map(|n| format!("{stem} (copy {n})")))
        .find(|candidate| !taken.contains(&candidate.as_str()))
        .expect("an unused number")
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, SavedRequests) {
        let dir = tempfile::tempdir().unwrap();
        let store = SavedRequests::in_dir(dir.path());
        (dir, store)
    }

    #[test]
    fn requests_are_kept_without_secrets_listed_and_deleted() {
        let (_dir, store) = store();
        let p = ProfileId::new("p-1");
        let spec = RequestSpec::new("POST", "{account-slug}/v1/projects?api_key=k3y-value")
            .with_header("Authorization", "Bearer s3cr3t-token-value")
            .with_header("X-Api-Key", "another-s3cr3t")
            .with_header("Accept", "application/vnd.api+json")
            .with_query("include", "client")
            .with_query("access_token", "qs-s3cr3t")
            .with_body(r#"{"data":{"attributes":{"name":"A","password":"body-s3cr3t"}}}"#);
        let saved = store
            .add(
                &p,
                vec![NewSavedRequest {
                    name: "Create".into(),
                    folder: vec!["Projects".into()],
                    spec,
                }],
            )
            .unwrap();
        assert_eq!(saved.len(), 1);
        let got = store.get(&p, &saved[0].id).unwrap().unwrap();
        assert_eq!(got, saved[0]);
        assert_eq!(
            got.spec.headers,
            vec![("Accept".to_string(), "application/vnd.api+json".to_string())]
        );
        assert_eq!(got.spec.query, vec![("include".to_string(), "client".to_string())]);
        assert!(got.spec.url.ends_with("api_key=[redacted]"), "{}", got.spec.url);
        assert_eq!(
            got.redacted,
            [
                "URL secrets",
                "query access_token",
                "header Authorization",
                "header X-Api-Key",
                "body field password"
            ]
        );
        let text = std::fs::read_to_string(store.path(&p)).unwrap();
        for secret in
            ["k3y-value", "s3cr3t-token-value", "another-s3cr3t", "qs-s3cr3t", "body-s3cr3t"]
        {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(store.delete(&p, &got.id).unwrap());
        assert!(!store.delete(&p, &got.id).unwrap());
        assert!(store.list(&p).unwrap().is_empty());
    }

    #[test]
    fn replacing_variables_removes_the_ones_not_given() {
        let (_dir, store) = store();
        let p = ProfileId::new("p-3");
        let vars = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        store.set_variables(&p, &vars(&[("a", "1"), ("b", "2")])).unwrap();
        let dropped = store.replace_variables(&p, &vars(&[("b", "3"), ("password", "x")])).unwrap();
        assert_eq!(dropped, ["password"]);
        assert_eq!(store.variables(&p).unwrap(), vars(&[("b", "3")]));
    }

    #[test]
    fn variables_leave_secret_names_out() {
        let (_dir, store) = store();
        let p = ProfileId::new("p-2");
        let vars: BTreeMap<String, String> =
            [("projectId", "42"), ("clientSecret", "nope"), ("apiToken", "nope2")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let dropped = store.set_variables(&p, &vars).unwrap();
        assert_eq!(dropped, ["apiToken", "clientSecret"]);
        assert_eq!(
            store.variables(&p).unwrap().into_iter().collect::<Vec<_>>(),
            vec![("projectId".to_string(), "42".to_string())]
        );
        store.clear(&p).unwrap();
        assert!(store.variables(&p).unwrap().is_empty());
    }

    #[test]
    fn a_damaged_file_is_reported_and_left_alone() {
        let (_dir, store) = store();
        let p = ProfileId::new("p-3");
        std::fs::create_dir_all(store.path(&p).parent().unwrap()).unwrap();
        std::fs::write(store.path(&p), "{oops").unwrap();
        assert!(store.list(&p).unwrap_err().to_string().contains("damaged"));
        assert!(store.add(&p, vec![]).is_err());
        assert_eq!(std::fs::read_to_string(store.path(&p)).unwrap(), "{oops");
    }
}
