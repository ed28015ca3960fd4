//! Exercise 6: a counter in memory that several processes share.
//!
//! Processes do not share memory, unless they ask for it: two processes
//! that map the same file into their address spaces (`mmap`) see the same
//! bytes, and a store by one is seen by the other, as between threads. This
//! brings the threads' problems back. The lecture's bank balance starts at
//! 100; one process deposits 1 many times, another withdraws 1 as many
//! times; the balance must end at 100, and with a plain read-then-write it
//! does not. Here children add 1 to a shared counter `times` times each;
//! the parent checks the total.
//!
//! Provided: [`SharedCounterFile`] (creating, opening and mapping the file,
//! with the `unsafe` that takes and its reasons), the start line that
//! makes the children count at the same time, [`add_one_racy`], and the
//! `count` sub-command's arguments ([`CountArgs`]). Yours: the two correct
//! ways to add one ([`add_one_atomic`], [`add_one_locked`]), the child's loop
//! ([`count_in_child`]) and the parent ([`count_with_processes`]). You write
//! no `unsafe` code.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use memmap2::{MmapMut, MmapOptions};

use crate::process_error::ProcessError;
use crate::worker::{Subcommand, usage_error};

// Provided complete, in `ex6_shared_memory/provided.rs`: the sub-command,
// the counting methods, the shared page and the racy increment.
mod provided;
pub use provided::*;

/// Adds 1 to `counter` with one atomic read-modify-write, so that no other
/// process can store between the read and the write.
///
/// The idea: [`AtomicU64::fetch_add`] asks the CPU to read, add and write
/// as one indivisible step; it works across processes exactly as across
/// threads, because the counter is the same memory for all of them.
///
/// Pitfall: `counter.store(counter.load(..) + 1, ..)` is two atomic steps,
/// not one atomic step: that is [`add_one_racy`], and it loses updates.
pub fn add_one_atomic(counter: &AtomicU64) {
    let _ = counter;
    todo!("exercise 6: add_one_atomic")
}

/// Adds 1 to `counter` the racy way ([`add_one_racy`]), but only while
/// holding the spin lock `lock`, a word in the shared memory that is 0
/// when free and 1 when held.
///
/// The idea: a `Mutex` lives in one process's memory and cannot be shared
/// with another process, but a lock is only a value everybody agrees on.
/// Take it by turning 0 into 1 atomically
/// ([`AtomicU32::compare_exchange_weak`]; if it fails, someone holds the
/// lock: try again), do the racy increment, give it back by storing 0.
/// Use `Ordering::Acquire` when taking and `Ordering::Release` when giving
/// back, so that the previous holder's write of the counter is visible to
/// the next holder's read.
///
/// Pitfall: checking that the lock is 0 and then storing 1 as two steps
/// lets two processes take it at once. And spin politely: call
/// `std::thread::yield_now()` between tries, because the holder may be a
/// process waiting for the very CPU you are spinning on.
pub fn add_one_locked(lock: &AtomicU32, counter: &AtomicU64) {
    let _ = (lock, counter);
    todo!("exercise 6: add_one_locked")
}

/// The `count` child's work: opens the shared counter file
/// `request.file` ([`SharedCounterFile::open`]), waits at the start line
/// ([`SharedCounterFile::wait_at_start_line`]), then adds 1 to the counter
/// `request.times` times with `request.method` ([`add_one_racy`],
/// [`add_one_atomic`] or [`add_one_locked`] with the file's lock word).
///
/// The `count` sub-command (provided) parses the command line into a
/// [`CountArgs`] and calls this; an error here becomes a message on
/// standard error and a failure status.
///
/// Pitfall: without the start line, children started a millisecond apart
/// may each finish before the next begins, and the racy method seems to
/// work.
pub fn count_in_child(request: &CountArgs) -> io::Result<()> {
    let _ = request;
    todo!("exercise 6: count_in_child")
}

/// Creates the shared counter file `counter_file` for `n_children`
/// children ([`SharedCounterFile::create`], which sets the counter to 0),
/// starts `n_children` children running `worker_program` with the
/// arguments of a [`CountArgs`] (each adds 1 `times` times with `method`),
/// waits for every child, and returns the counter's final value.
///
/// The idea: the parent keeps its own mapping of the file, so once every
/// child has exited it reads the total straight from the shared memory. No
/// pipe carries it.
///
/// Errors: no children ([`ProcessError::InvalidRequest`]), a file that
/// cannot be created (`InvalidRequest` too), a worker that cannot be
/// started (`CouldNotStart`, after stopping and waiting for the children
/// already started), a child that fails (`ChildFailed`, after waiting for
/// all the others).
///
/// Pitfall: start every child before waiting for any; a child that is
/// waited for before the next one starts never races with anyone (and
/// waits at the start line in vain).
pub fn count_with_processes(
    worker_program: &Path,
    counter_file: &Path,
    n_children: usize,
    times: u64,
    method: CountMethod,
) -> Result<u64, ProcessError> {
    let _ = (worker_program, counter_file, n_children, times, method);
    todo!("exercise 6: count_with_processes")
}
