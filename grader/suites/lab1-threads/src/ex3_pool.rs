//! Exercise 3, `pool_map`: outputs in input order; never more than
//! `n_workers` threads, started once and reused; every worker busy; items
//! handed to whichever worker is free; a panic in the work becomes an error
//! naming the item, never a hang; zero workers is an error.
//!
//! Thread counts come from a concurrency probe; "busy at once" and "handed
//! to whichever worker is free" are rendezvous that a serial or statically
//! split pool cannot pass. Calls that could hang run under a time limit, so
//! a deadlocked pool fails with a message instead of a bare timeout.
//!
//! The outputs of `pool_map_returns_outputs_in_input_order` are recorded
//! with `grader::harness::answer_with` and compared by the grader with the
//! reference solution's; the error checks name the variant the exercise
//! asks for and stay here.

use std::thread::sleep;

use grader::harness::{AnswerOptions, answer_with};
use lab1_threads::{PoolError, pool_map};
use labkit::{ConcurrencyProbe, WaitableCounter, unit, units};

use crate::support::{
    PATIENCE, TIMING_ATTEMPTS, call_graded_within, fastest_attempt, in_units, panic_text,
    patience_deadline,
};

pub fn pool_map_returns_outputs_in_input_order() {
    // Earlier items are slower, so they finish last.
    let outputs = call_graded_within(
        "pool_map(0..10, 3 workers, slow_first)",
        "the pool never delivered every output",
        || {
            pool_map((0..10_u32).collect(), 3, |item| {
                sleep(unit() / 8 * (10 - item));
                format!("item-{item}")
            })
        },
    );
    record_outputs(
        "pool_map(0..10, 3 workers, |item| format!(\"item-{item}\")), early items finishing last",
        outputs,
        "outputs not in input order (or missing) when early items finish last? remember each \
         output's item index and put the outputs back in that order",
    );

    let empty = call_graded_within(
        "pool_map(vec![], 3, f)",
        "an empty input must return at once",
        || pool_map(Vec::<u32>::new(), 3, |item| item),
    );
    record_outputs("pool_map(vec![], 3, f)", empty, "");

    let few = call_graded_within(
        "pool_map(vec![1, 2], 8, f)",
        "two items on eight workers",
        || pool_map(vec![1_u32, 2], 8, |item| item + 100),
    );
    record_outputs("pool_map(vec![1, 2], 8, |item| item + 100)", few, "");
}

/// Records the outputs of a `pool_map` call for the grader to compare
/// with the reference's; an error fails the test here (none is expected).
fn record_outputs<T: grader::harness::Serialize>(
    call: &str,
    result: Result<Vec<T>, PoolError>,
    note: &str,
) {
    match result {
        Ok(outputs) => answer_with(
            call,
            &outputs,
            AnswerOptions {
                note,
                ..AnswerOptions::default()
            },
        ),
        Err(error) => panic!("{call} returned an error, {error:?}, where every item succeeds"),
    }
}

pub fn pool_map_runs_no_more_than_n_workers_threads() {
    let probe = ConcurrencyProbe::new();
    let worker_probe = probe.clone();
    let outputs = call_graded_within(
        "pool_map(0..12, 3 workers, f)",
        "the pool never finished 12 short items",
        move || {
            pool_map((0..12_u32).collect(), 3, move |item| {
                let _inside = worker_probe.enter();
                sleep(unit() / 4);
                item
            })
        },
    );
    assert_eq!(
        outputs,
        Ok((0..12).collect()),
        "wrong outputs for 12 items on 3 workers"
    );
    assert!(
        probe.max_inside() <= 3,
        "too many threads: {} items ran at the same time on a pool of 3 workers",
        probe.max_inside()
    );
    assert!(
        probe.distinct_threads() <= 3,
        "a pool reuses its workers: 12 items ran on {} different threads for a pool of 3 \
         (a thread per item, or a new batch of threads per round?)",
        probe.distinct_threads()
    );
}

pub fn pool_map_keeps_all_n_workers_busy_at_once() {
    let probe = ConcurrencyProbe::new();
    let worker_probe = probe.clone();
    let deadline = patience_deadline();
    let outputs = call_graded_within(
        "pool_map(0..9, 3 workers, rendezvous)",
        "the workers never got to run",
        move || {
            pool_map((0..9_u32).collect(), 3, move |_| {
                let _inside = worker_probe.enter();
                worker_probe.wait_until_max_inside(3, deadline)
            })
        },
    );
    let all_met = outputs.is_ok_and(|met| met.iter().all(|met| *met));
    assert!(
        all_met,
        "the workers did not run at the same time: at most {} of 3 were ever busy at once \
         (waited {} s); is the queue's lock held while the work runs?",
        probe.max_inside(),
        PATIENCE.as_secs()
    );
}

pub fn pool_map_hands_the_next_item_to_whichever_worker_is_free() {
    // Item 0 waits until items 1..=7 are all done. With 2 workers, that
    // works only if the other worker keeps taking the next unclaimed item.
    // A fixed share per worker or batches of 2 leave some of them stuck
    // behind item 0. Item 0 reports how many it saw done when it stopped
    // waiting.
    let done_items = WaitableCounter::new();
    let deadline = patience_deadline();
    let outputs = call_graded_within(
        "pool_map(0..8, 2 workers, item 0 waits for the rest)",
        "the pool never finished",
        move || {
            pool_map((0..8_u32).collect(), 2, move |item| {
                if item == 0 {
                    done_items.wait_until_at_least(7, deadline);
                } else {
                    done_items.increment();
                }
                done_items.get()
            })
        },
    );
    let done_while_item0_waited = match &outputs {
        Ok(outputs) => outputs[0],
        Err(error) => panic!("pool_map returned an error: {error}"),
    };
    assert!(
        done_while_item0_waited >= 7,
        "items were not handed to the free worker: while item 0 was busy for {} s only \
         {done_while_item0_waited} of the 7 other items got done; each worker must take the \
         next unclaimed item when it becomes free (no fixed shares, no batches)",
        PATIENCE.as_secs()
    );
}

pub fn pool_map_jobs_of_1_2_3_units_on_3_workers_take_3_units() {
    // The 3-unit job alone sets the floor. One job after another takes at
    // least 6 units, twice the floor, which no serial run can beat.
    let floor = units(3);
    let max_over_floor = 1.4;
    let elapsed = fastest_attempt(
        || {
            let outputs = call_graded_within(
                "pool_map([1, 2, 3] units, 3 workers)",
                "the pool never finished",
                || {
                    pool_map(vec![1_u32, 2, 3], 3, |job_units| {
                        sleep(units(job_units));
                        job_units
                    })
                },
            );
            assert_eq!(
                outputs,
                Ok(vec![1, 2, 3]),
                "wrong outputs for jobs of 1, 2 and 3 units"
            );
        },
        |elapsed| elapsed.div_duration_f64(floor) < max_over_floor,
    );
    grader::harness::metric("jobs_1_2_3_on_3_workers_units", in_units(elapsed));
    assert!(
        elapsed.div_duration_f64(floor) < max_over_floor,
        "jobs did not overlap: jobs of 1, 2 and 3 units on 3 workers took {:.1} units at best \
         in {TIMING_ATTEMPTS} tries; expected about 3 units (one after another: 6)",
        in_units(elapsed)
    );
}

/// Runs `pool_map`, turning a panic of `pool_map` itself (rather than of the
/// work) into a message that says what should have happened instead.
fn pool_map_expecting_an_error<Output: Send>(
    items: Vec<u32>,
    n_workers: usize,
    work: impl Fn(u32) -> Output + Sync,
) -> Result<Vec<Output>, PoolError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pool_map(items, n_workers, work)
    }))
    .unwrap_or_else(|payload| {
        panic!(
            "pool_map itself panicked instead of returning Err(PoolError::TaskPanicked): {}",
            panic_text(payload.as_ref())
        )
    })
}

pub fn pool_map_reports_the_smallest_index_whose_work_panicked() {
    let outcome = call_graded_within(
        "pool_map(0..20, 3 workers, items 7 and 13 panic)",
        "a worker whose work panics must not leave the pool waiting for its output",
        || {
            pool_map_expecting_an_error((0..20).collect(), 3, |item| {
                sleep(unit() / 16);
                if item == 7 || item == 13 {
                    panic!("item {item} is cursed");
                }
                item
            })
        },
    );
    let expected = PoolError::TaskPanicked {
        item_idx: 7,
        message: "item 7 is cursed".to_owned(),
    };
    assert_eq!(
        outcome,
        Err(expected),
        "items 7 and 13 panicked (\"item 7 is cursed\"): expected the error for the smallest \
         index, 7, with the panic's message"
    );
}

pub fn pool_map_returns_an_error_instead_of_hanging_when_work_panics() {
    let outcome = call_graded_within(
        "pool_map(0..6, 1 worker, item 2 panics)",
        "when the only worker's work panics, the pool must still return an error",
        || {
            pool_map_expecting_an_error((0..6).collect(), 1, |item| {
                if item == 2 {
                    panic!("a static message");
                }
                item
            })
        },
    );
    assert_eq!(
        outcome,
        Err(PoolError::TaskPanicked {
            item_idx: 2,
            message: "a static message".to_owned()
        }),
        "item 2 panicked with a &'static str message on a pool of 1"
    );

    let outcome = call_graded_within(
        "pool_map(0..10, 2 workers, every item panics)",
        "when every worker's work panics, the pool must still return an error",
        || {
            pool_map_expecting_an_error((0..10).collect(), 2, |item| -> u32 {
                panic!("item {item} failed")
            })
        },
    );
    assert!(
        matches!(&outcome, Err(PoolError::TaskPanicked { item_idx: 0, message }) if message == "item 0 failed"),
        "every item panicked: expected the error for item 0, got {outcome:?}"
    );
}

pub fn pool_map_with_zero_workers_is_an_error() {
    let outcome = call_graded_within(
        "pool_map(0..3, 0 workers, f)",
        "a pool of zero workers must say so instead of waiting for outputs",
        || pool_map((0..3_u32).collect(), 0, |item| item),
    );
    assert_eq!(
        outcome,
        Err(PoolError::NoWorkers),
        "a pool of zero workers cannot do anything: expected Err(PoolError::NoWorkers)"
    );
}
