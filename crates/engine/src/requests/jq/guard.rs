//! When a run must stop: its cancel, its time limit, how deep it is on the worker's stack and
//! how much the program's memory has grown since it began.

use super::{JqLimits, JqStop};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// A filter whose evaluation nests deeper than this on the stack is stopped ("recursed too
/// deeply"), well before the thread's stack would overflow and end the whole program.
pub(super) const MAX_EVAL_STACK: usize = 64 * 1024 * 1024;

/// Why a run was stopped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Stopped {
    Cancelled,
    TimeUp,
    TooDeep,
    TooMuchMemory,
}

/// Watches one run: its stop flag, its deadline and how deep it is on the worker's stack.
/// Asked at every term jaq evaluates; once it says stop, it says so for good.
pub(super) struct Guard<'s> {
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

impl<'s> Guard<'s> {
    /// A guard for a run that began at `started`: `stack_top` is an address near the top of
    /// the worker's stack, read by the caller in its own frame.
    pub(super) fn new(
        stop: &'s JqStop,
        limits: &JqLimits,
        started: Instant,
        stack_top: usize,
    ) -> Self {
        Guard {
            stop,
            deadline: started + limits.max_time,
            stack_top,
            ticks: Cell::new(0),
            stopped: Cell::new(None),
            memory_start: resident_memory(),
            max_memory: limits.max_memory,
            memory_read: Cell::new(Instant::now()),
        }
    }

    /// Why the run was stopped, if it was.
    pub(super) fn stopped(&self) -> Option<Stopped> {
        self.stopped.get()
    }

    /// Whether the run must end now: asked at every term jaq evaluates.
    pub(super) fn should_stop(&self) -> bool {
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
    pub(super) fn check_now(&self) -> Option<Stopped> {
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

#[cfg(test)]
mod tests {
    use super::Stopped;
    use crate::error::EngineError;
    use crate::requests::jq::messages::stopped_error;
    use crate::requests::jq::tests::{jq, DOC};
    use crate::requests::jq::{run_on, run_on_stoppable, JqLimits, JqStop};
    use std::time::Duration;

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
    fn a_value_nested_millions_of_levels_deep_is_refused_without_overflowing_the_stack() {
        // Built in a few seconds and refused as too deep to show; dropping it recurses once a
        // level (3 million levels overflowed the worker's old 256 MB stack in a debug build).
        let filter = "reduce range(3000000) as $i (null; [.])";
        let e =
            within(Duration::from_secs(60), move || run_on(b"null", filter, &JqLimits::default()))
                .unwrap_err()
                .to_string();
        assert!(e.contains("nests values more than 10000 levels deep, too deep to show"), "{e}");
    }
}
