//! Exercise 2: separate memory. A child process appends to its own fresh
//! copy of the global list and the caller's list is unchanged; a thread
//! appends to the caller's own list; `append_in_child` returns what the
//! child printed, and a failing or garbage-printing child is an error.
//!
//! Every test runs in its own process, so each starts with an empty global
//! list.

use std::path::PathBuf;

use grader::harness::{call_graded, call_graded_within};
use lab5_multiprocessing::{
    APPEND_SUBCOMMAND, ProcessError, append_in_child, append_in_thread, append_to_global_list,
    global_list,
};
use labkit::assert_no_children_left;

use crate::support::{ChildGuard, ScriptFolder, variant_name};

/// Calls the graded `append_in_child` with a time limit.
fn in_child(
    values: &[i64],
    program: PathBuf,
    program_name: &str,
) -> (String, Result<Vec<i64>, ProcessError>) {
    let call = format!("append_in_child(&{values:?}, {program_name})");
    let values = values.to_vec();
    let result = call_graded_within(
        &call,
        "the append child needs no input: give it Stdio::null() and wait for it",
        move || append_in_child(&values, &program),
    );
    (call, result)
}

pub fn a_child_appends_to_its_own_fresh_list_and_the_parents_list_is_unchanged() {
    let before = call_graded("append_to_global_list(&[1, 2])", || {
        append_to_global_list(&[1, 2])
    });
    assert_eq!(
        before,
        vec![1, 2],
        "append_to_global_list(&[1, 2]) on an empty list returned {before:?}"
    );
    for values in [vec![7, 8, 9], vec![-5], vec![]] {
        let (call, result) = in_child(&values, grader::harness::worker_program(), "worker");
        let childs_list = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
        assert_no_children_left(&format!("{call} returned"));
        assert_eq!(
            childs_list, values,
            "{call} returned {childs_list:?}: the child starts with its own, empty list (it \
             never sees the parent's [1, 2]) and holds exactly what it appended"
        );
        let parents_list = call_graded("global_list()", global_list);
        assert_eq!(
            parents_list,
            vec![1, 2],
            "memory is not separate: after {call}, the parent's global list is \
             {parents_list:?}, but a child changes only its own copy; append_in_child must \
             not touch the parent's list"
        );
    }
}

pub fn a_thread_appends_to_the_parents_own_list() {
    call_graded("append_to_global_list(&[4])", || {
        append_to_global_list(&[4])
    });
    let threads_list = call_graded_within("append_in_thread(&[5, 6])", "join the thread", || {
        append_in_thread(&[5, 6])
    });
    assert_eq!(
        threads_list,
        vec![4, 5, 6],
        "append_in_thread(&[5, 6]) after appending 4 returned {threads_list:?}: a thread of \
         this process appends to this process's own list"
    );
    let parents_list = call_graded("global_list()", global_list);
    assert_eq!(
        parents_list,
        vec![4, 5, 6],
        "threads share their process's memory: after append_in_thread(&[5, 6]) the global \
         list must be [4, 5, 6], it is {parents_list:?}"
    );
}

pub fn append_in_child_returns_what_the_child_printed_and_reports_a_failing_child() {
    // The worker program's own `append` prints the list it holds.
    let mut guard = ChildGuard::start_worker(&[APPEND_SUBCOMMAND, "3", "-4"]);
    drop(guard.child.stdin.take());
    assert!(
        guard.exited_within(std::time::Duration::from_secs(5)),
        "the worker program `append 3 -4` was still running after 5 s"
    );
    let (printed, stderr) = guard.read_output();
    assert_eq!(
        printed, "3 -4\n",
        "the worker program `append 3 -4` printed {printed:?} (standard error: {stderr:?}); \
         append_to_global_list must return the whole list after the append"
    );
    drop(guard);

    let scripts = ScriptFolder::new("append-misbehaving");
    // Not what the parent would compute: only a parent that reads the
    // child's answer returns it.
    let (call, result) = in_child(
        &[1],
        scripts.script("says-42", "echo '42 -3'"),
        "a worker printing `42 -3`",
    );
    assert_no_children_left(&format!("{call} returned"));
    match result {
        Ok(list) => assert_eq!(
            list,
            vec![42, -3],
            "{call} returned {list:?}; it must return the list the child printed"
        ),
        Err(error) => panic!("{call} failed: {error}; it must return the list the child printed"),
    }
    let cases = [
        (
            scripts.script("failing", "echo 'append broke' >&2\nexit 3"),
            "a worker exiting with status 3",
            "ChildFailed",
        ),
        (
            scripts.script("garbage", "echo 'forty-two'"),
            "a worker printing `forty-two`",
            "UnreadableOutput",
        ),
        (
            scripts.path().join("no-such-worker"),
            "a worker program that does not exist",
            "CouldNotStart",
        ),
    ];
    for (program, what, expected_variant) in cases {
        let (call, result) = in_child(&[1], program, what);
        let variant = variant_name(&result);
        assert_eq!(
            variant, expected_variant,
            "{call} returned {variant}; {what} must be ProcessError::{expected_variant}"
        );
        assert_no_children_left(&format!("{call} returned"));
    }
}
