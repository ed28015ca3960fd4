//! Exercise 8: sums of primes below many limits, serially, with threads
//! and with processes.
//!
//! Each limit is one task: a sieve of Eratosthenes up to it. Tasks differ
//! in size by a factor of 24, so threads take the next task when free, the
//! largest first, and processes get their limits dealt out largest first,
//! like cards, which evens out their totals.

use std::io::{self, Write};
use std::path::Path;
use std::process::{Child, ExitCode};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::process_error::{ProcessError, shortened};
use crate::start::start_children;
use crate::worker::{Subcommand, usage_error};

// Provided: the limits and the sub-command; the student crate's own file.
#[path = "../../../labs/lab5-multiprocessing/src/ex8_primes/provided.rs"]
mod provided;
pub use provided::*;

/// The sum of the primes strictly below `n` (0 for `n` up to 2).
pub fn sum_of_primes_below(n: u64) -> u64 {
    let limit = usize::try_from(n).expect("a limit this large does not fit in memory");
    if limit <= 2 {
        return 0;
    }
    // `is_composite[k]` for k < limit; 0 and 1 are not primes either.
    let mut is_composite = vec![false; limit];
    is_composite[0] = true;
    is_composite[1] = true;
    let mut candidate = 2;
    while candidate * candidate < limit {
        if !is_composite[candidate] {
            for multiple in (candidate * candidate..limit).step_by(candidate) {
                is_composite[multiple] = true;
            }
        }
        candidate += 1;
    }
    is_composite
        .iter()
        .enumerate()
        .filter(|&(_, &composite)| !composite)
        .map(|(prime, _)| prime as u64)
        .sum()
}

/// `[n, sum of primes below n]` for every `n` of `limits`, sorted by `n`.
pub fn sums_of_primes_serial(limits: &[u64]) -> Vec<[u64; 2]> {
    let mut sums: Vec<[u64; 2]> = limits
        .iter()
        .map(|&limit| [limit, sum_of_primes_below(limit)])
        .collect();
    sums.sort_unstable();
    sums
}

/// [`sums_of_primes_serial`] on `n_threads` threads (0 counts as 1).
pub fn sums_of_primes_threads(limits: &[u64], n_threads: usize) -> Vec<[u64; 2]> {
    // Largest first: the long tasks start early, the short ones fill in.
    let mut largest_first = limits.to_vec();
    largest_first.sort_unstable_by(|a, b| b.cmp(a));
    let next_idx = AtomicUsize::new(0);
    let mut sums = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..n_threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut sums = Vec::new();
                    while let Some(&limit) =
                        largest_first.get(next_idx.fetch_add(1, Ordering::Relaxed))
                    {
                        sums.push([limit, sum_of_primes_below(limit)]);
                    }
                    sums
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
            })
            .collect::<Vec<_>>()
    });
    sums.sort_unstable();
    sums
}

/// [`sums_of_primes_serial`] by `n_processes` `sum-primes` children of
/// `worker_program` (fewer if there are fewer limits).
pub fn sums_of_primes_processes(
    limits: &[u64],
    n_processes: usize,
    worker_program: &Path,
) -> Result<Vec<[u64; 2]>, ProcessError> {
    if n_processes == 0 {
        return Err(ProcessError::InvalidRequest(
            "no processes to sum primes with".to_owned(),
        ));
    }
    let mut largest_first = limits.to_vec();
    largest_first.sort_unstable_by(|a, b| b.cmp(a));
    let n_children = n_processes.min(largest_first.len());
    // Deal the limits out like cards: child k gets limits k, k + n, ...
    let shares: Vec<Vec<u64>> = (0..n_children)
        .map(|child_idx| {
            largest_first
                .iter()
                .skip(child_idx)
                .step_by(n_children)
                .copied()
                .collect()
        })
        .collect();
    let children = start_children(
        worker_program,
        shares.iter().map(|share| {
            let mut args = vec![SUM_PRIMES_SUBCOMMAND.to_owned()];
            args.extend(share.iter().map(u64::to_string));
            args
        }),
        false,
    )?;
    // Every child is waited for, even after one failed.
    let mut sums = Vec::with_capacity(limits.len());
    let mut first_error = None;
    for (child_idx, (child, share)) in children.into_iter().zip(&shares).enumerate() {
        match collect_sums(child_idx, child, share) {
            Ok(child_sums) => sums.extend(child_sums),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    if let Some(error) = first_error {
        return Err(error);
    }
    sums.sort_unstable();
    Ok(sums)
}

/// Waits for one child and reads its `[N,SUM]` lines, which must answer
/// exactly its `share` of the limits, in order.
fn collect_sums(
    child_idx: usize,
    child: Child,
    share: &[u64],
) -> Result<Vec<[u64; 2]>, ProcessError> {
    let output = child
        .wait_with_output()
        .map_err(|source| ProcessError::Io {
            child_idx,
            action: "wait for",
            source,
        })?;
    if !output.status.success() {
        return Err(ProcessError::ChildFailed {
            child_idx,
            status: output.status,
            stderr: shortened(&output.stderr),
        });
    }
    let unreadable = || ProcessError::UnreadableOutput {
        child_idx,
        output: shortened(&output.stdout),
    };
    let text = String::from_utf8(output.stdout.clone()).map_err(|_| unreadable())?;
    let sums: Vec<[u64; 2]> = text
        .lines()
        .map(serde_json::from_str::<[u64; 2]>)
        .collect::<Result<_, _>>()
        .map_err(|_| unreadable())?;
    let answers_its_share = sums.len() == share.len()
        && sums
            .iter()
            .zip(share)
            .all(|([limit, _], asked)| limit == asked);
    if answers_its_share {
        Ok(sums)
    } else {
        Err(unreadable())
    }
}
