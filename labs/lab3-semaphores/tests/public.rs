//! The public tests of lab 3: `cargo test -p lab3-semaphores`.
//!
//! One module per exercise. Each test shows how a primitive is meant to be
//! used and checks the basics; until you write it, its tests fail with "not
//! yet implemented". The graded tests check more, and many of them run your
//! code under a schedule explorer that tries thousands of interleavings:
//! passing these tests does not prove the absence of a race, it only shows
//! the happy path.
//!
//! No test here depends on how fast your machine is. Waits that should end
//! at once are given [`PATIENCE`] (5 s) to do so. A test that hangs instead
//! (cargo says it "has been running for over 60 seconds") points at a lost
//! wake-up or a deadlock. A few tests print what they measured:
//! `cargo test -p lab3-semaphores -- --nocapture` shows it. Time is counted
//! in units (`labkit::units`): 40 ms each, or `LABKIT_UNIT_MS` ms.

use std::time::{Duration, Instant};

use labkit::{ConcurrencyProbe, Flag, measure, unit, units};
use labsync::sync::Arc;
use labsync::thread;

/// How long a test waits for something that should happen almost at once.
/// Only a wrong implementation ever waits this long.
const PATIENCE: Duration = Duration::from_secs(5);

fn in_units(duration: Duration) -> f64 {
    duration.div_duration_f64(unit())
}

mod exercise1_semaphore {
    use super::*;
    use lab3_semaphores::Semaphore;

    #[test]
    fn a_semaphore_of_two_lets_two_in_and_turns_the_third_away() {
        let semaphore = Semaphore::new(2);
        assert!(semaphore.try_acquire(), "the first of 2 permits");
        assert!(semaphore.try_acquire(), "the second of 2 permits");
        assert!(
            !semaphore.try_acquire(),
            "a third try_acquire on a semaphore of 2 must fail"
        );
        assert_eq!(semaphore.available_permits(), 0);
        semaphore.release();
        assert_eq!(semaphore.available_permits(), 1);
        assert!(
            semaphore.try_acquire(),
            "a released permit can be taken again"
        );
    }

    #[test]
    fn acquire_waits_until_another_thread_releases() {
        let semaphore = Semaphore::new(0);
        let got_in = Flag::new();
        thread::scope(|scope| {
            scope.spawn(|| {
                semaphore.acquire();
                got_in.raise();
            });
            // Nothing was released: the thread must still be waiting.
            assert!(
                !got_in.wait_until_raised(Instant::now() + units(2)),
                "acquire returned on a semaphore with no permits"
            );
            semaphore.release();
            assert!(
                got_in.wait_until_raised(Instant::now() + PATIENCE),
                "release did not wake the thread waiting in acquire (a missing notify?)"
            );
        });
        assert_eq!(semaphore.available_permits(), 0);
    }

    #[test]
    fn acquire_timeout_gives_up_after_the_timeout_when_no_permit_comes() {
        let semaphore = Semaphore::new(0);
        let (got_one, elapsed) = measure(|| semaphore.acquire_timeout(units(2)));
        assert!(!got_one, "no permit was ever released");
        assert!(
            elapsed >= units(2),
            "gave up after {:.2} units instead of 2",
            in_units(elapsed)
        );
        semaphore.release();
        assert!(
            semaphore.acquire_timeout(units(2)),
            "a free permit is taken at once"
        );
    }

    #[test]
    fn a_permit_guard_gives_its_permit_back_when_dropped() {
        let semaphore = Semaphore::new(1);
        {
            let _permit = semaphore.permit();
            assert!(!semaphore.try_acquire(), "the guard holds the only permit");
        }
        assert_eq!(
            semaphore.available_permits(),
            1,
            "the permit came back with the guard's drop"
        );
    }

    #[test]
    fn six_threads_share_two_permits_and_never_more_than_two_are_inside() {
        let semaphore = Semaphore::new(2);
        let probe = ConcurrencyProbe::new();
        thread::scope(|scope| {
            for _ in 0..6 {
                scope.spawn(|| {
                    for _ in 0..20 {
                        let _permit = semaphore.permit();
                        let _inside = probe.enter();
                        thread::yield_now();
                    }
                });
            }
        });
        println!("at most {} threads were inside at once", probe.max_inside());
        assert!(
            probe.max_inside() <= 2,
            "{} inside at once",
            probe.max_inside()
        );
        assert_eq!(probe.entries(), 120);
        assert_eq!(semaphore.available_permits(), 2);
    }
}

mod exercise2_bounded_semaphore {
    use lab3_semaphores::{BoundedSemaphore, TooManyReleases};

    #[test]
    fn releasing_more_often_than_acquiring_is_an_error() {
        let semaphore = BoundedSemaphore::new(2);
        assert_eq!(
            semaphore.release(),
            Err(TooManyReleases { permits: 2 }),
            "both permits were free already"
        );
        assert_eq!(
            semaphore.available_permits(),
            2,
            "a refused release changes nothing"
        );
        semaphore.acquire();
        assert_eq!(
            semaphore.release(),
            Ok(()),
            "a permit taken can be given back"
        );
        assert!(semaphore.release().is_err(), "but only once");
    }

    #[test]
    fn otherwise_it_behaves_like_a_semaphore() {
        let semaphore = BoundedSemaphore::new(1);
        assert!(semaphore.try_acquire());
        assert!(!semaphore.try_acquire());
        assert!(!semaphore.acquire_timeout(std::time::Duration::from_millis(10)));
        assert_eq!(semaphore.release(), Ok(()));
        assert_eq!(semaphore.available_permits(), 1);
    }
}

mod exercise3_run_limited {
    use super::*;
    use lab3_semaphores::run_limited;

    #[test]
    fn run_limited_returns_the_outputs_in_input_order() {
        let squares = run_limited((1..=10_u64).collect(), 3, |job| job * job);
        assert_eq!(squares, vec![1, 4, 9, 16, 25, 36, 49, 64, 81, 100]);
        assert_eq!(run_limited(Vec::<u64>::new(), 3, |job| job), vec![]);
    }

    #[test]
    fn run_limited_never_runs_more_jobs_at_once_than_allowed() {
        let probe = ConcurrencyProbe::new();
        run_limited((0..8).collect::<Vec<u32>>(), 3, |_| {
            let _inside = probe.enter();
            thread::sleep(unit() / 4);
        });
        println!("at most {} of 8 jobs ran at once", probe.max_inside());
        assert!(
            probe.max_inside() <= 3,
            "{} jobs at once",
            probe.max_inside()
        );
    }

    #[test]
    fn jobs_of_1_2_3_units_take_4_units_with_2_permits_and_6_with_1() {
        let sleep_for = |job_units: u32| thread::sleep(units(job_units));
        let ((), with_two) = measure(|| {
            run_limited(vec![1, 2, 3], 2, sleep_for);
        });
        let ((), with_one) = measure(|| {
            run_limited(vec![1, 2, 3], 1, sleep_for);
        });
        println!(
            "jobs of 1, 2 and 3 units: {:.1} units with 2 permits (expected 4), \
             {:.1} with 1 (expected 6)",
            in_units(with_two),
            in_units(with_one)
        );
        assert!(
            with_one >= units(6),
            "with 1 permit the jobs run one after another"
        );
    }
}

mod exercise4_signalling {
    use super::*;
    use lab3_semaphores::run_in_order;
    use labsync::sync::Mutex;

    #[test]
    fn the_second_step_runs_after_the_first_even_when_the_first_is_slow() {
        let log = Mutex::new(Vec::new());
        let (first, second) = run_in_order(
            || {
                // However long the first step takes, the second waits.
                thread::sleep(units(2));
                log.lock().unwrap().push("first step");
                1
            },
            || {
                log.lock().unwrap().push("second step");
                2
            },
        );
        assert_eq!((first, second), (1, 2));
        assert_eq!(*log.lock().unwrap(), vec!["first step", "second step"]);
    }
}

mod exercise5_event {
    use super::*;
    use lab3_semaphores::Event;

    #[test]
    fn an_event_is_a_flag_that_can_be_set_and_cleared() {
        let event = Event::new();
        assert!(!event.is_set(), "a new event is cleared");
        event.set();
        assert!(event.is_set());
        event.wait(); // returns at once: the flag is set
        assert!(event.wait_timeout(units(1)));
        event.clear();
        assert!(!event.is_set());
        let (was_set, elapsed) = measure(|| event.wait_timeout(units(1)));
        assert!(!was_set, "nobody set the event again");
        assert!(
            elapsed >= units(1),
            "gave up after {:.2} units instead of 1",
            in_units(elapsed)
        );
    }

    #[test]
    fn one_set_wakes_every_waiting_worker() {
        let initialised = Arc::new(Event::new());
        let workers_through = labkit::WaitableCounter::new();
        let workers: Vec<_> = (0..3)
            .map(|_| {
                let (initialised, workers_through) =
                    (Arc::clone(&initialised), workers_through.clone());
                thread::spawn(move || {
                    initialised.wait();
                    workers_through.increment();
                })
            })
            .collect();
        assert_eq!(workers_through.get(), 0, "nobody passes before the set");
        initialised.set();
        assert!(
            workers_through.wait_until_at_least(3, Instant::now() + PATIENCE),
            "only {} of 3 waiting workers woke up after one set (notify_one instead of notify_all?)",
            workers_through.get()
        );
        for worker in workers {
            worker.join().unwrap();
        }
    }
}

mod exercise6_shared_list {
    use super::*;
    use lab3_semaphores::SharedList;

    #[test]
    fn items_come_out_in_the_order_they_went_in_then_none_after_close() {
        let list = SharedList::new();
        list.put("a");
        list.put("b");
        assert_eq!(list.len(), 2);
        assert_eq!(list.take(), Some("a"));
        list.close();
        assert_eq!(list.take(), Some("b"), "what is left is still handed out");
        assert_eq!(list.take(), None, "closed and empty");
        assert!(list.is_empty());
    }

    #[test]
    fn two_producers_and_two_consumers_pass_every_item_exactly_once() {
        let list = &SharedList::new();
        let mut taken: Vec<u32> = thread::scope(|scope| {
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(move || {
                        let mut mine = Vec::new();
                        while let Some(item) = list.take() {
                            mine.push(item);
                        }
                        mine
                    })
                })
                .collect();
            let producers: Vec<_> = [0, 1000]
                .into_iter()
                .map(|first| {
                    scope.spawn(move || (first..first + 100).for_each(|item| list.put(item)))
                })
                .collect();
            for producer in producers {
                producer.join().unwrap();
            }
            list.close();
            consumers
                .into_iter()
                .flat_map(|consumer| consumer.join().unwrap())
                .collect()
        });
        taken.sort_unstable();
        let expected: Vec<u32> = (0..100).chain(1000..1100).collect();
        assert_eq!(taken, expected);
    }
}

mod exercise7_rlock {
    use super::*;
    use lab3_semaphores::{RLock, RLockError};

    #[test]
    fn the_owner_may_acquire_again_and_releases_as_many_times() {
        let lock = RLock::new();
        lock.acquire();
        lock.acquire(); // a plain mutex would deadlock here
        assert!(lock.is_held_by_current_thread());
        assert_eq!(lock.release(), Ok(()));
        assert!(lock.is_held_by_current_thread(), "still held once");
        assert_eq!(lock.release(), Ok(()));
        assert!(!lock.is_held_by_current_thread());
        assert_eq!(lock.release(), Err(RLockError::NotLocked));
    }

    #[test]
    fn another_thread_may_not_release_it_and_waits_to_acquire_it() {
        let lock = RLock::new();
        lock.acquire();
        let got_it = Flag::new();
        thread::scope(|scope| {
            scope.spawn(|| {
                assert_eq!(lock.release(), Err(RLockError::NotOwner));
                lock.acquire();
                got_it.raise();
                lock.release().unwrap();
            });
            assert!(
                !got_it.wait_until_raised(Instant::now() + units(2)),
                "the other thread got the lock while its owner held it"
            );
            lock.release().unwrap();
            assert!(
                got_it.wait_until_raised(Instant::now() + PATIENCE),
                "the waiting thread never got the freed lock"
            );
        });
    }
}

mod exercise8_barrier {
    use super::*;
    use lab3_semaphores::Barrier;
    use labsync::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn three_threads_meet_at_the_barrier_round_after_round() {
        const N_THREADS: usize = 3;
        const N_ROUNDS: usize = 5;
        let barrier = Barrier::new(N_THREADS);
        let arrived: Vec<AtomicUsize> = (0..N_ROUNDS).map(|_| AtomicUsize::new(0)).collect();
        let leaders: Vec<AtomicUsize> = (0..N_ROUNDS).map(|_| AtomicUsize::new(0)).collect();
        thread::scope(|scope| {
            for _ in 0..N_THREADS {
                scope.spawn(|| {
                    for round in 0..N_ROUNDS {
                        arrived[round].fetch_add(1, Ordering::SeqCst);
                        let is_leader = barrier.wait();
                        // Nobody gets past the barrier before all have arrived.
                        assert_eq!(arrived[round].load(Ordering::SeqCst), N_THREADS);
                        leaders[round].fetch_add(usize::from(is_leader), Ordering::SeqCst);
                    }
                });
            }
        });
        for (round, leaders) in leaders.iter().enumerate() {
            assert_eq!(
                leaders.load(Ordering::SeqCst),
                1,
                "leaders in round {round}"
            );
        }
    }
}
