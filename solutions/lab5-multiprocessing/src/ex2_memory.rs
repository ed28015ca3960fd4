//! Exercise 2: separate memory.
//!
//! One list in a `static`, appended to three ways: by the calling thread,
//! by another thread of the same process (same memory, so the caller sees
//! the change) and by a child process (its own fresh copy of every
//! `static`, so the caller sees nothing).

use std::io::{self, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::worker::{Subcommand, usage_error};
use crate::{ProcessError, shortened};

// Provided: the global list and the sub-command; the student crate's own file.
#[path = "../../../labs/lab5-multiprocessing/src/ex2_memory/provided.rs"]
mod provided;
pub use provided::*;

/// Appends `values` to this process's global list; returns the whole list
/// after the append.
pub fn append_to_global_list(values: &[i64]) -> Vec<i64> {
    let mut list = locked_global_list();
    list.extend_from_slice(values);
    list.clone()
}

/// Has a child process (`append VALUE...`) append `values` to its global
/// list and returns the list the child printed.
pub fn append_in_child(values: &[i64], worker_program: &Path) -> Result<Vec<i64>, ProcessError> {
    let output = Command::new(worker_program)
        .arg(APPEND_SUBCOMMAND)
        .args(values.iter().map(i64::to_string))
        .stdin(Stdio::null())
        .output()
        .map_err(|source| ProcessError::CouldNotStart {
            program: worker_program.to_path_buf(),
            source,
        })?;
    if !output.status.success() {
        return Err(ProcessError::ChildFailed {
            child_idx: 0,
            status: output.status,
            stderr: shortened(&output.stderr),
        });
    }
    let unreadable = || ProcessError::UnreadableOutput {
        child_idx: 0,
        output: shortened(&output.stdout),
    };
    let printed = std::str::from_utf8(&output.stdout).map_err(|_| unreadable())?;
    let line = printed.strip_suffix('\n').ok_or_else(unreadable)?;
    if line.contains('\n') {
        return Err(unreadable());
    }
    line.split_whitespace()
        .map(|value| value.parse::<i64>().map_err(|_| unreadable()))
        .collect()
}

/// Has a new thread of this process append `values` to the global list and
/// returns the list the thread saw after its append.
pub fn append_in_thread(values: &[i64]) -> Vec<i64> {
    let values = values.to_vec();
    std::thread::spawn(move || append_to_global_list(&values))
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
