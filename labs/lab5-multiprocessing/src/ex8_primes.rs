//! Exercise 8: the sum-of-primes assignment.
//!
//! For each `n` in 100,000, 200,000, ..., 2,400,000, output `[n, sum of the
//! primes below n]`, sorted by `n`; serially, with threads and with
//! processes. The lecture's test vectors: the primes below 10 add up to 17,
//! below 20 to 77, below 30 to 129, below 40 to 197, below 50 to 328,
//! below 60 to 440, below 70 to 568, below 80 to 791 and below 90 to 963.
//!
//! Each limit is one task, and the tasks differ in size by a factor of 24:
//! how they are shared out decides how well the workers are used.
//!
//! Provided: the lecture's limits ([`prime_sum_limits`]) and the
//! `sum-primes N [N...]` sub-command, which prints one line `[N,SUM]`
//! (JSON) per limit, in the order given, using your [`sum_of_primes_below`].

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::process_error::ProcessError;
use crate::worker::{Subcommand, usage_error};

// Provided complete, in `ex8_primes/provided.rs`: the limits and the sub-
// command
mod provided;
pub use provided::*;

/// The sum of the primes strictly below `n`: `sum_of_primes_below(10)` is
/// 2 + 3 + 5 + 7 = 17. 0 for `n` up to 2.
///
/// The idea: the sieve of Eratosthenes. Mark every number below `n` as a
/// candidate; for each `p` from 2 while `p * p < n` that is still a
/// candidate, strike out `p * p`, `p * p + p`, ...; add up what is left
/// (from 2 on). Trial division of every number also works, but is about a
/// hundred times slower for the largest limits.
///
/// Pitfall: "below" means `< n`: for a prime `n` (`n = 11` gives 17, not
/// 28), `n` itself is not counted. Neither is 1, which is not a prime.
pub fn sum_of_primes_below(n: u64) -> u64 {
    let _ = n;
    todo!("exercise 8: sum_of_primes_below")
}

/// `[n, sum_of_primes_below(n)]` for every `n` of `limits`, sorted by `n`
/// (a limit given twice appears twice).
pub fn sums_of_primes_serial(limits: &[u64]) -> Vec<[u64; 2]> {
    let _ = limits;
    todo!("exercise 8: sums_of_primes_serial")
}

/// [`sums_of_primes_serial`] computed by `n_threads` threads (0 counts as
/// 1): the same list.
///
/// The idea: every limit is a task; threads take the next unclaimed one
/// (largest first keeps the long tasks from starting last) and the results
/// are sorted at the end.
pub fn sums_of_primes_threads(limits: &[u64], n_threads: usize) -> Vec<[u64; 2]> {
    let _ = (limits, n_threads);
    todo!("exercise 8: sums_of_primes_threads")
}

/// [`sums_of_primes_serial`] computed by `n_processes` children running
/// `worker_program sum-primes N [N...]` (fewer children if there are fewer
/// limits): the same list.
///
/// The idea: deal the limits out among the children, start them all, then
/// wait for each and read its `[N,SUM]` lines (`serde_json::from_str::<[u64;
/// 2]>` reads one), and sort everything by `n`.
///
/// Errors: no processes (`ProcessError::InvalidRequest`), a worker that
/// cannot start (`CouldNotStart`), a child that fails (`ChildFailed`), or
/// whose output is not one `[N,SUM]` line for each limit it was given, in
/// order (`UnreadableOutput`). Every child started is waited for.
pub fn sums_of_primes_processes(
    limits: &[u64],
    n_processes: usize,
    worker_program: &Path,
) -> Result<Vec<[u64; 2]>, ProcessError> {
    let _ = (limits, n_processes, worker_program);
    todo!("exercise 8: sums_of_primes_processes")
}
