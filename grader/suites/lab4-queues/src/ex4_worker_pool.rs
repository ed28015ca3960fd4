//! Exercise 4, the multiplication worker pool: tasks parsed, never run, and
//! malformed ones answered with an error instead of a panic (native); every
//! task answered exactly once with its own product, three workers busy at
//! once and never more, no deadlock when the results outnumber the result
//! queue (native); every task answered once on every explored schedule.

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
    use std::collections::BTreeMap;
    use std::time::Instant;

    use lab4_queues::{Task, TaskError, TaskResult, evaluate_multiplication, run_worker_pool};
    use labkit::ConcurrencyProbe;

    use crate::support::native::{
        PATIENCE, SHORT_HANG_LIMIT, call_graded_with_hint, call_graded_with_hint_within,
        call_graded_within,
    };

    /// Task texts and the answer each must get.
    const VECTORS: &[(&str, Result<u32, TaskError>)] = &[
        ("7*8", Ok(56)),
        ("0*0", Ok(0)),
        ("100*100", Ok(10_000)),
        ("0*100", Ok(0)),
        ("1*1", Ok(1)),
        ("99*3", Ok(297)),
        (" 3 * 4 ", Ok(12)),
        ("  12*  3", Ok(36)),
        ("007*2", Ok(14)),
        ("", Err(TaskError::Malformed)),
        ("*", Err(TaskError::Malformed)),
        ("7*", Err(TaskError::Malformed)),
        ("*8", Err(TaskError::Malformed)),
        ("a*b", Err(TaskError::Malformed)),
        ("7x8", Err(TaskError::Malformed)),
        ("3+4", Err(TaskError::Malformed)),
        ("3*4*5", Err(TaskError::Malformed)),
        ("3**4", Err(TaskError::Malformed)),
        ("-1*2", Err(TaskError::Malformed)),
        ("+1*2", Err(TaskError::Malformed)),
        ("2*+1", Err(TaskError::Malformed)),
        ("1.5*2", Err(TaskError::Malformed)),
        ("3 4*2", Err(TaskError::Malformed)),
        ("\t3*4", Err(TaskError::Malformed)),
        ("3*4\n", Err(TaskError::Malformed)),
        ("\u{ff13}*4", Err(TaskError::Malformed)),
        ("0x10*2", Err(TaskError::Malformed)),
        ("101*2", Err(TaskError::OperandOutOfRange)),
        ("2*101", Err(TaskError::OperandOutOfRange)),
        ("1000*0", Err(TaskError::OperandOutOfRange)),
        ("4294967296*1", Err(TaskError::OperandOutOfRange)),
        ("99999999999999999999*1", Err(TaskError::OperandOutOfRange)),
    ];

    pub fn evaluate_multiplication_answers_valid_tasks_and_rejects_the_rest() {
        // Each text on its own, so that a panic on one is reported with
        // that text and does not hide the others.
        let outcomes = call_graded_within(
            "evaluate_multiplication on 32 task texts",
            "parsing a short text must not wait",
            || {
                VECTORS
                    .iter()
                    .map(|(text, _)| {
                        std::panic::catch_unwind(|| evaluate_multiplication(text))
                            .map_err(|payload| grader::harness::panic_text(payload.as_ref()))
                    })
                    .collect::<Vec<_>>()
            },
        );
        let mut problems = Vec::new();
        for ((text, expected), outcome) in VECTORS.iter().zip(outcomes) {
            match outcome {
                Err(message) if message.contains("not yet implemented") => {
                    panic!("evaluate_multiplication panicked: {message}")
                }
                Err(message) => problems.push(format!(
                    "{text:?} panicked ({message}): a malformed task must be an error result, \
                     never a panic"
                )),
                Ok(answer) if answer != *expected => {
                    problems.push(format!("{text:?} gave {answer:?}, expected {expected:?}"))
                }
                Ok(_) => {}
            }
        }
        assert!(
            problems.is_empty(),
            "wrong answer from evaluate_multiplication for {} of {} texts:\n  {}",
            problems.len(),
            VECTORS.len(),
            problems.join("\n  ")
        );
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

    /// Checks one result per task, each with the answer its own text gets.
    fn check_every_task_answered_once(task_lists: &[Vec<Task>], results: &[TaskResult]) {
        let texts: BTreeMap<u64, &str> = task_lists
            .iter()
            .flatten()
            .map(|task| (task.id, task.text.as_str()))
            .collect();
        let mut answered: BTreeMap<u64, usize> = BTreeMap::new();
        for result in results {
            *answered.entry(result.id).or_default() += 1;
            let Some(text) = texts.get(&result.id) else {
                panic!(
                    "wrong answer: a result has id {}, which no task has",
                    result.id
                );
            };
            let expected = evaluate_reference(text);
            assert!(
                result.answer == expected,
                "wrong answer: task {} {text:?} got {:?}, expected {expected:?} (is each answer \
                 sent with the id of its own task?)",
                result.id,
                result.answer
            );
        }
        let unanswered: Vec<u64> = texts
            .keys()
            .copied()
            .filter(|id| !answered.contains_key(id))
            .collect();
        let twice: Vec<u64> = answered
            .iter()
            .filter(|(_, count)| **count > 1)
            .map(|(id, _)| *id)
            .collect();
        assert!(
            unanswered.is_empty() && twice.is_empty(),
            "items lost or duplicated: {} of {} tasks got no result (first: {:?}), {} got more \
             than one (first: {:?})",
            unanswered.len(),
            texts.len(),
            unanswered.first(),
            twice.len(),
            twice.first()
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
        let lists = task_lists(400);
        let graded_lists = lists.clone();
        let results = call_graded_with_hint(
            "run_worker_pool(2 producers x 400 tasks, 3 workers, capacity 4)",
            "it did not return: are both queues closed, the task queue after the producers and \
             the result queue after the workers, and are results collected while the workers run?",
            move || run_worker_pool(graded_lists, 3, 4, evaluate_reference),
        );
        check_every_task_answered_once(&lists, &results);
    }

    pub fn worker_pool_keeps_three_workers_busy_at_once_and_never_more() {
        // `evaluate` waits until three calls are inside at once (or until
        // the deadline): three workers that really run side by side meet at
        // once; fewer workers, or workers that take turns, wait out the
        // deadline.
        const N_WORKERS: usize = 3;
        let probe = ConcurrencyProbe::new();
        let graded_probe = probe.clone();
        let lists = task_lists(12);
        let graded_lists = lists.clone();
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
        check_every_task_answered_once(&lists, &results);
    }

    pub fn worker_pool_does_not_deadlock_when_results_outnumber_the_result_queue() {
        let lists = task_lists(150);
        let graded_lists = lists.clone();
        let results = call_graded_with_hint_within(
            "run_worker_pool(2 producers x 150 tasks, 3 workers, capacity 1)",
            "deadlock: with 300 results and a result queue of capacity 1, the workers block in \
             put until someone takes results; collect them while the workers run, not after \
             joining them",
            SHORT_HANG_LIMIT,
            move || run_worker_pool(graded_lists, 3, 1, evaluate_reference),
        );
        check_every_task_answered_once(&lists, &results);
    }
}
