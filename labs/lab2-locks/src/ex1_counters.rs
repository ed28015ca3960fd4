//! Exercise 1: lost updates, and two counters that never lose one.
//!
//! The lecture's first race: two threads each add one to a shared counter
//! 100,000 times, and the total comes out short of 200,000. Adding one looks
//! like a single step, but it is three: read the value, add one, write the
//! result back. When two threads both read 41 before either writes, both
//! write 42, and one of the two increments is lost.
//!
//! [`RacyCounter`] is that bug, provided so you can watch it happen
//! (`cargo run -p lab2-locks --release --example lost_updates`). Each of its
//! two steps is atomic on its own; the pair is not. You write two counters
//! that make the whole read-add-write one indivisible step:
//! [`MutexCounter`] with a lock, [`AtomicCounter`] with a single atomic
//! read-modify-write instruction.

use labsync::sync::atomic::{AtomicU64, Ordering};
use labsync::sync::{Barrier, Mutex};
use labsync::thread;

/// A counter that several threads may increment at once. Provided complete.
///
/// `increment` takes `&self`, not `&mut self`: every thread holds a shared
/// reference to the same counter, so the counter itself must make
/// concurrent increments safe. That is what `Sync` promises.
pub trait Counter: Sync {
    /// Adds one.
    fn increment(&self);

    /// The current value.
    fn get(&self) -> u64;
}

/// Increments `counter` `increments_each` times on each of `n_threads`
/// threads at once (all start counting together), waits for all of them,
/// and returns the final value. Provided complete.
///
/// A correct counter that started at zero returns exactly
/// `n_threads * increments_each`, every time.
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

/// The lecture's broken counter: it reads the value, then writes value + 1,
/// as two separate steps. Provided complete, as a demonstration; do not
/// copy it.
///
/// Two threads can both read the same value between each other's read and
/// write, and then both write the same result: one increment disappears.
/// On a machine with two cores, 2 threads x 100,000 increments typically
/// end tens of thousands short of 200,000, and a different number each run.
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
    /// A counter at zero. Provided complete.
    pub fn new() -> MutexCounter {
        MutexCounter::default()
    }
}

impl Counter for MutexCounter {
    /// Adds one while holding the lock.
    ///
    /// What to build: `lock()` the mutex, add one through the guard
    /// (`*guard += 1`), and let the guard go out of scope, which unlocks.
    /// Between `lock()` and the guard's drop no other thread can touch the
    /// value: read, add and write form one *critical section*.
    ///
    /// `lock()` returns a `Result`, because the lock is *poisoned* when a
    /// thread panicked while holding it (exercise 5 is about that). Here,
    /// `.unwrap()` is fine.
    ///
    /// Pitfall: `let seen = *self.value.lock().unwrap();` followed by
    /// `*self.value.lock().unwrap() = seen + 1;` takes the lock twice, and
    /// the race is back: another thread can lock in between. The read and
    /// the write must happen under the same guard.
    fn increment(&self) {
        let _ = &self.value;
        todo!("exercise 1: MutexCounter::increment")
    }

    /// The current value, read under the lock.
    fn get(&self) -> u64 {
        todo!("exercise 1: MutexCounter::get")
    }
}

/// A counter that is a single atomic integer.
#[derive(Debug, Default)]
pub struct AtomicCounter {
    value: AtomicU64,
}

impl AtomicCounter {
    /// A counter at zero. Provided complete.
    pub fn new() -> AtomicCounter {
        AtomicCounter::default()
    }
}

impl Counter for AtomicCounter {
    /// Adds one with one atomic read-modify-write: `fetch_add`.
    ///
    /// What to build: `self.value.fetch_add(1, Ordering::SeqCst)`. The
    /// processor performs the read, the addition and the write as one
    /// instruction that no other core can split, so no lock is needed and
    /// no increment is lost. (`SeqCst` is the simplest memory ordering to
    /// reason about; a plain counter would also be right with `Relaxed`.)
    ///
    /// Pitfall: [`RacyCounter`] also uses an atomic, yet loses updates.
    /// Atomic loads and stores are each indivisible, but a `load` followed
    /// by a `store` is two operations with a gap between them. Only the
    /// read-modify-write operations (`fetch_add`, `fetch_update`,
    /// `compare_exchange`) close that gap.
    fn increment(&self) {
        let _ = &self.value;
        todo!("exercise 1: AtomicCounter::increment")
    }

    /// The current value.
    fn get(&self) -> u64 {
        todo!("exercise 1: AtomicCounter::get")
    }
}
