//! Exercise 8: sums of primes. The lecture's test vectors, limits that are
//! themselves prime (the sum is of primes *below* n), and the lecture's
//! 24 limits given in shuffled order: serial, threads and processes must
//! all return `[n, sum]` for every limit, sorted by n, with sums that agree
//! with a sieve written here (never with the graded code).
//!
//! Misbehaving `sum-primes` children are checked with exercise 7's in
//! `ex7_factorize::factorize_and_sum_primes_processes_report_failing_or_lying_children_as_errors`.

use lab5_multiprocessing::{
    prime_sum_limits, sum_of_primes_below, sums_of_primes_processes, sums_of_primes_serial,
    sums_of_primes_threads,
};

use grader::harness::{call_graded, call_graded_within};

/// `sums[k]` is the sum of the primes strictly below `k`, for `k` up to
/// `max_limit`: one sieve, then running sums. Independent of the graded
/// code.
fn trusted_sums_below(max_limit: u64) -> Vec<u64> {
    let len = max_limit as usize + 1;
    let mut is_prime = vec![true; len];
    for not_prime in is_prime.iter_mut().take(2) {
        *not_prime = false;
    }
    let mut factor = 2;
    while factor * factor < len {
        if is_prime[factor] {
            let mut multiple = factor * factor;
            while multiple < len {
                is_prime[multiple] = false;
                multiple += factor;
            }
        }
        factor += 1;
    }
    let mut sums_below = vec![0; len];
    for number in 1..len {
        let previous = number - 1;
        sums_below[number] = sums_below[previous]
            + if is_prime[previous] {
                previous as u64
            } else {
                0
            };
    }
    sums_below
}

pub fn sum_of_primes_below_matches_the_test_vectors_and_counts_neither_n_nor_1() {
    let vectors = [
        (10, 17),
        (20, 77),
        (30, 129),
        (40, 197),
        (50, 328),
        (60, 440),
        (70, 568),
        (80, 791),
        (90, 963),
    ];
    for (n, expected) in vectors {
        let call = format!("sum_of_primes_below({n})");
        let sum = call_graded(&call, || sum_of_primes_below(n));
        assert!(
            sum != expected + 1,
            "1 counted as a prime: {call} = {sum}, expected {expected}"
        );
        assert!(
            sum == expected,
            "{call} = {sum}, but the lecture's test vector is {expected}"
        );
    }
    let trusted = trusted_sums_below(100_003);
    for n in [0, 1, 2, 3, 4, 5, 11, 97, 7919, 100_003] {
        let call = format!("sum_of_primes_below({n})");
        let sum = call_graded(&call, || sum_of_primes_below(n));
        let expected = trusted[n as usize];
        assert!(
            sum != expected + n || n < 2,
            "n itself counted: {call} = {sum}, expected {expected}; {n} is prime, and the sum is \
             of the primes strictly below n (`< n`, not `<= n`)"
        );
        assert!(sum == expected, "{call} = {sum}, expected {expected}");
    }
}

pub fn serial_threads_and_processes_give_every_limit_sorted_by_n_with_the_right_sums() {
    let worker = grader::harness::worker_program();
    let lectures_limits = call_graded("prime_sum_limits()", prime_sum_limits);
    let expected_limits: Vec<u64> = (1..=24).map(|step| step * 100_000).collect();
    assert!(
        lectures_limits == expected_limits,
        "prime_sum_limits() = {lectures_limits:?}, expected 100,000, 200,000, ..., 2,400,000"
    );
    // The lecture's limits in a scrambled order, with two prime limits and
    // one limit given twice.
    let mut limits: Vec<u64> = (0..24).map(|idx| (idx * 7 % 24 + 1) * 100_000).collect();
    limits.extend([1_299_709, 100_003, 300_000]);
    let trusted = trusted_sums_below(2_400_000);
    let mut expected: Vec<[u64; 2]> = limits
        .iter()
        .map(|&limit| [limit, trusted[limit as usize]])
        .collect();
    expected.sort_unstable();

    let owned = limits.clone();
    let serial = call_graded_within(
        "sums_of_primes_serial(limits)",
        "a sieve up to 2,400,000 takes milliseconds",
        move || sums_of_primes_serial(&owned),
    );
    check_sums("sums_of_primes_serial(limits)", &serial, &expected);
    for n_workers in [2, 3, 8] {
        let owned = limits.clone();
        let call = format!("sums_of_primes_threads(limits, {n_workers})");
        let by_threads = call_graded_within(&call, "every thread must end", move || {
            sums_of_primes_threads(&owned, n_workers)
        });
        check_sums(&call, &by_threads, &expected);
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
        check_sums(&call, &by_processes, &expected);
    }
    let program = worker.clone();
    let none = call_graded_within(
        "sums_of_primes_processes(&[], 2, worker)",
        "no limits: nothing to wait for",
        move || sums_of_primes_processes(&[], 2, &program),
    )
    .unwrap_or_else(|error| panic!("sums_of_primes_processes(&[], 2, worker) failed: {error}"));
    labkit::assert_no_children_left("sums_of_primes_processes(&[], 2, worker) returned");
    assert!(
        none.is_empty() && sums_of_primes_threads(&[], 2).is_empty(),
        "no limits must give no sums"
    );
}

/// Fails unless `sums` are `expected`, saying how they differ.
fn check_sums(call: &str, sums: &[[u64; 2]], expected: &[[u64; 2]]) {
    if sums == expected {
        return;
    }
    assert!(
        sums.len() == expected.len(),
        "{call} returned {} pairs for {} limits: {sums:?}",
        sums.len(),
        expected.len()
    );
    let mut sorted = sums.to_vec();
    sorted.sort_unstable();
    if sorted == expected {
        panic!("{call} is not sorted by n: {sums:?}");
    }
    let first_wrong = (0..sums.len())
        .find(|&idx| sums[idx] != expected[idx])
        .unwrap_or_default();
    panic!(
        "{call}: pair {first_wrong} is {:?}, expected {:?} (the sums must be of the primes \
         strictly below each n)",
        sums[first_wrong], expected[first_wrong]
    );
}
