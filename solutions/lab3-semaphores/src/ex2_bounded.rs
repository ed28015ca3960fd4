//! Exercise 2: a bounded semaphore, which refuses to be released more often
//! than it was acquired.
//!
//! Same shape as [`crate::Semaphore`], plus the initial count. The check
//! "is the count already at its initial value?" and the increment happen
//! under one lock: done as two steps, two racing extra releases could both
//! pass the check.

use std::fmt;
use std::time::{Duration, Instant};

use labsync::sync::{Condvar, Mutex};

use crate::ignore_poison;

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
#[derive(Debug)]
pub struct BoundedSemaphore {
    permits: usize,
    free_permits: Mutex<usize>,
    permit_returned: Condvar,
}

impl BoundedSemaphore {
    /// A bounded semaphore with `permits` free permits, which is also the
    /// most it will ever hold.
    pub fn new(permits: usize) -> BoundedSemaphore {
        BoundedSemaphore {
            permits,
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
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            self.acquire();
            return true;
        };
        let mut free = ignore_poison(self.free_permits.lock());
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

    /// Gives a permit back, or refuses if every permit is already free.
    pub fn release(&self) -> Result<(), TooManyReleases> {
        let mut free = ignore_poison(self.free_permits.lock());
        if *free >= self.permits {
            return Err(TooManyReleases {
                permits: self.permits,
            });
        }
        *free += 1;
        drop(free);
        self.permit_returned.notify_one();
        Ok(())
    }

    /// How many permits are free right now.
    pub fn available_permits(&self) -> usize {
        *ignore_poison(self.free_permits.lock())
    }
}
