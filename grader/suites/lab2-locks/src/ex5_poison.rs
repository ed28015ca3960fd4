//! Exercise 5, `Ledger`: a panic inside a critical section leaves no trace,
//! reaches its caller, and does not stop anyone else.
//!
//! Poisoning needs real panics, which the schedule explorer counts as
//! failures wherever they happen, so the poisoning tests run on real
//! threads. They are deterministic all the same: the panicking update is
//! joined before the next step. Exploration checks the other half of the
//! policy: an update that works on a copy must still hold the lock from
//! the copy to the store, or concurrent updates are lost.
//!
//! Every panic these tests cause on purpose says "on purpose" in its
//! message, so that it is not mistaken for the bug when a test fails.
//!
//! On real threads, the ledger's balances and what `update` returned are
//! recorded with `grader::harness::answer_with` and compared by the grader
//! with the reference solution's. Kept here: that a panicking change panics
//! for its caller and that no later call panics (poisoning), observed where
//! the panics happen.

/// Real threads: panics inside `update`.
#[cfg(not(feature = "explore"))]
pub mod real_threads {
    use std::panic::{self, AssertUnwindSafe};

    use grader::harness::{AnswerOptions, answer_with};
    use lab2_locks::Ledger;
    use labsync::sync::Arc;
    use labsync::thread;

    use crate::support::panic_text;
    use crate::support::real::call_graded_within;

    /// On another thread, runs an update that takes 30 out of entry 0 and
    /// panics before putting it anywhere; fails the test if that update
    /// does not panic.
    fn crash_half_way_through_a_transfer(ledger: &Arc<Ledger>) {
        let ledger = Arc::clone(ledger);
        let crashed = call_graded_within(
            "a ledger.update(...) that panics half-way, on another thread",
            "a lock that is never released?",
            move || {
                thread::spawn(move || {
                    ledger.update(|balances| {
                        balances[0] -= 30;
                        panic!("the change panicked half-way through a transfer, on purpose");
                    })
                })
                .join()
                .is_err()
            },
        );
        assert!(
            crashed,
            "wrong result: a change that panicked inside update did not panic for its caller - the \
             panic must reach the caller of update"
        );
    }

    /// Calls `body`, turning a panic into a "poisoning not handled" failure.
    fn after_a_panic<R>(call: &str, body: impl FnOnce() -> R) -> R {
        match panic::catch_unwind(AssertUnwindSafe(body)) {
            Ok(result) => result,
            Err(payload) => panic!("{}", poisoning_failure(call, &panic_text(payload.as_ref()))),
        }
    }

    /// The failure message for `call` panicking with `message` after
    /// another update panicked; a stub's panic is not a poisoning bug.
    fn poisoning_failure(call: &str, message: &str) -> String {
        if message.contains("not yet implemented") {
            return format!("{call} panicked: {message}");
        }
        format!(
            "poisoning not handled: {call}, called after another thread's update panicked, \
             panicked too: {message} - one crash must not become many; take the guard from the \
             PoisonError (the data is consistent under the all-or-nothing policy)"
        )
    }

    pub fn update_still_works_after_another_update_panicked() {
        let ledger = Arc::new(Ledger::new(vec![100, 0]));
        crash_half_way_through_a_transfer(&ledger);
        let balances = after_a_panic("ledger.balances()", || ledger.balances());
        answer_with(
            "Ledger::new(vec![100, 0]), an update panicked: balances().len()",
            &balances.len(),
            AnswerOptions {
                note: "the ledger has lost or gained entries",
                ..AnswerOptions::default()
            },
        );
        let returned = after_a_panic("ledger.update(...)", || {
            ledger.update(|balances| {
                balances[1] += 5;
                "done"
            })
        });
        answer_with(
            "then update(|balances| { balances[1] += 5; \"done\" }) returned",
            &returned,
            AnswerOptions {
                note: "update must return what the change returned",
                ..AnswerOptions::default()
            },
        );
        let after = after_a_panic("ledger.balances()", || ledger.balances());
        answer_with(
            "then balances()[1]",
            &after.get(1).copied(),
            AnswerOptions {
                note: "an update after the panic was not kept",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn a_panicking_update_leaves_no_half_done_change() {
        let ledger = Arc::new(Ledger::new(vec![100, 0]));
        crash_half_way_through_a_transfer(&ledger);
        let balances = after_a_panic("ledger.balances()", || ledger.balances());
        answer_with(
            "Ledger::new(vec![100, 0]), then an update that took 30 out of entry 0 and panicked: \
             balances()",
            &balances,
            AnswerOptions {
                note: "half-done change kept? let the change work on a copy and store the copy \
                       only when the change returns",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn threads_keep_updating_while_others_panic_inside_the_lock() {
        const GOOD_UPDATES_EACH: i64 = 1_000;
        const CRASHES: usize = 20;
        let balances = call_graded_within(
            "2 threads x 1000 updates while a third thread's updates panic",
            "a lock that is never released? (a panic inside the change must not leave the ledger \
             locked)",
            || {
                // Entries 0 and 1 trade 1 back and forth; entry 2 counts the
                // updates that completed.
                let ledger = Arc::new(Ledger::new(vec![1000, 1000, 0]));
                let traders: Vec<_> = [(0, 1), (1, 0)]
                    .into_iter()
                    .map(|(from, to)| {
                        let ledger = Arc::clone(&ledger);
                        thread::spawn(move || {
                            for _ in 0..GOOD_UPDATES_EACH {
                                ledger.update(|balances| {
                                    balances[from] -= 1;
                                    balances[to] += 1;
                                    balances[2] += 1;
                                });
                            }
                        })
                    })
                    .collect();
                let crasher = {
                    let ledger = Arc::clone(&ledger);
                    thread::spawn(move || {
                        for _ in 0..CRASHES {
                            let _ = panic::catch_unwind(AssertUnwindSafe(|| {
                                ledger.update(|balances| {
                                    balances[0] -= 500;
                                    balances[2] += 1;
                                    panic!("a change panicked half-way, on purpose");
                                })
                            }));
                            thread::yield_now();
                        }
                    })
                };
                let crasher_outcome = crasher.join();
                for trader in traders {
                    if let Err(payload) = trader.join() {
                        let message = panic_text(payload.as_ref());
                        panic!(
                            "{}",
                            poisoning_failure("a trading thread's ledger.update(...)", &message)
                        );
                    }
                }
                if let Err(payload) = crasher_outcome {
                    let message = panic_text(payload.as_ref());
                    panic!(
                        "{}",
                        poisoning_failure("the crashing thread's ledger.update(...)", &message)
                    );
                }
                after_a_panic("ledger.balances()", || ledger.balances())
            },
        );
        answer_with(
            "Ledger::new(vec![1000, 1000, 0]), 2 threads x 1000 updates trading 1 and counting in \
             entry 2, while 20 updates panic half-way: balances()",
            &balances,
            AnswerOptions {
                note: "completed updates must all be kept, panicked ones must leave no trace",
                ..AnswerOptions::default()
            },
        );
    }
}

/// Schedule exploration: two threads updating at once.
#[cfg(feature = "explore")]
pub mod explored {
    use lab2_locks::Ledger;
    use labsync::sync::Arc;

    use crate::support::explored::{explore, spawn_named};

    pub fn updates_from_two_threads_are_all_kept_under_any_schedule() {
        explore("a thread panicked inside Ledger::update", || {
            let ledger = Arc::new(Ledger::new(vec![0, 0]));
            let other = {
                let ledger = Arc::clone(&ledger);
                spawn_named("other-updater", move || {
                    ledger.update(|balances| balances[0] += 1);
                    ledger.update(|balances| balances[1] += 1);
                })
            };
            ledger.update(|balances| balances[0] += 1);
            ledger.update(|balances| balances[1] += 1);
            other.join().expect("the updating thread panicked");
            let balances = ledger.balances();
            assert!(
                balances == [2, 2],
                "lost update: two threads each added 1 to both entries and the ledger holds \
                 {balances:?}, expected [2, 2] - hold the lock from copying the balances to \
                 storing the changed copy"
            );
        });
    }
}
