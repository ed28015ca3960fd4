//! Exercise 4, `SharedLog::log`: whole lines, none lost.
//!
//! Two bug classes, one test each, so that a failure says which: a line
//! written in pieces under separate lock acquisitions gets another thread's
//! text inside it (interleaved), and a writer that gives up when the sink
//! is busy (`try_lock`) drops lines (lost). Under exploration two threads
//! write two lines each; on real threads eight write 500 each, and a sink
//! that fails must see its error passed on.
//!
//! On real threads, the sink's lines (sorted: the order depends on the
//! schedule) and the outcomes are recorded with `grader::harness::answer`
//! and compared by the grader with the reference solution's; the explored
//! scenarios check each schedule's text inside the exploration.

/// The lines an explored scenario expects, sorted.
#[cfg(feature = "explore")]
fn expected_lines(n_threads: usize, lines_each: usize) -> Vec<String> {
    let mut lines: Vec<String> = (0..n_threads)
        .flat_map(|thread_idx| {
            (0..lines_each).map(move |line_idx| format!("thread-{thread_idx}: line {line_idx}"))
        })
        .collect();
    lines.sort();
    lines
}

/// Real threads: many writers, and a failing sink.
#[cfg(not(feature = "explore"))]
pub mod real_threads {
    use std::io::{self, Write};

    use grader::harness::{AnswerOptions, answer, answer_with};
    use lab2_locks::SharedLog;
    use labsync::thread;

    use crate::support::real::{call_graded, call_graded_within};

    /// A sink whose every write fails.
    struct BrokenSink;

    impl Write for BrokenSink {
        fn write(&mut self, _bytes: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("disk full"))
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    pub fn log_from_eight_threads_keeps_all_4000_lines_whole() {
        const N_THREADS: usize = 8;
        const LINES_EACH: usize = 500;
        let (text, errors) = call_graded_within(
            "8 threads x 500 calls to SharedLog::log",
            "a lock that is never released?",
            || {
                let log = SharedLog::new(Vec::new());
                let errors: Vec<io::Error> = thread::scope(|scope| {
                    let writers: Vec<_> = (0..N_THREADS)
                        .map(|thread_idx| {
                            let log = &log;
                            scope.spawn(move || {
                                (0..LINES_EACH)
                                    .filter_map(|line_idx| {
                                        log.log(
                                            &format!("thread-{thread_idx}"),
                                            &format!("line {line_idx}"),
                                        )
                                        .err()
                                    })
                                    .collect::<Vec<_>>()
                            })
                        })
                        .collect();
                    writers
                        .into_iter()
                        .flat_map(|writer| {
                            writer
                                .join()
                                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                        })
                        .collect()
                });
                (
                    String::from_utf8_lossy(&log.into_inner()).into_owned(),
                    errors,
                )
            },
        );
        answer(
            "8 threads x 500 calls to SharedLog::log into a Vec<u8>: errors returned",
            &errors.len(),
        );
        // The sink's lines, sorted: the order the threads wrote in depends
        // on the schedule, the set of lines does not.
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort_unstable();
        answer_with(
            "8 threads x 500 calls to SharedLog::log: the sink's lines, sorted",
            &lines,
            AnswerOptions {
                note: "an interleaved line (another thread's text inside a line: write the whole \
                       line under one guard) or a lost line (wait for the lock, never skip a \
                       line because the sink is busy)?",
                ..AnswerOptions::default()
            },
        );
        answer_with(
            "8 threads x 500 calls to SharedLog::log: the sink's text ends with a newline",
            &text.ends_with('\n'),
            AnswerOptions {
                note: "every line must end with a newline",
                ..AnswerOptions::default()
            },
        );

        let broken_log = SharedLog::new(BrokenSink);
        let outcome = call_graded("SharedLog::log into a failing sink", || {
            broken_log.log("main", "hello")
        });
        answer_with(
            "SharedLog::log(\"main\", \"hello\") into a sink whose writes fail (\"disk full\")",
            &match outcome {
                Ok(()) => "Ok",
                Err(_) => "the sink's error",
            },
            AnswerOptions {
                note: "pass the sink's error on",
                ..AnswerOptions::default()
            },
        );
    }
}

/// Schedule exploration: two threads, two lines each.
#[cfg(feature = "explore")]
pub mod explored {
    use lab2_locks::SharedLog;
    use labsync::sync::Arc;

    use super::expected_lines;
    use crate::support::explored::{explore, spawn_named};

    /// Two threads log two lines each; returns the sink's text.
    fn two_threads_log_two_lines() -> String {
        let log = Arc::new(SharedLog::new(Vec::new()));
        let writers: Vec<_> = (0..2)
            .map(|thread_idx| {
                let log = Arc::clone(&log);
                spawn_named(&format!("thread-{thread_idx}"), move || {
                    for line_idx in 0..2 {
                        log.log(&format!("thread-{thread_idx}"), &format!("line {line_idx}"))
                            .expect("writing to a Vec<u8> cannot fail");
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().expect("a writing thread panicked");
        }
        let log = Arc::try_unwrap(log)
            .unwrap_or_else(|_| panic!("the writers are done, the log has one owner"));
        String::from_utf8_lossy(&log.into_inner()).into_owned()
    }

    pub fn log_lines_are_never_interleaved_under_any_schedule() {
        explore("a thread panicked inside SharedLog::log", || {
            let text = two_threads_log_two_lines();
            let expected = expected_lines(2, 2);
            for line in text.lines() {
                assert!(
                    expected.iter().any(|want| want == line),
                    "interleaved line: two threads logging at once produced {text:?}; the line \
                     {line:?} mixes the two - write the whole line under one guard"
                );
            }
        });
    }

    pub fn log_loses_no_line_under_any_schedule() {
        explore("a thread panicked inside SharedLog::log", || {
            let text = two_threads_log_two_lines();
            let expected_bytes: usize =
                expected_lines(2, 2).iter().map(|line| line.len() + 1).sum();
            assert!(
                text.len() >= expected_bytes,
                "lost line: two threads logged 2 lines each ({expected_bytes} bytes) and the sink \
                 holds {text:?} - wait for the lock (`lock`), never skip a line because the sink is \
                 busy (`try_lock`)"
            );
            assert!(
                text.len() == expected_bytes,
                "wrong result: two threads logged 2 lines each ({expected_bytes} bytes) and the sink \
                 holds more: {text:?}"
            );
        });
    }
}
