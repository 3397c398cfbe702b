//! jq filters on a stored body, with jaq (jq's language and its standard library), run on a
//! worker thread of their own so the async runtime keeps serving. Outputs come back as pretty
//! JSON text, cut at a size limit with a note; mistakes in the filter, non-JSON bodies and
//! runtime errors come back as plain messages. A filter that never ends (`def f: f; f`,
//! `repeat(1)`, `[range(1e12)]`) or recurses without end (`def f: 1 + f; f`) is stopped by a
//! time limit, a cancel or a depth limit, and its worker thread ends with it.
//!
//! How a filter is stopped: jaq looks up every term it evaluates in its look-up table through
//! the run's data ([`HasLut::lut`]); this module's data answers with the real table while the
//! run may go on, and with a "stop" table once it must end, in which every term is a call to a
//! native filter that halts (an exception `try` does not catch). Whatever the evaluation was
//! doing, its next step halts, and the halt travels up to the loop that writes the results.
//! `range`, the one native generator that can run without evaluating a term per output, is
//! replaced by one that checks too.
//!
//! Bodies and results nested more than 10,000 levels deep are refused (reading and writing
//! recurse per level). Known limit: a filter that itself builds values hundreds of thousands of
//! levels deep (`reduce range(1e6) as $x (0; [.]) | tojson`) can still overflow the worker's
//! stack in the native filters and drops that recurse per level, which ends the program; only
//! running filters in a process of their own would contain that.

use crate::error::EngineError;
use crate::requests::store::{human_bytes, ExchangeStore};
use crate::requests::summary::ExchangeId;
use jaq_core::box_iter::box_once;
use jaq_core::data::{DataT, HasLut};
use jaq_core::load::{Arena, File, Loader};
use jaq_core::native::Fun;
use jaq_core::{Compiler, Ctx, Exn, Native, ValX, Vars};
use jaq_json::Val;
use serde::Serialize;
use std::cell::Cell;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
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

/// The stack of a worker thread. Only what is touched is ever memory; the evaluation uses at
/// most [`MAX_EVAL_STACK`] of it, and the rest is room for dropping and writing deeply nested
/// values (which recurse too).
const WORKER_STACK: usize = 256 * 1024 * 1024;
/// A filter whose evaluation nests deeper than this on the stack is stopped ("recursed too
/// deeply"), well before the thread's stack would overflow and end the whole program.
const MAX_EVAL_STACK: usize = 64 * 1024 * 1024;

/// Bodies and results nested deeper than this are refused: reading, writing and dropping such
/// values recurse once per level (a body of 1,000,000 `[` overflowed even the worker's stack,
/// which ends the whole program). jq's own reader stops at the same depth.
const MAX_DEPTH: usize = 10_000;

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

/// Why a run was stopped.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stopped {
    Cancelled,
    TimeUp,
    TooDeep,
    TooMuchMemory,
}

/// Watches one run: its stop flag, its deadline and how deep it is on the worker's stack.
/// Asked at every term jaq evaluates; once it says stop, it says so for good.
struct Guard<'s> {
    stop: &'s JqStop,
    deadline: Instant,
    /// An address near the top of the worker's stack (the stack grows down).
    stack_top: usize,
    ticks: Cell<u32>,
    stopped: Cell<Option<Stopped>>,
    /// The program's resident memory when the run began, and the most it may grow by.
    memory_start: Option<u64>,
    max_memory: u64,
    /// When the memory was last read (a few times a second at most).
    memory_read: Cell<Instant>,
}

impl Guard<'_> {
    fn should_stop(&self) -> bool {
        if self.stopped.get().is_some() {
            return true;
        }
        let probe = 0u8;
        let here = std::hint::black_box(&probe) as *const u8 as usize;
        let ticks = self.ticks.get().wrapping_add(1);
        self.ticks.set(ticks);
        let why = if self.stack_top.saturating_sub(here) > MAX_EVAL_STACK {
            Some(Stopped::TooDeep)
        } else if self.stop.is_stopped() {
            Some(Stopped::Cancelled)
        } else if ticks.is_multiple_of(64) {
            self.clock_and_memory()
        } else {
            None
        };
        self.stopped.set(why);
        why.is_some()
    }

    /// The deadline, and the memory's growth when it was last read long enough ago.
    fn clock_and_memory(&self) -> Option<Stopped> {
        let now = Instant::now();
        if now >= self.deadline {
            return Some(Stopped::TimeUp);
        }
        if now.duration_since(self.memory_read.get()) >= MEMORY_EVERY {
            self.memory_read.set(now);
            if let (Some(start), Some(rss)) = (self.memory_start, resident_memory()) {
                if rss.saturating_sub(start) > self.max_memory {
                    return Some(Stopped::TooMuchMemory);
                }
            }
        }
        None
    }

    /// The flag, the clock and the memory, also between results and around work that
    /// evaluates no term.
    fn check_now(&self) -> Option<Stopped> {
        if self.stopped.get().is_none() {
            if self.stop.is_stopped() {
                self.stopped.set(Some(Stopped::Cancelled));
            } else {
                self.stopped.set(self.clock_and_memory());
            }
        }
        self.stopped.get()
    }
}

/// How often a run reads the program's memory.
const MEMORY_EVERY: Duration = Duration::from_millis(100);

/// The program's resident memory in bytes (Linux: `/proc/self/statm`), if known.
fn resident_memory() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The kind of data jaq runs this module's filters with: JSON values, and [`Watch`].
struct Watched;

impl DataT for Watched {
    type V<'a> = Val;
    type Data<'a> = Watch<'a>;
}

type Lut = jaq_core::Lut<Watched>;
type Filter = jaq_core::Filter<Watched>;

/// The run's look-up tables and its guard, in every context of the evaluation.
#[derive(Clone)]
struct Watch<'a> {
    lut: &'a Lut,
    stop_lut: &'a Lut,
    guard: &'a Guard<'a>,
}

impl<'a> HasLut<'a, Watched> for Watch<'a> {
    fn lut(&self) -> &'a Lut {
        if self.guard.should_stop() {
            self.stop_lut
        } else {
            self.lut
        }
    }
}

/// The exit code of the halt that ends a stopped run (never shown).
const STOP_HALT: i32 = 124;

fn halt<'a, T>() -> ValX<'a, T, Val> {
    Err(Exn::halt(STOP_HALT))
}

/// The one native filter of the stop table: halts, whichever way it is evaluated.
fn stop_native() -> Fun<Watched> {
    let native = Native::new(|_| box_once(halt()))
        .with_paths(|_| box_once(halt()))
        .with_update(|_, _| box_once(halt()));
    ("stop", jaq_core::native::v(0), native)
}

/// `range($from; $to; $by)` that asks the guard before each number, so `[range(1e12)]` stops
/// too (jaq's own makes all its numbers without evaluating a term).
fn guarded_range<D: for<'a> DataT<V<'a> = Val, Data<'a> = Watch<'a>>>() -> Fun<D> {
    let run: jaq_core::RunPtr<D> = |mut cv| {
        let by = cv.0.pop_var();
        let to = cv.0.pop_var();
        let from = cv.0.pop_var();
        let guard = cv.0.data().guard;
        let up = by > Val::from(0isize);
        let down = by < Val::from(0isize);
        let mut next = Some(from);
        Box::new(std::iter::from_fn(move || {
            let x = next.take()?;
            let more = if up {
                x < to
            } else if down {
                x > to
            } else {
                x != to
            };
            if !more {
                return None;
            }
            if guard.should_stop() {
                return Some(halt());
            }
            match x.clone() + by.clone() {
                Ok(n) => next = Some(n),
                Err(e) => return Some(Err(Exn::from(e))),
            }
            Some(Ok(x))
        }))
    };
    ("range", jaq_core::native::v(3), Native::<D>::new(run))
}

/// Terms of a filter's own (beyond the standard library's) per character of its text, at
/// most; the test `the_stop_table_is_long_enough` measures the densest filters at under 3.
const TERMS_PER_CHAR: usize = 8;

/// The stop table, at least `terms` long: a balanced tree of `stop, stop` (so no term of it
/// nests deeper than a few dozen calls), made once and grown when a longer filter needs it.
fn stop_table(terms: usize) -> Result<Arc<Filter>, EngineError> {
    static TABLE: Mutex<Option<(usize, Arc<Filter>)>> = Mutex::new(None);
    let mut table = TABLE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((leaves, filter)) = table.as_ref() {
        if *leaves >= terms {
            return Ok(filter.clone());
        }
    }
    let leaves = terms.next_power_of_two().max(1024);
    fn tree(leaves: usize, out: &mut String) {
        if leaves <= 1 {
            out.push_str("stop");
        } else {
            out.push('(');
            tree(leaves / 2, out);
            out.push(',');
            tree(leaves - leaves / 2, out);
            out.push(')');
        }
    }
    let mut code = String::with_capacity(leaves * 6);
    tree(leaves, &mut code);
    let arena = Arena::default();
    let failed = || EngineError::Local("The jq filter could not be prepared.".into());
    let modules =
        Loader::new([]).load(&arena, File { code: &code, path: () }).map_err(|_| failed())?;
    let filter =
        Compiler::default().with_funs([stop_native()]).compile(modules).map_err(|_| failed())?;
    let filter = Arc::new(filter);
    *table = Some((leaves, filter.clone()));
    Ok(filter)
}

/// The number in a term id's debug form (`TermId(816)`): jaq shows no other way.
fn term_number(id: &jaq_core::compile::TermId) -> Option<usize> {
    let text = format!("{id:?}");
    text.trim_start_matches(|c: char| !c.is_ascii_digit())
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}

fn stopped_error(why: Stopped, limits: &JqLimits) -> EngineError {
    match why {
        Stopped::Cancelled => EngineError::Cancelled,
        Stopped::TimeUp => EngineError::MissingInput(format!(
            "The jq filter ran longer than {} and was stopped. Simplify it, or take only what \
             you need with limit(n; …) or first(…).",
            seconds(limits.max_time)
        )),
        Stopped::TooMuchMemory => EngineError::MissingInput(format!(
            "The jq filter used more than {} of memory and was stopped. Take only what you need \
             with limit(n; …) or first(…), or pick a part of the body first (.data[0], …).",
            human_bytes(limits.max_memory)
        )),
        Stopped::TooDeep => EngineError::MissingInput(
            "The jq filter recursed too deeply and was stopped: a definition that calls itself \
             needs a case that ends the recursion (or take only what you need with limit(n; …))."
                .into(),
        ),
    }
}

/// Compiles and runs `filter` on `input` here, on a worker thread with [`WORKER_STACK`].
fn evaluate(
    input: &[u8],
    filter: &str,
    limits: &JqLimits,
    stop: &JqStop,
    started: Instant,
) -> Result<JqOutput, EngineError> {
    let probe = 0u8;
    let guard = Guard {
        stop,
        deadline: started + limits.max_time,
        stack_top: std::hint::black_box(&probe) as *const u8 as usize,
        ticks: Cell::new(0),
        stopped: Cell::new(None),
        memory_start: resident_memory(),
        max_memory: limits.max_memory,
        memory_read: Cell::new(Instant::now()),
    };
    let code = if filter.trim().is_empty() { "." } else { filter };
    let arena = Arena::default();
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|errors| filter_error(code, load_messages(code, errors)))?;
    let funs = jaq_core::funs()
        .filter(|(name, args, _)| !(*name == "range" && args.len() == 3))
        .chain([guarded_range()])
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let compiled = Compiler::default().with_funs(funs).compile(modules).map_err(|errors| {
        let messages = errors
            .into_iter()
            .flat_map(|(_, errs)| errs)
            .map(|(found, undefined)| {
                (offset(code, found), format!("{found} is not defined ({})", undefined.as_str()))
            })
            .collect();
        filter_error(code, messages)
    })?;
    // The filter's terms follow the standard library's, which end where its entry point is.
    let library = term_number(&compiled.id).unwrap_or(4096);
    let stop_filter = stop_table(library + 1 + TERMS_PER_CHAR * (code.len() + 1))?;

    if input.len() as u64 > limits.max_input {
        return Err(EngineError::MissingInput(format!(
            "The body is {}, more than the {} jq can work on here.",
            human_bytes(input.len() as u64),
            human_bytes(limits.max_input)
        )));
    }
    if let Some(depth) = nesting_past(input, MAX_DEPTH) {
        return Err(EngineError::MissingInput(format!(
            "The body nests values more than {depth} levels deep, deeper than the {MAX_DEPTH} jq \
             works with here. Look at it as text instead."
        )));
    }
    let value = jaq_json::read::parse_single(input).map_err(|e| {
        EngineError::MissingInput(format!("The body is not JSON ({e}), so a jq filter cannot read it. Look at it as text instead."))
    })?;
    if let Some(why) = guard.check_now() {
        return Err(stopped_error(why, limits));
    }

    let watch = Watch { lut: &compiled.lut, stop_lut: &stop_filter.lut, guard: &guard };
    let ctx = Ctx::<Watched>::new(watch, Vars::new([]));
    let pp = jaq_json::write::Pp { indent: Some("  ".to_string()), ..Default::default() };
    let mut out = Capped { buf: Vec::new(), cap: limits.max_output, hit: false };
    let mut results = 0;
    let mut truncated = false;
    for item in compiled.id.run((ctx, value)) {
        if let Some(why) = guard.check_now() {
            return Err(stopped_error(why, limits));
        }
        let value = match item {
            Ok(v) => v,
            Err(exn) => match exn.get_err() {
                Ok(e) => {
                    return Err(EngineError::MissingInput(format!(
                        "The jq filter stopped with an error: {e}"
                    )))
                }
                Err(_) => break, // `halt`: stop quietly with what was written.
            },
        };
        if results == limits.max_results {
            truncated = true;
            break;
        }
        if too_deep(&value, MAX_DEPTH) {
            return Err(EngineError::MissingInput(format!(
                "A result of the jq filter nests values more than {MAX_DEPTH} levels deep, too \
                 deep to show. Take a part of it (for example .[0] or .a)."
            )));
        }
        if results > 0 {
            let _ = out.write_all(b"\n");
        }
        if jaq_json::write::write(&mut out, &pp, 0, &value).is_err() || out.hit {
            truncated = true;
            break;
        }
        results += 1;
    }
    if let Some(why) = guard.stopped.get() {
        return Err(stopped_error(why, limits));
    }
    let mut text = match String::from_utf8(out.buf) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    if truncated {
        if out.hit {
            // Cut at a character boundary.
            while !text.is_empty() && text.ends_with('\u{fffd}') {
                text.pop();
            }
        }
        let why = if out.hit {
            format!("the output reached {}", human_bytes(limits.max_output as u64))
        } else {
            format!("{} results", limits.max_results)
        };
        text.push_str(&format!(
            "\n… cut after {results} complete result(s): {why}. Narrow the filter to see the rest."
        ));
    }
    Ok(JqOutput {
        text,
        results,
        truncated,
        elapsed_ms: (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0,
    })
}

/// The first depth past `max` that `json` nests arrays and objects to, read byte by byte (no
/// recursion): `None` when it stays within `max` (or is not JSON; the reader says so).
fn nesting_past(json: &[u8], max: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in json {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(max);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Whether `value` nests arrays and objects deeper than `max`, walked without recursion.
fn too_deep(value: &Val, max: usize) -> bool {
    let mut stack = vec![(value, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        match v {
            Val::Arr(items) => {
                if depth >= max {
                    return true;
                }
                stack.extend(items.iter().map(|item| (item, depth + 1)));
            }
            Val::Obj(members) => {
                if depth >= max {
                    return true;
                }
                for (k, item) in members.iter() {
                    stack.push((k, depth + 1));
                    stack.push((item, depth + 1));
                }
            }
            _ => {}
        }
    }
    false
}

/// A writer that stops at `cap` bytes.
struct Capped {
    buf: Vec<u8>,
    cap: usize,
    hit: bool,
}

impl Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = self.cap.saturating_sub(self.buf.len());
        if data.len() > room {
            self.buf.extend_from_slice(&data[..room]);
            self.hit = true;
            return Err(std::io::Error::other("output limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The byte offset of `part`, a slice of `code`.
fn offset(code: &str, part: &str) -> usize {
    let start = part.as_ptr() as usize;
    let base = code.as_ptr() as usize;
    if start >= base && start <= base + code.len() {
        start - base
    } else {
        code.len()
    }
}

fn load_messages(code: &str, errors: jaq_core::load::Errors<&str, ()>) -> Vec<(usize, String)> {
    use jaq_core::load::Error;
    let found_text = |found: &str| {
        if found.is_empty() {
            "the end of the filter".to_string()
        } else {
            format!("\"{}\"", found.chars().take(12).collect::<String>())
        }
    };
    let mut messages = Vec::new();
    for (_, error) in errors {
        match error {
            Error::Io(errs) => messages.extend(errs.into_iter().map(|(path, e)| {
                (offset(code, path), format!("{path} cannot be loaded here ({e})"))
            })),
            Error::Lex(errs) => messages.extend(errs.into_iter().map(|(expected, found)| {
                (
                    offset(code, found),
                    format!("expected {}, found {}", expected.as_str(), found_text(found)),
                )
            })),
            Error::Parse(errs) => messages.extend(errs.into_iter().map(|(expected, found)| {
                (
                    offset(code, found),
                    format!("expected {}, found {}", expected.as_str(), found_text(found)),
                )
            })),
        }
    }
    messages
}

fn filter_error(code: &str, messages: Vec<(usize, String)>) -> EngineError {
    let parts: Vec<String> = messages
        .into_iter()
        .map(|(at, message)| {
            let column = code[..at.min(code.len())].chars().count() + 1;
            format!("at character {column}: {message}")
        })
        .collect();
    let detail =
        if parts.is_empty() { "it could not be read".to_string() } else { parts.join("; ") };
    EngineError::MissingInput(format!("The jq filter has a mistake {detail}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &[u8] = br#"{"data":[{"id":"1","attributes":{"name":"Acme","active":true}},{"id":"2","attributes":{"name":"Globex","active":false}}],"meta":{"record-count":2}}"#;

    fn jq(filter: &str) -> Result<JqOutput, EngineError> {
        run_on(DOC, filter, &JqLimits::default())
    }

    #[test]
    fn common_filters_work() {
        assert_eq!(jq(".data | length").unwrap().text, "2");
        assert_eq!(jq(".data[].attributes.name").unwrap().text, "\"Acme\"\n\"Globex\"");
        assert_eq!(
            jq("[.data[] | select(.attributes.active) | .id]").unwrap().text,
            "[\n  \"1\"\n]"
        );
        assert_eq!(
            jq(".data | map(.attributes.name) | sort_by(length) | join(\", \")").unwrap().text,
            "\"Acme, Globex\""
        );
        assert_eq!(jq(".meta | keys").unwrap().text, "[\n  \"record-count\"\n]");
        assert_eq!(jq(".meta[\"record-count\"] | tostring | test(\"^2$\")").unwrap().text, "true");
        assert_eq!(jq("").unwrap().results, 1, "an empty filter is the identity");
    }

    #[test]
    fn mistakes_are_explained() {
        let e = jq(".data | lenght").unwrap_err().to_string();
        assert!(
            e.contains("lenght") && e.contains("not defined") && e.contains("character 9"),
            "{e}"
        );
        let e = jq(".data[").unwrap_err().to_string();
        assert!(e.starts_with("The jq filter has a mistake"), "{e}");
        let e = jq(".data | .foo").unwrap_err().to_string();
        assert!(e.contains("stopped with an error"), "{e}");
        let e = run_on(b"<html>", ".", &JqLimits::default()).unwrap_err().to_string();
        assert!(e.contains("not JSON"), "{e}");
        assert_eq!(jq("halt").unwrap().results, 0, "halt does not end the process");
    }

    /// Runs `f` on a thread of its own and waits at most `wait` for it: a bound that fails to
    /// stop a filter fails the test here, instead of leaving the test run hanging.
    fn within<T: Send + 'static>(wait: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(wait).expect("the filter was still running: nothing stopped it")
    }

    /// Filters that never end, each in a different way: no output ever (recursion in a tail
    /// position, a loop of `until`, a fold or a collection that never completes), outputs without
    /// end, a native generator, and a `try` around them (the stop is not an error it can catch).
    const NEVER_ENDING: &[&str] = &[
        "def f: f; f",
        "repeat(1)",
        "repeat(1) | empty",
        "last(repeat(1))",
        "[range(1e12)] | length",
        "until(false; .)",
        "[limit(1e9; repeat(1))] | length",
        "reduce range(1e12) as $x (0; . + $x)",
        "try (def f: f; f) catch 1",
        "[.[]?, repeat(1) | try error catch .] | length",
        "path(def f: f; f)",
        ".data |= (def f: f; f)",
        "label $out | repeat(1) | select(. > 1) | ., break $out",
        "first(range(1e12) | select(. < 0))",
    ];

    /// No cap on the output, so only the time limit or a cancel can end a filter.
    const UNCAPPED: JqLimits = JqLimits {
        max_input: 1024,
        max_output: usize::MAX,
        max_results: usize::MAX,
        max_time: Duration::from_secs(10),
        max_memory: u64::MAX,
    };

    #[test]
    fn a_filter_that_never_ends_is_stopped_by_the_time_limit() {
        let limits = JqLimits { max_time: Duration::from_millis(300), ..UNCAPPED };
        for filter in NEVER_ENDING {
            let e = within(Duration::from_secs(60), move || run_on(DOC, filter, &limits))
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with("The jq filter ran longer than 0.3 s and was stopped.")
                    && e.contains("limit(n; …)"),
                "{filter}: {e}"
            );
        }
        let e = stopped_error(Stopped::TimeUp, &JqLimits::default()).to_string();
        assert!(e.starts_with("The jq filter ran longer than 10 s and was stopped."), "{e}");
    }

    #[test]
    fn a_filter_that_never_ends_is_cancelled() {
        let limits = JqLimits { max_time: Duration::from_secs(3600), ..UNCAPPED };
        for filter in NEVER_ENDING {
            let stop = JqStop::new();
            let stopper = stop.clone();
            let running = std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                stopper.stop();
            });
            let e = within(Duration::from_secs(60), move || {
                run_on_stoppable(DOC, filter, &limits, &stop)
            })
            .unwrap_err();
            assert!(matches!(e, EngineError::Cancelled), "{filter}: {e}");
            running.join().unwrap();
        }
    }

    #[test]
    fn a_filter_that_fills_the_memory_is_stopped() {
        let limits =
            JqLimits { max_memory: 200_000_000, max_time: Duration::from_secs(3600), ..UNCAPPED };
        for filter in ["[range(1e12)] | length", "[limit(1e12; repeat(\"abc\"))] | length"] {
            let e = within(Duration::from_secs(120), move || run_on(DOC, filter, &limits))
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with("The jq filter used more than 200.0 MB of memory and was stopped."),
                "{filter}: {e}"
            );
        }
    }

    #[test]
    fn recursion_without_end_is_stopped_before_the_stack_overflows() {
        // Each of these overflowed the stack of the thread running it, which ends the whole
        // program (a stack overflow cannot be caught).
        for filter in [
            "def f: 1 + f; f",
            "def f: [f]; f",
            "def f: {a: f}; f",
            "def f: f + 1; f",
            "def f: (f | .) as $x | $x; f",
            "def f: try (1 + f) catch .; f",
        ] {
            let e =
                within(Duration::from_secs(60), move || run_on(DOC, filter, &JqLimits::default()))
                    .unwrap_err()
                    .to_string();
            assert!(
                e.starts_with("The jq filter recursed too deeply and was stopped"),
                "{filter}: {e}"
            );
        }
        // Endless output ends at the output's caps.
        let out = jq("repeat(1)").unwrap();
        assert!(out.truncated && out.results == 10_000, "{}", out.results);
        // Deep but finite recursion still works.
        assert_eq!(
            jq("def f: if . < 10000 then . + 1 | f else . end; 0 | f").unwrap().text,
            "10000"
        );
        assert_eq!(jq("[limit(3; repeat(1))]").unwrap().text, "[\n  1,\n  1,\n  1\n]");
    }

    #[test]
    fn values_nested_too_deeply_are_refused_not_a_crash() {
        // A 2 MB body of a million nested arrays overflowed the worker's stack (the whole
        // program ended); the depth is checked before it is read.
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let e = run_on(nested(1_000_000).as_bytes(), "length", &JqLimits::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("more than 10000 levels deep"), "{e}");
        let within = nested(MAX_DEPTH);
        assert_eq!(run_on(within.as_bytes(), "length", &JqLimits::default()).unwrap().text, "1");
        let strings = format!("[\"{}\", \"\\\"[\"]", "[".repeat(20_000));
        assert_eq!(run_on(strings.as_bytes(), "length", &JqLimits::default()).unwrap().text, "2");
        // A result built deeper than that is not written (writing recursed once per level).
        let e = jq("reduce range(20000) as $x (0; [.])").unwrap_err().to_string();
        assert!(e.contains("too deep to show"), "{e}");
        assert_eq!(jq("reduce range(20000) as $x (0; [.]) | length").unwrap().text, "1");
        assert!(too_deep(&jaq_json::read::parse_single(b"{\"a\":[[1]]}").unwrap(), 2));
        assert!(!too_deep(&jaq_json::read::parse_single(b"{\"a\":[[1]]}").unwrap(), 3));
    }

    #[test]
    fn filters_that_end_still_work_with_the_guarded_range() {
        assert_eq!(jq("[range(5)]").unwrap().text, "[\n  0,\n  1,\n  2,\n  3,\n  4\n]");
        assert_eq!(jq("[range(5; 0; -2)] | join(\",\")").unwrap().text, "\"5,3,1\"");
        assert_eq!(jq("[range(0; 1; 0.25)] | length").unwrap().text, "4");
        assert_eq!(jq("[range(3; 3; 0)] | length").unwrap().text, "0");
        assert_eq!(jq("[range(1; 3)]").unwrap().results, 1);
        assert_eq!(jq("reduce range(1e6) as $x (0; . + $x)").unwrap().text, "499999500000");
        let e = jq("[range(0; 1; \"a\")]").unwrap_err().to_string();
        assert!(e.contains("stopped with an error"), "{e}");
    }

    /// The number of terms in a compiled filter, counted in its debug form (jaq shows it no
    /// other way): the items of the list after `terms: [`.
    fn terms_of(code: &str) -> (usize, usize) {
        let arena = Arena::default();
        let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
        let modules = Loader::new(defs).load(&arena, File { code, path: () }).unwrap();
        let funs = jaq_core::funs::<Watched>()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs())
            .map(|(name, args, _)| (name, args, ()));
        let filter =
            jaq_core::compile::Compiler::default().with_funs(funs).compile(modules).unwrap();
        let text = format!("{:?}", filter.lut);
        let list = &text[text.find("terms: [").unwrap() + "terms: [".len()..];
        let (mut depth, mut count, mut in_str, mut escaped) = (0i32, 1, false, false);
        for c in list.chars() {
            if in_str {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '(' | '[' | '{' => depth += 1,
                ')' | '}' => depth -= 1,
                ']' if depth == 0 => break,
                ']' => depth -= 1,
                ',' if depth == 0 => count += 1,
                _ => {}
            }
        }
        (term_number(&filter.id).unwrap(), count)
    }

    #[test]
    fn the_stop_table_is_long_enough() {
        let (library, terms) = terms_of(".");
        assert_eq!(terms, library + 1, "the filter's terms follow the library's");
        let mut densest = 0.0f64;
        for code in [
            "..",
            ".a.b.c.d",
            ".[0][1:2][]?",
            "{(.a,.b): 1, \"x\": 2}",
            "1 as $x | {a,b,c,$x}",
            "\"\\(.a)\\(.b)\\(.c)\"",
            "@base64 \"x\\(.)y\\(.)\"",
            ".a |= 1 | .b += 2 | .c //= 3 | .d = 4",
            "reduce .[] as [$a, {b: $c}] (0; . + $a)",
            "foreach .[] as $x (0; . + 1; [$x, .])",
            "def f(g; $x): g; f(.; 1)",
            "try . catch . | label $f | 1, break $f",
            "if . then 1 elif . then 2 else 3 end",
            ". as {a: [$x, $y], $z} | [$x, $y, $z]",
            "-.a? // .b",
            "[.[] | select(.a)] | map(.b) | sort_by(.c)",
        ] {
            let (_, n) = terms_of(code);
            let per_char = (n - library) as f64 / (code.len() + 1) as f64;
            densest = densest.max(per_char);
            assert!(n <= library + 1 + TERMS_PER_CHAR * (code.len() + 1), "{code}: {n} terms");
        }
        println!(
            "the densest filter has {densest:.2} terms per character (bound: {TERMS_PER_CHAR})"
        );
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

    #[test]
    fn output_is_cut_with_a_note() {
        let limits = JqLimits { max_output: 40, ..JqLimits::default() };
        let out = run_on(DOC, ".data[]", &limits).unwrap();
        assert!(out.truncated && out.text.contains("cut after"), "{}", out.text);
        let limits = JqLimits { max_results: 1, ..JqLimits::default() };
        let out = run_on(DOC, ".data[].id", &limits).unwrap();
        assert_eq!(out.results, 1);
        assert!(out.text.starts_with("\"1\"\n… cut after 1"), "{}", out.text);
    }
}
