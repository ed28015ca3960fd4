//! Exercise 3: the Leibniz series for pi over pipes.
//!
//! The parent starts all K children first, then writes each one its range
//! and closes that child's standard input, then waits for each in turn and
//! adds the partial sums. The requests are a few bytes, far less than a
//! pipe holds, so writing them all before reading anything cannot block;
//! a child that dies before reading its request makes the write fail with
//! a broken pipe, which is remembered, and the child is still waited for.

use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::path::Path;
use std::process::{Child, ExitCode};

use crate::start::start_children;
use crate::worker::{Subcommand, usage_error};
use crate::{ProcessError, shortened};

// Provided: the sub-command; the student crate's own file.
#[path = "../../../labs/lab5-multiprocessing/src/ex3_pipes/provided.rs"]
mod provided;
pub use provided::*;

/// `4 * sum of (-1)^k / (2k + 1)` for k in `terms`, summed in order of k.
pub fn leibniz_partial_sum(terms: Range<u64>) -> f64 {
    let mut sum = 0.0;
    for k in terms {
        let term = 1.0 / (2.0 * k as f64 + 1.0);
        if k % 2 == 0 {
            sum += term;
        } else {
            sum -= term;
        }
    }
    4.0 * sum
}

/// The child side of `leibniz`: reads one line `START END` from `input`,
/// writes `leibniz_partial_sum(START..END)` and a newline to `output`.
pub fn leibniz_child(mut input: impl BufRead, mut output: impl Write) -> Result<(), String> {
    let mut request = String::new();
    input
        .read_line(&mut request)
        .map_err(|error| format!("could not read the range: {error}"))?;
    let bad_request = || format!("expected \"START END\" with START <= END, got {request:?}");
    let numbers: Vec<&str> = request.split_whitespace().collect();
    let [start, end] = numbers[..] else {
        return Err(bad_request());
    };
    let (Ok(start), Ok(end)) = (start.parse::<u64>(), end.parse::<u64>()) else {
        return Err(bad_request());
    };
    if start > end {
        return Err(bad_request());
    }
    // `{}` prints the shortest text that reads back as the same f64, so
    // the parent adds exactly what this child computed.
    writeln!(output, "{}", leibniz_partial_sum(start..end))
        .and_then(|()| output.flush())
        .map_err(|error| format!("could not write the partial sum: {error}"))
}

/// Cuts `terms` into `n_parts` contiguous ranges, in order, whose lengths
/// differ by at most one (the first ones are the longer); some are empty
/// when there are fewer terms than parts.
pub fn split_range(terms: Range<u64>, n_parts: usize) -> Vec<Range<u64>> {
    if n_parts == 0 {
        return Vec::new();
    }
    let n_terms = terms.end.saturating_sub(terms.start);
    let n_parts_u64 = n_parts as u64;
    let (base_len, n_longer) = (n_terms / n_parts_u64, n_terms % n_parts_u64);
    let mut parts = Vec::with_capacity(n_parts);
    let mut start = terms.start;
    for part_idx in 0..n_parts_u64 {
        let len = base_len + u64::from(part_idx < n_longer);
        parts.push(start..start + len);
        start += len;
    }
    parts
}

/// The sum over `terms` computed by `n_children` `leibniz` children of
/// `worker_program`, each given one part of [`split_range`].
///
/// No children (`n_children == 0`) or a range that ends before it starts
/// is [`ProcessError::InvalidRequest`]; an empty range is 0.0 and starts no
/// child.
pub fn leibniz_with_children(
    terms: Range<u64>,
    n_children: usize,
    worker_program: &Path,
) -> Result<f64, ProcessError> {
    if n_children == 0 {
        return Err(ProcessError::InvalidRequest(
            "no children to sum the series".to_owned(),
        ));
    }
    if terms.start > terms.end {
        return Err(ProcessError::InvalidRequest(format!(
            "the range {}..{} ends before it starts",
            terms.start, terms.end
        )));
    }
    if terms.is_empty() {
        return Ok(0.0);
    }
    let parts = split_range(terms, n_children);
    let mut children = start_children(
        worker_program,
        parts.iter().map(|_| vec![LEIBNIZ_SUBCOMMAND.to_owned()]),
        true,
    )?;
    let mut write_errors: Vec<Option<io::Error>> = Vec::with_capacity(n_children);
    for (child, part) in children.iter_mut().zip(&parts) {
        // Taking the pipe out of the child and dropping it at the end of
        // this statement closes it: the child's input then ends.
        let written = match child.stdin.take() {
            Some(mut stdin) => writeln!(stdin, "{} {}", part.start, part.end),
            None => Err(io::Error::other("the child has no standard input pipe")),
        };
        write_errors.push(written.err());
    }
    let mut total = 0.0;
    let mut first_error = None;
    for (child_idx, (child, write_error)) in children.into_iter().zip(write_errors).enumerate() {
        match collect_partial_sum(child_idx, child, write_error) {
            Ok(partial_sum) => total += partial_sum,
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(total),
    }
}

/// Waits for child `child_idx` and reads its partial sum. A failed status
/// explains more than the broken pipe it caused, so it is reported first.
fn collect_partial_sum(
    child_idx: usize,
    child: Child,
    write_error: Option<io::Error>,
) -> Result<f64, ProcessError> {
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
    if let Some(source) = write_error {
        return Err(ProcessError::Io {
            child_idx,
            action: "write the range to",
            source,
        });
    }
    let printed = String::from_utf8_lossy(&output.stdout);
    match printed.strip_suffix('\n').map(str::parse::<f64>) {
        Some(Ok(partial_sum)) if partial_sum.is_finite() => Ok(partial_sum),
        _ => Err(ProcessError::UnreadableOutput {
            child_idx,
            output: shortened(&output.stdout),
        }),
    }
}
