//! Exercise 4: signalling with a semaphore that starts at zero.
//!
//! A semaphore does not have to count resources. Created with no permits,
//! it is a message: "acquire" means "wait for the news", "release" means
//! "here is the news". Thread B acquires and waits; thread A does its step
//! and releases; only then does B go on. The order is guaranteed whatever
//! the scheduler does, without any sleep.

/// Runs `first` and `second` on two new threads such that `second` starts
/// only after `first` has finished; returns both outputs.
///
/// What to build:
/// - A [`crate::Semaphore`] with 0 permits, and a `labsync::thread::scope`.
/// - Spawn the thread for `second` *first*: it acquires a permit (and so
///   waits), then runs `second()`.
/// - Then spawn the thread for `first`: it runs `first()`, then releases
///   one permit.
/// - Join both and return `(first's output, second's output)`.
///
/// The idea: the second thread may well be scheduled before the first; the
/// semaphore makes the order independent of that. Starting B first in this
/// exercise makes the point: without the semaphore, B would usually win.
///
/// Pitfall: releasing *before* `first()` runs, or acquiring after
/// `second()`. The signal must sit exactly between "A's step is done" and
/// "B's step begins".
///
/// You may assume neither step panics.
///
/// ```no_run
/// use lab3_semaphores::run_in_order;
///
/// let (greeting, answer) = run_in_order(|| "hello", || 42);
/// assert_eq!((greeting, answer), ("hello", 42));
/// ```
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
    let _ = (first, second);
    todo!("exercise 4: run_in_order")
}
