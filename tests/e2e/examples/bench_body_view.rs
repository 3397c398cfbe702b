//! Benchmark of the response body viewer in the real window: for 1, 10 and 50 MB JSON:API
//! bodies, the time from the Body tab asking for the body to a pretty, searchable view on
//! screen, beside `JSON.parse` of the same text in the same webview, and the app's memory (PSS
//! of the app and its WebKit processes): idle, with a 50 MB answer open (its JSON:API table and
//! its Body), and after its tab is closed. Prints figures; asserts nothing.
//!
//! ```sh
//! cargo build --release && (cd ui && npm run build)
//! SCOPESTACK_APP_BIN=target/release/scopestack-companion \
//!   bash scripts/with-test-services cargo run --release -p e2e --example bench_body_view
//! ```
//! Without `SCOPESTACK_APP_BIN` it measures the debug build. `BENCH_MEMORY_MB=N` opens an N MB
//! answer for the memory figures (50), `BENCH_MEMORY_ONLY=1` stops after them, and
//! `BENCH_SMAPS=DIR` keeps the app process's /proc/PID/smaps at idle and after closing in DIR.

use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const SLOW: Duration = Duration::from_secs(300);
const SIZES_MB: [u64; 3] = [1, 10, 50];
const ROUNDS: usize = 9;

#[tokio::main]
async fn main() {
    let app = AppSession::launch_with_sandbox_token("bench-view").await.unwrap();
    app.click_on("[data-testid=view-requests]", WAIT).await.unwrap();
    println!(
        "app: {}",
        std::env::var("SCOPESTACK_APP_BIN")
            .unwrap_or_else(|_| "target/debug/scopestack-companion".into())
    );
    // Memory first, before any timing round has grown the page: idle, a 50 MB answer open,
    // and its tab closed.
    let memory_mb =
        std::env::var("BENCH_MEMORY_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let memory = memory_round(&app, memory_mb).await;
    memory.print();
    if std::env::var("BENCH_MEMORY_ONLY").as_deref() == Ok("1") {
        app.close().await;
        return;
    }

    let mut rows = Vec::new();
    for mb in SIZES_MB {
        let mut rounds = Vec::new();
        for _ in 0..ROUNDS {
            let mut round = one_round(&app, mb).await;
            // JSON.parse of the same text, while the exchange is still on screen (a new answer
            // in the tab lets the engine drop this one).
            round.parse_ms = parse_in_page(&app, round.id).await;
            rounds.push(round);
        }
        rows.push((mb, rounds));
    }
    println!("body  | view ready (median of {ROUNDS}; each round)  | of which in Rust (each round)   | (again) | JSON.parse (median)       | ratio | app memory with the view open (PSS)");
    for (mb, rounds) in &rows {
        let pick = |f: fn(&Round) -> f64| -> Vec<f64> { rounds.iter().map(f).collect() };
        let (views, opens, mut agains, mut memory, parses) = (
            pick(|r| r.view_ms),
            pick(|r| r.open_ms),
            pick(|r| r.again_ms),
            pick(|r| r.memory_mb),
            pick(|r| r.parse_ms),
        );
        let (view, open, parse) =
            (median(&mut views.clone()), median(&mut opens.clone()), median(&mut parses.clone()));
        println!(
            "{mb:>3} MB | {view:>8.1} ms {views:<22} | {open:>8.1} ms {opens:<22} | {:>4.1} ms | {parse:>6.1} ms {parses:<17} | {:>4.2}× | {:.0} MB",
            median(&mut agains),
            view / parse,
            median(&mut memory),
            views = format!("{views:.0?}"),
            opens = format!("{opens:.0?}"),
            parses = format!("{parses:.0?}"),
        );
    }
    println!("view ready: from the Body tab asking (mark body-view-start) to the first screen in the page (body-view-ready);");
    println!("of which in Rust: until the engine's pretty, indexed text and its first lines arrived (body-view-opened);");
    println!("(again): that call once more with the text made, from the page: the IPC round trip and the first lines.");
    println!("JSON answers up to 10 MB are pretty-printed in the background as they arrive; larger ones when the Body tab asks.");
    println!("JSON.parse: of the same text in the page, right after each view (the memory figure is taken before it).");
    app.close().await;
}

/// The app's memory around one large answer.
struct MemoryRound {
    mb: u64,
    idle: Pss,
    table: Pss,
    open: Pss,
    /// After the tab is closed: samples over some seconds (the allocators and WebKit's garbage
    /// collector give memory back over time).
    after: Vec<(f64, Pss)>,
}

impl MemoryRound {
    fn print(&self) {
        // PSS is counted in MiB, as the body is.
        let body = self.mb as f64;
        println!();
        println!("memory (PSS; app = the app's own process: Rust, GTK and WebKit's UI side; web = WebKit's web and network processes):");
        let line = |what: &str, p: &Pss| {
            println!(
                "  {what:<44} {:>6.0} MB (app {:>5.0}, web {:>5.0}) | {:>+6.0} MB over idle = {:>4.2}× the body | private {:>5.0} MB ({:>+4.0})",
                p.total(),
                p.app,
                p.web,
                p.total() - self.idle.total(),
                (p.total() - self.idle.total()) / body,
                p.private,
                p.private - self.idle.private,
            )
        };
        line("idle (signed in, no answer)", &self.idle);
        line(&format!("{} MB answer, JSON:API table on screen", self.mb), &self.table);
        line(&format!("{} MB answer, table and Body open", self.mb), &self.open);
        for (secs, p) in &self.after {
            line(&format!("tab closed, after {secs:.0} s"), p);
        }
        if let Some((_, last)) = self.after.last() {
            println!(
                "  after closing: {:+.1}% of idle",
                (last.total() / self.idle.total() - 1.0) * 100.0
            );
        }
    }
}

/// Opens a `mb` MB JSON:API answer as a person would (its JSON:API table first, then its
/// Body), reading the memory at each step, then closes its tab and reads it for some seconds.
async fn memory_round(app: &AppSession, mb: u64) -> MemoryRound {
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle = memory(app);
    dump_smaps(app, "idle");
    app.type_into(
        "input[name=request_url]",
        &format!("{{account-slug}}/v1/sample-records?bytes={}", mb * 1024 * 1024),
        WAIT,
    )
    .await
    .unwrap();
    app.click_on("[data-testid=send]", WAIT).await.unwrap();
    let id = wait_for_new_exchange(app).await;
    wait_for_jsonapi_tab(app).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let table = memory(app);
    app.click_on("[data-testid=response] .tabs button:nth-child(2)", WAIT).await.unwrap();
    if mb > 10 {
        app.click_on("[data-testid=show-anyway]", WAIT).await.unwrap();
    }
    let ready = format!("body-view-ready-{id}");
    let deadline = std::time::Instant::now() + SLOW;
    while app
        .execute(&format!("return performance.getEntriesByName('{ready}').length"))
        .await
        .unwrap()
        .as_u64()
        == Some(0)
    {
        assert!(std::time::Instant::now() < deadline, "no body view within {SLOW:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let open = memory(app);
    // Closing the tab: the window shows the answer no more.
    app.wait_for(".request-tab.chosen .request-tab-close", WAIT).await.unwrap();
    app.execute(
        "document.querySelector('.request-tab.chosen .request-tab-close').click(); return null;",
    )
    .await
    .unwrap();
    if let Err(e) = app.wait_gone("[data-testid=response]", WAIT).await {
        let tabs = app
            .execute("return [...document.querySelectorAll('.request-tab')].map(t => t.id + ' ' + t.className + ':' + t.textContent).join(' | ') + ' / panels ' + [...document.querySelectorAll('[data-tab-key]')].map(p => p.dataset.tabKey).join(',')")
            .await;
        panic!("the answer's tab did not close ({e}); tabs: {tabs:?}");
    }
    let started = std::time::Instant::now();
    let mut after = Vec::new();
    for at in [1.0, 5.0, 15.0, 30.0] {
        let wait = Duration::from_secs_f64(at).saturating_sub(started.elapsed());
        tokio::time::sleep(wait).await;
        after.push((at, memory(app)));
    }
    dump_smaps(app, "closed");
    MemoryRound { mb, idle, table, open, after }
}

struct Round {
    id: u64,
    view_ms: f64,
    open_ms: f64,
    /// The open call once more, with the document made: the IPC round trip and the first lines.
    again_ms: f64,
    memory_mb: f64,
    /// `JSON.parse` of the same text in the page.
    parse_ms: f64,
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
    wait_for_jsonapi_tab(app).await;
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
    let memory_mb = memory(app).total();
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
    Round { id, view_ms, open_ms, again_ms, memory_mb, parse_ms: f64::NAN }
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

/// Waits for the JSON:API tab's table, or (an app that makes no table of so large a body) its
/// note saying so.
async fn wait_for_jsonapi_tab(app: &AppSession) {
    let deadline = std::time::Instant::now() + SLOW;
    loop {
        let shown = app
            .execute("return !!document.querySelector('[data-testid=jsonapi-view]') || /too large to show/.test(document.querySelector('[data-testid=response]')?.textContent ?? '')")
            .await
            .unwrap();
        if shown.as_bool() == Some(true) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "no JSON:API tab within {SLOW:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
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

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// PSS in MB of the app (its own process) and of its WebKit processes (web, network).
#[derive(Clone, Copy)]
struct Pss {
    app: f64,
    web: f64,
    /// Private memory (Private_Clean + Private_Dirty) of all of them: unlike PSS, it does not
    /// change with how many other processes (other apps running meanwhile) share a library.
    private: f64,
}

impl Pss {
    fn total(&self) -> f64 {
        self.app + self.web
    }
}

/// The PSS of this session's app process and of every process under it (WebKit's web and
/// network processes), found by walking /proc from it (other apps running at the same time,
/// such as other tests', are not counted).
fn memory(app: &AppSession) -> Pss {
    let pid = app.app_pid().expect("the app's process was not found");
    let tree = e2e::process_facts::tree_memory(pid);
    Pss { app: tree.root_pss_mb, web: tree.pss_mb - tree.root_pss_mb, private: tree.uss_mb }
}

/// With BENCH_SMAPS=DIR: the app process's /proc/PID/smaps, to DIR/smaps-<when>, to see which
/// mappings hold what (the heap, thread arenas, graphics buffers shared with WebKit).
fn dump_smaps(app: &AppSession, when: &str) {
    let Ok(dir) = std::env::var("BENCH_SMAPS") else { return };
    let pid = app.app_pid().expect("the app's process");
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    std::fs::write(format!("{dir}/smaps-{when}"), smaps).expect("writing the smaps copy");
}
