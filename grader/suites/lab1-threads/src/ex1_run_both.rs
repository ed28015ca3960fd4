//! Exercise 1, `run_both`: both results come back in their own places, from
//! two tasks that really run at the same time.
//!
//! Overlap is proved by a rendezvous (each task waits for the other to
//! start), which a serial implementation can never pass, and illustrated by
//! the lecture's apples and bananas, timed against the floor that the
//! longer task's sleep sets.
//!
//! The results are recorded with `grader::harness::answer_with` and
//! compared by the grader with the reference solution's.

use std::thread::sleep;

use grader::harness::{AnswerOptions, answer_with};
use lab1_threads::run_both;
use labkit::{Flag, units};

use crate::support::{
    PATIENCE, TIMING_ATTEMPTS, call_graded, fastest_attempt, in_units, patience_deadline,
};

/// How much longer than the longest task the two tasks may take together.
const MAX_OVER_FLOOR: f64 = 1.3;

pub fn run_both_returns_each_result_in_its_own_place() {
    let in_place = AnswerOptions {
        note: "results swapped or lost: the first result must come from the first task",
        ..AnswerOptions::default()
    };
    let numbers = call_graded("run_both(|| 5, || 8)", || run_both(|| 5_u32, || 8_u32));
    answer_with("run_both(|| 5, || 8)", &numbers, in_place.clone());
    let mixed = call_graded("run_both(|| \"apples\", || vec![1, 2, 3])", || {
        run_both(|| "apples".to_owned(), || vec![1, 2, 3])
    });
    answer_with(
        "run_both(|| \"apples\", || vec![1, 2, 3])",
        &mixed,
        AnswerOptions {
            note: in_place.note,
            ..AnswerOptions::default()
        },
    );
}

pub fn run_both_runs_the_two_tasks_at_the_same_time() {
    let a_started = Flag::new();
    let b_started = Flag::new();
    let deadline = patience_deadline();
    let task_a = {
        let (a_started, b_started) = (a_started.clone(), b_started.clone());
        move || {
            a_started.raise();
            b_started.wait_until_raised(deadline)
        }
    };
    let task_b = move || {
        b_started.raise();
        a_started.wait_until_raised(deadline)
    };
    let (a_saw_b, b_saw_a) = call_graded("run_both(task_a, task_b)", || run_both(task_a, task_b));
    assert!(
        a_saw_b && b_saw_a,
        "ran serially: task {} waited {} s for the other task to start and it never did; \
         start both threads before joining either",
        if a_saw_b { "B" } else { "A" },
        PATIENCE.as_secs()
    );
}

pub fn run_both_apples_and_bananas_take_the_longer_time_not_the_sum() {
    // Bananas alone sleep 8 units, so no run can be faster than that. Run
    // one after the other, the tasks take at least 13 units: 1.6 times the
    // floor, which no serial run can beat however many times it is tried.
    let floor = units(8);
    let both = fastest_attempt(
        || {
            call_graded("run_both(apples, bananas)", || {
                run_both(|| sleep(units(5)), || sleep(units(8)))
            });
        },
        |elapsed| elapsed.div_duration_f64(floor) < MAX_OVER_FLOOR,
    );
    let ratio = both.div_duration_f64(floor);
    grader::harness::metric("apples_and_bananas_units", in_units(both));
    assert!(
        ratio < MAX_OVER_FLOOR,
        "ran serially: apples (5 units) and bananas (8 units) took {:.1} units at best in {} \
         tries; at the same time they take about 8 units, one after the other 13",
        in_units(both),
        TIMING_ATTEMPTS
    );
}
