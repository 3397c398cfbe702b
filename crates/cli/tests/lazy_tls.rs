//! The real `scopestack-cli` over a certificate store it cannot read: `token`, `me` and `request`
//! with a sandbox over http://127.0.0.1 never read the store (so they work), and an https:// token URL
//! says that the store is the problem, exits 6 and sends nothing.

use crate::support::*;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

/// A certificate file whose one "certificate" is 300 zero bytes: well-formed PEM that no root can
/// be made of, so the https client cannot start.
fn broken_certificate_file(dir: &Path) -> PathBuf {
    let path = dir.join("broken.pem");
    let junk = "A".repeat(400);
    std::fs::write(
        &path,
        format!("-----BEGIN CERTIFICATE-----\n{junk}\n-----END CERTIFICATE-----\n"),
    )
    .unwrap();
    path
}

#[test]
fn token_and_me_over_loopback_http_work_when_the_certificate_store_is_broken() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let certs = tempfile::tempdir().unwrap();
    let broken = broken_certificate_file(certs.path());

    let out = with_service_account(home.path(), &sbx, "token", &["--session-only"])
        .env("SSL_CERT_FILE", &broken)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    assert_code(&out, 0);
    let token = stdout(&out);
    assert_eq!(sbx.me(token.trim()).0, 200, "the token works");

    let out = with_service_account(home.path(), &sbx, "me", &["--session-only"])
        .env("SSL_CERT_FILE", &broken)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains(sandbox::ADMIN_EMAIL), "{}", stdout(&out));

    let out =
        with_service_account(home.path(), &sbx, "request", &["GET", "/v1/me", "--session-only"])
            .env("SSL_CERT_FILE", &broken)
            .env_remove("SSL_CERT_DIR")
            .output()
            .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains(sandbox::ADMIN_EMAIL), "{}", stdout(&out));

    // The same store and an https:// token URL: a clear failure, and no connection made.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let https = format!("https://127.0.0.1:{}/oauth/token", listener.local_addr().unwrap().port());
    let out = cli(home.path())
        .args(["token", "--grant", "client-credentials", "--token-url", &https])
        .args(["--client-id", SERVICE_ID, "--client-secret-env", "SVC_SECRET", "--session-only"])
        .env("SVC_SECRET", SERVICE_SECRET)
        .env("SSL_CERT_FILE", &broken)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    assert_code(&out, 6);
    let said = stderr(&out);
    for words in [
        "secure (https) HTTP client could not start",
        "nothing was sent",
        "certificate store",
        "SSL_CERT_FILE",
    ] {
        assert!(said.contains(words), "{words:?} in {said}");
    }
    assert!(!said.contains(SERVICE_SECRET));
    assert!(listener.accept().is_err(), "no connection was made to the https address");
    assert!(std::fs::read_dir(home.path()).unwrap().next().is_none(), "nothing written");
}
