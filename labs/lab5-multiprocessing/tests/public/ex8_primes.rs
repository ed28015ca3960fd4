//! Exercise 8: sums of primes below many limits.

use lab5_multiprocessing::{
    prime_sum_limits, sum_of_primes_below, sums_of_primes_processes, sums_of_primes_serial,
    sums_of_primes_threads,
};

use super::worker_program;

#[test]
fn sum_of_primes_below_matches_the_lectures_test_vectors() {
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
    for (n, sum) in vectors {
        assert_eq!(sum_of_primes_below(n), sum, "sum of the primes below {n}");
    }
}

#[test]
fn sums_come_back_sorted_by_n_from_threads_and_processes() {
    let limits = [90, 10, 50, 1000, 20];
    let expected = vec![[10, 17], [20, 77], [50, 328], [90, 963], [1000, 76_127]];
    assert_eq!(sums_of_primes_serial(&limits), expected);
    assert_eq!(sums_of_primes_threads(&limits, 3), expected);
    let by_processes = sums_of_primes_processes(&limits, 2, worker_program()).expect("2 processes");
    assert_eq!(by_processes, expected);
}

#[test]
fn the_lectures_limits_run_from_100_000_to_2_400_000() {
    let limits = prime_sum_limits();
    assert_eq!(limits.len(), 24);
    assert_eq!(limits.first(), Some(&100_000));
    assert_eq!(limits.last(), Some(&2_400_000));
}
