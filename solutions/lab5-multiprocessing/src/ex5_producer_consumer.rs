//! Exercise 5: a producer and a consumer in two processes.
//!
//! The parent writes every item through a buffered writer and then drops
//! it, which closes the pipe: that end of file is the consumer's only
//! signal to stop. Only then does the parent read the summary. The
//! consumer prints nothing until its input ends, so writing everything
//! first cannot fill a pipe the parent is not reading.

use std::fmt;
use std::io::{self, BufRead, BufWriter, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::str::FromStr;

use crate::worker::{Subcommand, usage_error};
use crate::{ProcessError, shortened};

// Provided: the `consume` sub-command and the summary a consumer prints;
// the student crate's own file.
#[path = "../../../labs/lab5-multiprocessing/src/ex5_producer_consumer/provided.rs"]
mod provided;
pub use provided::*;

/// The child side of `consume`: reads one whole number per line from
/// `input` until it ends, then writes the [`ConsumerSummary`] line to
/// `output` and returns it.
pub fn consume(input: impl BufRead, mut output: impl Write) -> Result<ConsumerSummary, String> {
    let mut summary = ConsumerSummary::new();
    // `lines()` ends when `read_line` returns 0 bytes: the end of file,
    // which the producer causes by closing its end of the pipe.
    for (line_idx, line) in input.lines().enumerate() {
        let line = line.map_err(|error| format!("could not read item {line_idx}: {error}"))?;
        let item = line
            .trim_end()
            .parse::<u64>()
            .map_err(|_| format!("line {} is {line:?}, not a whole number", line_idx + 1))?;
        summary.add(item);
    }
    writeln!(output, "{summary}")
        .and_then(|()| output.flush())
        .map_err(|error| format!("could not write the summary: {error}"))?;
    Ok(summary)
}

/// Starts a `consume` child of `worker_program`, writes it every item of
/// `items` (one per line), closes its input and returns the summary it
/// printed.
pub fn produce_to_child(
    items: impl IntoIterator<Item = u64>,
    worker_program: &Path,
) -> Result<ConsumerSummary, ProcessError> {
    let mut child = Command::new(worker_program)
        .arg(CONSUME_SUBCOMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| ProcessError::CouldNotStart {
            program: worker_program.to_path_buf(),
            source,
        })?;
    let written = match child.stdin.take() {
        Some(stdin) => {
            let mut writer = BufWriter::new(stdin);
            items
                .into_iter()
                .try_for_each(|item| writeln!(writer, "{item}"))
                .and_then(|()| writer.flush())
            // The writer, and with it the pipe, is dropped here: the
            // consumer sees the end of its input.
        }
        None => Err(io::Error::other("the child has no standard input pipe")),
    };
    // Waited for even when writing failed (a consumer that died early
    // breaks the pipe), so that it is not left behind and its status
    // explains the failure.
    let output = child
        .wait_with_output()
        .map_err(|source| ProcessError::Io {
            child_idx: 0,
            action: "wait for",
            source,
        })?;
    if !output.status.success() {
        return Err(ProcessError::ChildFailed {
            child_idx: 0,
            status: output.status,
            stderr: shortened(&output.stderr),
        });
    }
    if let Err(source) = written {
        return Err(ProcessError::Io {
            child_idx: 0,
            action: "write the items to",
            source,
        });
    }
    let unreadable = || ProcessError::UnreadableOutput {
        child_idx: 0,
        output: shortened(&output.stdout),
    };
    let printed = std::str::from_utf8(&output.stdout).map_err(|_| unreadable())?;
    let line = printed.strip_suffix('\n').ok_or_else(unreadable)?;
    line.parse().map_err(|_| unreadable())
}
