//! Exercise 4: how far from pi an estimate may be, and how fast the error
//! shrinks.
//!
//! Each point is a coin flip that lands "inside" with probability
//! `p = pi / 4`. The number of hits out of `n` is binomial, with standard
//! deviation `sqrt(n * p * (1 - p))`, so the estimate `4 * hits / n` has the
//! standard error
//!
//! ```text
//! sigma = 4 * sqrt(p * (1 - p) / n)      (about 1.64 / sqrt(n))
//! ```
//!
//! By the central limit theorem the error `estimate - pi` is close to
//! normal with that standard deviation: within 2 sigma 95% of the time,
//! within 4 sigma all but about 6 times in 100,000. And `sigma` shrinks
//! like `1 / sqrt(n)`: a hundred times more samples buy one more correct
//! digit. That is the price of Monte Carlo, and the reason its speed
//! matters: one more digit costs a hundred times the work.

use std::ops::Range;

use crate::EstimateError;

/// The standard error of an estimate of pi from `n_samples` points:
/// `4 * sqrt(p * (1 - p) / n_samples)` with `p = pi / 4`.
///
/// For `n_samples == 0` there is no estimate to be wrong about; return
/// `f64::INFINITY` (no bound at all) rather than dividing by zero.
///
/// Pitfall: forgetting the factor 4. The hits estimate `p`; pi is `4 p`,
/// and scaling a random quantity by 4 scales its standard deviation by 4.
///
/// ```no_run
/// use lab6_monte_carlo::pi_standard_error;
///
/// let sigma = pi_standard_error(1_000_000);
/// assert!((sigma - 0.001642).abs() < 1e-6);
/// ```
pub fn pi_standard_error(n_samples: u64) -> f64 {
    let _ = n_samples;
    todo!("exercise 4: pi_standard_error")
}

/// The mean absolute error `|estimate - pi|` of the estimates of pi from
/// `n_samples` points over the seeds `seeds`, each computed with
/// [`crate::estimate_pi_threads`] on `n_threads` threads.
///
/// This is how the `1 / sqrt(n)` law shows up in an experiment: the mean
/// absolute error over many seeds is about `0.8 * sigma`, so at 100 times
/// more samples it is about 10 times smaller.
///
/// An empty range of seeds, `n_samples == 0` or `n_threads == 0` is an
/// error (the first is [`EstimateError::TooFewSamples`] with `n_samples:
/// 0` and `needed: 1`, since no estimate is averaged; the others are those
/// of [`crate::estimate_pi_threads`]).
///
/// ```no_run
/// use lab6_monte_carlo::mean_absolute_error;
///
/// let coarse = mean_absolute_error(10_000, 0..100, 2).unwrap();
/// let fine = mean_absolute_error(1_000_000, 0..100, 2).unwrap();
/// println!("100x the samples: the error shrinks {:.1}x", coarse / fine);
/// ```
pub fn mean_absolute_error(
    n_samples: u64,
    seeds: Range<u64>,
    n_threads: usize,
) -> Result<f64, EstimateError> {
    let _ = (n_samples, seeds, n_threads);
    todo!("exercise 4: mean_absolute_error")
}
