//! Exercise 7: factorizing, serially, with threads and with processes.
//! `factorize` finds the right factors (checked against a factorization
//! written here and against the lecture's first numbers); threads and
//! processes give exactly the serial factor lists, in input order, for 1,
//! 2, 3, 4 and 8 workers, more workers than numbers and no numbers; the
//! children of `factorize_processes` run at the same time; and a child
//! that fails or answers nonsense is an error, never a panic or a hang
//! (for exercise 8's `sums_of_primes_processes` too).
//!
//! The numbers here are smaller than the lecture's (about 10^11, ten times
//! fewer divisions each) to keep the tests fast; the lecture's own numbers
//! are timed by the `factorization_seconds` experiment.

use std::path::Path;
use std::time::Instant;

use grader::harness::{BenchMode, SUBJECT_UNDER_TEST, bench_mode, measure};

use lab5_multiprocessing::{
    ProcessError, benchmark_numbers, factorize, factorize_processes, factorize_serial,
    factorize_threads, numbers_from, sums_of_primes_processes,
};

use grader::harness::{call_graded, call_graded_within};

use crate::support::{ScriptFolder, shell_quoted, variant_name};

/// The factorization the tests trust: trial division, written here.
fn trusted_factorization(number: u64) -> Vec<u64> {
    let mut factors = Vec::new();
    let mut rest = number;
    let mut divisor = 2;
    while rest > 1 && divisor <= rest / divisor {
        if rest % divisor == 0 {
            factors.push(divisor);
            rest /= divisor;
        } else {
            divisor += if divisor == 2 { 1 } else { 2 };
        }
    }
    if rest > 1 {
        factors.push(rest);
    }
    factors
}

/// A prime near 10^12: about 500,000 trial divisions, so it takes far
/// longer than its neighbours and finishes last when it is given out first.
const SLOW_PRIME: u64 = 999_999_999_989;

/// The numbers most tests factorize: a slow prime first (so that workers
/// finish out of input order), then 30 odd numbers from 10^11 + 1, then a
/// few small ones.
fn test_numbers() -> Vec<u64> {
    let mut numbers = vec![SLOW_PRIME];
    numbers.extend(numbers_from(100_000_000_001, 30));
    numbers.extend([2, 1, 1_000_003 * 1_000_003, 64, 0, 999_983]);
    numbers
}

pub fn factorize_gives_ascending_prime_factors_and_the_lectures_first_numbers() {
    let lectures_first_numbers: [(u64, &[u64]); 5] = [
        (9_999_999_999_999, &[3, 3, 53, 79, 265_371_653]),
        (10_000_000_000_001, &[11, 859, 1_058_313_049]),
        (10_000_000_000_003, &[13, 29, 547, 48_492_137]),
        (10_000_000_000_005, &[3, 5, 43, 2347, 6_605_827]),
        (10_000_000_000_007, &[167, 619, 6959, 13_901]),
    ];
    let small_numbers = [2, 3, 4, 12, 97, 1024, 3 * 3 * 3 * 7, 1_000_003 * 1_000_003];
    let cases = lectures_first_numbers
        .iter()
        .map(|&(number, factors)| (number, factors.to_vec()))
        .chain(
            small_numbers
                .into_iter()
                .chain([SLOW_PRIME, 600_851_475_143])
                .map(|number| (number, trusted_factorization(number))),
        )
        .chain([(1, Vec::new()), (0, Vec::new())]);
    for (number, expected) in cases {
        let call = format!("factorize({number})");
        let factors = call_graded_within(
            &call,
            "trial division must stop once divisor * divisor exceeds what is left (and 0 and 1 \
             have no prime factors)",
            move || factorize(number),
        );
        assert!(
            factors == expected,
            "wrong factors: {call} = {factors:?}, expected {expected:?} (every prime factor, in \
             ascending order, as often as it divides the number)"
        );
    }
}

pub fn threads_and_processes_give_the_serial_factor_lists_in_input_order() {
    let worker = grader::harness::worker_program();
    let numbers = test_numbers();
    let expected: Vec<Vec<u64>> = numbers.iter().map(|&n| trusted_factorization(n)).collect();
    let serial = {
        let numbers = numbers.clone();
        call_graded_within(
            "factorize_serial(numbers)",
            "factorize must end",
            move || factorize_serial(&numbers),
        )
    };
    assert!(
        serial == expected,
        "factorize_serial(numbers) is not the list of every number's factors in input order: \
         {serial:?}, expected {expected:?}"
    );
    let few = numbers_from(100_000_000_001, 3);
    let cases: [(&[u64], &str); 3] = [
        (&numbers, "37 numbers"),
        (&few, "3 numbers"),
        (&[], "no numbers"),
    ];
    for (case_numbers, what) in cases {
        let expected: Vec<Vec<u64>> = case_numbers
            .iter()
            .map(|&n| trusted_factorization(n))
            .collect();
        for n_workers in [1, 2, 3, 4, 8] {
            let owned = case_numbers.to_vec();
            let call = format!("factorize_threads({what}, {n_workers})");
            let by_threads = call_graded_within(&call, "every thread must end", move || {
                factorize_threads(&owned, n_workers)
            });
            check_same_lists(&call, &by_threads, &expected, case_numbers);
            let owned = case_numbers.to_vec();
            let program = worker.clone();
            let call = format!("factorize_processes({what}, {n_workers}, worker)");
            let by_processes = call_graded_within(
                &call,
                "close each child's stdin once it has all its numbers (it ends on end-of-file), \
                 and write to it from a thread or before reading",
                move || factorize_processes(&owned, n_workers, &program),
            )
            .unwrap_or_else(|error| panic!("{call} failed: {error}"));
            labkit::assert_no_children_left(&format!("{call} returned"));
            check_same_lists(&call, &by_processes, &expected, case_numbers);
        }
    }
}

/// Fails unless `lists` are `expected`, saying how they differ.
fn check_same_lists(call: &str, lists: &[Vec<u64>], expected: &[Vec<u64>], numbers: &[u64]) {
    if lists == expected {
        return;
    }
    if lists.len() != expected.len() {
        panic!(
            "{call} returned {} factor lists for {} numbers; every number needs its list (was \
             the last, shorter share forgotten?)",
            lists.len(),
            expected.len()
        );
    }
    let mut sorted_lists = lists.to_vec();
    let mut sorted_expected = expected.to_vec();
    sorted_lists.sort();
    sorted_expected.sort();
    let first_wrong = (0..lists.len())
        .find(|&idx| lists[idx] != expected[idx])
        .unwrap_or_default();
    if sorted_lists == sorted_expected {
        panic!(
            "results out of order: {call} returned the right factor lists in another order \
             (number {first_wrong}, {}, got {:?}): keep each answer with its number's index, \
             not in the order the workers finished",
            numbers[first_wrong], lists[first_wrong]
        );
    }
    panic!(
        "{call} gave wrong factors for number {first_wrong} ({}): {:?}, expected {:?}",
        numbers[first_wrong], lists[first_wrong], expected[first_wrong]
    );
}

pub fn processes_factorize_in_children_running_at_the_same_time() {
    let scripts = ScriptFolder::new("factorize-overlap");
    let log = scripts.path().join("starts-and-ends.log");
    // Each child logs its start, sleeps, runs the real worker on the same
    // stdin and stdout, and logs its end: children that run at the same
    // time log every start before any end.
    let logging_worker = scripts.script(
        "logging-worker",
        &format!(
            "echo start >> {log}\nsleep 0.3\n{worker} \"$@\"\nstatus=$?\necho end >> {log}\n\
             exit $status",
            log = shell_quoted(&log),
            worker = shell_quoted(grader::harness::worker_program()),
        ),
    );
    let numbers = numbers_from(100_000_000_001, 12);
    let expected: Vec<Vec<u64>> = numbers.iter().map(|&n| trusted_factorization(n)).collect();
    let owned = numbers.clone();
    let call = "factorize_processes(12 numbers, 3, logging_worker)";
    let lists = call_graded_within(
        call,
        "start every child before waiting for any, and close each child's stdin",
        move || factorize_processes(&owned, 3, &logging_worker),
    )
    .unwrap_or_else(|error| panic!("{call} failed: {error}"));
    labkit::assert_no_children_left(&format!("{call} returned"));
    check_same_lists(call, &lists, &expected, &numbers);
    let events: Vec<String> = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        events.len(),
        6,
        "expected 3 children to start and end, the log shows {events:?}"
    );
    assert!(
        events[..3].iter().all(|event| event == "start"),
        "children ran one after another: the log of starts and ends is {events:?}; start every \
         child (and give each its numbers) before waiting for any"
    );
}

pub fn factorize_and_sum_primes_processes_report_failing_or_lying_children_as_errors() {
    let scripts = ScriptFolder::new("factorize-misbehaving");
    let worker = grader::harness::worker_program();
    let failing = scripts.script("failing", "echo 'worker broke' >&2\nexit 3");
    let killed = scripts.script("killed", "kill -9 $$");
    let garbage = scripts.script(
        "garbage",
        "while read number; do echo 'hello, parent'; done",
    );
    let wrong = scripts.script("wrong-factors", "while read number; do echo 3 7; done");
    let silent = scripts.script("silent", "read number\nexit 0");
    let answers_one_then_fails = scripts.script(
        "answers-one-then-fails",
        &format!(
            "head -n 1 | {worker} \"$@\"\nexit 5",
            worker = shell_quoted(&worker)
        ),
    );
    let missing = scripts.path().join("no-such-worker");
    let numbers = numbers_from(100_000_000_001, 6);
    let expectations: [(&Path, &str, &[&str]); 7] = [
        (&failing, "a child exiting with status 3", &["ChildFailed"]),
        (&killed, "a child killed by SIGKILL", &["ChildFailed"]),
        (
            &answers_one_then_fails,
            "a child that answers one number, then exits with status 5",
            &["ChildFailed"],
        ),
        (
            &garbage,
            "a child answering `hello, parent`",
            &["UnreadableOutput"],
        ),
        (
            &wrong,
            "a child answering `3 7` for every number",
            &["UnreadableOutput"],
        ),
        (
            &silent,
            "a child that reads a number, answers nothing and exits with status 0",
            &["UnreadableOutput"],
        ),
        (
            &missing,
            "a worker program that does not exist",
            &["CouldNotStart"],
        ),
    ];
    for (program, what, accepted) in expectations {
        let owned = numbers.clone();
        let program_owned = program.to_path_buf();
        let call = format!("factorize_processes(6 numbers, 2, {what})");
        let factorized = call_graded_within(&call, HANG_HINT, move || {
            factorize_processes(&owned, 2, &program_owned)
        });
        check_reported(&call, &factorized, what, accepted);
        let program_owned = program.to_path_buf();
        let call = format!("sums_of_primes_processes([1000, 2000, 3000, 4000], 2, {what})");
        let summed = call_graded_within(&call, HANG_HINT, move || {
            sums_of_primes_processes(&[1000, 2000, 3000, 4000], 2, &program_owned)
        });
        check_reported(&call, &summed, what, accepted);
    }
    let call = "factorize_processes(6 numbers, 0, worker)";
    let owned = numbers.clone();
    let result = call_graded(call, || factorize_processes(&owned, 0, &worker));
    check_reported(call, &result, "no processes", &["InvalidRequest"]);
    let call = "sums_of_primes_processes([1000], 0, worker)";
    let result = call_graded(call, || sums_of_primes_processes(&[1000], 0, &worker));
    check_reported(call, &result, "no processes", &["InvalidRequest"]);
}

const HANG_HINT: &str = "a child that died or answered nonsense must end the wait, not hang it: \
                         close its stdin, read to the end, and wait for it";

/// Fails unless `result` is one of the `accepted` errors and `call` left
/// no child behind.
fn check_reported<T: std::fmt::Debug>(
    call: &str,
    result: &Result<T, ProcessError>,
    what: &str,
    accepted: &[&str],
) {
    labkit::assert_no_children_left(&format!("{call} returned"));
    let variant = variant_name(result);
    // A child that died may first show as a broken pipe (Io).
    let acceptable = accepted.contains(&variant.as_str())
        || (accepted.contains(&"ChildFailed") && variant == "Io");
    assert!(
        acceptable,
        "misbehaviour not reported: {call} returned {variant} ({:?}); {what} must be \
         ProcessError::{}",
        result.as_ref().err().map(ToString::to_string),
        accepted.join(" or ProcessError::")
    );
}

/// The timing experiment: seconds to factorize the lecture's numbers
/// serially, on 2, 4 and 8 threads and on 2, 4 and 8 processes (the
/// lecture's bar chart). A quick run (after a grade) factorizes the first
/// 100 numbers; `cargo xtask bench` all 300. Every way must give the serial
/// factor lists; a wrong answer fails the experiment rather than being
/// timed.
pub fn factorization_seconds() {
    let numbers = match bench_mode() {
        BenchMode::Quick => benchmark_numbers().into_iter().take(100).collect(),
        BenchMode::Full => benchmark_numbers(),
    };
    let worker = grader::harness::worker_program();
    let started = Instant::now();
    let serial = factorize_serial(&numbers);
    measure(
        SUBJECT_UNDER_TEST,
        "serial",
        started.elapsed().as_secs_f64(),
    );
    for n_threads in [2, 4, 8] {
        let started = Instant::now();
        let lists = factorize_threads(&numbers, n_threads);
        let seconds = started.elapsed().as_secs_f64();
        assert!(
            lists == serial,
            "factorize_threads(numbers, {n_threads}) differs from serial"
        );
        measure(SUBJECT_UNDER_TEST, &format!("{n_threads} threads"), seconds);
    }
    for n_processes in [2, 4, 8] {
        let started = Instant::now();
        let lists = factorize_processes(&numbers, n_processes, &worker)
            .unwrap_or_else(|error| panic!("factorize_processes(numbers, {n_processes}): {error}"));
        let seconds = started.elapsed().as_secs_f64();
        assert!(
            lists == serial,
            "factorize_processes(numbers, {n_processes}) differs from serial"
        );
        measure(
            SUBJECT_UNDER_TEST,
            &format!("{n_processes} processes"),
            seconds,
        );
    }
}
