//! Exercise 7: CPU-bound work split over threads.

use std::thread;

use crate::ex2_chunks::chunk_ranges;

/// Counts `start_from` down to zero one step at a time and returns the
/// number of steps taken (always `start_from`). Provided complete.
pub fn count_down(start_from: u64) -> u64 {
    let mut remaining = start_from;
    let mut n_steps = 0;
    // Left alone, the optimizer would replace the loop by `remaining = 0`.
    // Mixing every value into a checksum makes each step depend on the one
    // before, and handing the checksum to black_box at the end makes the
    // optimizer keep it, so every step really runs, in registers only.
    let mut checksum: u64 = 0;
    while remaining > 0 {
        checksum = checksum.rotate_left(5) ^ remaining;
        remaining -= 1;
        n_steps += 1;
    }
    std::hint::black_box(checksum);
    n_steps
}

/// Splits `total` into `n_threads` shares that differ by at most one, counts
/// each share down with [`count_down`] on its own thread, and returns the
/// total number of steps (always `total`).
///
/// # Panics
///
/// If `n_threads` is zero.
pub fn count_down_on_threads(total: u64, n_threads: usize) -> u64 {
    assert!(n_threads >= 1, "n_threads must be at least 1, got 0");
    let n_threads_u64 = u64::try_from(n_threads).expect("a thread count fits in u64");
    let base_share = total / n_threads_u64;
    let n_larger_shares = total % n_threads_u64;
    thread::scope(|scope| {
        let counters: Vec<_> = (0..n_threads_u64)
            .map(|thread_idx| base_share + u64::from(thread_idx < n_larger_shares))
            .filter(|share| *share > 0)
            .map(|share| scope.spawn(move || count_down(share)))
            .collect();
        counters
            .into_iter()
            .map(|counter| counter.join().expect("count_down does not panic"))
            .sum()
    })
}

/// The sum of the squares of `numbers`, wrapping around at 2^64, computed on
/// `n_threads` threads that each sum one contiguous chunk.
///
/// # Panics
///
/// If `n_threads` is zero.
pub fn sum_of_squares(numbers: &[u64], n_threads: usize) -> u64 {
    thread::scope(|scope| {
        let partial_sums: Vec<_> = chunk_ranges(numbers.len(), n_threads)
            .into_iter()
            .map(|range| {
                let chunk = &numbers[range];
                // Each thread sums into its own local variable; the partial
                // sums meet only once, at the end.
                scope.spawn(move || {
                    chunk.iter().fold(0_u64, |sum, number| {
                        sum.wrapping_add(number.wrapping_mul(*number))
                    })
                })
            })
            .collect();
        partial_sums.into_iter().fold(0_u64, |sum, partial_sum| {
            sum.wrapping_add(partial_sum.join().expect("summing does not panic"))
        })
    })
}
