//! Exercise 1: father and sons.
//!
//! The parent starts every `hello` child before it waits for any, so they
//! run at the same time, then waits for all of them in index order, even
//! after one misbehaved, and checks what each one said about itself against
//! what the parent knows: the pid the operating system gave the child
//! (`Child::id`) and its own pid.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::process::{Child, ExitCode, ExitStatus};
use std::str::FromStr;

use crate::start::start_children;
use crate::worker::{Subcommand, usage_error};
use crate::{ProcessError, shortened};

// Provided: the sub-command, the greeting and the report; the student
// crate's own file.
#[path = "../../../labs/lab5-multiprocessing/src/ex1_spawn/provided.rs"]
mod provided;
pub use provided::*;

/// The child side of `hello CHILD_IDX`: prints its [`Greeting`] and exits
/// with its index as its status.
pub fn say_hello(child_idx: usize) -> ExitCode {
    let greeting = Greeting {
        child_idx,
        pid: std::process::id(),
        parent_pid: std::os::unix::process::parent_id(),
    };
    // `println!` would panic if the parent closed the pipe; a child that
    // cannot say hello exits with a status that is not its index instead.
    let mut stdout = io::stdout().lock();
    match writeln!(stdout, "{greeting}").and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::from(child_idx as u8),
        Err(error) => {
            eprintln!("lab5 worker hello: could not write the greeting: {error}");
            ExitCode::from(u8::MAX)
        }
    }
}

/// Starts `n_children` `hello` children of `worker_program` (indices 0, 1,
/// ...), all before waiting for any, then waits for each and returns their
/// reports in index order.
pub fn spawn_children(
    n_children: usize,
    worker_program: &Path,
) -> Result<Vec<ChildReport>, ProcessError> {
    if n_children > MAX_CHILDREN {
        return Err(ProcessError::InvalidRequest(format!(
            "{n_children} children asked for; at most {MAX_CHILDREN}, since each exits with \
             its index as its status"
        )));
    }
    let children = start_children(
        worker_program,
        (0..n_children).map(|child_idx| vec![HELLO_SUBCOMMAND.to_owned(), child_idx.to_string()]),
        false,
    )?;
    let mut reports = Vec::with_capacity(n_children);
    let mut first_error = None;
    for (child_idx, child) in children.into_iter().enumerate() {
        // Every child is waited for, even after one failed, so that none
        // is left behind; the first failure is the one reported.
        match collect_report(child_idx, child) {
            Ok(report) => reports.push(report),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(reports),
    }
}

/// Waits for child `child_idx` and checks its status and its greeting.
fn collect_report(child_idx: usize, child: Child) -> Result<ChildReport, ProcessError> {
    let pid_from_the_system = child.id();
    let output = child
        .wait_with_output()
        .map_err(|source| ProcessError::Io {
            child_idx,
            action: "wait for",
            source,
        })?;
    if output.status.code() != Some(child_idx as i32) {
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
    let printed = std::str::from_utf8(&output.stdout).map_err(|_| unreadable())?;
    let line = printed.strip_suffix('\n').ok_or_else(unreadable)?;
    let greeting: Greeting = line.parse().map_err(|_| unreadable())?;
    let believable = greeting.child_idx == child_idx
        && greeting.pid == pid_from_the_system
        && greeting.parent_pid == std::process::id();
    if !believable {
        return Err(unreadable());
    }
    Ok(ChildReport {
        child_idx,
        pid: greeting.pid,
        parent_pid: greeting.parent_pid,
        exit_status: output.status,
    })
}
