//! The recent requests of each profile, kept as JSON in
//! `<data dir>/history/<profile-id>.json` (written whole to a temporary file, then renamed),
//! newest first, capped. Nothing secret is written: every field gets the rules of
//! [`crate::redact`] (secret headers, URL parameters, fragments and userinfo, body fields, bodies
//! whose format cannot be read, failure messages), and the exact secret values found in the
//! request are scrubbed from every other field as a last pass.

use crate::error::EngineError;
use crate::paths;
use crate::profiles::ProfileId;
use crate::redact::{self, BodyCopy, KnownSecrets, REDACTED};
use crate::requests::spec::{is_write, RequestSpec};
use crate::requests::summary::{ExchangeSummary, Sizes, Timings};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Entries kept per profile by default.
pub const DEFAULT_CAP: usize = 200;

/// Request bodies larger than this are not kept.
pub const MAX_KEPT_BODY: usize = 256 * 1024;

const FORMAT_VERSION: u32 = 1;

/// How long a writer waits for another (in this program or another) to finish.
pub(crate) const WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// One request of the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct HistoryEntry {
    pub id: String,
    /// When it was sent, unix milliseconds.
    pub at_unix_ms: i64,
    pub method: String,
    /// As typed (`{account-slug}/v1/projects`).
    pub url: String,
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// The headers the user set.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The request body of a write, as text.
    #[serde(default)]
    pub body: Option<String>,
    /// Why the body is not kept, when it is not.
    #[serde(default)]
    pub body_note: Option<String>,
    pub follow_redirects: bool,
    pub auth: bool,
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// The URL as sent (variables expanded).
    #[serde(default)]
    pub sent_url: Option<String>,
    /// The headers as sent.
    #[serde(default)]
    pub request_headers: Vec<(String, String)>,
    pub status: Option<u16>,
    pub status_text: Option<String>,
    /// Why it failed, when no answer came.
    pub error: Option<String>,
    pub timings: Option<Timings>,
    pub sizes: Option<Sizes>,
    /// What was redacted ("header Cookie", "body field password"): a re-run lacks these.
    #[serde(default)]
    pub redacted: Vec<String>,
    /// What the app made of a failed exchange (an error, or a 4xx/5xx answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<KeptDiagnosis>,
}

/// The words of a [`Diagnosis`](crate::diagnose::Diagnosis), kept with an exchange: its code and texts, without the fix buttons,
/// readable back (support bundles carry it too; `diagnose::kept` makes it from a diagnosis).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct KeptDiagnosis {
    /// The stable code (see [`crate::diagnose::codes::ALL`]).
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub what_happened: Vec<String>,
    #[serde(default)]
    pub what_to_do: Vec<String>,
    #[serde(default)]
    pub details: Option<String>,
}

impl KeptDiagnosis {
    /// Every text of it, for scrubbing and searching.
    pub fn texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        std::iter::once(&mut self.code)
            .chain(std::iter::once(&mut self.title))
            .chain(self.what_happened.iter_mut())
            .chain(self.what_to_do.iter_mut())
            .chain(self.details.iter_mut())
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The values of the secret-named parameters of a query or fragment (`a=1&token=x;code=y`), as written and decoded.
fn secret_parameter_values(text: &str) -> Vec<String> {
    let decode = |s: &str| {
        url::form_urlencoded::parse(s.replace('=', "%3D").as_bytes())
            .map(|(k, _)| k.into_owned())
            .next()
            .unwrap_or_default()
    };
    text.split(['&', ';'])
        .filter_map(|piece| piece.split_once('='))
        .filter(|(k, _)| redact::is_secret_parameter(&decode(k)))
        .flat_map(|(_, v)| [v.to_string(), decode(v)])
        .collect()
}

/// The exact secret values a spec carries, to scrub wherever else they show up.
fn secret_values(spec: &RequestSpec) -> KnownSecrets {
    let mut values = Vec::new();
    for (k, v) in &spec.headers {
        if redact::header_is_secret(k) {
            values.push(v.trim().to_string());
            if let Some((_, credential)) = v.trim().split_once(' ') {
                values.push(credential.trim().to_string());
            }
        }
    }
    values.extend(
        spec.query.iter().filter(|(k, _)| redact::is_secret_parameter(k)).map(|(_, v)| v.clone()),
    );
    let (url, fragment) = spec.url.split_once('#').unwrap_or((&spec.url, ""));
    if let Some(q) = url.split_once('?').map(|(_, q)| q) {
        values.extend(secret_parameter_values(q));
    }
    values.extend(secret_parameter_values(fragment.split_once('?').map_or(fragment, |(_, q)| q)));
    if let Some(rest) = url.split_once("://").map(|(_, r)| r) {
        let authority = rest.split('/').next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            values.push(userinfo.to_string());
            values.extend(userinfo.split(':').map(str::to_string));
        }
    }
    KnownSecrets::new(values)
}

impl HistoryEntry {
    fn base(spec: &RequestSpec) -> HistoryEntry {
        let mut redacted = Vec::new();
        let url = redact::redact_url(&spec.url);
        if url != spec.url {
            redacted.push("URL secrets".to_string());
        }
        let (query, names) = redact::redact_pairs(&spec.query);
        redacted.extend(names.into_iter().map(|n| format!("query {n}")));
        let headers = spec
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = redact::redact_header(k, v);
                if shown != *v {
                    redacted.push(format!("header {k}"));
                }
                (k.clone(), shown)
            })
            .collect();
        let method = spec.method_name();
        let (body, body_note) = match &spec.body {
            None => (None, None),
            Some(_) if !is_write(&method) && method != "DELETE" => {
                (None, Some(format!("The body of a {method} request is not kept.")))
            }
            Some(b) if b.len() > MAX_KEPT_BODY => (
                None,
                Some(format!("The body ({} bytes) is too large to keep in the history.", b.len())),
            ),
            Some(b) => match redact::redact_body(b, spec.header("content-type")) {
                BodyCopy::Kept { text, redacted_fields } => {
                    redacted.extend(redacted_fields.into_iter().map(|n| format!("body field {n}")));
                    (Some(text), None)
                }
                BodyCopy::NotKept { note } => {
                    redacted.push("body".to_string());
                    (None, Some(note.to_string()))
                }
            },
        };
        HistoryEntry {
            id: format!("{:x}-{:08x}", now_ms(), rand::random::<u32>()),
            at_unix_ms: now_ms(),
            method,
            url,
            query,
            headers,
            body,
            body_note,
            follow_redirects: spec.follow_redirects,
            auth: spec.auth,
            timeout_ms: spec.timeout_ms,
            sent_url: None,
            request_headers: Vec::new(),
            status: None,
            status_text: None,
            error: None,
            timings: None,
            sizes: None,
            redacted,
            diagnosis: None,
        }
    }

    /// Applies the last pass: every secret value of `spec` scrubbed from every field.
    fn scrubbed(mut self, spec: &RequestSpec) -> HistoryEntry {
        let secrets = secret_values(spec);
        let s = |t: &str| secrets.scrub(&redact::scrub_jwts(t));
        self.url = s(&self.url);
        for (k, v) in self
            .query
            .iter_mut()
            .chain(self.headers.iter_mut())
            .chain(self.request_headers.iter_mut())
        {
            *k = s(k);
            *v = s(v);
        }
        self.body = self.body.as_deref().map(s);
        self.sent_url = self.sent_url.as_deref().map(s);
        self.error = self.error.as_deref().map(s);
        self
    }

    /// The entry of an exchange that got an answer.
    pub fn from_exchange(spec: &RequestSpec, summary: &ExchangeSummary) -> HistoryEntry {
        let mut entry = HistoryEntry::base(spec);
        entry.sent_url = Some(redact::redact_url(&summary.url));
        entry.request_headers = redact::redact_headers(&summary.request_headers);
        entry.status = Some(summary.status);
        entry.status_text = Some(summary.status_text.clone());
        entry.timings = Some(summary.timings);
        entry.sizes = Some(summary.sizes);
        entry.scrubbed(spec)
    }

    /// The entry of a request that got no answer.
    pub fn from_failure(spec: &RequestSpec, error: &EngineError) -> HistoryEntry {
        let mut entry = HistoryEntry::base(spec);
        entry.error = Some(redact::redact_text(&error.to_string()));
        entry.scrubbed(spec)
    }

    /// The request again, to re-run or edit. Redacted headers and query parameters are left out
    /// (see [`HistoryEntry::redacted`]); a redacted body field stays `"[redacted]"`.
    pub fn to_spec(&self) -> RequestSpec {
        let clean = |pairs: &[(String, String)]| {
            pairs.iter().filter(|(_, v)| !v.contains(REDACTED)).cloned().collect()
        };
        RequestSpec {
            method: self.method.clone(),
            url: self.url.clone(),
            query: clean(&self.query),
            headers: clean(&self.headers),
            body: self.body.as_ref().map(|b| b.clone().into_bytes()),
            follow_redirects: self.follow_redirects,
            auth: self.auth,
            timeout_ms: self.timeout_ms,
            send_token_to_other_host: false,
            page_link: false,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
struct HistoryFile {
    version: u32,
    entries: Vec<HistoryEntry>,
}

/// The histories of all profiles, in one directory.
#[derive(Clone, Debug)]
pub struct History {
    dir: PathBuf,
    cap: usize,
}

impl History {
    /// `<data dir>/history`.
    pub fn open_default() -> Result<History, EngineError> {
        let dir = paths::data_dir().ok_or_else(|| EngineError::Local("No folder for the app's data could be found. Set SCOPESTACK_COMPANION_HOME to a writable folder.".into()))?;
        Ok(History::in_dir(dir.join("history")))
    }

    pub fn in_dir(dir: impl Into<PathBuf>) -> History {
        History { dir: dir.into(), cap: DEFAULT_CAP }
    }

    pub fn with_cap(mut self, cap: usize) -> History {
        self.cap = cap.max(1);
        self
    }

    /// One writer of a profile's history at a time, across threads and programs (the app and
    /// scopestack-cli both record): read, add, write back.
    fn writing(&self, profile: &ProfileId) -> Result<crate::file_lock::FileLock, EngineError> {
        let lock = self.path(profile).with_extension("json.lock");
        Ok(crate::file_lock::FileLock::acquire(&lock, "the request history", WRITE_WAIT)?)
    }

    /// The file of a profile's history.
    pub fn path(&self, profile: &ProfileId) -> PathBuf {
        let id = profile.as_str();
        let safe = !id.is_empty()
            && !id.starts_with('.')
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        let name = if safe {
            id.to_string()
        } else {
            format!("x-{}", id.bytes().map(|b| format!("{b:02x}")).collect::<String>())
        };
        self.dir.join(format!("{name}.json"))
    }

    fn read(path: &Path) -> Result<Vec<HistoryEntry>, EngineError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(EngineError::Local(format!(
                    "The request history {} could not be read ({e}).",
                    path.display()
                )))
            }
        };
        let file: HistoryFile = serde_json::from_str(&text).map_err(|e| {
            EngineError::Local(format!(
                "The request history {} is damaged ({e}). Clear the history to start a new one.",
                path.display()
            ))
        })?;
        Ok(file.entries)
    }

    fn write(&self, path: &Path, entries: Vec<HistoryEntry>) -> Result<(), EngineError> {
        let failed = |e: &dyn std::fmt::Display| {
            EngineError::Local(format!(
                "The request history could not be saved to {} ({e}).",
                path.display()
            ))
        };
        let json = serde_json::to_vec_pretty(&HistoryFile { version: FORMAT_VERSION, entries })
            .map_err(|e| failed(&e))?;
        crate::profiles::write_atomically(path, &json).map_err(|e| failed(&e))
    }

    /// Adds an entry at the top, dropping the oldest beyond the cap. A damaged file is set
    /// aside as `<file>.damaged` and a new one started.
    pub fn record(&self, profile: &ProfileId, entry: HistoryEntry) -> Result<(), EngineError> {
        let _one = self.writing(profile)?;
        let path = self.path(profile);
        let mut entries = match History::read(&path) {
            Ok(entries) => entries,
            Err(_) if path.exists() => {
                let _ = std::fs::rename(&path, path.with_extension("json.damaged"));
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        entries.insert(0, entry);
        entries.truncate(self.cap);
        self.write(&path, entries)
    }

    /// Replaces the profile's history with `entries` (newest first, capped), as an import does.
    pub fn replace_all(
        &self,
        profile: &ProfileId,
        mut entries: Vec<HistoryEntry>,
    ) -> Result<(), EngineError> {
        let _one = self.writing(profile)?;
        entries.truncate(self.cap);
        self.write(&self.path(profile), entries)
    }

    /// The profile's entries, newest first.
    pub fn list(&self, profile: &ProfileId) -> Result<Vec<HistoryEntry>, EngineError> {
        History::read(&self.path(profile))
    }

    pub fn get(&self, profile: &ProfileId, id: &str) -> Result<Option<HistoryEntry>, EngineError> {
        Ok(self.list(profile)?.into_iter().find(|e| e.id == id))
    }

    /// Deletes the profile's history.
    pub fn clear(&self, profile: &ProfileId) -> Result<(), EngineError> {
        let _one = self.writing(profile)?;
        match std::fs::remove_file(self.path(profile)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => {
                Err(EngineError::Local(format!("The request history could not be deleted ({e}).")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_capped_newest_first_and_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::in_dir(dir.path()).with_cap(3);
        let profile = ProfileId::new("p-1");
        for n in 0..5 {
            let spec = RequestSpec::get(&format!("/v1/thing/{n}"));
            history
                .record(&profile, HistoryEntry::from_failure(&spec, &EngineError::Cancelled))
                .unwrap();
        }
        let list = history.list(&profile).unwrap();
        assert_eq!(
            list.iter().map(|e| e.url.as_str()).collect::<Vec<_>>(),
            vec!["/v1/thing/4", "/v1/thing/3", "/v1/thing/2"]
        );
        assert_eq!(history.get(&profile, &list[1].id).unwrap().unwrap().url, "/v1/thing/3");
        assert_eq!(list[0].to_spec(), RequestSpec::get("/v1/thing/4"));
        history.clear(&profile).unwrap();
        assert!(history.list(&profile).unwrap().is_empty());
        history.clear(&profile).unwrap();
    }

    #[test]
    fn odd_profile_ids_make_safe_file_names() {
        let history = History::in_dir("/h");
        assert_eq!(history.path(&ProfileId::new("p-00ff")), PathBuf::from("/h/p-00ff.json"));
        assert_eq!(history.path(&ProfileId::new("../x")), PathBuf::from("/h/x-2e2e2f78.json"));
    }

    #[test]
    fn a_damaged_file_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::in_dir(dir.path());
        let profile = ProfileId::new("p");
        std::fs::write(history.path(&profile), "{not json").unwrap();
        assert!(history.list(&profile).unwrap_err().to_string().contains("damaged"));
        history
            .record(
                &profile,
                HistoryEntry::from_failure(&RequestSpec::get("/v1/me"), &EngineError::Cancelled),
            )
            .unwrap();
        assert_eq!(history.list(&profile).unwrap().len(), 1);
        assert!(dir.path().join("p.json.damaged").exists());
    }
}
