//! Ending the app while a large body is still arriving leaves no temporary folder behind: a
//! local server sends the first 4 MB of a 50 MB answer at once (past the 2 MB kept in memory,
//! so the body is in a file in the app's temporary folder) and the rest slowly; the app is
//! then ended by closing its window as a window manager's close button does (the
//! `WM_DELETE_WINDOW` message), with SIGTERM (log-out) and with SIGINT (Ctrl+C), and each time
//! its folder is gone once it has exited. Killed with SIGKILL, it cannot clean up: the folder
//! stays until the app's next start sweeps it (without any request sent).

use e2e::AppSession;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);
const BYTES: u64 = 50 * 1024 * 1024;
/// Sent at once: past the 2 MB the store keeps in memory.
const FIRST: u64 = 4 * 1024 * 1024;

/// `what` in the shown request tab (hidden tabs stay in the page).
fn in_tab(what: &str) -> String {
    format!(".request-tabpanel:not([hidden]) {what}")
}

/// A server on 127.0.0.1 that answers each connection with a 50 MB JSON string: [`FIRST`]
/// bytes at once, then 64 KiB every 100 ms (the whole would take 80 s). It stops sending when
/// the client is gone, and after 2 minutes in any case (it also stops accepting then, or after
/// 4 connections). Returns its port and the bytes sent.
fn slow_server() -> (u16, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let until = Instant::now() + Duration::from_secs(120);
        let mut served = 0;
        while served < 4 && Instant::now() < until {
            let mut stream = match listener.accept() {
                Ok((stream, _)) => stream,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                Err(_) => return,
            };
            served += 1;
            let _ = stream.set_nonblocking(false);
            let counter = counter.clone();
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BYTES}\r\n\r\n\""
                );
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![b'x'; 64 * 1024];
                let until = Instant::now() + Duration::from_secs(120);
                let mut body = 1u64;
                while body < BYTES - 1 && Instant::now() < until {
                    if stream.write_all(&chunk).is_err() {
                        return;
                    }
                    body += chunk.len() as u64;
                    counter.store(body, Ordering::SeqCst);
                    if body >= FIRST {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            });
        }
    });
    (port, sent)
}

/// The body files in `folders` (its lock file aside).
fn body_files(folders: &[PathBuf]) -> usize {
    folders
        .iter()
        .filter_map(|f| std::fs::read_dir(f).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|e| e.file_name().to_string_lossy().starts_with("body-"))
        .count()
}

/// Sends X window `window` the message a window manager sends when its close button is clicked
/// (a `WM_PROTOCOLS` client message with `WM_DELETE_WINDOW`): the app closes the window as it
/// would for a person. (The test display has no window manager, and xdotool sends no such
/// message: Python's ctypes calls libX11 here.)
fn ask_to_close(window: &str) {
    const SEND: &str = r#"
import ctypes, sys
x = ctypes.cdll.LoadLibrary("libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
x.XFlush.argtypes = [ctypes.c_void_p]
class Message(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong),
                ("message_type", ctypes.c_ulong), ("format", ctypes.c_int),
                ("data", ctypes.c_long * 5), ("pad", ctypes.c_long * 12)]
d = x.XOpenDisplay(None)
if not d:
    sys.exit("no display")
window = int(sys.argv[1])
m = Message(type=33, window=window, format=32,
            message_type=x.XInternAtom(d, b"WM_PROTOCOLS", 0))
m.data[0] = x.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
x.XSendEvent(d, window, 0, 0, ctypes.byref(m))
x.XFlush(d)
"#;
    let status = Command::new("python3").args(["-c", SEND, window]).status().expect("python3");
    assert!(status.success(), "the close message could not be sent");
}

/// Whether nobody holds the lock on `path` (taken and let go at once).
fn lock_is_free(path: &std::path::Path) -> bool {
    std::fs::File::options().write(true).open(path).is_ok_and(|f| f.try_lock().is_ok())
}

#[derive(Clone, Copy, Debug)]
enum Ending {
    CloseWindow,
    Sigterm,
    Sigint,
}

/// Starts the slow download, ends the app while it is under way, and checks the folder went.
async fn end_mid_download(ending: Ending) {
    let (port, sent) = slow_server();
    let app = AppSession::launch_with_sandbox_token(&format!("exit-{ending:?}")).await.unwrap();
    let pid = app.app_pid().expect("the app's process id");
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.fill(&in_tab("input[name=request_url]"), &format!("http://127.0.0.1:{port}/slow"), WAIT)
        .await
        .unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();

    let deadline = Instant::now() + WAIT;
    let folders = loop {
        let folders = e2e::process_facts::body_folders_of(pid);
        if body_files(&folders) > 0 && sent.load(Ordering::SeqCst) >= FIRST {
            break folders;
        }
        assert!(Instant::now() < deadline, "{ending:?}: the body never reached a file");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let at_end = sent.load(Ordering::SeqCst);
    assert!(at_end < BYTES, "{ending:?}: the body is still arriving ({at_end} bytes sent)");

    match ending {
        Ending::CloseWindow => {
            // `--all`: both conditions (xdotool's default is either), so another test's app
            // window, also named ScopeStack Companion, is never the one closed.
            let window = e2e::dialogs::xdotool(&[
                "search",
                "--all",
                "--onlyvisible",
                "--pid",
                &pid.to_string(),
                "--name",
                "^ScopeStack Companion$",
            ]);
            let window = window.lines().next().expect("the app's window").to_string();
            ask_to_close(&window);
            e2e::process_facts::wait_until_ended(pid, WAIT).await;
            drop(app);
        }
        Ending::Sigterm | Ending::Sigint => {
            let signal = if matches!(ending, Ending::Sigterm) { "-TERM" } else { "-INT" };
            let _ = Command::new("kill").args([signal, &pid.to_string()]).status();
            e2e::process_facts::wait_until_ended(pid, WAIT).await;
            drop(app);
        }
    }
    assert!(
        e2e::process_facts::wait_until_ended(pid, WAIT).await,
        "{ending:?}: the app did not end"
    );
    for folder in folders.iter().chain(&e2e::process_facts::body_folders_of(pid)) {
        assert!(!folder.exists(), "{ending:?}: {} is left behind", folder.display());
    }
}

#[tokio::test]
async fn a_folder_left_by_a_killed_app_is_swept_at_the_next_start() {
    let (port, _sent) = slow_server();
    let app = AppSession::launch_with_sandbox_token("exit-killed").await.unwrap();
    let pid = app.app_pid().expect("the app's process id");
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.fill(&in_tab("input[name=request_url]"), &format!("http://127.0.0.1:{port}/slow"), WAIT)
        .await
        .unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    let deadline = Instant::now() + WAIT;
    let folders = loop {
        let folders = e2e::process_facts::body_folders_of(pid);
        if body_files(&folders) > 0 {
            break folders;
        }
        assert!(Instant::now() < deadline, "the body never reached a file");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    assert!(
        e2e::process_facts::wait_until_ended(pid, WAIT).await,
        "the app did not end on SIGKILL"
    );
    drop(app);
    for folder in &folders {
        assert!(folder.exists(), "SIGKILL leaves {} behind", folder.display());
        // The leader thread shows as a zombie while the others may still be exiting, and the
        // open files (the lock) go with the last of them: wait for the OS to let go of it.
        let deadline = Instant::now() + WAIT;
        while !lock_is_free(&folder.join(".in-use")) {
            assert!(Instant::now() < deadline, "the killed app's lock was never let go");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // As if killed an hour ago: a folder younger than a minute is never swept (its app may
        // not have locked it yet).
        let in_use = std::fs::File::options().write(true).open(folder.join(".in-use")).unwrap();
        in_use.set_modified(std::time::SystemTime::now() - Duration::from_secs(3600)).unwrap();
    }

    let next = AppSession::launch_with_sandbox_token("exit-next-start").await.unwrap();
    let deadline = Instant::now() + WAIT;
    while folders.iter().any(|f| f.exists()) {
        assert!(Instant::now() < deadline, "the next start left the killed app's folder");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    next.close().await;
}

#[tokio::test]
async fn ending_the_app_mid_download_leaves_no_temporary_folder() {
    for ending in [Ending::CloseWindow, Ending::Sigterm, Ending::Sigint] {
        end_mid_download(ending).await;
    }
}
