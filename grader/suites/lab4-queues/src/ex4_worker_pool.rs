//! Exercise 4, the multiplication worker pool: tasks parsed, never run, and
//! malformed ones answered with an error instead of a panic (native); every
//! task answered exactly once with its own product, three workers busy at
//! once and never more, no deadlock when the results outnumber the result
//! queue (native); every task answered once on every explored schedule.
//!
//! Natively, what `evaluate_multiplication` returns for each text and the
//! pool's results (sorted by task id) are recorded with
//! `grader::harness::answer` and compared by the grader with the reference
//! solution's: neither the test vectors' answers nor a check of the pool's
//! answers is in this binary. How many workers ran at once is observed with
//! a probe, here.

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use lab4_queues::{Task, TaskError, run_worker_pool};

    use crate::support::explored::explore;

    /// The scenario's own evaluator, so that a bug in the graded parser
    /// does not fail this test of the pool.
    fn multiply(text: &str) -> Result<u32, TaskError> {
        let (left, right) = text.split_once('*').ok_or(TaskError::Malformed)?;
        match (left.parse::<u32>(), right.parse::<u32>()) {
            (Ok(left), Ok(right)) => Ok(left * right),
            _ => Err(TaskError::Malformed),
        }
    }

    pub fn worker_pool_answers_every_task_once_under_any_schedule() {
        // Two producers, two workers, queues of capacity 1: the task queue
        // may close only after both producers are done, the result queue
        // only after both workers are done, and the results must be
        // collected while the workers run.
        explore(
            "run_worker_pool(2 producers, 2 workers, capacity 1) panicked",
            || {
                let task = |id, text: &str| Task {
                    id,
                    text: text.to_owned(),
                };
                let producers = vec![vec![task(1, "2*3")], vec![task(2, "4*5"), task(3, "x*1")]];
                let mut results = run_worker_pool(producers, 2, 1, multiply);
                results.sort_by_key(|result| result.id);
                let answers: Vec<(u64, Result<u32, TaskError>)> = results
                    .into_iter()
                    .map(|result| (result.id, result.answer))
                    .collect();
                assert!(
                    answers == [(1, Ok(6)), (2, Ok(20)), (3, Err(TaskError::Malformed))],
                    "wrong answer: tasks 1 \"2*3\", 2 \"4*5\" and 3 \"x*1\" got {answers:?}; \
                     every task must be answered exactly once (close the task queue after every \
                     producer, the result queue after every worker)"
                );
            },
        );
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::time::Instant;

    use grader::harness::{AnswerOptions, answer_with};
    use lab4_queues::{Task, TaskError, TaskResult, evaluate_multiplication, run_worker_pool};
    use labkit::ConcurrencyProbe;

    use crate::support::native::{
        PATIENCE, SHORT_HANG_LIMIT, call_graded_with_hint, call_graded_with_hint_within,
        call_graded_within,
    };

    /// Task texts: valid ones, malformed ones and operands out of range.
    /// What each must get is the reference solution's answer, which the
    /// grader holds.
    const TEXTS: &[&str] = &[
        "7*8",
        "0*0",
        "100*100",
        "0*100",
        "1*1",
        "99*3",
        " 3 * 4 ",
        "  12*  3",
        "007*2",
        "",
        "*",
        "7*",
        "*8",
        "a*b",
        "7x8",
        "3+4",
        "3*4*5",
        "3**4",
        "-1*2",
        "+1*2",
        "2*+1",
        "1.5*2",
        "3 4*2",
        "\t3*4",
        "3*4\n",
        "\u{ff13}*4",
        "0x10*2",
        "101*2",
        "2*101",
        "1000*0",
        "4294967296*1",
        "99999999999999999999*1",
    ];

    pub fn evaluate_multiplication_answers_valid_tasks_and_rejects_the_rest() {
        // Each text on its own, so that a panic on one is reported with
        // that text and does not hide the others.
        let outcomes = call_graded_within(
            "evaluate_multiplication on 32 task texts",
            "parsing a short text must not wait",
            || {
                TEXTS
                    .iter()
                    .map(|text| {
                        std::panic::catch_unwind(|| evaluate_multiplication(text))
                            .map_err(|payload| grader::harness::panic_text(payload.as_ref()))
                    })
                    .collect::<Vec<_>>()
            },
        );
        for (text, outcome) in TEXTS.iter().zip(outcomes) {
            let call = format!("evaluate_multiplication({text:?})");
            match outcome {
                Err(message) if message.contains("not yet implemented") => {
                    panic!("evaluate_multiplication panicked: {message}")
                }
                Err(message) => answer_with(
                    &call,
                    &"a panic".to_owned(),
                    AnswerOptions {
                        note: &format!(
                            "it panicked ({message}): a malformed task must be an error result, \
                             never a panic"
                        ),
                        ..AnswerOptions::default()
                    },
                ),
                Ok(answer) => grader::harness::answer(&call, &format!("{answer:?}")),
            }
        }
    }

    /// Two producers' task lists: `per_producer` tasks each, ids unique,
    /// every eighth task malformed or out of range.
    fn task_lists(per_producer: u64) -> Vec<Vec<Task>> {
        (0..2_u64)
            .map(|producer| {
                (0..per_producer)
                    .map(|n| {
                        let id = producer * 1_000_000 + n;
                        let text = match n % 8 {
                            3 => format!("{}*", n % 101),
                            7 => format!("{}*2", 101 + n % 50),
                            _ => format!("{}*{}", n % 101, (n / 7 + producer) % 101),
                        };
                        Task { id, text }
                    })
                    .collect()
            })
            .collect()
    }

    /// Records the pool's results, sorted by task id (the order they come
    /// in depends on the schedule), each answer as text, for the grader to
    /// compare with the reference's: one result per task, each with the
    /// answer `evaluate` gives its own text.
    fn record_results(call: &str, results: &[TaskResult]) {
        let mut by_id: Vec<(u64, String)> = results
            .iter()
            .map(|result| (result.id, format!("{:?}", result.answer)))
            .collect();
        by_id.sort_unstable();
        answer_with(
            &format!("{call}: [task id, answer] of every result, by id"),
            &by_id,
            AnswerOptions {
                note: "a task without a result or with more than one, or an answer sent with \
                       another task's id?",
                ..AnswerOptions::default()
            },
        );
    }

    /// The answer for the texts [`task_lists`] makes (all of one of three
    /// simple forms), computed independently of the graded parser. The pool
    /// tests pass it as `evaluate`, so that a bug in the graded parser fails
    /// the parser's test, not the pool's.
    fn evaluate_reference(text: &str) -> Result<u32, TaskError> {
        let Some((left, right)) = text.split_once('*') else {
            return Err(TaskError::Malformed);
        };
        let (Ok(left), Ok(right)) = (left.parse::<u32>(), right.parse::<u32>()) else {
            return Err(TaskError::Malformed);
        };
        if left > 100 || right > 100 {
            return Err(TaskError::OperandOutOfRange);
        }
        Ok(left * right)
    }

    pub fn worker_pool_answers_every_task_exactly_once_with_its_product() {
        let graded_lists = task_lists(400);
        let results = call_graded_with_hint(
            "run_worker_pool(2 producers x 400 tasks, 3 workers, capacity 4)",
            "it did not return: are both queues closed, the task queue after the producers and \
             the result queue after the workers, and are results collected while the workers run?",
            move || run_worker_pool(graded_lists, 3, 4, evaluate_reference),
        );
        record_results(
            "run_worker_pool(2 producers x 400 tasks, 3 workers, capacity 4)",
            &results,
        );
    }

    pub fn worker_pool_keeps_three_workers_busy_at_once_and_never_more() {
        // `evaluate` waits until three calls are inside at once (or until
        // the deadline): three workers that really run side by side meet at
        // once; fewer workers, or workers that take turns, wait out the
        // deadline.
        const N_WORKERS: usize = 3;
        let probe = ConcurrencyProbe::new();
        let graded_probe = probe.clone();
        let graded_lists = task_lists(12);
        let results = call_graded_with_hint(
            "run_worker_pool(2 producers x 12 tasks, 3 workers, capacity 2, a watching evaluate)",
            "it did not return",
            move || {
                let deadline = Instant::now() + PATIENCE;
                run_worker_pool(graded_lists, N_WORKERS, 2, |text| {
                    let _inside = graded_probe.enter();
                    graded_probe.wait_until_max_inside(N_WORKERS, deadline);
                    evaluate_reference(text)
                })
            },
        );
        assert!(
            probe.max_inside() == N_WORKERS && probe.distinct_threads() == N_WORKERS,
            "workers not running at the same time: with 3 workers, at most {} tasks were being \
             evaluated at once, on {} distinct threads; start n_workers worker threads that take \
             tasks from the task queue at the same time",
            probe.max_inside(),
            probe.distinct_threads()
        );
        record_results(
            "run_worker_pool(2 producers x 12 tasks, 3 workers, capacity 2)",
            &results,
        );
    }

    pub fn worker_pool_does_not_deadlock_when_results_outnumber_the_result_queue() {
        let graded_lists = task_lists(150);
        let results = call_graded_with_hint_within(
            "run_worker_pool(2 producers x 150 tasks, 3 workers, capacity 1)",
            "deadlock: with 300 results and a result queue of capacity 1, the workers block in \
             put until someone takes results; collect them while the workers run, not after \
             joining them",
            SHORT_HANG_LIMIT,
            move || run_worker_pool(graded_lists, 3, 1, evaluate_reference),
        );
        record_results(
            "run_worker_pool(2 producers x 150 tasks, 3 workers, capacity 1)",
            &results,
        );
    }
}
