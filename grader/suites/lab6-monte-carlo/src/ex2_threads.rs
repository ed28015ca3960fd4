//! Exercise 2: threads. Every thread count gives exactly the serial
//! estimate, for sample counts below one block, at and around block
//! boundaries, and over many blocks. Speed is graded separately, by the
//! course's speed test on the `pi_samples_per_second` experiment.

use lab6_monte_carlo::{SAMPLES_PER_BLOCK, estimate_pi_serial, estimate_pi_threads};

use crate::support::call_graded;

/// Sample counts and seeds of the reproducibility checks: one sample, less
/// than a block, exactly one block, one more than a block, a short last
/// block, fewer blocks than some thread counts, and many blocks.
pub const REPRODUCIBILITY_CASES: [(u64, u64); 8] = [
    (1, 3),
    (1_000, 4),
    (SAMPLES_PER_BLOCK - 1, 5),
    (SAMPLES_PER_BLOCK, 6),
    (SAMPLES_PER_BLOCK + 1, 7),
    (3 * SAMPLES_PER_BLOCK + 12_345, 8),
    (17 * SAMPLES_PER_BLOCK, 9),
    (2_500_000, 10),
];

pub fn threads_give_exactly_the_serial_estimate_for_1_2_3_and_8_threads() {
    for (n_samples, seed) in REPRODUCIBILITY_CASES {
        let serial_call = format!("estimate_pi_serial({n_samples}, {seed})");
        let serial = call_graded(&serial_call, || estimate_pi_serial(n_samples, seed))
            .unwrap_or_else(|error| panic!("{serial_call} returned an error: {error}"));
        for n_threads in [1, 2, 3, 8] {
            let call = format!("estimate_pi_threads({n_samples}, {seed}, {n_threads})");
            let threaded = call_graded(&call, || estimate_pi_threads(n_samples, seed, n_threads))
                .unwrap_or_else(|error| panic!("{call} returned an error: {error}"));
            assert!(
                threaded.to_bits() == serial.to_bits(),
                "not reproducible: {call} = {threaded}, but {serial_call} = {serial}; the points \
                 drawn must not depend on the thread count (whole blocks per thread, block b \
                 drawn from block_rng(seed, b), every block counted exactly once: not the same \
                 seed in every thread, not n_samples / n_threads samples each)"
            );
        }
    }
}
