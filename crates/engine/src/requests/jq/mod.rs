//! jq filters on a stored body, with jaq (jq's language and its standard library), run on a
//! worker thread of their own so the async runtime keeps serving. Outputs come back as pretty
//! JSON text, cut at a size limit with a note; mistakes in the filter, non-JSON bodies and
//! runtime errors come back as plain messages. A filter that never ends (`def f: f; f`,
//! `repeat(1)`, `[range(1e12)]`) or recurses without end (`def f: 1 + f; f`) is stopped by a
//! time limit, a cancel or a depth limit, and its worker thread ends with it.
//!
//! This file holds the public API and the worker threads; the rest:
//! - `evaluate`: one run of a filter on the worker: compile, read the body, write the results.
//! - `guard`: when a run must stop (cancel, time limit, stack depth, memory growth).
//! - `stop`: how a stop reaches the evaluation (the stop table, a `range` that checks).
//! - `depth`: bodies and results nested too deeply to read or write safely.
//! - `output`: the results' text, capped at a size, with a note when cut.
//! - `messages`: the texts of mistakes in a filter and of stopped runs.

mod depth;
mod evaluate;
mod guard;
mod messages;
mod output;
mod stop;

use crate::error::EngineError;
use crate::requests::store::ExchangeStore;
use crate::requests::summary::ExchangeId;
use evaluate::evaluate;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How much a filter may read, write and take.
#[derive(Clone, Copy, Debug)]
pub struct JqLimits {
    /// Bodies larger than this are refused: jq holds the whole document as values, about 20
    /// times its size (a 50 MB body peaks near 1 GB).
    pub max_input: u64,
    /// Output text is cut here.
    pub max_output: usize,
    /// At most this many results are written.
    pub max_results: usize,
    /// A filter still running after this long (parsing the body included) is stopped.
    pub max_time: Duration,
    /// A filter is stopped once the program's resident memory has grown by more than this
    /// since the run began (the body's values included, about 20 times its size): `[range(1e12)]`
    /// grows by about 2 GB in 6 s in a release build. Read from `/proc` a few times a second,
    /// so it is the whole program's growth, and Linux-only (elsewhere there is no such bound).
    pub max_memory: u64,
}

impl Default for JqLimits {
    fn default() -> Self {
        JqLimits {
            max_input: 64 * 1024 * 1024,
            max_output: 1024 * 1024,
            max_results: 10_000,
            max_time: Duration::from_secs(10),
            max_memory: 3_000_000_000,
        }
    }
}

/// What a filter produced.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct JqOutput {
    /// The results as pretty JSON, one after the other; ends with a note when cut.
    pub text: String,
    /// Results written in full.
    pub results: usize,
    /// Whether the output was cut (by size or by count).
    pub truncated: bool,
    /// Time to parse the body and run the filter.
    pub elapsed_ms: f64,
}

/// Stops a running filter from another thread: the run ends with [`EngineError::Cancelled`]
/// within a few milliseconds (a body still being parsed first finishes parsing).
#[derive(Clone, Debug, Default)]
pub struct JqStop(Arc<AtomicBool>);

impl JqStop {
    pub fn new() -> JqStop {
        JqStop::default()
    }

    pub fn stop(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The stack of a worker thread: address space, of which only what is touched is ever memory.
/// The evaluation uses at most [`guard::MAX_EVAL_STACK`] of it; the rest is room for dropping a
/// deeply nested value, which recurses once a level and cannot be stopped. A filter can nest as
/// deep as memory lets it: `reduce range(n) as $i (null; [.])` costs 135 bytes of heap a level
/// and up to 50 bytes of stack to drop (release build; 330 and 85 in a debug build), so the
/// [`JqLimits::max_memory`] of 3 GB (read a few times a second, so up to 4 GB by the time it
/// stops a run) allows some 25 million levels, 1.3 GB of stack. With 256 MB, 6 million levels
/// (4 s of work) overflowed it, which aborts the whole program.
const WORKER_STACK: usize = 2048 * 1024 * 1024;

/// Worker threads running a filter now (each ends when its filter ends or is stopped).
static LIVE_WORKERS: AtomicUsize = AtomicUsize::new(0);

/// How many jq worker threads are running now: 0 once every filter has ended or been stopped.
pub fn live_workers() -> usize {
    LIVE_WORKERS.load(Ordering::SeqCst)
}

/// Counts a worker as live from its start to the end of its thread.
struct Live;

impl Live {
    fn start() -> Live {
        LIVE_WORKERS.fetch_add(1, Ordering::SeqCst);
        Live
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        LIVE_WORKERS.fetch_sub(1, Ordering::SeqCst);
    }
}

fn worker() -> std::thread::Builder {
    std::thread::Builder::new().name("jq".into()).stack_size(WORKER_STACK)
}

fn no_worker(e: std::io::Error) -> EngineError {
    EngineError::Local(format!("The jq filter could not be started ({e}). Try again."))
}

/// Runs `filter` on the stored body of exchange `id`.
pub async fn run(
    store: &ExchangeStore,
    id: ExchangeId,
    filter: &str,
    limits: JqLimits,
) -> Result<JqOutput, EngineError> {
    run_stoppable(store, id, filter, limits, JqStop::new()).await
}

/// Stops a run when the future waiting for it is dropped (its answer would go nowhere).
struct StopOnDrop(JqStop);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Like [`run`], ended early by `stop`, or when this future is dropped.
pub async fn run_stoppable(
    store: &ExchangeStore,
    id: ExchangeId,
    filter: &str,
    limits: JqLimits,
    stop: JqStop,
) -> Result<JqOutput, EngineError> {
    let started = Instant::now();
    let body = store.body(id)?;
    let filter = filter.to_string();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let _stop_on_drop = StopOnDrop(stop.clone());
    worker()
        .spawn(move || {
            let _live = Live::start();
            let result = body
                .read_all(limits.max_input)
                .and_then(|input| evaluate(&input, &filter, &limits, &stop, started));
            let _ = tx.send(result);
        })
        .map_err(no_worker)?;
    rx.await.map_err(|_| EngineError::Local("The jq filter stopped unexpectedly.".into()))?
}

/// Runs `filter` on `input` on a worker thread, and waits for it here.
pub fn run_on(input: &[u8], filter: &str, limits: &JqLimits) -> Result<JqOutput, EngineError> {
    run_on_stoppable(input, filter, limits, &JqStop::new())
}

/// Like [`run_on`], ended early by `stop`.
pub fn run_on_stoppable(
    input: &[u8],
    filter: &str,
    limits: &JqLimits,
    stop: &JqStop,
) -> Result<JqOutput, EngineError> {
    let started = Instant::now();
    std::thread::scope(|scope| {
        let handle = worker()
            .spawn_scoped(scope, || {
                let _live = Live::start();
                evaluate(input, filter, limits, stop, started)
            })
            .map_err(no_worker)?;
        handle
            .join()
            .map_err(|_| EngineError::Local("The jq filter stopped unexpectedly.".into()))?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small JSON:API document, for the tests of every part of the module.
    pub(super) const DOC: &[u8] = br#"{"data":[{"id":"1","attributes":{"name":"Acme","active":true}},{"id":"2","attributes":{"name":"Globex","active":false}}],"meta":{"record-count":2}}"#;

    /// Runs `filter` on [`DOC`] with the default limits.
    pub(super) fn jq(filter: &str) -> Result<JqOutput, EngineError> {
        run_on(DOC, filter, &JqLimits::default())
    }

    #[tokio::test]
    async fn a_stopped_run_frees_its_worker_thread() {
        let store = ExchangeStore::new();
        let id = 7;
        let body = crate::requests::store::StoredBody::Memory(Arc::new(DOC.to_vec()));
        store.insert(crate::requests::store::tests::summary(id), body);
        let limits = JqLimits { max_time: Duration::from_millis(200), ..JqLimits::default() };
        let e = run(&store, id, "def f: f; f", limits).await.unwrap_err().to_string();
        assert!(e.contains("ran longer than 0.2 s"), "{e}");
        let stop = JqStop::new();
        let later = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            later.stop();
        });
        let limits = JqLimits::default();
        let e = run_stoppable(&store, id, "last(repeat(1))", limits, stop).await.unwrap_err();
        assert!(matches!(e, EngineError::Cancelled), "{e}");
        // Other tests run filters at the same time; theirs end too, so the count reaches 0.
        let deadline = Instant::now() + Duration::from_secs(30);
        while live_workers() > 0 {
            assert!(Instant::now() < deadline, "a jq worker thread is still running");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // Nobody waits for the answer any more (the command's future was dropped): the run
        // stops too, long before its hour.
        let limits = JqLimits { max_time: Duration::from_secs(3600), ..JqLimits::default() };
        let waiting = run_stoppable(&store, id, "def f: f; f", limits, JqStop::new());
        let gave_up = tokio::time::timeout(Duration::from_millis(200), waiting).await;
        assert!(gave_up.is_err(), "it was still running");
        let deadline = Instant::now() + Duration::from_secs(30);
        while live_workers() > 0 {
            assert!(Instant::now() < deadline, "the worker of a dropped run is still running");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}
