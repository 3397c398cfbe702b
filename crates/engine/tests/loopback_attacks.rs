//! The one-shot loopback listener under pressure: strays and forgeries, a second answer, timeouts,
//! cancels, a busy port, and the rule that it is reachable from this computer only.

mod common;

use common::*;
use engine::oauth::loopback::{LoopbackListener, PortChoice};
use engine::{EngineError, ErrorKind};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;
use url::Url;

const TIMEOUT: Duration = Duration::from_secs(10);

/// Sends raw bytes to 127.0.0.1:`port` and returns the status code of the answer.
async fn raw_request(port: u16, request: &str) -> u16 {
    let mut stream = tokio::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await.expect("connect to the listener");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await.expect("an answer in time").unwrap();
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"))
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
        assert_eq!(get(&format!("http://127.0.0.1:{port}/callback/extra?code=x")).await.unwrap().0, 404);
        assert_eq!(raw_request(port, "POST /callback?code=x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n").await, 400);
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
        .sign_in_with_loopback(&browser_target(&sb), &creds(sandbox::BROWSER_CLIENT_SECRET), &browser, TIMEOUT, &CancellationToken::new(), &no_progress())
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
async fn a_forged_callback_is_a_state_mismatch_and_the_browser_sees_an_error_page() {
    let sb = sandbox().await;
    let engine = engine();
    let target = browser_target(&sb);
    let (opener, mut opened) = channel_opener();
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);
    let (never, quiet) = (CancellationToken::new(), no_progress());
    let signing_in = engine.sign_in_with_loopback(&target, &c, &opener, TIMEOUT, &never, &quiet);
    let attacker = async {
        let callback = redirect_uri_of(&opened.recv().await.unwrap());
        // Another page in the browser makes it load the callback with the attacker's own code.
        let forged = format!("{callback}?code=attackers-code&state=guessed");
        (callback, get(&forged).await.expect("the listener answers"))
    };
    let (result, (callback, (status, body))) = tokio::join!(signing_in, attacker);
    let err = result.unwrap_err();
    assert!(matches!(err, EngineError::StateMismatch), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::AuthRefused);
    assert_eq!(status, 400);
    assert!(body.contains("state") && body.contains("Start the sign-in again"), "{body}");
    assert!(!body.contains("You can close this tab"));
    assert_eq!(engine.stored_tokens(&target).unwrap(), None, "nothing was exchanged");
    assert!(port_is_free(callback.port().unwrap()));
}

#[tokio::test]
async fn a_forged_error_callback_is_a_state_mismatch_too() {
    let sb = sandbox().await;
    let engine = engine();
    let (opener, mut opened) = channel_opener();
    let c = creds(sandbox::BROWSER_CLIENT_SECRET);
    let (target, never, quiet) = (browser_target(&sb), CancellationToken::new(), no_progress());
    let signing_in = engine.sign_in_with_loopback(&target, &c, &opener, TIMEOUT, &never, &quiet);
    let attacker = async {
        let callback = redirect_uri_of(&opened.recv().await.unwrap());
        get(&format!("{callback}?error=access_denied")).await.unwrap()
    };
    let (result, (status, _)) = tokio::join!(signing_in, attacker);
    assert!(matches!(result, Err(EngineError::StateMismatch)), "{result:?}");
    assert_eq!(status, 400);
}

#[tokio::test]
async fn nobody_coming_back_times_out_and_frees_the_port() {
    let sb = sandbox().await;
    let engine = engine();
    let browser = ScriptedBrowser::new(Person::Idle);
    let started = Instant::now();
    let err = engine
        .sign_in_with_loopback(&browser_target(&sb), &creds(sandbox::BROWSER_CLIENT_SECRET), &browser, Duration::from_secs(1), &CancellationToken::new(), &no_progress())
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
        .sign_in_with_loopback(&browser_target(&sb), &creds(sandbox::BROWSER_CLIENT_SECRET), &browser, TIMEOUT, &cancel, &no_progress())
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
    assert!(cancelled_at.elapsed() < Duration::from_secs(2), "the cancel took {:?}", cancelled_at.elapsed());
}

#[tokio::test]
async fn a_busy_registered_port_is_port_in_use() {
    let sb = sandbox().await;
    let taken = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let target = with_callback(browser_target(&sb), &format!("http://127.0.0.1:{port}/callback"));
    let err = engine()
        .sign_in_with_loopback(&target, &creds(sandbox::BROWSER_CLIENT_SECRET), &PanickingOpener, TIMEOUT, &CancellationToken::new(), &no_progress())
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
        .sign_in_with_loopback(&target, &creds(sandbox::BROWSER_CLIENT_SECRET), &browser, TIMEOUT, &CancellationToken::new(), &no_progress())
        .await
        .expect("sign-in on the registered port");
    assert_eq!(redirect_uri_of(&browser.opened()[0]).as_str(), format!("http://127.0.0.1:{port}/callback"));
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
        let result = std::net::TcpStream::connect_timeout(&SocketAddr::from((*ip, addr.port())), Duration::from_secs(2));
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
            .filter(|ip| std::net::TcpStream::connect_timeout(&SocketAddr::from((*ip, port)), Duration::from_secs(2)).is_ok())
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
    for registered in ["https://127.0.0.1:8765/callback", "http://192.0.2.7:8765/callback", "http://example.test/callback"] {
        let err = LoopbackListener::bind(Some(&Url::parse(registered).unwrap()), PortChoice::Free).await.err().expect(registered);
        assert!(matches!(&err, EngineError::MissingInput(t) if t.contains("paste mode")), "{registered}: {err:?}");
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
        let listener = LoopbackListener::bind(Some(&registered), PortChoice::Free).await.expect(host);
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
        .sign_in_with_loopback(&browser_target(&sb), &creds(sandbox::BROWSER_CLIENT_SECRET), &opener, TIMEOUT, &CancellationToken::new(), &no_progress())
        .await
        .unwrap_err();
    assert!(matches!(&err, EngineError::BrowserOpen(m) if m == "no browser found"), "{err:?}");
    assert!(err.to_string().contains("open it yourself"), "{err}");
    let url = opener.0.lock().unwrap().clone().unwrap();
    assert!(port_is_free(redirect_uri_of(&url).port().unwrap()));
}
