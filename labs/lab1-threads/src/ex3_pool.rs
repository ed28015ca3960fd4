//! Exercise 3: a thread pool that maps a function over a list of items.
//!
//! Python's `ThreadPoolExecutor(max_workers=3).map(job, [1, 2, 3])` runs
//! jobs of 1, 2 and 3 units on three threads and is done in 3 units. A pool
//! starts a fixed number of worker threads once and lets each worker take
//! the next waiting item whenever it is free, so a thousand items need
//! three threads, not a thousand, and a slow item does not hold up the
//! others.

use std::fmt;

/// Why [`pool_map`] could not produce every output. Provided complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// The pool was asked to run with zero worker threads.
    NoWorkers,
    /// The work panicked for the item at `item_idx` (its position in the
    /// input); `message` is the panic's message.
    TaskPanicked { item_idx: usize, message: String },
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolError::NoWorkers => write!(f, "a pool needs at least one worker thread, got 0"),
            PoolError::TaskPanicked { item_idx, message } => {
                write!(f, "the work for item {item_idx} panicked: {message}")
            }
        }
    }
}

impl std::error::Error for PoolError {}

/// Applies `work` to every item on at most `n_workers` threads and returns
/// the outputs in input order.
///
/// What to build:
/// - `n_workers == 0` is an error: [`PoolError::NoWorkers`].
/// - Start `min(n_workers, items.len())` worker threads once (scoped
///   threads are fine: `std::thread::scope`). Never one thread per item.
/// - Each worker loops: take the next unclaimed `(item_idx, item)` from a
///   shared queue, for example a `Mutex` around
///   `items.into_iter().enumerate()`, run `work(item)`, remember the output
///   with its index; stop when the queue is empty.
/// - Put the outputs back in input order using the indices.
/// - If `work` panics, catch it in the worker
///   (`std::panic::catch_unwind(AssertUnwindSafe(|| work(item)))`), stop
///   handing out new items, let the running ones finish, and return
///   [`PoolError::TaskPanicked`] for the smallest index whose work panicked,
///   with the panic's message (a `panic!` payload is a `&str` or a
///   `String`; try `downcast_ref` for both).
///
/// The idea: handing out items one at a time keeps every worker busy. If
/// item 0 is slow, the other workers carry on with items 1, 2, 3, ...
/// instead of waiting for a fixed share that happens to sit behind item 0.
///
/// Pitfall: `while let Some((item_idx, item)) = queue.lock().unwrap().next()
/// { ... }` keeps the lock for the whole loop body, because a temporary in a
/// `while let` condition lives until the body ends. The work then runs
/// with the queue locked and the pool does one item at a time. Take the
/// item in its own `let` statement, so the guard is dropped at the `;`,
/// before the work starts.
///
/// ```no_run
/// use lab1_threads::{pool_map, PoolError};
///
/// let lengths = pool_map(vec!["apple", "kiwi", "banana"], 2, |fruit| fruit.len());
/// assert_eq!(lengths, Ok(vec![5, 4, 6]));
///
/// let outcome = pool_map(vec![1, 2, 3], 2, |n| if n == 2 { panic!("two is bad") } else { n });
/// assert_eq!(
///     outcome,
///     Err(PoolError::TaskPanicked { item_idx: 1, message: "two is bad".to_owned() })
/// );
/// ```
pub fn pool_map<Item, Output, Work>(
    items: Vec<Item>,
    n_workers: usize,
    work: Work,
) -> Result<Vec<Output>, PoolError>
where
    Item: Send,
    Output: Send,
    Work: Fn(Item) -> Output + Sync,
{
    let _ = (items, n_workers, work);
    todo!("exercise 3: pool_map")
}
