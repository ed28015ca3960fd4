//! Exercise 3: the estimate of pi on several processes.
//!
//! The parent starts every worker before it waits for any, so they run at
//! the same time, then waits for all of them (even after a failure, so no
//! child is left unreaped) and adds up their hit counts. Anything a child
//! does wrong (cannot start, fails, prints something that is not a
//! possible hit count) becomes a [`ProcessError`].

use std::fmt;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};

use crate::ex1_serial::check_pi_samples;
use crate::{
    EstimateError, block_count, count_hits_in_blocks, pi_from_hits, samples_in_blocks,
    worker_blocks,
};

/// The sub-command of the worker program that counts hits.
pub const PI_SUBCOMMAND: &str = "pi";

/// What one worker process is asked to do: count the hits in `blocks` of
/// the estimate of `n_samples` samples seeded with `seed`. On the
/// command line it reads
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

/// Why a process-parallel estimate failed.
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

/// The `main` of the worker program: parses its request, prints the hit
/// count of its blocks on standard output.
pub fn worker_main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let request = match PiWorkerArgs::parse(&args) {
        Ok(request) => request,
        Err(message) => {
            eprintln!("lab6 worker: {message}");
            return ExitCode::from(2);
        }
    };
    let hits = count_hits_in_blocks(request.n_samples, request.seed, request.blocks);
    // `println!` would panic if the parent closed the pipe; a failed write
    // is reported through the exit status instead.
    let mut stdout = io::stdout().lock();
    match writeln!(stdout, "{hits}").and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab6 worker: could not write the hit count: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Estimates pi from `n_samples` points seeded with `seed`, drawn by
/// `n_processes` child processes running `worker_program`; exactly the
/// serial estimate.
pub fn estimate_pi_processes(
    n_samples: u64,
    seed: u64,
    n_processes: usize,
    worker_program: &Path,
) -> Result<f64, ProcessError> {
    check_pi_samples(n_samples).map_err(ProcessError::InvalidRequest)?;
    if n_processes == 0 {
        return Err(ProcessError::InvalidRequest(EstimateError::NoWorkers));
    }
    let mut workers: Vec<(PiWorkerArgs, Child)> = Vec::new();
    for blocks in worker_blocks(block_count(n_samples), n_processes) {
        let request = PiWorkerArgs {
            n_samples,
            seed,
            blocks,
        };
        let spawned = Command::new(worker_program)
            .args(request.to_args())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => workers.push((request, child)),
            Err(source) => {
                // The workers already running would finish for nobody:
                // stop them and reap them before reporting.
                for (_, mut started) in workers {
                    let _ = started.kill();
                    let _ = started.wait();
                }
                return Err(ProcessError::CouldNotStart {
                    program: worker_program.to_path_buf(),
                    source,
                });
            }
        }
    }
    let mut total_hits: u64 = 0;
    let mut first_error = None;
    for (worker_idx, (request, child)) in workers.into_iter().enumerate() {
        // Every child is waited for, even after one failed, so none is
        // left behind as a zombie; the first failure is reported.
        match collect_hits(worker_idx, &request, child) {
            Ok(hits) => total_hits += hits,
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(pi_from_hits(total_hits, n_samples)),
    }
}

/// Waits for one worker and reads its hit count, checking that the worker
/// succeeded and printed a count it could have produced.
fn collect_hits(
    worker_idx: usize,
    request: &PiWorkerArgs,
    child: Child,
) -> Result<u64, ProcessError> {
    // `wait_with_output` reads stdout and stderr together, so a child that
    // fills one pipe while the parent reads the other cannot block.
    let output = child
        .wait_with_output()
        .map_err(|source| ProcessError::CouldNotWait { worker_idx, source })?;
    if !output.status.success() {
        return Err(ProcessError::WorkerFailed {
            worker_idx,
            status: output.status,
            stderr: shortened(&output.stderr),
        });
    }
    let printed = String::from_utf8_lossy(&output.stdout);
    let possible_hits = samples_in_blocks(request.n_samples, request.blocks.clone());
    match printed.trim_end().parse::<u64>() {
        Ok(hits) if hits <= possible_hits => Ok(hits),
        _ => Err(ProcessError::UnreadableOutput {
            worker_idx,
            output: shortened(&output.stdout),
        }),
    }
}

/// A child's output as text for an error message, cut to a readable length.
fn shortened(bytes: &[u8]) -> String {
    const MAX_CHARS: usize = 300;
    let text = String::from_utf8_lossy(bytes);
    if text.chars().count() <= MAX_CHARS {
        text.into_owned()
    } else {
        let mut cut: String = text.chars().take(MAX_CHARS).collect();
        cut.push_str("...");
        cut
    }
}
