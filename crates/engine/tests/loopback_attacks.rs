//! The one-shot loopback listener under pressure: strays and forgeries (which cannot end the
//! wait), a second answer, timeouts, cancels, idle connections, a busy port, a `localhost`
//! callback on both loopback addresses, and the rule that it is reachable from this computer only.

use crate::common::*;
use engine::oauth::authcode::{self, PendingSignIn};
use engine::oauth::loopback::{LoopbackListener, PortChoice};
use engine::oauth::ClientSettings;
use engine::{ClientAuth, EngineError, ErrorKind};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;
use url::Url;

const TIMEOUT: Duration = Duration::from_secs(10);
const NOT_THIS_SIGN_IN: &str =
    "This sign-in answer does not belong to the sign-in in progress; the app keeps waiting.";

/// Sends raw bytes to 127.0.0.1:`port` and returns the status code of the answer.
async fn raw_request(port: u16, request: &str) -> u16 {
    answer_at(SocketAddr::from((Ipv4Addr::LOCALHOST, port)), request).await.0
}

/// Sends raw bytes to `address` and returns the status code and body of the answer.
async fn answer_at(address: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .unwrap_or_else(|e| panic!("connect to the listener at {address}: {e}"));
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("an answer in time")
        .unwrap();
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    let body = text.split_once("\r\n\r\n").map(|(_, body)| body.to_string()).unwrap_or_default();
    (status, body)
}

/// A browser's request head for `target` ("/callback?…").
fn get_request(target: &str) -> String {
    format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n")
}

/// A sign-in started for `listener`'s callback (no server is involved: nothing is exchanged),
/// and the state its answer must carry.
fn sign_in_for(listener: &LoopbackListener) -> (PendingSignIn, String) {
    let settings = ClientSettings {
        token_url: Url::parse("https://app.example/oauth/token").unwrap(),
        client_id: "cid".into(),
        client_secret: None,
        client_auth: ClientAuth::Body,
        scope: "read write".into(),
    };
    let pending = authcode::begin(
        &settings,
        &Url::parse("https://app.example/oauth/authorize").unwrap(),
        listener.redirect_uri(),
    )
    .expect("begin");
    let state =
        query_param(&pending.authorize_url, "state").expect("the sign-in address carries a state");
    (pending, state)
}

#[tokio::test]
async fn strays_get_404_or_400_and_the_wait_goes_on_until_the_real_answer() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let (opener, mut opened) = channel_opener();
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);
    let (never, quiet) = (CancellationToken::new(), no_progress());
    let signing_in = engine.sign_in_with_loopback(&target, &c, &opener, TIMEOUT, &never, &quiet);
    let browser_side = async {
        let authorize = opened.recv().await.expect("the browser was opened");
        let callback = redirect_uri_of(&authorize);
        let port = callback.port().unwrap();
        // A favicon, another path, a POST, garbage: none ends the wait.
        let (status, body) = get(&format!("http://127.0.0.1:{port}/favicon.ico")).await.unwrap();
        assert_eq!(status, 404);
        assert!(body.contains("only receives the sign-in answer"), "{body}");
        assert_eq!(
            get(&format!("http://127.0.0.1:{port}/callback/extra?code=x")).await.unwrap().0,
            404
        );
        assert_eq!(
            raw_request(
                port,
                "POST /callback?code=x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
            )
            .await,
            400
        );
        assert_eq!(raw_request(port, "NONSENSE\r\n\r\n").await, 400);
        // Then the person signs in in the browser.
        ScriptedBrowser::new(Person::admin()).visit(&authorize).await
    };
    let (result, visit) = tokio::join!(signing_in, browser_side);
    result.expect("the sign-in survived the strays");
    let (status, body) = visit.landing_page();
    assert_eq!(status, 200);
    assert!(body.contains("You can close this tab"), "{body}");
}

#[tokio::test]
async fn after_the_answer_the_port_is_closed_to_a_second_request() {
    let sb = sandbox().await;
    let engine = engine();
    let browser = ScriptedBrowser::new(Person::admin());
    engine
        .sign_in_with_loopback(
            &browser_target(&sb),
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &browser,
            TIMEOUT,
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .expect("sign-in");
    let visit = browser.finished().await;
    let landed = visit.redirect.clone().unwrap();
    // The same callback again (a reload, or a replay by another program): nobody is listening.
    let err = get(&landed).await.expect_err("the second request must not be answered");
    assert!(err.is_connect(), "{err:?}");
    let port = Url::parse(&landed).unwrap().port().unwrap();
    assert!(refuses_connections(port));
    assert!(port_is_free(port), "the port can be used again");
}

#[tokio::test]
async fn a_forged_callback_gets_an_error_page_and_the_sign_in_goes_on() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let (opener, mut opened) = channel_opener();
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);
    let (never, quiet) = (CancellationToken::new(), no_progress());
    let signing_in = engine.sign_in_with_loopback(&target, &c, &opener, TIMEOUT, &never, &quiet);
    let attacker_then_person = async {
        let authorize = opened.recv().await.unwrap();
        let callback = redirect_uri_of(&authorize);
        // Another page in the browser makes it load the callback with the attacker's own code.
        let forged = format!("{callback}?code=attackers-code&state=guessed");
        let forged_answer = get(&forged).await.expect("the listener answers");
        // The person then signs in as they meant to.
        let visit = ScriptedBrowser::new(Person::admin()).visit(&authorize).await;
        (callback, forged_answer, visit)
    };
    let (result, (callback, (status, body), visit)) =
        tokio::join!(signing_in, attacker_then_person);
    assert_eq!(status, 400);
    assert!(body.contains(NOT_THIS_SIGN_IN), "{body}");
    assert!(!body.contains("You can close this tab"));
    let tokens = result.expect("the forgery did not end the sign-in");
    assert_eq!(visit.landing_page().0, 200);
    assert_eq!(
        engine.stored_tokens(&target).unwrap(),
        Some(tokens),
        "the person's own sign-in was stored"
    );
    assert_eq!(engine.verify(&target).await.unwrap().email, sandbox::ADMIN_EMAIL);
    assert!(port_is_free(callback.port().unwrap()));
}

#[tokio::test]
async fn a_forged_error_callback_does_not_end_the_sign_in_either() {
    let sb = sandbox().await;
    let engine = engine();
    let (opener, mut opened) = channel_opener();
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);
    let (target, never, quiet) = (browser_target(&sb), CancellationToken::new(), no_progress());
    let signing_in = engine.sign_in_with_loopback(&target, &c, &opener, TIMEOUT, &never, &quiet);
    let attacker_then_person = async {
        let authorize = opened.recv().await.unwrap();
        let callback = redirect_uri_of(&authorize);
        let forged = get(&format!("{callback}?error=access_denied")).await.unwrap();
        (forged, ScriptedBrowser::new(Person::admin()).visit(&authorize).await)
    };
    let (result, ((status, body), visit)) = tokio::join!(signing_in, attacker_then_person);
    assert_eq!(status, 400);
    assert!(body.contains(NOT_THIS_SIGN_IN), "{body}");
    result.expect("a denial without this sign-in's state did not end it");
    assert!(visit.landing_page().1.contains("You can close this tab"));
}

#[tokio::test]
async fn an_answer_with_another_or_no_state_gets_400_and_the_real_answer_still_ends_the_wait() {
    for stray in [
        "code=x&state=wrong",
        "code=x",
        "error=access_denied&state=wrong",
        "error=access_denied",
        "state=wrong",
    ] {
        let listener = LoopbackListener::bind(None, PortChoice::Free).await.expect("bind");
        let address = listener.local_addr().expect("an address");
        let (pending, state) = sign_in_for(&listener);
        let cancel = CancellationToken::new();
        let stray_then_browser = async {
            let (status, body) =
                answer_at(address, &get_request(&format!("/callback?{stray}"))).await;
            assert_eq!(status, 400, "{stray}");
            assert!(body.contains(NOT_THIS_SIGN_IN), "{stray}: {body}");
            assert!(!body.contains("You can close this tab"), "{stray}: {body}");
            // The wait goes on: a second stray is answered too, then the real answer.
            assert_eq!(
                answer_at(address, &get_request(&format!("/callback?{stray}"))).await.0,
                400,
                "{stray}"
            );
            answer_at(address, &get_request(&format!("/callback?code=the-real-code&state={state}")))
                .await
        };
        let both = async {
            tokio::join!(listener.receive(&pending, TIMEOUT, &cancel), stray_then_browser)
        };
        let (result, (status, body)) =
            tokio::time::timeout(TIMEOUT, both).await.expect("the listener answered in time");
        assert_eq!(result.expect(stray).secret(), "the-real-code", "{stray}");
        assert_eq!(status, 200, "{stray}");
        assert!(body.contains("You can close this tab"), "{stray}: {body}");
        assert!(port_is_free(address.port()), "{stray}");
    }
}

#[tokio::test]
async fn the_sign_ins_own_denial_still_ends_the_wait_after_a_stray() {
    let listener = LoopbackListener::bind(None, PortChoice::Free).await.expect("bind");
    let address = listener.local_addr().expect("an address");
    let (pending, state) = sign_in_for(&listener);
    let cancel = CancellationToken::new();
    let stray_then_denial = async {
        assert_eq!(answer_at(address, &get_request("/callback?code=x&state=wrong")).await.0, 400);
        answer_at(address, &get_request(&format!("/callback?error=access_denied&error_description=The+resource+owner+denied&state={state}"))).await
    };
    let both =
        async { tokio::join!(listener.receive(&pending, TIMEOUT, &cancel), stray_then_denial) };
    let (result, (status, body)) =
        tokio::time::timeout(TIMEOUT, both).await.expect("the listener answered in time");
    match result {
        Err(EngineError::AuthorizationDenied { error, .. }) => assert_eq!(error, "access_denied"),
        other => panic!("expected access_denied, got {other:?}"),
    }
    assert_eq!(status, 400);
    assert!(body.contains("access_denied") && !body.contains(NOT_THIS_SIGN_IN), "{body}");
    assert!(port_is_free(address.port()));
}

#[tokio::test]
async fn nobody_coming_back_times_out_and_frees_the_port() {
    let sb = sandbox().await;
    let engine = engine();
    let browser = ScriptedBrowser::new(Person::Idle);
    let started = Instant::now();
    let err = engine
        .sign_in_with_loopback(
            &browser_target(&sb),
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &browser,
            Duration::from_secs(1),
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::TimedOut { seconds: 1 }), "{err:?}");
    assert!(err.to_string().contains("1 seconds"), "{err}");
    assert_eq!(err.kind(), ErrorKind::Local);
    assert!(started.elapsed() < Duration::from_secs(3));
    let port = redirect_uri_of(&browser.opened()[0]).port().unwrap();
    assert!(port_is_free(port), "port {port} is free after the timeout");
    // The browser did load the sign-in page.
    assert!(browser.finished().await.pages[0].1.contains("id=\"login-form\""));
}

#[tokio::test]
async fn cancel_ends_the_wait_and_frees_the_port() {
    let sb = sandbox().await;
    let engine = engine();
    let browser = ScriptedBrowser::new(Person::Idle);
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        canceller.cancel();
    });
    let started = Instant::now();
    let err = engine
        .sign_in_with_loopback(
            &browser_target(&sb),
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &browser,
            TIMEOUT,
            &cancel,
            &no_progress(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::Cancelled), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "ended by the cancel, not the timeout");
    assert!(port_is_free(redirect_uri_of(&browser.opened()[0]).port().unwrap()));
}

#[tokio::test]
async fn an_idle_connection_does_not_hold_up_the_answer_or_a_cancel() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);

    // Browsers open spare connections they may never use (preconnect). One sits idle while the
    // real answer arrives on another.
    let (opener, mut opened) = channel_opener();
    let (never, quiet) = (CancellationToken::new(), no_progress());
    let signing_in = engine.sign_in_with_loopback(&target, &c, &opener, TIMEOUT, &never, &quiet);
    let browser_side = async {
        let authorize = opened.recv().await.unwrap();
        let port = redirect_uri_of(&authorize).port().unwrap();
        let idle = tokio::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = Instant::now();
        let visit = ScriptedBrowser::new(Person::admin()).visit(&authorize).await;
        drop(idle);
        (visit, started.elapsed())
    };
    let (result, (visit, took)) = tokio::join!(signing_in, browser_side);
    result.expect("sign-in");
    assert!(visit.landing_page().1.contains("You can close this tab"));
    assert!(took < Duration::from_secs(3), "the answer waited {took:?} behind an idle connection");

    // And a cancel is not held up by one either.
    let (opener, mut opened) = channel_opener();
    let cancel = CancellationToken::new();
    let signing_in = engine.sign_in_with_loopback(&target, &c, &opener, TIMEOUT, &cancel, &quiet);
    let canceller = async {
        let port = redirect_uri_of(&opened.recv().await.unwrap()).port().unwrap();
        let idle = tokio::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        cancel.cancel();
        (idle, Instant::now())
    };
    let (result, (_idle, cancelled_at)) = tokio::join!(signing_in, canceller);
    assert!(matches!(result, Err(EngineError::Cancelled)), "{result:?}");
    assert!(
        cancelled_at.elapsed() < Duration::from_secs(2),
        "the cancel took {:?}",
        cancelled_at.elapsed()
    );
}

#[tokio::test]
async fn forty_idle_connections_do_not_keep_the_answer_out() {
    let listener = LoopbackListener::bind(None, PortChoice::Free).await.expect("bind");
    let address = listener.local_addr().expect("an address");
    let (pending, state) = sign_in_for(&listener);
    let cancel = CancellationToken::new();
    let idle_then_browser = async {
        // Connections that send nothing (another program's, or a flood of preconnects), more
        // than the listener reads at once.
        let mut idle = Vec::new();
        for _ in 0..40 {
            idle.push(
                tokio::net::TcpStream::connect(address).await.expect("connect an idle connection"),
            );
        }
        // Let the listener take them all in before the browser comes.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let started = Instant::now();
        let answer = answer_at(
            address,
            &get_request(&format!("/callback?code=the-real-code&state={state}")),
        )
        .await;
        (answer, started.elapsed(), idle)
    };
    let both =
        async { tokio::join!(listener.receive(&pending, TIMEOUT, &cancel), idle_then_browser) };
    let (result, ((status, body), took, _idle)) =
        tokio::time::timeout(Duration::from_secs(4), both)
            .await
            .expect("the answer was received within 4 s despite 40 idle connections");
    assert_eq!(result.expect("the answer").secret(), "the-real-code");
    assert_eq!(status, 200);
    assert!(body.contains("You can close this tab"), "{body}");
    assert!(took < Duration::from_secs(2), "the answer waited {took:?} behind idle connections");
    assert!(port_is_free(address.port()));
}

#[tokio::test]
async fn a_busy_registered_port_is_port_in_use() {
    let sb = sandbox().await;
    let taken = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let target = with_callback(browser_target(&sb), &format!("http://127.0.0.1:{port}/callback"));
    let err = engine()
        .sign_in_with_loopback(
            &target,
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &PanickingOpener,
            TIMEOUT,
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .unwrap_err();
    match &err {
        EngineError::PortInUse { port: p } => assert_eq!(*p, port),
        other => panic!("expected PortInUse, got {other:?}"),
    }
    assert!(err.to_string().contains(&format!("Port {port}")), "{err}");
    drop(taken);
}

#[tokio::test]
async fn a_registered_loopback_port_is_listened_on_exactly() {
    let sb = sandbox().await;
    let port = closed_port();
    let target = with_callback(browser_target(&sb), &format!("http://127.0.0.1:{port}/callback"));
    let browser = ScriptedBrowser::new(Person::admin());
    engine()
        .sign_in_with_loopback(
            &target,
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &browser,
            TIMEOUT,
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .expect("sign-in on the registered port");
    assert_eq!(
        redirect_uri_of(&browser.opened()[0]).as_str(),
        format!("http://127.0.0.1:{port}/callback")
    );
    assert!(port_is_free(port));
}

#[tokio::test]
async fn the_listener_listens_on_loopback_only() {
    let listener = LoopbackListener::bind(None, PortChoice::Free).await.expect("bind");
    let addr = listener.local_addr().expect("an address");
    assert!(addr.ip().is_loopback(), "{addr}");
    assert_eq!(listener.redirect_uri().host_str(), Some("127.0.0.1"));
    assert_eq!(listener.redirect_uri().port(), Some(addr.port()));
    // From this computer it answers...
    assert!(!refuses_connections(addr.port()));
    // ...from any other address of this computer it does not. (Connections to this machine's own
    // addresses never leave it.)
    let others = non_loopback_ipv4();
    for ip in &others {
        let result = std::net::TcpStream::connect_timeout(
            &SocketAddr::from((*ip, addr.port())),
            Duration::from_secs(2),
        );
        assert!(result.is_err(), "the listener answered on {ip}:{}", addr.port());
    }
    if others.is_empty() {
        eprintln!("no non-loopback IPv4 address on this machine; checked the bound address only");
    }
    drop(listener);
    assert!(port_is_free(addr.port()));
}

#[tokio::test]
async fn the_listener_stays_on_loopback_during_a_real_sign_in() {
    let sb = sandbox().await;
    let engine = engine();
    let (opener, mut opened) = channel_opener();
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);
    let (target, never, quiet) = (browser_target(&sb), CancellationToken::new(), no_progress());
    let signing_in = engine.sign_in_with_loopback(&target, &c, &opener, TIMEOUT, &never, &quiet);
    let probe = async {
        let authorize = opened.recv().await.unwrap();
        let port = redirect_uri_of(&authorize).port().unwrap();
        let reachable_elsewhere: Vec<_> = non_loopback_ipv4()
            .into_iter()
            .filter(|ip| {
                std::net::TcpStream::connect_timeout(
                    &SocketAddr::from((*ip, port)),
                    Duration::from_secs(2),
                )
                .is_ok()
            })
            .collect();
        let visit = ScriptedBrowser::new(Person::admin()).visit(&authorize).await;
        (reachable_elsewhere, visit)
    };
    let (result, (reachable_elsewhere, visit)) = tokio::join!(signing_in, probe);
    assert!(reachable_elsewhere.is_empty(), "reachable on {reachable_elsewhere:?}");
    result.expect("sign-in");
    assert_eq!(visit.landing_page().0, 200);
}

#[tokio::test]
async fn only_http_loopback_callbacks_can_be_listened_on() {
    for registered in [
        "https://127.0.0.1:8765/callback",
        "http://192.0.2.7:8765/callback",
        "http://example.test/callback",
    ] {
        let err = LoopbackListener::bind(Some(&Url::parse(registered).unwrap()), PortChoice::Free)
            .await
            .err()
            .expect(registered);
        assert!(
            matches!(&err, EngineError::MissingInput(t) if t.contains("paste mode")),
            "{registered}: {err:?}"
        );
    }
}

#[tokio::test]
async fn the_listener_answers_where_its_callback_address_points() {
    // Each loopback spelling a client may have registered: the browser goes to the address in
    // the redirect URI, so the listener must be there.
    let ipv6 = std::net::TcpListener::bind("[::1]:0").is_ok();
    for host in ["127.0.0.1", "[::1]"] {
        if host == "[::1]" && !ipv6 {
            eprintln!("no IPv6 loopback on this machine; skipping [::1]");
            continue;
        }
        let registered = Url::parse(&format!("http://{host}:{}/callback", closed_port())).unwrap();
        let listener =
            LoopbackListener::bind(Some(&registered), PortChoice::Free).await.expect(host);
        let uri = listener.redirect_uri().clone();
        assert_eq!(uri.host_str(), Some(host));
        let addr = uri.socket_addrs(|| None).unwrap()[0];
        assert!(addr.ip().is_loopback());
        assert!(
            std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok(),
            "nothing listens at {uri}, where the browser will go"
        );
    }
}

#[tokio::test]
async fn a_localhost_callback_is_answered_on_127_0_0_1_and_on_ipv6_loopback_with_one_port() {
    // Browsers resolve localhost to 127.0.0.1 or to ::1, so the listener must be on both.
    let ipv6 = std::net::TcpListener::bind("[::1]:0").is_ok();
    if !ipv6 {
        eprintln!("no IPv6 loopback on this machine; checking 127.0.0.1 only and skipping [::1]");
    }
    for ports in [PortChoice::Free, PortChoice::Registered] {
        // One sign-in answered on 127.0.0.1, one on [::1]; each time the other address is asked
        // for a favicon first, which gets a 404 without ending the wait.
        for (answered_on, other) in [
            (IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)),
            (IpAddr::V6(Ipv6Addr::LOCALHOST), IpAddr::V4(Ipv4Addr::LOCALHOST)),
        ] {
            if answered_on.is_ipv6() && !ipv6 {
                continue;
            }
            let registered =
                Url::parse(&format!("http://localhost:{}/callback", closed_port())).unwrap();
            let listener = LoopbackListener::bind(Some(&registered), ports)
                .await
                .unwrap_or_else(|e| panic!("{ports:?}: {e}"));
            let callback = listener.redirect_uri().clone();
            assert_eq!(callback.host_str(), Some("localhost"), "{ports:?}");
            let port = callback.port().expect("a port");
            if ports == PortChoice::Registered {
                assert_eq!(Some(port), registered.port(), "the registered port exactly");
            }
            let (pending, state) = sign_in_for(&listener);
            let cancel = CancellationToken::new();
            let browser = async {
                if other.is_ipv4() || ipv6 {
                    let (status, _) =
                        answer_at(SocketAddr::new(other, port), &get_request("/favicon.ico")).await;
                    assert_eq!(status, 404, "{ports:?}: {other}");
                }
                answer_at(
                    SocketAddr::new(answered_on, port),
                    &get_request(&format!("/callback?code=code-via-{answered_on}&state={state}")),
                )
                .await
            };
            let both =
                async { tokio::join!(listener.receive(&pending, TIMEOUT, &cancel), browser) };
            let (result, (status, body)) =
                tokio::time::timeout(TIMEOUT, both).await.expect("the listener answered in time");
            assert_eq!(
                *result.unwrap_or_else(|e| panic!("{ports:?} via {answered_on}: {e}")).secret(),
                format!("code-via-{answered_on}")
            );
            assert_eq!(status, 200, "{ports:?} via {answered_on}");
            assert!(body.contains("You can close this tab"), "{body}");
            assert!(port_is_free(port), "127.0.0.1:{port} is free again");
            if ipv6 {
                assert!(
                    std::net::TcpListener::bind((Ipv6Addr::LOCALHOST, port)).is_ok(),
                    "[::1]:{port} is free again"
                );
            }
        }
    }
}

struct FailingOpener(std::sync::Mutex<Option<Url>>);

impl engine::session::BrowserOpener for FailingOpener {
    fn open(&self, url: &Url) -> Result<(), String> {
        *self.0.lock().unwrap() = Some(url.clone());
        Err("no browser found".into())
    }
}

#[tokio::test]
async fn a_browser_that_cannot_be_opened_is_reported_and_the_port_freed() {
    let sb = sandbox().await;
    let opener = FailingOpener(std::sync::Mutex::new(None));
    let err = engine()
        .sign_in_with_loopback(
            &browser_target(&sb),
            &creds(sandbox::BROWSER_CLIENT_SECRET),
            &opener,
            TIMEOUT,
            &CancellationToken::new(),
            &no_progress(),
        )
        .await
        .unwrap_err();
    assert!(matches!(&err, EngineError::BrowserOpen(m) if m == "no browser found"), "{err:?}");
    assert!(err.to_string().contains("open it yourself"), "{err}");
    let url = opener.0.lock().unwrap().clone().unwrap();
    assert!(port_is_free(redirect_uri_of(&url).port().unwrap()));
}
