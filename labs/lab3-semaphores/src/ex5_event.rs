//! Exercise 5: an event.
//!
//! An event is a flag that threads can wait for: workers wait until the
//! master has finished initialising, a master waits until a worker says it
//! is done. Python's `threading.Event` has `set`, `clear`, `is_set` and
//! `wait(timeout)`. Unlike a semaphore's permit, the news an event carries is
//! not used up by the thread that sees it: one `set` lets every waiter
//! through, and every later `wait` too, until someone calls `clear`.

use std::time::Duration;

/// A flag that starts cleared; threads can wait until it is set.
///
/// A `Mutex<bool>` and a `Condvar` are enough.
#[derive(Debug)]
pub struct Event {
    // Your fields.
}

impl Default for Event {
    /// A cleared event, like [`Event::new`]. Provided complete.
    fn default() -> Event {
        Event::new()
    }
}

impl Event {
    /// A cleared event.
    pub fn new() -> Event {
        todo!("exercise 5: Event::new")
    }

    /// Sets the flag and wakes every thread waiting for it.
    ///
    /// Pitfall: `notify_one`. It wakes one waiter; the flag is set for all
    /// of them, but the others are never told and sleep on, forever. A
    /// semaphore's `release` hands out one permit, so waking one waiter is
    /// right there; here everybody may go, so use `notify_all`.
    pub fn set(&self) {
        todo!("exercise 5: Event::set")
    }

    /// Clears the flag: later calls to `wait` block until the next `set`.
    pub fn clear(&self) {
        todo!("exercise 5: Event::clear")
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        todo!("exercise 5: Event::is_set")
    }

    /// Waits until the flag is set; returns at once if it already is.
    ///
    /// Wait in a `while` loop that re-checks the flag, as in exercise 1.
    pub fn wait(&self) {
        todo!("exercise 5: Event::wait")
    }

    /// Waits until the flag is set or `timeout` has passed, and returns
    /// whether the flag is set (Python's `wait(timeout)` returns the same).
    ///
    /// Same deadline loop as [`crate::Semaphore::acquire_timeout`]: wait
    /// only for the time left until the deadline.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let _ = timeout;
        todo!("exercise 5: Event::wait_timeout")
    }
}
