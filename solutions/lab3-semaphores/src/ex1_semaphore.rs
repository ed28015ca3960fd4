//! Exercise 1: a counting semaphore built from a mutex and a condition
//! variable.
//!
//! The count of free permits lives in a `Mutex<usize>`; `permit_returned` is
//! notified whenever the count goes up. Every decision to take a permit is
//! made while holding the lock, after re-reading the count in a `while`
//! loop, so a waiter that wakes up to find the permit already taken by
//! another thread simply waits again.

use std::time::{Duration, Instant};

use labsync::sync::{Condvar, Mutex};

use crate::ignore_poison;

/// A counting semaphore: at most `permits` holders at once.
#[derive(Debug)]
pub struct Semaphore {
    free_permits: Mutex<usize>,
    permit_returned: Condvar,
}

/// One permit of a [`Semaphore`], given back when the guard is dropped.
#[must_use = "the permit is given back as soon as the guard is dropped; bind it with `let _permit = ...`"]
#[derive(Debug)]
pub struct SemaphorePermit<'semaphore> {
    semaphore: &'semaphore Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` free permits.
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            free_permits: Mutex::new(permits),
            permit_returned: Condvar::new(),
        }
    }

    /// Takes a permit, waiting as long as none is free.
    pub fn acquire(&self) {
        let mut free = ignore_poison(self.free_permits.lock());
        while *free == 0 {
            free = ignore_poison(self.permit_returned.wait(free));
        }
        *free -= 1;
    }

    /// Takes a permit if one is free right now; never waits.
    pub fn try_acquire(&self) -> bool {
        let mut free = ignore_poison(self.free_permits.lock());
        if *free == 0 {
            return false;
        }
        *free -= 1;
        true
    }

    /// Takes a permit, waiting at most `timeout`; returns whether it got one.
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        // A timeout too long to add to the clock is as good as no timeout.
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            self.acquire();
            return true;
        };
        let mut free = ignore_poison(self.free_permits.lock());
        // The count is checked before the clock: a waiter woken by a
        // release at the same moment as its timeout takes the permit rather
        // than leave it, and the wake-up it consumed, to nobody.
        while *free == 0 {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return false;
            }
            free = ignore_poison(self.permit_returned.wait_timeout(free, remaining)).0;
        }
        *free -= 1;
        true
    }

    /// Gives a permit back and wakes one waiter, if any.
    pub fn release(&self) {
        let mut free = ignore_poison(self.free_permits.lock());
        *free += 1;
        drop(free);
        // One permit can satisfy one waiter. If another thread takes it
        // before the woken waiter runs, that waiter finds the count at zero
        // and waits again; no permit and no wake-up is lost.
        self.permit_returned.notify_one();
    }

    /// Takes a permit (waiting as long as needed) and returns a guard that
    /// gives it back when dropped.
    pub fn permit(&self) -> SemaphorePermit<'_> {
        self.acquire();
        SemaphorePermit { semaphore: self }
    }

    /// How many permits are free right now (already stale when it returns,
    /// if other threads are busy with the semaphore).
    pub fn available_permits(&self) -> usize {
        *ignore_poison(self.free_permits.lock())
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
