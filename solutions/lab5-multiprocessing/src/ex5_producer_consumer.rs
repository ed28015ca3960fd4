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

/// The worker program's sub-command that consumes items on its standard
/// input.
pub const CONSUME_SUBCOMMAND: &str = "consume";

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: CONSUME_SUBCOMMAND,
    usage: "(no arguments; reads one whole number per line on standard input until it ends)",
    run: run_consume,
}];

/// `consume`: the child side, on the process's standard input and output.
fn run_consume(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        return usage_error(&SUBCOMMANDS[0], "expected no arguments");
    }
    match consume(io::stdin().lock(), io::stdout().lock()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("lab5 worker consume: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What a consumer saw: how many items, their sum and a checksum that
/// depends on their order. Prints and reads as one line,
/// `count 3 sum 60 checksum 10260`.
///
/// ```
/// use lab5_multiprocessing::ConsumerSummary;
///
/// let summary = ConsumerSummary::of([10, 20, 30]);
/// assert_eq!((summary.count, summary.sum), (3, 60));
/// assert_ne!(summary, ConsumerSummary::of([30, 20, 10]), "the order counts");
/// assert_eq!(summary.to_string().parse(), Ok(summary));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConsumerSummary {
    pub count: u64,
    pub sum: u64,
    pub checksum: u64,
}

impl ConsumerSummary {
    /// The summary of no items.
    pub fn new() -> ConsumerSummary {
        ConsumerSummary::default()
    }

    /// Counts one more item, after all those already counted.
    pub fn add(&mut self, item: u64) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(item);
        self.checksum = self.checksum.wrapping_mul(31).wrapping_add(item);
    }

    /// The summary of `items`, in their order.
    pub fn of(items: impl IntoIterator<Item = u64>) -> ConsumerSummary {
        let mut summary = ConsumerSummary::new();
        for item in items {
            summary.add(item);
        }
        summary
    }
}

impl fmt::Display for ConsumerSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "count {} sum {} checksum {}",
            self.count, self.sum, self.checksum
        )
    }
}

impl FromStr for ConsumerSummary {
    type Err = String;

    /// Reads one summary line (without its newline).
    fn from_str(line: &str) -> Result<ConsumerSummary, String> {
        let words: Vec<&str> = line.split(' ').collect();
        let ["count", count, "sum", sum, "checksum", checksum] = words[..] else {
            return Err(format!(
                "{line:?} is not a summary like \"count 3 sum 60 checksum 10260\""
            ));
        };
        let number = |text: &str| {
            text.parse::<u64>()
                .map_err(|_| format!("{line:?}: `{text}` is not a whole number"))
        };
        Ok(ConsumerSummary {
            count: number(count)?,
            sum: number(sum)?,
            checksum: number(checksum)?,
        })
    }
}

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
