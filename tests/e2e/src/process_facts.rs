//! What a running app costs the computer, read from `/proc`: the memory (PSS) of the app and
//! its WebKit processes, its open file descriptors, and the files left in a folder.

use std::collections::HashSet;
use std::path::Path;

/// One process: its id, its parent's and its short name.
struct Proc {
    pid: u32,
    ppid: u32,
}

fn processes() -> Vec<Proc> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return out };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // pid (comm) state ppid …; comm may hold spaces, so split at the last ')'.
        let Some(close) = stat.rfind(')') else { continue };
        let ppid = stat[close + 1..].split_whitespace().nth(1).and_then(|p| p.parse().ok());
        if let Some(ppid) = ppid {
            out.push(Proc { pid, ppid });
        }
    }
    out
}

/// Proportional (PSS) and private (USS) memory of one process, in KiB (0 when unreadable).
fn memory_kb(pid: u32) -> (u64, u64) {
    let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
        return (0, 0);
    };
    let field = |name: &str| -> u64 {
        rollup
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("Pss:"), field("Private_Clean:") + field("Private_Dirty:"))
}

/// The memory of `root` and every process below it (the app's WebKit web and network
/// processes), in MiB.
#[derive(Clone, Copy, Debug, Default)]
pub struct TreeMemory {
    /// Proportional set size: private pages, plus shared ones divided among their sharers (so it
    /// moves when other programs using the same libraries start or end).
    pub pss_mb: f64,
    /// Unique set size: the pages no other process shares; what the app itself holds.
    pub uss_mb: f64,
    /// The PSS of `root` alone (the rest is its WebKit processes').
    pub root_pss_mb: f64,
}

pub fn tree_memory(root: u32) -> TreeMemory {
    let procs = processes();
    let (mut pss_kb, mut uss_kb, mut root_kb) = (0u64, 0u64, 0u64);
    let mut queue = vec![root];
    let mut seen = HashSet::new();
    while let Some(pid) = queue.pop() {
        if !seen.insert(pid) {
            continue;
        }
        let (pss, uss) = memory_kb(pid);
        if pid == root {
            root_kb = pss;
        }
        pss_kb += pss;
        uss_kb += uss;
        queue.extend(procs.iter().filter(|p| p.ppid == pid).map(|p| p.pid));
    }
    let mb = |kb: u64| kb as f64 / 1024.0;
    TreeMemory { pss_mb: mb(pss_kb), uss_mb: mb(uss_kb), root_pss_mb: mb(root_kb) }
}

/// The PSS of `root` and every process below it, in MiB.
pub fn tree_pss_mb(root: u32) -> f64 {
    tree_memory(root).pss_mb
}

/// How many file descriptors process `pid` has open (`None` when `/proc` cannot tell).
pub fn open_fds(pid: u32) -> Option<usize> {
    std::fs::read_dir(format!("/proc/{pid}/fd")).ok().map(|d| d.count())
}

/// The files (at any depth) under `dir`; an absent folder holds none.
pub fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut queue = vec![dir.to_path_buf()];
    while let Some(folder) = queue.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                queue.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

/// The app's temporary body folders: `scopestack-companion-<pid>-…` in the temporary folder.
pub fn body_folders_of(pid: u32) -> Vec<std::path::PathBuf> {
    let prefix = format!("scopestack-companion-{pid}-");
    std::fs::read_dir(std::env::temp_dir())
        .expect("the temporary folder can be read")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}
