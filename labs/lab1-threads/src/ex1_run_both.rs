//! Exercise 1: run two tasks at the same time and return both results.
//!
//! The lecture's "apples and bananas": picking apples takes 5 units of time
//! and picking bananas 8. One picker does both in 5 + 8 = 13 units; two
//! pickers working at the same time are done in max(5, 8) = 8 units. A
//! thread is such a second picker: `std::thread::spawn` starts a closure
//! running next to the current thread and returns a `JoinHandle`; `join`
//! waits for the closure to finish and hands back its return value.

/// Runs `task_a` and `task_b` at the same time, each on its own thread, and
/// returns `(result of task_a, result of task_b)` once both have finished.
///
/// Build it with `std::thread::spawn` and `JoinHandle::join`. `join`
/// returns `Err` when the task panicked; pass that panic on to the caller
/// with `std::panic::resume_unwind` rather than inventing a result.
///
/// The idea: starting a thread returns at once, and the new thread runs
/// until its closure returns. Two tasks overlap only if both are started
/// before you wait for either.
///
/// Pitfall: `spawn(a).join()` followed by `spawn(b).join()` compiles, uses
/// two threads, and still runs the tasks one after the other, because the
/// first `join` waits for A to finish before B is even started.
///
/// The `'static` bounds come from `spawn`: a spawned thread may outlive the
/// function that started it, so its closure may not borrow anything local.
/// Move what a task needs into it (`move || ...`).
///
/// ```no_run
/// use std::thread::sleep;
/// use std::time::Duration;
///
/// let (apples, bananas) = lab1_threads::run_both(
///     || { sleep(Duration::from_millis(50)); "apples" },
///     || { sleep(Duration::from_millis(80)); "bananas" },
/// );
/// assert_eq!((apples, bananas), ("apples", "bananas"));
/// // Took about 80 ms, not 130 ms.
/// ```
pub fn run_both<TaskA, TaskB, ResultA, ResultB>(task_a: TaskA, task_b: TaskB) -> (ResultA, ResultB)
where
    TaskA: FnOnce() -> ResultA + Send + 'static,
    TaskB: FnOnce() -> ResultB + Send + 'static,
    ResultA: Send + 'static,
    ResultB: Send + 'static,
{
    let _ = (task_a, task_b);
    todo!("exercise 1: run_both")
}
