//! What the desktop shell does to keep secrets in: the in-app sign-in window stays on sign-in
//! pages and can run none of the app's commands (while the main window runs them all), a curl
//! command copied with the token leaves the clipboard after the delay and when the app ends, and
//! with certificates it cannot read the app still works on the sandbox, and sends nothing over
//! https, saying why.
//!
//! The sign-in window is not reachable over WebDriver (WebKit automates the app's first web
//! context only; the sign-in window has its own, for its cookies), so its page here is one this
//! test serves as a profile's sign-in page on a loopback port: the page's own script tries to leave
//! and to run a command, and reports to the same server what happened.

use e2e::AppSession;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

async fn launch(name: &str, env: &[(&str, &str)]) -> AppSession {
    let home = e2e::fresh_home(name).expect("a settings folder");
    let app = AppSession::launch_with(&home, env).await.expect("launch the app over WebDriver");
    app.wait_for_text("[data-testid=profile-switcher] .switcher-name", "Sandbox", WAIT)
        .await
        .unwrap();
    app
}

/// Gets a client-credentials token on the sandbox, as a person would in two clicks.
async fn sandbox_token(app: &AppSession) {
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
}

/// Runs `body` (a JavaScript async function body) in the main window through the app's own IPC,
/// as the UI does, and waits for its outcome: `Ok(value)` or `Err(what it was rejected with)`.
async fn in_main_window(app: &AppSession, body: &str) -> Result<Value, Value> {
    let start = format!(
        "window.__outcome = null; (async () => {{ const invoke = window.__TAURI_INTERNALS__.invoke; {body} }})().then((v) => window.__outcome = {{ ok: v ?? null }}, (e) => window.__outcome = {{ err: e ?? null }}); return null;"
    );
    app.execute(&start).await.unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        let outcome = app.execute("return window.__outcome").await.unwrap();
        if let Some(ok) = outcome.get("ok") {
            return Ok(ok.clone());
        }
        if let Some(err) = outcome.get("err") {
            return Err(err.clone());
        }
        assert!(Instant::now() < deadline, "no answer from the app within {WAIT:?} to: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The X clipboard's text, as another program (a clipboard manager, a paste) reads it.
fn clipboard() -> String {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .output()
        .expect("xclip (scripts/setup installs it)");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Sends the sandbox's default request from the tester and copies it as curl with the token, as
/// the `copy_as_curl` command does for the window. Returns the token it must hold.
async fn copy_curl_with_token(app: &AppSession) -> String {
    app.click_on("[data-testid=view-requests]", WAIT).await.unwrap();
    app.click_on(".request-tabpanel:not([hidden]) [data-testid=send]", WAIT).await.unwrap();
    app.wait_for_text(
        ".request-tabpanel:not([hidden]) [data-testid=response] [data-testid=status-line]",
        "200",
        WAIT,
    )
    .await
    .unwrap();
    let token = in_main_window(app, "return await invoke('reveal_token', { id: 'sandbox' });")
        .await
        .expect("the main window reveals the token");
    let token = token.as_str().expect("a token").to_string();
    // The exchange just sent is the app's first or one of its first: its number is not shown.
    let copied = in_main_window(
        app,
        "for (let exchange = 1; exchange <= 20; exchange++) { try { await invoke('copy_as_curl', { id: 'sandbox', exchange, includeToken: true }); return exchange; } catch (e) {} } throw 'no exchange could be copied';",
    )
    .await;
    assert!(copied.is_ok(), "copied as curl: {copied:?}");
    let text = clipboard();
    assert!(
        text.starts_with("curl ") && text.contains(&token),
        "the clipboard holds the curl command with the token: {text:?}"
    );
    token
}

/// A loopback web server standing in for a sign-in page: `/authorize` is the page, `/report`
/// collects what its script says, and any other path is noted as visited.
struct SignInServer {
    port: u16,
    heard: Arc<Mutex<Vec<String>>>,
}

/// The sign-in page: reports that it loaded, tries to run an app command and to open a window,
/// then tries to leave for each of `targets`, reporting after each try that it is still there.
fn sign_in_page(targets: &[String]) -> String {
    let targets = serde_json::to_string(targets).unwrap();
    format!(
        r#"<!doctype html><meta charset="utf-8"><title>Test sign-in</title><p>Sign in</p>
<script>
const report = (what) => fetch('/report?what=' + encodeURIComponent(what), {{ cache: 'no-store' }}).catch(() => {{}});
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
(async () => {{
  await report('loaded ' + location.href);
  let outcome;
  try {{
    const ipc = window.__TAURI_INTERNALS__;
    outcome = ipc ? 'ran ' + JSON.stringify(await Promise.race([ipc.invoke('reveal_token', {{ id: 'sandbox' }}), sleep(5000).then(() => {{ throw 'no answer' }})])) : 'no ipc';
  }} catch (e) {{
    outcome = 'refused ' + (typeof e === 'string' ? e : JSON.stringify(e));
  }}
  await report('invoke: ' + outcome);
  let opened = null;
  try {{ opened = window.open('https://example.com/'); }} catch (e) {{}}
  await report('window.open: ' + (opened ? 'opened' : 'refused'));
  for (const target of {targets}) {{
    try {{ window.location.href = target; }} catch (e) {{ await report('threw on ' + target); }}
    await sleep(2500);
    await report('stayed on ' + location.href + ' after ' + target);
  }}
  await report('done');
}})();
</script>"#
    )
}

impl SignInServer {
    fn start() -> SignInServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let heard = Arc::new(Mutex::new(Vec::new()));
        let targets = vec![
            "tauri://localhost/".to_string(),
            "file:///etc/hostname".to_string(),
            // Another origin over plain http (localhost is not 127.0.0.1): this server notes a visit.
            format!("http://localhost:{port}/elsewhere"),
        ];
        let page = sign_in_page(&targets);
        let log = heard.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, page) = (log.clone(), page.clone());
                std::thread::spawn(move || serve(stream, &log, &page));
            }
        });
        SignInServer { port, heard }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn heard(&self) -> Vec<String> {
        self.heard.lock().unwrap().clone()
    }

    /// Waits until the page reports `what` (a prefix), and returns all it reported.
    async fn wait_for(&self, what: &str, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let heard = self.heard();
            if heard.iter().any(|h| h.starts_with(what)) || Instant::now() > deadline {
                return heard;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn serve(mut stream: TcpStream, log: &Mutex<Vec<String>>, page: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // The rest of the request's head.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (status, body) = if path.starts_with("/authorize") {
        ("200 OK", page.to_string())
    } else if let Some(query) = path.strip_prefix("/report?what=") {
        let what: String = url::form_urlencoded::parse(format!("what={query}").as_bytes())
            .map(|(_, v)| v.into_owned())
            .next()
            .unwrap_or_default();
        log.lock().unwrap().push(what);
        ("200 OK", String::new())
    } else {
        log.lock().unwrap().push(format!("visited {path}"));
        ("200 OK", "<!doctype html><title>Elsewhere</title><p>Elsewhere</p>".to_string())
    };
    let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
}

#[tokio::test]
async fn the_sign_in_window_stays_on_sign_in_pages_and_runs_no_command() {
    let server = SignInServer::start();
    let app = launch("custody-sign-in", &[]).await;
    sandbox_token(&app).await;

    // The main window runs the app's commands.
    let token = in_main_window(&app, "return await invoke('reveal_token', { id: 'sandbox' });")
        .await
        .expect("the main window runs reveal_token");
    assert!(
        token.as_str().is_some_and(|t| t.starts_with("eyJ")),
        "the main window gets the token: {token}"
    );

    // A profile whose browser sign-in opens in the app's window, on this test's sign-in page.
    let base = server.base();
    let setup = format!(
        "const snapshot = await invoke('add_profile', {{ name: 'Custody test' }});
         const id = snapshot.profiles.find((v) => v.profile.name === 'Custody test').profile.id;
         await invoke('update_profile', {{ edit: {{ id, method: 'browser_login', client_id: 'custody-test', username: '', scope: '', client_auth: 'body',
           callback: {{ mode: 'in_app_window', redirect_uri: 'http://127.0.0.1:8765/callback' }},
           endpoints: {{ authorize_url: '{base}/authorize', token_url: '{base}/token', api_url: '{base}/api' }} }} }});
         invoke('get_token', {{ id, secrets: {{}} }}).catch(() => {{}});
         return id;"
    );
    let id = in_main_window(&app, &setup)
        .await
        .expect("a browser-login profile on the test's sign-in page");

    let heard = server.wait_for("loaded", WAIT).await;
    assert!(
        heard.iter().any(|h| h.starts_with(&format!("loaded {base}/authorize"))),
        "the sign-in window opened the sign-in page: {heard:?}"
    );
    let heard = server.wait_for("done", Duration::from_secs(40)).await;
    println!("the sign-in page reported: {heard:?}");
    let _ = in_main_window(
        &app,
        &format!("await invoke('cancel_sign_in', {{ id: {id} }}); return null;"),
    )
    .await;

    let invoked = heard.iter().find(|h| h.starts_with("invoke: ")).cloned().unwrap_or_default();
    assert!(
        invoked == "invoke: no ipc" || invoked.starts_with("invoke: refused"),
        "a page in the sign-in window cannot run reveal_token: {invoked:?} (all: {heard:?})"
    );
    assert!(
        !invoked.contains(token.as_str().unwrap_or("eyJ")),
        "the token never reached the sign-in page"
    );
    assert!(
        heard.contains(&"window.open: refused".to_string()),
        "no window opens from the sign-in window: {heard:?}"
    );
    for target in [
        "tauri://localhost/",
        "file:///etc/hostname",
        &format!("http://localhost:{}/elsewhere", server.port),
    ] {
        let stayed = format!("stayed on {base}/authorize");
        assert!(
            heard
                .iter()
                .any(|h| h.starts_with(&stayed) && h.ends_with(&format!(" after {target}"))),
            "the sign-in window left its page for {target}: {heard:?}"
        );
    }
    assert!(
        !heard.iter().any(|h| h.starts_with("visited /elsewhere")),
        "an http page of another origin was loaded: {heard:?}"
    );
    app.close().await;
}

#[tokio::test]
async fn a_curl_command_copied_with_the_token_is_cleared_from_the_clipboard() {
    let app = launch("custody-curl", &[("SCOPESTACK_COMPANION_CLIPBOARD_CLEAR_SECS", "2")]).await;
    sandbox_token(&app).await;
    let token = copy_curl_with_token(&app).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(
        !clipboard().contains(&token),
        "the curl command with the token is gone from the clipboard after 2 s"
    );
    app.close().await;
}

/// A clipboard manager like a desktop's (`src/bin/clipboard-manager.rs`): it keeps what a
/// program holds on the clipboard when that program exits. Stopped when dropped.
struct ClipboardManager(Child);

impl ClipboardManager {
    fn start() -> ClipboardManager {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clipboard-manager"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("the test clipboard manager");
        let mut ready = String::new();
        let _ = BufReader::new(child.stdout.as_mut().expect("its output")).read_line(&mut ready);
        assert_eq!(ready.trim(), "ready", "the test clipboard manager started");
        ClipboardManager(child)
    }
}

impl Drop for ClipboardManager {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What a pending clear at exit guards against, shown with a text that is not a secret: the
/// clipboard manager keeps what the app held when it ended.
#[tokio::test]
async fn a_clipboard_manager_keeps_what_an_ending_app_held() {
    let _manager = ClipboardManager::start();
    let app = launch("custody-manager", &[]).await;
    let copied = in_main_window(
        &app,
        "await invoke('copy_text', { text: 'not a secret, kept' }); return null;",
    )
    .await;
    assert!(copied.is_ok(), "{copied:?}");
    assert!(app.end_app_with_sigterm(Duration::from_secs(15)).await, "the app ended on SIGTERM");
    assert_eq!(clipboard(), "not a secret, kept", "the manager kept the text after the app ended");
}

#[tokio::test]
async fn a_copied_secret_is_cleared_when_the_app_ends() {
    let _manager = ClipboardManager::start();
    let app = launch("custody-exit", &[("SCOPESTACK_COMPANION_CLIPBOARD_CLEAR_SECS", "600")]).await;
    sandbox_token(&app).await;
    let token = copy_curl_with_token(&app).await;
    assert!(app.end_app_with_sigterm(Duration::from_secs(15)).await, "the app ended on SIGTERM");
    assert!(
        !clipboard().contains(&token),
        "the curl command with the token did not outlive the app on the clipboard"
    );
}

#[tokio::test]
async fn with_unreadable_certificates_the_sandbox_works_and_https_sends_nothing_saying_why() {
    // A certificate store with nothing valid in it (the file and the folder the system's roots
    // are read from): the secure client cannot start. The app reads it only when an https address
    // is first used, so it opens without a word about it, and plain http to this computer works.
    let store = e2e::fresh_home("custody-no-tls").expect("a folder");
    let certs = store.join("broken-certificates.pem");
    std::fs::write(&certs, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        .unwrap();
    let env = [
        ("SSL_CERT_FILE", certs.to_string_lossy().to_string()),
        ("SSL_CERT_DIR", store.to_string_lossy().to_string()),
    ];
    let app = launch(
        "custody-no-tls-app",
        &env.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
    )
    .await;
    sandbox_token(&app).await;
    let notices = app.execute("return document.querySelectorAll('.notice').length").await.unwrap();
    assert_eq!(notices, 0, "nothing to say at start: no https address has been used");

    // An https address: the client that would send there cannot start, so nothing reaches it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    let tab = ".request-tabpanel:not([hidden])";
    app.fill(
        &format!("{tab} input[name=request_url]"),
        &format!("https://127.0.0.1:{port}/v1/me"),
        WAIT,
    )
    .await
    .unwrap();
    app.click_on(&format!("{tab} [data-testid=send]"), WAIT).await.unwrap();
    let note = app
        .wait_for_text(
            &format!("{tab} .error-note"),
            "secure (https) HTTP client could not start",
            WAIT,
        )
        .await
        .unwrap();
    assert!(note.contains("nothing was sent"), "{note}");
    assert!(note.contains("certificate"), "it says what to check: {note}");
    assert!(listener.accept().is_err(), "no connection reached the https address");
    app.screenshot("no-secure-http-client").await.unwrap();
    app.close().await;
}
