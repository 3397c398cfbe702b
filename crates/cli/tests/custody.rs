//! Token custody through the real `scopestack-cli` binary, each against loopback servers that record every request they get: the token goes to the profile's API only (unless `--send-token-to-other-host`), `--all-pages` stays on the API, plain http:// to another computer is refused before sending, and a kept client secret does not follow a token URL moved by a Postman import.

use crate::support::*;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a [`Capture`] answers: the status line's code and reason, the content type, the body.
type Reply = (&'static str, &'static str, String);

/// A tiny HTTP server in a thread: it records each request as received (head and body, as
/// text) before answering it with what `answer` gives for the request line, then closes the
/// connection. One request a connection.
struct Capture {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Capture {
    /// On 127.0.0.1, answering every request with `200 OK` and a small JSON body.
    fn start() -> Capture {
        Capture::start_on("127.0.0.1:0", |_| {
            ("200 OK", "application/json", r#"{"captured":true}"#.to_string())
        })
    }

    fn start_on(bind: &str, answer: impl Fn(&str) -> Reply + Send + 'static) -> Capture {
        let listener = TcpListener::bind(bind).unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let request = read_request(&mut stream);
                seen2.lock().unwrap().push(request.clone());
                let (status, content_type, body) = answer(request.lines().next().unwrap_or(""));
                let response = format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
                let _ = stream.write_all(response.as_bytes());
                let _ = stream.flush();
            }
        });
        Capture { addr, seen, stop }
    }

    /// `http://127.0.0.1:PORT`, the address to reach it on this computer.
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// `127.0.0.1:PORT`, as the CLI names the host in its messages.
    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.addr.port())
    }

    /// Every request received so far, as raw text.
    fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(
            &SocketAddr::from(([127, 0, 0, 1], self.addr.port())),
            Duration::from_secs(1),
        );
    }
}

/// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
fn read_request(stream: &mut TcpStream) -> String {
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&bytes).into_owned(),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                .map(|(_, v)| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while bytes.len() < head_end + length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The value of a request header, by name in any case.
fn header(request: &str, name: &str) -> Option<String> {
    let head = request.split("\r\n\r\n").next().unwrap_or("");
    head.lines().skip(1).find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    })
}

/// `request` with one-off settings whose token comes from the sandbox, so the profile's API is
/// the sandbox's origin.
fn request_via_sandbox(home: &Path, sbx: &TestSandbox, args: &[&str]) -> Command {
    with_service_account(home, sbx, "request", args)
}

/// Runs a command to the end, killing it past a minute (a request that hangs fails the test).
fn run(mut cmd: Command) -> Output {
    cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    wait_with_deadline(cmd.spawn().unwrap(), Duration::from_secs(60))
}

#[test]
fn the_token_goes_to_another_host_only_with_send_token_to_other_host() {
    let sbx = TestSandbox::start();
    let capture = Capture::start();
    let home = tempfile::tempdir().unwrap();
    let collect = format!("{}/collect", capture.url());

    let out = run(request_via_sandbox(home.path(), &sbx, &["GET", &collect]));
    assert_code(&out, 0);
    let seen = capture.requests();
    assert_eq!(seen.len(), 1, "the request itself went: {seen:?}");
    assert!(seen[0].starts_with("GET /collect "), "{}", seen[0]);
    assert_eq!(
        header(&seen[0], "authorization"),
        None,
        "no Authorization header to another origin: {}",
        seen[0]
    );
    assert!(!seen[0].contains("eyJ"), "no token anywhere in the request: {}", seen[0]);
    let said = stderr(&out);
    assert!(
        said.contains(&format!(
            "note: This address is not your ScopeStack API ({}): the profile's token was not sent.",
            capture.host()
        )),
        "names the host and says the token was not sent: {said}"
    );
    assert!(said.contains("--send-token-to-other-host"), "says how to send it anyway: {said}");
    assert!(!said.contains("eyJ") && !stdout(&out).contains("eyJ"), "no token in the output");

    let out = run(request_via_sandbox(
        home.path(),
        &sbx,
        &["GET", &collect, "--send-token-to-other-host"],
    ));
    assert_code(&out, 0);
    let seen = capture.requests();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let authorization = header(&seen[1], "authorization")
        .unwrap_or_else(|| panic!("the token was asked for: {}", seen[1]));
    let token = authorization
        .strip_prefix("Bearer ")
        .unwrap_or_else(|| panic!("a bearer token: {authorization}"));
    assert_eq!(sbx.me(token).0, 200, "the profile's own token, one the sandbox takes");
    assert!(!stderr(&out).contains("token was not sent"), "{}", stderr(&out));
}

#[test]
fn all_pages_stops_at_a_page_link_off_the_api_and_sends_it_nothing() {
    let _turn = keychain_turn();
    let capture = Capture::start();
    let next = format!("{}/page2", capture.url());
    // The profile's API (and token URL): a first page whose `links.next` leads to the capture server.
    let api = Capture::start_on("127.0.0.1:0", move |line| {
        if line.starts_with("POST /oauth/token ") {
            (
                "200 OK",
                "application/json",
                r#"{"access_token":"api-token-1","token_type":"Bearer","expires_in":3600}"#
                    .to_string(),
            )
        } else if line.starts_with("GET /v1/projects ") {
            ("200 OK", "application/vnd.api+json", serde_json::json!({"data": [{"type": "projects", "id": "1"}], "links": {"next": next}}).to_string())
        } else {
            ("404 Not Found", "application/json", "{}".to_string())
        }
    });
    let home = tempfile::tempdir().unwrap();
    let mut cmd = cli(home.path());
    cmd.args(["request", "GET", "/v1/projects", "--all-pages"])
        .args([
            "--grant",
            "client-credentials",
            "--token-url",
            &format!("{}/oauth/token", api.url()),
            "--client-id",
            "pages-client",
            "--client-secret-env",
            "S",
        ])
        .env("S", "pages-secret");
    let out = run(cmd);

    assert_code(&out, 2);
    let said = stderr(&out);
    assert!(said.contains("paging follows links on the API only"), "{said}");
    assert!(
        said.contains(&capture.host()) && said.contains(&api.host()),
        "names the link's host and the API's: {said}"
    );
    assert!(
        capture.requests().is_empty(),
        "the page link's host got nothing: {:?}",
        capture.requests()
    );
    let on_api = api.requests();
    let first = on_api
        .iter()
        .find(|r| r.starts_with("GET /v1/projects "))
        .unwrap_or_else(|| panic!("the first page was asked for: {on_api:?}"));
    assert_eq!(
        header(first, "authorization").as_deref(),
        Some("Bearer api-token-1"),
        "the API itself gets the token"
    );
}

#[test]
fn plain_http_to_another_computer_is_refused_before_sending() {
    let _turn = keychain_turn();
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = run(request_via_sandbox(home.path(), &sbx, &["GET", "http://192.0.2.1/x"]));
    assert_code(&out, 2);
    let said = stderr(&out);
    assert!(
        said.contains("http://192.0.2.1")
            && said.contains("plain http://")
            && said.contains("https://"),
        "says why and to write https: {said}"
    );

    // Where this computer has an address on a network, a server on it shows nothing arrives.
    let Some(ip) = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").and_then(|()| s.local_addr()))
        .ok()
        .map(|a| a.ip())
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified())
    else {
        eprintln!("no network address on this computer: only the refusal was checked");
        return;
    };
    let listening =
        Capture::start_on("0.0.0.0:0", |_| ("200 OK", "application/json", "{}".to_string()));
    let url = format!("http://{ip}:{}/x", listening.addr.port());
    let out = run(request_via_sandbox(home.path(), &sbx, &["GET", &url]));
    assert_code(&out, 2);
    assert!(stderr(&out).contains("plain http://"), "{}", stderr(&out));
    assert!(
        listening.requests().is_empty(),
        "nothing was sent to {url}: {:?}",
        listening.requests()
    );
}

/// Removes the profile (and what the keychain keeps for it) however the test ends.
struct RemoveProfile<'a>(&'a Path, String);

impl Drop for RemoveProfile<'_> {
    fn drop(&mut self) {
        let _ = cli(self.0).args(["profiles", "remove", &self.1]).output();
    }
}

/// A kept client secret stays with the token URL it was given for: after an import moves the
/// token URL, `token` and `login` fail naming both hosts and the new host gets nothing; the
/// token issued for the old URLs is deleted; `login --remember` with the secret given again
/// sends it to the new host.
#[test]
#[ignore = "needs an unlocked OS keychain: scripts/test (and scripts/with-test-services) start one"]
fn a_kept_client_secret_does_not_follow_a_token_url_moved_by_an_import() {
    let _turn = keychain_turn();
    let sbx = TestSandbox::start();
    let capture = Capture::start_on("127.0.0.1:0", |line| {
        if line.starts_with("POST /oauth/token ") {
            (
                "200 OK",
                "application/json",
                r#"{"access_token":"t","token_type":"Bearer","expires_in":3600}"#.to_string(),
            )
        } else {
            ("404 Not Found", "application/json", "{}".to_string())
        }
    });
    let home = tempfile::tempdir().unwrap();
    let name = format!("Custody test {}", std::process::id());
    let out = cli(home.path())
        .args([
            "profiles",
            "add",
            &name,
            "--grant",
            "client-credentials",
            "--base-url",
            &sbx.base,
            "--client-id",
            SERVICE_ID,
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let _cleanup = RemoveProfile(home.path(), name.clone());
    let out = cli(home.path()).args(["profiles", "show", &name, "--json"]).output().unwrap();
    let id = engine::ProfileId::new(
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()["id"].as_str().unwrap(),
    );

    let out = cli(home.path())
        .args(["login", "--profile", &name, "--client-secret-env", "S", "--remember"])
        .env("S", SERVICE_SECRET)
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("with the client secret"), "{}", stdout(&out));
    let vault = engine::vault::Vault::with_service(
        &engine::vault::keychain_service_for(Some(home.path())),
        engine::vault::VaultMode::Keychain,
    );
    assert!(vault.get_tokens(&id).unwrap().is_some(), "a token is kept for the sandbox");

    let environment = home.path().join("moved.postman_environment.json");
    let doc = serde_json::json!({
        "name": "Moved",
        "values": [{"key": "accessTokenUrl", "value": format!("{}/oauth/token", capture.url()), "type": "default", "enabled": true}],
        "_postman_variable_scope": "environment",
    });
    std::fs::write(&environment, doc.to_string()).unwrap();
    let out = cli(home.path())
        .args(["import", "postman", "--into", &name])
        .arg(&environment)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = cli(home.path()).args(["profiles", "show", &name, "--json"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        shown["environment"]["token_url"],
        format!("{}/oauth/token", capture.url()),
        "the import moved the token URL"
    );

    let sandbox_host = url::Url::parse(&sbx.base)
        .map(|u| format!("{}:{}", u.host_str().unwrap(), u.port().unwrap()))
        .unwrap();
    for command in ["token", "login"] {
        let out = cli(home.path()).args([command, "--profile", &name]).output().unwrap();
        assert_code(&out, 2);
        let said = stderr(&out);
        assert!(
            said.contains(&sandbox_host) && said.contains(&capture.host()),
            "`{command}` names the host the secret was given for and the new one: {said}"
        );
        assert!(
            said.contains("login --remember"),
            "`{command}` says to give the secret again with login --remember: {said}"
        );
        assert!(
            !stdout(&out).contains("eyJ"),
            "`{command}` printed no old token: {}",
            stdout(&out)
        );
        assert!(
            capture.requests().is_empty(),
            "`{command}` sent nothing to the new token URL: {:?}",
            capture.requests()
        );
    }
    assert_eq!(
        vault.get_tokens(&id).unwrap(),
        None,
        "the token issued for the old URLs is deleted"
    );

    let out = run_with_stdin(
        {
            let mut c = cli(home.path());
            c.args(["login", "--profile", &name, "--client-secret-stdin", "--remember"]);
            c
        },
        &format!("{SERVICE_SECRET}\n"),
    );
    assert_code(&out, 0);
    let seen = capture.requests();
    assert_eq!(seen.len(), 1, "one token request to the new token URL: {seen:?}");
    assert!(seen[0].starts_with("POST /oauth/token "), "{}", seen[0]);
    assert!(
        seen[0].contains(&format!("client_secret={SERVICE_SECRET}")),
        "the secret given again went there: {}",
        seen[0]
    );
    let out = cli(home.path()).args(["token", "--profile", &name]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "t", "the new host's token is kept and used");
    assert_eq!(
        capture.requests().len(),
        1,
        "the secret given again is kept for the new host: no new request was needed"
    );
}
