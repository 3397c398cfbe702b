//! The bound on every keychain call: the blocking call runs on a thread of its own, and the
//! caller waits for it at most a set time, so a locked keychain whose unlock prompt nobody
//! answers, or a Secret Service daemon that stopped answering, never hangs the app or the CLI.
//!
//! The bound holds on every platform (macOS's Keychain can wait on a prompt too); what it was
//! made for is Secret Service on Linux, whose calls go through D-Bus to a daemon.
//!
//! A call that passed its bound cannot be stopped (the keychain library blocks inside D-Bus):
//! its thread is left to finish on its own, and its answer is dropped. So that such threads
//! never pile up, a vault runs one keychain call at a time, and while an abandoned call is still
//! waiting for the keychain every later call fails at once with the same "did not answer"
//! error instead of starting another thread behind it. At most one thread per vault is ever
//! stuck; once its call returns (the keychain was unlocked, or its daemon came back or died),
//! calls go through again. One call at a time also spares the keychain daemon sessions opened
//! from several threads at once (gnome-keyring 42 has crashed on those).

use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a keychain call may take unless told otherwise.
pub const DEFAULT_KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// The environment variable that sets the bound in milliseconds, for the app and the CLI
/// alike (tests set it low; a slow keychain may want it higher).
pub const KEYCHAIN_TIMEOUT_ENV: &str = "SCOPESTACK_COMPANION_KEYCHAIN_TIMEOUT_MS";

/// The bound from [`KEYCHAIN_TIMEOUT_ENV`], or [`DEFAULT_KEYCHAIN_TIMEOUT`] when it is unset or
/// not a whole number of milliseconds above zero.
pub fn timeout_from_env() -> Duration {
    std::env::var(KEYCHAIN_TIMEOUT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&ms| ms > 0)
        .map_or(DEFAULT_KEYCHAIN_TIMEOUT, Duration::from_millis)
}

/// Why a bounded call gave no answer.
#[derive(Debug, PartialEq, Eq)]
pub enum NoAnswer {
    /// The keychain did not answer within the bound (or an earlier call is still stuck).
    TimedOut,
    /// The thread for the call could not be started, or ended without an answer.
    NoThread(String),
}

#[derive(Default)]
struct Gate {
    /// A call's thread is running.
    busy: bool,
    /// ... and its caller stopped waiting for it.
    abandoned: bool,
}

/// Runs blocking calls one at a time, each waited for at most `timeout`.
pub struct Bound {
    timeout: Duration,
    gate: Arc<(Mutex<Gate>, Condvar)>,
}

fn lock(m: &Mutex<Gate>) -> MutexGuard<'_, Gate> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Frees the gate when a call's thread ends, even by a panic.
struct Release(Arc<(Mutex<Gate>, Condvar)>);

impl Drop for Release {
    fn drop(&mut self) {
        let (gate, freed) = &*self.0;
        *lock(gate) = Gate::default();
        freed.notify_all();
    }
}

impl Bound {
    pub fn new(timeout: Duration) -> Bound {
        Bound { timeout, gate: Arc::default() }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Runs `call` on a thread of its own and waits for its answer until the bound, counted from
    /// now (waiting for an earlier call to finish counts too). Fails at once while an abandoned
    /// call is still running.
    pub fn run<T: Send + 'static>(
        &self,
        call: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, NoAnswer> {
        let deadline = Instant::now() + self.timeout;
        let (gate, freed) = &*self.gate;
        let mut state = lock(gate);
        loop {
            if state.abandoned {
                return Err(NoAnswer::TimedOut);
            }
            if !state.busy {
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(NoAnswer::TimedOut);
            }
            state = freed.wait_timeout(state, left).unwrap_or_else(|p| p.into_inner()).0;
        }
        state.busy = true;
        drop(state);

        let (tx, rx) = mpsc::channel();
        let release = Release(Arc::clone(&self.gate));
        let spawned = std::thread::Builder::new().name("keychain call".into()).spawn(move || {
            let _release = release;
            let _ = tx.send(call());
        });
        if let Err(e) = spawned {
            // The closure, and with it `release`, was dropped: the gate is free again.
            return Err(NoAnswer::NoThread(e.to_string()));
        }
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(answer) => Ok(answer),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let mut state = lock(gate);
                // The answer may have come between the timeout and taking the lock.
                match rx.try_recv() {
                    Ok(answer) => Ok(answer),
                    Err(_) => {
                        // Still running (a finished thread has reset `busy`): leave it behind.
                        if state.busy {
                            state.abandoned = true;
                        }
                        Err(NoAnswer::TimedOut)
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err(NoAnswer::NoThread("the keychain call ended without an answer".into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_within_the_bound_is_returned() {
        let bound = Bound::new(Duration::from_secs(5));
        assert_eq!(bound.run(|| 42), Ok(42));
        assert_eq!(bound.run(|| "again"), Ok("again"));
    }

    #[test]
    fn a_call_past_its_bound_gives_no_answer_and_later_calls_fail_at_once_until_it_returns() {
        let bound = Bound::new(Duration::from_millis(200));
        let (release, stuck) = mpsc::channel::<()>();
        let started = Instant::now();
        assert_eq!(
            bound.run(move || {
                let _ = stuck.recv();
            }),
            Err(NoAnswer::TimedOut)
        );
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(200), "gave up early: {waited:?}");

        // The stuck call still runs: no second thread is started behind it.
        let ran = Arc::new(Mutex::new(false));
        let flag = Arc::clone(&ran);
        let started = Instant::now();
        let second = bound.run(move || *flag.lock().unwrap() = true);
        assert_eq!(second, Err(NoAnswer::TimedOut));
        assert!(!*ran.lock().unwrap(), "a second call ran while the first was stuck");
        assert!(started.elapsed() < Duration::from_millis(150), "failed at once");

        // Once the stuck call returns, calls go through again.
        release.send(()).unwrap();
        let started = Instant::now();
        loop {
            match bound.run(|| 7) {
                Ok(v) => break assert_eq!(v, 7),
                Err(_) if started.elapsed() < Duration::from_secs(5) => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Err(e) => panic!("the gate never opened again: {e:?}"),
            }
        }
    }

    #[test]
    fn calls_wait_their_turn_within_their_own_bound() {
        let bound = Arc::new(Bound::new(Duration::from_secs(5)));
        let (release, slow) = mpsc::channel::<()>();
        let first = {
            let bound = Arc::clone(&bound);
            std::thread::spawn(move || {
                bound.run(move || {
                    let _ = slow.recv();
                    1
                })
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        let second = {
            let bound = Arc::clone(&bound);
            std::thread::spawn(move || bound.run(|| 2))
        };
        std::thread::sleep(Duration::from_millis(100));
        release.send(()).unwrap();
        assert_eq!(first.join().unwrap(), Ok(1));
        assert_eq!(second.join().unwrap(), Ok(2));
    }

    #[test]
    fn a_call_that_panics_frees_the_gate() {
        let bound = Bound::new(Duration::from_secs(5));
        assert!(matches!(bound.run(|| -> i32 { panic!("boom") }), Err(NoAnswer::NoThread(_))));
        assert_eq!(bound.run(|| 3), Ok(3));
    }
}
