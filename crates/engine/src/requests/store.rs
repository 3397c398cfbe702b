//! [`ExchangeStore`]: the last exchanges and their bodies — small ones in memory, large ones in
//! temporary files in a directory of this process — read back in chunks, saved to a file of the
//! user's, and removed (files included) when evicted or when the store is dropped.

use super::body_dir::BodyDir;
use crate::error::EngineError;
use crate::requests::summary::{ExchangeId, ExchangeSummary};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tempfile::NamedTempFile;

/// The most [`ExchangeStore::read_chunk`] and [`StoredBody::text_chunk`] return at once.
pub const MAX_CHUNK: usize = 1024 * 1024;

/// How much the store keeps.
#[derive(Clone, Copy, Debug)]
pub struct StoreLimits {
    /// Exchanges kept; the oldest go first.
    pub capacity: usize,
    /// Bodies up to this size stay in memory; larger ones stream to a temporary file.
    pub memory_threshold: usize,
    /// In-memory bodies together stay under this; the oldest go first.
    pub memory_budget: u64,
    /// Bodies on disk together stay under this; the oldest go first.
    pub disk_budget: u64,
    /// A body larger than this (decoded) is not received.
    pub max_body: u64,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            capacity: 50,
            memory_threshold: 2 * 1024 * 1024,
            memory_budget: 64 * 1024 * 1024,
            disk_budget: 4 * 1024 * 1024 * 1024,
            max_body: 1024 * 1024 * 1024,
        }
    }
}

/// A received body.
#[derive(Clone, Debug)]
pub enum StoredBody {
    Memory(Arc<Vec<u8>>),
    /// The file is deleted when the last reference to it goes.
    File {
        file: Arc<NamedTempFile>,
        len: u64,
    },
}

impl StoredBody {
    pub fn len(&self) -> u64 {
        match self {
            StoredBody::Memory(bytes) => bytes.len() as u64,
            StoredBody::File { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn on_disk(&self) -> bool {
        matches!(self, StoredBody::File { .. })
    }

    /// Up to `len` bytes from `offset`.
    pub fn read_at(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let total = self.len();
        let start = offset.min(total);
        let len = (len as u64).min(total - start) as usize;
        match self {
            StoredBody::Memory(bytes) => Ok(bytes[start as usize..start as usize + len].to_vec()),
            StoredBody::File { file, .. } => {
                let mut f = file.reopen()?;
                f.seek(SeekFrom::Start(start))?;
                let mut out = vec![0; len];
                f.read_exact(&mut out)?;
                Ok(out)
            }
        }
    }

    /// Up to `len` bytes (at most [`MAX_CHUNK`]) from `offset`, as text, for a window that reads
    /// a body in turns. A chunk ends on a character boundary: a UTF-8 sequence cut at its end is
    /// carried over to the next chunk (a whole one at its end may be too), so the chunks put
    /// together are the text exactly; from 8 bytes a chunk always holds a whole character. Past
    /// the end it is empty. Reads a file for large bodies.
    pub fn text_chunk(&self, offset: u64, len: usize) -> Result<BodyChunk, EngineError> {
        let total = self.len();
        let mut bytes = self.read_at(offset, len.min(MAX_CHUNK)).map_err(|e| {
            EngineError::Local(format!(
                "The body could not be read back ({e}). Send the request again."
            ))
        })?;
        // Keep a UTF-8 sequence whole: carry a cut character over to the next chunk.
        let mut keep = bytes.len();
        if offset + (bytes.len() as u64) < total {
            while keep > 0
                && keep > bytes.len().saturating_sub(4)
                && (bytes[keep - 1] & 0xC0) == 0x80
            {
                keep -= 1;
            }
            if keep > 0 && bytes[keep - 1] >= 0xC0 {
                keep -= 1;
            }
        }
        // At least one byte, so a reader always moves on.
        bytes.truncate(keep.max(1).min(bytes.len()));
        let next_offset = offset + bytes.len() as u64;
        Ok(BodyChunk { text: String::from_utf8_lossy(&bytes).into_owned(), next_offset, total })
    }

    /// The whole body, when it is at most `max` bytes.
    pub fn read_all(&self, max: u64) -> Result<Arc<Vec<u8>>, EngineError> {
        if self.len() > max {
            return Err(EngineError::MissingInput(format!(
                "This body is {} — more than the {} this can work on at once. Save it to a file and use a tool made for large files.",
                human_bytes(self.len()),
                human_bytes(max)
            )));
        }
        match self {
            StoredBody::Memory(bytes) => Ok(bytes.clone()),
            StoredBody::File { file, len } => {
                let mut out = Vec::with_capacity(*len as usize);
                file.reopen()
                    .and_then(|mut f| f.read_to_end(&mut out))
                    .map_err(|e| read_failed(&e))?;
                Ok(Arc::new(out))
            }
        }
    }
}

/// A piece of a body as text, read in turns (`StoredBody::text_chunk`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct BodyChunk {
    pub text: String,
    /// Where the next chunk starts (the body's length after the last one).
    pub next_offset: u64,
    /// The body's length in bytes.
    pub total: u64,
}

fn read_failed(e: &std::io::Error) -> EngineError {
    EngineError::Local(format!(
        "The stored body could not be read back from its temporary file ({e})."
    ))
}

/// Sizes for people: `12.3 MB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} bytes");
    }
    let mut value = n as f64;
    let mut unit = "bytes";
    for u in UNITS {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = u;
    }
    format!("{value:.1} {unit}")
}

struct Entry {
    summary: ExchangeSummary,
    body: StoredBody,
}

#[derive(Default)]
struct Inner {
    /// Oldest first.
    order: VecDeque<ExchangeId>,
    entries: HashMap<ExchangeId, Entry>,
    memory: u64,
    disk: u64,
}

impl Inner {
    fn remove(&mut self, id: ExchangeId) -> Option<Entry> {
        let entry = self.entries.remove(&id)?;
        self.order.retain(|x| *x != id);
        if entry.body.on_disk() {
            self.disk -= entry.body.len();
        } else {
            self.memory -= entry.body.len();
        }
        Some(entry)
    }
}

/// The last exchanges, by id.
pub struct ExchangeStore {
    limits: StoreLimits,
    inner: Mutex<Inner>,
    next_id: AtomicU64,
    /// Created on the first body that needs it; removed with everything in it on drop.
    dir: Mutex<Option<BodyDir>>,
    /// Set (under `dir`'s lock) by [`ExchangeStore::remove_files`]: no folder is made after.
    closed: AtomicBool,
}

impl Default for ExchangeStore {
    fn default() -> Self {
        ExchangeStore::new()
    }
}

impl std::fmt::Debug for ExchangeStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExchangeStore")
            .field("limits", &self.limits)
            .field("len", &self.len())
            .finish()
    }
}

impl ExchangeStore {
    pub fn new() -> ExchangeStore {
        ExchangeStore::with_limits(StoreLimits::default())
    }

    pub fn with_limits(limits: StoreLimits) -> ExchangeStore {
        ExchangeStore {
            limits,
            inner: Mutex::new(Inner::default()),
            next_id: AtomicU64::new(1),
            dir: Mutex::new(None),
            closed: AtomicBool::new(false),
        }
    }

    pub fn limits(&self) -> StoreLimits {
        self.limits
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A fresh id for an exchange about to be stored.
    pub(crate) fn next_id(&self) -> ExchangeId {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// The directory of this store's temporary files, once one was needed.
    pub fn temp_dir(&self) -> Option<PathBuf> {
        self.dir.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|d| d.path().to_path_buf())
    }

    /// Forgets every exchange and removes the temporary folder with its files now, for a
    /// program about to end without dropping the store. The store keeps no body on disk after
    /// this: a body still arriving can no longer make a folder (its request fails, as the
    /// program ends), and the files of those being written go with the folder.
    pub fn remove_files(&self) {
        let mut inner = self.lock();
        *inner = Inner::default();
        drop(inner);
        let mut dir = self.dir.lock().unwrap_or_else(|e| e.into_inner());
        self.closed.store(true, Ordering::SeqCst);
        if let Some(d) = dir.take() {
            d.remove();
        }
    }

    /// Removes the body folders that programs no longer running left behind in the system's
    /// temporary folder (a crash or a kill skips the clean-up at exit), for a program starting.
    /// Returns how many went.
    pub fn sweep_left_behind() -> usize {
        super::body_dir::sweep_left_behind_now()
    }

    /// The directory for temporary bodies, created on first use.
    pub(crate) fn body_dir(&self) -> std::io::Result<PathBuf> {
        let mut dir = self.dir.lock().unwrap_or_else(|e| e.into_inner());
        if self.closed.load(Ordering::SeqCst) {
            return Err(std::io::Error::other("the program is ending, so no body is kept"));
        }
        if let Some(d) = dir.as_ref() {
            return Ok(d.path().to_path_buf());
        }
        let created = BodyDir::create()?;
        let path = created.path().to_path_buf();
        *dir = Some(created);
        Ok(path)
    }

    /// Keeps an exchange, evicting the oldest ones beyond the limits (never this one).
    pub(crate) fn insert(&self, summary: ExchangeSummary, body: StoredBody) {
        if self.closed.load(Ordering::SeqCst) {
            return; // The program is ending: nothing is kept (a file goes as `body` drops).
        }
        let id = summary.id;
        let mut evicted = Vec::new();
        {
            let mut inner = self.lock();
            if body.on_disk() {
                inner.disk += body.len();
            } else {
                inner.memory += body.len();
            }
            inner.entries.insert(id, Entry { summary, body });
            inner.order.push_back(id);
            while inner.order.len() > 1
                && (inner.order.len() > self.limits.capacity
                    || inner.memory > self.limits.memory_budget
                    || inner.disk > self.limits.disk_budget)
            {
                let Some(oldest) = inner.order.front().copied() else { break };
                if let Some(entry) = inner.remove(oldest) {
                    evicted.push(entry);
                }
            }
        }
        // Temporary files are deleted here, outside the lock.
        drop(evicted);
    }

    fn entry<T>(&self, id: ExchangeId, f: impl FnOnce(&Entry) -> T) -> Result<T, EngineError> {
        let inner = self.lock();
        inner.entries.get(&id).map(f).ok_or_else(|| gone(id, self.limits.capacity))
    }

    /// The summary of an exchange.
    pub fn summary(&self, id: ExchangeId) -> Result<ExchangeSummary, EngineError> {
        self.entry(id, |e| e.summary.clone())
    }

    /// Every exchange kept, newest first.
    pub fn summaries(&self) -> Vec<ExchangeSummary> {
        let inner = self.lock();
        inner
            .order
            .iter()
            .rev()
            .filter_map(|id| inner.entries.get(id))
            .map(|e| e.summary.clone())
            .collect()
    }

    /// The body of an exchange (a cheap handle: bytes are shared, files are not copied).
    pub fn body(&self, id: ExchangeId) -> Result<StoredBody, EngineError> {
        self.entry(id, |e| e.body.clone())
    }

    /// The decoded body's length in bytes.
    pub fn body_len(&self, id: ExchangeId) -> Result<u64, EngineError> {
        self.entry(id, |e| e.body.len())
    }

    /// Up to `len` bytes (at most [`MAX_CHUNK`]) from `offset`; empty past the end. Reads a file
    /// for large bodies: call it off the async runtime.
    pub fn read_chunk(
        &self,
        id: ExchangeId,
        offset: u64,
        len: usize,
    ) -> Result<Vec<u8>, EngineError> {
        let body = self.body(id)?;
        body.read_at(offset, len.min(MAX_CHUNK)).map_err(|e| read_failed(&e))
    }

    /// Copies the body to `path`, atomically: a temporary file beside it, renamed over it at the
    /// end, so a failure never leaves half a file. Returns the bytes written.
    pub fn save_to(&self, id: ExchangeId, path: &Path) -> Result<u64, EngineError> {
        let body = self.body(id)?;
        let failed = |e: &dyn std::fmt::Display| {
            EngineError::Local(format!("The body could not be saved to {} ({e}).", path.display()))
        };
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut out = tempfile::Builder::new()
            .prefix(".scopestack-save-")
            .tempfile_in(&parent)
            .map_err(|e| failed(&e))?;
        match &body {
            StoredBody::Memory(bytes) => out.write_all(bytes).map_err(|e| failed(&e))?,
            StoredBody::File { file, .. } => {
                let mut src = file.reopen().map_err(|e| failed(&e))?;
                std::io::copy(&mut src, out.as_file_mut()).map_err(|e| failed(&e))?;
            }
        }
        out.as_file().sync_all().map_err(|e| failed(&e))?;
        out.persist(path).map_err(|e| failed(&e.error))?;
        Ok(body.len())
    }

    /// Forgets an exchange (its temporary file is deleted). False when it was not kept.
    pub fn remove(&self, id: ExchangeId) -> bool {
        let entry = self.lock().remove(id);
        entry.is_some()
    }

    /// Forgets every exchange.
    pub fn clear(&self) {
        let old = std::mem::take(&mut *self.lock());
        drop(old);
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of bodies held in memory, and on disk.
    pub fn usage(&self) -> (u64, u64) {
        let inner = self.lock();
        (inner.memory, inner.disk)
    }
}

fn gone(id: ExchangeId, capacity: usize) -> EngineError {
    EngineError::MissingInput(format!(
        "The answer #{id} is no longer kept (the app keeps the last {capacity} answers, and fewer when they are large). Send the request again."
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::requests::summary::{BodyKind, Sizes, Timings};

    pub(crate) fn summary(id: ExchangeId) -> ExchangeSummary {
        ExchangeSummary {
            id,
            method: "GET".into(),
            url: "http://x/".into(),
            final_url: "http://x/".into(),
            status: 200,
            status_text: String::new(),
            http_version: "HTTP/1.1".into(),
            headers: vec![],
            request_headers: vec![],
            request_body: None,
            sent_profile_token: false,
            token_withheld_from: None,
            follow_redirects: true,
            timings: Timings::default(),
            sizes: Sizes::default(),
            redirects: vec![],
            content_type: None,
            content_encoding: None,
            body_kind: BodyKind::Text,
            is_json_api: false,
            stored_on_disk: false,
            notes: vec![],
            renewed_and_resent: false,
            token_scopes: None,
        }
    }

    fn file_body(store: &ExchangeStore, bytes: &[u8]) -> StoredBody {
        let mut f = NamedTempFile::new_in(store.body_dir().unwrap()).unwrap();
        f.write_all(bytes).unwrap();
        StoredBody::File { file: Arc::new(f), len: bytes.len() as u64 }
    }

    #[test]
    fn chunks_are_read_from_memory_and_files_alike() {
        let store = ExchangeStore::new();
        let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        store.insert(summary(1), StoredBody::Memory(Arc::new(data.clone())));
        store.insert(summary(2), file_body(&store, &data));
        for id in [1, 2] {
            assert_eq!(store.body_len(id).unwrap(), 5000);
            assert_eq!(store.read_chunk(id, 4990, 100).unwrap(), data[4990..]);
            assert_eq!(store.read_chunk(id, 10, 5).unwrap(), data[10..15]);
            assert!(store.read_chunk(id, 9000, 5).unwrap().is_empty());
        }
        assert!(store.read_chunk(3, 0, 1).unwrap_err().to_string().contains("no longer kept"));
    }

    #[test]
    fn eviction_deletes_temporary_files_and_drop_removes_the_directory() {
        let store =
            ExchangeStore::with_limits(StoreLimits { capacity: 2, ..StoreLimits::default() });
        for id in 1..=3 {
            store.insert(summary(id), file_body(&store, b"some bytes"));
        }
        let dir = store.temp_dir().unwrap();
        let bodies = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| !BodyDir::is_bookkeeping(&e.file_name()))
            .count();
        assert_eq!(bodies, 2, "the oldest file went with its exchange");
        assert!(store.body(1).is_err() && store.body(3).is_ok());
        assert_eq!(store.usage(), (0, 20));
        drop(store);
        assert!(!dir.exists());
    }

    #[test]
    fn remove_files_empties_the_store_and_removes_its_folder_at_once() {
        let store = ExchangeStore::new();
        store.insert(summary(1), file_body(&store, b"a large body"));
        let dir = store.temp_dir().unwrap();
        store.remove_files();
        assert!(!dir.exists(), "the folder goes before the store is dropped");
        assert!(store.is_empty() && store.body(1).is_err());
        assert_eq!(store.usage(), (0, 0));
    }

    /// A download under way when the program ends: the one already in its file, and the one
    /// still in memory that passes the threshold after the folder went. Before, the second made
    /// a new folder that nothing removed (the program ends without dropping the store).
    #[test]
    fn a_body_still_arriving_when_the_files_are_removed_leaves_no_folder() {
        use crate::requests::body::Sink;
        let limits = StoreLimits { memory_threshold: 1000, ..StoreLimits::default() };
        let store = ExchangeStore::with_limits(limits);
        let mut on_disk = Sink::new(&store, None);
        on_disk.write_all(&[b'a'; 5000]).unwrap();
        let dir = store.temp_dir().expect("the first body is in a file");
        let mut in_memory = Sink::new(&store, None);
        in_memory.write_all(&[b'b'; 500]).unwrap();

        store.remove_files();
        assert!(!dir.exists(), "the folder goes with the file being written");
        let _ = on_disk.write_all(&[b'a'; 5000]).and_then(|_| on_disk.flush());
        let e = in_memory.write_all(&[b'b'; 5000]).unwrap_err();
        assert!(e.to_string().contains("the program is ending"), "{e}");
        assert!(store.temp_dir().is_none(), "no new folder");
        drop((on_disk, in_memory));
        assert!(!dir.exists());
        store.insert(summary(9), StoredBody::Memory(Arc::new(b"late".to_vec())));
        assert!(store.is_empty(), "nothing is kept once the files were removed");
    }

    #[test]
    fn the_memory_budget_evicts_the_oldest() {
        let store =
            ExchangeStore::with_limits(StoreLimits { memory_budget: 10, ..StoreLimits::default() });
        store.insert(summary(1), StoredBody::Memory(Arc::new(vec![0; 6])));
        store.insert(summary(2), StoredBody::Memory(Arc::new(vec![0; 6])));
        assert_eq!(store.summaries().iter().map(|s| s.id).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn save_to_writes_the_whole_body_and_replaces_the_file() {
        let store = ExchangeStore::new();
        store.insert(summary(1), file_body(&store, b"hello from disk"));
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("answer.json");
        std::fs::write(&target, "old").unwrap();
        assert_eq!(store.save_to(1, &target).unwrap(), 15);
        assert_eq!(std::fs::read(&target).unwrap(), b"hello from disk");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left beside it"
        );
    }
}
