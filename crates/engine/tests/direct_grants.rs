//! Methods B and C against the sandbox: client credentials (body and Basic) and the password
//! grant, the token set they produce, and every way they can fail, each with its own error.

use crate::common::*;
use engine::error::NetworkFailure;
use engine::profiles::Method;
use engine::session::Credentials;
use engine::tokens::{now_unix, ExpirySource, TokenSet};
use engine::vault::SecretKind;
use engine::{EngineError, ErrorKind, Secret};
use std::time::Duration;

/// What every sandbox token set looks like, whatever the method.
fn assert_sandbox_token_set(t: &TokenSet, method: Method, lifetime: i64) {
    assert_eq!(t.token_type, "Bearer");
    assert_eq!(t.scope.as_deref(), Some("read write"));
    assert_eq!(t.obtained_with, method);
    assert_eq!(t.expiry_source, ExpirySource::ExpiresIn);
    // issued_at is the server's created_at, which the sandbox also signs into the JWT as iat.
    let iat = jwt_claims(t.access_token.expose())["iat"].as_i64().expect("iat claim");
    assert_eq!(t.issued_at, iat, "issued_at comes from created_at");
    assert!((now_unix() - t.issued_at).abs() <= 5, "created just now");
    assert_eq!(t.expires_at, Some(t.issued_at + lifetime), "expires_at = created_at + expires_in");
    assert_eq!(
        t.refresh_token.is_some(),
        method != Method::ClientCredentials,
        "refresh token only without client credentials"
    );
}

#[tokio::test]
async fn client_credentials_in_the_body_get_a_stored_bearer_token() {
    let sb = sandbox().await;
    let engine = engine();
    let target = service_target(&sb);
    let tokens = engine
        .obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET))
        .await
        .expect("client credentials");
    assert_sandbox_token_set(&tokens, Method::ClientCredentials, 7200);
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(tokens.clone()), "stored in the vault");
    // The token works on the API, as the admin (the service account's owner).
    let me = engine.verify(&target).await.expect("verify");
    assert_eq!(me.email, sandbox::ADMIN_EMAIL);
}

#[tokio::test]
async fn client_credentials_with_basic_auth_get_a_token() {
    let sb = sandbox().await;
    let engine = engine();
    let target = with_basic(service_target(&sb));
    let tokens = engine
        .obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET))
        .await
        .expect("client credentials, Basic");
    assert_sandbox_token_set(&tokens, Method::ClientCredentials, 7200);
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(tokens));
}

#[tokio::test]
async fn body_and_basic_put_the_client_credentials_where_they_say() {
    let server = FakeServer::start(|_| (200, token_json("fake-access", None, 7200))).await;
    let engine = engine();
    let body_target = target_at(server.endpoints(), "body", Method::ClientCredentials, "cid-1", "");
    engine.obtain_direct(&body_target, &creds("s3cr/et:+")).await.expect("body");
    let basic_target =
        with_basic(target_at(server.endpoints(), "basic", Method::ClientCredentials, "cid-1", ""));
    engine.obtain_direct(&basic_target, &creds("s3cr/et:+")).await.expect("basic");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let (body, basic) = (&requests[0], &requests[1]);
    assert_eq!((body.method.as_str(), body.path.as_str()), ("POST", "/oauth/token"));
    assert_eq!(body.field("grant_type").as_deref(), Some("client_credentials"));
    assert_eq!(body.field("client_id").as_deref(), Some("cid-1"));
    assert_eq!(body.field("client_secret").as_deref(), Some("s3cr/et:+"));
    assert_eq!(body.field("scope").as_deref(), Some("read write"));
    assert_eq!(body.header("authorization"), None, "body auth sends no Authorization header");

    assert_eq!(basic.field("client_secret"), None, "Basic auth keeps the secret out of the body");
    let header = basic.header("authorization").expect("Basic header");
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(header.strip_prefix("Basic ").expect("Basic scheme"))
        .unwrap();
    // RFC 6749 §2.3.1: id and secret form-encoded before joining.
    assert_eq!(String::from_utf8(decoded).unwrap(), "cid-1:s3cr%2Fet%3A%2B");
}

#[tokio::test]
async fn the_password_grant_gets_a_refreshable_token_and_never_sends_redirect_uri() {
    let sb = sandbox().await;
    let engine = engine();
    let target = password_target(&sb, sandbox::ADMIN_EMAIL);
    // The sandbox, like ScopeStack, refuses the password grant with invalid_grant when a
    // redirect_uri is sent; prove that first, so that the engine's success below means something.
    let (status, body) = raw_token_request(
        &sb,
        &[
            ("grant_type", "password"),
            ("client_id", sandbox::PASSWORD_CLIENT_ID),
            ("client_secret", sandbox::PASSWORD_CLIENT_SECRET),
            ("username", sandbox::ADMIN_EMAIL),
            ("password", sandbox::ADMIN_PASSWORD),
            ("redirect_uri", "http://127.0.0.1:8765/callback"),
        ],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));

    let tokens = engine
        .obtain_direct(&target, &creds_pw(sandbox::PASSWORD_CLIENT_SECRET, sandbox::ADMIN_PASSWORD))
        .await
        .expect("password grant");
    assert_sandbox_token_set(&tokens, Method::Password, 7200);
    assert_eq!(engine.stored_tokens(&target).unwrap(), Some(tokens));
    assert_eq!(engine.verify(&target).await.unwrap().email, sandbox::ADMIN_EMAIL);
}

#[tokio::test]
async fn the_password_grant_request_has_exactly_the_documented_fields() {
    let server =
        FakeServer::start(|_| (200, token_json("fake-access", Some("fake-refresh"), 7200))).await;
    let engine = engine();
    let target =
        target_at(server.endpoints(), "pw", Method::Password, "acct-client", "svc@example.test");
    engine
        .obtain_direct(&target, &creds_pw("acct-secret", "pa ss&word"))
        .await
        .expect("password grant");
    let request = &server.requests()[0];
    let mut names: Vec<String> = request.form().into_iter().map(|(k, _)| k).collect();
    names.sort();
    assert_eq!(
        names,
        ["client_id", "client_secret", "grant_type", "password", "scope", "username"],
        "no redirect_uri, nothing extra"
    );
    assert_eq!(request.field("password").as_deref(), Some("pa ss&word"));
    assert_eq!(request.field("username").as_deref(), Some("svc@example.test"));
    assert_eq!(
        request.header("content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
}

#[tokio::test]
async fn secrets_kept_in_the_vault_are_used_when_none_are_typed() {
    let sb = sandbox().await;
    let engine = engine();
    let target = password_target(&sb, sandbox::READONLY_EMAIL);
    engine
        .remember(&target, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    engine
        .remember(&target, SecretKind::Password, &Secret::new(sandbox::READONLY_PASSWORD))
        .unwrap();
    let tokens =
        engine.obtain_direct(&target, &Credentials::default()).await.expect("from the vault");
    assert_eq!(tokens.obtained_with, Method::Password);
    // A typed secret wins over the kept one.
    let err = engine.obtain_direct(&target, &creds("typed-wrong")).await.unwrap_err();
    assert!(
        matches!(&err, EngineError::Refused { error, .. } if error == "invalid_client"),
        "{err:?}"
    );
}

fn assert_refused(err: &EngineError, expected: &str) {
    match err {
        EngineError::Refused { error, .. } => assert_eq!(error, expected, "{err}"),
        other => panic!("expected the server to refuse with {expected}, got {other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::AuthRefused);
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client_with_a_hint_about_look_alike_characters() {
    let sb = sandbox().await;
    let engine = engine();
    for target in [service_target(&sb), with_basic(service_target(&sb))] {
        let err = engine.obtain_direct(&target, &creds("demo-service-secreT")).await.unwrap_err();
        assert_refused(&err, "invalid_client");
        let text = err.to_string();
        assert!(text.contains("0/O") && text.contains("client secret"), "{text}");
        assert_eq!(engine.stored_tokens(&target).unwrap(), None, "nothing stored after a refusal");
    }
    let err = engine
        .obtain_direct(
            &password_target(&sb, sandbox::ADMIN_EMAIL),
            &creds_pw("wrong", sandbox::ADMIN_PASSWORD),
        )
        .await
        .unwrap_err();
    assert_refused(&err, "invalid_client");
    // An unknown client ID is the same error.
    let mut unknown = service_target(&sb);
    unknown.profile.client_id = "sandbox-service-acc0unt".into();
    assert_refused(
        &engine.obtain_direct(&unknown, &creds(sandbox::SERVICE_CLIENT_SECRET)).await.unwrap_err(),
        "invalid_client",
    );
}

#[tokio::test]
async fn a_wrong_password_or_a_deactivated_user_is_invalid_grant() {
    let sb = sandbox().await;
    let engine = engine();
    let wrong = engine
        .obtain_direct(
            &password_target(&sb, sandbox::ADMIN_EMAIL),
            &creds_pw(sandbox::PASSWORD_CLIENT_SECRET, "demo-admin-pas"),
        )
        .await
        .unwrap_err();
    assert_refused(&wrong, "invalid_grant");
    assert!(
        wrong.to_string().contains("password") && wrong.to_string().contains("deactivated"),
        "{wrong}"
    );

    let seeded = engine
        .obtain_direct(
            &password_target(&sb, sandbox::DEACTIVATED_EMAIL),
            &creds_pw(sandbox::PASSWORD_CLIENT_SECRET, sandbox::DEACTIVATED_PASSWORD),
        )
        .await
        .unwrap_err();
    assert_refused(&seeded, "invalid_grant");

    // Deactivated by an administrator while the app runs.
    let target = password_target(&sb, sandbox::READONLY_EMAIL);
    let pw = creds_pw(sandbox::PASSWORD_CLIENT_SECRET, sandbox::READONLY_PASSWORD);
    engine.obtain_direct(&target, &pw).await.expect("active at first");
    assert!(sb.set_user_active(sandbox::READONLY_EMAIL, false));
    assert_refused(&engine.obtain_direct(&target, &pw).await.unwrap_err(), "invalid_grant");
    assert!(sb.set_user_active(sandbox::READONLY_EMAIL, true));
    engine.obtain_direct(&target, &pw).await.expect("active again");
}

#[tokio::test]
async fn a_client_used_with_the_wrong_method_is_unauthorized_client() {
    let sb = sandbox().await;
    let engine = engine();
    let ep = || endpoints(&sb);
    // The service account's client with the password grant.
    let t =
        target_at(ep(), "a", Method::Password, sandbox::SERVICE_CLIENT_ID, sandbox::ADMIN_EMAIL);
    let err = engine
        .obtain_direct(&t, &creds_pw(sandbox::SERVICE_CLIENT_SECRET, sandbox::ADMIN_PASSWORD))
        .await
        .unwrap_err();
    assert_refused(&err, "unauthorized_client");
    assert!(err.to_string().contains("not set up for this method"), "{err}");
    // The account-level client with client credentials.
    let t = target_at(ep(), "b", Method::ClientCredentials, sandbox::PASSWORD_CLIENT_ID, "");
    assert_refused(
        &engine.obtain_direct(&t, &creds(sandbox::PASSWORD_CLIENT_SECRET)).await.unwrap_err(),
        "unauthorized_client",
    );
    // The browser-login client with client credentials.
    let t = target_at(ep(), "c", Method::ClientCredentials, sandbox::BROWSER_CLIENT_ID, "");
    assert_refused(
        &engine.obtain_direct(&t, &creds(sandbox::BROWSER_CLIENT_SECRET)).await.unwrap_err(),
        "unauthorized_client",
    );
}

#[tokio::test]
async fn the_mfa_user_cannot_use_the_password_grant() {
    let sb = sandbox().await;
    let err = engine()
        .obtain_direct(
            &password_target(&sb, sandbox::MFA_EMAIL),
            &creds_pw(sandbox::PASSWORD_CLIENT_SECRET, sandbox::MFA_PASSWORD),
        )
        .await
        .unwrap_err();
    assert_refused(&err, "invalid_grant");
}

fn assert_missing(err: &EngineError, words: &str) {
    match err {
        EngineError::MissingInput(text) => {
            assert!(text.contains(words), "{text:?} should mention {words:?}")
        }
        other => panic!("expected MissingInput mentioning {words:?}, got {other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::Input);
}

#[tokio::test]
async fn missing_inputs_are_named_before_anything_is_sent() {
    // A server that would count any request: none may arrive.
    let server = FakeServer::start(|_| (500, "{}".into())).await;
    let engine = engine();
    let ep = || server.endpoints();

    let no_id = target_at(ep(), "a", Method::ClientCredentials, "  ", "");
    assert_missing(&engine.obtain_direct(&no_id, &creds("s")).await.unwrap_err(), "client ID");

    let cc = target_at(ep(), "b", Method::ClientCredentials, "cid", "");
    assert_missing(
        &engine.obtain_direct(&cc, &Credentials::default()).await.unwrap_err(),
        "client secret",
    );
    assert_missing(&engine.obtain_direct(&cc, &creds("")).await.unwrap_err(), "client secret");

    let pw_no_user = target_at(ep(), "c", Method::Password, "cid", " ");
    assert_missing(
        &engine.obtain_direct(&pw_no_user, &creds_pw("s", "p")).await.unwrap_err(),
        "email",
    );
    let pw = target_at(ep(), "d", Method::Password, "cid", "svc@example.test");
    assert_missing(&engine.obtain_direct(&pw, &creds("s")).await.unwrap_err(), "password");
    assert_missing(
        &engine
            .obtain_direct(&pw, &Credentials { client_secret: None, password: secret("p") })
            .await
            .unwrap_err(),
        "client secret",
    );

    let browser = target_at(ep(), "e", Method::BrowserLogin, "cid", "");
    assert_missing(&engine.obtain_direct(&browser, &creds("s")).await.unwrap_err(), "browser");

    assert!(server.requests().is_empty(), "nothing was sent: {:?}", server.requests());
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_a_network_error_that_says_refused() {
    let port = closed_port();
    let ep = engine::profiles::Endpoints::for_base(
        &url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
    )
    .unwrap();
    let target = target_at(ep, "closed", Method::ClientCredentials, "cid", "");
    let started = std::time::Instant::now();
    let err = engine().obtain_direct(&target, &creds("s")).await.unwrap_err();
    match &err {
        EngineError::Network { url, failure, detail } => {
            assert_eq!(*failure, NetworkFailure::Connect);
            assert!(url.contains(&format!("127.0.0.1:{port}/oauth/token")), "{url}");
            assert!(detail.contains("refused"), "{detail}");
        }
        other => panic!("expected a network error, got {other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(err.to_string().contains("refused"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "a refused connection fails at once");
}

#[tokio::test]
async fn a_non_token_answer_is_a_bad_response_not_a_token() {
    let server = FakeServer::start(|_| (200, "<html>maintenance</html>".into())).await;
    let target = target_at(server.endpoints(), "html", Method::ClientCredentials, "cid", "");
    let engine = engine();
    let err = engine.obtain_direct(&target, &creds("s")).await.unwrap_err();
    assert!(matches!(err, EngineError::BadResponse { .. }), "{err:?}");
    assert!(err.to_string().contains("maintenance"), "{err}");
    assert_eq!(engine.stored_tokens(&target).unwrap(), None);
}

#[tokio::test]
async fn a_token_endpoint_that_redirects_is_not_followed() {
    // A redirect must never carry the client secret to another address.
    let elsewhere = FakeServer::start(|_| (200, token_json("stolen", None, 7200))).await;
    // A token endpoint answering 307 with a Location pointing at another server.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let target_url = elsewhere.base.join("/oauth/token").unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let answer = format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: {target_url}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = s.write_all(answer.as_bytes()).await;
        }
    });
    let ep = engine::profiles::Endpoints::for_base(
        &url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
    )
    .unwrap();
    let target = target_at(ep, "redirect2", Method::ClientCredentials, "cid", "");
    let engine = engine();
    let err = engine.obtain_direct(&target, &creds("s")).await.unwrap_err();
    assert!(matches!(err, EngineError::BadResponse { .. }), "{err:?}");
    assert!(elsewhere.requests().is_empty(), "the secret was not sent to the redirect target");
    assert_eq!(engine.stored_tokens(&target).unwrap(), None);
}

#[tokio::test]
async fn an_oversized_or_non_bearer_answer_is_not_a_token() {
    let huge = FakeServer::start(|_| {
        (
            200,
            format!(
                "{{\"access_token\":\"{}\",\"token_type\":\"Bearer\"}}",
                "a".repeat(2 * 1024 * 1024)
            ),
        )
    })
    .await;
    let target = target_at(huge.endpoints(), "huge", Method::ClientCredentials, "cid", "");
    let err = engine().obtain_direct(&target, &creds("s")).await.unwrap_err();
    assert!(
        matches!(&err, EngineError::BadResponse { detail, .. } if detail.contains("larger than")),
        "{err:?}"
    );

    let mac = FakeServer::start(|_| {
        (200, r#"{"access_token":"x","token_type":"mac","expires_in":60}"#.into())
    })
    .await;
    let target = target_at(mac.endpoints(), "mac", Method::ClientCredentials, "cid", "");
    let err = engine().obtain_direct(&target, &creds("s")).await.unwrap_err();
    assert!(
        matches!(&err, EngineError::BadResponse { detail, .. } if detail.contains("Bearer")),
        "{err:?}"
    );
}
