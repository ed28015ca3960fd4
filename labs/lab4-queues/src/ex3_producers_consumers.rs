//! Exercise 3: many producers and many consumers over one queue, and the
//! same with a crossbeam channel.
//!
//! With a queue between them, producers and consumers never touch each
//! other's data: the queue is the only shared thing, and it already does
//! all the locking. What is left to get right is the *end*: when every
//! producer has finished, every consumer must take what is left in the
//! queue and then stop, without waiting forever and without leaving an
//! item behind. That is a clean shutdown.
//!
//! You write it twice. First over your [`crate::BoundedQueue`], where the
//! shutdown is explicit: somebody closes the queue once the producers are
//! done. Then over a `crossbeam::channel::bounded` channel, the queue that
//! production Rust code usually reaches for, where the shutdown is implicit:
//! a channel *disconnects* when its last `Sender` is dropped, and from then
//! on `recv` fails once the channel is empty.

/// Runs one producer thread per batch and `n_consumers` consumer threads
/// over one [`crate::BoundedQueue`] of `capacity`. Each producer puts the
/// items of its batch, in order; each consumer gets items and calls
/// `consume(item)` for each, until the queue is closed and empty. Returns
/// when every thread has finished. Every item reaches `consume` exactly
/// once.
///
/// What to build, inside one `labsync::thread::scope`:
/// - Spawn the `n_consumers` consumers first: each loops
///   `while let Some(item) = queue.get() { consume(item) }`.
/// - Spawn one producer per batch; each puts its items.
/// - In the calling thread, join every producer, *then* close the queue.
///   The consumers drain what is left and their loops end.
///
/// Scoped threads can borrow the queue and `consume` from the enclosing
/// function: give each `move` closure a reference (`let queue = &queue;`
/// before the closures), not the queue itself.
///
/// Pitfall: closing too early. If the first producer to finish closes the
/// queue, the others' remaining puts fail and their items are lost. Only
/// the thread that knows *every* producer has finished may close.
///
/// # Panics
///
/// If `n_consumers` is zero (nobody would take the items) or `capacity` is
/// zero. You may assume `consume` does not panic.
///
/// ```no_run
/// use labsync::sync::Mutex;
/// use lab4_queues::run_producers_consumers;
///
/// let seen = Mutex::new(Vec::new());
/// run_producers_consumers(4, vec![vec![1, 2], vec![10, 20]], 3, |item| {
///     seen.lock().unwrap().push(item);
/// });
/// let mut seen = seen.into_inner().unwrap();
/// seen.sort();
/// assert_eq!(seen, [1, 2, 10, 20]);
/// ```
pub fn run_producers_consumers<T, Consume>(
    capacity: usize,
    batches: Vec<Vec<T>>,
    n_consumers: usize,
    consume: Consume,
) where
    T: Send,
    Consume: Fn(T) + Sync,
{
    let _ = (capacity, batches, n_consumers, consume);
    todo!("exercise 3: run_producers_consumers")
}

/// The same as [`run_producers_consumers`], over a
/// `crossbeam::channel::bounded(capacity)` channel instead of your queue.
///
/// What to build: make the channel; give each consumer thread its own
/// clone of the `Receiver` and let it loop `for item in receiver { ... }`
/// (the loop ends when the channel is disconnected and empty); give each
/// producer thread its own clone of the `Sender`, and let the producer drop
/// it when its batch is sent (moving it into the thread does that).
///
/// Pitfall: the original `Sender`. The channel disconnects only when
/// *every* sender is gone, and the one `bounded` returned is a sender too.
/// If the calling thread still holds it, the consumers wait forever for
/// items that will never come: drop it once the producers have their
/// clones.
///
/// # Panics
///
/// If `n_consumers` is zero. You may assume `consume` does not panic.
pub fn run_producers_consumers_crossbeam<T, Consume>(
    capacity: usize,
    batches: Vec<Vec<T>>,
    n_consumers: usize,
    consume: Consume,
) where
    T: Send,
    Consume: Fn(T) + Sync,
{
    let _ = (capacity, batches, n_consumers, consume);
    todo!("exercise 3: run_producers_consumers_crossbeam")
}
