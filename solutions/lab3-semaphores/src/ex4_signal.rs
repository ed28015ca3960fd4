//! Exercise 4: signalling between threads with a semaphore that starts at
//! zero.
//!
//! The second step's thread is started first and takes a permit from a
//! semaphore with none: it waits. The first step's thread releases one when
//! its step is done. The permit carries "A is done" from one thread to the
//! other; nothing is timed.

use std::panic;

use labsync::thread;

use crate::Semaphore;

/// Runs `first` and `second` on two threads so that `second` starts only
/// after `first` has finished; returns both outputs.
///
/// # Panics
///
/// If either step panics, with that step's panic.
pub fn run_in_order<First, Second, FirstOutput, SecondOutput>(
    first: First,
    second: Second,
) -> (FirstOutput, SecondOutput)
where
    First: FnOnce() -> FirstOutput + Send,
    Second: FnOnce() -> SecondOutput + Send,
    FirstOutput: Send,
    SecondOutput: Send,
{
    let first_done = Semaphore::new(0);
    thread::scope(|scope| {
        let second_thread = scope.spawn(|| {
            first_done.acquire();
            second()
        });
        let first_thread = scope.spawn(|| {
            // Signals on the way out even if `first` panics, so the second
            // thread is never left waiting and the scope can end; the panic
            // is passed on below.
            let _signal = SignalOnDrop(&first_done);
            first()
        });
        let first_output = first_thread
            .join()
            .unwrap_or_else(|payload| panic::resume_unwind(payload));
        let second_output = second_thread
            .join()
            .unwrap_or_else(|payload| panic::resume_unwind(payload));
        (first_output, second_output)
    })
}

/// Releases the semaphore when dropped.
struct SignalOnDrop<'semaphore>(&'semaphore Semaphore);

impl Drop for SignalOnDrop<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}
