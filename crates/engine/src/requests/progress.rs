//! How far the answer to a request has come while [`send_with_progress`] runs: bytes received
//! so far, the `Content-Length` when the server gave one, the time since it was sent, and
//! whether the answer has begun. Given through a [`tokio::sync::watch`] channel, which keeps
//! only the latest value, and at most [`UPDATES_PER_SECOND`] times a second while the body
//! comes — a 50 MB body is a few dozen updates, not thousands.
//!
//! [`send_with_progress`]: crate::requests::send::send_with_progress

use serde::Serialize;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The most updates a second while a body comes (the answer's start and end always go out).
pub const UPDATES_PER_SECOND: u64 = 10;

const EVERY: Duration = Duration::from_millis(1000 / UPDATES_PER_SECOND);

/// How far a running request has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SendProgress {
    /// Body bytes received so far, as they came over the network (compressed when the server
    /// compressed them, like `content_length`).
    pub received: u64,
    /// The body's length as the server announced it (`Content-Length`), when it did.
    pub content_length: Option<u64>,
    /// Milliseconds since the request was sent, when this update was made.
    pub elapsed_ms: u64,
    /// The answer has begun: its status and headers have arrived (after any redirect followed).
    pub first_byte: bool,
    /// The body has arrived whole: the last update of the request.
    pub done: bool,
}

/// Where a request's progress goes; its receivers see the latest [`SendProgress`].
pub type ProgressSender = watch::Sender<SendProgress>;

/// A channel for one request's progress (or several, one after the other: each send starts it
/// again from nothing).
pub fn channel() -> (ProgressSender, watch::Receiver<SendProgress>) {
    watch::channel(SendProgress::default())
}

/// Sends a request's progress, the body's updates at most every [`EVERY`]; does nothing
/// without a channel. Each call is given the time it is made (`Instant::now()`; the tests give
/// their own).
pub(crate) struct Reporter<'a> {
    to: Option<&'a ProgressSender>,
    started: Instant,
    last_sent: Instant,
    now: SendProgress,
    /// How many updates went out (for the tests of the throttle).
    sent: u64,
}

impl<'a> Reporter<'a> {
    /// A reporter for a request sent at `started`; tells the receivers it was sent.
    pub(crate) fn start(to: Option<&'a ProgressSender>, started: Instant) -> Reporter<'a> {
        let mut reporter =
            Reporter { to, started, last_sent: started, now: SendProgress::default(), sent: 0 };
        reporter.send(started);
        reporter
    }

    fn send(&mut self, now: Instant) {
        let Some(to) = self.to else { return };
        self.now.elapsed_ms = now.duration_since(self.started).as_millis() as u64;
        self.last_sent = now;
        self.sent += 1;
        // `send_replace` keeps the value even when no one listens (yet).
        to.send_replace(self.now);
    }

    /// The answer has begun; `content_length` as the server announced it.
    pub(crate) fn first_byte(&mut self, content_length: Option<u64>, now: Instant) {
        self.now.first_byte = true;
        self.now.content_length = content_length;
        self.send(now);
    }

    /// `wire` body bytes have arrived in all; told when the last update is old enough.
    pub(crate) fn received(&mut self, wire: u64, now: Instant) {
        self.now.received = wire;
        if now.duration_since(self.last_sent) >= EVERY {
            self.send(now);
        }
    }

    /// The body has arrived whole, `wire` bytes.
    pub(crate) fn done(&mut self, wire: u64, now: Instant) {
        self.now.received = wire;
        self.now.done = true;
        self.send(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fast_stream_of_chunks_is_told_ten_times_a_second() {
        let (tx, rx) = channel();
        let started = Instant::now();
        let mut reporter = Reporter::start(Some(&tx), started);
        reporter.first_byte(Some(50_000_000), started + Duration::from_millis(5));
        // 50 MB in 16 KiB chunks over two seconds.
        let chunks = 50_000_000 / 16_384;
        let at = |n: u64| {
            started + Duration::from_millis(5) + Duration::from_micros(n * 2_000_000 / chunks)
        };
        for n in 1..=chunks {
            reporter.received(n * 16_384, at(n));
        }
        reporter.done(50_000_000, at(chunks));
        let sent = reporter.sent;
        assert!(
            (2 * UPDATES_PER_SECOND..=2 * UPDATES_PER_SECOND + 3).contains(&sent),
            "{sent} updates"
        );
        assert_eq!(
            *rx.borrow(),
            SendProgress {
                received: 50_000_000,
                content_length: Some(50_000_000),
                elapsed_ms: 2005,
                first_byte: true,
                done: true,
            }
        );
    }

    #[test]
    fn the_body_is_told_when_the_last_update_is_old_enough() {
        let (tx, rx) = channel();
        let started = Instant::now();
        let mut reporter = Reporter::start(Some(&tx), started);
        reporter.first_byte(None, started + Duration::from_millis(300));
        reporter.received(10, started + Duration::from_millis(350));
        assert_eq!(rx.borrow().received, 0, "too soon after the answer began");
        reporter.received(20, started + Duration::from_millis(400));
        assert_eq!(
            *rx.borrow(),
            SendProgress {
                received: 20,
                content_length: None,
                elapsed_ms: 400,
                first_byte: true,
                done: false
            }
        );
        assert_eq!(reporter.sent, 3);
    }

    #[test]
    fn without_a_channel_nothing_is_sent() {
        let started = Instant::now();
        let mut reporter = Reporter::start(None, started);
        reporter.first_byte(None, started);
        reporter.received(10, started + Duration::from_secs(1));
        reporter.done(10, started + Duration::from_secs(1));
        assert_eq!(reporter.sent, 0);
    }
}
