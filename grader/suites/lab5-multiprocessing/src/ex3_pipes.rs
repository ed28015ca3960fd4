//! Exercise 3: the Leibniz series over pipes. The serial partial sum is
//! the series; `split_range` cuts contiguous parts of almost equal length;
//! the `leibniz` worker prints its partial sum so that it reads back
//! exactly; K children add up to the serial sum within 1e-9 for K = 1 to 8
//! and uneven ranges; a failing or garbage-printing child is an error; no
//! children or a backwards range is refused and an empty range is 0.0
//! without starting a child.
//!
//! The partial sums and splits are recorded with `grader::harness::answer`
//! and compared by the grader with the reference solution's; the sums by
//! children are compared here with the graded serial sum (a property of
//! the graded code, no expected value).

use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

use grader::harness::{
    AnswerOptions, answer_with, answer_within, call_graded, call_graded_within, worker_program,
};
use lab5_multiprocessing::{
    LEIBNIZ_SUBCOMMAND, ProcessError, leibniz_partial_sum, leibniz_with_children, split_range,
};
use labkit::assert_no_children_left;

use crate::support::{ChildGuard, ScriptFolder, shell_quoted, variant_name};

/// How far a sum by children may be from the serial sum.
const TOLERANCE: f64 = 1e-9;

/// Calls the graded `leibniz_with_children` with a time limit.
fn with_children(
    terms: Range<u64>,
    n_children: usize,
    program: PathBuf,
    program_name: &str,
) -> (String, Result<f64, ProcessError>) {
    let call = format!("leibniz_with_children({terms:?}, {n_children}, {program_name})");
    let result = call_graded_within(
        &call,
        "start every child, write each its range and drop its stdin (closing the pipe), then \
         wait for each one",
        move || leibniz_with_children(terms, n_children, &program),
    );
    (call, result)
}

pub fn leibniz_partial_sum_is_four_times_the_alternating_series() {
    let cases: [Range<u64>; 6] = [0..1, 0..2, 1..2, 0..1000, 999..100_000, 5..5];
    for terms in cases {
        let call = format!("leibniz_partial_sum({terms:?})");
        let got = call_graded(&call, || leibniz_partial_sum(terms.clone()));
        // Summed in another order, the last bits may differ.
        answer_within(&call, &got, 1e-12);
    }
}

pub fn split_range_covers_the_range_in_contiguous_parts_differing_by_at_most_one() {
    let cases: [(Range<u64>, usize); 6] = [
        (10..20, 3),
        (0..2, 3),
        (7..7, 2),
        (0..1_000_003, 8),
        (12_345..777_777, 7),
        (0..8, 8),
    ];
    for (terms, n_parts) in cases {
        let call = format!("split_range({terms:?}, {n_parts})");
        let parts = call_graded(&call, || split_range(terms.clone(), n_parts));
        let note = format!(
            "{n_parts} contiguous parts in order, lengths differing by at most one, the longer \
             ones first"
        );
        answer_with(
            &call,
            &parts,
            AnswerOptions {
                note: &note,
                ..AnswerOptions::default()
            },
        );
    }
    let parts = call_graded("split_range(5..10, 0)", || split_range(5..10, 0));
    assert!(
        parts.is_empty(),
        "split_range(5..10, 0) returned {parts:?}; no parts is an empty list"
    );
}

pub fn leibniz_worker_prints_its_partial_sum_so_that_it_reads_back_exactly() {
    for terms in [12_345..777_777_u64, 0..3, 4..4] {
        let mut guard = ChildGuard::start_worker(&[LEIBNIZ_SUBCOMMAND]);
        let request = format!("{} {}\n", terms.start, terms.end);
        if let Some(mut stdin) = guard.child.stdin.take() {
            use std::io::Write;
            let _ = stdin.write_all(request.as_bytes());
        }
        assert!(
            guard.exited_within(Duration::from_secs(5)),
            "the worker program `leibniz` given {request:?} was still running after 5 s"
        );
        let (printed, stderr) = guard.read_output();
        let status = guard.exit_status().expect("the worker has exited");
        assert!(
            status.success(),
            "the worker program `leibniz` given {request:?} failed ({status}); its standard \
             error: {stderr:?}"
        );
        let call = format!("leibniz_partial_sum({terms:?})");
        let expected = call_graded(&call, || leibniz_partial_sum(terms.clone()));
        let read_back = printed
            .strip_suffix('\n')
            .and_then(|line| line.parse::<f64>().ok());
        assert!(
            read_back.is_some_and(|value| value.to_bits() == expected.to_bits()),
            "the worker program `leibniz` given {request:?} printed {printed:?}, which does \
             not read back as {call} = {expected:?}; print the f64 with `{{}}` (the shortest \
             exact form), not rounded with a fixed precision, and nothing else"
        );
    }
    for bad_request in ["5 x\n", "9 3\n", "", "1 2 3\n"] {
        let mut guard = ChildGuard::start_worker(&[LEIBNIZ_SUBCOMMAND]);
        if let Some(mut stdin) = guard.child.stdin.take() {
            use std::io::Write;
            let _ = stdin.write_all(bad_request.as_bytes());
        }
        assert!(
            guard.exited_within(Duration::from_secs(5)),
            "the worker program `leibniz` given {bad_request:?} was still running after 5 s"
        );
        let (printed, stderr) = guard.read_output();
        let status = guard.exit_status().expect("the worker has exited");
        assert!(
            !status.success() && !stderr.contains("panicked"),
            "the worker program `leibniz` given the bad request {bad_request:?} ended with \
             {status}, printed {printed:?} and wrote {stderr:?} on standard error; \
             leibniz_child must return an Err (not panic) so that the child fails cleanly"
        );
    }
}

pub fn leibniz_children_add_up_to_the_serial_sum_for_1_to_8_children_and_uneven_ranges() {
    for terms in [0..1_000_003_u64, 12_345..777_777, 0..5] {
        let serial_call = format!("leibniz_partial_sum({terms:?})");
        let serial = call_graded(&serial_call, || leibniz_partial_sum(terms.clone()));
        for n_children in 1..=8 {
            let (call, result) =
                with_children(terms.clone(), n_children, worker_program(), "worker");
            let total = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
            assert_no_children_left(&format!("{call} returned"));
            assert!(
                (total - serial).abs() <= TOLERANCE,
                "{call} = {total:?}, but {serial_call} = {serial:?} (off by {:.3e}, more than \
                 {TOLERANCE:e}); every term must be summed by exactly one child, and each \
                 child's sum must cross the pipe exactly (print it with `{{}}`)",
                (total - serial).abs()
            );
        }
    }
}

pub fn leibniz_with_children_reports_failing_or_garbage_printing_children_as_errors() {
    let scripts = ScriptFolder::new("leibniz-misbehaving");
    let worker = shell_quoted(worker_program());
    // Every script reads its request first, so the parent's write never
    // meets a closed pipe and the expected error is certain.
    let cases = [
        (
            scripts.script("failing", "read request\necho 'leibniz broke' >&2\nexit 3"),
            "children exiting with status 3",
            "ChildFailed",
        ),
        (
            scripts.script("killed", "read request\nkill -9 $$"),
            "children killed by SIGKILL",
            "ChildFailed",
        ),
        (
            scripts.script(
                "second-fails",
                &format!(
                    "read request\nif [ \"$request\" = '100 200' ]; then exit 4; fi\n\
                     echo \"$request\" | {worker} \"$@\""
                ),
            ),
            "the second of three children exiting with status 4",
            "ChildFailed",
        ),
        (
            scripts.script("garbage", "read request\necho 'about three'"),
            "children printing `about three`",
            "UnreadableOutput",
        ),
        (
            scripts.script("silent", "read request\nexit 0"),
            "children printing nothing",
            "UnreadableOutput",
        ),
        (
            scripts.script("two-lines", "read request\necho 0.5\necho 0.25"),
            "children printing two numbers on two lines",
            "UnreadableOutput",
        ),
        (
            scripts.script("nan", "read request\necho NaN"),
            "children printing NaN",
            "UnreadableOutput",
        ),
        (
            scripts.path().join("no-such-worker"),
            "a worker program that does not exist",
            "CouldNotStart",
        ),
    ];
    for (program, what, expected_variant) in cases {
        let (call, result) = with_children(0..300, 3, program, what);
        let variant = variant_name(&result);
        assert_eq!(
            variant, expected_variant,
            "{call} returned {variant}; {what} must be ProcessError::{expected_variant}"
        );
        assert_no_children_left(&format!("{call} returned an error ({what})"));
    }
}

pub fn leibniz_with_no_children_or_an_empty_range_starts_no_child() {
    let scripts = ScriptFolder::new("leibniz-logging");
    let log = scripts.path().join("starts.log");
    let logging_worker = scripts.script(
        "logging-worker",
        &format!(
            "echo started >> {}\nexec {} \"$@\"",
            shell_quoted(&log),
            shell_quoted(worker_program())
        ),
    );
    #[allow(clippy::reversed_empty_ranges)]
    let backwards = 10..5;
    let cases = [
        (0..100, 0, "InvalidRequest", "no children"),
        (
            backwards,
            2,
            "InvalidRequest",
            "a range that ends before it starts",
        ),
        (5..5, 3, "Ok(0.0)", "an empty range"),
    ];
    for (terms, n_children, expected, what) in cases {
        let (call, result) =
            with_children(terms, n_children, logging_worker.clone(), "logging_worker");
        let got = variant_name(&result);
        assert_eq!(
            got, expected,
            "{call} returned {got}; {what} must be {expected}, decided before any child starts"
        );
        let starts = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            starts.is_empty(),
            "{call} started {} children for {what}; nothing to sum means no child",
            starts.lines().count()
        );
        assert_no_children_left(&format!("{call} returned"));
    }
}
