//! Exercise 5: Monte Carlo integration with a confidence interval.
//!
//! The integral of `f` over `[start, end]` is `(end - start)` times the
//! average of `f` over the interval. Draw `n` points `x_i` uniformly in
//! `[start, end)`, average `f(x_i)`, and multiply by the width: that is an
//! estimate of the integral. Pi was a special case (the average of a 0/1
//! "inside" function over the square).
//!
//! The same statistics give its error. With `mean` and `variance` the
//! sample mean and sample variance of the `f(x_i)`:
//!
//! ```text
//! estimate       = (end - start) * mean
//! standard error = (end - start) * sqrt(variance / n)
//! variance       = (sum of f(x_i)^2 - n * mean^2) / (n - 1)
//! ```
//!
//! and `estimate +- z * standard error` is a confidence interval:
//! with `z = 1.96` it covers the true integral for about 95% of seeds, with
//! `z = 3.29` for about 99.9%. [`Integral`], [`Interval`] and the two
//! `z` values are provided complete; [`integrate`] is yours.

use crate::EstimateError;

/// `z` for a two-sided 95% confidence interval of a normal estimate.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// `z` for a two-sided 99.9% confidence interval of a normal estimate.
pub const Z_999: f64 = 3.290_526_731_491_926;

/// A closed interval of numbers. Provided complete.
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

/// A Monte Carlo estimate of an integral and its standard error. Provided
/// complete.
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
/// threads, with its standard error.
///
/// What to build:
/// - Errors, never panics: `n_samples < 2` is
///   [`EstimateError::TooFewSamples`] (`needed: 2`: a variance needs two
///   samples); `n_threads == 0` is [`EstimateError::NoWorkers`]; `start`
///   or `end` not finite, or `start >= end`, is
///   [`EstimateError::InvalidInterval`].
/// - Draw the points block by block exactly as for pi: block `b` holds
///   [`crate::samples_in_block`]`(n_samples, b)` points drawn from
///   [`crate::block_rng`]`(seed, b)`, and whole blocks go to threads
///   ([`crate::worker_blocks`]). A point is
///   `start + (end - start) * u` with `u` uniform in `[0, 1)`
///   (`rng.random::<f64>()` with `use rand::Rng;`).
/// - For each block keep two sums, of `f(x)` and of `f(x)^2`; compute the
///   estimate and standard error from the totals as in the module doc.
///
/// The result must be the same, bit for bit, for every `n_threads`.
/// Floating-point addition is not associative (`(a + b) + c` and
/// `a + (b + c)` can differ in the last bit), so the order of the additions
/// must not depend on the threads: let each thread return the sums of each
/// of its blocks (a `Vec`, in block order), and add the blocks' sums up in
/// block order after joining.
///
/// Pitfalls:
/// - The standard error is `sqrt(variance / n)`, not
///   `sqrt(variance)` (that is the spread of one sample, and the interval
///   would never shrink) and not `sqrt(variance) / n` (far too narrow: the
///   interval would miss the true value almost always).
/// - Adding each thread's total as it finishes: right to the last few bits,
///   but the last bits then depend on the thread count.
///
/// ```no_run
/// use lab6_monte_carlo::{Z_95, integrate};
///
/// // The integral of x^2 over [0, 3] is 9.
/// let integral = integrate(|x| x * x, 0.0, 3.0, 1_000_000, 7, 2).unwrap();
/// assert!(integral.confidence_interval(5.0).contains(9.0));
/// println!("{} +- {}", integral.estimate, Z_95 * integral.standard_error);
/// ```
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
    let _ = (function, start, end, n_samples, seed, n_threads);
    todo!("exercise 5: integrate")
}
