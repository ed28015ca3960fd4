//! Exercise 1, `Semaphore`: never more holders than permits, no lost
//! wake-ups (explored); `try_acquire` never blocks, `acquire_timeout` gives
//! up after about its timeout and returns as soon as a permit comes back,
//! the permit guard gives its permit back even on a panic, and a stress run
//! (native).
//!
//! The native tests' values (what `try_acquire` and `acquire_timeout`
//! returned, the permits left) are recorded with `grader::harness::answer`
//! and compared by the grader with the reference solution's; timing ratios
//! and the stress run's occupancy probe are judged here.

/// Under the schedule explorer: admission and wake-ups on every explored
/// interleaving.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::explore;
    use lab3_semaphores::Semaphore;
    use labsync::sync::Arc;
    use labsync::thread;

    use crate::support::{Occupancy, Problems, graded};

    pub fn semaphore_never_admits_more_threads_than_permits() {
        // Three threads, one permit, two rounds each; each thread takes the
        // permit its own way. A woken waiter that does not re-check the
        // count, or a check and a decrement under separate locks, lets a
        // second thread in (or drives the count below zero) on some
        // interleaving.
        explore(|| {
            const PERMITS: usize = 1;
            let semaphore = Arc::new(Semaphore::new(PERMITS));
            let occupancy = Arc::new(Occupancy::default());
            let problems = Arc::new(Problems::default());
            let threads: Vec<_> = (0..3)
                .map(|thread_idx| {
                    let (semaphore, occupancy, problems) = (
                        Arc::clone(&semaphore),
                        Arc::clone(&occupancy),
                        Arc::clone(&problems),
                    );
                    thread::spawn(move || {
                        let hold_the_permit = |how: &str| {
                            let inside = occupancy.enter();
                            if inside > PERMITS {
                                problems.report(|| {
                                    format!(
                                        "over-admission: {inside} threads held a permit at once \
                                         of a semaphore with {PERMITS} (the last one got in \
                                         through {how}); checking the count and taking a permit \
                                         must be one step under the lock, re-checked in a \
                                         `while` after every wake-up"
                                    )
                                });
                            }
                            thread::yield_now();
                            occupancy.leave();
                        };
                        for _ in 0..2 {
                            match thread_idx {
                                0 => {
                                    graded("Semaphore::acquire()", || semaphore.acquire());
                                    hold_the_permit("acquire");
                                    semaphore.release();
                                }
                                1 => {
                                    let permit =
                                        graded("Semaphore::permit()", || semaphore.permit());
                                    hold_the_permit("permit");
                                    drop(permit);
                                }
                                _ => {
                                    if graded("Semaphore::try_acquire()", || {
                                        semaphore.try_acquire()
                                    }) {
                                        hold_the_permit("try_acquire");
                                        semaphore.release();
                                    }
                                }
                            }
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
            problems.fail_on_first();
            let left = semaphore.available_permits();
            assert_eq!(
                left, PERMITS,
                "permits lost or created: after every thread released what it took, {left} \
                 permits are free instead of {PERMITS}"
            );
        });
    }

    pub fn semaphore_release_wakes_threads_blocked_in_acquire() {
        // Two threads wait on a semaphore with no permits; two releases must
        // let both through. A release that does not notify leaves a waiter
        // asleep next to a free permit; the explorer reports it as a
        // deadlock or lost wake-up.
        explore(|| {
            let semaphore = Arc::new(Semaphore::new(0));
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let semaphore = Arc::clone(&semaphore);
                    thread::spawn(move || graded("Semaphore::acquire()", || semaphore.acquire()))
                })
                .collect();
            semaphore.release();
            semaphore.release();
            for waiter in waiters {
                waiter.join().unwrap();
            }
            let left = semaphore.available_permits();
            assert_eq!(
                left, 0,
                "two releases let two waiters through, yet {left} permits are left over"
            );
        });
    }
}

/// Real threads and real time.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::sync::Arc;
    use std::thread::sleep;
    use std::time::{Duration, Instant};

    use grader::harness::{AnswerOptions, answer, answer_with};
    use lab3_semaphores::Semaphore;
    use labkit::{ConcurrencyProbe, measure, unit, units};

    use crate::support::{call_graded_within, check_gives_up_after_about, in_units};

    pub fn semaphore_try_acquire_takes_free_permits_and_never_blocks() {
        let (taken, left) = call_graded_within(
            "try_acquire() x3 on Semaphore::new(2)",
            "try_acquire must return false at once when no permit is free, never wait",
            || {
                let semaphore = Semaphore::new(2);
                let taken = [
                    semaphore.try_acquire(),
                    semaphore.try_acquire(),
                    semaphore.try_acquire(),
                ];
                (taken, semaphore.available_permits())
            },
        );
        answer_with(
            "Semaphore::new(2): try_acquire() x3",
            &taken,
            AnswerOptions {
                note: "a semaphore of 2 must give exactly 2 permits to try_acquire",
                ..AnswerOptions::default()
            },
        );
        answer(
            "Semaphore::new(2): available_permits() after try_acquire() x3",
            &left,
        );

        let after_release = call_graded_within(
            "release() then try_acquire() on an empty Semaphore::new(1)",
            "try_acquire must never wait",
            || {
                let semaphore = Semaphore::new(1);
                let first = semaphore.try_acquire();
                let while_empty = semaphore.try_acquire();
                semaphore.release();
                (
                    first,
                    while_empty,
                    semaphore.try_acquire(),
                    Semaphore::new(0).try_acquire(),
                )
            },
        );
        answer_with(
            "Semaphore::new(1): try_acquire(), try_acquire() while empty, release() then \
             try_acquire(); Semaphore::new(0).try_acquire()",
            &after_release,
            AnswerOptions {
                note: "the free permit is taken, none while empty, the released one again, and \
                       Semaphore::new(0) has none",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn semaphore_acquire_timeout_gives_up_after_about_the_timeout() {
        let ratio = check_gives_up_after_about(
            "Semaphore::new(0).acquire_timeout(5 units)",
            units(5),
            |timeout| Semaphore::new(0).acquire_timeout(timeout),
        );
        grader::harness::metric("acquire_timeout_elapsed_over_timeout", ratio);

        let zero = call_graded_within(
            "acquire_timeout(0) on Semaphore::new(0) and Semaphore::new(1)",
            "a zero timeout must not wait",
            || {
                (
                    Semaphore::new(0).acquire_timeout(Duration::ZERO),
                    Semaphore::new(1).acquire_timeout(Duration::ZERO),
                )
            },
        );
        answer_with(
            "acquire_timeout(0) on Semaphore::new(0) and on Semaphore::new(1)",
            &zero,
            AnswerOptions {
                note: "a zero timeout means: take a free permit if there is one, otherwise give \
                       up at once",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn semaphore_acquire_timeout_returns_as_soon_as_a_permit_comes_back() {
        // A permit comes back after 1 unit; the timeout is 100 units. The
        // call must return true long before the timeout: the release wakes
        // it. (Sleeping through the timeout and then checking does not.)
        let timeout = units(100);
        let (got_one, elapsed) = call_graded_within(
            "acquire_timeout(100 units) while another thread releases after 1 unit",
            "the release never woke acquire_timeout",
            move || {
                let semaphore = Arc::new(Semaphore::new(0));
                let releaser = {
                    let semaphore = Arc::clone(&semaphore);
                    std::thread::spawn(move || {
                        sleep(unit());
                        semaphore.release();
                    })
                };
                let outcome = measure(|| semaphore.acquire_timeout(timeout));
                releaser.join().unwrap();
                outcome
            },
        );
        answer(
            "acquire_timeout(100 units) while another thread releases after 1 unit",
            &got_one,
        );
        let ratio = elapsed.div_duration_f64(timeout);
        grader::harness::metric("acquire_timeout_woken_after_units", in_units(elapsed));
        assert!(
            ratio < 0.5,
            "acquire_timeout was not woken by the release: it returned after {:.1} units, though \
             the permit came back after 1 unit (timeout 100 units)",
            in_units(elapsed)
        );
    }

    pub fn semaphore_permit_guard_gives_the_permit_back_even_when_its_holder_panics() {
        let (taken_while_held, after_drop, after_panic, holder_panicked) = call_graded_within(
            "Semaphore::new(1).permit(), dropped normally and by a panic",
            "the permit guard's drop did not give the permit back (or permit() never returned)",
            || {
                let semaphore = Arc::new(Semaphore::new(1));
                let permit = semaphore.permit();
                let taken_while_held = semaphore.try_acquire();
                drop(permit);
                let after_drop = semaphore.available_permits();
                let holder = {
                    let semaphore = Arc::clone(&semaphore);
                    std::thread::spawn(move || {
                        let _permit = semaphore.permit();
                        panic!("the holder of a permit panics on purpose");
                    })
                };
                let holder_panicked = holder.join().is_err();
                (
                    taken_while_held,
                    after_drop,
                    semaphore.available_permits(),
                    holder_panicked,
                )
            },
        );
        // The holder panics on purpose: the test's own set-up, checked here.
        assert!(holder_panicked, "the holder thread was expected to panic");
        answer(
            "Semaphore::new(1): try_acquire() while permit()'s guard is held",
            &taken_while_held,
        );
        answer_with(
            "Semaphore::new(1): available_permits() after the guard is dropped",
            &after_drop,
            AnswerOptions {
                note: "the guard's Drop must give the permit back",
                ..AnswerOptions::default()
            },
        );
        answer_with(
            "Semaphore::new(1): available_permits() after a thread panicked holding a guard",
            &after_panic,
            AnswerOptions {
                note: "the guard's Drop must release the permit (drop runs during a panic too)",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn semaphore_stress_never_exceeds_permits_and_loses_none() {
        const PERMITS: usize = 3;
        const N_THREADS: usize = 8;
        const ROUNDS: usize = 2000;
        let probe = ConcurrencyProbe::new();
        let graded_probe = probe.clone();
        let started = Instant::now();
        let left = call_graded_within(
            "8 threads x 2000 rounds of acquire/permit/try_acquire on Semaphore::new(3)",
            "a thread is stuck in acquire (a lost wake-up?)",
            move || {
                let semaphore = Semaphore::new(PERMITS);
                std::thread::scope(|scope| {
                    for thread_idx in 0..N_THREADS {
                        let (semaphore, probe) = (&semaphore, &graded_probe);
                        scope.spawn(move || {
                            let hold_the_permit = || {
                                let _inside = probe.enter();
                                std::thread::yield_now();
                            };
                            for round in 0..ROUNDS {
                                match (thread_idx + round) % 3 {
                                    0 => {
                                        semaphore.acquire();
                                        hold_the_permit();
                                        semaphore.release();
                                    }
                                    1 => {
                                        let _permit = semaphore.permit();
                                        hold_the_permit();
                                    }
                                    _ => {
                                        if semaphore.try_acquire() {
                                            hold_the_permit();
                                            semaphore.release();
                                        }
                                    }
                                }
                            }
                        });
                    }
                });
                semaphore.available_permits()
            },
        );
        grader::harness::metric("stress_secs", started.elapsed().as_secs_f64());
        assert!(
            probe.max_inside() <= PERMITS,
            "over-admission: {} threads held a permit at once of a semaphore with {PERMITS}",
            probe.max_inside()
        );
        answer_with(
            "8 threads x 2000 rounds on Semaphore::new(3): available_permits() at the end",
            &left,
            AnswerOptions {
                note: "permits lost or created",
                ..AnswerOptions::default()
            },
        );
    }
}
