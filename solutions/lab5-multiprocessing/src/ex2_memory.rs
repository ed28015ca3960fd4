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

/// The worker program's sub-command that appends to the child's own list.
pub const APPEND_SUBCOMMAND: &str = "append";

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: APPEND_SUBCOMMAND,
    usage: "[VALUE ...] (whole numbers)",
    run: run_append,
}];

/// The list every process of this program has one copy of, starting empty.
static GLOBAL_LIST: Mutex<Vec<i64>> = Mutex::new(Vec::new());

/// Locks the list even if a thread panicked while holding it: appending
/// never leaves it half changed.
fn locked_global_list() -> MutexGuard<'static, Vec<i64>> {
    GLOBAL_LIST.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A copy of this process's global list as it is now.
pub fn global_list() -> Vec<i64> {
    locked_global_list().clone()
}

/// `append VALUE...`: appends the values to this process's global list and
/// prints the whole list, the values separated by single spaces, on one
/// line.
fn run_append(args: &[String]) -> ExitCode {
    let values: Result<Vec<i64>, _> = args.iter().map(|arg| arg.parse::<i64>()).collect();
    let Ok(values) = values else {
        return usage_error(
            &SUBCOMMANDS[0],
            &format!("{args:?} are not all whole numbers"),
        );
    };
    let list = append_to_global_list(&values);
    let line: Vec<String> = list.iter().map(i64::to_string).collect();
    let mut stdout = io::stdout().lock();
    match writeln!(stdout, "{}", line.join(" ")).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab5 worker append: could not write the list: {error}");
            ExitCode::FAILURE
        }
    }
}

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
