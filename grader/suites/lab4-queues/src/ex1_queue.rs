//! Exercise 1, `BoundedQueue`: never more than `capacity` items, no getter
//! giving up on an open queue, puts and gets always waking each other,
//! `close` waking every blocked caller, every item passed exactly once in
//! order (explored); the single-threaded contract of every method, the
//! timeouts, and a stress run with every kind of call (native).

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use lab4_queues::{BoundedQueue, Closed, TryGetError, TryPutError};
    use labsync::sync::Arc;
    use labsync::thread;

    use crate::support::explored::{Problems, explore, graded, spawn_named};

    pub fn queue_never_holds_more_items_than_its_capacity_under_any_schedule() {
        // Two producers put two items each into a queue of capacity 1 while
        // one consumer takes them. A putter woken for a free slot that
        // another putter filled first must wait again; with an `if` around
        // the wait it pushes anyway and the queue holds two items. Both
        // sides look at `len()` around every call.
        explore("a put or get on a queue of capacity 1 panicked", || {
            const CAPACITY: usize = 1;
            let queue = Arc::new(BoundedQueue::new(CAPACITY));
            let problems = Arc::new(Problems::default());
            let check_len = |queue: &BoundedQueue<u32>, problems: &Problems, when: &str| {
                let len = queue.len();
                if len > CAPACITY {
                    problems.report(|| {
                        format!(
                            "over capacity: the queue of capacity {CAPACITY} held {len} items \
                                 ({when}); a putter woken up must look at the queue again, in a \
                                 `while` loop, and wait again if another putter filled the slot \
                                 first"
                        )
                    });
                }
            };
            let producers: Vec<_> = [[1, 2], [3, 4]]
                .into_iter()
                .enumerate()
                .map(|(producer_idx, items)| {
                    let (queue, problems) = (Arc::clone(&queue), Arc::clone(&problems));
                    spawn_named(&format!("putter-{producer_idx}"), move || {
                        for item in items {
                            if graded("put()", || queue.put(item)).is_err() {
                                problems.report(|| {
                                    "close did not happen, yet put() failed with Closed".to_owned()
                                });
                            }
                            check_len(&queue, &problems, "seen by a putter after its put");
                        }
                    })
                })
                .collect();
            let consumer = {
                let (queue, problems) = (Arc::clone(&queue), Arc::clone(&problems));
                spawn_named("getter", move || {
                    let mut taken = Vec::new();
                    for _ in 0..4 {
                        check_len(&queue, &problems, "seen by the getter before a get");
                        taken.push(graded("get()", || queue.get()));
                    }
                    taken
                })
            };
            for producer in producers {
                producer.join().unwrap();
            }
            let taken = consumer.join().unwrap();
            problems.fail_on_first();
            let mut taken: Vec<u32> = taken.into_iter().flatten().collect();
            taken.sort_unstable();
            assert!(
                taken == [1, 2, 3, 4],
                "items lost or duplicated: four items were put, the getter took {taken:?}"
            );
        });
    }

    pub fn get_never_gives_up_on_an_open_queue_under_any_schedule() {
        // Two getters take from a queue that one putter fills with three
        // items; the queue is closed only after the putter is done. A getter
        // woken for an item that the other getter took first must wait
        // again: with an `if`, it finds the queue empty and returns None (or
        // panics) although the queue is open.
        explore("get() panicked while two getters shared a queue", || {
            let queue = Arc::new(BoundedQueue::new(2));
            let getters: Vec<_> = (0..2)
                .map(|getter_idx| {
                    let queue = Arc::clone(&queue);
                    spawn_named(&format!("getter-{getter_idx}"), move || {
                        let mut taken = Vec::new();
                        while let Some(item) = graded("get()", || queue.get()) {
                            taken.push(item);
                        }
                        // Checked by the main thread, after the joins.
                        let none_while_open = !queue.is_closed();
                        (taken, none_while_open)
                    })
                })
                .collect();
            let putter = {
                let queue = Arc::clone(&queue);
                spawn_named("putter", move || {
                    for item in [1_u32, 2, 3] {
                        let _ = graded("put()", || queue.put(item));
                    }
                })
            };
            putter.join().unwrap();
            queue.close();
            let mut taken = Vec::new();
            for getter in getters {
                let (taken_by_getter, none_while_open) = getter.join().unwrap();
                assert!(
                    !none_while_open,
                    "gave up on an open queue: get() returned None although the queue was not \
                     closed (after taking {taken_by_getter:?}); a getter woken for an item another \
                     getter took first must wait again, in a `while` loop"
                );
                taken.extend(taken_by_getter);
            }
            taken.sort_unstable();
            assert!(
                taken == [1, 2, 3],
                "items lost or duplicated: three items were put, the getters took {taken:?}"
            );
        });
    }

    pub fn puts_and_gets_always_wake_each_other_under_any_schedule() {
        // A putter and a getter pass six items through a queue of capacity
        // 1, alternating blocking calls (put, get) with non-blocking ones
        // (try_put, try_get), each retried three times before falling back
        // to the blocking call. Whoever changes the queue must wake the
        // other side: a get or try_get that frees the slot without notifying
        // leaves the putter asleep next to room, a put or try_put that adds
        // an item without notifying leaves the getter asleep next to an
        // item. Thanks to the fallbacks, a missed wake-up always ends with
        // both threads asleep, which the explorer reports as a deadlock or
        // lost wake-up.
        const TRIES: usize = 3;
        explore(
            "a put or get panicked while one putter and one getter shared a queue",
            || {
                let queue = Arc::new(BoundedQueue::new(1));
                let putter = {
                    let queue = Arc::clone(&queue);
                    spawn_named("putter", move || {
                        for item in 1..=6_u32 {
                            let mut pending = Some(item);
                            if item % 2 == 0 {
                                for _ in 0..TRIES {
                                    let Some(this_item) = pending.take() else {
                                        break;
                                    };
                                    match graded("try_put()", || queue.try_put(this_item)) {
                                        Ok(()) => {}
                                        Err(TryPutError::Full(back)) => {
                                            pending = Some(back);
                                            thread::yield_now();
                                        }
                                        Err(TryPutError::Closed(_)) => return false,
                                    }
                                }
                            }
                            if let Some(this_item) = pending
                                && graded("put()", || queue.put(this_item)).is_err()
                            {
                                return false;
                            }
                        }
                        true
                    })
                };
                let getter = {
                    let queue = Arc::clone(&queue);
                    spawn_named("getter", move || {
                        let mut taken = Vec::new();
                        for round in 0..6 {
                            let mut got = None;
                            if round % 2 == 1 {
                                for _ in 0..TRIES {
                                    match graded("try_get()", || queue.try_get()) {
                                        Ok(item) => {
                                            got = Some(item);
                                            break;
                                        }
                                        Err(TryGetError::Empty) => thread::yield_now(),
                                        Err(TryGetError::Closed) => return taken,
                                    }
                                }
                            }
                            match got.or_else(|| graded("get()", || queue.get())) {
                                Some(item) => taken.push(item),
                                None => return taken,
                            }
                        }
                        taken
                    })
                };
                let all_put = putter.join().unwrap();
                let taken = getter.join().unwrap();
                assert!(
                    all_put,
                    "close did not happen, yet a put or try_put failed with Closed"
                );
                assert!(
                    taken == [1, 2, 3, 4, 5, 6],
                    "items lost or duplicated: 1..=6 were put in order, the getter took {taken:?}"
                );
            },
        );
    }

    pub fn close_wakes_every_blocked_putter_and_getter_under_any_schedule() {
        // Two getters wait on an empty queue and two putters on a full one;
        // closing both queues must wake all four. With `notify_one`, or a
        // notify on only one of the two condition variables, a caller sleeps
        // forever: a deadlock or lost wake-up.
        explore("a put or get panicked around a close", || {
            let empty = Arc::new(BoundedQueue::<u32>::new(1));
            let full = Arc::new(BoundedQueue::<u32>::new(1));
            graded("put() into an empty queue", || full.put(0)).unwrap();
            let getters: Vec<_> = (0..2)
                .map(|getter_idx| {
                    let empty = Arc::clone(&empty);
                    spawn_named(&format!("getter-{getter_idx}"), move || {
                        graded("get()", || empty.get())
                    })
                })
                .collect();
            let putters: Vec<_> = [1_u32, 2]
                .into_iter()
                .map(|item| {
                    let full = Arc::clone(&full);
                    spawn_named(&format!("putter-{item}"), move || {
                        (item, graded("put()", || full.put(item)))
                    })
                })
                .collect();
            empty.close();
            full.close();
            for getter in getters {
                let got = getter.join().unwrap();
                assert!(
                    got.is_none(),
                    "close did not end a get on a closed, empty queue: it returned {got:?}"
                );
            }
            for putter in putters {
                let (item, outcome) = putter.join().unwrap();
                assert!(
                    outcome == Err(Closed(item)),
                    "close did not refuse a put into a closed queue: put({item}) returned \
                     {outcome:?}, expected Err(Closed({item}))"
                );
            }
            let drained = (full.get(), full.get());
            assert!(
                drained == (Some(0), None),
                "close did not keep the item put before it: get(), get() on the closed queue \
                 returned {drained:?}, expected (Some(0), None)"
            );
        });
    }

    pub fn queue_passes_every_item_exactly_once_in_order_under_any_schedule() {
        // Two putters, two getters, a queue of capacity 2, closed once the
        // putters are done. Every item must reach exactly one getter, and
        // each getter must see each putter's items in the order they were
        // put (first in, first out).
        explore(
            "a put or get panicked with two putters and two getters",
            || {
                let queue = Arc::new(BoundedQueue::new(2));
                let getters: Vec<_> = (0..2)
                    .map(|getter_idx| {
                        let queue = Arc::clone(&queue);
                        spawn_named(&format!("getter-{getter_idx}"), move || {
                            let mut taken = Vec::new();
                            while let Some(item) = graded("get()", || queue.get()) {
                                taken.push(item);
                            }
                            taken
                        })
                    })
                    .collect();
                let putters: Vec<_> = [(10_u32, 3_u32), (20, 2)]
                    .into_iter()
                    .map(|(first, count)| {
                        let queue = Arc::clone(&queue);
                        spawn_named(&format!("putter-{first}"), move || {
                            for item in first..first + count {
                                let _ = graded("put()", || queue.put(item));
                            }
                        })
                    })
                    .collect();
                for putter in putters {
                    putter.join().unwrap();
                }
                queue.close();
                let mut all = Vec::new();
                for getter in getters {
                    let taken = getter.join().unwrap();
                    for putter_first in [10, 20] {
                        let from_putter: Vec<u32> = taken
                            .iter()
                            .copied()
                            .filter(|item| item / 10 * 10 == putter_first)
                            .collect();
                        assert!(
                            from_putter.is_sorted(),
                            "order broken: a getter took {from_putter:?} from one putter, which \
                             put them in increasing order (first in, first out)"
                        );
                    }
                    all.extend(taken);
                }
                all.sort_unstable();
                assert!(
                    all == [10, 11, 12, 20, 21],
                    "items lost or duplicated: 10, 11, 12, 20, 21 were put, the getters took \
                     {all:?}"
                );
            },
        );
    }
}

/// Real threads and real time.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::collections::BTreeMap;
    use std::sync::Arc;
    use std::thread::sleep;
    use std::time::{Duration, Instant};

    use grader::harness::{AnswerOptions, answer, answer_with};
    use lab4_queues::{BoundedQueue, GetTimeoutError, PutTimeoutError, TryGetError, TryPutError};
    use labkit::{measure, unit, units};

    use crate::support::native::{
        call_graded_with_hint, call_graded_within, check_gives_up_after_about, in_units,
    };

    pub fn queue_hands_out_items_first_in_first_out_and_reports_its_size() {
        let (capacity, sizes, taken) = call_graded_with_hint(
            "put, get, len, is_empty and capacity on BoundedQueue::new(3), on one thread",
            "a put into a queue with room, or a get from a queue with items, must not wait",
            || {
                let queue = BoundedQueue::new(3);
                let mut sizes = vec![(queue.len(), queue.is_empty())];
                let mut taken = Vec::new();
                // Around the end of the buffer more than once, so that a
                // ring buffer's index arithmetic is exercised too.
                for round in 0..4_u32 {
                    for item in 0..3 {
                        queue.put(round * 10 + item).unwrap();
                    }
                    sizes.push((queue.len(), queue.is_empty()));
                    taken.push(queue.get());
                    taken.push(queue.get());
                    sizes.push((queue.len(), queue.is_empty()));
                    taken.push(queue.get());
                }
                (queue.capacity(), sizes, taken)
            },
        );
        answer("BoundedQueue::new(3).capacity()", &capacity);
        answer(
            "BoundedQueue::new(3): [len(), is_empty()] at the start, then after three puts and \
             after two gets, four times",
            &sizes,
        );
        answer_with(
            "BoundedQueue::new(3): get() x3 after put(round * 10 + 0..3), rounds 0..4",
            &taken,
            AnswerOptions {
                note: "get() must return the oldest item first (first in, first out)",
                ..AnswerOptions::default()
            },
        );

        let refusal =
            call_graded_within("BoundedQueue::<u32>::new(0)", "new must not wait", || {
                std::panic::catch_unwind(|| BoundedQueue::<u32>::new(0))
                    .err()
                    .map(|payload| grader::harness::panic_text(payload.as_ref()))
            });
        if let Some(message) = &refusal
            && message.contains("not yet implemented")
        {
            panic!("BoundedQueue::new panicked: {message}");
        }
        answer_with(
            "BoundedQueue::<u32>::new(0) panics",
            &refusal.is_some(),
            AnswerOptions {
                note: "a queue of capacity 0 could never take an item: new must panic",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn try_put_and_try_get_never_wait_and_say_full_empty_or_closed() {
        let outcomes = call_graded_with_hint(
            "try_put and try_get on BoundedQueue::new(2), on one thread",
            "try_put and try_get must never wait",
            || {
                let queue = BoundedQueue::new(2);
                let mut outcomes = Vec::new();
                outcomes.push(format!("{:?}", queue.try_get()));
                outcomes.push(format!("{:?}", queue.try_put(1)));
                outcomes.push(format!("{:?}", queue.try_put(2)));
                outcomes.push(match queue.try_put(3) {
                    Err(TryPutError::Full(item)) => format!("Full({item})"),
                    other => format!("{other:?}"),
                });
                outcomes.push(format!("{:?}", queue.try_get()));
                outcomes.push(format!("{:?}", queue.try_put(4)));
                queue.close();
                outcomes.push(match queue.try_put(5) {
                    Err(TryPutError::Closed(item)) => format!("Closed({item})"),
                    other => format!("{other:?}"),
                });
                outcomes.push(format!("{:?}", queue.try_get()));
                outcomes.push(format!("{:?}", queue.try_get()));
                outcomes.push(format!("{:?}", queue.try_get()));
                outcomes
            },
        );
        let steps = [
            "1. try_get() on the empty queue",
            "2. try_put(1)",
            "3. try_put(2)",
            "4. try_put(3) on the full queue",
            "5. try_get()",
            "6. try_put(4)",
            "7. close(), then try_put(5) with room left",
            "8. try_get() on the closed queue",
            "9. try_get() on the closed queue",
            "10. try_get() on the closed, empty queue",
        ];
        if outcomes.len() == steps.len() {
            for (step, outcome) in steps.iter().zip(&outcomes) {
                answer(&format!("BoundedQueue::new(2): {step}"), outcome);
            }
        }
        let full_and_closed = call_graded_within(
            "try_put on a full, closed BoundedQueue::new(1)",
            "try_put must never wait",
            || {
                let queue = BoundedQueue::new(1);
                queue.put('a').unwrap();
                queue.close();
                match queue.try_put('b') {
                    Err(TryPutError::Closed(item)) => format!("Closed({item})"),
                    other => format!("{other:?}"),
                }
            },
        );
        answer_with(
            "BoundedQueue::new(1), put('a'), close(): try_put('b')",
            &full_and_closed,
            AnswerOptions {
                note: "a queue that is full and closed refuses with Closed: closed wins",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn closed_queue_refuses_puts_with_their_item_and_hands_out_what_is_left() {
        let timeout = units(100);
        let (outcomes, elapsed) = call_graded_with_hint(
            "put, put_timeout, get and get_timeout around close() on BoundedQueue::new(4)",
            "a call on a closed queue must return at once",
            move || {
                let queue = BoundedQueue::new(4);
                queue.put(1).unwrap();
                queue.put(2).unwrap();
                let was_closed_before = queue.is_closed();
                queue.close();
                queue.close(); // closing twice is harmless
                let started = Instant::now();
                // Each outcome as text: the grader compares it with the
                // reference's.
                let outcomes = [
                    (
                        "1. is_closed() before close()",
                        was_closed_before.to_string(),
                    ),
                    (
                        "2. close() twice, then is_closed()",
                        queue.is_closed().to_string(),
                    ),
                    ("3. put(3)", format!("{:?}", queue.put(3))),
                    (
                        "4. put_timeout(4, 100 units)",
                        match queue.put_timeout(4, timeout) {
                            Ok(()) => "Ok(())".to_owned(),
                            Err(PutTimeoutError::Closed(item)) => format!("Err(Closed({item}))"),
                            Err(PutTimeoutError::Timeout(item)) => {
                                format!("Err(Timeout({item}))")
                            }
                        },
                    ),
                    ("5. get()", format!("{:?}", queue.get())),
                    (
                        "6. get_timeout(100 units)",
                        format!("{:?}", queue.get_timeout(timeout)),
                    ),
                    ("7. get()", format!("{:?}", queue.get())),
                    (
                        "8. get_timeout(100 units)",
                        format!("{:?}", queue.get_timeout(timeout)),
                    ),
                    ("9. len()", queue.len().to_string()),
                ];
                (outcomes, started.elapsed())
            },
        );
        for (step, outcome) in &outcomes {
            answer_with(
                &format!("BoundedQueue::new(4) holding 1 and 2, closed: {step}"),
                outcome,
                AnswerOptions {
                    note: "on a closed queue, puts give their item back, gets hand out what is \
                           left, then say closed",
                    ..AnswerOptions::default()
                },
            );
        }
        assert!(
            elapsed.div_duration_f64(timeout) < 0.5,
            "a timeout call on a closed queue waited {:.1} units (timeout 100 units): on a closed \
             queue, put_timeout fails and get_timeout (once empty) fails at once",
            in_units(elapsed)
        );
    }

    pub fn put_timeout_and_get_timeout_give_up_after_about_the_timeout() {
        let get_ratio = check_gives_up_after_about(
            "get_timeout(4 units) on an empty queue",
            units(4),
            |timeout| {
                let outcome = BoundedQueue::<u32>::new(2).get_timeout(timeout);
                let timed_out = matches!(outcome, Err(GetTimeoutError::Timeout));
                (format!("{outcome:?}"), timed_out)
            },
        );
        grader::harness::metric("get_timeout_elapsed_over_timeout", get_ratio);
        let put_ratio = check_gives_up_after_about(
            "put_timeout(4 units) on a full queue",
            units(4),
            |timeout| {
                let queue = BoundedQueue::new(1);
                queue.put(1_u32).unwrap();
                match queue.put_timeout(2, timeout) {
                    Ok(()) => ("Ok(())".to_owned(), false),
                    Err(PutTimeoutError::Timeout(item)) => (format!("Err(Timeout({item}))"), true),
                    Err(PutTimeoutError::Closed(item)) => (format!("Err(Closed({item}))"), false),
                }
            },
        );
        grader::harness::metric("put_timeout_elapsed_over_timeout", put_ratio);
        let zero = call_graded_within(
            "put_timeout and get_timeout with a zero timeout",
            "a zero timeout must not wait",
            || {
                let queue = BoundedQueue::new(1);
                [
                    format!("{:?}", queue.get_timeout(Duration::ZERO)),
                    format!("{:?}", queue.put_timeout(7_u32, Duration::ZERO).is_ok()),
                    format!("{:?}", queue.put_timeout(8, Duration::ZERO).is_err()),
                    format!("{:?}", queue.get_timeout(Duration::ZERO)),
                ]
            },
        );
        answer_with(
            "BoundedQueue::new(1), zero timeouts: [get_timeout() on empty, put_timeout(7) is_ok, \
             put_timeout(8) on full is_err, get_timeout()]",
            &zero,
            AnswerOptions {
                note: "a zero timeout means: do it if possible right now, otherwise give up at once",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn get_timeout_and_put_timeout_return_as_soon_as_the_queue_changes() {
        // Another thread puts (or gets) after 1 unit; the timeout is 100
        // units. The waiting call must return long before the timeout: the
        // change wakes it. Sleeping through the timeout and then looking
        // does not.
        let timeout = units(100);
        let ((got, get_elapsed), (put, put_elapsed)) = call_graded_with_hint(
            "get_timeout(100 units) while another thread puts after 1 unit, then put_timeout(100 \
             units) while another thread gets after 1 unit",
            "the put (or get) on the other thread never woke the waiting call",
            move || {
                let queue = Arc::new(BoundedQueue::new(1));
                let putter = {
                    let queue = Arc::clone(&queue);
                    std::thread::spawn(move || {
                        sleep(unit());
                        queue.put(42_u32).unwrap();
                    })
                };
                let got = measure(|| queue.get_timeout(timeout));
                putter.join().unwrap();
                queue.put(1).unwrap();
                let getter = {
                    let queue = Arc::clone(&queue);
                    std::thread::spawn(move || {
                        sleep(unit());
                        queue.get()
                    })
                };
                let put = measure(|| queue.put_timeout(2, timeout).is_ok());
                getter.join().unwrap();
                (got, put)
            },
        );
        grader::harness::metric("get_timeout_woken_after_units", in_units(get_elapsed));
        grader::harness::metric("put_timeout_woken_after_units", in_units(put_elapsed));
        answer(
            "get_timeout(100 units) while another thread puts 42 after 1 unit",
            &format!("{got:?}"),
        );
        answer(
            "put_timeout(2, 100 units) on a full queue while another thread gets after 1 unit: \
             is_ok",
            &put,
        );
        for (call, elapsed) in [("get_timeout", get_elapsed), ("put_timeout", put_elapsed)] {
            assert!(
                elapsed.div_duration_f64(timeout) < 0.5,
                "lost wake-up: {call} was not woken by the change: it returned after {:.1} \
                 units, though the queue changed after 1 unit (timeout 100 units)",
                in_units(elapsed)
            );
        }
    }

    pub fn queue_stress_every_kind_of_call_from_many_threads_loses_nothing() {
        // Three putters (put, try_put retried, put_timeout retried) and three
        // getters (get, try_get retried, get_timeout retried) pass 3 x 20000
        // items through a queue of capacity 4.
        const ITEMS_EACH: u32 = 20_000;
        const CAPACITY: usize = 4;
        let started = Instant::now();
        let (per_getter, max_len_seen) = call_graded_with_hint(
            "3 putters x 20000 items and 3 getters, every kind of put and get, capacity 4",
            "a thread is stuck in a put or a get (a lost wake-up?)",
            || {
                let queue = BoundedQueue::new(CAPACITY);
                let max_len_seen = std::sync::atomic::AtomicUsize::new(0);
                let per_getter = std::thread::scope(|scope| {
                    let getters: Vec<_> = (0..3)
                        .map(|kind| {
                            let (queue, max_len_seen) = (&queue, &max_len_seen);
                            scope.spawn(move || {
                                let mut taken = Vec::new();
                                loop {
                                    max_len_seen.fetch_max(
                                        queue.len(),
                                        std::sync::atomic::Ordering::Relaxed,
                                    );
                                    let item = match kind {
                                        0 => queue.get(),
                                        1 => match queue.try_get() {
                                            Ok(item) => Some(item),
                                            Err(TryGetError::Empty) => {
                                                std::thread::yield_now();
                                                continue;
                                            }
                                            Err(TryGetError::Closed) => None,
                                        },
                                        _ => match queue.get_timeout(Duration::from_millis(1)) {
                                            Ok(item) => Some(item),
                                            Err(GetTimeoutError::Timeout) => continue,
                                            Err(GetTimeoutError::Closed) => None,
                                        },
                                    };
                                    match item {
                                        Some(item) => taken.push(item),
                                        None => break,
                                    }
                                }
                                taken
                            })
                        })
                        .collect();
                    let putters: Vec<_> = (0..3_u32)
                        .map(|kind| {
                            let queue = &queue;
                            scope.spawn(move || {
                                for seq in 0..ITEMS_EACH {
                                    let mut item = (kind, seq);
                                    match kind {
                                        0 => queue.put(item).unwrap(),
                                        1 => loop {
                                            match queue.try_put(item) {
                                                Ok(()) => break,
                                                Err(error) => {
                                                    item = error.into_inner();
                                                    std::thread::yield_now();
                                                }
                                            }
                                        },
                                        _ => loop {
                                            match queue.put_timeout(item, Duration::from_millis(1))
                                            {
                                                Ok(()) => break,
                                                Err(error) => item = error.into_inner(),
                                            }
                                        },
                                    }
                                }
                            })
                        })
                        .collect();
                    for putter in putters {
                        putter.join().unwrap();
                    }
                    queue.close();
                    getters
                        .into_iter()
                        .map(|getter| getter.join().unwrap())
                        .collect::<Vec<_>>()
                });
                (per_getter, max_len_seen.into_inner())
            },
        );
        grader::harness::metric("stress_secs", started.elapsed().as_secs_f64());
        assert!(
            max_len_seen <= CAPACITY,
            "over capacity: a getter saw len() = {max_len_seen} in a queue of capacity {CAPACITY}"
        );
        for taken in &per_getter {
            let mut last_seen: BTreeMap<u32, u32> = BTreeMap::new();
            for &(putter, seq) in taken {
                if let Some(&previous) = last_seen.get(&putter) {
                    assert!(
                        seq > previous,
                        "order broken: a getter took item {seq} of putter {putter} after its item \
                         {previous}"
                    );
                }
                last_seen.insert(putter, seq);
            }
        }
        // Which getter took what depends on the schedule; how many items
        // were taken, and how many distinct ones, does not.
        let mut all: Vec<(u32, u32)> = per_getter.into_iter().flatten().collect();
        let total = all.len();
        all.sort_unstable();
        all.dedup();
        let note = "items lost or duplicated?";
        answer_with(
            "3 putters x 20000 items, 3 getters, capacity 4: items taken",
            &total,
            AnswerOptions {
                note,
                ..AnswerOptions::default()
            },
        );
        answer_with(
            "3 putters x 20000 items, 3 getters, capacity 4: distinct items taken",
            &all.len(),
            AnswerOptions {
                note,
                ..AnswerOptions::default()
            },
        );
    }
}
