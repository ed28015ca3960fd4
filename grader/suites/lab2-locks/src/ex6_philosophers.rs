//! Exercise 6, the dining philosophers: the required strategies never
//! deadlock, everyone eats every meal, and the waiter never seats more
//! than it has seats.
//!
//! The naive left-then-right strategy is a demonstration that deadlocks;
//! no test here runs it. Under exploration, three and then five
//! philosophers eat two meals each with each required strategy: a cycle of
//! philosophers each holding one fork is found by the explorer itself and
//! reported as a deadlock. The waiter is also explored on its own, with
//! more guests than seats, to catch over-admission and lost wake-ups. On
//! real threads, five philosophers eat 100 meals each with every strategy
//! that is implemented (the optional try-and-back-off included, when it
//! is), and the meals and their spread are reported.
//!
//! The required strategies' meals on real threads are recorded with
//! `grader::harness::answer_with` and compared by the grader with the
//! reference solution's; the optional strategy's are checked here (a
//! submission may leave it out, and then records nothing for it).

/// Real threads: five philosophers, and the fairness report.
#[cfg(not(feature = "explore"))]
pub mod real_threads {
    use std::panic::{self, AssertUnwindSafe};
    use std::time::Instant;

    use grader::harness::{AnswerOptions, answer_with};
    use lab2_locks::{Strategy, Table, dine, take_or_back_off};

    use crate::support::panic_text;
    use crate::support::real::call_graded_within;

    const N_PHILOSOPHERS: usize = 5;
    /// Enough meals for the fairness figures to mean something, few enough
    /// that a loaded machine, where every `yield_now` may wait out another
    /// process's time slice, still finishes each dinner in about a second.
    const MEALS_EACH: usize = 100;

    pub fn five_philosophers_eat_every_meal_with_each_strategy_on_real_threads() {
        for strategy in [
            Strategy::OrderedForks,
            Strategy::Waiter,
            Strategy::TryAndBackOff,
        ] {
            let name = strategy.name();
            if strategy == Strategy::TryAndBackOff && !is_implemented(strategy) {
                grader::harness::metric("try_and_back_off_implemented", 0.0);
                continue;
            }
            let call = format!("dine(Strategy::{strategy:?}, {N_PHILOSOPHERS}, {MEALS_EACH})");
            let (report, millis) = call_graded_within(
                &call,
                "deadlock (each philosopher holding one fork and waiting for the next) or a waiter \
                 that never seats anyone again (a lost wake-up)?",
                move || {
                    let started = Instant::now();
                    let report = dine(strategy, N_PHILOSOPHERS, MEALS_EACH);
                    (report, started.elapsed().as_secs_f64() * 1e3)
                },
            );
            if strategy == Strategy::TryAndBackOff {
                // Optional: a submission without it records nothing for it,
                // so its meals cannot be an answer the reference's run has
                // and the graded run lacks; they are checked here.
                assert!(
                    report.meals == [MEALS_EACH; N_PHILOSOPHERS],
                    "missed meal: with {name}, {call} reports meals {:?}",
                    report.meals
                );
            } else {
                answer_with(
                    &format!("{call}: meals per philosopher"),
                    &report.meals,
                    AnswerOptions {
                        note: "missed meal: every philosopher must eat every meal",
                        ..AnswerOptions::default()
                    },
                );
            }
            grader::harness::metric(&format!("{name}_ms"), millis);
            grader::harness::metric(&format!("{name}_spread"), report.spread() as f64);
            for (philosopher, meals) in report.meals_when_first_finished.iter().enumerate() {
                grader::harness::metric(
                    &format!("{name}_p{philosopher}_meals_when_first_finished"),
                    *meals as f64,
                );
            }
        }
    }

    /// The optional strategy counts as written unless picking up forks
    /// stops at its `todo!()`. It is tried on this thread, on a table of
    /// its own: inside a dinner the stub's message would be replaced by
    /// "a scoped thread panicked".
    fn is_implemented(strategy: Strategy) -> bool {
        assert!(
            strategy == Strategy::TryAndBackOff,
            "only the optional strategy is probed"
        );
        let trial = call_graded_within(
            "take_or_back_off on an empty table of 2",
            "a philosopher who cannot pick up two free forks?",
            || {
                let table = Table::new(2);
                panic::catch_unwind(AssertUnwindSafe(|| drop(take_or_back_off(&table, 0))))
                    .map_err(|payload| panic_text(payload.as_ref()))
            },
        );
        !matches!(&trial, Err(message) if message.contains("not yet implemented"))
    }
}

/// Schedule exploration: three philosophers, two meals each; the waiter
/// alone with three guests.
#[cfg(feature = "explore")]
pub mod explored {
    use lab2_locks::{Strategy, Waiter, dine};
    use labsync::sync::Arc;
    use labsync::sync::atomic::{AtomicUsize, Ordering};
    use labsync::thread;

    use crate::support::explored::{explore, spawn_named};

    /// The dinners of one explored execution: (philosophers, meals each).
    /// Three philosophers close a cycle in the fewest steps; five are the
    /// lecture's table. Both run in every execution (rather than one
    /// exploration each), so that a failing schedule replays on its own.
    const DINNERS: [(usize, usize); 2] = [(3, 2), (5, 2)];

    fn everyone_eats_at_every_table(strategy: Strategy, when_graded_code_panics: &'static str) {
        explore(when_graded_code_panics, move || {
            for (n_philosophers, meals_each) in DINNERS {
                let report = dine(strategy, n_philosophers, meals_each);
                assert!(
                    report.meals == vec![meals_each; n_philosophers],
                    "missed meal: with {}, {n_philosophers} philosophers x {meals_each} meals \
                     reported meals {:?}",
                    strategy.name(),
                    report.meals
                );
            }
        });
    }

    pub fn ordered_forks_dinner_never_deadlocks_under_any_schedule() {
        everyone_eats_at_every_table(
            Strategy::OrderedForks,
            "a philosopher panicked inside take_in_fork_order (did it return forks that are not \
             its own?)",
        );
    }

    pub fn waiter_dinner_never_deadlocks_under_any_schedule() {
        everyone_eats_at_every_table(
            Strategy::Waiter,
            "a philosopher panicked inside take_with_waiter or the Waiter (did it return forks that \
             are not its own, or did the seat count underflow because a woken philosopher took a \
             seat that another had taken first?)",
        );
    }

    pub fn waiter_never_seats_more_philosophers_than_it_has_seats() {
        explore(
            "too many seated: a thread panicked inside Waiter::sit_down (did the seat count go \
             below zero? a woken philosopher must check again for a free seat: `while`, not `if`)",
            || {
                const SEATS: usize = 1;
                let waiter = Arc::new(Waiter::new(SEATS));
                let seated = Arc::new(AtomicUsize::new(0));
                let guests: Vec<_> = (0..3)
                    .map(|guest_idx| {
                        let (waiter, seated) = (Arc::clone(&waiter), Arc::clone(&seated));
                        spawn_named(&format!("guest-{guest_idx}"), move || {
                            for _ in 0..2 {
                                let seat = waiter.sit_down();
                                let now_seated = seated.fetch_add(1, Ordering::SeqCst) + 1;
                                assert!(
                                    now_seated <= SEATS,
                                    "too many seated: a waiter with {SEATS} seat seated \
                                     {now_seated} philosophers at once - after waking up, check \
                                     again that a seat is free (`while`, not `if`)"
                                );
                                thread::yield_now();
                                seated.fetch_sub(1, Ordering::SeqCst);
                                drop(seat);
                            }
                        })
                    })
                    .collect();
                for guest in guests {
                    guest.join().expect("a guest thread panicked");
                }
            },
        );
    }
}
