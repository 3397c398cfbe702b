//! The engine's HTTP clients built on first use by URL (`engine::http::Clients::lazy`, and the
//! request tester's `Clients::lazy_tester`): token requests, `/v1/me`, revocation and the request
//! tester over http:// to this computer never read the OS certificate store, and an https:// URL still gets the full client — or, when the store cannot be read, a
//! clear failure that sends nothing.

use crate::common::*;
use engine::http::{ClientFor, Clients, HttpSettings};
use engine::profiles::{Endpoints, Method};
use engine::requests::{self as rq, ExchangeStore, RequestSpec};
use engine::session::Credentials;
use engine::session::Engine;
use engine::vault::SecretKind;
use engine::vault::Vault;
use engine::{EngineError, Secret};
use std::collections::HashMap;
use std::net::TcpListener;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use url::Url;

fn settings() -> HttpSettings {
    HttpSettings { connect_timeout: Duration::from_secs(5), total_timeout: Duration::from_secs(15) }
}

fn lazy_engine() -> Engine {
    Engine::new(Vault::session_only(), Clients::lazy(settings()))
}

/// The demo service account's profile, but with every URL at `https://127.0.0.1:port`.
fn https_service_target(port: u16) -> engine::Target {
    let base = Url::parse(&format!("https://127.0.0.1:{port}/")).unwrap();
    let endpoints = Endpoints::for_base(&base).unwrap();
    target_at(endpoints, "https-service", Method::ClientCredentials, sandbox::SERVICE_CLIENT_ID, "")
}

/// A certificate file holding one "certificate" that is no certificate: rustls-native-certs reads
/// it (it is well-formed PEM), and no root can be made of it, so the full client cannot start.
fn broken_certificate_file(dir: &std::path::Path) -> std::path::PathBuf {
    use base64::Engine as _;
    let junk = base64::engine::general_purpose::STANDARD.encode([0x42u8; 300]);
    let path = dir.join("broken.pem");
    std::fs::write(
        &path,
        format!("-----BEGIN CERTIFICATE-----\n{junk}\n-----END CERTIFICATE-----\n"),
    )
    .unwrap();
    path
}

#[test]
fn loopback_http_works_with_a_broken_certificate_store_and_https_says_it_cannot_start() {
    if !crate::one_process::in_a_process_of_its_own(
        "lazy_clients::loopback_http_works_with_a_broken_certificate_store_and_https_says_it_cannot_start",
    ) {
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    std::env::set_var("SSL_CERT_FILE", broken_certificate_file(temp.path()));
    std::env::remove_var("SSL_CERT_DIR");
    // The store is really broken: a client built at the start (as before) could not start at all.
    let eager = engine::http::client(settings()).expect_err("no client over a broken store");
    assert!(format!("{eager:?}").contains("certificate"), "{eager:?}");

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let sb = sandbox().await;
        let engine = lazy_engine();
        let target = service_target(&sb);
        assert_eq!(target.endpoints.token_url.scheme(), "http");
        // Kept, as revocation sends it too.
        let secret = Secret::new(sandbox::SERVICE_CLIENT_SECRET);
        engine.remember(&target, SecretKind::ClientSecret, &secret).unwrap();
        let tokens = engine
            .obtain_direct(&target, &Credentials::default())
            .await
            .expect("a token over http://127.0.0.1 without the certificate store");
        assert!(tokens.access_token.expose().starts_with("ey"));
        let me = engine.verify(&target).await.expect("/v1/me over http://127.0.0.1");
        assert_eq!(me.email, sandbox::ADMIN_EMAIL);
        // The request tester too, with the profile's token.
        let (store, cancel) = (ExchangeStore::new(), CancellationToken::new());
        let vars = HashMap::new();
        let get = |url: &str| RequestSpec::get(url);
        let sent = rq::send(&engine, &target, &get("/v1/me"), &vars, &store, &cancel).await;
        assert_eq!(sent.expect("the tester over http://127.0.0.1").status, 200);
        let revoked = engine.revoke(&target).await.expect("revocation over http://127.0.0.1");
        assert!(revoked.revoked_on_server);
        assert!(!engine.http().secure_client_started(), "nothing needed the certificate store");
        assert!(!engine.tester_client().secure_client_started());

        // An https URL needs the store: the request is refused before anything is sent, and says why.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let https = https_service_target(listener.local_addr().unwrap().port());
        let err = engine
            .obtain_direct(&https, &creds(sandbox::SERVICE_CLIENT_SECRET))
            .await
            .expect_err("no https client over a broken store");
        let EngineError::Local(message) = &err else { panic!("a local failure, not {err:?}") };
        for words in [
            "secure (https) HTTP client could not start",
            "nothing was sent",
            "certificate store",
            "SSL_CERT_FILE",
        ] {
            assert!(message.contains(words), "{words:?} in {message}");
        }
        assert!(listener.accept().is_err(), "no connection was made to the https address");
        assert!(!engine.http().secure_client_started(), "a failed start is tried again next time");
        // The same for the request tester: said, and nothing sent.
        let url = format!("https://127.0.0.1:{}/v1/me", listener.local_addr().unwrap().port());
        let err = rq::send(&engine, &target, &get(&url), &vars, &store, &cancel)
            .await
            .expect_err("no https tester client over a broken store");
        assert!(format!("{err}").contains("certificate store"), "{err}");
        assert!(listener.accept().is_err(), "no connection was made by the tester");
    });
}

#[tokio::test]
async fn https_urls_get_the_full_client_only_when_first_used() {
    let sb = sandbox().await;
    let engine = lazy_engine();
    let target = service_target(&sb);
    engine.obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET)).await.expect("token");
    assert!(!engine.http().secure_client_started(), "http://127.0.0.1 needs no TLS");

    // A loopback name over https is still https: the full client, built now, makes the connection
    // (to a port that speaks no TLS, so the handshake fails, as a network failure).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepting = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        use tokio::io::AsyncWriteExt;
        let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
    });
    let err = engine
        .obtain_direct(&https_service_target(port), &creds(sandbox::SERVICE_CLIENT_SECRET))
        .await
        .expect_err("no TLS at that port");
    assert!(matches!(err, EngineError::Network { .. }), "{err:?}");
    accepting.await.expect("the https client connected");
    assert!(engine.http().secure_client_started());

    // The same Clients picks per URL: loopback http keeps its own client; given one client, every
    // URL gets that one.
    let lazy = Clients::lazy(settings());
    let http = Url::parse("http://localhost:1/").unwrap();
    let https = Url::parse("https://localhost:1/").unwrap();
    let plain = lazy.client_for(&http).unwrap() as *const reqwest::Client;
    assert!(!lazy.secure_client_started());
    let secure = lazy.client_for(&https).unwrap() as *const reqwest::Client;
    assert!(lazy.secure_client_started());
    assert_ne!(plain, secure);
    assert_eq!(plain, lazy.client_for(&http).unwrap() as *const _, "built once");
    let one = Clients::from(engine::http::client(settings()).unwrap());
    assert_eq!(
        one.client_for(&http).unwrap() as *const reqwest::Client,
        one.client_for(&https).unwrap() as *const _
    );
    // Plain http to another computer is never the loopback client's.
    let elsewhere = Url::parse("http://192.0.2.1/").unwrap();
    assert_eq!(lazy.client_for(&elsewhere).unwrap() as *const reqwest::Client, secure);
    // The request tester's clients are picked the same way.
    let tester = Clients::lazy_tester(settings());
    tester.client_for(&http).unwrap();
    assert!(!tester.secure_client_started());
    tester.client_for(&https).unwrap();
    assert!(tester.secure_client_started());
}
