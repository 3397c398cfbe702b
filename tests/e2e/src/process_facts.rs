//! What a running app costs the computer, read from `/proc`: the memory (PSS) of the app and
//! its WebKit processes, its open file descriptors, the files left in a folder, and the other
//! WebKit processes on the machine (which share its libraries, and so move its PSS).

use std::collections::HashSet;
use std::path::Path;

/// One process: its id, its parent's and its short name.
struct Proc {
    pid: u32,
    ppid: u32,
    name: String,
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
        let name = stat.find('(').and_then(|open| stat.get(open + 1..close)).unwrap_or("");
        if let Some(ppid) = ppid {
            out.push(Proc { pid, ppid, name: name.to_string() });
        }
    }
    out
}

/// Proportional (PSS), private (USS) and anonymous memory of one process, in KiB (0 when
/// unreadable).
fn memory_kb(pid: u32) -> (u64, u64, u64) {
    let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
        return (0, 0, 0);
    };
    let field = |name: &str| -> u64 {
        rollup
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("Pss:"), field("Private_Clean:") + field("Private_Dirty:"), field("Anonymous:"))
}

/// The memory of `root` and every process below it (the app's WebKit web and network
/// processes), in MiB.
#[derive(Clone, Copy, Debug, Default)]
pub struct TreeMemory {
    /// Proportional set size: private pages, plus shared ones divided among their sharers (so it
    /// moves when other programs using the same libraries start or end).
    pub pss_mb: f64,
    /// Unique set size: the pages no other process shares. It too moves with other programs:
    /// a library page becomes unique when the last other process mapping it ends.
    pub uss_mb: f64,
    /// Anonymous memory (heaps, JavaScript's, stacks): what the app's processes allocated
    /// themselves, which no other program's start or end can move. A leak shows here.
    pub anon_mb: f64,
    /// The PSS of `root` alone (the rest is its WebKit processes').
    pub root_pss_mb: f64,
}

pub fn tree_memory(root: u32) -> TreeMemory {
    let procs = processes();
    let (mut pss_kb, mut uss_kb, mut anon_kb, mut root_kb) = (0u64, 0u64, 0u64, 0u64);
    for pid in tree_of(root, &procs) {
        let (pss, uss, anon) = memory_kb(pid);
        if pid == root {
            root_kb = pss;
        }
        pss_kb += pss;
        uss_kb += uss;
        anon_kb += anon;
    }
    let mb = |kb: u64| kb as f64 / 1024.0;
    TreeMemory {
        pss_mb: mb(pss_kb),
        uss_mb: mb(uss_kb),
        anon_mb: mb(anon_kb),
        root_pss_mb: mb(root_kb),
    }
}

/// `root` and every process below it.
fn tree_of(root: u32, procs: &[Proc]) -> HashSet<u32> {
    let mut queue = vec![root];
    let mut seen = HashSet::new();
    while let Some(pid) = queue.pop() {
        if seen.insert(pid) {
            queue.extend(procs.iter().filter(|p| p.ppid == pid).map(|p| p.pid));
        }
    }
    seen
}

/// How many WebKit web processes run on the machine outside `root`'s tree. Each maps the same
/// ~75 MB of WebKit's libraries as the app's own web process, so while one runs the app's PSS
/// and USS read some 75 MB lower than with the app alone (its anonymous memory does not move).
pub fn other_webkit_processes(root: u32) -> usize {
    let procs = processes();
    let ours = tree_of(root, &procs);
    // The kernel keeps 15 bytes of a process's name: "WebKitWebProces".
    procs.iter().filter(|p| p.name.starts_with("WebKitWebProces") && !ours.contains(&p.pid)).count()
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

/// Whether process `pid` is gone, or has ended with all its threads and only waits for its parent
/// to collect it (its leader thread shows as a zombie while the others may still be running).
fn has_ended(pid: u32) -> bool {
    let threads = std::fs::read_dir(format!("/proc/{pid}/task")).map(|t| t.count()).unwrap_or(0);
    !Path::new(&format!("/proc/{pid}")).exists() || (is_zombie(pid) && threads <= 1)
}

/// Whether process `pid` has ended and only waits for its parent to collect it.
fn is_zombie(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z'))
    })
}

/// Waits up to `limit` for process `pid` to have ended ([`has_ended`]). Whether it did.
pub async fn wait_until_ended(pid: u32, limit: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    while !has_ended(pid) {
        if std::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    true
}
