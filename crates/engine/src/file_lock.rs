//! Advisory file locks shared by every program of the app (the window and each `scopestack-cli`):
//! one writer of the profiles file at a time, one renewal of a profile's token at a time. The OS
//! drops a lock when its holder exits, crashed or not, so none is ever left behind; a wait for
//! one is bounded, so a stuck holder gives a clear error, never a hang.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often a waiting caller tries the lock again.
const RETRY_EVERY: Duration = Duration::from_millis(15);

/// A lock held until this is dropped.
#[derive(Debug)]
pub struct FileLock {
    _file: Option<File>,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("Could not open the lock file {path}: {source}. Check that the folder exists and is writable.")]
    Open { path: PathBuf, source: std::io::Error },
    #[error("Another ScopeStack Companion program (the app or scopestack-cli) is still busy with {what} after {waited_secs} s. Let it finish or close it, then try again.")]
    Busy { what: String, waited_secs: u64 },
}

impl FileLock {
    /// Takes the exclusive lock on `path` (created when missing), waiting up to `wait` for
    /// another holder; `what` names the work it guards, for the error.
    pub fn acquire(path: &Path, what: &str, wait: Duration) -> Result<FileLock, LockError> {
        let file = open(path)?;
        let deadline = Instant::now() + wait;
        loop {
            match try_lock(&file, path) {
                Attempt::Held => return Ok(FileLock { _file: Some(file) }),
                Attempt::Unsupported => return Ok(FileLock { _file: None }),
                Attempt::Busy => {}
            }
            if Instant::now() >= deadline {
                return Err(busy(what, wait));
            }
            std::thread::sleep(RETRY_EVERY);
        }
    }

    /// [`FileLock::acquire`] for async callers: the wait happens on a blocking thread, not on
    /// the runtime's.
    pub async fn acquire_async(
        path: &Path,
        what: &str,
        wait: Duration,
    ) -> Result<FileLock, LockError> {
        let (path, what) = (path.to_path_buf(), what.to_string());
        let waited = tokio::task::spawn_blocking({
            let path = path.clone();
            move || FileLock::acquire(&path, &what, wait)
        });
        waited
            .await
            .unwrap_or_else(|e| Err(LockError::Open { path, source: std::io::Error::other(e) }))
    }
}

fn open(path: &Path) -> Result<File, LockError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|source| LockError::Open { path: path.to_path_buf(), source })?;
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|source| LockError::Open { path: path.to_path_buf(), source })
}

enum Attempt {
    Held,
    Busy,
    Unsupported,
}

/// One try. A file system without locks (some network mounts) gets no lock rather than a
/// refusal: the work goes ahead as it did before there were locks.
fn try_lock(file: &File, path: &Path) -> Attempt {
    match file.try_lock() {
        Ok(()) => Attempt::Held,
        Err(TryLockError::WouldBlock) => Attempt::Busy,
        Err(TryLockError::Error(e)) => {
            tracing::warn!(path = %path.display(), error = %e, "this file system cannot lock files; going ahead without the lock");
            Attempt::Unsupported
        }
    }
}

fn busy(what: &str, waited: Duration) -> LockError {
    LockError::Busy { what: what.to_string(), waited_secs: waited.as_secs().max(1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_for_the_first_and_gets_the_lock_once_it_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks/thing.lock");
        let first = FileLock::acquire(&path, "the thing", Duration::from_secs(1)).unwrap();
        let err = FileLock::acquire(&path, "the thing", Duration::from_millis(100)).unwrap_err();
        assert!(matches!(err, LockError::Busy { .. }), "{err}");
        assert!(err.to_string().contains("busy with the thing"), "{err}");

        let released = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            drop(first);
        });
        let started = Instant::now();
        FileLock::acquire(&path, "the thing", Duration::from_secs(5))
            .expect("the lock, once the first holder let go");
        assert!(started.elapsed() >= Duration::from_millis(100), "it waited for the first holder");
        released.join().unwrap();
    }

    #[test]
    fn a_lock_in_a_folder_that_cannot_be_made_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a-file"), "").unwrap();
        let path = dir.path().join("a-file/inside.lock");
        let err = FileLock::acquire(&path, "x", Duration::from_millis(10)).unwrap_err();
        assert!(
            matches!(err, LockError::Open { .. }) && err.to_string().contains("inside.lock"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn the_async_wait_gives_up_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.lock");
        let _held = FileLock::acquire(&path, "renewing", Duration::from_secs(1)).unwrap();
        let err = FileLock::acquire_async(&path, "renewing the token", Duration::from_millis(50))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("renewing the token"), "{err}");
    }
}
