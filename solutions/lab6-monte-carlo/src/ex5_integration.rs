//! Exercise 5: Monte Carlo integration with a confidence interval.
//!
//! Each thread returns the sums of `f(x)` and `f(x)^2` of each of its
//! blocks, in block order; the calling thread adds the blocks' sums in
//! block order. The additions therefore happen in the same order for every
//! thread count, and the result is the same to the last bit.

use std::ops::Range;
use std::panic;
use std::thread;

use rand::Rng;

use crate::{EstimateError, block_count, block_rng, samples_in_block, worker_blocks};

/// `z` for a two-sided 95% confidence interval of a normal estimate.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// `z` for a two-sided 99.9% confidence interval of a normal estimate.
pub const Z_999: f64 = 3.290_526_731_491_926;

/// A closed interval of numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// Whether `value` lies in the interval (ends included).
    pub fn contains(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }

    /// `high - low`.
    pub fn width(&self) -> f64 {
        self.high - self.low
    }
}

/// A Monte Carlo estimate of an integral and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Integral {
    pub estimate: f64,
    pub standard_error: f64,
    pub n_samples: u64,
}

impl Integral {
    /// `estimate +- z * standard_error`: [`Z_95`] for a 95% confidence
    /// interval, [`Z_999`] for 99.9%.
    pub fn confidence_interval(&self, z: f64) -> Interval {
        Interval {
            low: self.estimate - z * self.standard_error,
            high: self.estimate + z * self.standard_error,
        }
    }
}

/// Estimates the integral of `function` over `[start, end]` from
/// `n_samples` uniform random points seeded with `seed`, on `n_threads`
/// threads, with its standard error; the same for every `n_threads`.
pub fn integrate<Function>(
    function: Function,
    start: f64,
    end: f64,
    n_samples: u64,
    seed: u64,
    n_threads: usize,
) -> Result<Integral, EstimateError>
where
    Function: Fn(f64) -> f64 + Sync,
{
    if n_samples < 2 {
        return Err(EstimateError::TooFewSamples {
            n_samples,
            needed: 2,
        });
    }
    if n_threads == 0 {
        return Err(EstimateError::NoWorkers);
    }
    if !(start.is_finite() && end.is_finite() && start < end) {
        return Err(EstimateError::InvalidInterval { start, end });
    }
    let width = end - start;
    let function = &function;
    let block_sums_of_thread = |blocks: Range<u64>| -> Vec<BlockSums> {
        blocks
            .map(|block_idx| {
                let mut rng = block_rng(seed, block_idx);
                let mut sums = BlockSums::default();
                for _ in 0..samples_in_block(n_samples, block_idx) {
                    let value = function(start + width * rng.random::<f64>());
                    sums.values += value;
                    sums.squares += value * value;
                }
                sums
            })
            .collect()
    };
    let block_sums: Vec<BlockSums> = thread::scope(|scope| {
        let summing_threads: Vec<_> = worker_blocks(block_count(n_samples), n_threads)
            .into_iter()
            .map(|blocks| scope.spawn(move || block_sums_of_thread(blocks)))
            .collect();
        // The threads hold consecutive ranges of blocks, so joining them in
        // order lists every block's sums in block order.
        summing_threads
            .into_iter()
            .flat_map(|summing_thread| {
                summing_thread
                    .join()
                    .unwrap_or_else(|payload| panic::resume_unwind(payload))
            })
            .collect()
    });
    let (sum_of_values, sum_of_squares) = block_sums
        .iter()
        .fold((0.0, 0.0), |(values, squares), block| {
            (values + block.values, squares + block.squares)
        });
    let n = n_samples as f64;
    let mean = sum_of_values / n;
    // Rounding can push a zero variance (a constant function) slightly
    // below zero; a variance is never negative.
    let variance = ((sum_of_squares - n * mean * mean) / (n - 1.0)).max(0.0);
    Ok(Integral {
        estimate: width * mean,
        standard_error: width * (variance / n).sqrt(),
        n_samples,
    })
}

/// The sums of `f(x)` and `f(x)^2` over the points of one block.
#[derive(Debug, Default, Clone, Copy)]
struct BlockSums {
    values: f64,
    squares: f64,
}
