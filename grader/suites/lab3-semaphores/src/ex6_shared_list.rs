//! Exercise 6, `SharedList`: consumers take every item exactly once and
//! never see `None` before the list is closed, and `close` wakes every
//! waiting consumer (explored); first-in first-out order, and a stress run
//! with many producers and consumers (native).
//!
//! The native tests' results (items taken, lengths, counts) are recorded
//! with `grader::harness::answer` and compared by the grader with the
//! reference solution's; the order each consumer saw, which depends on the
//! schedule, is checked here.

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::explore;
    use lab3_semaphores::SharedList;
    use labsync::sync::Arc;
    use labsync::sync::atomic::{AtomicBool, Ordering};
    use labsync::thread;

    use crate::support::graded;

    pub fn shared_list_consumers_take_every_item_exactly_once() {
        // One producer puts two items; two consumers take until the list is
        // closed. A consumer woken for an item that the other consumer took
        // first must wait again: with `if` instead of `while` it finds the
        // list empty and returns None (or panics) although the list is open.
        explore(|| {
            let list = Arc::new(SharedList::new());
            let closing = Arc::new(AtomicBool::new(false));
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let (list, closing) = (Arc::clone(&list), Arc::clone(&closing));
                    thread::spawn(move || {
                        let mut taken = Vec::new();
                        while let Some(item) = graded("SharedList::take()", || list.take()) {
                            taken.push(item);
                        }
                        // Checked by the main thread, after the joins.
                        let none_while_open = !closing.load(Ordering::SeqCst);
                        (taken, none_while_open)
                    })
                })
                .collect();
            let producer = {
                let list = Arc::clone(&list);
                thread::spawn(move || {
                    list.put(1_u32);
                    list.put(2);
                })
            };
            producer.join().unwrap();
            closing.store(true, Ordering::SeqCst);
            list.close();
            let mut taken = Vec::new();
            for consumer in consumers {
                let (taken_by_consumer, none_while_open) = consumer.join().unwrap();
                assert!(
                    !none_while_open,
                    "take() returned None although the list was never closed (after taking \
                     {taken_by_consumer:?}): a consumer woke up to an empty list and gave up; \
                     wait in a `while` loop that looks at the list again"
                );
                taken.extend(taken_by_consumer);
            }
            taken.sort_unstable();
            assert_eq!(
                taken,
                [1, 2],
                "items lost or handed out twice: two items were put, the consumers took {taken:?}"
            );
        });
    }

    pub fn shared_list_close_wakes_every_waiting_consumer() {
        // Two consumers wait on an empty list; close must wake both (with
        // notify_one, one sleeps forever: a deadlock or lost wake-up).
        explore(|| {
            let list = Arc::new(SharedList::<u32>::new());
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let list = Arc::clone(&list);
                    thread::spawn(move || list.take())
                })
                .collect();
            list.close();
            for consumer in consumers {
                let taken = consumer.join().unwrap();
                assert_eq!(
                    taken, None,
                    "take() on a closed, empty list must return None"
                );
            }
        });
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::collections::BTreeMap;

    use grader::harness::{AnswerOptions, answer, answer_with};
    use lab3_semaphores::SharedList;

    use crate::support::call_graded_within;

    pub fn shared_list_hands_out_items_first_in_first_out() {
        let (taken, len_before, empty_at_end) = call_graded_within(
            "put 1..=5, take, close, take on one thread",
            "take() on a non-empty or closed list must return at once",
            || {
                let list = SharedList::new();
                for item in 1..=5_u32 {
                    list.put(item);
                }
                let len_before = list.len();
                let mut taken = vec![list.take(), list.take()];
                list.put(6);
                list.close();
                while let Some(item) = list.take() {
                    taken.push(Some(item));
                }
                taken.push(list.take());
                (taken, len_before, list.is_empty())
            },
        );
        answer("put(1..=5), then len()", &len_before);
        answer_with(
            "put(1..=5), take() x2, put(6), close(), take() until None, take() again",
            &taken,
            AnswerOptions {
                note: "take() must return the oldest item first, hand out what is left after \
                       close, then None",
                ..AnswerOptions::default()
            },
        );
        answer("is_empty() after taking everything", &empty_at_end);
    }

    pub fn shared_list_stress_many_producers_and_consumers() {
        const N_PRODUCERS: u64 = 4;
        const N_CONSUMERS: usize = 3;
        const ITEMS_EACH: u64 = 10_000;
        let per_consumer = call_graded_within(
            "4 producers x 10000 items, 3 consumers",
            "a consumer is stuck in take() (a missing notify after put or close?)",
            || {
                let list = SharedList::new();
                std::thread::scope(|scope| {
                    let consumers: Vec<_> = (0..N_CONSUMERS)
                        .map(|_| {
                            scope.spawn(|| {
                                let mut taken = Vec::new();
                                while let Some(item) = list.take() {
                                    taken.push(item);
                                }
                                taken
                            })
                        })
                        .collect();
                    let producers: Vec<_> = (0..N_PRODUCERS)
                        .map(|producer| {
                            let list = &list;
                            scope.spawn(move || {
                                for seq in 0..ITEMS_EACH {
                                    list.put((producer, seq));
                                }
                            })
                        })
                        .collect();
                    for producer in producers {
                        producer.join().unwrap();
                    }
                    list.close();
                    consumers
                        .into_iter()
                        .map(|consumer| consumer.join().unwrap())
                        .collect::<Vec<_>>()
                })
            },
        );
        // Each consumer takes in list order, so it sees each producer's
        // items in the order they were put.
        for taken in &per_consumer {
            let mut last_seen: BTreeMap<u64, u64> = BTreeMap::new();
            for &(producer, seq) in taken {
                if let Some(&previous) = last_seen.get(&producer) {
                    assert!(
                        seq > previous,
                        "not first-in first-out: a consumer took item {seq} of producer \
                         {producer} after its item {previous}"
                    );
                }
                last_seen.insert(producer, seq);
            }
        }
        // Which consumer took what depends on the schedule; how many items
        // were taken, and how many distinct ones, does not.
        let mut all: Vec<(u64, u64)> = per_consumer.into_iter().flatten().collect();
        let total = all.len();
        all.sort_unstable();
        all.dedup();
        let note = "items lost or handed out twice?";
        answer_with(
            "4 producers x 10000 items, 3 consumers: items taken",
            &total,
            AnswerOptions {
                note,
                ..AnswerOptions::default()
            },
        );
        answer_with(
            "4 producers x 10000 items, 3 consumers: distinct items taken",
            &all.len(),
            AnswerOptions {
                note,
                ..AnswerOptions::default()
            },
        );
    }
}
