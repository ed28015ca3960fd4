//! Exercise 6: a counter in memory that several processes share.
//!
//! The provided part (the mapping, the start line, the racy increment, the
//! `count` sub-command's arguments) is the student crate's, word for word;
//! the reference adds the atomic and the locked increments, the child's
//! loop and the parent.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use memmap2::{MmapMut, MmapOptions};

use crate::process_error::{ProcessError, shortened};
use crate::worker::{Subcommand, usage_error};

// Provided: the sub-command, the counting methods, the shared page and
// the racy increment; the student crate's own file.
#[path = "../../../labs/lab5-multiprocessing/src/ex6_shared_memory/provided.rs"]
mod provided;
pub use provided::*;

/// Adds 1 with one atomic read-modify-write.
pub fn add_one_atomic(counter: &AtomicU64) {
    // Relaxed is enough: the counter orders nothing else, and the parent
    // reads it after waiting for every child.
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Adds 1 the racy way, but holding the spin lock `lock` (0 free, 1 held).
pub fn add_one_locked(lock: &AtomicU32, counter: &AtomicU64) {
    // Acquire on taking the lock pairs with Release on giving it back, so
    // the previous holder's store of the counter is visible to this load.
    while lock
        .compare_exchange_weak(0, 1, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        // The holder may be a process that lost its CPU; yielding lets it
        // run on a busy machine instead of spinning for a whole time slice.
        std::thread::yield_now();
    }
    add_one_racy(counter);
    lock.store(0, Ordering::Release);
}

/// The child's work: opens the shared counter file, waits at the start
/// line, and adds 1 `times` times with `method`.
pub fn count_in_child(request: &CountArgs) -> io::Result<()> {
    let shared = SharedCounterFile::open(&request.file)?;
    shared.wait_at_start_line();
    let counter = shared.counter();
    // One loop per method: the racy loop stays as tight as it can be.
    match request.method {
        CountMethod::Racy => (0..request.times).for_each(|_| add_one_racy(counter)),
        CountMethod::Atomic => (0..request.times).for_each(|_| add_one_atomic(counter)),
        CountMethod::Locked => {
            let lock = shared.lock_word();
            (0..request.times).for_each(|_| add_one_locked(lock, counter));
        }
    }
    Ok(())
}

/// Creates the shared counter file `counter_file`, starts `n_children`
/// `count` children that each add 1 `times` times with `method`, waits for
/// every one of them, and returns the final value of the counter.
pub fn count_with_processes(
    worker_program: &Path,
    counter_file: &Path,
    n_children: usize,
    times: u64,
    method: CountMethod,
) -> Result<u64, ProcessError> {
    let expected_children = u32::try_from(n_children)
        .ok()
        .filter(|&count| count > 0)
        .ok_or_else(|| {
            ProcessError::InvalidRequest(format!(
                "{n_children} children: at least one, at most {}",
                u32::MAX
            ))
        })?;
    let shared = SharedCounterFile::create(counter_file, expected_children).map_err(|error| {
        ProcessError::InvalidRequest(format!(
            "cannot create the shared counter file {}: {error}",
            counter_file.display()
        ))
    })?;
    let request = CountArgs {
        file: counter_file.to_path_buf(),
        times,
        method,
    };
    let mut children: Vec<Child> = Vec::with_capacity(n_children);
    for _ in 0..n_children {
        let spawned = Command::new(worker_program)
            .args(request.to_args())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => children.push(child),
            Err(source) => {
                // The children already started would count for nobody.
                for mut started in children {
                    let _ = started.kill();
                    let _ = started.wait();
                }
                return Err(ProcessError::CouldNotStart {
                    program: worker_program.to_path_buf(),
                    source,
                });
            }
        }
    }
    // Every child is waited for, even after one failed, so none is left
    // behind; the first failure is the one reported.
    let mut first_error = None;
    for (child_idx, child) in children.into_iter().enumerate() {
        let outcome = match child.wait_with_output() {
            Ok(output) if output.status.success() => continue,
            Ok(output) => ProcessError::ChildFailed {
                child_idx,
                status: output.status,
                stderr: shortened(&output.stderr),
            },
            Err(source) => ProcessError::Io {
                child_idx,
                action: "wait for",
                source,
            },
        };
        first_error.get_or_insert(outcome);
    }
    match first_error {
        Some(error) => Err(error),
        // Every child has exited, so every store it made is in the page.
        None => Ok(shared.counter().load(Ordering::SeqCst)),
    }
}
