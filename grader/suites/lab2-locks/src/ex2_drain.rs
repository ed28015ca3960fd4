//! Exercise 2, `WorkList::take` and `drain`: every item handled exactly
//! once, no worker tripping over an empty list, workers handling items at
//! the same time.
//!
//! Under exploration, two workers empty a list of three items: a worker
//! that checks for an item and then takes it under a second lock finds the
//! list empty on some schedule and panics, which the explorer reports with
//! this suite's "check-then-act" hint. On real threads, four workers drain
//! 10,000 items, and a rendezvous inside `handle` proves that two workers
//! handle items at the same moment (a worker that keeps the list locked
//! while handling makes the others wait).
//!
//! On real threads, how often each item was handled and how many items
//! were counted are recorded with `grader::harness::answer` and compared by
//! the grader with the reference solution's. Which worker handled what
//! depends on the schedule: drain's per-worker counts are checked here
//! against what `handle` saw, and the overlap with a concurrency probe.

/// Real threads: many items, and overlap.
#[cfg(not(feature = "explore"))]
pub mod real_threads {
    use std::time::{Duration, Instant};

    use grader::harness::{AnswerOptions, answer, answer_with};
    use lab2_locks::{WorkList, drain};
    use labkit::ConcurrencyProbe;
    use labsync::sync::Mutex;
    use labsync::thread;

    use crate::support::real::call_graded_within;

    pub fn drain_on_four_workers_handles_10000_items_exactly_once() {
        const N_ITEMS: usize = 10_000;
        const N_WORKERS: usize = 4;
        let (per_worker, handled_by) = call_graded_within(
            "drain(10000 items, 4 workers, ...)",
            "a worker waiting for a lock that is never released?",
            || {
                let list = WorkList::new((0..N_ITEMS).collect());
                // Which worker handled each item, every time it was handled.
                let handled_by = Mutex::new(vec![Vec::new(); N_ITEMS]);
                let per_worker = drain(&list, N_WORKERS, |worker_idx, item: usize| {
                    handled_by.lock().unwrap()[item].push(worker_idx);
                    // Handling takes a moment now and then, so that workers
                    // started later still find items left.
                    if item % 64 == 0 {
                        thread::yield_now();
                    }
                });
                (per_worker, handled_by.into_inner().unwrap())
            },
        );
        // How often `handle` got each item, by item: compared with the
        // reference's by the grader.
        let times_handled: Vec<usize> = handled_by.iter().map(Vec::len).collect();
        answer_with(
            "drain(10000 items, 4 workers, ...): how often `handle` got each item, by item",
            &times_handled,
            AnswerOptions {
                note: "every item must be taken exactly once: loop on `while let Some(item) = \
                       list.take()`",
                ..AnswerOptions::default()
            },
        );
        // Whether drain's own count agrees with what its `handle` saw is
        // checked here: which worker handled what depends on the schedule.
        // Every handling counts, so that an item handled twice is reported
        // by the answer above, not as a miscount.
        let mut counted = vec![0; N_WORKERS];
        for worker_idx in handled_by.iter().flatten() {
            if let Some(counter) = counted.get_mut(*worker_idx) {
                *counter += 1;
            }
        }
        assert!(
            per_worker == counted,
            "wrong result: drain returned {per_worker:?} items per worker, but `handle` saw \
             {counted:?} - return one count per worker, in worker order"
        );
        let busiest = per_worker.iter().max().copied().unwrap_or(0);
        grader::harness::metric(
            "drain_busiest_worker_share",
            busiest as f64 / N_ITEMS as f64,
        );
    }

    pub fn drain_workers_handle_items_at_the_same_time() {
        // Each call to `handle` waits until two workers are inside `handle`
        // at once (or until the deadline). Workers that really run side by
        // side meet at once; a drain that keeps the list locked while
        // handling, or runs its workers one after the other, never gets two
        // inside and waits out the deadline.
        let patience = Duration::from_secs(5);
        let probe = ConcurrencyProbe::new();
        let per_worker = {
            let probe = probe.clone();
            call_graded_within(
                "drain(8 items, 2 workers, ...)",
                "a worker waiting for a lock that is never released?",
                move || {
                    let deadline = Instant::now() + patience;
                    let list = WorkList::new((0..8).collect());
                    drain(&list, 2, |_worker_idx, _item: u32| {
                        let _inside = probe.enter();
                        probe.wait_until_max_inside(2, deadline);
                    })
                },
            )
        };
        answer(
            "drain(8 items, 2 workers, ...): items per worker, summed",
            &per_worker.iter().sum::<usize>(),
        );
        assert!(
            probe.max_inside() == 2,
            "no two workers ever handled items at the same time (waited {patience:?} for a second \
             one) - take the item with `take()`, whose guard is dropped before `handle` runs; a \
             lock held across `handle` makes the workers take turns"
        );
    }
}

/// Schedule exploration: two workers, three items.
#[cfg(feature = "explore")]
pub mod explored {
    use lab2_locks::{WorkList, drain};
    use labsync::sync::{Arc, Mutex};

    use crate::support::explored::{explore, spawn_named};

    const N_ITEMS: u32 = 3;

    pub fn take_hands_out_each_item_exactly_once_under_any_schedule() {
        explore(
            "check-then-act: a thread panicked inside WorkList::take (did it check for an item and \
             then take it under a second lock, and find the list empty in between?)",
            || {
                let list = Arc::new(WorkList::new((0..N_ITEMS).collect()));
                let takers: Vec<_> = (0..2)
                    .map(|thread_idx| {
                        let list = Arc::clone(&list);
                        spawn_named(&format!("taker-{thread_idx}"), move || {
                            std::iter::from_fn(|| list.take()).collect::<Vec<u32>>()
                        })
                    })
                    .collect();
                let mut taken: Vec<u32> = takers
                    .into_iter()
                    .flat_map(|taker| taker.join().expect("a taking thread panicked"))
                    .collect();
                taken.sort_unstable();
                assert!(
                    taken == (0..N_ITEMS).collect::<Vec<_>>(),
                    "wrong result: two threads calling take() until None got {taken:?} from the items \
                     0, 1, 2 - each item must come out exactly once"
                );
            },
        );
    }

    pub fn drain_never_finds_the_list_empty_after_checking_under_any_schedule() {
        explore(
            "check-then-act: a worker panicked inside drain (did it check that the list was not \
             empty and then take an item under a second lock? another worker can take the last \
             item in between; loop on `while let Some(item) = list.take()`)",
            || {
                let list = WorkList::new((0..N_ITEMS).collect());
                let handled = Mutex::new(Vec::new());
                let per_worker = drain(&list, 2, |worker_idx, item: u32| {
                    handled.lock().unwrap().push((item, worker_idx));
                });
                let mut handled = handled.into_inner().unwrap();
                handled.sort_unstable();
                let items: Vec<u32> = handled.iter().map(|(item, _)| *item).collect();
                assert!(
                    items == (0..N_ITEMS).collect::<Vec<_>>(),
                    "wrong result: two workers draining the items 0, 1, 2 handled {items:?} - each \
                     item must be handled exactly once"
                );
                let counted: Vec<usize> = (0..2)
                    .map(|worker_idx| handled.iter().filter(|(_, by)| *by == worker_idx).count())
                    .collect();
                assert!(
                    per_worker == counted,
                    "wrong result: drain returned {per_worker:?} items per worker, but `handle` saw \
                     {counted:?}"
                );
            },
        );
    }
}
