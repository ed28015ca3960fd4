//! Exercise 1, `Semaphore`: never more holders than permits, no lost
//! wake-ups (explored); `try_acquire` never blocks, `acquire_timeout` gives
//! up after about its timeout and returns as soon as a permit comes back,
//! the permit guard gives its permit back even on a panic, and a stress run
//! (native).

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
        assert_eq!(
            taken,
            [true, true, false],
            "a semaphore of 2 must give exactly 2 permits to try_acquire"
        );
        assert_eq!(
            left, 0,
            "after taking both permits, available_permits() should be 0"
        );

        let after_release = call_graded_within(
            "release() then try_acquire() on an empty Semaphore::new(1)",
            "try_acquire must never wait",
            || {
                let semaphore = Semaphore::new(1);
                assert!(semaphore.try_acquire());
                let while_empty = semaphore.try_acquire();
                semaphore.release();
                (
                    while_empty,
                    semaphore.try_acquire(),
                    Semaphore::new(0).try_acquire(),
                )
            },
        );
        assert_eq!(
            after_release,
            (false, true, false),
            "expected (false while empty, true after a release, false on Semaphore::new(0))"
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
        assert_eq!(
            zero,
            (false, true),
            "a zero timeout means: take a free permit if there is one, otherwise give up at once"
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
        assert!(
            got_one,
            "acquire_timeout returned false although a permit was released during the wait"
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
        assert!(
            !taken_while_held,
            "try_acquire got a permit while the only one was held by a guard"
        );
        assert_eq!(
            after_drop, 1,
            "dropping the permit guard did not give the permit back"
        );
        assert!(holder_panicked, "the holder thread was expected to panic");
        assert_eq!(
            after_panic, 1,
            "a thread that panicked while holding a permit guard did not give the permit back; \
             the guard's Drop must release it (drop runs during a panic too)"
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
        assert_eq!(
            left, PERMITS,
            "permits lost or created: {left} free at the end instead of {PERMITS}"
        );
    }
}
