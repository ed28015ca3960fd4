//! Exercise 3, many producers and consumers: every item consumed exactly
//! once and a clean shutdown, over the lab's queue (explored, and native at
//! scale) and over crossbeam (native only: the explorer cannot see inside
//! crossbeam); every consumer thread really consuming at the same time
//! (native, with a rendezvous).
//!
//! Natively, how many items were consumed (and how many distinct ones) is
//! recorded with `grader::harness::answer_with` and compared by the grader
//! with the reference solution's; the order each consumer saw and how many
//! consumed at once depend on the schedule and are checked here.

/// Under the schedule explorer (the queue version only).
#[cfg(feature = "explore")]
pub mod explored {
    use lab4_queues::run_producers_consumers;
    use labsync::sync::Mutex;

    use crate::support::explored::explore;

    pub fn producers_and_consumers_over_the_queue_consume_every_item_once_under_any_schedule() {
        // Two producers (two items and one), two consumers, a queue of
        // capacity 1. The queue may be closed only once both producers are
        // done: closing after the first one loses the other's items, never
        // closing leaves the consumers waiting forever.
        explore(
            "run_producers_consumers(capacity 1, 2 producers, 2 consumers) panicked",
            || {
                let consumed = Mutex::new(Vec::new());
                run_producers_consumers(1, vec![vec![1_u32, 2], vec![3]], 2, |item| {
                    consumed.lock().unwrap().push(item);
                });
                let mut consumed = consumed.into_inner().unwrap();
                consumed.sort_unstable();
                assert!(
                    consumed == [1, 2, 3],
                    "items lost or duplicated: the producers had 1, 2 and 3, `consume` saw \
                     {consumed:?}; close the queue only after every producer has finished"
                );
            },
        );
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::collections::{BTreeMap, HashMap};
    use std::time::Instant;

    use grader::harness::{AnswerOptions, answer_with};
    use lab4_queues::{run_producers_consumers, run_producers_consumers_crossbeam};
    use labkit::ConcurrencyProbe;
    use labsync::sync::Mutex;

    use crate::support::native::{
        PATIENCE, SHORT_HANG_LIMIT, call_graded_with_hint, call_graded_with_hint_within,
    };

    /// Which of the two versions a check runs.
    #[derive(Debug, Clone, Copy)]
    enum Version {
        Queue,
        Crossbeam,
    }

    impl Version {
        fn name(self) -> &'static str {
            match self {
                Version::Queue => "run_producers_consumers",
                Version::Crossbeam => "run_producers_consumers_crossbeam",
            }
        }

        fn run<T: Send>(
            self,
            capacity: usize,
            batches: Vec<Vec<T>>,
            n_consumers: usize,
            consume: impl Fn(T) + Sync,
        ) {
            match self {
                Version::Queue => run_producers_consumers(capacity, batches, n_consumers, consume),
                Version::Crossbeam => {
                    run_producers_consumers_crossbeam(capacity, batches, n_consumers, consume)
                }
            }
        }
    }

    /// Four producers x 5000 items, three consumers, capacity 8: every item
    /// exactly once, each producer's items in order within each consumer,
    /// and a return once the producers are done.
    fn check_every_item_consumed_once(version: Version) {
        const N_PRODUCERS: u32 = 4;
        const ITEMS_EACH: u32 = 5_000;
        const N_CONSUMERS: usize = 3;
        let name = version.name();
        let per_thread = call_graded_with_hint_within(
            &format!("{name}(capacity 8, 4 producers x 5000 items, 3 consumers)"),
            "it did not return: a consumer still waits for items (was the queue closed, or \
             every Sender dropped, once the producers were done?)",
            SHORT_HANG_LIMIT,
            move || {
                let consumed: Mutex<HashMap<std::thread::ThreadId, Vec<(u32, u32)>>> =
                    Mutex::new(HashMap::new());
                let batches: Vec<Vec<(u32, u32)>> = (0..N_PRODUCERS)
                    .map(|producer| (0..ITEMS_EACH).map(|seq| (producer, seq)).collect())
                    .collect();
                version.run(8, batches, N_CONSUMERS, |item| {
                    consumed
                        .lock()
                        .unwrap()
                        .entry(std::thread::current().id())
                        .or_default()
                        .push(item);
                });
                consumed.into_inner().unwrap()
            },
        );
        for taken in per_thread.values() {
            let mut last_seen: BTreeMap<u32, u32> = BTreeMap::new();
            for &(producer, seq) in taken {
                if let Some(&previous) = last_seen.get(&producer) {
                    assert!(
                        seq > previous,
                        "order broken: with {name}, a consumer got item {seq} of producer \
                         {producer} after its item {previous}"
                    );
                }
                last_seen.insert(producer, seq);
            }
        }
        // Which consumer got what depends on the schedule; how many items
        // `consume` saw, and how many distinct ones, does not.
        let mut all: Vec<(u32, u32)> = per_thread.into_values().flatten().collect();
        let total = all.len();
        all.sort_unstable();
        all.dedup();
        let note = "items lost or duplicated?";
        answer_with(
            &format!("{name}(capacity 8, 4 producers x 5000 items, 3 consumers): items consumed"),
            &total,
            AnswerOptions {
                note,
                ..AnswerOptions::default()
            },
        );
        answer_with(
            &format!(
                "{name}(capacity 8, 4 producers x 5000 items, 3 consumers): distinct items consumed"
            ),
            &all.len(),
            AnswerOptions {
                note,
                ..AnswerOptions::default()
            },
        );
    }

    pub fn producers_and_consumers_over_the_queue_consume_every_item_once_and_shut_down() {
        check_every_item_consumed_once(Version::Queue);
    }

    pub fn producers_and_consumers_over_crossbeam_consume_every_item_once_and_shut_down() {
        check_every_item_consumed_once(Version::Crossbeam);
    }

    pub fn every_consumer_thread_consumes_at_the_same_time_in_both_versions() {
        // Each call to `consume` waits until three calls are inside at once
        // (or until the deadline). Three consumer threads that really run
        // side by side meet at once; fewer consumer threads, or consumers
        // run one after the other, never get three inside and wait out the
        // deadline.
        const N_CONSUMERS: usize = 3;
        for version in [Version::Queue, Version::Crossbeam] {
            let probe = ConcurrencyProbe::new();
            let graded_probe = probe.clone();
            let name = version.name();
            call_graded_with_hint(
                &format!("{name}(capacity 4, 2 producers x 20 items, 3 consumers)"),
                "it did not return: a consumer still waits for items",
                move || {
                    let deadline = Instant::now() + PATIENCE;
                    let batches = vec![(0..20_u32).collect(), (100..120).collect()];
                    version.run(4, batches, N_CONSUMERS, |_item| {
                        let _inside = graded_probe.enter();
                        graded_probe.wait_until_max_inside(N_CONSUMERS, deadline);
                    });
                },
            );
            assert!(
                probe.max_inside() == N_CONSUMERS && probe.distinct_threads() == N_CONSUMERS,
                "consumers not running at the same time: with {name} and 3 consumers, at most {} \
                 calls of `consume` were running at once, on {} distinct threads; start \
                 n_consumers consumer threads, all taking items at the same time",
                probe.max_inside(),
                probe.distinct_threads()
            );
            answer_with(
                &format!("{name}(capacity 4, 2 producers x 20 items, 3 consumers): items consumed"),
                &probe.entries(),
                AnswerOptions {
                    note: "items lost or duplicated?",
                    ..AnswerOptions::default()
                },
            );
        }
    }
}
