//! Exercise 1: lost updates, and two counters that never lose one.

use labsync::sync::atomic::{AtomicU64, Ordering};
use labsync::sync::{Barrier, Mutex};
use labsync::thread;

/// A counter that several threads may increment at once.
pub trait Counter: Sync {
    /// Adds one.
    fn increment(&self);

    /// The current value.
    fn get(&self) -> u64;
}

/// Increments `counter` `increments_each` times on each of `n_threads`
/// threads at once, waits for all of them, and returns the final value.
pub fn count_on_threads(counter: &impl Counter, n_threads: usize, increments_each: u64) -> u64 {
    // Starting a thread takes longer than 100,000 increments: without the
    // barrier the first thread would be done before the second began, and
    // the increments would never overlap.
    let everyone_ready = Barrier::new(n_threads);
    thread::scope(|scope| {
        for _ in 0..n_threads {
            scope.spawn(|| {
                everyone_ready.wait();
                for _ in 0..increments_each {
                    counter.increment();
                }
            });
        }
    });
    counter.get()
}

/// The lecture's broken counter: a load, then a store of the value + 1.
#[derive(Debug, Default)]
pub struct RacyCounter {
    value: AtomicU64,
}

impl RacyCounter {
    /// A counter at zero.
    pub fn new() -> RacyCounter {
        RacyCounter::default()
    }
}

impl Counter for RacyCounter {
    fn increment(&self) {
        let seen = self.value.load(Ordering::SeqCst);
        // Another thread may increment right here; its update is then
        // overwritten by the store below.
        self.value.store(seen + 1, Ordering::SeqCst);
    }

    fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}

/// A counter whose value lives inside a `Mutex`.
#[derive(Debug, Default)]
pub struct MutexCounter {
    value: Mutex<u64>,
}

impl MutexCounter {
    /// A counter at zero.
    pub fn new() -> MutexCounter {
        MutexCounter::default()
    }
}

impl Counter for MutexCounter {
    /// Read, add and write under one guard.
    fn increment(&self) {
        *self.value.lock().unwrap() += 1;
    }

    fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}

/// A counter that is a single atomic integer.
#[derive(Debug, Default)]
pub struct AtomicCounter {
    value: AtomicU64,
}

impl AtomicCounter {
    /// A counter at zero.
    pub fn new() -> AtomicCounter {
        AtomicCounter::default()
    }
}

impl Counter for AtomicCounter {
    /// One indivisible read-modify-write. `SeqCst` for simplicity: the
    /// counter orders nothing else, so `Relaxed` would be as correct.
    fn increment(&self) {
        self.value.fetch_add(1, Ordering::SeqCst);
    }

    fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
