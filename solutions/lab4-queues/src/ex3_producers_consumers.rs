//! Exercise 3: many producers and many consumers, over the lab's
//! `BoundedQueue` and over a crossbeam channel.
//!
//! Both versions end the same way: when every producer has finished, the
//! consumers are told "no more items" and leave once they have taken what
//! is left. With the queue, the calling thread joins the producers and then
//! closes the queue. With the channel, the end is implicit: each producer
//! owns a clone of the sender and drops it when done, the original is
//! dropped before the consumers could wait on it, and `recv` fails once
//! every sender is gone and the channel is empty.

use labsync::thread;

use crate::BoundedQueue;

/// Runs one producer thread per batch and `n_consumers` consumer threads
/// over one `BoundedQueue` of `capacity`; every item goes to `consume` on
/// some consumer thread, exactly once.
///
/// # Panics
///
/// If `n_consumers` or `capacity` is zero, or (once the others are done) if
/// a producer or consumer panicked; if every consumer panics, the producers
/// can be left waiting for room (callers must not let `consume` panic).
pub fn run_producers_consumers<T, Consume>(
    capacity: usize,
    batches: Vec<Vec<T>>,
    n_consumers: usize,
    consume: Consume,
) where
    T: Send,
    Consume: Fn(T) + Sync,
{
    assert!(
        n_consumers > 0,
        "run_producers_consumers needs at least one consumer: nobody would take the items"
    );
    let queue = BoundedQueue::new(capacity);
    let (queue, consume) = (&queue, &consume);
    thread::scope(|scope| {
        let consumers: Vec<_> = (0..n_consumers)
            .map(|_| {
                scope.spawn(move || {
                    while let Some(item) = queue.get() {
                        consume(item);
                    }
                })
            })
            .collect();
        let producers: Vec<_> = batches
            .into_iter()
            .map(|batch| {
                scope.spawn(move || {
                    for item in batch {
                        // Nobody closes the queue before every producer has
                        // finished, so a put never fails here.
                        let _ = queue.put(item);
                    }
                })
            })
            .collect();
        let producer_outcomes: Vec<_> = producers.into_iter().map(|p| p.join()).collect();
        // Closed even if a producer panicked, so the consumers still end.
        queue.close();
        for consumer in consumers {
            if let Err(payload) = consumer.join() {
                std::panic::resume_unwind(payload);
            }
        }
        for outcome in producer_outcomes {
            if let Err(payload) = outcome {
                std::panic::resume_unwind(payload);
            }
        }
    });
}

/// The same as [`run_producers_consumers`], over a
/// `crossbeam::channel::bounded(capacity)` channel.
///
/// # Panics
///
/// If `n_consumers` is zero, or if a producer or consumer panicked.
pub fn run_producers_consumers_crossbeam<T, Consume>(
    capacity: usize,
    batches: Vec<Vec<T>>,
    n_consumers: usize,
    consume: Consume,
) where
    T: Send,
    Consume: Fn(T) + Sync,
{
    assert!(
        n_consumers > 0,
        "run_producers_consumers_crossbeam needs at least one consumer: nobody would take the items"
    );
    let (sender, receiver) = crossbeam::channel::bounded(capacity);
    let consume = &consume;
    thread::scope(|scope| {
        for _ in 0..n_consumers {
            let receiver = receiver.clone();
            scope.spawn(move || {
                for item in receiver {
                    consume(item);
                }
            });
        }
        for batch in batches {
            let sender = sender.clone();
            scope.spawn(move || {
                for item in batch {
                    // The receivers live until every sender is dropped.
                    let _ = sender.send(item);
                }
            });
        }
        // The producers hold the only senders left: when the last one ends,
        // the channel disconnects and the consumers' loops end.
        drop(sender);
        drop(receiver);
    });
}
