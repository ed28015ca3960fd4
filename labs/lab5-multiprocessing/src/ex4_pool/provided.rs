//! Exercise 4, provided complete: the `pool-worker` sub-command around
//! the worker's loop, the wire types, the job registry and the per-task
//! error. One file serves the student crate and the reference solution.

use super::*;

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: POOL_WORKER_SUBCOMMAND,
    usage: "(no arguments; reads request frames on stdin, writes reply frames on stdout)",
    run: run_pool_worker,
}];

/// The sub-command that makes the worker program a pool worker.
pub const POOL_WORKER_SUBCOMMAND: &str = "pool-worker";

/// The largest payload a frame may carry, in bytes (64 MiB).
pub const MAX_FRAME_BYTES: usize = 64 * 1024 * 1024;

/// The size of a frame's header: the payload's length as a big-endian `u32`.
pub const FRAME_HEADER_BYTES: usize = 4;

// ---------------------------------------------------------------------------
// Provided: the wire types, the job registry and the per-task error.
// ---------------------------------------------------------------------------

/// What the parent sends a pool worker in one frame: a job's name and one
/// chunk of tasks, each serialized as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChunkRequest {
    pub job: String,
    pub tasks: Vec<Value>,
}

/// What a pool worker answers in one frame: one result per task of the
/// request, in the request's order. `Err` holds the job's own error message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChunkReply {
    pub results: Vec<Result<Value, String>>,
}

/// One job a pool worker knows, by name. A child process cannot receive a
/// closure (there is no shared memory to point into), so the parent names
/// the function and the worker looks it up here, in its own copy of the
/// program: the same reason Python's `multiprocessing` pickles a function
/// by its module and name.
#[derive(Debug, Clone, Copy)]
pub struct Job {
    pub name: &'static str,
    /// What a task and its result are, for messages and documentation.
    pub description: &'static str,
    pub run: fn(Value) -> Result<Value, String>,
}

/// Every job a pool worker can run.
pub const JOBS: &[Job] = &[
    Job {
        name: "square",
        description: "task: a whole number n below 2^32; result: n * n",
        run: square_job,
    },
    Job {
        name: "sleep-ms",
        description: "task: a number of milliseconds; sleeps that long, result: the same number",
        run: sleep_ms_job,
    },
    Job {
        name: "echo",
        description: "task: any value; result: the same value",
        run: Ok,
    },
    Job {
        name: "worker-pid-and-count",
        description: "task: any value; result: [the worker's process id, how many tasks this \
                      worker process has run, this one included]",
        run: worker_pid_and_count_job,
    },
    Job {
        name: "abort-if-negative",
        description: "task: an integer; a negative one kills the worker with SIGABRT, \
                      otherwise result: the same integer",
        run: abort_if_negative_job,
    },
    Job {
        name: "exit-if-negative",
        description: "task: an integer; a negative one makes the worker exit with status 3, \
                      otherwise result: the same integer",
        run: exit_if_negative_job,
    },
    Job {
        name: "sum-of-primes-below",
        description: "task: a whole number n; result: the sum of the primes below n \
                      (exercise 8's sum_of_primes_below)",
        run: sum_of_primes_below_job,
    },
    Job {
        name: "convert-document",
        description: "task: a ConversionTask (exercise 9); converts one JSON document to text, \
                      result: the number of bytes written",
        run: crate::ex9_documents::convert_document_job,
    },
];

/// The job named `name`, if a pool worker knows it.
pub fn find_job(name: &str) -> Option<&'static Job> {
    JOBS.iter().find(|job| job.name == name)
}

/// Runs the job named `job_name` on one task, as a pool worker does.
pub fn run_job(job_name: &str, task: Value) -> Result<Value, String> {
    match find_job(job_name) {
        Some(job) => (job.run)(task),
        None => Err(format!("unknown job `{job_name}`")),
    }
}

/// The names of every job, for messages.
pub fn job_names() -> Vec<&'static str> {
    JOBS.iter().map(|job| job.name).collect()
}

fn task_as<T: DeserializeOwned>(task: Value, expected: &str) -> Result<T, String> {
    serde_json::from_value(task.clone()).map_err(|_| format!("the task {task} is not {expected}"))
}

fn square_job(task: Value) -> Result<Value, String> {
    let number: u64 = task_as(task, "a whole number")?;
    match number.checked_mul(number) {
        Some(square) => Ok(square.into()),
        None => Err(format!("{number} squared does not fit in 64 bits")),
    }
}

fn sleep_ms_job(task: Value) -> Result<Value, String> {
    let millis: u64 = task_as(task, "a number of milliseconds")?;
    thread::sleep(Duration::from_millis(millis));
    Ok(millis.into())
}

/// How many tasks this process has run with `worker-pid-and-count`.
static TASKS_COUNTED: AtomicU64 = AtomicU64::new(0);

fn worker_pid_and_count_job(_task: Value) -> Result<Value, String> {
    let count = TASKS_COUNTED.fetch_add(1, Ordering::Relaxed) + 1;
    Ok(serde_json::json!([std::process::id(), count]))
}

fn abort_if_negative_job(task: Value) -> Result<Value, String> {
    let number: i64 = task_as(task, "an integer")?;
    if number < 0 {
        eprintln!("pool worker: task {number} is negative; aborting, as abort-if-negative asks");
        std::process::abort();
    }
    Ok(number.into())
}

fn exit_if_negative_job(task: Value) -> Result<Value, String> {
    let number: i64 = task_as(task, "an integer")?;
    if number < 0 {
        eprintln!("pool worker: task {number} is negative; exiting, as exit-if-negative asks");
        std::process::exit(3);
    }
    Ok(number.into())
}

fn sum_of_primes_below_job(task: Value) -> Result<Value, String> {
    let limit: u64 = task_as(task, "a whole number")?;
    // Exercise 8's own function: the pool only carries the work.
    Ok(crate::ex8_primes::sum_of_primes_below(limit).into())
}

/// Why one task of [`Pool::map`] has no result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskError {
    /// The job ran and returned this error (the task was not what the job
    /// takes, or the job itself failed).
    JobFailed(String),
    /// The worker holding this task's chunk died before it replied (it
    /// crashed, was killed, or exited); `status` says how it ended.
    WorkerDied {
        worker_idx: usize,
        status: ExitStatus,
    },
    /// The worker's reply could not be read as this task's result (an
    /// unreadable frame, a reply with the wrong number of results, or a
    /// result of the wrong type).
    UnreadableReply { worker_idx: usize, reason: String },
    /// No worker was left to run the task: every worker died and none could
    /// be restarted.
    NotRun(String),
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::JobFailed(message) => write!(f, "the job failed: {message}"),
            TaskError::WorkerDied { worker_idx, status } => write!(
                f,
                "worker {worker_idx} died ({status}) while it held this task's chunk"
            ),
            TaskError::UnreadableReply { worker_idx, reason } => {
                write!(f, "worker {worker_idx} sent an unreadable reply: {reason}")
            }
            TaskError::NotRun(reason) => write!(f, "the task never ran: {reason}"),
        }
    }
}

impl std::error::Error for TaskError {}

/// `pool-worker`: serves requests on stdin and stdout until stdin ends.
fn run_pool_worker(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        return usage_error(&SUBCOMMANDS[0], "takes no arguments");
    }
    let mut input = io::stdin().lock();
    let mut output = io::BufWriter::new(io::stdout().lock());
    match serve_pool_worker(&mut input, &mut output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pool worker: {error}");
            ExitCode::FAILURE
        }
    }
}
