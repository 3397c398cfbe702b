//! `scopestack-cli doctor`, the real binary: the Sandbox profile passes every step (exit 0); a
//! profile at a refused port fails the TCP step with its fix (exit 4, JSON too); a proxy from
//! HTTPS_PROXY that answers 407 is said to want a sign-in; a certificate from "Zscaler Root CA"
//! is refused and named without the company's root, and passes with it in SSL_CERT_FILE (the
//! system store as rustls-native-certs reads it); an unknown profile is a usage error.

use crate::support::{assert_code, cli, closed_port, stderr, stdout};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

/// The binary with no proxy of the caller's environment.
fn doctor(home: &std::path::Path) -> Command {
    let mut cmd = cli(home);
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.arg("doctor");
    cmd
}

#[test]
fn the_sandbox_profile_passes_every_step() {
    let home = tempfile::tempdir().unwrap();
    let out = doctor(home.path()).args(["--profile", "Sandbox"]).output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    for line in [
        "✓ Name resolution (passed): 127.0.0.1 is an address",
        "✓ Connection (TCP) (passed): connected to 127.0.0.1:",
        "✓ Proxy (passed): none",
        "– Secure connection (TLS) (skipped): skipped (plain HTTP on this computer)",
        "✓ Token endpoint (passed): answered 401 Unauthorized with the OAuth error \"invalid_client\"",
        "✓ Clock (passed)",
        "✓ API (passed): GET /v1/me answered 401 Unauthorized without a token",
        "Every step passed.",
    ] {
        assert!(text.contains(line), "{line:?} missing in:\n{text}");
    }
}

#[test]
fn a_refused_port_fails_the_tcp_step_with_exit_4() {
    let home = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{}", closed_port());
    let out = cli(home.path())
        .args(["profiles", "add", "Broken", "--grant", "client-credentials", "--base-url", &base])
        .args(["--client-id", "some-client"])
        .output()
        .unwrap();
    assert_code(&out, 0);

    let out = doctor(home.path()).args(["--profile", "broken"]).output().unwrap();
    assert_code(&out, 4);
    let text = stdout(&out);
    assert!(text.contains("✓ Name resolution (passed)"), "{text}");
    assert!(text.contains("✗ Connection (TCP) (FAILED)") && text.contains("refused"), "{text}");
    assert!(text.contains("Nothing answers at 127.0.0.1"), "{text}");
    assert!(text.contains("What to do:") && text.contains("port"), "{text}");
    assert!(text.contains("– API (skipped)"), "{text}");
    assert!(stderr(&out).contains("failed at \"Connection (TCP)\""), "{}", stderr(&out));

    let out = doctor(home.path()).args(["--profile", "Broken", "--json"]).output().unwrap();
    assert_code(&out, 4);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON report");
    assert_eq!(report["passed"], false);
    let connect = &report["steps"][1];
    assert_eq!(connect["id"], "connect");
    assert_eq!(connect["outcome"], "fail");
    assert_eq!(connect["diagnosis"]["code"], "net.connection_refused");
    assert_eq!(report["steps"][6]["outcome"], "skipped");
}

/// A proxy that answers every request with 407; the requests it got.
fn sign_in_proxy() -> (u16, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let _ = tx.send(String::from_utf8_lossy(&buf[..n]).into_owned());
            let _ = s.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (port, rx)
}

#[test]
fn a_proxy_from_https_proxy_that_answers_407_wants_a_sign_in() {
    let home = tempfile::tempdir().unwrap();
    let (proxy, seen) = sign_in_proxy();
    let out = doctor(home.path())
        .env("HTTPS_PROXY", format!("http://127.0.0.1:{proxy}"))
        .args(["--token-url", "https://app.scopestack.io/oauth/token", "--step-timeout", "5"])
        .output()
        .unwrap();
    assert_code(&out, 4);
    let text = stdout(&out);
    assert!(
        text.contains("✗ Proxy (FAILED): http://127.0.0.1:")
            && text.contains("(from HTTPS_PROXY) answered 407: the proxy wants a sign-in"),
        "{text}"
    );
    assert!(text.contains("The proxy server wants a sign-in"), "{text}");
    let request =
        seen.recv_timeout(std::time::Duration::from_secs(5)).expect("the proxy was asked");
    assert!(request.starts_with("CONNECT app.scopestack.io:443 HTTP/1.1"), "{request}");
}

#[test]
fn an_unknown_profile_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let out = doctor(home.path()).args(["--profile", "No such profile"]).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("No profile is named"), "{}", stderr(&out));
}

/// The connection check's test certificates (in the engine's tests).
const CERTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/doctor_support/certs");

/// A TLS server for 127.0.0.1 whose certificate was issued by "Zscaler Root CA", answering as
/// ScopeStack does without credentials: 401 with an OAuth error at /oauth/token, 401 at /v1/me.
fn inspected_server() -> u16 {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let read = |name: &str| std::fs::read(format!("{CERTS}/{name}")).expect("test certificate");
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![
                CertificateDer::from(read("inspection.cert.der")),
                CertificateDer::from(read("inspection-ca.cert.der")),
            ],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(read("inspection.key.der"))),
        )
        .unwrap();
    let config = std::sync::Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let Ok(conn) = rustls::ServerConnection::new(config) else { return };
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && head.len() < 16384 {
                    match tls.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let head = String::from_utf8_lossy(&head).to_string();
                let (kind, body) = if head.starts_with("POST /oauth/token") {
                    ("application/json", r#"{"error":"invalid_client"}"#)
                } else {
                    ("application/vnd.api+json", r#"{"errors":[{"status":"401"}]}"#)
                };
                let date = httpdate::fmt_http_date(std::time::SystemTime::now());
                let answer = format!(
                    "HTTP/1.1 401 Unauthorized\r\nDate: {date}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes());
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    port
}

#[test]
fn a_company_root_in_the_system_store_passes_tls_and_names_the_inspection_service() {
    let home = tempfile::tempdir().unwrap();
    let port = inspected_server();
    let token_url = format!("https://127.0.0.1:{port}/oauth/token");
    let run = |cert_file: Option<&str>| {
        let mut cmd = doctor(home.path());
        match cert_file {
            // The system's store, as rustls-native-certs reads it: SSL_CERT_FILE when set.
            Some(file) => cmd.env("SSL_CERT_FILE", file),
            None => cmd.env("SSL_CERT_FILE", format!("{CERTS}/none.pem")),
        };
        cmd.env_remove("SSL_CERT_DIR").args(["--token-url", &token_url]).output().unwrap()
    };

    // Without the company's root, the certificate is refused and its issuer named.
    let out = run(None);
    assert_code(&out, 4);
    let text = stdout(&out);
    assert!(text.contains("✗ Secure connection (TLS) (FAILED)"), "{text}");
    assert!(
        text.contains("\"Zscaler Root CA\" — Zscaler, a company TLS-inspection service"),
        "{text}"
    );
    assert!(text.contains("company's root certificate"), "{text}");

    // With it installed, every step passes, and the TLS step says whose certificate it was.
    let out = run(Some(&format!("{CERTS}/inspection-ca.pem")));
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("✓ Secure connection (TLS) (passed): 127.0.0.1:")
            && text.contains("certificate issued by \"Zscaler Root CA\" — Zscaler, a company TLS-inspection service, which this computer trusts through its own certificate store"),
        "{text}"
    );
    assert!(text.contains("✓ Token endpoint (passed)"), "{text}");
    assert!(text.contains("✓ API (passed)"), "{text}");
    assert!(text.contains("Every step passed."), "{text}");
}
