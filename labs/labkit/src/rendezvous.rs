//! Signals that threads can wait on with a deadline: a [`Flag`] raised once
//! and a [`WaitableCounter`] that only goes up.
//!
//! Tests use them to prove that two pieces of work overlap without timing
//! anything: task A raises its flag and waits for B's; if A and B really run
//! at the same time both flags are seen at once, and if they run one after
//! the other the first waits in vain until its deadline. Every wait takes a
//! deadline, so a wrong implementation makes a test fail, never hang.
//!
//! This module must not sleep or poll: waits are condition-variable waits
//! that end as soon as the awaited change happens.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use crate::lock_ignoring_poison;

/// A counter that only goes up and that threads can wait on.
///
/// Clones share the same count.
#[derive(Debug, Clone, Default)]
pub struct WaitableCounter {
    shared: Arc<CounterShared>,
}

#[derive(Debug, Default)]
struct CounterShared {
    count: Mutex<u64>,
    increased: Condvar,
}

impl WaitableCounter {
    /// A counter at zero.
    pub fn new() -> WaitableCounter {
        WaitableCounter::default()
    }

    /// Adds one and wakes everyone waiting.
    pub fn increment(&self) {
        self.add(1);
    }

    /// Adds `amount` and wakes everyone waiting.
    pub fn add(&self, amount: u64) {
        *lock_ignoring_poison(&self.shared.count) += amount;
        self.shared.increased.notify_all();
    }

    /// The current count.
    pub fn get(&self) -> u64 {
        *lock_ignoring_poison(&self.shared.count)
    }

    /// Waits until the count is at least `target` or `deadline` passes, and
    /// returns whether the count got there.
    pub fn wait_until_at_least(&self, target: u64, deadline: Instant) -> bool {
        let mut count = lock_ignoring_poison(&self.shared.count);
        while *count < target {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            count = self
                .shared
                .increased
                .wait_timeout(count, deadline - now)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        true
    }
}

/// A flag that is raised once and stays raised.
///
/// Clones share the same flag.
///
/// ```
/// use std::time::{Duration, Instant};
/// use labkit::Flag;
///
/// let ready = Flag::new();
/// let raiser = ready.clone();
/// let helper = std::thread::spawn(move || raiser.raise());
/// assert!(ready.wait_until_raised(Instant::now() + Duration::from_secs(5)));
/// helper.join().unwrap();
/// ```
#[derive(Debug, Clone, Default)]
pub struct Flag {
    raised: WaitableCounter,
}

impl Flag {
    /// A flag that is not raised yet.
    pub fn new() -> Flag {
        Flag::default()
    }

    /// Raises the flag and wakes everyone waiting for it. Raising it again
    /// changes nothing.
    pub fn raise(&self) {
        self.raised.increment();
    }

    /// Whether the flag has been raised.
    pub fn is_raised(&self) -> bool {
        self.raised.get() > 0
    }

    /// Waits until the flag is raised or `deadline` passes, and returns
    /// whether it was raised.
    pub fn wait_until_raised(&self, deadline: Instant) -> bool {
        self.raised.wait_until_at_least(1, deadline)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_counter_counts_every_increment_from_every_thread() {
        let counter = WaitableCounter::new();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..250 {
                        counter.increment();
                    }
                });
            }
        });
        assert_eq!(counter.get(), 1000);
    }

    #[test]
    fn a_waiter_wakes_when_the_target_is_reached() {
        let counter = WaitableCounter::new();
        let deadline = Instant::now() + Duration::from_secs(5);
        let reached = std::thread::scope(|scope| {
            let waiter = scope.spawn(|| counter.wait_until_at_least(3, deadline));
            counter.add(2);
            counter.increment();
            waiter.join().unwrap()
        });
        assert!(reached);
    }

    #[test]
    fn a_wait_that_is_never_satisfied_ends_at_the_deadline() {
        let counter = WaitableCounter::new();
        counter.increment();
        let deadline = Instant::now() + Duration::from_millis(20);
        assert!(!counter.wait_until_at_least(2, deadline));
        assert!(Instant::now() >= deadline);
    }

    #[test]
    fn a_flag_raised_before_the_wait_is_seen_at_once() {
        let flag = Flag::new();
        assert!(!flag.is_raised());
        flag.raise();
        flag.raise();
        assert!(flag.is_raised());
        // A deadline in the past proves the wait did not need to block.
        assert!(flag.wait_until_raised(Instant::now()));
    }

    #[test]
    fn two_threads_meet_at_a_pair_of_flags() {
        let a_arrived = Flag::new();
        let b_arrived = Flag::new();
        let deadline = Instant::now() + Duration::from_secs(5);
        let (a_met_b, b_met_a) = std::thread::scope(|scope| {
            let a = scope.spawn(|| {
                a_arrived.raise();
                b_arrived.wait_until_raised(deadline)
            });
            let b = scope.spawn(|| {
                b_arrived.raise();
                a_arrived.wait_until_raised(deadline)
            });
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(a_met_b && b_met_a);
    }
}
