//! Request tester figures against an in-process sandbox, for 1, 10 and 50 MB sample-records
//! bodies: time to headers, total receive time, jaq `.data | length`, `serde_json::from_slice` of
//! the same bytes, and the body viewer's pretty-printed, line-indexed text (`TextViews::open`).
//! Medians of a few runs.
//!
//! Run: `cargo run --release -p engine --example bench_requests`

use engine::profiles::{
    CallbackSettings, ClientAuth, Endpoints, Environment, Method, Profile, ProfileId,
};
use engine::requests::{self as rq, JqLimits, RequestSpec};
use engine::session::{Credentials, Engine, Target};
use engine::vault::Vault;
use engine::Secret;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const RUNS: usize = 3;

/// Peak resident memory so far, MiB (Linux; 0 elsewhere).
fn peak_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sandbox =
        sandbox::Sandbox::start(sandbox::SandboxConfig::default()).await.expect("sandbox");
    let base = url::Url::parse(&sandbox.base_url()).unwrap();
    let endpoints = Endpoints::for_base(&base).unwrap();
    let target = Target {
        profile: Profile {
            id: ProfileId::new("bench"),
            name: "bench".into(),
            account_kind: engine::AccountKind::Test,
            environment: Environment::Server(endpoints.clone()),
            method: Method::ClientCredentials,
            client_id: sandbox::SERVICE_CLIENT_ID.into(),
            username: String::new(),
            scope: "read write".into(),
            client_auth: ClientAuth::Body,
            callback: CallbackSettings::default(),
        },
        endpoints,
    };
    let http = engine::http::client(engine::http::HttpSettings {
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(60),
    })
    .unwrap();
    let engine = Engine::new(Vault::session_only(), http);
    let creds = Credentials {
        client_secret: Some(Secret::new(sandbox::SERVICE_CLIENT_SECRET)),
        password: None,
    };
    engine.obtain_direct(&target, &creds).await.expect("token");
    let store = rq::ExchangeStore::new();
    let cancel = CancellationToken::new();
    let vars = HashMap::from([("account-slug".to_string(), sandbox::ACCOUNT_SLUG.to_string())]);

    println!("request tester, in-process sandbox, release build, medians of {RUNS} runs");
    println!("{:>6} {:>9} | {:>10} {:>10} {:>9} | {:>10} {:>10} | {:>10} {:>12} | {:>10} | {:>12} {:>11}", "size", "encoding", "headers", "receive", "MB/s", "jaq", "jaq total", "serde_json", "records", "pretty", "wire", "peak RSS");
    for mb in [1u64, 10, 50] {
        for encoding in ["identity", "gzip", "br"] {
            let bytes = mb * 1_000_000;
            let spec = RequestSpec::get("{account-slug}/v1/sample-records")
                .with_query("bytes", &bytes.to_string())
                .with_header("Accept-Encoding", encoding);
            let (mut ttfb, mut total, mut jaq, mut jaq_wall, mut serde, mut pretty) =
                (vec![], vec![], vec![], vec![], vec![], vec![]);
            let mut records = String::new();
            let mut wire = 0;
            for _ in 0..RUNS {
                let r =
                    rq::send(&engine, &target, &spec, &vars, &store, &cancel).await.expect("send");
                assert_eq!(r.sizes.decoded, bytes);
                wire = r.sizes.wire;
                ttfb.push(r.timings.ttfb_ms);
                total.push(r.timings.total_ms);
                let started = Instant::now();
                let out = rq::jq::run(&store, r.id, ".data | length", JqLimits::default())
                    .await
                    .expect("jq");
                jaq_wall.push(started.elapsed().as_secs_f64() * 1000.0);
                jaq.push(out.elapsed_ms);
                records = out.text;
                let body = store.body(r.id).unwrap().read_all(u64::MAX).unwrap();
                let started = Instant::now();
                let value: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
                serde.push(started.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(value["data"].as_array().unwrap().len().to_string(), records);
                let started = Instant::now();
                let doc =
                    rq::TextViews::new().open(&store, r.id, rq::TextMode::Pretty).expect("pretty");
                pretty.push(started.elapsed().as_secs_f64() * 1000.0);
                assert!(doc.line_count() > value["data"].as_array().unwrap().len() as u64);
                store.remove(r.id);
            }
            let receive = median(total.clone());
            println!(
                "{:>4}MB {:>9} | {:>8.1}ms {:>8.1}ms {:>9.0} | {:>8.1}ms {:>8.1}ms | {:>8.1}ms {:>12} | {:>8.1}ms | {:>9.0} KB {:>7} MiB",
                mb,
                encoding,
                median(ttfb),
                receive,
                bytes as f64 / 1e6 / (receive / 1000.0),
                median(jaq),
                median(jaq_wall),
                median(serde),
                records,
                median(pretty),
                wire as f64 / 1e3,
                peak_mib()
            );
        }
    }
    println!("headers: request sent -> status and headers; receive: -> last body byte (decoded, stored);");
    println!("jaq: parse + filter inside the blocking task; jaq total: also reading the body back from memory or disk.");
    println!("pretty: the body viewer's text: checked, re-indented and line-indexed (to a temporary file past 4 MB).");
    println!("peak RSS: the process's peak so far (sandbox, jaq and serde_json values included).");
}
