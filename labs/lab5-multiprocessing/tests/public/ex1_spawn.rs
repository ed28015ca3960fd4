//! Exercise 1: father and sons.

use std::process::{Command, Stdio};

use lab5_multiprocessing::{Greeting, HELLO_SUBCOMMAND, spawn_children};

use super::worker_program;

#[test]
fn a_hello_child_greets_with_its_own_pid_and_its_parents_and_exits_with_its_index() {
    let output = Command::new(worker_program())
        .args([HELLO_SUBCOMMAND, "3"])
        .stdin(Stdio::null())
        .output()
        .expect("the worker program starts");
    let printed = String::from_utf8_lossy(&output.stdout);
    let greeting: Greeting = printed.trim_end().parse().expect("one greeting line");
    assert_eq!(greeting.child_idx, 3);
    assert_eq!(
        greeting.parent_pid,
        std::process::id(),
        "this test is its parent"
    );
    assert_ne!(
        greeting.pid,
        std::process::id(),
        "a child has a pid of its own"
    );
    assert_eq!(
        output.status.code(),
        Some(3),
        "the exit status is the index"
    );
}

#[test]
fn spawn_children_reports_every_child_in_index_order() {
    let reports = spawn_children(4, worker_program()).expect("4 children say hello");
    assert_eq!(reports.len(), 4);
    for (child_idx, report) in reports.iter().enumerate() {
        println!("{report:?}");
        assert_eq!(report.child_idx, child_idx);
        assert_eq!(report.parent_pid, std::process::id());
        assert_eq!(report.exit_status.code(), Some(child_idx as i32));
    }
    let mut pids: Vec<u32> = reports.iter().map(|report| report.pid).collect();
    pids.sort_unstable();
    pids.dedup();
    assert_eq!(pids.len(), 4, "every child has its own pid");
}
