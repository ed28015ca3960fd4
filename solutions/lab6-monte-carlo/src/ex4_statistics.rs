//! Exercise 4: the standard error of an estimate of pi, and the mean
//! absolute error over many seeds.

use std::f64::consts::PI;
use std::ops::Range;

use crate::{EstimateError, estimate_pi_threads};

/// The standard error of an estimate of pi from `n_samples` points:
/// `4 * sqrt(p * (1 - p) / n_samples)` with `p = pi / 4`; infinite for no
/// samples.
pub fn pi_standard_error(n_samples: u64) -> f64 {
    if n_samples == 0 {
        return f64::INFINITY;
    }
    let p_inside = PI / 4.0;
    4.0 * (p_inside * (1.0 - p_inside) / n_samples as f64).sqrt()
}

/// The mean of `|estimate - pi|` over the seeds `seeds`, each estimate made
/// with [`estimate_pi_threads`] on `n_threads` threads.
pub fn mean_absolute_error(
    n_samples: u64,
    seeds: Range<u64>,
    n_threads: usize,
) -> Result<f64, EstimateError> {
    if seeds.is_empty() {
        return Err(EstimateError::TooFewSamples {
            n_samples: 0,
            needed: 1,
        });
    }
    let n_seeds = seeds.end - seeds.start;
    let mut total_error = 0.0;
    for seed in seeds {
        total_error += (estimate_pi_threads(n_samples, seed, n_threads)? - PI).abs();
    }
    Ok(total_error / n_seeds as f64)
}
