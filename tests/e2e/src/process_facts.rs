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

/// The proportional set size of one process, in KiB (0 when it cannot be read).
fn pss_kb(pid: u32) -> u64 {
    let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
        return 0;
    };
    rollup
        .lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The PSS of `root` and every process below it (the app's WebKit web and network processes),
/// in MiB.
pub fn tree_pss_mb(root: u32) -> f64 {
    let procs = processes();
    let mut total_kb = 0u64;
    let mut queue = vec![root];
    let mut seen = HashSet::new();
    while let Some(pid) = queue.pop() {
        if !seen.insert(pid) {
            continue;
        }
        total_kb += pss_kb(pid);
        queue.extend(procs.iter().filter(|p| p.ppid == pid).map(|p| p.pid));
    }
    total_kb as f64 / 1024.0
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
