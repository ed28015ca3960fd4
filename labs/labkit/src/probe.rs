//! A probe that observes concurrency: who is inside a piece of code, and how
//! many at once.
//!
//! A test hands a [`ConcurrencyProbe`] to the code under test and wraps the
//! interesting part of each task in [`ConcurrencyProbe::enter`]. Afterwards
//! the probe tells how many tasks were ever inside at the same moment, how
//! many times anyone entered, and how many distinct threads did the work.
//! These counts are evidence that does not depend on timing: "at most 3
//! workers" is checked by the maximum, "a pool reuses its threads" by the
//! number of distinct threads.
//!
//! The probe only counts; it never judges. Tests compare the counts with
//! what the exercise demands.

use std::collections::HashSet;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::ThreadId;
use std::time::Instant;

use crate::lock_ignoring_poison;

/// Counts how many threads are inside a region at once.
///
/// Cloning a probe gives another handle to the same counts, so a clone can
/// move into each task.
///
/// ```
/// use labkit::ConcurrencyProbe;
///
/// let probe = ConcurrencyProbe::new();
/// std::thread::scope(|scope| {
///     for _ in 0..3 {
///         scope.spawn(|| {
///             let _inside = probe.enter();
///             // ... the work being observed ...
///         });
///     }
/// });
/// assert_eq!(probe.entries(), 3);
/// assert_eq!(probe.inside_now(), 0);
/// assert!(probe.max_inside() <= 3);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ConcurrencyProbe {
    shared: Arc<ProbeShared>,
}

#[derive(Debug, Default)]
struct ProbeShared {
    counts: Mutex<ProbeCounts>,
    /// Signalled whenever someone enters, so waiters on the maximum wake up.
    entered: Condvar,
}

#[derive(Debug, Default)]
struct ProbeCounts {
    inside_now: usize,
    max_inside: usize,
    entries: u64,
    threads_seen: HashSet<ThreadId>,
}

/// Proof of being inside the probed region; leaving happens on drop, even
/// when the task panics.
#[must_use = "the guard leaves the region as soon as it is dropped; bind it with `let _inside = ...`"]
#[derive(Debug)]
pub struct ProbeGuard<'probe> {
    probe: &'probe ConcurrencyProbe,
}

impl ConcurrencyProbe {
    /// A probe with every count at zero.
    pub fn new() -> ConcurrencyProbe {
        ConcurrencyProbe::default()
    }

    /// Enters the region on the current thread until the guard is dropped.
    pub fn enter(&self) -> ProbeGuard<'_> {
        let mut counts = lock_ignoring_poison(&self.shared.counts);
        counts.inside_now += 1;
        counts.max_inside = counts.max_inside.max(counts.inside_now);
        counts.entries += 1;
        counts.threads_seen.insert(std::thread::current().id());
        drop(counts);
        self.shared.entered.notify_all();
        ProbeGuard { probe: self }
    }

    /// How many are inside right now.
    pub fn inside_now(&self) -> usize {
        lock_ignoring_poison(&self.shared.counts).inside_now
    }

    /// The most that were ever inside at the same moment.
    pub fn max_inside(&self) -> usize {
        lock_ignoring_poison(&self.shared.counts).max_inside
    }

    /// How many times anyone entered.
    pub fn entries(&self) -> u64 {
        lock_ignoring_poison(&self.shared.counts).entries
    }

    /// How many different threads entered at least once.
    pub fn distinct_threads(&self) -> usize {
        lock_ignoring_poison(&self.shared.counts).threads_seen.len()
    }

    /// Waits until at least `at_least` have been inside at the same moment,
    /// or until `deadline`. Returns whether that many were seen together.
    ///
    /// This is the building block of a rendezvous: if every task waits here
    /// for all the others, the tasks pass only if they really overlap. Code
    /// that runs them one after another makes the first one wait until the
    /// deadline instead, and the test sees `false`. Passing one shared
    /// deadline to every task bounds the whole test, however many tasks wait.
    pub fn wait_until_max_inside(&self, at_least: usize, deadline: Instant) -> bool {
        let mut counts = lock_ignoring_poison(&self.shared.counts);
        while counts.max_inside < at_least {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            counts = self
                .shared
                .entered
                .wait_timeout(counts, deadline - now)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        true
    }
}

impl Drop for ProbeGuard<'_> {
    fn drop(&mut self) {
        lock_ignoring_poison(&self.probe.shared.counts).inside_now -= 1;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    #[test]
    fn a_fresh_probe_has_seen_nothing() {
        let probe = ConcurrencyProbe::new();
        assert_eq!(probe.inside_now(), 0);
        assert_eq!(probe.max_inside(), 0);
        assert_eq!(probe.entries(), 0);
        assert_eq!(probe.distinct_threads(), 0);
    }

    #[test]
    fn entering_one_after_another_never_counts_two_inside() {
        let probe = ConcurrencyProbe::new();
        for _ in 0..4 {
            let _inside = probe.enter();
            assert_eq!(probe.inside_now(), 1);
        }
        assert_eq!(probe.inside_now(), 0);
        assert_eq!(probe.max_inside(), 1);
        assert_eq!(probe.entries(), 4);
        assert_eq!(probe.distinct_threads(), 1);
    }

    #[test]
    fn nested_guards_count_as_two_inside() {
        let probe = ConcurrencyProbe::new();
        let outer = probe.enter();
        let inner = probe.enter();
        assert_eq!(probe.inside_now(), 2);
        drop(inner);
        drop(outer);
        assert_eq!(probe.max_inside(), 2);
    }

    #[test]
    fn threads_that_wait_for_each_other_are_all_counted_inside() {
        let probe = ConcurrencyProbe::new();
        let deadline = soon();
        let all_met = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..3)
                .map(|_| {
                    scope.spawn(|| {
                        let _inside = probe.enter();
                        probe.wait_until_max_inside(3, deadline)
                    })
                })
                .collect();
            handles.into_iter().all(|handle| handle.join().unwrap())
        });
        assert!(all_met);
        assert_eq!(probe.max_inside(), 3);
        assert_eq!(probe.distinct_threads(), 3);
        assert_eq!(probe.inside_now(), 0);
    }

    #[test]
    fn waiting_for_more_than_ever_enter_gives_up_at_the_deadline() {
        let probe = ConcurrencyProbe::new();
        let _inside = probe.enter();
        let started = Instant::now();
        let deadline = started + Duration::from_millis(30);
        assert!(!probe.wait_until_max_inside(2, deadline));
        assert!(started.elapsed() >= Duration::from_millis(30));
    }

    #[test]
    fn a_panicking_task_still_leaves_the_region() {
        let probe = ConcurrencyProbe::new();
        let outcome = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let _inside = probe.enter();
                    panic!("task failed on purpose");
                })
                .join()
        });
        assert!(outcome.is_err());
        assert_eq!(probe.inside_now(), 0);
        assert_eq!(probe.entries(), 1);
    }
}
