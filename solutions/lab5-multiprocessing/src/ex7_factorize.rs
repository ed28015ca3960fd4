//! Exercise 7: threads against processes, factorizing large numbers.
//!
//! Threads and processes both hand out numbers on demand (the next number
//! to whoever is free), because the cost of one factorization ranges from
//! microseconds to milliseconds: fixed shares of 150 numbers each leave one
//! worker with about 10% more work than the other, which alone caps two
//! workers at 1.8x. A child process is fed one number per request over its
//! stdin and answers on its stdout before it gets the next.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, ExitCode};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::process_error::{ProcessError, shortened};
use crate::start::start_children;
use crate::worker::{Subcommand, usage_error};

// Provided: the numbers, the factor-list lines and the sub-command; the student
// crate's own file.
#[path = "../../../labs/lab5-multiprocessing/src/ex7_factorize/provided.rs"]
mod provided;
pub use provided::*;

/// The prime factors of `n` in ascending order, each as often as it
/// divides `n`; empty for 0 and 1.
pub fn factorize(n: u64) -> Vec<u64> {
    let mut factors = Vec::new();
    if n < 2 {
        return factors;
    }
    let mut rest = n;
    while rest % 2 == 0 {
        factors.push(2);
        rest /= 2;
    }
    let mut divisor: u64 = 3;
    // `divisor * divisor` overflows only for divisors above 2^32, which a
    // rest below 2^64 never needs; `checked_mul` ends the loop there rather
    // than panicking. (Testing `divisor <= rest / divisor` instead costs a
    // second division per step and makes the whole run about 1.5x slower.)
    while divisor
        .checked_mul(divisor)
        .is_some_and(|square| square <= rest)
    {
        while rest % divisor == 0 {
            factors.push(divisor);
            rest /= divisor;
        }
        divisor += 2;
    }
    if rest > 1 {
        factors.push(rest);
    }
    factors
}

/// The factor lists of `numbers`, in order, on this thread.
pub fn factorize_serial(numbers: &[u64]) -> Vec<Vec<u64>> {
    numbers.iter().map(|&number| factorize(number)).collect()
}

/// The factor lists of `numbers`, in input order, computed by `n_threads`
/// threads (0 counts as 1).
pub fn factorize_threads(numbers: &[u64], n_threads: usize) -> Vec<Vec<u64>> {
    let next_idx = AtomicUsize::new(0);
    let mut factor_lists: Vec<Vec<u64>> = vec![Vec::new(); numbers.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..n_threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    // Each thread keeps its own answers with their indices;
                    // nothing is shared but the next index.
                    let mut answers = Vec::new();
                    loop {
                        let number_idx = next_idx.fetch_add(1, Ordering::Relaxed);
                        let Some(&number) = numbers.get(number_idx) else {
                            break answers;
                        };
                        answers.push((number_idx, factorize(number)));
                    }
                })
            })
            .collect();
        for worker in workers {
            let answers = worker
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
            for (number_idx, factors) in answers {
                factor_lists[number_idx] = factors;
            }
        }
    });
    factor_lists
}

/// The `factorize` child's work: for every line of `input` (a number),
/// writes its factor list as one line of `output`, flushed at once.
pub fn factorize_stream(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let line = line?;
        let number = line.trim().parse::<u64>().map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("`{line}` is not a whole number"),
            )
        })?;
        writeln!(output, "{}", format_factors(&factorize(number)))?;
        // The parent may wait for this answer before it sends the next
        // number: an answer left in a buffer would deadlock both.
        output.flush()?;
    }
    Ok(())
}

/// The factor lists of `numbers`, in input order, computed by
/// `n_processes` `factorize` children of `worker_program`.
pub fn factorize_processes(
    numbers: &[u64],
    n_processes: usize,
    worker_program: &Path,
) -> Result<Vec<Vec<u64>>, ProcessError> {
    if n_processes == 0 {
        return Err(ProcessError::InvalidRequest(
            "no processes to factorize with".to_owned(),
        ));
    }
    let children = start_children(
        worker_program,
        (0..n_processes).map(|_| vec![FACTORIZE_SUBCOMMAND.to_owned()]),
        true,
    )?;
    let next_idx = AtomicUsize::new(0);
    // One parent thread per child: it hands its child the next number,
    // reads the answer, and repeats; then it closes the child's stdin and
    // waits for it, whatever happened.
    let outcomes: Vec<Result<Answers, ProcessError>> = std::thread::scope(|scope| {
        let servers: Vec<_> = children
            .into_iter()
            .enumerate()
            .map(|(child_idx, child)| {
                let next_idx = &next_idx;
                scope.spawn(move || serve_child(child_idx, child, numbers, next_idx))
            })
            .collect();
        servers
            .into_iter()
            .map(|server| {
                server
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
            })
            .collect()
    });
    let mut factor_lists: Vec<Option<Vec<u64>>> = vec![None; numbers.len()];
    for outcome in outcomes {
        for (number_idx, factors) in outcome? {
            factor_lists[number_idx] = Some(factors);
        }
    }
    // Every index was taken by exactly one server, and a server that
    // returned Ok answered every number it took.
    Ok(factor_lists.into_iter().flatten().collect())
}

/// A child's answers: each factor list with the index of its number.
type Answers = Vec<(usize, Vec<u64>)>;

/// Feeds `child` numbers until none are left, then closes its stdin and
/// waits for it. A failed child is reported as such rather than as the
/// broken pipe or missing answer that its failure caused.
fn serve_child(
    child_idx: usize,
    mut child: Child,
    numbers: &[u64],
    next_idx: &AtomicUsize,
) -> Result<Answers, ProcessError> {
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        unreachable!("both pipes were requested when the child was started");
    };
    let mut stdout = BufReader::new(stdout);
    let served = ask_child(child_idx, stdin, &mut stdout, numbers, next_idx);
    // The stdin was dropped by `ask_child`: the child sees end-of-file and
    // ends. Anything it prints after its last answer is a fault too.
    let mut extra_output = Vec::new();
    let extra_read = stdout.read_to_end(&mut extra_output);
    let finished = child
        .wait_with_output()
        .map_err(|source| ProcessError::Io {
            child_idx,
            action: "wait for",
            source,
        })?;
    if !finished.status.success() {
        return Err(ProcessError::ChildFailed {
            child_idx,
            status: finished.status,
            stderr: shortened(&finished.stderr),
        });
    }
    let answers = served?;
    extra_read.map_err(|source| ProcessError::Io {
        child_idx,
        action: "read the output of",
        source,
    })?;
    if !extra_output.is_empty() {
        return Err(ProcessError::UnreadableOutput {
            child_idx,
            output: format!(
                "{} after its last answer",
                shortened(&extra_output).trim_end()
            ),
        });
    }
    Ok(answers)
}

/// The request-and-answer loop with one child; drops `stdin` on return.
fn ask_child(
    child_idx: usize,
    mut stdin: ChildStdin,
    stdout: &mut BufReader<ChildStdout>,
    numbers: &[u64],
    next_idx: &AtomicUsize,
) -> Result<Answers, ProcessError> {
    let mut answers = Vec::new();
    let mut line = String::new();
    loop {
        let number_idx = next_idx.fetch_add(1, Ordering::Relaxed);
        let Some(&number) = numbers.get(number_idx) else {
            return Ok(answers);
        };
        writeln!(stdin, "{number}")
            .and_then(|()| stdin.flush())
            .map_err(|source| ProcessError::Io {
                child_idx,
                action: "write a number to",
                source,
            })?;
        line.clear();
        let read = stdout
            .read_line(&mut line)
            .map_err(|source| ProcessError::Io {
                child_idx,
                action: "read an answer from",
                source,
            })?;
        // The answer must be a factorization of this very number: a
        // product check catches a child that answers garbage or skips one.
        let factors = parse_factors(line.trim_end_matches('\n'))
            .filter(|factors| read > 0 && is_factorization_of(number, factors))
            .ok_or_else(|| ProcessError::UnreadableOutput {
                child_idx,
                output: if read == 0 {
                    format!("nothing (end of output) when asked to factorize {number}")
                } else {
                    format!(
                        "{:?} when asked to factorize {number}",
                        shortened(line.as_bytes())
                    )
                },
            })?;
        answers.push((number_idx, factors));
    }
}

/// Whether `factors` multiply to `number` (an empty list for 0 and 1).
fn is_factorization_of(number: u64, factors: &[u64]) -> bool {
    if number < 2 {
        return factors.is_empty();
    }
    factors
        .iter()
        .try_fold(1u64, |product, &factor| product.checked_mul(factor))
        == Some(number)
}
