//! Exercise 1: a counting semaphore.
//!
//! A semaphore holds a number of permits. `acquire` takes one, waiting as
//! long as none is free; `release` gives one back. With `n` permits, at most
//! `n` threads are ever between an `acquire` and its `release`: that is how
//! a program says "no more than 3 downloads at once" or "only 2 threads may
//! use the printer". Python's `threading.Semaphore(n)` is exactly this;
//! Rust's standard library has none, so you build it from the two tools it
//! does have: a `Mutex` for the count and a `Condvar` to sleep on until the
//! count changes.

use std::time::Duration;

/// A counting semaphore: at most `permits` holders at once.
///
/// Build it from a `labsync::sync::Mutex` and a `labsync::sync::Condvar`.
/// A `Mutex<usize>` holding the number of free permits and one `Condvar`
/// that [`Semaphore::release`] notifies are all you need. All methods take
/// `&self`, so one semaphore can be shared by many threads (through an
/// `Arc`, or borrowed by scoped threads).
#[derive(Debug)]
pub struct Semaphore {
    // Your fields.
}

/// One permit of a [`Semaphore`], given back when the guard is dropped.
///
/// This is the RAII idea that `MutexGuard` uses too: holding the guard *is*
/// holding the permit, and the permit comes back when the guard goes out of
/// scope, even if the code using it returns early or panics. Its `Drop` is
/// written for you; [`Semaphore::permit`] creates it.
#[must_use = "the permit is given back as soon as the guard is dropped; bind it with `let _permit = ...`"]
#[derive(Debug)]
pub struct SemaphorePermit<'semaphore> {
    semaphore: &'semaphore Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` free permits. Zero is allowed: then every
    /// `acquire` waits for a `release` (exercise 4 uses that).
    pub fn new(permits: usize) -> Semaphore {
        let _ = permits;
        todo!("exercise 1: Semaphore::new")
    }

    /// Takes a permit, waiting as long as none is free.
    ///
    /// Lock the count; while it is zero, wait on the condition variable
    /// (`condvar.wait(guard)` unlocks while it sleeps and gives the guard
    /// back, locked again, when it wakes); then take a permit by decreasing
    /// the count, still under the lock.
    ///
    /// The idea: checking the count and taking a permit must be one step
    /// that nobody can interrupt. Between "I saw 1 free permit" and "I took
    /// it", another thread must not be able to take it too; holding the
    /// lock across both makes them one step.
    ///
    /// Pitfall: `if count == 0 { wait }` instead of `while count == 0 {
    /// wait }`. Waking up only means "the count changed, look again": by the
    /// time the woken thread has the lock back, a third thread may already
    /// have taken the permit that was released, and the condition variable
    /// may even wake a thread for no reason at all (a *spurious wake-up*).
    /// With `if`, the woken thread takes a permit that is not there. Always
    /// wait in a loop that re-checks the condition.
    pub fn acquire(&self) {
        todo!("exercise 1: Semaphore::acquire")
    }

    /// Takes a permit if one is free right now and returns `true`; returns
    /// `false` at once, without waiting, if none is free.
    pub fn try_acquire(&self) -> bool {
        todo!("exercise 1: Semaphore::try_acquire")
    }

    /// Takes a permit, waiting at most `timeout`; returns whether it got
    /// one (Python's `acquire(timeout=...)`).
    ///
    /// Compute the deadline once (`Instant::now() + timeout`), then loop
    /// like [`Semaphore::acquire`], but wait with
    /// `condvar.wait_timeout(guard, time_left)`, where `time_left` is the
    /// time from now to the deadline, and give up when the deadline has
    /// passed and the count is still zero.
    ///
    /// Pitfall: waiting the full `timeout` again after every wake-up. A
    /// waiter woken five times for permits that others grabbed would then
    /// wait five timeouts. Wait only for what is left until the deadline.
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        let _ = timeout;
        todo!("exercise 1: Semaphore::acquire_timeout")
    }

    /// Gives a permit back and wakes a thread waiting in `acquire`, if any.
    ///
    /// Increase the count under the lock, then notify the condition
    /// variable. One permit can let one waiter through, so `notify_one` is
    /// enough here (exercise 5 is different).
    ///
    /// Pitfall: forgetting to notify. The count goes up, but the threads
    /// sleeping in `acquire` are never told; they sleep forever next to a
    /// free permit. That is a *lost wake-up*.
    ///
    /// Like Python's `Semaphore.release`, this may raise the count above
    /// the number of permits the semaphore started with; exercise 2 is the
    /// semaphore that refuses.
    pub fn release(&self) {
        todo!("exercise 1: Semaphore::release")
    }

    /// Takes a permit like [`Semaphore::acquire`] and returns a guard that
    /// releases it when dropped:
    ///
    /// ```no_run
    /// use lab3_semaphores::Semaphore;
    ///
    /// let printers = Semaphore::new(2);
    /// {
    ///     let _permit = printers.permit();
    ///     // ... at most two threads at a time get here ...
    /// } // the permit goes back here, even if the code above panicked
    /// assert_eq!(printers.available_permits(), 2);
    /// ```
    ///
    /// Acquire first, then build the guard:
    /// `SemaphorePermit { semaphore: self }`.
    pub fn permit(&self) -> SemaphorePermit<'_> {
        todo!("exercise 1: Semaphore::permit")
    }

    /// How many permits are free right now.
    ///
    /// The answer may already be out of date when the caller reads it, if
    /// other threads are using the semaphore: it is for reports and tests,
    /// never for deciding whether to acquire (that is `try_acquire`'s job,
    /// which decides under the lock).
    pub fn available_permits(&self) -> usize {
        todo!("exercise 1: Semaphore::available_permits")
    }
}

impl Drop for SemaphorePermit<'_> {
    /// Gives the permit back. Provided complete.
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
