//! The public tests of lab 4: `cargo test -p lab4-queues`.
//!
//! One module per exercise. Each test shows how a piece is meant to be used
//! and checks the basics; until you write it, its tests fail with "not yet
//! implemented". The graded tests check more, and many of them run your
//! queue under a schedule explorer that tries thousands of interleavings:
//! passing these tests does not prove the absence of a race, it only shows
//! the happy path.
//!
//! No test here depends on how fast your machine is. Waits that should end
//! at once are given [`PATIENCE`] (5 s) to do so. A test that hangs instead
//! (cargo says it "has been running for over 60 seconds") points at a lost
//! wake-up, a missing close, or a deadlock. Time is counted in units
//! (`labkit::units`): 40 ms each, or `LABKIT_UNIT_MS` ms.

use std::time::{Duration, Instant};

use labkit::{Flag, measure, unit, units};
use labsync::sync::Mutex;
use labsync::thread;

/// How long a test waits for something that should happen almost at once.
/// Only a wrong implementation ever waits this long.
const PATIENCE: Duration = Duration::from_secs(5);

fn in_units(duration: Duration) -> f64 {
    duration.div_duration_f64(unit())
}

mod exercise1_queue {
    use super::*;
    use lab4_queues::{BoundedQueue, Closed, GetTimeoutError, TryGetError, TryPutError};

    #[test]
    fn items_come_out_in_the_order_they_went_in() {
        let queue = BoundedQueue::new(3);
        assert_eq!(queue.capacity(), 3);
        assert!(queue.is_empty());
        queue.put("a").unwrap();
        queue.put("b").unwrap();
        assert_eq!(queue.len(), 2);
        assert_eq!(queue.get(), Some("a"), "first in, first out");
        queue.put("c").unwrap();
        assert_eq!(queue.get(), Some("b"));
        assert_eq!(queue.get(), Some("c"));
        assert!(queue.is_empty());
    }

    #[test]
    fn try_put_and_try_get_never_wait() {
        let queue = BoundedQueue::new(2);
        assert_eq!(queue.try_get(), Err(TryGetError::Empty));
        assert_eq!(queue.try_put(1), Ok(()));
        assert_eq!(queue.try_put(2), Ok(()));
        match queue.try_put(3) {
            Err(TryPutError::Full(item)) => assert_eq!(item, 3, "the item comes back"),
            other => panic!("try_put on a full queue returned {other:?}, expected Full(3)"),
        }
        assert_eq!(queue.try_get(), Ok(1));
        assert_eq!(queue.len(), 1);
    }

    #[test]
    fn put_waits_while_the_queue_is_full_until_a_get_makes_room() {
        let queue = BoundedQueue::new(1);
        queue.put(1).unwrap();
        let second_put_done = Flag::new();
        thread::scope(|scope| {
            scope.spawn(|| {
                queue.put(2).unwrap();
                second_put_done.raise();
            });
            assert!(
                !second_put_done.wait_until_raised(Instant::now() + units(2)),
                "put returned although the queue of capacity 1 was full"
            );
            assert_eq!(queue.get(), Some(1));
            assert!(
                second_put_done.wait_until_raised(Instant::now() + PATIENCE),
                "get made room, but the waiting put never finished (did get notify the putters?)"
            );
        });
        assert_eq!(queue.get(), Some(2));
    }

    #[test]
    fn get_waits_until_an_item_is_put() {
        let queue = BoundedQueue::new(4);
        let got_an_item = Flag::new();
        let got = thread::scope(|scope| {
            let getter = scope.spawn(|| {
                let item = queue.get();
                got_an_item.raise();
                item
            });
            assert!(
                !got_an_item.wait_until_raised(Instant::now() + units(2)),
                "get returned from an empty queue"
            );
            queue.put("hello").unwrap();
            getter.join().unwrap()
        });
        assert_eq!(got, Some("hello"));
    }

    #[test]
    fn a_closed_queue_hands_out_what_is_left_then_none() {
        let queue = BoundedQueue::new(4);
        queue.put(1).unwrap();
        queue.put(2).unwrap();
        queue.close();
        assert!(queue.is_closed());
        assert_eq!(
            queue.put(3),
            Err(Closed(3)),
            "put after close gives the item back"
        );
        assert_eq!(
            queue.get(),
            Some(1),
            "items put before close are still handed out"
        );
        assert_eq!(queue.get(), Some(2));
        assert_eq!(queue.get(), None, "closed and empty");
        assert_eq!(queue.try_get(), Err(TryGetError::Closed));
    }

    #[test]
    fn close_wakes_a_thread_waiting_in_get() {
        let queue = BoundedQueue::<u32>::new(1);
        let got = thread::scope(|scope| {
            let getter = scope.spawn(|| queue.get());
            thread::sleep(units(1));
            queue.close();
            getter.join().unwrap()
        });
        assert_eq!(got, None);
    }

    #[test]
    fn get_timeout_gives_up_after_the_timeout() {
        let queue = BoundedQueue::<u32>::new(1);
        let (outcome, elapsed) = measure(|| queue.get_timeout(units(2)));
        assert_eq!(outcome, Err(GetTimeoutError::Timeout));
        assert!(
            elapsed >= units(2),
            "gave up after {:.2} units instead of 2",
            in_units(elapsed)
        );
        queue.put(7).unwrap();
        assert_eq!(
            queue.get_timeout(units(2)),
            Ok(7),
            "an item is taken at once"
        );
    }

    #[test]
    fn a_queue_of_capacity_zero_is_refused() {
        let outcome = std::panic::catch_unwind(|| BoundedQueue::<u32>::new(0));
        let payload =
            outcome.expect_err("BoundedQueue::new(0) must panic: no item could ever be put");
        let message = payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(
            !message.contains("not yet implemented"),
            "BoundedQueue::new is not written yet"
        );
    }
}

mod exercise2_joinable {
    use super::*;
    use lab4_queues::{BoundedQueue, TaskDoneError};

    #[test]
    fn join_returns_once_every_item_is_marked_done() {
        let queue = BoundedQueue::new(8);
        let handled = Mutex::new(Vec::new());
        thread::scope(|scope| {
            scope.spawn(|| {
                while let Some(item) = queue.get() {
                    thread::sleep(unit() / 4);
                    handled.lock().unwrap().push(item);
                    queue.task_done().unwrap();
                }
            });
            for item in 1..=4 {
                queue.put(item).unwrap();
            }
            queue.join();
            assert_eq!(
                *handled.lock().unwrap(),
                [1, 2, 3, 4],
                "join returned before every item was handled"
            );
            queue.close();
        });
    }

    #[test]
    fn task_done_more_often_than_puts_is_an_error() {
        let queue = BoundedQueue::new(2);
        queue.put('x').unwrap();
        assert_eq!(queue.get(), Some('x'));
        assert_eq!(queue.task_done(), Ok(()));
        assert_eq!(queue.task_done(), Err(TaskDoneError));
        queue.join(); // nothing is unfinished: returns at once
    }
}

mod exercise3_producers_consumers {
    use super::*;
    use lab4_queues::{run_producers_consumers, run_producers_consumers_crossbeam};

    fn three_batches() -> Vec<Vec<u32>> {
        vec![
            (0..100).collect(),
            (1000..1100).collect(),
            (2000..2100).collect(),
        ]
    }

    fn expected_items() -> Vec<u32> {
        let mut items: Vec<u32> = three_batches().into_iter().flatten().collect();
        items.sort_unstable();
        items
    }

    #[test]
    fn three_producers_and_two_consumers_over_the_queue_pass_every_item_once() {
        let consumed = Mutex::new(Vec::new());
        run_producers_consumers(4, three_batches(), 2, |item| {
            consumed.lock().unwrap().push(item);
        });
        let mut consumed = consumed.into_inner().unwrap();
        consumed.sort_unstable();
        assert_eq!(consumed, expected_items());
    }

    #[test]
    fn three_producers_and_two_consumers_over_crossbeam_pass_every_item_once() {
        let consumed = Mutex::new(Vec::new());
        run_producers_consumers_crossbeam(4, three_batches(), 2, |item| {
            consumed.lock().unwrap().push(item);
        });
        let mut consumed = consumed.into_inner().unwrap();
        consumed.sort_unstable();
        assert_eq!(consumed, expected_items());
    }
}

mod exercise4_worker_pool {
    use lab4_queues::{Task, TaskError, evaluate_multiplication, run_worker_pool};

    #[test]
    fn a_task_is_parsed_not_run() {
        assert_eq!(evaluate_multiplication("7*8"), Ok(56));
        assert_eq!(evaluate_multiplication(" 3 * 4 "), Ok(12));
        assert_eq!(evaluate_multiplication("100*100"), Ok(10_000));
        assert_eq!(evaluate_multiplication("0*55"), Ok(0));
        assert_eq!(evaluate_multiplication("7*"), Err(TaskError::Malformed));
        assert_eq!(evaluate_multiplication("3+4"), Err(TaskError::Malformed));
        assert_eq!(evaluate_multiplication("a*b"), Err(TaskError::Malformed));
        assert_eq!(
            evaluate_multiplication("101*2"),
            Err(TaskError::OperandOutOfRange)
        );
    }

    #[test]
    fn two_producers_and_three_workers_answer_every_task() {
        let producers: Vec<Vec<Task>> = (0..2_u64)
            .map(|producer| {
                (0..50_u64)
                    .map(|n| {
                        let id = producer * 1000 + n;
                        Task {
                            id,
                            text: format!("{}*{}", n, producer + 2),
                        }
                    })
                    .collect()
            })
            .collect();
        let mut results = run_worker_pool(producers, 3, 4, evaluate_multiplication);
        results.sort_by_key(|result| result.id);
        assert_eq!(results.len(), 100, "one result per task");
        for result in &results {
            let (producer, n) = (result.id / 1000, result.id % 1000);
            let expected = u32::try_from(n * (producer + 2)).unwrap();
            assert_eq!(result.answer, Ok(expected), "task {}", result.id);
        }
    }
}

mod exercise5_pipeline {
    use lab4_queues::{count_words, run_pipeline, words_of};

    #[test]
    fn count_words_counts_across_documents() {
        let documents = vec![
            "The market rose.".to_owned(),
            "The market fell, then the market rose again".to_owned(),
        ];
        // Words are lowercased runs of letters, digits and apostrophes
        // (`words_of`, provided complete).
        assert_eq!(
            words_of("Rust's threads -- and QUEUES!"),
            ["rust's", "threads", "and", "queues"]
        );
        let counts = count_words(documents, 1);
        assert_eq!(counts["market"], 3);
        assert_eq!(counts["the"], 3);
        assert_eq!(counts["rose"], 2);
        assert_eq!(counts["again"], 1);
        assert_eq!(counts.len(), 6);
    }

    #[test]
    fn every_item_passes_every_stage_in_order() {
        let mut next = 0_u32;
        let mut counted = Vec::new();
        run_pipeline(
            2,
            || {
                next += 1;
                (next <= 50).then_some(next)
            },
            |item| item * 10,
            |item| counted.push(item),
        );
        let expected: Vec<u32> = (1..=50).map(|item| item * 10).collect();
        assert_eq!(counted, expected);
    }
}
