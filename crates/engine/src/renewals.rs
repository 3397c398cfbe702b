//! How tokens were renewed: each renewal's way (refresh token, or asking again with a kept
//! secret), counted per engine and logged without any secret, so a long day can be accounted for.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// How one renewal got its new token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewedBy {
    /// The refresh token.
    Refresh,
    /// A new client-credentials or password request with the kept secrets, as a token without a
    /// refresh token is renewed.
    AskingAgain,
    /// The server refused the refresh token, and a new request with the kept secrets got one:
    /// a fall-back to signing in anew, without the user.
    AskingAgainAfterRefreshRefused,
}

/// Renewals so far, by way, and those that failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RenewalTally {
    pub by_refresh: u64,
    pub by_asking_again: u64,
    pub by_asking_again_after_refresh_refused: u64,
    pub failed: u64,
}

impl RenewalTally {
    /// Renewals that got a token.
    pub fn done(&self) -> u64 {
        self.by_refresh + self.by_asking_again + self.by_asking_again_after_refresh_refused
    }

    /// What happened between `earlier` and this tally.
    pub fn since(&self, earlier: &RenewalTally) -> RenewalTally {
        RenewalTally {
            by_refresh: self.by_refresh - earlier.by_refresh,
            by_asking_again: self.by_asking_again - earlier.by_asking_again,
            by_asking_again_after_refresh_refused: self.by_asking_again_after_refresh_refused
                - earlier.by_asking_again_after_refresh_refused,
            failed: self.failed - earlier.failed,
        }
    }
}

/// The engine's running count.
#[derive(Debug, Default)]
pub(crate) struct RenewalCounter {
    by_refresh: AtomicU64,
    by_asking_again: AtomicU64,
    by_asking_again_after_refresh_refused: AtomicU64,
    failed: AtomicU64,
}

impl RenewalCounter {
    /// Counts one renewal of `profile`'s token and logs it (no token, no secret).
    pub(crate) fn note(&self, profile: &str, outcome: Result<RenewedBy, &str>) {
        let counter = match outcome {
            Ok(RenewedBy::Refresh) => &self.by_refresh,
            Ok(RenewedBy::AskingAgain) => &self.by_asking_again,
            Ok(RenewedBy::AskingAgainAfterRefreshRefused) => {
                &self.by_asking_again_after_refresh_refused
            }
            Err(_) => &self.failed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        match outcome {
            Ok(by) => tracing::info!(profile, by = ?by, "renewed the access token"),
            Err(reason) => tracing::warn!(profile, reason, "could not renew the access token"),
        }
    }

    pub(crate) fn tally(&self) -> RenewalTally {
        RenewalTally {
            by_refresh: self.by_refresh.load(Ordering::Relaxed),
            by_asking_again: self.by_asking_again.load(Ordering::Relaxed),
            by_asking_again_after_refresh_refused: self
                .by_asking_again_after_refresh_refused
                .load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_way_is_counted_and_a_tally_can_be_taken_between_two_moments() {
        let counter = RenewalCounter::default();
        counter.note("p", Ok(RenewedBy::Refresh));
        let earlier = counter.tally();
        counter.note("p", Ok(RenewedBy::Refresh));
        counter.note("p", Ok(RenewedBy::AskingAgain));
        counter.note("p", Ok(RenewedBy::AskingAgainAfterRefreshRefused));
        counter.note("p", Err("refused"));
        let now = counter.tally();
        assert_eq!(now.done(), 4);
        assert_eq!(
            now.since(&earlier),
            RenewalTally {
                by_refresh: 1,
                by_asking_again: 1,
                by_asking_again_after_refresh_refused: 1,
                failed: 1
            }
        );
    }
}
