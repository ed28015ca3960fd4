//! Exercise 2: the estimate of pi on several threads.
//!
//! Each scoped thread counts the hits of one contiguous range of blocks and
//! returns them; the calling thread adds the counts after joining. The
//! threads share nothing while they draw, so they never wait for each
//! other, and integer addition makes the total independent of the split.

use std::panic;
use std::thread;

use crate::ex1_serial::check_pi_samples;
use crate::{EstimateError, block_count, count_hits_in_blocks, pi_from_hits, worker_blocks};

/// Estimates pi from `n_samples` points seeded with `seed`, drawn by
/// `n_threads` threads; exactly the serial estimate for every `n_threads`.
pub fn estimate_pi_threads(
    n_samples: u64,
    seed: u64,
    n_threads: usize,
) -> Result<f64, EstimateError> {
    check_pi_samples(n_samples)?;
    if n_threads == 0 {
        return Err(EstimateError::NoWorkers);
    }
    let total_hits = thread::scope(|scope| {
        // `worker_blocks` makes no more ranges than blocks, so a small
        // estimate on eight threads starts only the threads it can use.
        let counting_threads: Vec<_> = worker_blocks(block_count(n_samples), n_threads)
            .into_iter()
            .map(|blocks| scope.spawn(move || count_hits_in_blocks(n_samples, seed, blocks)))
            .collect();
        counting_threads
            .into_iter()
            .map(|counting_thread| {
                counting_thread
                    .join()
                    .unwrap_or_else(|payload| panic::resume_unwind(payload))
            })
            .sum()
    });
    Ok(pi_from_hits(total_hits, n_samples))
}
