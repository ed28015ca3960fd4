//! Exercise 4: the process pool. Frames survive short reads and tell a
//! clean end of file from a truncated frame; the worker answers each
//! request frame at once and exits on end of file; `map` returns results in
//! input order for any chunk size and worker count, sends whole chunks to
//! long-lived workers, keeps every worker busy, carries big frames intact
//! and turns a crashed worker into errors for its chunk's tasks only; the
//! pool ends and reaps every worker when closed or dropped.
//!
//! The suite frames and decodes the worker's conversation with its own
//! code (below), so the worker side is checked independently of the graded
//! frame functions. Every call that could hang (a pool waiting for a reply
//! that never comes, a drop waiting for a worker that never exits) runs
//! under a time limit, and every process a test starts itself is killed and
//! reaped by a guard on every path.

use std::io::{self, Cursor, ErrorKind, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use grader::harness::{call_graded, call_graded_within_limit};
use lab5_multiprocessing::{
    MAX_FRAME_BYTES, POOL_WORKER_SUBCOMMAND, Pool, ProcessError, TaskError, read_frame, write_frame,
};

use serde_json::{Value, json};

use crate::support::ChildGuard;

/// How long a pool call may take before a test calls it hung. Correct calls
/// here take milliseconds (the slowest sleeps 800 ms on purpose), also on a
/// loaded machine; the known hangs (a drop waiting for a worker that
/// ignores end of file, a map waiting for a dead worker) never end.
pub const POOL_HANG_LIMIT: Duration = Duration::from_secs(3);

/// The lab's worker program, built by the grader from the graded crate.
pub fn worker_program() -> PathBuf {
    grader::harness::worker_program()
}

/// Runs `body` (which owns a pool) on a helper thread with
/// [`POOL_HANG_LIMIT`]; a hang fails the test with `what` and `hint`.
pub fn within_limit<R: Send + 'static>(
    what: &str,
    hint: &str,
    body: impl FnOnce() -> R + Send + 'static,
) -> R {
    call_graded_within_limit(what, hint, POOL_HANG_LIMIT, body)
}

/// Starts a pool of `n_workers`, failing the test with the error if it
/// cannot.
pub fn start_pool(n_workers: usize) -> Pool {
    let worker = worker_program();
    let call = format!("Pool::new(worker, {n_workers})");
    match call_graded(&call, || Pool::new(&worker, n_workers)) {
        Ok(pool) => pool,
        Err(error) => panic!("{call} failed: {error}"),
    }
}

/// `pool.map(job, tasks, chunk_size)`, failing the test if the map itself
/// fails or returns the wrong number of results. (A macro, so that the
/// task and result types are inferred without naming serde's traits.)
macro_rules! map_ok {
    ($pool:expr, $job:expr, $tasks:expr, $chunk_size:expr) => {{
        let (job, tasks, chunk_size) = ($job, $tasks, $chunk_size);
        let call = format!(
            "pool.map({job:?}, {} tasks, chunk_size {chunk_size})",
            tasks.len()
        );
        let outcome = grader::harness::call_graded(&call, || $pool.map(job, tasks, chunk_size));
        $crate::ex4_pool::checked_map(&call, tasks.len(), outcome)
    }};
}

/// The results of a map made by `call` of `n_tasks` tasks, failing the
/// test if the map failed or lost tasks.
pub fn checked_map<R>(
    call: &str,
    n_tasks: usize,
    outcome: Result<Vec<Result<R, TaskError>>, ProcessError>,
) -> Vec<Result<R, TaskError>> {
    let results = outcome.unwrap_or_else(|error| panic!("{call} failed: {error}"));
    assert_eq!(
        results.len(),
        n_tasks,
        "tasks lost: {call} returned {} results for {n_tasks} tasks; every task needs a result \
         or an error (a chunk whose worker died must come back as one error per task)",
        results.len(),
    );
    results
}

/// Drops `pool`, failing the test if that takes longer than it should or
/// leaves a process behind.
pub fn drop_pool_and_check_no_worker_is_left(pool: Pool, after: &str) {
    drop(pool);
    labkit::assert_no_children_left(after);
}

const DROP_HANG_HINT: &str = "dropping the pool must close every worker's stdin and then wait \
     for each worker; a worker must exit when it reads a clean end of file (read_frame returning \
     Ok(None)), not loop or wait for more work";

// ---------------------------------------------------------------------------
// The suite's own frames, independent of the graded ones.
// ---------------------------------------------------------------------------

fn suite_frame(payload: &[u8]) -> Vec<u8> {
    let mut frame = (payload.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(payload);
    frame
}

/// Reads one frame (`None` at a clean end of file) with plain blocking
/// reads, for the suite's side of a conversation with a worker.
fn suite_read_frame(reader: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut header = [0_u8; 4];
    let mut filled = 0;
    while filled < 4 {
        match reader.read(&mut header[filled..])? {
            0 if filled == 0 => return Ok(None),
            0 => {
                return Err(io::Error::new(
                    ErrorKind::UnexpectedEof,
                    "end of file inside a header",
                ));
            }
            n_read => filled += n_read,
        }
    }
    let mut payload = vec![0_u8; u32::from_be_bytes(header) as usize];
    reader.read_exact(&mut payload)?;
    Ok(Some(payload))
}

/// A reader that hands out at most `max_bytes` per `read` and fails every
/// third call with `Interrupted`, as a pipe under signals may.
struct TrickleReader {
    bytes: Cursor<Vec<u8>>,
    max_bytes: usize,
    n_calls: u64,
}

impl Read for TrickleReader {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        self.n_calls += 1;
        if self.n_calls % 3 == 0 {
            return Err(io::Error::new(
                ErrorKind::Interrupted,
                "interrupted by a signal",
            ));
        }
        let len = buffer.len().min(self.max_bytes);
        self.bytes.read(&mut buffer[..len])
    }
}

/// A writer that accepts at most 3 bytes per `write`.
struct ShortWriter(Vec<u8>);

impl Write for ShortWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let len = bytes.len().min(3);
        self.0.extend_from_slice(&bytes[..len]);
        Ok(len)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Deterministic text of `len` letters, different for each `seed`.
fn letters(len: usize, seed: u64) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'a' + (state % 26) as u8)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Frames.
// ---------------------------------------------------------------------------

pub fn frames_survive_short_reads_and_interrupted_reads() {
    let payloads: Vec<Vec<u8>> = [0, 1, 3, 4, 5, 300, 70_000]
        .iter()
        .map(|&len| letters(len, len as u64).into_bytes())
        .collect();
    let mut written = ShortWriter(Vec::new());
    for payload in &payloads {
        call_graded("write_frame(writer, payload)", || {
            write_frame(&mut written, payload)
        })
        .unwrap_or_else(|error| panic!("write_frame failed: {error}"));
    }
    let expected: Vec<u8> = payloads
        .iter()
        .flat_map(|payload| suite_frame(payload))
        .collect();
    assert!(
        written.0 == expected,
        "write_frame wrote {} bytes for frames of {:?} bytes, expected {}: a frame is the \
         payload's length as 4 big-endian bytes, then the payload; and a writer may accept only \
         part of a buffer per `write` (use write_all)",
        written.0.len(),
        payloads.iter().map(Vec::len).collect::<Vec<_>>(),
        expected.len()
    );
    for max_bytes in [1, 2, 5, 4096] {
        let mut reader = TrickleReader {
            bytes: Cursor::new(expected.clone()),
            max_bytes,
            n_calls: 0,
        };
        for payload in &payloads {
            let frame = call_graded("read_frame(reader)", || read_frame(&mut reader));
            match frame {
                Ok(Some(frame)) if frame == *payload => {}
                Ok(Some(frame)) => panic!(
                    "short reads: read_frame returned {} bytes for a frame of {} from a reader \
                     that gives at most {max_bytes} byte(s) per read; one read need not return a \
                     whole frame, nor even a whole header: loop until every byte is in",
                    frame.len(),
                    payload.len()
                ),
                Ok(None) => panic!(
                    "read_frame returned Ok(None) (end of file) in the middle of a stream, with \
                     a reader that gives at most {max_bytes} byte(s) per read and sometimes fails \
                     with Interrupted"
                ),
                Err(error) if error.kind() == ErrorKind::Interrupted => panic!(
                    "read_frame gave up on an Interrupted read ({error}); a read interrupted by \
                     a signal read nothing and must simply be retried, as read_exact does"
                ),
                Err(error) => panic!(
                    "short reads: read_frame failed ({:?}: {error}) on a whole frame of {} \
                     bytes, from a reader that gives at most {max_bytes} byte(s) per read; one \
                     read may return fewer bytes than asked, even inside the 4-byte header: \
                     loop until all of them are in",
                    error.kind(),
                    payload.len()
                ),
            }
        }
        let end = call_graded("read_frame(reader) at the end", || read_frame(&mut reader));
        assert!(
            matches!(end, Ok(None)),
            "after the last frame, read_frame must return Ok(None) (a clean end of file), got \
             {end:?}"
        );
    }
}

pub fn read_frame_tells_a_clean_end_of_file_from_a_truncated_or_oversized_frame() {
    let read_bytes = |bytes: Vec<u8>| {
        call_graded("read_frame(reader)", move || {
            read_frame(&mut Cursor::new(bytes))
        })
    };
    let empty = read_bytes(Vec::new());
    assert!(
        matches!(empty, Ok(None)),
        "read_frame on an empty stream returned {empty:?}; an end of file before the first \
         header byte is a clean end: Ok(None)"
    );
    let whole = suite_frame(b"0123456789");
    for (cut_at, place) in [
        (2, "inside the header"),
        (4, "right after the header"),
        (9, "inside the payload"),
    ] {
        let result = read_bytes(whole[..cut_at].to_vec());
        match result {
            Err(error) if error.kind() == ErrorKind::UnexpectedEof => {}
            other => panic!(
                "a truncated frame went unnoticed: a stream ending {place} (after {cut_at} of a \
                 14-byte frame's bytes) must be an UnexpectedEof error, not {other:?}: only an \
                 end before a header's first byte is a clean end of file"
            ),
        }
    }
    for announced in [MAX_FRAME_BYTES as u32 + 1, u32::MAX] {
        let mut bytes = announced.to_be_bytes().to_vec();
        bytes.extend_from_slice(b"short");
        let result = read_bytes(bytes);
        assert!(
            matches!(&result, Err(error) if error.kind() == ErrorKind::InvalidData),
            "a header announcing {announced} bytes (over MAX_FRAME_BYTES = {MAX_FRAME_BYTES}) \
             must be an InvalidData error, checked before allocating the payload; got {result:?}"
        );
    }
    let oversized = vec![0_u8; MAX_FRAME_BYTES + 1];
    let written = call_graded("write_frame(sink, MAX_FRAME_BYTES + 1 bytes)", || {
        write_frame(&mut io::sink(), &oversized)
    });
    assert!(
        matches!(&written, Err(error) if error.kind() == ErrorKind::InvalidInput),
        "write_frame of MAX_FRAME_BYTES + 1 bytes must be an InvalidInput error, got {written:?}"
    );
}

// ---------------------------------------------------------------------------
// The worker side, driven directly.
// ---------------------------------------------------------------------------

pub fn pool_worker_answers_each_request_frame_at_once_and_exits_on_end_of_file() {
    let worker = worker_program();
    let mut child = Command::new(&worker)
        .arg(POOL_WORKER_SUBCOMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("suite: cannot start {}: {error}", worker.display()));
    let (Some(mut to_worker), Some(mut from_worker)) = (child.stdin.take(), child.stdout.take())
    else {
        unreachable!("both pipes were asked for")
    };
    let mut guard = ChildGuard { child };
    let requests = [
        (
            json!({"job": "square", "tasks": [2, 3, 12]}),
            json!({"results": [{"Ok": 4}, {"Ok": 9}, {"Ok": 144}]}),
        ),
        (
            json!({"job": "echo", "tasks": ["frame", [1, 2]]}),
            json!({"results": [{"Ok": "frame"}, {"Ok": [1, 2]}]}),
        ),
        (
            json!({"job": "square", "tasks": []}),
            json!({"results": []}),
        ),
    ];
    // The conversation runs on a helper thread so that a worker that never
    // answers (a reply left in its output buffer) is a clear failure; the
    // guard stays here and kills the worker on every path.
    let conversation = within_limit(
        "a conversation with `worker pool-worker`",
        "the worker did not answer a request frame: after writing each reply frame it must \
         flush its output, since the parent waits for the reply before sending more",
        move || {
            let mut replies = Vec::new();
            for (request, _) in &requests {
                let payload = serde_json::to_vec(request).expect("JSON serializes");
                to_worker
                    .write_all(&suite_frame(&payload))
                    .expect("suite: write a request");
                to_worker.flush().expect("suite: flush a request");
                let reply = suite_read_frame(&mut from_worker);
                replies.push(
                    reply.map(|frame| frame.map(|bytes| serde_json::from_slice::<Value>(&bytes))),
                );
            }
            drop(to_worker);
            let mut rest = Vec::new();
            let _ = from_worker.read_to_end(&mut rest);
            (requests, replies, rest)
        },
    );
    let (requests, replies, rest) = conversation;
    for ((request, expected), reply) in requests.iter().zip(replies) {
        match reply {
            Ok(Some(Ok(reply))) => assert!(
                reply == *expected,
                "the worker answered the request {request} with {reply}, expected {expected} \
                 (a ChunkReply: one result per task, in order)"
            ),
            Ok(Some(Err(error))) => panic!(
                "the worker answered the request {request} with a frame that is not JSON \
                 ({error}); a reply frame holds serde_json::to_vec(&ChunkReply) and nothing else"
            ),
            Ok(None) => panic!(
                "the worker closed its output instead of answering the request {request}; \
                 its status: {:?}",
                guard.child.wait()
            ),
            Err(error) => panic!(
                "the worker's answer to {request} is not a whole frame ({error}); write the \
                 4-byte big-endian length, then the payload, and print nothing else on stdout"
            ),
        }
    }
    assert!(
        rest.is_empty(),
        "after its last reply the worker wrote {} more bytes on stdout ({:?}...); stdout \
         carries only reply frames",
        rest.len(),
        String::from_utf8_lossy(&rest[..rest.len().min(60)])
    );
    // Polled here rather than waited for on a helper thread, so that the
    // guard kills a worker that never exits.
    let give_up = Instant::now() + POOL_HANG_LIMIT;
    let status = loop {
        match guard.child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < give_up => thread::sleep(Duration::from_millis(5)),
            Ok(None) => panic!(
                "hang: the worker did not exit within {} s of its stdin ending; a clean end of \
                 file (read_frame returning Ok(None)) means there is no more work, so \
                 serve_pool_worker must return",
                POOL_HANG_LIMIT.as_secs()
            ),
            Err(error) => panic!("suite: cannot wait for the worker: {error}"),
        }
    };
    assert!(
        status.success(),
        "the worker exited with {status} after its stdin ended cleanly; a clean end of file is \
         the normal end of a pool worker: exit with status 0"
    );
}

// ---------------------------------------------------------------------------
// map.
// ---------------------------------------------------------------------------

pub fn map_returns_results_in_input_order_when_chunks_finish_out_of_order() {
    within_limit(
        "pool.map(\"sleep-ms\", ...)",
        "a map of sleeping tasks never returned",
        || {
            let mut pool = start_pool(2);
            // The first chunk sleeps long; the other worker finishes every
            // later chunk before it, so completion order differs from
            // input order.
            for (tasks, chunk_size) in [
                (vec![300_u64, 1, 2, 3, 4, 5, 6, 7], 1),
                (vec![300, 1, 2, 3, 4, 5, 6, 7], 2),
            ] {
                let results: Vec<Result<u64, TaskError>> =
                    map_ok!(pool, "sleep-ms", &tasks, chunk_size);
                let values: Vec<Option<u64>> = results
                    .iter()
                    .map(|result| result.as_ref().ok().copied())
                    .collect();
                let expected: Vec<Option<u64>> = tasks.iter().copied().map(Some).collect();
                assert!(
                    values == expected,
                    "results out of order: pool.map(\"sleep-ms\", {tasks:?}, {chunk_size}) \
                     returned {values:?}; each result belongs at its task's index, whatever \
                     order the chunks finish in (here the first chunk finishes last)"
                );
            }
            drop_pool_and_check_no_worker_is_left(pool, "dropping the pool");
        },
    );
}

pub fn map_gives_the_serial_results_for_every_chunk_size_and_worker_count() {
    within_limit(
        "pool.map(\"square\", ...)",
        "a map of squares never returned",
        || {
            let mut tasks: Vec<u64> = (0..150).collect();
            // A job error in the middle: it must stay at its own index.
            tasks[77] = 1 << 33;
            for n_workers in [1, 2, 3] {
                let mut pool = start_pool(n_workers);
                for chunk_size in [1, 2, 7, 150, 1000] {
                    let results: Vec<Result<u64, TaskError>> =
                        map_ok!(pool, "square", &tasks, chunk_size);
                    for (task_idx, (task, result)) in tasks.iter().zip(&results).enumerate() {
                        let right = match result {
                            Ok(square) => task_idx != 77 && *square == task * task,
                            Err(TaskError::JobFailed(_)) => task_idx == 77,
                            Err(_) => false,
                        };
                        assert!(
                            right,
                            "wrong result with {n_workers} workers and chunk size {chunk_size}: \
                         task {task_idx} ({task}) of \"square\" gave {result:?}, expected {}",
                            if task_idx == 77 {
                                "Err(TaskError::JobFailed(..)) (the square overflows u64)"
                                    .to_owned()
                            } else {
                                format!("Ok({})", task * task)
                            }
                        );
                    }
                }
                let none: Vec<Result<u64, TaskError>> = map_ok!(pool, "square", &[] as &[u64], 4);
                assert!(none.is_empty());
                drop_pool_and_check_no_worker_is_left(pool, "dropping the pool");
            }
        },
    );
}

pub fn map_sends_whole_chunks_to_long_lived_workers() {
    within_limit(
        "pool.map(\"worker-pid-and-count\", ...)",
        "a map never returned",
        || {
            let mut pool = start_pool(2);
            let pids_at_start = pool.worker_pids();
            assert_eq!(
                pids_at_start.len(),
                2,
                "Pool::new(worker, 2).worker_pids() = {pids_at_start:?}"
            );
            let chunk_size = 4;
            // How many tasks each worker process had run before each map.
            let mut counts_so_far = std::collections::BTreeMap::<u64, u64>::new();
            for round in 0..2 {
                let tasks: Vec<u64> = (0..24).collect();
                let results: Vec<Result<(u64, u64), TaskError>> =
                    map_ok!(pool, "worker-pid-and-count", &tasks, chunk_size);
                let results: Vec<(u64, u64)> = results
                    .into_iter()
                    .enumerate()
                    .map(|(task_idx, result)| {
                        result.unwrap_or_else(|error| panic!("task {task_idx} failed: {error}"))
                    })
                    .collect();
                for (chunk_idx, chunk) in results.chunks(chunk_size).enumerate() {
                    let (pid, first_count) = chunk[0];
                    let whole = chunk
                        .iter()
                        .enumerate()
                        .all(|(offset, &(other_pid, count))| {
                            other_pid == pid && count == first_count + offset as u64
                        });
                    assert!(
                        whole,
                        "chunks split up: the tasks of chunk {chunk_idx} (tasks {}..{}) ran as \
                         (worker pid, tasks that worker had run) = {chunk:?}; each chunk of \
                         chunk_size tasks must go to one worker in one request",
                        chunk_idx * chunk_size,
                        chunk_idx * chunk_size + chunk.len()
                    );
                    assert!(
                        pids_at_start.contains(&(pid as u32)),
                        "a task ran in process {pid}, which is not one of the pool's workers \
                         {pids_at_start:?}: the pool must keep its workers alive and reuse \
                         them, not start a process per chunk or per map (round {round})"
                    );
                }
                for &(pid, count) in &results {
                    let seen = counts_so_far.entry(pid).or_insert(0);
                    assert!(
                        count > *seen,
                        "worker {pid} restarted its count: it reported {count} tasks run after \
                         it had run {seen}; workers must live as long as the pool"
                    );
                    *seen = count;
                }
            }
            assert_eq!(
                pool.worker_pids(),
                pids_at_start,
                "the workers changed between maps although none died"
            );
            drop_pool_and_check_no_worker_is_left(pool, "dropping the pool");
        },
    );
}

pub fn map_keeps_every_worker_busy_at_once() {
    within_limit(
        "pool.map(\"sleep-ms\", ...)",
        "a map never returned",
        || {
            // Four 250 ms sleeps take about 1 s on one worker and 0.5 s on
            // two that work at once; a pool whose workers take turns needs
            // 1 s either way. Sleeping needs no CPU, so the ratio holds on a
            // loaded machine, but a worker may be slow to start there: each
            // pool runs a small map before the timed one, and the timing is
            // tried twice, keeping the better ratio.
            let tasks = [250_u64; 4];
            let time_map = |n_workers: usize| {
                let mut pool = start_pool(n_workers);
                let _: Vec<Result<u64, TaskError>> = map_ok!(pool, "square", &[1_u64, 2, 3], 1);
                let started = Instant::now();
                let results: Vec<Result<u64, TaskError>> = map_ok!(pool, "sleep-ms", &tasks, 1);
                let elapsed = started.elapsed();
                assert!(
                    results.iter().all(|result| result == &Ok(250)),
                    "pool.map(\"sleep-ms\", [250; 4], 1) = {results:?}"
                );
                drop_pool_and_check_no_worker_is_left(pool, "dropping the pool");
                elapsed
            };
            let mut attempts = Vec::new();
            for _ in 0..2 {
                let (one, two) = (time_map(1), time_map(2));
                let ratio = two.as_secs_f64() / one.as_secs_f64();
                if ratio < 0.8 {
                    return;
                }
                attempts.push(format!(
                    "{one:?} with 1 worker and {two:?} with 2 (ratio {ratio:.2})"
                ));
            }
            panic!(
                "workers take turns: four 250 ms sleeps took {}, expected a ratio of about 0.5; \
                 send chunks to every free worker at once, not one request at a time",
                attempts.join(", then ")
            );
        },
    );
}

pub fn large_frames_cross_the_pipes_intact() {
    within_limit(
        "pool.map(\"echo\", big strings)",
        "a map of big frames never returned: a reader that expects a whole frame from one \
         read() waits forever for the rest, or mistakes part of a frame for a new header",
        || {
            let tasks: Vec<String> = [1 << 20, 300_000, 5, 2 << 20, 70_000]
                .iter()
                .enumerate()
                .map(|(idx, &len)| letters(len, idx as u64 + 11))
                .collect();
            let mut pool = start_pool(2);
            let results: Vec<Result<String, TaskError>> = map_ok!(pool, "echo", &tasks, 2);
            for (task_idx, (task, result)) in tasks.iter().zip(&results).enumerate() {
                match result {
                    Ok(echoed) if echoed == task => {}
                    Ok(echoed) => panic!(
                        "task {task_idx}, a string of {} bytes, came back changed ({} bytes)",
                        task.len(),
                        echoed.len()
                    ),
                    Err(error) => panic!(
                        "big frames broke: task {task_idx}, a string of {} bytes echoed in \
                         chunks of 2, failed: {error}; a pipe delivers a big frame in pieces \
                         of at most 64 KiB, so read until the whole frame is in",
                        task.len()
                    ),
                }
            }
            drop_pool_and_check_no_worker_is_left(pool, "dropping the pool");
        },
    );
}

/// Fails unless `result` is a [`TaskError::WorkerDied`] whose status
/// satisfies `status_is_right`.
fn check_worker_died(
    result: &Result<i64, TaskError>,
    task_idx: usize,
    what: &str,
    status_is_right: impl Fn(ExitStatus) -> bool,
) {
    match result {
        Err(TaskError::WorkerDied { status, .. }) if status_is_right(*status) => {}
        Err(TaskError::WorkerDied { status, .. }) => panic!(
            "task {task_idx} is WorkerDied with {status}, but the worker {what}; wait for the \
             dead worker and report the status it ended with"
        ),
        other => panic!(
            "crash unreported: task {task_idx} was in the chunk of a worker that {what}, so it \
             must be Err(TaskError::WorkerDied {{ .. }}), got {other:?}"
        ),
    }
}

pub fn a_crashed_worker_is_an_error_for_each_task_of_its_chunk_and_the_pool_goes_on() {
    within_limit(
        "pool.map(\"abort-if-negative\", ...)",
        "a map with a crashing worker never returned: the parent waits for a reply a dead \
         worker will never send; an end of file where a reply should be means the worker died",
        || {
            let mut pool = start_pool(2);
            let pids_before = pool.worker_pids();
            let tasks: Vec<i64> = vec![1, 2, 3, -4, 5, 6, 7, 8, 9, 10];
            let results: Vec<Result<i64, TaskError>> =
                map_ok!(pool, "abort-if-negative", &tasks, 3);
            for (task_idx, (task, result)) in tasks.iter().zip(&results).enumerate() {
                if (3..6).contains(&task_idx) {
                    check_worker_died(result, task_idx, "was killed by SIGABRT", |status| {
                        status.signal() == Some(6)
                    });
                } else {
                    assert!(
                        result == &Ok(*task),
                        "task {task_idx} ({task}) was not in the crashed chunk (tasks 3..6) and \
                         must succeed, got {result:?}: only the dead worker's chunk is lost"
                    );
                }
            }
            let pids_after = pool.worker_pids();
            assert!(
                pool.n_workers() == 2 && pids_after.len() == 2,
                "after a worker crashed, the pool has {} workers ({pids_after:?}); replace the \
                 dead worker with a new one",
                pool.n_workers()
            );
            assert!(
                pids_after
                    .iter()
                    .filter(|pid| !pids_before.contains(pid))
                    .count()
                    == 1,
                "one worker died, so exactly one worker should be new: before {pids_before:?}, \
                 after {pids_after:?}"
            );
            let exits: Vec<Result<i64, TaskError>> =
                map_ok!(pool, "exit-if-negative", &[5, -1, 6], 1);
            check_worker_died(&exits[1], 1, "exited with status 3", |status| {
                status.code() == Some(3)
            });
            assert!(
                exits[0] == Ok(5) && exits[2] == Ok(6),
                "pool.map(\"exit-if-negative\", [5, -1, 6], 1) = {exits:?}: only task 1 may fail"
            );
            drop_pool_and_check_no_worker_is_left(pool, "dropping a pool whose workers crashed");

            // One worker, crashing on the first chunk: the replacement runs
            // the rest.
            let mut pool = start_pool(1);
            let results: Vec<Result<i64, TaskError>> =
                map_ok!(pool, "abort-if-negative", &[-1, 2, 3], 1);
            check_worker_died(&results[0], 0, "was killed by SIGABRT", |status| {
                status.signal() == Some(6)
            });
            assert!(
                results[1] == Ok(2) && results[2] == Ok(3),
                "a pool of one worker that crashed on task 0 must replace it and run tasks 1 \
                 and 2: {results:?}"
            );
            drop_pool_and_check_no_worker_is_left(pool, "dropping a pool whose worker crashed");
        },
    );
}

pub fn dropping_or_closing_the_pool_ends_and_reaps_every_worker() {
    within_limit("dropping a pool of 3 workers", DROP_HANG_HINT, || {
        let mut pool = start_pool(3);
        let _: Vec<Result<u64, TaskError>> = map_ok!(pool, "square", &[1_u64, 2, 3, 4], 1);
        drop_pool_and_check_no_worker_is_left(pool, "dropping a pool of 3 workers");
    });
    within_limit(
        "dropping a pool that never ran a map",
        DROP_HANG_HINT,
        || {
            let pool = start_pool(2);
            drop_pool_and_check_no_worker_is_left(pool, "dropping a pool that never ran a map");
        },
    );
    let closed = within_limit("pool.close()", DROP_HANG_HINT, || {
        let mut pool = start_pool(2);
        let _: Vec<Result<u64, TaskError>> = map_ok!(pool, "square", &[5_u64, 6], 1);
        let closed = call_graded("pool.close()", || pool.close());
        labkit::assert_no_children_left("pool.close()");
        closed
    });
    assert!(
        closed.is_ok(),
        "pool.close() returned {closed:?}; workers whose stdin is closed exit with status 0 on \
         their own: close every stdin, then wait (do not kill them)"
    );
}

pub fn impossible_pool_requests_are_errors_not_panics() {
    within_limit("impossible pool requests", DROP_HANG_HINT, || {
        let worker = worker_program();
        let zero = call_graded("Pool::new(worker, 0)", || Pool::new(&worker, 0));
        assert!(
            matches!(zero, Err(ProcessError::InvalidRequest(_))),
            "Pool::new(worker, 0) = {zero:?}; expected Err(ProcessError::InvalidRequest(..))"
        );
        let missing = worker.with_file_name("no-such-worker-program");
        let not_started = call_graded("Pool::new(missing program, 2)", || Pool::new(&missing, 2));
        assert!(
            matches!(not_started, Err(ProcessError::CouldNotStart { .. })),
            "Pool::new(missing program, 2) = {not_started:?}; expected \
             Err(ProcessError::CouldNotStart {{ .. }})"
        );
        let mut pool = start_pool(2);
        let chunk_zero = call_graded("pool.map(\"square\", [1, 2], 0)", || {
            pool.map::<u64, u64>("square", &[1, 2], 0)
        });
        assert!(
            matches!(chunk_zero, Err(ProcessError::InvalidRequest(_))),
            "pool.map(\"square\", [1, 2], 0) = {chunk_zero:?}; a chunk size of 0 can never \
             send a task: expected Err(ProcessError::InvalidRequest(..))"
        );
        let unknown = call_graded("pool.map(\"cube\", [1, 2], 1)", || {
            pool.map::<u64, u64>("cube", &[1, 2], 1)
        });
        assert!(
            matches!(unknown, Err(ProcessError::InvalidRequest(_))),
            "pool.map(\"cube\", [1, 2], 1) = {unknown:?}; no worker knows a job `cube` \
             (find_job): expected Err(ProcessError::InvalidRequest(..))"
        );
        let results: Vec<Result<u64, TaskError>> = map_ok!(pool, "square", &[3_u64], 1);
        assert_eq!(
            results,
            [Ok(9)],
            "the pool must still work after refused requests"
        );
        drop_pool_and_check_no_worker_is_left(pool, "dropping the pool");
    });
}
