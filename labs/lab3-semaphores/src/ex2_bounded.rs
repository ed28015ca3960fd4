//! Exercise 2: a bounded semaphore.
//!
//! A plain semaphore trusts its users: call `release` once too often and it
//! has one permit more than it started with, and from then on one thread
//! too many gets in. Such a bug usually hides far from the symptom. Python's
//! `BoundedSemaphore` turns it into an immediate error at the faulty
//! `release`; this exercise does the same with a typed error.

use std::fmt;
use std::time::Duration;

/// [`BoundedSemaphore::release`] was called while every permit was already
/// free. Provided complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyReleases {
    /// The semaphore's initial (and maximum) number of permits.
    pub permits: usize,
}

impl fmt::Display for TooManyReleases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "released more often than acquired: all {} permits of the bounded semaphore were already free",
            self.permits
        )
    }
}

impl std::error::Error for TooManyReleases {}

/// A semaphore whose count never goes above its initial number of permits.
///
/// It behaves exactly like [`crate::Semaphore`], except that
/// [`BoundedSemaphore::release`] returns an error instead of raising the
/// count above `permits`. Give it its own `Mutex` and `Condvar` (you may
/// copy your `Semaphore` code and change `release`), and remember the
/// initial number of permits.
#[derive(Debug)]
pub struct BoundedSemaphore {
    // Your fields.
}

impl BoundedSemaphore {
    /// A bounded semaphore with `permits` free permits, which is also the
    /// most it will ever hold.
    pub fn new(permits: usize) -> BoundedSemaphore {
        let _ = permits;
        todo!("exercise 2: BoundedSemaphore::new")
    }

    /// Takes a permit, waiting as long as none is free (as in exercise 1).
    pub fn acquire(&self) {
        todo!("exercise 2: BoundedSemaphore::acquire")
    }

    /// Takes a permit if one is free right now; never waits (as in
    /// exercise 1).
    pub fn try_acquire(&self) -> bool {
        todo!("exercise 2: BoundedSemaphore::try_acquire")
    }

    /// Takes a permit, waiting at most `timeout`; returns whether it got
    /// one (as in exercise 1).
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        let _ = timeout;
        todo!("exercise 2: BoundedSemaphore::acquire_timeout")
    }

    /// Gives a permit back and wakes a waiter, or returns
    /// `Err(TooManyReleases { permits })` and changes nothing if all
    /// `permits` are already free.
    ///
    /// Pitfall: building this on top of a [`crate::Semaphore`] as "if
    /// `available_permits() < permits` then `release()`". That is
    /// *check-then-act* across two separate locks: two threads releasing at
    /// the same moment both see room for one more, and both release. The
    /// check and the increment must happen under one lock, in one critical
    /// section.
    pub fn release(&self) -> Result<(), TooManyReleases> {
        todo!("exercise 2: BoundedSemaphore::release")
    }

    /// How many permits are free right now (for reports and tests).
    pub fn available_permits(&self) -> usize {
        todo!("exercise 2: BoundedSemaphore::available_permits")
    }
}
