//! Exercise 2: the same estimate on several threads.
//!
//! Monte Carlo is "embarrassingly parallel": the samples do not depend on
//! each other, so workers can draw their shares without ever talking, and
//! meet only at the end to add up their hits. In Python, threads do not
//! speed this up (the interpreter lock lets one thread run Python code at a
//! time; the lecture uses processes instead). Rust threads run on all
//! cores at once: two threads on two cores come close to twice the samples
//! per second, and the grader measures how close.
//!
//! Parallel and reproducible: the estimate must not depend on the number
//! of threads. The grader compares your estimates for 1, 2, 3 and 8
//! threads with each other and with [`crate::estimate_pi_serial`], bit for
//! bit.

use crate::EstimateError;

/// Estimates pi from `n_samples` points seeded with `seed`, drawn by
/// `n_threads` threads; the result is exactly
/// [`crate::estimate_pi_serial`]`(n_samples, seed)`, whatever `n_threads`.
///
/// What to build:
/// - `n_samples == 0` is [`EstimateError::TooFewSamples`] (`needed: 1`),
///   `n_threads == 0` is [`EstimateError::NoWorkers`]; neither may panic.
/// - Cut the blocks `0..block_count(n_samples)` into one contiguous range
///   per thread ([`crate::worker_blocks`] does it, and it never makes more
///   ranges than there are blocks).
/// - Start one scoped thread per range (`std::thread::scope`); each counts
///   the hits of its blocks with [`crate::count_hits_in_blocks`] and
///   returns them.
/// - Join the threads, add up their hits, and make the estimate with
///   [`crate::pi_from_hits`] from the total number of samples.
///
/// The idea: whole blocks go to threads, and every block draws from its own
/// stream, so the per-block hit counts, and their sum, are the same however
/// the blocks are shared out. Integer addition does not care about order.
///
/// Pitfalls:
/// - One generator shared by all threads behind a `Mutex`. The estimate is
///   right, but every single sample waits for the lock: threads spend their
///   time queueing, and two threads are many times slower than one. The
///   grader's speed test compares your two-thread samples per second with
///   the reference's.
/// - Every thread seeding its own generator with `seed` (or with the
///   thread's index). The threads then draw the same points, or points
///   that change with the thread count, and the estimate for 2 threads is
///   not the estimate for 1.
/// - Giving each thread `n_samples / n_threads` samples: the remainder is
///   lost, and the points drawn depend on the thread count again.
///
/// ```no_run
/// use lab6_monte_carlo::{estimate_pi_serial, estimate_pi_threads};
///
/// let serial = estimate_pi_serial(5_000_000, 1).unwrap();
/// for n_threads in [1, 2, 3, 8] {
///     assert_eq!(estimate_pi_threads(5_000_000, 1, n_threads).unwrap(), serial);
/// }
/// ```
pub fn estimate_pi_threads(
    n_samples: u64,
    seed: u64,
    n_threads: usize,
) -> Result<f64, EstimateError> {
    let _ = (n_samples, seed, n_threads);
    todo!("exercise 2: estimate_pi_threads")
}
