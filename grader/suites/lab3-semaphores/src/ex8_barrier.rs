//! Exercise 8, `Barrier`: nobody passes before all have arrived, the same
//! barrier works round after round, and exactly one leader per round
//! (explored); a stress run with many threads and rounds (native).
//!
//! The stress run's leaders per round are recorded with
//! `grader::harness::answer_with` and compared by the grader with the
//! reference solution's; threads let through too early are counted, and
//! judged, here.

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::{Exploration, explore};
    use lab3_semaphores::Barrier;
    use labsync::sync::Arc;
    use labsync::sync::atomic::{AtomicUsize, Ordering};
    use labsync::thread;

    use crate::support::{Problems, graded};

    /// `n_threads` threads meet at one barrier for `n_rounds` rounds. Each
    /// counts its arrival before waiting and checks after the wait that
    /// everybody arrived. Fails on the first thread that got through early;
    /// otherwise returns the number of leaders of each round.
    fn meet(n_threads: usize, n_rounds: usize) -> Vec<usize> {
        let barrier = Arc::new(Barrier::new(n_threads));
        let arrived: Arc<Vec<AtomicUsize>> =
            Arc::new((0..n_rounds).map(|_| AtomicUsize::new(0)).collect());
        let leaders: Arc<Vec<AtomicUsize>> =
            Arc::new((0..n_rounds).map(|_| AtomicUsize::new(0)).collect());
        let problems = Arc::new(Problems::default());
        let threads: Vec<_> = (0..n_threads)
            .map(|_| {
                let (barrier, arrived, leaders, problems) = (
                    Arc::clone(&barrier),
                    Arc::clone(&arrived),
                    Arc::clone(&leaders),
                    Arc::clone(&problems),
                );
                thread::spawn(move || {
                    for round in 0..n_rounds {
                        arrived[round].fetch_add(1, Ordering::SeqCst);
                        let is_leader = graded("Barrier::wait()", || barrier.wait());
                        let seen = arrived[round].load(Ordering::SeqCst);
                        if seen != n_threads {
                            problems.report(|| early_passage(round, n_rounds, seen, n_threads));
                        }
                        if is_leader {
                            leaders[round].fetch_add(1, Ordering::SeqCst);
                        }
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        problems.fail_on_first();
        leaders
            .iter()
            .map(|count| count.load(Ordering::SeqCst))
            .collect()
    }

    /// The failure message for a thread that got through the barrier of
    /// `round` (0-based) having seen only `seen` arrivals.
    fn early_passage(round: usize, n_rounds: usize, seen: usize, n_threads: usize) -> String {
        let (class, hint) = if round == 0 {
            ("barrier does not wait", "")
        } else {
            (
                "barrier not reusable",
                " (was the count reset for the next round? wait while the round number is \
                 unchanged, not while the count is below N)",
            )
        };
        format!(
            "{class}: in round {} of {n_rounds} a thread got past the barrier after only {seen} \
             of {n_threads} threads had arrived{hint}",
            round + 1
        )
    }

    pub fn barrier_holds_every_thread_until_all_have_arrived() {
        explore(|| {
            meet(3, 1);
        });
    }

    pub fn barrier_can_be_reused_round_after_round() {
        // A barrier that never resets its count lets round 2 straight
        // through; one that resets the count but has no round number leaves
        // the woken threads of round 1 asleep (a deadlock or lost wake-up).
        explore(|| {
            meet(2, 3);
        });
        Exploration::default().with_executions(150, 150).run(|| {
            meet(3, 2);
        });
    }

    pub fn barrier_names_exactly_one_leader_per_round() {
        explore(|| {
            let leaders = meet(3, 2);
            assert!(
                leaders.iter().all(|count| *count == 1),
                "each round must have exactly one leader (one wait() returning true); leaders per \
                 round: {leaders:?}"
            );
        });
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use grader::harness::{AnswerOptions, answer_with};
    use lab3_semaphores::Barrier;

    use crate::support::call_graded_within;

    pub fn barrier_stress_many_rounds_with_many_threads() {
        const N_THREADS: usize = 4;
        const N_ROUNDS: usize = 2000;
        let (too_early, leaders) = call_graded_within(
            "4 threads x 2000 rounds at one Barrier::new(4)",
            "the threads never got through every round (a lost wake-up, or a barrier that \
             cannot be reused?)",
            || {
                let barrier = Barrier::new(N_THREADS);
                let arrived: Vec<AtomicUsize> =
                    (0..N_ROUNDS).map(|_| AtomicUsize::new(0)).collect();
                let leaders: Vec<AtomicUsize> =
                    (0..N_ROUNDS).map(|_| AtomicUsize::new(0)).collect();
                let too_early = AtomicUsize::new(0);
                std::thread::scope(|scope| {
                    for _ in 0..N_THREADS {
                        scope.spawn(|| {
                            for round in 0..N_ROUNDS {
                                arrived[round].fetch_add(1, Ordering::SeqCst);
                                let is_leader = barrier.wait();
                                if arrived[round].load(Ordering::SeqCst) != N_THREADS {
                                    too_early.fetch_add(1, Ordering::SeqCst);
                                }
                                leaders[round].fetch_add(usize::from(is_leader), Ordering::SeqCst);
                            }
                        });
                    }
                });
                let leaders: Vec<usize> = leaders
                    .iter()
                    .map(|count| count.load(Ordering::SeqCst))
                    .collect();
                (too_early.load(Ordering::SeqCst), leaders)
            },
        );
        assert_eq!(
            too_early, 0,
            "threads got past the barrier before all {N_THREADS} had arrived, {too_early} times \
             in {N_ROUNDS} rounds"
        );
        answer_with(
            "4 threads x 2000 rounds at one Barrier::new(4): leaders per round",
            &leaders,
            AnswerOptions {
                note: "each round needs exactly one leader",
                ..AnswerOptions::default()
            },
        );
    }
}
