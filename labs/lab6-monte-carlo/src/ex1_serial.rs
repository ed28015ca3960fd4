//! Exercise 1: estimate pi from random points, on one thread, with a seed.
//!
//! Throw `n_samples` points uniformly into the unit square `[0, 1) x [0, 1)`.
//! The quarter of the unit disc that lies in the square has area pi/4, so
//! about pi/4 of the points land inside it (`x^2 + y^2 < 1`), and
//! `4 * hits / n_samples` estimates pi. The estimate is random, but with a
//! seed it is reproducible: the same `(n_samples, seed)` must give the same
//! number every time, on every machine, which is what makes a Monte Carlo
//! program testable and its results checkable by someone else.
//!
//! The samples are drawn block by block (see [`crate::block_rng`]): the
//! serial estimate is the sum of the hits of blocks `0..block_count(n)`,
//! each drawn from its own stream. Exercises 2 and 3 hand the same blocks
//! to threads and processes and must arrive at exactly the same number.

use std::fmt;
use std::ops::Range;

use crate::BlockRng;

/// Why an estimate could not be made. Provided complete.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum EstimateError {
    /// Fewer samples than the estimate needs: at least 1 for pi, at least
    /// 2 for an integral (its standard error needs a sample variance).
    TooFewSamples { n_samples: u64, needed: u64 },
    /// Zero threads or processes: nobody would draw a single sample.
    NoWorkers,
    /// An integration interval `[start, end]` with `start >= end`, or with
    /// an end that is not a finite number.
    InvalidInterval { start: f64, end: f64 },
}

impl fmt::Display for EstimateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EstimateError::TooFewSamples { n_samples, needed } => write!(
                f,
                "too few samples: got {n_samples}, this estimate needs at least {needed}"
            ),
            EstimateError::NoWorkers => write!(
                f,
                "no workers: an estimate needs at least one thread or process"
            ),
            EstimateError::InvalidInterval { start, end } => write!(
                f,
                "invalid interval [{start}, {end}]: need finite ends with start < end"
            ),
        }
    }
}

impl std::error::Error for EstimateError {}

/// Draws `n_samples` points from `rng` and returns how many fall inside the
/// quarter disc.
///
/// What to build: a plain loop. A fast way to draw a point (about twice as
/// fast as two `f64`s) uses one 64-bit draw for both coordinates:
///
/// ```text
/// let draw = rng.next_u64();            // use rand::RngCore;
/// let x = draw & 0xffff_ffff;           // low 32 bits:  0 <= x < 2^32
/// let y = draw >> 32;                   // high 32 bits: 0 <= y < 2^32
/// // (x, y) / 2^32 is the point in [0, 1)^2, and it is inside the disc
/// // when x^2 + y^2 < 2^64, that is when the 64-bit sum does not overflow:
/// let (_, overflowed) = (x * x).overflowing_add(y * y);
/// ```
///
/// The idea: comparing integers avoids converting to floating point, and
/// counting with `hits += u64::from(!overflowed)` instead of an `if` keeps
/// the loop free of unpredictable branches. Two `f64`s from
/// `rng.random::<f64>()` and `x * x + y * y < 1.0` are also right, only
/// slower. (One more trick, for the curious: builds with overflow checks,
/// like the grader's, check every `+=`; `hits = hits.wrapping_add(...)`
/// says the count cannot overflow, which lets the compiler keep the
/// generator in registers, about 15% faster.)
///
/// Pitfall: testing the right inequality on the wrong quantity. Each of
/// `x <= 1.0 && y <= 1.0`, `x * x <= 1.0` or `x + y <= 1.0` is a test that
/// (almost) every point of the square, or a triangle, passes, and the
/// "estimate" becomes 4 or 2 however many points you draw.
pub fn count_hits(rng: &mut BlockRng, n_samples: u64) -> u64 {
    let _ = (rng, n_samples);
    todo!("exercise 1: count_hits")
}

/// The estimate of pi from `hits` points inside the quarter disc out of
/// `n_samples`: `4 * hits / n_samples`, as an `f64`.
///
/// Pitfall: integer division. `4 * hits / n_samples` computed in `u64` is
/// 3 (or 0 with `hits / n_samples * 4`) whatever the samples were; convert
/// both counts to `f64` before you divide.
///
/// `n_samples` is never 0 here: the callers refuse to estimate from no
/// samples before they get this far.
pub fn pi_from_hits(hits: u64, n_samples: u64) -> f64 {
    let _ = (hits, n_samples);
    todo!("exercise 1: pi_from_hits")
}

/// The number of hits in the blocks `blocks` of the estimate of
/// `n_samples` samples seeded with `seed`.
///
/// What to build: for every block index in `blocks`, draw
/// [`crate::samples_in_block`]`(n_samples, block_idx)` points from
/// [`crate::block_rng`]`(seed, block_idx)` with [`count_hits`], and add up
/// the hits. This one function is the whole computation: the serial
/// estimate calls it for all blocks, each thread (exercise 2) and each
/// worker process (exercise 3) for its share of them.
///
/// Pitfall: drawing all the blocks' points from one generator created
/// once. The numbers are just as random, but then the points of block 5
/// depend on how many points were drawn before it, and a worker that starts
/// at block 5 draws different points from the serial run.
///
/// ```no_run
/// use lab6_monte_carlo::{SAMPLES_PER_BLOCK, count_hits_in_blocks};
///
/// let n_samples = 3 * SAMPLES_PER_BLOCK;
/// let all = count_hits_in_blocks(n_samples, 7, 0..3);
/// let split = count_hits_in_blocks(n_samples, 7, 0..1) + count_hits_in_blocks(n_samples, 7, 1..3);
/// assert_eq!(all, split);
/// ```
pub fn count_hits_in_blocks(n_samples: u64, seed: u64, blocks: Range<u64>) -> u64 {
    let _ = (n_samples, seed, blocks);
    todo!("exercise 1: count_hits_in_blocks")
}

/// Estimates pi from `n_samples` random points seeded with `seed`, on the
/// calling thread.
///
/// What to build: count the hits of all the blocks of `n_samples` with
/// [`count_hits_in_blocks`] and turn them into an estimate with
/// [`pi_from_hits`]. `n_samples == 0` is an error,
/// [`EstimateError::TooFewSamples`] with `needed: 1` (an estimate from
/// nothing would be `0 / 0`, not a number).
///
/// The same `(n_samples, seed)` always gives the same estimate; another
/// seed gives another one, just as close to pi.
///
/// ```no_run
/// use lab6_monte_carlo::estimate_pi_serial;
///
/// let estimate = estimate_pi_serial(1_000_000, 42).unwrap();
/// assert!((estimate - std::f64::consts::PI).abs() < 0.01);
/// assert_eq!(estimate, estimate_pi_serial(1_000_000, 42).unwrap());
/// ```
pub fn estimate_pi_serial(n_samples: u64, seed: u64) -> Result<f64, EstimateError> {
    let _ = (n_samples, seed);
    todo!("exercise 1: estimate_pi_serial")
}
