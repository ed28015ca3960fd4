//! Exercise 5: a producer and a consumer in two processes.
//!
//! Lab 4's producers and consumers shared a queue in one process. Across
//! processes the queue is a pipe: the parent (the producer) writes items
//! into the child's standard input, one per line, and the child (the
//! consumer, `lab5-multiprocessing consume`) handles each one as it
//! arrives. There is no "no more items" message: the producer closes its
//! end of the pipe, the consumer's next read returns 0 bytes (end of
//! file), and the consumer prints a summary of what it saw and exits.
//!
//! ```text
//! parent -> child (stdin):   "10\n20\n30\n", then closes the pipe
//! child -> parent (stdout):  "count 3 sum 60 checksum 10260\n", exit status 0
//! ```
//!
//! The worker program's `consume` sub-command and [`ConsumerSummary`] are
//! provided.

use std::fmt;
use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;

use crate::ProcessError;
use crate::worker::{Subcommand, usage_error};

// Provided complete, in `ex5_producer_consumer/provided.rs`: the `consume`
// sub-command and the summary a consumer prints.
mod provided;
pub use provided::*;

/// The child side of `consume`: reads one whole number per line from
/// `input` until the input ends, then writes the [`ConsumerSummary`] line
/// (and a newline) to `output` and returns it.
///
/// What to build:
/// - Start from `ConsumerSummary::new()`; for each line of `input`
///   (`input.lines()`), parse the number and `add` it, right away: a
///   consumer handles items as they come, it does not wait for all of
///   them. A line that is not a whole number, or a read error, is an `Err`
///   saying which line (the worker program prints it on standard error and
///   exits with a failure status).
/// - When the input ends, `writeln!` the summary to `output` and `flush`.
///
/// The idea: the end of the input is the producer's "no more items". It
/// arrives only when every write end of the pipe is closed.
///
/// Pitfall: a loop over `read_line` that does not stop when it returns
/// `Ok(0)`. At the end of the input `read_line` returns 0 bytes at once,
/// every time, so such a loop spins forever and never prints the summary.
pub fn consume(input: impl BufRead, output: impl Write) -> Result<ConsumerSummary, String> {
    let _ = (input, output);
    todo!("exercise 5: consume")
}

/// Starts a `consume` child of `worker_program`, writes it every item of
/// `items` (one per line, in order), closes its input, and returns the
/// summary it printed.
///
/// What to build:
/// - Start the child with standard input, output and error piped; a start
///   error is [`ProcessError::CouldNotStart`].
/// - Take the input pipe out of the child (`child.stdin.take()`), wrap it
///   in a `std::io::BufWriter` (one system call per item would be slow),
///   write each item with `writeln!`, `flush`, and *drop* the writer: that
///   closes the pipe, and the child sees the end of its input.
/// - Then `wait_with_output`. Wait even if a write failed (a consumer that
///   died early breaks the pipe: the write error is
///   [`std::io::ErrorKind::BrokenPipe`]). A failure status is
///   [`ProcessError::ChildFailed`]; otherwise a write error is
///   [`ProcessError::Io`]; an output that is not one summary line is
///   [`ProcessError::UnreadableOutput`]. `child_idx` is 0 everywhere.
///
/// Pitfall: reading the child's output while the pipe to its input is
/// still open: `read_to_string` on `child.stdout` before the `ChildStdin`
/// is dropped, or `wait_with_output` while a variable still holds the
/// `ChildStdin` (that method closes only a pipe left inside the `Child`).
/// The child waits for more items, the parent waits for the summary:
/// neither ever moves again.
pub fn produce_to_child(
    items: impl IntoIterator<Item = u64>,
    worker_program: &Path,
) -> Result<ConsumerSummary, ProcessError> {
    let _ = worker_program;
    let _ = items.into_iter();
    todo!("exercise 5: produce_to_child")
}
