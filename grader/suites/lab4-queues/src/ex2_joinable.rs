//! Exercise 2, `task_done` and `join`: `join` never returns while an item
//! is unfinished and `task_done` is never refused for an item that was put
//! (explored: a count kept outside the queue's lock breaks both), every
//! joiner wakes (explored); every kind of successful put is counted and one
//! `task_done` too many is an error (native).
//!
//! The native test's outcomes, as text, are recorded with
//! `grader::harness::answer_with` and compared by the grader with the
//! reference solution's.

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use lab4_queues::BoundedQueue;
    use labsync::sync::Arc;
    use labsync::sync::atomic::{AtomicUsize, Ordering};

    use crate::support::explored::{explore, graded, spawn_named};

    pub fn join_never_returns_before_every_item_is_marked_done_under_any_schedule() {
        // The main thread puts two items and joins; a worker takes each
        // item, marks it handled and calls task_done. When join returns,
        // both items must have been handled. If a put counts its item after
        // releasing the queue's lock, the worker can take the item and call
        // task_done before it was counted: task_done is refused, or the
        // count reaches zero early and join returns with work pending.
        explore("a put, get, task_done or join panicked", || {
            let queue = Arc::new(BoundedQueue::new(2));
            let handled = Arc::new(AtomicUsize::new(0));
            let worker = {
                let (queue, handled) = (Arc::clone(&queue), Arc::clone(&handled));
                spawn_named("worker", move || {
                    while let Some(item) = graded("get()", || queue.get()) {
                        handled.fetch_add(1, Ordering::SeqCst);
                        // A panic here, outside every lock, is what the
                        // explorer shows first, even when the late count
                        // then also leaves `join` waiting forever.
                        assert!(
                            graded("task_done()", || queue.task_done()).is_ok(),
                            "task_done refused for item {item}, which was put and taken: the put \
                             was not counted yet; count an item as unfinished in the same \
                             critical section that pushes it"
                        );
                    }
                })
            };
            for item in [1_u32, 2] {
                graded("put()", || queue.put(item)).unwrap();
            }
            graded("join()", || queue.join());
            let handled_at_join = handled.load(Ordering::SeqCst);
            queue.close();
            worker.join().unwrap();
            assert!(
                handled_at_join == 2,
                "join returned early: only {handled_at_join} of the 2 items put had been handled \
                 and marked done; join must wait until the unfinished count, kept under the \
                 queue's lock, is zero"
            );
        });
    }

    pub fn task_done_wakes_every_joiner_under_any_schedule() {
        // Two threads join while a worker handles the one item put. The
        // last task_done must wake both joiners; with notify_one one of them
        // sleeps forever (a deadlock or lost wake-up).
        explore("a task_done or join panicked with two joiners", || {
            let queue = Arc::new(BoundedQueue::new(1));
            graded("put()", || queue.put(7_u32)).unwrap();
            let joiners: Vec<_> = (0..2)
                .map(|joiner_idx| {
                    let queue = Arc::clone(&queue);
                    spawn_named(&format!("joiner-{joiner_idx}"), move || {
                        graded("join()", || queue.join());
                    })
                })
                .collect();
            let worker = {
                let queue = Arc::clone(&queue);
                spawn_named("worker", move || {
                    let item = graded("get()", || queue.get());
                    let done = graded("task_done()", || queue.task_done());
                    (item, done)
                })
            };
            for joiner in joiners {
                joiner.join().unwrap();
            }
            let (item, done) = worker.join().unwrap();
            assert!(
                item == Some(7) && done.is_ok(),
                "task_done refused: the worker got {item:?} and task_done returned {done:?}, \
                 expected Some(7) and Ok(())"
            );
        });
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::time::Duration;

    use grader::harness::{AnswerOptions, answer_with};
    use lab4_queues::BoundedQueue;

    use crate::support::native::call_graded_with_hint;

    pub fn task_done_counts_every_successful_put_and_refuses_one_call_too_many() {
        // put, try_put and put_timeout each add an unfinished task; a
        // refused try_put or a put into a closed queue adds none. Three
        // task_done calls are accepted, the fourth is an error, and join
        // then returns at once.
        let outcomes = call_graded_with_hint(
            "put, try_put, put_timeout, then task_done x4 and join on BoundedQueue::new(3)",
            "join must return at once when every item put has been marked done",
            || {
                let fresh = BoundedQueue::<u32>::new(1);
                fresh.join(); // nothing was ever put
                let queue = BoundedQueue::new(3);
                queue.put(1_u32).unwrap();
                queue.try_put(2).unwrap();
                queue.put_timeout(3, Duration::from_secs(1)).unwrap();
                let refused_try_put = queue.try_put(4).is_err();
                let mut outcomes = vec![format!("try_put on full refused: {refused_try_put}")];
                for _ in 0..3 {
                    let item = queue.get();
                    outcomes.push(format!("{item:?} {:?}", queue.task_done()));
                }
                queue.close();
                let refused_put = queue.put(5).is_err();
                outcomes.push(format!("put after close refused: {refused_put}"));
                outcomes.push(format!("{:?}", queue.task_done()));
                outcomes.push(format!("{:?}", queue.task_done()));
                queue.join();
                outcomes.push("joined".to_owned());
                outcomes
            },
        );
        answer_with(
            "BoundedQueue::new(3): put(1), try_put(2), put_timeout(3), try_put(4) on full; get() \
             and task_done() x3; close(), put(5); task_done() x2; join()",
            &outcomes,
            AnswerOptions {
                note: "task_done refused or accepted wrongly? each successful put, try_put or \
                       put_timeout adds one unfinished task; a refused one adds none; task_done \
                       beyond that is Err(TaskDoneError) and changes nothing",
                ..AnswerOptions::default()
            },
        );
    }
}
