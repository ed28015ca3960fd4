//! Lab 4 (queues): the reference solution.
//!
//! Same public API as the student crate `labs/lab4-queues`, item for item,
//! so that the public tests and the hidden suite compile against either.
//! The lessons live in the student crate's doc comments; the comments here
//! explain the choices this solution makes. The code that the student crate
//! provides complete (the error types and their trait impls, [`Task`],
//! [`TaskResult`], [`TaskError`], [`words_of`]) is repeated here unchanged.
//!
//! The queue is built from mutexes (one for each end, one for each slot),
//! condition variables and a few atomic counters, all taken from `labsync`,
//! so that the grader's schedule explorer sees every lock, wait, notify and
//! atomic access; `ex1_queue`'s module documentation explains the design. Exercise 3's second version uses a crossbeam
//! channel, which the explorer cannot see into; it is tested on real
//! threads only.

mod ex1_queue;
mod ex3_producers_consumers;
mod ex4_worker_pool;
mod ex5_pipeline;

pub use ex1_queue::{
    BoundedQueue, Closed, GetTimeoutError, PutTimeoutError, TaskDoneError, TryGetError, TryPutError,
};
pub use ex3_producers_consumers::{run_producers_consumers, run_producers_consumers_crossbeam};
pub use ex4_worker_pool::{
    MAX_OPERAND, Task, TaskError, TaskResult, evaluate_multiplication, run_worker_pool,
};
pub use ex5_pipeline::{count_words, run_pipeline, words_of};

use labsync::sync::{LockResult, PoisonError};

/// The guard of a lock or of a condition-variable wait, poisoned or not.
///
/// A mutex is poisoned when a thread panicked while holding it. The queue's
/// mutex guards a few counters and a buffer that are updated in single
/// statements, and no code the queue does not own runs while it is locked
/// (items are moved in and out, never inspected), so a poisoned lock still
/// holds consistent state.
fn ignore_poison<Guard>(result: LockResult<Guard>) -> Guard {
    result.unwrap_or_else(PoisonError::into_inner)
}
