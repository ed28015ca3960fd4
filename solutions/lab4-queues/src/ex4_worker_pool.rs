//! Exercise 4: a worker pool over a task queue and a result queue.
//!
//! Producers put tasks into the task queue; workers take them, evaluate
//! them and put a result into the result queue; the calling thread takes
//! the results. Two shutdowns chain: when the producers are done the task
//! queue is closed, so the workers finish; when the workers are done the
//! result queue is closed, so the collector finishes. The collector runs
//! *while* the workers work: both queues are bounded, and results nobody
//! takes would fill the result queue and stop the workers for good.
//!
//! Parsing a task is plain string handling: a task's text is data from
//! outside and is never run as code.

use std::fmt;

use labsync::thread;

use crate::BoundedQueue;

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

/// Evaluates a task's text `"a*b"`: `a` and `b` are whole numbers from 0 to
/// [`MAX_OPERAND`] written in ASCII digits, each optionally surrounded by
/// space characters.
pub fn evaluate_multiplication(text: &str) -> Result<u32, TaskError> {
    let (left, right) = text.split_once('*').ok_or(TaskError::Malformed)?;
    let left = parse_operand(left)?;
    let right = parse_operand(right)?;
    Ok(left * right)
}

/// One operand: digits only (no sign), at most [`MAX_OPERAND`]. A second
/// `*` lands in the right operand and makes it malformed.
fn parse_operand(text: &str) -> Result<u32, TaskError> {
    let digits = text.trim_matches(' ');
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(TaskError::Malformed);
    }
    // Leading zeros say nothing about the size; without them, more than
    // three digits is out of range however many there are, and never
    // overflows the parse.
    let significant = digits.trim_start_matches('0');
    if significant.len() > 3 {
        return Err(TaskError::OperandOutOfRange);
    }
    let value: u32 = significant.parse().unwrap_or(0);
    if value > MAX_OPERAND {
        return Err(TaskError::OperandOutOfRange);
    }
    Ok(value)
}

/// Runs one producer thread per task list and `n_workers` worker threads
/// that answer each task with `evaluate`, over a task queue and a result
/// queue of `queue_capacity` each; returns every result, in the order the
/// results came out of the result queue.
///
/// # Panics
///
/// If `n_workers` or `queue_capacity` is zero, or (once the queues are
/// closed) if a producer or a worker panicked; if every worker panics, the
/// producers can be left waiting for room (callers must not let `evaluate`
/// panic).
pub fn run_worker_pool<Evaluate>(
    task_lists: Vec<Vec<Task>>,
    n_workers: usize,
    queue_capacity: usize,
    evaluate: Evaluate,
) -> Vec<TaskResult>
where
    Evaluate: Fn(&str) -> Result<u32, TaskError> + Sync,
{
    assert!(
        n_workers > 0,
        "run_worker_pool needs at least one worker: nobody would answer the tasks"
    );
    let tasks = BoundedQueue::<Task>::new(queue_capacity);
    let results = BoundedQueue::<TaskResult>::new(queue_capacity);
    let (tasks, results, evaluate) = (&tasks, &results, &evaluate);
    thread::scope(|scope| {
        let producers: Vec<_> = task_lists
            .into_iter()
            .map(|task_list| {
                scope.spawn(move || {
                    for task in task_list {
                        // Closed only after every producer has finished.
                        let _ = tasks.put(task);
                    }
                })
            })
            .collect();
        let workers: Vec<_> = (0..n_workers)
            .map(|_| {
                scope.spawn(move || {
                    while let Some(task) = tasks.get() {
                        let answer = evaluate(&task.text);
                        // Closed only after every worker has finished.
                        let _ = results.put(TaskResult {
                            id: task.id,
                            answer,
                        });
                    }
                })
            })
            .collect();
        // The closer waits for the producers, closes the task queue, waits
        // for the workers and closes the result queue, while this thread
        // collects. A panic in a producer or worker is passed on after the
        // queues are closed, so no thread is left waiting.
        let closer = scope.spawn(move || {
            let producer_outcomes: Vec<_> = producers.into_iter().map(|p| p.join()).collect();
            tasks.close();
            let worker_outcomes: Vec<_> = workers.into_iter().map(|w| w.join()).collect();
            results.close();
            for outcome in producer_outcomes.into_iter().chain(worker_outcomes) {
                if let Err(payload) = outcome {
                    std::panic::resume_unwind(payload);
                }
            }
        });
        let mut collected = Vec::new();
        while let Some(result) = results.get() {
            collected.push(result);
        }
        if let Err(payload) = closer.join() {
            std::panic::resume_unwind(payload);
        }
        collected
    })
}
