//! Exercise 3: the Leibniz series for pi over pipes.
//!
//! pi = 4 * (1 - 1/3 + 1/5 - 1/7 + ...), the term of index k being
//! `(-1)^k / (2k + 1)`. The lecture summed ranges of terms in child
//! processes and piped their results to `bc`. Here the parent cuts the
//! terms `[m, n)` into K ranges, starts K `leibniz` children, writes each
//! child its range on its standard input and reads its partial sum from
//! its standard output:
//!
//! ```text
//! parent -> child 2 (stdin):   "500000 750000\n"
//! child 2 -> parent (stdout):  "-0.0000015999992000...\n"
//! ```
//!
//! A pipe is a one-way byte stream between two processes. The reader sees
//! the end of the stream only once every writer has closed its end.
//!
//! The worker program's `leibniz` sub-command is provided; it calls your
//! [`leibniz_child`] on the process's standard input and output.

use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::path::Path;
use std::process::ExitCode;

use crate::ProcessError;
use crate::worker::{Subcommand, usage_error};

// Provided complete, in `ex3_pipes/provided.rs`: the sub-command
mod provided;
pub use provided::*;

/// `4 * sum of (-1)^k / (2k + 1)` for k in `terms`, in order of k; 0.0 for
/// an empty range. `leibniz_partial_sum(0..n)` tends to pi as n grows.
///
/// What to build: a loop over `terms`, adding or subtracting
/// `1.0 / (2.0 * k as f64 + 1.0)` by the parity of k, then times 4.
///
/// Pitfall: `(-1.0f64).powi(k as i32)` overflows the `i32` for large k;
/// the parity is all you need.
pub fn leibniz_partial_sum(terms: Range<u64>) -> f64 {
    let _ = terms;
    todo!("exercise 3: leibniz_partial_sum")
}

/// The child side of `leibniz`: reads one line `START END` (two whole
/// numbers, START <= END) from `input` and writes
/// `leibniz_partial_sum(START..END)` and a newline to `output`.
///
/// What to build:
/// - `read_line` one line; split it on whitespace; it must be exactly two
///   whole numbers with START <= END. Anything else is an `Err` with a
///   message saying what was wrong (the worker program prints it on
///   standard error and exits with a failure status).
/// - `writeln!(output, "{}", sum)`, then `flush`; a write error is an
///   `Err` too.
///
/// The idea: the text between processes must carry the number exactly.
/// `{}` prints an `f64` in the shortest form that parses back to the very
/// same value, so the parent adds exactly what the child computed.
///
/// Pitfall: `{:.6}` (or any fixed precision): each child's sum is then
/// rounded, and K rounded sums no longer add up to the serial sum.
pub fn leibniz_child(input: impl BufRead, output: impl Write) -> Result<(), String> {
    let _ = (input, output);
    todo!("exercise 3: leibniz_child")
}

/// Cuts `terms` into `n_parts` contiguous ranges, in order, covering every
/// term once, whose lengths differ by at most one (the first ones are the
/// longer); some are empty when there are fewer terms than parts. No parts
/// is an empty list. For example, `split_range(10..20, 3)` is
/// `[10..14, 14..17, 17..20]`.
pub fn split_range(terms: Range<u64>, n_parts: usize) -> Vec<Range<u64>> {
    let _ = (terms, n_parts);
    todo!("exercise 3: split_range")
}

/// The sum over `terms` computed by `n_children` `leibniz` children of
/// `worker_program`, one part of [`split_range`]`(terms, n_children)`
/// each; equal to [`leibniz_partial_sum`]`(terms)` within 1e-9.
///
/// What to build:
/// - `n_children == 0`, or a range that ends before it starts
///   (`terms.start > terms.end`), is [`ProcessError::InvalidRequest`]. An
///   empty range (`start == end`) sums to 0.0 without starting any child.
/// - Start every child first (`Command::new(worker_program)
///   .arg(LEIBNIZ_SUBCOMMAND)`, standard input, output and error all
///   piped); a spawn error is [`ProcessError::CouldNotStart`] (kill and
///   wait for the children already started).
/// - Then give each child its range: take its pipe out of the child
///   (`child.stdin.take()`), `writeln!` `"START END"` into it and drop it,
///   which closes it. Remember a write error; do not return yet.
/// - Then wait for each child (`wait_with_output`), even after a failure.
///   A failure status is [`ProcessError::ChildFailed`]; a remembered write
///   error of a child that succeeded is [`ProcessError::Io`]; an output
///   that is not one line holding a finite `f64` is
///   [`ProcessError::UnreadableOutput`]. Return the first error, or the
///   total of the partial sums.
///
/// Pitfall: writing to a child and waiting for it before the next child
/// starts: correct, but the children then run one after another.
pub fn leibniz_with_children(
    terms: Range<u64>,
    n_children: usize,
    worker_program: &Path,
) -> Result<f64, ProcessError> {
    let _ = (terms, n_children, worker_program);
    todo!("exercise 3: leibniz_with_children")
}
