//! Starting, addressing and stopping a sandbox.

use std::time::Duration;

use crate::common::*;
use sandbox::{Sandbox, SandboxConfig, SandboxError};

#[test]
fn handles_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Sandbox>();
    assert_send_sync::<SandboxError>();
    assert_send_sync::<sandbox::DemoData>();
}

#[test]
fn default_config() {
    let c = SandboxConfig::default();
    assert_eq!(c.port, 0);
    assert_eq!(c.token_lifetime, Duration::from_secs(7200));
    assert_eq!(c.code_lifetime, Duration::from_secs(600));
}

#[tokio::test]
async fn binds_loopback_on_a_free_port_and_reports_its_url() {
    let sb = start().await;
    let addr = sb.addr();
    assert!(addr.ip().is_loopback());
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    assert_ne!(addr.port(), 0);
    assert_eq!(sb.base_url(), format!("http://127.0.0.1:{}", addr.port()));
    assert!(!sb.base_url().ends_with('/'));
    let resp = http().get(format!("{}/v1/me", sb.base_url())).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let other = start().await;
    assert_ne!(other.addr().port(), addr.port());
}

#[tokio::test]
async fn a_busy_port_is_a_clear_error_and_shutdown_frees_it() {
    let first = start().await;
    let port = first.addr().port();
    let config = SandboxConfig { port, ..SandboxConfig::default() };
    let err = Sandbox::start(config.clone()).await.unwrap_err();
    assert!(matches!(err, SandboxError::PortInUse { port: p } if p == port), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&port.to_string()), "{message}");
    assert!(message.contains("already in use"), "{message}");
    assert!(message.contains("port 0"), "{message}");

    // A request in flight keeps a connection open; shutdown still completes.
    let _ = http().get(format!("{}/v1/me", first.base_url())).send().await.unwrap();
    first.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err(),
        "nothing listens any more"
    );

    let second = Sandbox::start(config).await.expect("the port is free again");
    assert_eq!(second.addr().port(), port);
    let resp = http().get(format!("{}/v1/me", second.base_url())).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    second.shutdown().await;
}

#[tokio::test]
async fn dropping_a_sandbox_stops_it() {
    let sb = start().await;
    let port = sb.addr().port();
    drop(sb);
    let mut closed = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(closed);
}

#[tokio::test]
async fn sandboxes_do_not_share_state() {
    let a = start().await;
    let b = start().await;
    let token = admin_token(&a).await;
    assert_eq!(api_get(&a, "/v1/me", &token).await.status(), 200);
    assert_eq!(api_get(&b, "/v1/me", &token).await.status(), 401);
}
