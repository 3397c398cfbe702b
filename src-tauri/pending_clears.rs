//! The secrets the app put on the clipboard and has not cleared yet, each with its number: cleared
//! after a delay by the copy that made them, or all at once when the app ends.

use engine::Secret;
use std::sync::{Mutex, MutexGuard};

/// The secrets put on the clipboard and not cleared yet, each with its number.
#[derive(Default)]
pub struct PendingClears(Mutex<(u64, Vec<(u64, Secret)>)>);

impl PendingClears {
    fn lock(&self) -> MutexGuard<'_, (u64, Vec<(u64, Secret)>)> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn add(&self, text: Secret) -> u64 {
        let mut pending = self.lock();
        pending.0 += 1;
        let number = pending.0;
        pending.1.push((number, text));
        number
    }

    pub fn take(&self, number: u64) -> Option<Secret> {
        let mut pending = self.lock();
        let at = pending.1.iter().position(|(n, _)| *n == number)?;
        Some(pending.1.remove(at).1)
    }

    pub fn take_all(&self) -> Vec<Secret> {
        std::mem::take(&mut self.lock().1).into_iter().map(|(_, text)| text).collect()
    }
}
