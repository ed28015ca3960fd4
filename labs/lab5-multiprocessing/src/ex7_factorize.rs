//! Exercise 7: threads against processes, on the lecture's benchmark.
//!
//! Factorize the 300 odd numbers from 9,999,999,999,999 on by naive trial
//! division, serially, with threads and with processes, and compare. In
//! Python threads made it slower (the interpreter lock lets one thread run
//! at a time) and processes made it faster. In Rust threads run in
//! parallel too; processes pay for starting and for the pipes, and the
//! timing report shows how much.
//!
//! Provided: the numbers ([`benchmark_numbers`], [`numbers_from`]), the
//! line format of a factor list ([`format_factors`], [`parse_factors`]) and
//! the `factorize` sub-command, which calls your [`factorize_stream`] on its
//! standard input and output. Yours: everything with `todo!()`.
//!
//! Whatever the way, the answer is the same list of factor lists, in the
//! order of the numbers: the grader compares them for 1 to 8 workers.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::process_error::ProcessError;
use crate::worker::{Subcommand, usage_error};

// Provided complete, in `ex7_factorize/provided.rs`: the numbers, the factor-
// list lines and the sub-command
mod provided;
pub use provided::*;

/// The prime factors of `n` in ascending order, each as often as it
/// divides `n` (`factorize(12) == [2, 2, 3]`); empty for 0 and 1.
///
/// The lecture's naive trial division: divide out 2 while it divides, then
/// try 3, 5, 7, ... while `divisor * divisor <= rest`; whatever is left
/// above 1 is a prime factor too. Keep it naive (no better algorithm): the
/// benchmark is about spreading this work, and its numbers take between
/// microseconds and milliseconds each.
///
/// Pitfall: `divisor * divisor` overflows for divisors above 2^32 (only a
/// number near `u64::MAX` gets there): `divisor.checked_mul(divisor)` says
/// when. Testing `divisor <= rest / divisor` instead is also safe, but a
/// division costs far more than a multiplication.
pub fn factorize(n: u64) -> Vec<u64> {
    let _ = n;
    todo!("exercise 7: factorize")
}

/// The factor lists of `numbers`, in the same order, on this thread alone:
/// the baseline the others must match exactly and beat in time.
pub fn factorize_serial(numbers: &[u64]) -> Vec<Vec<u64>> {
    let _ = numbers;
    todo!("exercise 7: factorize_serial")
}

/// The factor lists of `numbers`, in input order, computed by `n_threads`
/// threads (0 counts as 1).
///
/// The idea: scoped threads (`std::thread::scope`) may borrow `numbers`.
/// Either give each thread a contiguous share, or let each take the next
/// unclaimed index from a shared `AtomicUsize` (`fetch_add(1)`) until none
/// are left: the second keeps both threads busy to the end even when some
/// numbers take a thousand times longer than others.
///
/// Pitfall: results must come back in input order, not in the order the
/// threads finished them: keep each answer's index and put it in place.
pub fn factorize_threads(numbers: &[u64], n_threads: usize) -> Vec<Vec<u64>> {
    let _ = (numbers, n_threads);
    todo!("exercise 7: factorize_threads")
}

/// The `factorize` child's work: for every line of `input` (one number),
/// writes the number's factor list ([`format_factors`]) as one line of
/// `output`, and flushes it at once. An input line that is not a whole
/// number is an error of kind `io::ErrorKind::InvalidData`.
///
/// The provided `factorize` sub-command calls it with the worker's locked
/// standard input and output, so a parent talks to the child by writing
/// numbers into its stdin and reading lines from its stdout; end-of-file
/// on the input (the parent closed the pipe) ends the child.
///
/// Pitfall: without the flush, the answer may sit in a buffer while a
/// parent that sends one number at a time waits for it: both wait forever.
pub fn factorize_stream(input: impl BufRead, output: impl Write) -> io::Result<()> {
    let _ = (input, output);
    todo!("exercise 7: factorize_stream")
}

/// The factor lists of `numbers`, in input order, computed by
/// `n_processes` children running `worker_program factorize`.
///
/// The idea, simplest first: start every child with piped stdin and
/// stdout, give each a share of the numbers (one per line), close its
/// stdin, read its answers, and put them in place. Write a share from a
/// thread (or all shares before reading any answer, if they are small): a
/// child blocked on a full stdout pipe stops reading its stdin, and a
/// parent blocked writing to that stdin never reads the stdout. Better
/// balanced: one parent thread per child that sends it the next unclaimed
/// number, reads the answer, and repeats.
///
/// Errors: no processes (`ProcessError::InvalidRequest`), a worker that
/// cannot start (`CouldNotStart`), a child that fails (`ChildFailed`), or
/// that answers something that is not the factor list of the number it was
/// given (`UnreadableOutput`; a product check is cheap). Every child is
/// waited for, whatever happened, and none is left running.
///
/// Pitfall: the last share. 300 numbers on 8 children are 38, 38, ..., 34:
/// a share size of `300 / 8 = 37` forgets the last 4 numbers.
pub fn factorize_processes(
    numbers: &[u64],
    n_processes: usize,
    worker_program: &Path,
) -> Result<Vec<Vec<u64>>, ProcessError> {
    let _ = (numbers, n_processes, worker_program);
    todo!("exercise 7: factorize_processes")
}
