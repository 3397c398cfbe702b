//! Benchmark of the response body viewer in the real window: for 1, 10 and 50 MB JSON:API
//! bodies, the time from the Body tab asking for the body to a pretty, searchable view on
//! screen, beside `JSON.parse` of the same text in the same webview, and the app's memory (PSS
//! of the app and its WebKit processes). Prints figures; asserts nothing.
//!
//! ```sh
//! cargo build --release && (cd ui && npm run build)
//! SCOPESTACK_APP_BIN=target/release/scopestack-companion \
//!   bash scripts/with-test-services cargo run --release -p e2e --example bench_body_view
//! ```
//! Without `SCOPESTACK_APP_BIN` it measures the debug build.

use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const SLOW: Duration = Duration::from_secs(300);
const SIZES_MB: [u64; 3] = [1, 10, 50];
const ROUNDS: usize = 5;

#[tokio::main]
async fn main() {
    let app = AppSession::launch_with_sandbox_token("bench-view").await.unwrap();
    let idle = memory_mb(&app);
    println!(
        "app: {}",
        std::env::var("SCOPESTACK_APP_BIN")
            .unwrap_or_else(|_| "target/debug/scopestack-companion".into())
    );

    // First every view (memory is read with each view open), then every JSON.parse: what
    // JSON.parse leaves in the page would otherwise count as the viewer's memory.
    let mut rows = Vec::new();
    for mb in SIZES_MB {
        let rounds: Vec<Round> = {
            let mut v = Vec::new();
            for _ in 0..ROUNDS {
                v.push(one_round(&app, mb).await);
            }
            v
        };
        rows.push((mb, rounds));
    }
    println!("body  | view ready (median of {ROUNDS})     | of which in Rust | (again) | JSON.parse (median)       | ratio | app memory with the view open (PSS)");
    for (mb, rounds) in &rows {
        let mut parses = Vec::new();
        for round in rounds {
            parses.push(parse_in_page(&app, round.id).await);
        }
        let pick = |f: fn(&Round) -> f64| -> Vec<f64> { rounds.iter().map(f).collect() };
        let (mut views, mut opens, mut agains, mut memory) =
            (pick(|r| r.view_ms), pick(|r| r.open_ms), pick(|r| r.again_ms), pick(|r| r.memory_mb));
        let (view, open, parse) = (median(&mut views), median(&mut opens), median(&mut parses));
        println!(
            "{mb:>3} MB | {view:>8.1} ms {views:<22} | {open:>8.1} ms     | {:>4.1} ms | {parse:>6.1} ms {parses:<17} | {:>4.2}× | {:.0} MB",
            median(&mut agains),
            view / parse,
            median(&mut memory),
            views = format!("{views:.0?}"),
            parses = format!("{parses:.0?}"),
        );
    }
    println!("view ready: from the Body tab asking (mark body-view-start) to the first screen in the page (body-view-ready);");
    println!("of which in Rust: until the engine's pretty, indexed text and its first lines arrived (body-view-opened);");
    println!("(again): that call once more with the text made, from the page: the IPC round trip and the first lines.");
    println!("JSON answers up to 10 MB are pretty-printed in the background as they arrive; larger ones when the Body tab asks.");
    println!("app memory with a token and no body: {idle:.0} MB");
    app.close().await;
}

struct Round {
    id: u64,
    view_ms: f64,
    open_ms: f64,
    /// The open call once more, with the document made: the IPC round trip and the first lines.
    again_ms: f64,
    memory_mb: f64,
}

/// Sends one request for a body of `mb` MB, opens it in the Body tab, and returns the time to
/// a ready view and the app's memory then.
async fn one_round(app: &AppSession, mb: u64) -> Round {
    let bytes = mb * 1024 * 1024;
    // Start on the JSON:API tab of the previous answer, so the Body tab is asked anew.
    app.type_into(
        "input[name=request_url]",
        &format!("{{account-slug}}/v1/sample-records?bytes={bytes}"),
        WAIT,
    )
    .await
    .unwrap();
    app.click_on("[data-testid=send]", WAIT).await.unwrap();
    let id = wait_for_new_exchange(app).await;
    // As a person would: the JSON:API tab (the default for these answers) is on screen first.
    if bytes <= engine_view_limit() {
        app.wait_for("[data-testid=jsonapi-view]", SLOW).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.click_on("[data-testid=response] .tabs button:nth-child(2)", WAIT).await.unwrap();
    if bytes > 10 * 1024 * 1024 {
        app.click_on("[data-testid=show-anyway]", WAIT).await.unwrap();
    }
    let ready = format!("body-view-ready-{id}");
    let deadline = std::time::Instant::now() + SLOW;
    let (view_ms, open_ms) = loop {
        assert!(std::time::Instant::now() < deadline, "no body-view marks for exchange {id} within {SLOW:?}: is the app's UI older than this benchmark?");
        let v = app
            .execute(&format!(
                "const at = (n) => performance.getEntriesByName(n).pop(); const s = at('body-view-start-{id}'), o = at('body-view-opened-{id}'), r = at('{ready}'); return s && o && r ? [r.startTime - s.startTime, o.startTime - s.startTime] : null;"
            ))
            .await
            .unwrap();
        if let (Some(view), Some(open)) = (v[0].as_f64(), v[1].as_f64()) {
            break (view, open);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    app.wait_for_text("[data-testid=response-body]", "sample-records", SLOW).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let memory_mb = memory_mb(app);
    // The floor under "of which in Rust": the same call again, the document already made.
    let again = app
        .execute(&format!(
            "window.__again = null; const t0 = performance.now(); window.__TAURI_INTERNALS__.invoke('open_text_view', {{ exchange: {id}, mode: 'pretty', headOver: 1048576 }}).then(() => window.__again = performance.now() - t0); return null;"
        ))
        .await;
    let mut again_ms = f64::NAN;
    if again.is_ok() {
        for _ in 0..100 {
            if let Some(ms) = app.execute("return window.__again").await.unwrap().as_f64() {
                again_ms = ms;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    Round { id, view_ms, open_ms, again_ms, memory_mb }
}

/// The time `JSON.parse` takes in the page on the text of exchange `id`: the text is fetched
/// whole first (not timed), then parsed (timed); the page keeps the figure in a global, which is
/// polled (the driver's synchronous scripts do not wait for promises).
async fn parse_in_page(app: &AppSession, id: u64) -> f64 {
    app.execute(&format!(
        r#"
        window.__parse = null;
        const invoke = window.__TAURI_INTERNALS__.invoke;
        (async () => {{
          const parts = [];
          let offset = 0;
          for (;;) {{
            const c = await invoke('read_body', {{ exchange: {id}, pretty: false, offset }});
            parts.push(c.text);
            if (c.next_offset >= c.total || c.next_offset <= offset) break;
            offset = c.next_offset;
          }}
          const text = parts.join('');
          const t0 = performance.now();
          const doc = JSON.parse(text);
          window.__parse = doc.data.length > 0 ? performance.now() - t0 : -1;
        }})();
        "#
    ))
    .await
    .unwrap();
    let deadline = std::time::Instant::now() + SLOW;
    loop {
        assert!(std::time::Instant::now() < deadline, "JSON.parse did not finish within {SLOW:?}");
        if let Some(ms) = app.execute("return window.__parse").await.unwrap().as_f64() {
            return ms;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for the answer of the request just sent, and returns its exchange id.
async fn wait_for_new_exchange(app: &AppSession) -> u64 {
    let before = app.execute("return performance.getEntriesByType('mark').filter(m => m.name.startsWith('response-arrived-')).length").await.unwrap().as_u64().unwrap_or(0);
    let deadline = std::time::Instant::now() + SLOW;
    loop {
        let v = app
            .execute("const m = performance.getEntriesByType('mark').filter(m => m.name.startsWith('response-arrived-')); return [m.length, m.length ? Number(m[m.length - 1].name.split('-').pop()) : 0];")
            .await
            .unwrap();
        if v[0].as_u64().unwrap_or(0) > before {
            return v[1].as_u64().unwrap_or(0);
        }
        assert!(std::time::Instant::now() < deadline, "no answer within {SLOW:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The largest body the JSON:API tab shows as a table (engine `jsonapi::MAX_VIEW_BYTES`).
fn engine_view_limit() -> u64 {
    32 * 1024 * 1024
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// PSS (MB) of the app process and every process under it (WebKit's web and network
/// processes), found by walking /proc from the processes named like the app binary.
fn memory_mb(_app: &AppSession) -> f64 {
    let name = std::env::var("SCOPESTACK_APP_BIN")
        .ok()
        .and_then(|p| {
            std::path::Path::new(&p).file_name().map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "scopestack-companion".into());
    let procs = processes();
    let roots: Vec<u32> = procs
        .iter()
        .filter(|p| p.comm.starts_with(&name[..name.len().min(15)]))
        .map(|p| p.pid)
        .collect();
    let mut total_kb = 0u64;
    let mut queue = roots.clone();
    let mut seen = std::collections::HashSet::new();
    while let Some(pid) = queue.pop() {
        if !seen.insert(pid) {
            continue;
        }
        total_kb += pss_kb(pid);
        queue.extend(procs.iter().filter(|p| p.ppid == pid).map(|p| p.pid));
    }
    total_kb as f64 / 1024.0
}

struct Proc {
    pid: u32,
    ppid: u32,
    comm: String,
}

fn processes() -> Vec<Proc> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return out };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // pid (comm) state ppid …; comm may hold spaces, so split at the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let comm = stat[open + 1..close].to_string();
        let ppid = stat[close + 2..].split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        out.push(Proc { pid, ppid, comm });
    }
    out
}

fn pss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}
