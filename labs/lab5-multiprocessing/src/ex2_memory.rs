//! Exercise 2: separate memory.
//!
//! The lecture's demonstration: a global list, a child process that
//! appends to it, and a parent whose list is still empty afterwards. Each
//! process has its own copy of every global variable; a thread does not.
//!
//! This module holds one global list (a `static` behind a `Mutex`) and
//! appends to it three ways:
//!
//! - [`append_to_global_list`]: the calling thread appends;
//! - [`append_in_thread`]: another thread of the same process appends, and
//!   the caller sees the new values in its own list;
//! - [`append_in_child`]: a child process (`lab5-multiprocessing append 7
//!   8`) appends to *its* list and prints it, and the caller's list does
//!   not change.
//!
//! The worker program's `append` sub-command and [`global_list`] are
//! provided.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::ProcessError;
use crate::worker::{Subcommand, usage_error};

// Provided complete, in `ex2_memory/provided.rs`: the global list and the sub-
// command
mod provided;
pub use provided::*;

/// Appends `values` to this process's global list and returns the whole
/// list after the append.
///
/// What to build: lock the list (use `locked_global_list()`), extend it
/// with `values`, return a copy (`clone`) of it.
///
/// The idea: a `static` exists once per process. Every thread of the
/// process sees the same one (hence the `Mutex`); another process running
/// the same program has its own, which starts empty.
pub fn append_to_global_list(values: &[i64]) -> Vec<i64> {
    let _ = (values, locked_global_list);
    todo!("exercise 2: append_to_global_list")
}

/// Has a child process append `values` to its global list, and returns the
/// list the child printed.
///
/// What to build:
/// - Run `worker_program` with the arguments `append` and then each value
///   (`Command::new(..).arg(APPEND_SUBCOMMAND).args(..)`), standard input
///   `Stdio::null()`; `.output()` starts it, waits for it and collects what
///   it printed. A start error is [`ProcessError::CouldNotStart`].
/// - A failure status is [`ProcessError::ChildFailed`] (with `child_idx`
///   0 and the child's standard error, cut with [`crate::shortened`]).
/// - The output must be one line (ending with `\n`) of whole numbers
///   separated by spaces; read them back into a `Vec<i64>`. Anything else
///   is [`ProcessError::UnreadableOutput`].
///
/// The idea: the child runs the same code on the same `static`, yet the
/// caller's [`global_list`] is unchanged afterwards, and the child did not
/// see what the caller had appended before: it started with its own,
/// empty list.
///
/// Pitfall: appending `values` to the caller's list as well, or computing
/// the answer in the parent instead of reading it from the child: the
/// point is to see what happened on the other side.
pub fn append_in_child(values: &[i64], worker_program: &Path) -> Result<Vec<i64>, ProcessError> {
    let _ = (values, worker_program);
    todo!("exercise 2: append_in_child")
}

/// Has a new thread of this process append `values` to the global list and
/// returns the list the thread saw after its append.
///
/// What to build: `std::thread::spawn` a closure that calls
/// [`append_to_global_list`] (the closure must own its data: move a
/// `values.to_vec()` into it), `join` it and return its result.
///
/// The idea: the contrast with [`append_in_child`]: a thread shares its
/// process's memory, so the caller's [`global_list`] shows the new values.
pub fn append_in_thread(values: &[i64]) -> Vec<i64> {
    let _ = values;
    todo!("exercise 2: append_in_thread")
}
