//! Exercise 6: a counter in shared memory. Children adding with
//! `fetch_add`, or under the spin lock in the mapping, never lose an
//! update, whatever the number of children; children adding the racy way
//! do lose updates, which shows that they really share one counter and
//! really run at the same time.
//!
//! The racy check is statistical but not fragile: the children meet at the
//! provided start line, each makes millions of unprotected increments, and
//! a loss in any of several attempts suffices. A correct submission loses
//! thousands of updates per attempt on two free cores, and still loses
//! some with one core busy (a child preempted between its load and its
//! store wipes out everything the other child did meanwhile).

use std::path::PathBuf;

use lab5_multiprocessing::{CountMethod, ProcessError, count_with_processes};

use grader::harness::call_graded_within;

/// Runs the graded `count_with_processes` with a time limit, in a fresh
/// temporary folder, and checks that it left no child behind.
fn count(
    n_children: usize,
    times: u64,
    method: CountMethod,
) -> (String, Result<u64, ProcessError>) {
    let folder = tempfile::tempdir().expect("suite: a temporary folder");
    let counter_file: PathBuf = folder.path().join("shared-counter");
    let worker = grader::harness::worker_program();
    let call = format!(
        "count_with_processes(worker, counter_file, {n_children}, {times}, CountMethod::{method:?})"
    );
    let result = call_graded_within(
        &call,
        "start every child, then wait for each one; a child waits at the start line for at most \
         2 s",
        move || count_with_processes(&worker, &counter_file, n_children, times, method),
    );
    labkit::assert_no_children_left(&format!("{call} returned"));
    (call, result)
}

/// Fails unless every round of `rounds` children counts exactly.
fn check_exact(method: CountMethod, rounds: &[(usize, u64)], advice: &str) {
    for &(n_children, times) in rounds {
        let (call, result) = count(n_children, times, method);
        let total = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
        let expected = n_children as u64 * times;
        assert!(
            total == expected,
            "lost updates in shared memory: {call} = {total}, expected {expected} ({} lost); \
             {advice}",
            expected.saturating_sub(total)
        );
    }
}

pub fn children_adding_with_fetch_add_never_lose_an_update() {
    check_exact(
        CountMethod::Atomic,
        &[(1, 1_000), (2, 400_000), (4, 250_000), (3, 300_000)],
        "each child must add 1 with one atomic read-modify-write (fetch_add), never a load \
         followed by a store, and the parent must wait for every child before it reads the \
         counter",
    );
}

pub fn children_adding_under_the_shared_spin_lock_never_lose_an_update() {
    check_exact(
        CountMethod::Locked,
        &[(2, 100_000), (3, 50_000)],
        "the lock must be taken with one atomic step (compare_exchange from 0 to 1, Acquire) \
         and given back by storing 0 (Release) after the increment",
    );
}

pub fn children_adding_with_load_then_store_lose_updates_because_they_share_one_counter() {
    let times = 5_000_000;
    let mut totals = Vec::new();
    for _attempt in 0..6 {
        let (call, result) = count(2, times, CountMethod::Racy);
        let total = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
        assert!(
            total <= 2 * times,
            "{call} = {total}, more than the {} increments the children made: is the counter \
             file created afresh (at 0) for every call?",
            2 * times
        );
        totals.push(total);
        if total < 2 * times {
            return;
        }
    }
    panic!(
        "two racy children never lost an update in {} attempts of {times} increments each \
         (totals {totals:?}); they cannot have run at the same time on one shared counter: \
         start both children before waiting for either, have each open the file it is given \
         and wait at the start line, and count with the method it is given",
        totals.len()
    );
}
