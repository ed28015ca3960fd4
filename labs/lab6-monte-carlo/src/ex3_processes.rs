//! Exercise 3: the same estimate on several processes.
//!
//! This is how the Python lecture gets its speedup: processes, each with
//! its own interpreter, memory and (in Python) its own lock. Lab 5 showed
//! the mechanics; here they carry a real computation. The parent starts
//! `n_processes` copies of this crate's worker program (`src/main.rs`,
//! which calls [`worker_main`]), tells each one its blocks on the command
//! line, and reads each one's hit count from its standard output:
//!
//! ```text
//! parent:  lab6-monte-carlo pi --samples 1000000 --seed 7 --blocks 0..8
//! child:   prints "785321\n" on stdout and exits with status 0
//! ```
//!
//! The processes share no memory, so nothing can go wrong between them
//! while they work; everything that can go wrong happens at the edges: a
//! program that cannot be started, a child that crashes or exits with an
//! error, a child that prints something that is not a number. Each of
//! these must become an error for the caller, never a panic or a hang.
//!
//! [`PiWorkerArgs`] (the command line) and [`ProcessError`] are provided
//! complete.

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, ExitStatus};

use crate::{EstimateError, block_count};

/// The sub-command of the worker program that counts hits.
pub const PI_SUBCOMMAND: &str = "pi";

/// What one worker process is asked to do: count the hits in `blocks` of
/// the estimate of `n_samples` samples seeded with `seed`. Provided
/// complete.
///
/// On the command line it reads
/// `pi --samples N --seed S --blocks START..END`: [`PiWorkerArgs::to_args`]
/// writes it (for the parent) and [`PiWorkerArgs::parse`] reads it back
/// (in the child).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiWorkerArgs {
    pub n_samples: u64,
    pub seed: u64,
    pub blocks: Range<u64>,
}

impl PiWorkerArgs {
    /// The worker program's arguments (without the program itself).
    ///
    /// ```
    /// use lab6_monte_carlo::PiWorkerArgs;
    ///
    /// let request = PiWorkerArgs { n_samples: 1000, seed: 7, blocks: 0..1 };
    /// assert_eq!(
    ///     request.to_args(),
    ///     ["pi", "--samples", "1000", "--seed", "7", "--blocks", "0..1"]
    /// );
    /// assert_eq!(PiWorkerArgs::parse(&request.to_args()), Ok(request));
    /// ```
    pub fn to_args(&self) -> Vec<String> {
        vec![
            PI_SUBCOMMAND.to_owned(),
            "--samples".to_owned(),
            self.n_samples.to_string(),
            "--seed".to_owned(),
            self.seed.to_string(),
            "--blocks".to_owned(),
            format!("{}..{}", self.blocks.start, self.blocks.end),
        ]
    }

    /// Reads the worker program's arguments (`std::env::args()` without the
    /// program's own name). The flags may come in any order; each is
    /// required once, and the blocks must lie within the estimate's
    /// blocks. The error says what is wrong, for the child's standard
    /// error.
    pub fn parse(args: &[String]) -> Result<PiWorkerArgs, String> {
        let usage = "usage: pi --samples N --seed S --blocks START..END";
        let Some((subcommand, flags)) = args.split_first() else {
            return Err(format!("no sub-command; {usage}"));
        };
        if subcommand != PI_SUBCOMMAND {
            return Err(format!("unknown sub-command `{subcommand}`; {usage}"));
        }
        let (mut n_samples, mut seed, mut blocks) = (None, None, None);
        let mut flags = flags.iter();
        while let Some(flag) = flags.next() {
            let Some(value) = flags.next() else {
                return Err(format!("`{flag}` needs a value; {usage}"));
            };
            let number = |text: &str| {
                text.parse::<u64>()
                    .map_err(|_| format!("`{flag} {value}`: `{text}` is not a whole number"))
            };
            let slot_was_empty = match flag.as_str() {
                "--samples" => n_samples.replace(number(value)?).is_none(),
                "--seed" => seed.replace(number(value)?).is_none(),
                "--blocks" => {
                    let Some((start, end)) = value.split_once("..") else {
                        return Err(format!("`--blocks {value}`: expected START..END"));
                    };
                    blocks.replace(number(start)?..number(end)?).is_none()
                }
                _ => return Err(format!("unknown flag `{flag}`; {usage}")),
            };
            if !slot_was_empty {
                return Err(format!("`{flag}` given twice; {usage}"));
            }
        }
        let (Some(n_samples), Some(seed), Some(blocks)) = (n_samples, seed, blocks) else {
            return Err(format!("missing a flag; {usage}"));
        };
        if blocks.start > blocks.end || blocks.end > block_count(n_samples) {
            return Err(format!(
                "blocks {}..{} are not within the {} blocks of {n_samples} samples",
                blocks.start,
                blocks.end,
                block_count(n_samples)
            ));
        }
        Ok(PiWorkerArgs {
            n_samples,
            seed,
            blocks,
        })
    }
}

/// Why a process-parallel estimate failed. Provided complete.
#[derive(Debug)]
#[non_exhaustive]
pub enum ProcessError {
    /// The request itself is impossible (no samples, no processes); no
    /// process was started.
    InvalidRequest(EstimateError),
    /// The worker program could not be started (it does not exist, or is
    /// not executable).
    CouldNotStart { program: PathBuf, source: io::Error },
    /// Waiting for a worker, or reading its output, failed.
    CouldNotWait {
        worker_idx: usize,
        source: io::Error,
    },
    /// A worker exited with a failure status or was killed by a signal;
    /// `stderr` is what it wrote to its standard error.
    WorkerFailed {
        worker_idx: usize,
        status: ExitStatus,
        stderr: String,
    },
    /// A worker exited successfully but its standard output was not a hit
    /// count it could have produced (not a number, or more hits than it had
    /// samples).
    UnreadableOutput { worker_idx: usize, output: String },
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProcessError::InvalidRequest(reason) => write!(f, "{reason}"),
            ProcessError::CouldNotStart { program, source } => write!(
                f,
                "could not start the worker program {}: {source}",
                program.display()
            ),
            ProcessError::CouldNotWait { worker_idx, source } => {
                write!(f, "could not wait for worker {worker_idx}: {source}")
            }
            ProcessError::WorkerFailed {
                worker_idx,
                status,
                stderr,
            } => write!(
                f,
                "worker {worker_idx} failed ({status}); its standard error: {:?}",
                stderr.trim_end()
            ),
            ProcessError::UnreadableOutput { worker_idx, output } => write!(
                f,
                "worker {worker_idx} printed {output:?}, which is not a hit count it could have \
                 produced"
            ),
        }
    }
}

impl std::error::Error for ProcessError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ProcessError::InvalidRequest(reason) => Some(reason),
            ProcessError::CouldNotStart { source, .. }
            | ProcessError::CouldNotWait { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The `main` of the worker program: reads its request from the command
/// line, counts the hits, prints them on standard output.
///
/// What to build:
/// - Parse `std::env::args().skip(1)` (collected into a `Vec<String>`) with
///   [`PiWorkerArgs::parse`]. On an error, write the message to standard
///   error and return a failure status (`ExitCode::from(2)`): the parent
///   sees the status and reports the worker as failed.
/// - Count the hits of the requested blocks with
///   [`crate::count_hits_in_blocks`].
/// - Print the count in decimal followed by a newline, and nothing else,
///   on standard output; return `ExitCode::SUCCESS`.
///
/// The idea: a process's standard output is a pipe its parent reads, and
/// its exit status is the one bit of "it worked" that survives the
/// process. Diagnostics go to standard error so they never mix with the
/// answer.
///
/// Pitfall: printing anything else on standard output ("counting blocks
/// 0..8...", a debugging line): the parent then reads text that is not a
/// number. `eprintln!` is for people, `println!` is for the parent.
pub fn worker_main() -> ExitCode {
    todo!("exercise 3: worker_main")
}

/// Estimates pi from `n_samples` points seeded with `seed`, drawn by
/// `n_processes` child processes running `worker_program`; the result is
/// exactly [`crate::estimate_pi_serial`]`(n_samples, seed)`.
///
/// What to build:
/// - `n_samples == 0` and `n_processes == 0` are
///   [`ProcessError::InvalidRequest`] (with the [`EstimateError`] that
///   exercise 2 returns), before any process starts.
/// - Cut the blocks into one contiguous range per process
///   ([`crate::worker_blocks`]).
/// - Start *all* the workers first: `std::process::Command::new(worker_program)`
///   with `.args(PiWorkerArgs { .. }.to_args())`, standard output and
///   standard error piped (`Stdio::piped()`), standard input
///   `Stdio::null()`, then `.spawn()`. A spawn error is
///   [`ProcessError::CouldNotStart`]; kill (`Child::kill`) and wait for the
///   workers already started before you return it.
/// - Then wait for each of them (`Child::wait_with_output`). A status that
///   is not success is [`ProcessError::WorkerFailed`]; an output that is
///   not a decimal number (after trimming the newline), or is more than the
///   number of samples in that worker's blocks
///   ([`crate::samples_in_blocks`]), is [`ProcessError::UnreadableOutput`].
///   Wait for every worker even after one failed (a child nobody waits
///   for stays behind as a zombie), then return the first error.
/// - Add up the hits and make the estimate with [`crate::pi_from_hits`].
///
/// The idea: starting every child before waiting for any is what makes
/// them run at the same time; `Command::output()` in a loop would start the
/// second child only after the first has finished.
///
/// Pitfalls: `.unwrap()` on the child's output or on `parse`, which turns a
/// misbehaving child into a panic of the parent; reading a child's stdout
/// to the end before starting the next child (the same serial loop in
/// disguise).
pub fn estimate_pi_processes(
    n_samples: u64,
    seed: u64,
    n_processes: usize,
    worker_program: &Path,
) -> Result<f64, ProcessError> {
    let _ = (n_samples, seed, n_processes, worker_program);
    todo!("exercise 3: estimate_pi_processes")
}
