//! The temporary folder of one program's large bodies, marked in use by a lock held while the
//! program runs, and the sweep of the folders that programs no longer running left behind (a
//! crash or a kill skips the clean-up on drop, and bodies can be hundreds of MB in a RAM-backed
//! `/tmp`).

use crate::file_lock::FileLock;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tempfile::TempDir;

/// The start of every such folder's name; the process id and a random part follow.
const PREFIX: &str = "scopestack-companion-";
/// The file in each folder whose lock says its program still runs.
const IN_USE: &str = ".in-use";
/// A folder younger than this is never swept: its program may not have locked it yet.
const SWEEP_MIN_AGE: Duration = Duration::from_secs(60);

/// A folder for this program's bodies; removed with everything in it on drop.
pub(crate) struct BodyDir {
    // Dropped first: the lock goes before the folder is removed.
    _in_use: FileLock,
    dir: TempDir,
}

impl BodyDir {
    /// A new folder in the system's temporary folder, after sweeping what others left there.
    pub(crate) fn create() -> std::io::Result<BodyDir> {
        BodyDir::create_in(&std::env::temp_dir())
    }

    fn create_in(root: &Path) -> std::io::Result<BodyDir> {
        let swept = sweep_left_behind(root, SWEEP_MIN_AGE);
        if swept > 0 {
            tracing::info!(
                swept,
                "removed body folders that programs no longer running left behind"
            );
        }
        let dir = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{}-", std::process::id()))
            .tempdir_in(root)?;
        let in_use = FileLock::acquire(
            &dir.path().join(IN_USE),
            "marking the body folder in use",
            Duration::ZERO,
        )
        .map_err(std::io::Error::other)?;
        Ok(BodyDir { _in_use: in_use, dir })
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Removes the folder and everything in it now. A download that had the folder's path
    /// before it went may be creating a file in it at that moment, which can fail one pass (the
    /// folder is no longer empty): a few more passes follow.
    pub(crate) fn remove(self) {
        let BodyDir { _in_use, dir } = self;
        drop(_in_use);
        let path = dir.path().to_path_buf();
        let _ = dir.close();
        for _ in 0..5 {
            if !path.exists() {
                break;
            }
            let _ = std::fs::remove_dir_all(&path);
        }
    }

    /// Whether `name` is this folder's own bookkeeping, not a body.
    #[cfg(test)]
    pub(crate) fn is_bookkeeping(name: &std::ffi::OsStr) -> bool {
        name == IN_USE
    }
}

/// [`sweep_left_behind`] in the system's temporary folder, for a program starting.
pub(crate) fn sweep_left_behind_now() -> usize {
    let swept = sweep_left_behind(&std::env::temp_dir(), SWEEP_MIN_AGE);
    if swept > 0 {
        tracing::info!(swept, "removed body folders that programs no longer running left behind");
    }
    swept
}

/// Removes the folders under `root` that are named like ours, hold an in-use file older than
/// `min_age`, and whose lock nobody holds: their program is gone. Returns how many went.
/// Folders without the file (someone else's, or one being made) are left alone.
fn sweep_left_behind(root: &Path, min_age: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(root) else { return 0 };
    let left_behind = entries
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(PREFIX)))
        .map(|e| e.path())
        .filter(|dir| dir.is_dir() && in_use_file_is_older_than(dir, min_age));
    let mut swept = 0;
    for dir in left_behind.collect::<Vec<PathBuf>>() {
        // Free now means its program has exited: the OS let go of the lock when it did.
        if let Ok(_held) = FileLock::acquire(&dir.join(IN_USE), "sweeping", Duration::ZERO) {
            if std::fs::remove_dir_all(&dir).is_ok() {
                swept += 1;
            }
        }
    }
    swept
}

fn in_use_file_is_older_than(dir: &Path, min_age: Duration) -> bool {
    let modified = std::fs::metadata(dir.join(IN_USE)).and_then(|m| m.modified());
    modified.is_ok_and(|at| SystemTime::now().duration_since(at).is_ok_and(|age| age >= min_age))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder as a program would leave it, its in-use file last touched `age` ago.
    fn left_folder(root: &Path, name: &str, age: Option<Duration>) -> PathBuf {
        let dir = root.join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("body-1"), vec![7u8; 1000]).unwrap();
        if let Some(age) = age {
            let file = std::fs::File::create(dir.join(IN_USE)).unwrap();
            file.set_modified(SystemTime::now() - age).unwrap();
        }
        dir
    }

    #[test]
    fn only_the_folders_of_programs_no_longer_running_are_swept() {
        let root = tempfile::tempdir().unwrap();
        let hour = Some(Duration::from_secs(3600));
        let crashed = left_folder(root.path(), "scopestack-companion-111-aaaa", hour);
        let running = left_folder(root.path(), "scopestack-companion-222-bbbb", hour);
        let _running_holds =
            FileLock::acquire(&running.join(IN_USE), "test", Duration::ZERO).unwrap();
        let just_made =
            left_folder(root.path(), "scopestack-companion-333-cccc", Some(Duration::ZERO));
        let unmarked = left_folder(root.path(), "scopestack-companion-444-dddd", None);
        let someone_elses = left_folder(root.path(), "other-app-555", hour);

        assert_eq!(sweep_left_behind(root.path(), SWEEP_MIN_AGE), 1);
        assert!(!crashed.exists(), "the crashed program's bodies are gone");
        for kept in [&running, &just_made, &unmarked, &someone_elses] {
            assert!(kept.join("body-1").exists(), "{} is kept", kept.display());
        }
    }

    #[test]
    fn a_program_starting_sweeps_the_system_temporary_folder() {
        let name = format!("{PREFIX}{}-left-by-a-killed-run", u32::MAX);
        let crashed = left_folder(&std::env::temp_dir(), &name, Some(Duration::from_secs(3600)));
        assert!(sweep_left_behind_now() >= 1);
        assert!(!crashed.exists(), "{} is gone", crashed.display());
    }

    #[test]
    fn remove_takes_the_folder_with_its_files() {
        let root = tempfile::tempdir().unwrap();
        let body_dir = BodyDir::create_in(root.path()).unwrap();
        let path = body_dir.path().to_path_buf();
        std::fs::write(path.join("body-1"), b"x").unwrap();
        let open = std::fs::File::create(path.join("body-2")).unwrap();
        body_dir.remove();
        assert!(!path.exists());
        drop(open);
    }

    #[test]
    fn a_new_folder_is_marked_in_use_and_removed_on_drop() {
        let root = tempfile::tempdir().unwrap();
        let crashed = left_folder(
            root.path(),
            "scopestack-companion-111-aaaa",
            Some(Duration::from_secs(3600)),
        );
        let body_dir = BodyDir::create_in(root.path()).unwrap();
        assert!(!crashed.exists(), "making a folder sweeps first");
        let path = body_dir.path().to_path_buf();
        assert!(path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with(&format!("{PREFIX}{}-", std::process::id())));
        let busy = FileLock::acquire(&path.join(IN_USE), "test", Duration::ZERO);
        assert!(busy.is_err(), "the folder's lock is held while it is in use");
        assert_eq!(
            sweep_left_behind(root.path(), Duration::ZERO),
            0,
            "a folder in use is never swept"
        );
        drop(body_dir);
        assert!(!path.exists());
    }
}
