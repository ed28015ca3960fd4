//! Exercise 1: run two tasks at the same time and return both results.

use std::panic;
use std::thread;

/// Runs `task_a` and `task_b` on two new threads and returns
/// `(result of a, result of b)` once both have finished.
///
/// If a task panics, the panic is passed on to the caller after both
/// threads have been joined.
pub fn run_both<TaskA, TaskB, ResultA, ResultB>(task_a: TaskA, task_b: TaskB) -> (ResultA, ResultB)
where
    TaskA: FnOnce() -> ResultA + Send + 'static,
    TaskB: FnOnce() -> ResultB + Send + 'static,
    ResultA: Send + 'static,
    ResultB: Send + 'static,
{
    // Both threads start before either is joined; joining A first and only
    // then spawning B would run the tasks one after the other.
    let thread_a = thread::spawn(task_a);
    let thread_b = thread::spawn(task_b);
    // Join both before looking at either outcome, so a panic in A never
    // leaves B running unobserved.
    let outcome_a = thread_a.join();
    let outcome_b = thread_b.join();
    match (outcome_a, outcome_b) {
        (Ok(result_a), Ok(result_b)) => (result_a, result_b),
        (Err(payload), _) | (_, Err(payload)) => panic::resume_unwind(payload),
    }
}
