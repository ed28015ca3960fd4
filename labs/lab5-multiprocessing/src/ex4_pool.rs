//! Exercise 4: a process pool, the way Python's `multiprocessing.Pool`
//! works underneath.
//!
//! `Pool::new(worker_program, n_workers)` starts `n_workers` long-lived
//! children, `worker_program pool-worker`. `pool.map(job, tasks,
//! chunk_size)` cuts the tasks into chunks of `chunk_size`, sends each chunk
//! to a free worker, and returns one result per task, in the order of
//! `tasks`. Dropping the pool ends the workers.
//!
//! Processes share no memory, so everything a worker needs must travel
//! through its pipes as bytes: the parent *serializes* the job's name and
//! the chunk's tasks (Python pickles them; here they become JSON with
//! `serde_json`), and the worker serializes its results back. A pipe is a
//! stream of bytes with no message boundaries, so each message travels in
//! a *frame*: its length first, then its bytes. The frames are yours to
//! write: [`write_frame`], [`read_frame`], the worker's loop
//! [`serve_pool_worker`], and the parent's [`Pool`].
//!
//! A worker cannot receive a function either, only a name: the worker
//! looks the job up in its own copy of the program, in the registry
//! [`JOBS`] (provided, as are the wire types [`ChunkRequest`] and
//! [`ChunkReply`] and the per-task error [`TaskError`]).
//!
//! The conversation, for a pool of two workers and a map of 5 tasks in
//! chunks of 2:
//!
//! ```text
//! parent                                  worker 0            worker 1
//!   | frame(ChunkRequest{job, tasks 0,1}) ->  |
//!   | frame(ChunkRequest{job, tasks 2,3}) ------------------->  |
//!   | <- frame(ChunkReply{results 0,1})       |
//!   | frame(ChunkRequest{job, task 4})    ->  |
//!   | <- frame(ChunkReply{results 2,3}) -----------------------  |
//!   | <- frame(ChunkReply{result 4})          |
//!   |  (drop: close both stdins; each worker reads end of file, exits;
//!   |   the parent waits for both)
//! ```

use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{ExitCode, ExitStatus};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ProcessError;
use crate::worker::{Subcommand, usage_error};

// Provided complete, in `ex4_pool/provided.rs`: the sub-command, the
// wire types, the job registry and the per-task error.
mod provided;
pub use provided::*;

// ---------------------------------------------------------------------------
// Frames: yours to write.
// ---------------------------------------------------------------------------

/// Writes one frame: the payload's length as a 4-byte big-endian `u32`
/// (`(len as u32).to_be_bytes()`), then the payload itself.
///
/// Refuse a payload over [`MAX_FRAME_BYTES`] with an
/// `io::ErrorKind::InvalidInput` error (its length would not even fit the
/// header's `u32` beyond 4 GiB, and no reader would accept it).
///
/// Use `write_all`, never a bare `write`: `write` may write only part of
/// the bytes and return how many it wrote. Flushing is the caller's job
/// (a caller may write several frames before one flush).
pub fn write_frame(writer: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let _ = (writer, payload);
    todo!("exercise 4: write_frame")
}

/// Reads one frame written by [`write_frame`] and returns its payload.
///
/// Three ways a read can end, and the caller must be able to tell them
/// apart:
/// - `Ok(Some(payload))`: a whole frame.
/// - `Ok(None)`: a clean end of file, the stream ended *before the first
///   byte* of a header. For a pool worker, this is the parent saying "no
///   more work".
/// - `Err` with `io::ErrorKind::UnexpectedEof`: the stream ended *inside*
///   a frame (in the header or the payload): the writer died mid-frame.
///
/// And one more refusal: a header announcing more than [`MAX_FRAME_BYTES`]
/// is an `io::ErrorKind::InvalidData` error, returned *before* allocating
/// anything (a corrupted header must not make the reader allocate 4 GiB).
///
/// Pitfall: assuming that one `read` returns a whole frame. A pipe hands
/// over at most what is in its buffer (64 KiB on Linux), so a big frame
/// arrives in many pieces, and even the 4 header bytes may arrive split.
/// Loop until you have all the bytes you need: `read_exact` does this for
/// the payload; for the header you need your own loop to see whether the
/// end came before its first byte (a `read` returning 0 means end of
/// file). Retry a read that fails with `io::ErrorKind::Interrupted`, as
/// `read_exact` does.
pub fn read_frame(reader: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let _ = reader;
    todo!("exercise 4: read_frame")
}

// ---------------------------------------------------------------------------
// The worker side: yours to write.
// ---------------------------------------------------------------------------

/// The pool worker's loop: reads request frames from `input` until a clean
/// end of file and answers each with one reply frame on `output`.
///
/// For each frame: decode a [`ChunkRequest`] with
/// `serde_json::from_slice`, run [`run_job`] on each of its tasks in order,
/// encode a [`ChunkReply`] holding every result (a job's `Err` is a
/// result too: it travels back to the parent, it does not stop the
/// worker), write it with [`write_frame`] and flush. At the clean end of
/// file, return `Ok(())`: the worker program then exits with status 0. A
/// frame that is not a `ChunkRequest`, or a broken frame, is an error
/// (wrap a serde error with `io::Error::new(io::ErrorKind::InvalidData,
/// error)`).
///
/// Pitfall: forgetting to flush. The parent waits for this reply before it
/// sends anything more, so a reply sitting in an output buffer is a
/// deadlock: each process waits for the other. Another pitfall: printing
/// anything else (a debug line) on standard output, which is the parent's
/// stream of frames; messages go to standard error.
pub fn serve_pool_worker(input: &mut impl Read, output: &mut impl Write) -> io::Result<()> {
    let _ = (input, output);
    todo!("exercise 4: serve_pool_worker")
}

// ---------------------------------------------------------------------------
// The parent side: yours to write.
// ---------------------------------------------------------------------------

/// A pool of long-lived worker processes that run named jobs on chunks of
/// tasks.
///
/// Suggested state: the worker program's path (to start replacements) and,
/// per worker, its `std::process::Child` with the parent's ends of its
/// pipes, `ChildStdin` to write requests and a
/// `std::io::BufReader<ChildStdout>` to read replies (a buffered reader
/// turns the many small reads of a frame into few system calls). Take the
/// pipes out of the `Child` with `child.stdin.take()` and
/// `child.stdout.take()`. Let the workers' standard error go to the
/// parent's (`Stdio::inherit()`): nobody would read a pipe for it, and a
/// full pipe blocks its writer.
///
/// Pitfall: a worker nobody waits for. Every worker the pool starts must
/// be waited for exactly once, whether it exits at the end, crashes in the
/// middle of a map, or the pool is dropped after an error.
#[derive(Debug)]
pub struct Pool {
    // Replace this placeholder with your fields.
    _placeholder: (),
}

impl Pool {
    /// Starts `n_workers` worker processes, each running
    /// `worker_program pool-worker` ([`POOL_WORKER_SUBCOMMAND`]) with its
    /// standard input and output piped to the parent.
    ///
    /// Zero workers is a [`ProcessError::InvalidRequest`]; a program that
    /// cannot be started is a [`ProcessError::CouldNotStart`], after ending
    /// and waiting for the workers already started (build the pool as you
    /// go and let its `Drop` do that).
    pub fn new(worker_program: &Path, n_workers: usize) -> Result<Pool, ProcessError> {
        let _ = (worker_program, n_workers);
        todo!("exercise 4: Pool::new")
    }

    /// How many workers the pool has now (`n_workers`, unless a dead worker
    /// could not be replaced).
    pub fn n_workers(&self) -> usize {
        todo!("exercise 4: Pool::n_workers")
    }

    /// The process ids of the pool's workers (`Child::id`), in worker order.
    pub fn worker_pids(&self) -> Vec<u32> {
        todo!("exercise 4: Pool::worker_pids")
    }

    /// Runs the job named `job` (see [`JOBS`]) on every task, sending the
    /// tasks to the workers `chunk_size` at a time, and returns one result
    /// per task, in the order of `tasks`.
    ///
    /// ```ignore
    /// let squares: Vec<Result<u64, TaskError>> = pool.map("square", &[1_u64, 2, 3], 2)?;
    /// ```
    ///
    /// The map itself fails only on a request that cannot work: a chunk
    /// size of 0, an unknown job ([`find_job`]), a task that cannot be
    /// serialized (all [`ProcessError::InvalidRequest`]). Everything that
    /// goes wrong with one task is that task's [`TaskError`]:
    /// - the job returned an error: [`TaskError::JobFailed`];
    /// - the worker holding the chunk died (reading its reply gives an end of
    ///   file, or writing the request a broken pipe): every task of that
    ///   chunk is a [`TaskError::WorkerDied`] with the worker's exit status,
    ///   which you get by waiting for the dead worker (call `kill` first, so
    ///   that `wait` cannot block on a worker that merely closed its
    ///   output; a process that already exited keeps its status). Then start
    ///   a new worker in its place, and go on with the other chunks;
    /// - a reply that is not a [`ChunkReply`] with one result per task, or a
    ///   result that is not an `R`: [`TaskError::UnreadableReply`].
    ///
    /// One way to keep every worker busy: with `std::thread::scope`, start
    /// one thread per worker. Each thread, in a loop, takes the number of
    /// the next chunk from a shared `AtomicUsize` (`fetch_add(1)`), sends
    /// that chunk to its own worker, reads the reply and stores each result
    /// at its task's index in a shared `Mutex<Vec<Option<...>>>`, until no
    /// chunk is left. A worker that finishes early simply takes the next
    /// chunk. Chunk `k` holds tasks `k * chunk_size ..`, so the index of
    /// each result is known. Writing a whole request and then reading the
    /// reply is safe here: a worker reads a whole request before it writes
    /// anything, so neither side can block the other with a full pipe.
    ///
    /// Serialize the tasks with `serde_json::to_value` (a
    /// `serde_json::Value` moves between threads freely) and each result
    /// back with `serde_json::from_value::<R>`.
    ///
    /// Pitfalls:
    /// - Pushing results as replies arrive: chunks finish in any order (a
    ///   slow task holds its chunk back), so the results would come back in
    ///   completion order, not input order.
    /// - Waiting forever for a reply a dead worker will never send, or
    ///   dropping its chunk's tasks without a word: every task must get a
    ///   result or an error, and `map` must return.
    pub fn map<T: Serialize, R: DeserializeOwned>(
        &mut self,
        job: &str,
        tasks: &[T],
        chunk_size: usize,
    ) -> Result<Vec<Result<R, TaskError>>, ProcessError> {
        let _ = (job, tasks, chunk_size);
        todo!("exercise 4: Pool::map")
    }

    /// Ends the pool: closes every worker's standard input (drop the
    /// `ChildStdin`), so that each worker reads a clean end of file and
    /// exits, then waits for every worker. Returns the first failure: a
    /// worker that did not exit successfully ([`ProcessError::ChildFailed`])
    /// or could not be waited for ([`ProcessError::Io`]).
    ///
    /// Close *every* stdin before waiting for *any* worker, so that they all
    /// wind down at once. Pitfall: waiting before closing stdin. The worker
    /// is waiting for more work, the parent is waiting for the worker to
    /// exit: a deadlock.
    ///
    /// `Drop` does the same thing, so write it once in a helper that takes
    /// the workers out of the pool (`std::mem::take`): after `close` the
    /// pool is dropped too, and must find nothing left to do.
    pub fn close(self) -> Result<(), ProcessError> {
        todo!("exercise 4: Pool::close")
    }
}

impl Drop for Pool {
    /// Ends every worker as [`Pool::close`] does, ignoring failures (`drop`
    /// cannot return them). Without this, every pool would leave its
    /// workers running, waiting for work that never comes.
    fn drop(&mut self) {
        todo!("exercise 4: Drop for Pool")
    }
}
