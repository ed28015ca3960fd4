//! Exercise 5: an event, a flag that threads can wait for.
//!
//! The flag lives in a `Mutex<bool>`; `set` wakes every waiter with
//! `notify_all`, because every waiter is waiting for the same news and none
//! of them consumes it.

use std::time::{Duration, Instant};

use labsync::sync::{Condvar, Mutex};

use crate::ignore_poison;

/// A flag that starts cleared; threads can wait until it is set.
#[derive(Debug)]
pub struct Event {
    flag: Mutex<bool>,
    flag_set: Condvar,
}

impl Default for Event {
    /// A cleared event, like [`Event::new`].
    fn default() -> Event {
        Event::new()
    }
}

impl Event {
    /// A cleared event.
    pub fn new() -> Event {
        Event {
            flag: Mutex::new(false),
            flag_set: Condvar::new(),
        }
    }

    /// Sets the flag and wakes every thread waiting for it.
    pub fn set(&self) {
        *ignore_poison(self.flag.lock()) = true;
        self.flag_set.notify_all();
    }

    /// Clears the flag; later waits block until the next `set`.
    pub fn clear(&self) {
        *ignore_poison(self.flag.lock()) = false;
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        *ignore_poison(self.flag.lock())
    }

    /// Waits until the flag is set (returns at once if it already is).
    pub fn wait(&self) {
        let mut flag = ignore_poison(self.flag.lock());
        while !*flag {
            flag = ignore_poison(self.flag_set.wait(flag));
        }
    }

    /// Waits until the flag is set or `timeout` has passed; returns whether
    /// the flag is set.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            self.wait();
            return true;
        };
        let mut flag = ignore_poison(self.flag.lock());
        while !*flag {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return false;
            }
            flag = ignore_poison(self.flag_set.wait_timeout(flag, remaining)).0;
        }
        true
    }
}
