//! The production guard of the real `scopestack-cli`: `profiles add --production|--test` and the
//! defaults, the mark in `profiles show`/`list` (and their JSON), and `request` refusing a write
//! on a production profile without `--yes` — against a loopback server that records every
//! request it gets, so "nothing was sent" is the server's word, not the CLI's.

use crate::support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// A server on 127.0.0.1 that answers a token request with a token and anything else with a
/// small JSON:API document, and records each request's method and path.
struct RecordingServer {
    base: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl RecordingServer {
    fn start() -> RecordingServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let record = record.clone();
                std::thread::spawn(move || answer(stream, &record));
            }
        });
        RecordingServer { base, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// Reads one request (head and body) and answers it; the connection is then closed.
fn answer(stream: TcpStream, record: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    record.lock().unwrap().push(format!("{method} {path}"));
    let (content_type, text) = if path.starts_with("/oauth/token") {
        (
            "application/json",
            r#"{"access_token":"recorded-token","token_type":"Bearer","expires_in":7200,"scope":"read write"}"#,
        )
    } else {
        (
            "application/vnd.api+json",
            r#"{"data":{"type":"projects","id":"12","attributes":{"project-name":"Renamed"}}}"#,
        )
    };
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let mut stream = stream;
    let _ = stream.write_all(reply.as_bytes());
}

fn add_profile(home: &std::path::Path, name: &str, base: &str, mark: &[&str]) {
    let out = cli(home)
        .args(["profiles", "add", name, "--grant", "client-credentials", "--base-url", base])
        .args(["--client-id", "recorded-client"])
        .args(mark)
        .output()
        .unwrap();
    assert_code(&out, 0);
}

/// `request --profile NAME ARGS…` with the client secret from the environment, keychain unused.
fn request(home: &std::path::Path, profile: &str, args: &[&str]) -> std::process::Output {
    cli(home)
        .arg("request")
        .args(args)
        .args(["--profile", profile, "--session-only", "--client-secret-env", "REC_SECRET"])
        .env("REC_SECRET", "recorded-secret")
        .output()
        .unwrap()
}

const BODY: &str =
    r#"{"data":{"type":"projects","id":"12","attributes":{"project-name":"Renamed"}}}"#;

#[test]
fn a_write_on_a_production_profile_is_refused_without_yes_and_nothing_reaches_the_server() {
    let server = RecordingServer::start();
    let home = tempfile::tempdir().unwrap();
    add_profile(home.path(), "Customer", &server.base, &["--production"]);

    for method in ["POST", "PATCH", "PUT", "DELETE", "patch"] {
        let out = request(home.path(), "Customer", &[method, "/v1/projects/12", "--data", BODY]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains("Add --yes"), "says what to add: {err}");
        assert!(err.contains("production") && err.contains("nothing was sent"), "{err}");
        assert!(err.contains("/v1/projects/12"), "names the request: {err}");
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    }
    assert_eq!(server.seen(), Vec::<String>::new(), "not even a token request was made");

    // A read goes without --yes; a write with it.
    let out = request(home.path(), "Customer", &["GET", "/v1/projects/12"]);
    assert_code(&out, 0);
    assert_eq!(server.seen(), ["POST /oauth/token", "GET /v1/projects/12"]);
    let out =
        request(home.path(), "Customer", &["PATCH", "/v1/projects/12", "--data", BODY, "--yes"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Renamed"), "{}", stdout(&out));
    let seen = server.seen();
    assert_eq!(seen.last().map(String::as_str), Some("PATCH /v1/projects/12"), "{seen:?}");
    let out = request(home.path(), "Customer", &["DELETE", "/v1/projects/12", "-y"]);
    assert_code(&out, 0);
    assert_eq!(server.seen().last().map(String::as_str), Some("DELETE /v1/projects/12"));
}

#[test]
fn a_write_on_a_test_profile_goes_without_yes() {
    let server = RecordingServer::start();
    let home = tempfile::tempdir().unwrap();
    // A server on this computer is test by default.
    add_profile(home.path(), "Local", &server.base, &[]);
    let out = request(home.path(), "Local", &["POST", "/v1/projects", "--data", BODY]);
    assert_code(&out, 0);
    assert_eq!(server.seen(), ["POST /oauth/token", "POST /v1/projects"]);
}

fn show_json(home: &std::path::Path, name: &str) -> serde_json::Value {
    let out = cli(home).args(["profiles", "show", name, "--json"]).output().unwrap();
    assert_code(&out, 0);
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn profiles_add_sets_the_mark_and_show_and_list_print_it() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let remote =
        ["--grant", "client-credentials", "--token-url", "https://acme.example/oauth/token"];
    let out = cli(h).args(["profiles", "add", "Acme"]).args(remote).output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("a production account"), "{}", stdout(&out));
    let out =
        cli(h).args(["profiles", "add", "Acme staging", "--test"]).args(remote).output().unwrap();
    assert_code(&out, 0);
    add_profile(h, "Mock", "http://127.0.0.1:9", &[]);
    add_profile(h, "Mock marked", "http://127.0.0.1:9", &["--production"]);

    assert_eq!(show_json(h, "Acme")["account_kind"], "production", "another host: production");
    assert_eq!(show_json(h, "Acme staging")["account_kind"], "test");
    assert_eq!(show_json(h, "Mock")["account_kind"], "test", "this computer: test");
    assert_eq!(show_json(h, "Mock marked")["account_kind"], "production");
    assert_eq!(show_json(h, "Sandbox")["account_kind"], "test");
    assert_eq!(show_json(h, "ScopeStack")["account_kind"], "production");

    let out = cli(h).args(["profiles", "show", "Mock marked"]).output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Account:       production"), "{}", stdout(&out));

    let out = cli(h).args(["profiles", "list"]).output().unwrap();
    assert_code(&out, 0);
    let list = stdout(&out);
    let line_of = |name: &str| {
        list.lines()
            .find(|l| l.get(2..).is_some_and(|l| l.starts_with(&format!("{name} "))))
            .unwrap()
    };
    assert!(line_of("Acme staging").contains(" test "), "{list}");
    assert!(line_of("Mock marked").contains(" production "), "{list}");
    let out = cli(h).args(["profiles", "list", "--json"]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let kinds: Vec<_> = doc["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["account_kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["test", "production", "production", "test", "test", "production"]);

    // `profiles mark` changes it; one of the two is needed, not both.
    let out = cli(h).args(["profiles", "mark", "Acme", "--test"]).output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("\"Acme\" is marked test"), "{}", stdout(&out));
    assert_eq!(show_json(h, "Acme")["account_kind"], "test");
    let out = cli(h).args(["profiles", "mark", "Acme", "--production"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(show_json(h, "Acme")["account_kind"], "production");
    for wrong in
        [&["profiles", "mark", "Acme"][..], &["profiles", "mark", "Acme", "--test", "--production"]]
    {
        let out = cli(h).args(wrong).output().unwrap();
        assert_code(&out, 2);
    }
    assert_eq!(show_json(h, "Acme")["account_kind"], "production", "unchanged by the wrong ones");

    // Both marks at once is a usage error; nothing is added.
    let out = cli(h)
        .args(["profiles", "add", "Both", "--production", "--test"])
        .args(remote)
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_eq!(doc["profiles"].as_array().unwrap().len(), 6);
    let out = cli(h).args(["profiles", "show", "Both"]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
}
