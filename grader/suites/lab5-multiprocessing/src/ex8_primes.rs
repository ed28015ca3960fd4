//! Exercise 8: sums of primes. The lecture's test vectors, limits that are
//! themselves prime (the sum is of primes *below* n), and the lecture's
//! 24 limits given in shuffled order: serial, threads and processes must
//! all return `[n, sum]` for every limit, sorted by n.
//!
//! Every value is recorded with `grader::harness::answer` and compared by
//! the grader with what the reference solution gives: no expected sum is
//! in this binary, where graded code could read it.
//!
//! Misbehaving `sum-primes` children are checked with exercise 7's in
//! `ex7_factorize::factorize_and_sum_primes_processes_report_failing_or_lying_children_as_errors`.

use lab5_multiprocessing::{
    prime_sum_limits, sum_of_primes_below, sums_of_primes_processes, sums_of_primes_serial,
    sums_of_primes_threads,
};

use grader::harness::{AnswerOptions, answer, answer_with, call_graded, call_graded_within};

pub fn sum_of_primes_below_matches_the_test_vectors_and_counts_neither_n_nor_1() {
    // The lecture's test vectors (10 -> 17, ..., 90 -> 963), then small
    // limits, prime limits and a large one.
    let limits = [
        10, 20, 30, 40, 50, 60, 70, 80, 90, 0, 1, 2, 3, 4, 5, 11, 97, 7919, 100_003,
    ];
    for n in limits {
        let call = format!("sum_of_primes_below({n})");
        let sum = call_graded(&call, || sum_of_primes_below(n));
        // What the two classic bugs give, computed from the right sum (only
        // the reference's run is read for these).
        let mut likely_mistakes = Vec::new();
        if n >= 2 {
            likely_mistakes.push((sum + 1, "1 counted as a prime"));
            likely_mistakes.push((
                sum + n,
                "n itself counted: the sum is of the primes strictly below n (`< n`, not `<= n`)",
            ));
        }
        answer_with(
            &call,
            &sum,
            AnswerOptions {
                likely_mistakes: &likely_mistakes,
                ..AnswerOptions::default()
            },
        );
    }
}

pub fn serial_threads_and_processes_give_every_limit_sorted_by_n_with_the_right_sums() {
    let worker = grader::harness::worker_program();
    let lectures_limits = call_graded("prime_sum_limits()", prime_sum_limits);
    answer("prime_sum_limits()", &lectures_limits);
    // The lecture's limits in a scrambled order, with two prime limits and
    // one limit given twice.
    let mut limits: Vec<u64> = (0..24).map(|idx| (idx * 7 % 24 + 1) * 100_000).collect();
    limits.extend([1_299_709, 100_003, 300_000]);

    let owned = limits.clone();
    let serial = call_graded_within(
        "sums_of_primes_serial(limits)",
        "a sieve up to 2,400,000 takes milliseconds",
        move || sums_of_primes_serial(&owned),
    );
    record_sums("sums_of_primes_serial(limits)", &serial);
    for n_workers in [2, 3, 8] {
        let owned = limits.clone();
        let call = format!("sums_of_primes_threads(limits, {n_workers})");
        let by_threads = call_graded_within(&call, "every thread must end", move || {
            sums_of_primes_threads(&owned, n_workers)
        });
        record_sums(&call, &by_threads);
        let owned = limits.clone();
        let program = worker.clone();
        let call = format!("sums_of_primes_processes(limits, {n_workers}, worker)");
        let by_processes = call_graded_within(
            &call,
            "start every child, then wait for each one",
            move || sums_of_primes_processes(&owned, n_workers, &program),
        )
        .unwrap_or_else(|error| panic!("{call} failed: {error}"));
        labkit::assert_no_children_left(&format!("{call} returned"));
        record_sums(&call, &by_processes);
    }
    let program = worker.clone();
    let none = call_graded_within(
        "sums_of_primes_processes(&[], 2, worker)",
        "no limits: nothing to wait for",
        move || sums_of_primes_processes(&[], 2, &program),
    )
    .unwrap_or_else(|error| panic!("sums_of_primes_processes(&[], 2, worker) failed: {error}"));
    labkit::assert_no_children_left("sums_of_primes_processes(&[], 2, worker) returned");
    answer("sums_of_primes_processes(&[], 2, worker)", &none);
    let none_by_threads = call_graded("sums_of_primes_threads(&[], 2)", || {
        sums_of_primes_threads(&[], 2)
    });
    answer("sums_of_primes_threads(&[], 2)", &none_by_threads);
}

/// Records the `[n, sum]` pairs a call returned, with a hint when they are
/// not sorted by n.
fn record_sums(call: &str, sums: &[[u64; 2]]) {
    let sorted = sums.windows(2).all(|pair| pair[0][0] <= pair[1][0]);
    let note = if sorted {
        "the sums must be of the primes strictly below each n"
    } else {
        "not sorted by n"
    };
    answer_with(
        call,
        &sums.to_vec(),
        AnswerOptions {
            note,
            ..AnswerOptions::default()
        },
    );
}
