//! Exercise 4: a process pool (reference).
//!
//! Frames are a 4-byte big-endian length and then the payload; the reader
//! reads the header byte by byte until it has all four (so that an end of
//! file before the first byte is a clean end and one inside the header is a
//! truncated frame), checks the length against [`MAX_FRAME_BYTES`] before it
//! allocates, and lets `read_exact` gather the payload across short reads.
//!
//! `map` cuts the serialized tasks into chunks and runs one scoped thread per
//! worker. Each thread takes the next chunk from a shared counter, writes it
//! to its worker, reads the reply and stores every result in the slot of its
//! task's index, so the results come back in input order whatever order the
//! chunks finish in. A thread whose worker dies stores an error for each
//! task of its chunk, reaps the dead worker and starts a replacement. The
//! worker side answers frame after frame until its standard input ends.
//!
//! The job registry, the wire types and [`TaskError`] are provided to the
//! student complete; they are the same here as in the student crate.

use std::io::{self, BufReader, ErrorKind, Read, Write};
use std::mem;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use std::{fmt, thread};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ProcessError;
use crate::worker::{Subcommand, usage_error};

// Provided: the sub-command, the wire types, the job registry and the
// per-task error; the student crate's own file.
#[path = "../../../labs/lab5-multiprocessing/src/ex4_pool/provided.rs"]
mod provided;
pub use provided::*;

// ---------------------------------------------------------------------------
// Frames.
// ---------------------------------------------------------------------------

/// Writes one frame: the payload's length as a 4-byte big-endian `u32`,
/// then the payload. Refuses a payload over [`MAX_FRAME_BYTES`].
pub fn write_frame(writer: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    if payload.len() > MAX_FRAME_BYTES {
        return Err(io::Error::new(
            ErrorKind::InvalidInput,
            format!(
                "a frame of {} bytes is over the maximum of {MAX_FRAME_BYTES}",
                payload.len()
            ),
        ));
    }
    // MAX_FRAME_BYTES fits in a u32, so the cast cannot truncate.
    let header = (payload.len() as u32).to_be_bytes();
    writer.write_all(&header)?;
    writer.write_all(payload)
}

/// Reads one frame written by [`write_frame`]. `Ok(None)` at a clean end of
/// file (before the first byte of a header); `UnexpectedEof` if the stream
/// ends inside a frame; `InvalidData` if the header announces more than
/// [`MAX_FRAME_BYTES`].
pub fn read_frame(reader: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut header = [0_u8; FRAME_HEADER_BYTES];
    let mut filled = 0;
    while filled < FRAME_HEADER_BYTES {
        match reader.read(&mut header[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => {
                return Err(io::Error::new(
                    ErrorKind::UnexpectedEof,
                    format!("the stream ended after {filled} of a frame header's 4 bytes"),
                ));
            }
            Ok(n_read) => filled += n_read,
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    let length = u32::from_be_bytes(header) as usize;
    if length > MAX_FRAME_BYTES {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!(
                "a frame header announces {length} bytes, over the maximum of {MAX_FRAME_BYTES}"
            ),
        ));
    }
    let mut payload = vec![0_u8; length];
    reader.read_exact(&mut payload).map_err(|error| {
        if error.kind() == ErrorKind::UnexpectedEof {
            io::Error::new(
                ErrorKind::UnexpectedEof,
                format!("the stream ended inside a frame of {length} bytes"),
            )
        } else {
            error
        }
    })?;
    Ok(Some(payload))
}

// ---------------------------------------------------------------------------
// The worker side.
// ---------------------------------------------------------------------------

/// The pool worker's loop: reads request frames from `input` until a clean
/// end of file, answers each with one reply frame on `output`.
pub fn serve_pool_worker(input: &mut impl Read, output: &mut impl Write) -> io::Result<()> {
    while let Some(frame) = read_frame(input)? {
        let request: ChunkRequest = serde_json::from_slice(&frame)
            .map_err(|error| io::Error::new(ErrorKind::InvalidData, error))?;
        let results = request
            .tasks
            .into_iter()
            .map(|task| run_job(&request.job, task))
            .collect();
        let reply = serde_json::to_vec(&ChunkReply { results })
            .map_err(|error| io::Error::new(ErrorKind::InvalidData, error))?;
        write_frame(output, &reply)?;
        // The parent waits for this reply before it sends more work: it
        // must leave this process now, not when a buffer fills.
        output.flush()?;
    }
    Ok(())
}
// ---------------------------------------------------------------------------
// The parent side.
// ---------------------------------------------------------------------------

/// A pool of long-lived worker processes that run named jobs on chunks of
/// tasks.
pub struct Pool {
    worker_program: PathBuf,
    /// One slot per worker; `None` once a dead worker could not be
    /// replaced.
    workers: Vec<Option<PoolWorker>>,
}

/// One worker process and the parent's ends of its pipes.
struct PoolWorker {
    child: Child,
    to_worker: ChildStdin,
    from_worker: BufReader<ChildStdout>,
}

/// One task's outcome and the worker that ran it.
type RanTask = (usize, Result<Value, TaskError>);

/// How sending a chunk to a worker and reading its reply can fail.
enum ChunkFailure {
    /// The worker is gone (its pipes broke); it has been reaped.
    Died(ExitStatus),
    /// The worker answered something that is not a reply to this chunk; it
    /// has been killed and reaped, since its stream is out of step.
    Unreadable(String),
}

impl PoolWorker {
    fn start(worker_program: &Path) -> Result<PoolWorker, ProcessError> {
        let mut child = Command::new(worker_program)
            .arg(POOL_WORKER_SUBCOMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|source| ProcessError::CouldNotStart {
                program: worker_program.to_path_buf(),
                source,
            })?;
        let (Some(to_worker), Some(from_worker)) = (child.stdin.take(), child.stdout.take()) else {
            unreachable!("both pipes were asked for")
        };
        Ok(PoolWorker {
            child,
            to_worker,
            from_worker: BufReader::new(from_worker),
        })
    }

    /// Sends one chunk and reads its reply. The worker reads a whole request
    /// before it writes anything, so writing all of it and then reading
    /// cannot deadlock.
    fn run_chunk(&mut self, request: &[u8], n_tasks: usize) -> Result<ChunkReply, ChunkFailure> {
        let sent = write_frame(&mut self.to_worker, request).and_then(|()| self.to_worker.flush());
        let frame = match sent.and_then(|()| read_frame(&mut self.from_worker)) {
            Ok(Some(frame)) => frame,
            // A broken pipe on write or an end of file on read: the worker
            // is gone. Killing first makes sure `wait` returns even if it
            // only closed its pipes; a process that already exited keeps
            // the status it exited with.
            Ok(None) | Err(_) => return Err(ChunkFailure::Died(self.kill_and_reap())),
        };
        let unreadable = match serde_json::from_slice::<ChunkReply>(&frame) {
            Ok(reply) if reply.results.len() == n_tasks => return Ok(reply),
            Ok(reply) => format!(
                "{} results for a chunk of {n_tasks} tasks",
                reply.results.len()
            ),
            Err(error) => format!("not a chunk reply: {error}"),
        };
        self.kill_and_reap();
        Err(ChunkFailure::Unreadable(unreadable))
    }

    fn kill_and_reap(&mut self) -> ExitStatus {
        let _ = self.child.kill();
        self.child.wait().unwrap_or_else(|_| {
            // Waiting for a child of our own fails only if something else
            // reaped it; its status is then lost, and "killed by SIGKILL"
            // (raw wait status 9) is the best account of it.
            std::os::unix::process::ExitStatusExt::from_raw(9)
        })
    }
}

impl Pool {
    /// Starts `n_workers` workers: `worker_program pool-worker`.
    pub fn new(worker_program: &Path, n_workers: usize) -> Result<Pool, ProcessError> {
        if n_workers == 0 {
            return Err(ProcessError::InvalidRequest(
                "a pool needs at least one worker".to_owned(),
            ));
        }
        let mut pool = Pool {
            worker_program: worker_program.to_path_buf(),
            workers: Vec::with_capacity(n_workers),
        };
        for _ in 0..n_workers {
            // On failure, dropping `pool` ends the workers already started.
            pool.workers.push(Some(PoolWorker::start(worker_program)?));
        }
        Ok(pool)
    }

    /// How many workers the pool has now.
    pub fn n_workers(&self) -> usize {
        self.workers.iter().flatten().count()
    }

    /// The process ids of the pool's workers, in worker order.
    pub fn worker_pids(&self) -> Vec<u32> {
        self.workers
            .iter()
            .flatten()
            .map(|worker| worker.child.id())
            .collect()
    }

    /// Runs `job` on every task, `chunk_size` tasks per request, and
    /// returns one result per task in the order of `tasks`.
    pub fn map<T: Serialize, R: DeserializeOwned>(
        &mut self,
        job: &str,
        tasks: &[T],
        chunk_size: usize,
    ) -> Result<Vec<Result<R, TaskError>>, ProcessError> {
        if chunk_size == 0 {
            return Err(ProcessError::InvalidRequest(
                "the chunk size must be at least 1".to_owned(),
            ));
        }
        if find_job(job).is_none() {
            return Err(ProcessError::InvalidRequest(format!(
                "unknown job `{job}`; the pool workers know {}",
                job_names().join(", ")
            )));
        }
        let mut task_values = Vec::with_capacity(tasks.len());
        for (task_idx, task) in tasks.iter().enumerate() {
            let value = serde_json::to_value(task).map_err(|error| {
                ProcessError::InvalidRequest(format!(
                    "task {task_idx} cannot be serialized: {error}"
                ))
            })?;
            task_values.push(value);
        }
        let chunks: Vec<&[Value]> = task_values.chunks(chunk_size).collect();
        let next_chunk_idx = AtomicUsize::new(0);
        // Slot `i` receives task `i`'s outcome whenever its chunk finishes:
        // that is what keeps input order.
        let results: Mutex<Vec<Option<RanTask>>> = Mutex::new(vec![None; tasks.len()]);
        let worker_program = self.worker_program.as_path();
        thread::scope(|scope| {
            for (worker_idx, slot) in self.workers.iter_mut().enumerate() {
                let (chunks, next_chunk_idx, results) = (&chunks, &next_chunk_idx, &results);
                scope.spawn(move || {
                    while slot.is_some() {
                        let chunk_idx = next_chunk_idx.fetch_add(1, Ordering::Relaxed);
                        let Some(chunk) = chunks.get(chunk_idx) else {
                            break;
                        };
                        let first_task_idx = chunk_idx * chunk_size;
                        let outcomes =
                            run_chunk_on_slot(slot, worker_idx, worker_program, job, chunk);
                        let mut results = results.lock().unwrap_or_else(|e| e.into_inner());
                        for (offset, outcome) in outcomes.into_iter().enumerate() {
                            results[first_task_idx + offset] = Some((worker_idx, outcome));
                        }
                    }
                });
            }
        });
        let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok(results
            .into_iter()
            .map(|result| {
                let Some((worker_idx, outcome)) = result else {
                    return Err(TaskError::NotRun(
                        "every worker died and none could be restarted".to_owned(),
                    ));
                };
                let value = outcome?;
                serde_json::from_value(value.clone()).map_err(|error| TaskError::UnreadableReply {
                    worker_idx,
                    reason: format!("the result {value} is not of the expected type: {error}"),
                })
            })
            .collect())
    }

    /// Closes every worker's stdin, so that each sees the end of its input
    /// and exits, then waits for every one. An error names the first worker
    /// that did not exit successfully.
    pub fn close(mut self) -> Result<(), ProcessError> {
        self.shut_down()
    }

    fn shut_down(&mut self) -> Result<(), ProcessError> {
        // Taking the workers out makes a second call (`close`, then `drop`)
        // find nothing left to do.
        let workers = mem::take(&mut self.workers);
        // Close every stdin before waiting for any worker, so that they all
        // see the end of their input and wind down at once rather than one
        // after another.
        let mut children = Vec::with_capacity(workers.len());
        for (worker_idx, worker) in workers.into_iter().enumerate() {
            if let Some(PoolWorker {
                child,
                to_worker,
                from_worker,
            }) = worker
            {
                drop(to_worker);
                drop(from_worker);
                children.push((worker_idx, child));
            }
        }
        let mut first_error = None;
        for (child_idx, mut child) in children {
            match child.wait() {
                Ok(status) if status.success() => {}
                Ok(status) => {
                    first_error.get_or_insert(ProcessError::ChildFailed {
                        child_idx,
                        status,
                        stderr: "(a pool worker's standard error is not captured)".to_owned(),
                    });
                }
                Err(source) => {
                    first_error.get_or_insert(ProcessError::Io {
                        child_idx,
                        action: "wait for",
                        source,
                    });
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

/// Runs one chunk on the worker in `slot`: its results, or, if the worker
/// died or answered garbage, one error per task, after which the slot holds
/// a fresh worker (or nothing, if none could be started).
fn run_chunk_on_slot(
    slot: &mut Option<PoolWorker>,
    worker_idx: usize,
    worker_program: &Path,
    job: &str,
    chunk: &[Value],
) -> Vec<Result<Value, TaskError>> {
    let Some(worker) = slot.as_mut() else {
        unreachable!("only a slot with a worker takes chunks")
    };
    let request = ChunkRequest {
        job: job.to_owned(),
        tasks: chunk.to_vec(),
    };
    let request = serde_json::to_vec(&request).expect("JSON values always serialize");
    let failure = match worker.run_chunk(&request, chunk.len()) {
        Ok(reply) => {
            return reply
                .results
                .into_iter()
                .map(|result| result.map_err(TaskError::JobFailed))
                .collect();
        }
        Err(ChunkFailure::Died(status)) => TaskError::WorkerDied { worker_idx, status },
        Err(ChunkFailure::Unreadable(reason)) => TaskError::UnreadableReply { worker_idx, reason },
    };
    // The old worker was reaped; a new one takes its place.
    *slot = PoolWorker::start(worker_program).ok();
    vec![Err(failure); chunk.len()]
}

impl Drop for Pool {
    /// Ends every worker as [`Pool::close`] does, ignoring failures.
    fn drop(&mut self) {
        let _ = self.shut_down();
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("worker_program", &self.worker_program)
            .field("worker_pids", &self.worker_pids())
            .finish()
    }
}
