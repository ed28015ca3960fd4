//! Exercise 4: a worker pool over a task queue and a result queue.
//!
//! The lecture's multiplication service: producers emit tasks such as
//! `"7*8"`, a pool of workers evaluates them, and every answer comes back
//! with the id of its task. Two queues connect the three kinds of threads:
//!
//! ```text
//! producers --put--> [task queue] --get--> workers --put--> [result queue] --get--> collector
//! ```
//!
//! Nothing is shared but the two queues, and nothing needs a lock of its
//! own. The interesting part is the shutdown, which happens twice, in
//! order: when every producer is done, the task queue is closed, so the
//! workers finish; when every worker is done, the result queue is closed,
//! so the collector finishes.
//!
//! A task's text comes from outside the program. It is parsed as data,
//! never run as code (Python's `eval("7*8")` would also run
//! `"__import__('os').system(...)"`), and a task that does not parse gets
//! an error *result*: one bad task must not crash a worker, or the pool.

use std::fmt;

// The types below are provided complete.

/// The largest operand a task may have.
pub const MAX_OPERAND: u32 = 100;

/// One multiplication to do: `text` should read `"a*b"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// Unique among the tasks of one run.
    pub id: u64,
    /// The task as sent, for example `"7*8"`.
    pub text: String,
}

/// The outcome of one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskResult {
    /// The id of the task this answers.
    pub id: u64,
    /// The product, or why there is none.
    pub answer: Result<u32, TaskError>,
}

/// Why a task has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskError {
    /// The text is not two whole numbers joined by one `*`.
    Malformed,
    /// An operand is a whole number above [`MAX_OPERAND`].
    OperandOutOfRange,
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Malformed => {
                f.write_str("malformed task: expected two whole numbers joined by `*`")
            }
            TaskError::OperandOutOfRange => {
                write!(f, "an operand is larger than {MAX_OPERAND}")
            }
        }
    }
}

impl std::error::Error for TaskError {}

/// Evaluates a multiplication task: `text` must be `"a*b"`, where `a` and
/// `b` are whole numbers from 0 to [`MAX_OPERAND`] written in ASCII digits
/// (leading zeros are fine), each optionally surrounded by space
/// characters (`' '`; a tab is malformed).
///
/// - `"7*8"` is `Ok(56)`; `" 3 * 4 "` is `Ok(12)`; `"100*100"` is
///   `Ok(10000)`.
/// - `"7*"`, `"*8"`, `"a*b"`, `"3+4"`, `"3*4*5"`, `"-1*2"`, `"+1*2"`,
///   `"1.5*2"` and `""` are `Err(TaskError::Malformed)`.
/// - `"101*2"` is `Err(TaskError::OperandOutOfRange)`, and so is an operand
///   of any length made of digits only whose value is above 100, such as
///   `"99999999999999999999*1"`.
/// - Which of the two errors a text with both faults gets (`"101*x"`) is
///   up to you.
///
/// Split the text at the `*` (`str::split_once`), trim the spaces, check
/// that each side is digits only, and check the range.
///
/// Pitfall: trusting `str::parse::<u32>()` to do all the checking. It
/// accepts `"+7"` (a sign is not a digit, and the task format has none),
/// and it fails on `"99999999999999999999"` with an overflow, which is an
/// operand out of range, not a malformed task. And never `unwrap` a parse:
/// a malformed task must become an error result, not a panic that takes a
/// worker down.
pub fn evaluate_multiplication(text: &str) -> Result<u32, TaskError> {
    let _ = text;
    todo!("exercise 4: evaluate_multiplication")
}

/// Runs one producer thread per list of `task_lists` and `n_workers` worker
/// threads, over a task queue and a result queue (both
/// [`crate::BoundedQueue`]s of `queue_capacity`), and returns one
/// [`TaskResult`] per task, in the order the results came out of the result
/// queue.
///
/// - Each producer puts the tasks of its list into the task queue.
/// - Each worker gets tasks until the task queue is closed and empty; for
///   each, it puts `TaskResult { id: task.id, answer: evaluate(&task.text) }`
///   into the result queue. (The lab passes [`evaluate_multiplication`] as
///   `evaluate`; tests pass their own, to watch the workers at work.)
/// - The calling thread collects results until the result queue is closed
///   and empty.
/// - The task queue is closed once every producer has finished; the result
///   queue once every worker has finished. A helper thread that joins the
///   producers, closes the task queue, joins the workers and closes the
///   result queue does both, while the calling thread collects.
///
/// Pitfall: collecting the results *after* joining the workers. The
/// result queue is bounded: once it holds `queue_capacity` results, every
/// worker blocks in `put`, waiting for a collector that is itself waiting
/// for the workers to finish. That is a deadlock, and it only shows when
/// there are more tasks than the result queue holds. The collector must run
/// while the workers work.
///
/// # Panics
///
/// If `n_workers` or `queue_capacity` is zero. You may assume `evaluate`
/// does not panic.
///
/// ```no_run
/// use lab4_queues::{Task, TaskError, evaluate_multiplication, run_worker_pool};
///
/// let task = |id, text: &str| Task { id, text: text.to_owned() };
/// let producers = vec![vec![task(1, "7*8"), task(2, "7*")], vec![task(3, "10*10")]];
/// let mut results = run_worker_pool(producers, 3, 4, evaluate_multiplication);
/// results.sort_by_key(|result| result.id);
/// assert_eq!(results[0].answer, Ok(56));
/// assert_eq!(results[1].answer, Err(TaskError::Malformed));
/// assert_eq!(results[2].answer, Ok(100));
/// ```
pub fn run_worker_pool<Evaluate>(
    task_lists: Vec<Vec<Task>>,
    n_workers: usize,
    queue_capacity: usize,
    evaluate: Evaluate,
) -> Vec<TaskResult>
where
    Evaluate: Fn(&str) -> Result<u32, TaskError> + Sync,
{
    let _ = (task_lists, n_workers, queue_capacity, evaluate);
    todo!("exercise 4: run_worker_pool")
}
