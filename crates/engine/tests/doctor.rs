//! The connection check against the real sandbox (every step passes) and against loopback
//! servers that break one step each: a refused port, TLS from an unknown authority and from one
//! named like a TLS-inspection product, a proxy that wants a sign-in, a server that never
//! answers the handshake, a skewed clock, and a `/v1/me` that answers without a token.

use crate::common;
use crate::doctor_support::{self as support, LookAlike};
use engine::diagnose::codes;
use engine::doctor::{self, CheckSettings, Outcome, ProxyChoice, ProxyVars, Report, Step, StepId};
use std::time::Duration;

/// No proxy at all, whatever this process's environment says.
fn direct() -> CheckSettings {
    CheckSettings {
        step_timeout: Duration::from_secs(5),
        proxy: ProxyChoice::Given(ProxyVars::default()),
    }
}

/// Runs the check; a walk that does not end within a minute fails the test (it must never hang).
async fn run(endpoints: &engine::Endpoints, settings: &CheckSettings) -> Report {
    tokio::time::timeout(Duration::from_secs(60), doctor::check(endpoints, settings))
        .await
        .expect("the connection check ends")
}

fn step(report: &Report, id: StepId) -> &Step {
    report.steps.iter().find(|s| s.id == id).expect("the step is in the report")
}

fn outcomes(report: &Report) -> Vec<(StepId, Outcome)> {
    report.steps.iter().map(|s| (s.id, s.outcome)).collect()
}

fn code_of(step: &Step) -> &'static str {
    step.diagnosis.as_ref().map(|d| d.code).unwrap_or("(none)")
}

#[tokio::test]
async fn the_sandbox_passes_every_step() {
    let sb = common::sandbox().await;
    let report = run(&common::endpoints(&sb), &direct()).await;
    use Outcome::*;
    use StepId::*;
    assert_eq!(
        outcomes(&report),
        vec![
            (Names, Pass),
            (Connect, Pass),
            (Proxy, Pass),
            (Tls, Skipped),
            (TokenEndpoint, Pass),
            (Clock, Pass),
            (Api, Pass)
        ],
        "{report:#?}"
    );
    assert!(report.passed);
    assert_eq!(step(&report, Tls).detail, "skipped (plain HTTP on this computer)");
    assert!(step(&report, TokenEndpoint).detail.contains("invalid_client"), "{report:#?}");
    assert!(step(&report, Api).detail.contains("401"), "{report:#?}");
    assert!(step(&report, Proxy).detail.starts_with("none"), "{report:#?}");
    assert!(report.steps.iter().all(|s| s.diagnosis.is_none()));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_refused_port_fails_the_connection_with_its_fix() {
    let port = common::closed_port();
    assert!(common::refuses_connections(port));
    let endpoints = support::endpoints_at(&format!("http://127.0.0.1:{port}"));
    let report = run(&endpoints, &direct()).await;
    let connect = step(&report, StepId::Connect);
    assert_eq!(connect.outcome, Outcome::Fail, "{report:#?}");
    assert_eq!(code_of(connect), codes::NET_CONNECTION_REFUSED);
    assert!(connect.detail.contains("refused"), "{}", connect.detail);
    let d = connect.diagnosis.as_ref().unwrap();
    assert!(d.what_to_do.iter().any(|s| s.contains("port")), "{d:#?}");
    assert_eq!(step(&report, StepId::Names).outcome, Outcome::Pass);
    for later in [StepId::Proxy, StepId::Tls, StepId::TokenEndpoint, StepId::Clock, StepId::Api] {
        assert_eq!(step(&report, later).outcome, Outcome::Skipped, "{later:?}: {report:#?}");
    }
    assert!(!report.passed);
}

#[tokio::test]
async fn an_unknown_issuer_is_named() {
    let port = support::tls_server("unknown").await;
    let endpoints = support::endpoints_at(&format!("https://127.0.0.1:{port}"));
    let report = run(&endpoints, &direct()).await;
    let tls = step(&report, StepId::Tls);
    assert_eq!(tls.outcome, Outcome::Fail, "{report:#?}");
    assert_eq!(code_of(tls), codes::NET_TLS_UNTRUSTED_CERTIFICATE);
    assert!(tls.detail.contains("Northwind Test Root CA"), "{}", tls.detail);
    let d = tls.diagnosis.as_ref().unwrap();
    assert!(d.what_happened[0].contains("Northwind Test Root CA"), "{d:#?}");
    assert_eq!(step(&report, StepId::Connect).outcome, Outcome::Pass);
    assert_eq!(step(&report, StepId::TokenEndpoint).outcome, Outcome::Skipped);
    assert!(!report.passed);
}

#[tokio::test]
async fn a_tls_inspection_issuer_is_named_with_what_to_do() {
    let port = support::tls_server("inspection").await;
    let endpoints = support::endpoints_at(&format!("https://127.0.0.1:{port}"));
    let report = run(&endpoints, &direct()).await;
    let tls = step(&report, StepId::Tls);
    assert_eq!(tls.outcome, Outcome::Fail, "{report:#?}");
    assert_eq!(code_of(tls), codes::CHECK_TLS_INSPECTION);
    assert!(tls.detail.contains("Zscaler Root CA"), "{}", tls.detail);
    let d = tls.diagnosis.as_ref().unwrap();
    assert!(d.title.contains("Zscaler"), "{}", d.title);
    assert!(d.what_to_do.iter().any(|s| s.contains("root certificate")), "{d:#?}");
    assert!(d.what_to_do.iter().any(|s| s.contains("IT")), "{d:#?}");
}

#[tokio::test]
async fn a_proxy_that_wants_a_sign_in_is_said_so() {
    let proxy = support::sign_in_proxy().await;
    // The server behind it is never reached: the proxy refuses the tunnel first.
    let endpoints = support::endpoints_at("https://app.example.invalid");
    let settings = CheckSettings {
        proxy: ProxyChoice::Given(ProxyVars {
            all: Some(format!("http://127.0.0.1:{proxy}")),
            ..ProxyVars::default()
        }),
        ..direct()
    };
    let report = run(&endpoints, &settings).await;
    let names = step(&report, StepId::Names);
    assert_eq!(names.outcome, Outcome::Pass, "{report:#?}");
    assert!(names.detail.contains("the proxy"), "{}", names.detail);
    assert_eq!(step(&report, StepId::Connect).outcome, Outcome::Pass, "{report:#?}");
    let p = step(&report, StepId::Proxy);
    assert_eq!(p.outcome, Outcome::Fail, "{report:#?}");
    assert_eq!(code_of(p), codes::NET_PROXY_AUTH_REQUIRED);
    assert!(p.detail.contains("407") && p.detail.contains("wants a sign-in"), "{}", p.detail);
    assert_eq!(step(&report, StepId::Tls).outcome, Outcome::Skipped);
    assert!(!report.passed);
}

#[tokio::test]
async fn a_silent_server_fails_the_handshake_within_the_step_limit() {
    let port = support::silent_server().await;
    let endpoints = support::endpoints_at(&format!("https://127.0.0.1:{port}"));
    let settings = CheckSettings { step_timeout: Duration::from_secs(1), ..direct() };
    let report = run(&endpoints, &settings).await;
    let tls = step(&report, StepId::Tls);
    assert_eq!(tls.outcome, Outcome::Fail, "{report:#?}");
    assert_eq!(code_of(tls), codes::NET_TIMEOUT_NO_ANSWER);
    assert!(tls.detail.contains("within 1 s"), "{}", tls.detail);
}

#[tokio::test]
async fn a_clock_ten_minutes_off_fails_the_clock_step() {
    let base = support::look_alike(LookAlike { clock_offset: 600, me_status: 401 }).await;
    let report = run(&support::endpoints_at(&base), &direct()).await;
    let clock = step(&report, StepId::Clock);
    assert_eq!(clock.outcome, Outcome::Fail, "{report:#?}");
    assert_eq!(code_of(clock), codes::CHECK_CLOCK_SKEW);
    assert!(clock.detail.contains("(about 10 minutes) behind the server's"), "{}", clock.detail);
    let d = clock.diagnosis.as_ref().unwrap();
    assert!(d.what_to_do.iter().any(|s| s.contains("date and time")), "{d:#?}");
    // The rest of the path is fine.
    assert_eq!(step(&report, StepId::TokenEndpoint).outcome, Outcome::Pass, "{report:#?}");
    assert_eq!(step(&report, StepId::Api).outcome, Outcome::Pass, "{report:#?}");
    assert!(!report.passed);

    // A clock within the tolerance passes.
    let base = support::look_alike(LookAlike { clock_offset: -90, me_status: 401 }).await;
    let report = run(&support::endpoints_at(&base), &direct()).await;
    let clock = step(&report, StepId::Clock);
    assert_eq!(clock.outcome, Outcome::Pass, "{report:#?}");
    assert!(clock.detail.contains("ahead"), "{}", clock.detail);
    assert!(report.passed, "{report:#?}");
}

#[tokio::test]
async fn a_v1_me_that_answers_without_a_token_fails_the_api_step() {
    let base = support::look_alike(LookAlike { clock_offset: 0, me_status: 200 }).await;
    let report = run(&support::endpoints_at(&base), &direct()).await;
    let api = step(&report, StepId::Api);
    assert_eq!(api.outcome, Outcome::Fail, "{report:#?}");
    assert_eq!(code_of(api), codes::CHECK_API_UNPROTECTED);
    assert!(api.detail.contains("200"), "{}", api.detail);
    assert_eq!(step(&report, StepId::TokenEndpoint).outcome, Outcome::Pass);
    assert!(!report.passed);
}

#[tokio::test]
async fn a_name_that_does_not_resolve_fails_name_resolution() {
    let endpoints = support::endpoints_at("https://app.scopestack.invalid");
    let report = run(&endpoints, &direct()).await;
    let names = step(&report, StepId::Names);
    assert_eq!(names.outcome, Outcome::Fail, "{report:#?}");
    assert_eq!(code_of(names), codes::NET_DNS);
    assert_eq!(step(&report, StepId::Connect).outcome, Outcome::Skipped);
}
