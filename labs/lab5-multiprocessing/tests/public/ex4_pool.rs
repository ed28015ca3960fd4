//! Exercise 4: a process pool. Frames round-trip through a byte buffer, a
//! truncated frame is an error, `map` returns results in input order, a
//! crashing worker is an error for its own tasks only, and dropping the
//! pool ends every worker.

use std::io::{Cursor, ErrorKind};

use lab5_multiprocessing::{Pool, TaskError, read_frame, write_frame};

use super::worker_program;

#[test]
fn frames_round_trip_through_a_byte_buffer() {
    let mut buffer = Vec::new();
    write_frame(&mut buffer, b"hello").unwrap();
    write_frame(&mut buffer, b"").unwrap();
    // Four bytes of big-endian length, then the payload.
    assert_eq!(&buffer[..9], b"\0\0\0\x05hello");

    let mut reader = Cursor::new(buffer);
    assert_eq!(read_frame(&mut reader).unwrap(), Some(b"hello".to_vec()));
    assert_eq!(read_frame(&mut reader).unwrap(), Some(Vec::new()));
    // The stream ends between two frames: a clean end of file.
    assert_eq!(read_frame(&mut reader).unwrap(), None);
}

#[test]
fn a_frame_cut_short_is_an_error_not_an_end_of_file() {
    let mut buffer = Vec::new();
    write_frame(&mut buffer, b"a payload of 25 bytes....").unwrap();
    buffer.truncate(10);
    let error = read_frame(&mut Cursor::new(buffer)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedEof);
}

#[test]
fn map_squares_every_task_and_keeps_the_input_order() {
    let mut pool = Pool::new(worker_program(), 2).unwrap();
    let tasks: Vec<u64> = (0..20).collect();
    let results: Vec<Result<u64, TaskError>> = pool.map("square", &tasks, 3).unwrap();
    let squares: Vec<u64> = results.into_iter().map(Result::unwrap).collect();
    assert_eq!(squares, tasks.iter().map(|n| n * n).collect::<Vec<_>>());
}

#[test]
fn a_crashing_worker_is_an_error_for_its_own_tasks_only() {
    let mut pool = Pool::new(worker_program(), 2).unwrap();
    // The job aborts the worker that gets a negative number; with one task
    // per chunk, only that task is lost.
    let results: Vec<Result<i64, TaskError>> =
        pool.map("abort-if-negative", &[1, 2, -3, 4, 5], 1).unwrap();
    assert_eq!(results[0], Ok(1));
    assert_eq!(results[1], Ok(2));
    assert!(
        matches!(results[2], Err(TaskError::WorkerDied { .. })),
        "{:?}",
        results[2]
    );
    assert_eq!(results[3], Ok(4));
    assert_eq!(results[4], Ok(5));
    // The pool replaced the dead worker and goes on.
    assert_eq!(pool.n_workers(), 2);
    let again: Vec<Result<i64, TaskError>> = pool.map("abort-if-negative", &[6, 7], 1).unwrap();
    assert_eq!(again, [Ok(6), Ok(7)]);
}

#[test]
fn dropping_the_pool_ends_and_waits_for_every_worker() {
    let mut pool = Pool::new(worker_program(), 3).unwrap();
    let _: Vec<Result<u64, TaskError>> = pool.map("square", &[1_u64, 2, 3], 1).unwrap();
    let worker_pids = pool.worker_pids();
    assert_eq!(worker_pids.len(), 3);
    drop(pool);
    // Other tests run at the same time and have children of their own, so
    // only this pool's workers are looked for.
    let left_behind: Vec<_> = labkit::children_of_this_process()
        .into_iter()
        .filter(|child| worker_pids.contains(&child.pid))
        .collect();
    assert!(
        left_behind.is_empty(),
        "workers left behind: {left_behind:?}"
    );
}
