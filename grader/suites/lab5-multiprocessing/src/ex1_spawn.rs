//! Exercise 1: father and sons. The `hello` worker reports its own pid and
//! its parent's and exits with its index; `spawn_children` starts every
//! child before waiting for any, waits for all of them (also after a
//! failure), and turns a failing, lying or garbage-printing child into an
//! error, never a panic or a hang.

use std::path::PathBuf;
use std::time::Duration;

use grader::harness::{call_graded, call_graded_within, call_graded_within_limit, worker_program};
use lab5_multiprocessing::{
    ChildReport, Greeting, HELLO_SUBCOMMAND, MAX_CHILDREN, ProcessError, spawn_children,
};
use labkit::assert_no_children_left;

use crate::support::{ChildGuard, ScriptFolder, shell_quoted, variant_name};

/// Calls the graded `spawn_children` with a time limit.
fn spawn(
    n_children: usize,
    program: PathBuf,
    program_name: &str,
) -> (String, Result<Vec<ChildReport>, ProcessError>) {
    let call = format!("spawn_children({n_children}, {program_name})");
    let result = call_graded_within(
        &call,
        "start every child, then wait for each one; a child's output is read by \
         wait_with_output",
        move || spawn_children(n_children, &program),
    );
    (call, result)
}

pub fn hello_worker_greets_with_its_own_pid_and_parent_pid_and_exits_with_its_index() {
    for child_idx in [0_usize, 7, 99] {
        let index_text = child_idx.to_string();
        let mut guard = ChildGuard::start_worker(&[HELLO_SUBCOMMAND, &index_text]);
        let pid_from_the_system = guard.child.id();
        drop(guard.child.stdin.take());
        assert!(
            guard.exited_within(Duration::from_secs(5)),
            "the worker program `hello {child_idx}` was still running after 5 s"
        );
        let (printed, stderr) = guard.read_output();
        let status = guard.exit_status().expect("the worker has exited");
        assert!(
            !stderr.contains("panicked"),
            "`hello {child_idx}` panicked: {stderr}"
        );
        let greeting = printed
            .strip_suffix('\n')
            .and_then(|line| line.parse::<Greeting>().ok());
        let Some(greeting) = greeting else {
            panic!(
                "`hello {child_idx}` printed {printed:?}; it must print exactly one greeting \
                 line like \"child 3: pid 4242, parent 4200\" and a newline"
            );
        };
        assert_eq!(
            greeting.child_idx, child_idx,
            "`hello {child_idx}` greeted as child {}",
            greeting.child_idx
        );
        assert_eq!(
            greeting.pid, pid_from_the_system,
            "`hello {child_idx}` said its pid is {}, but the system gave it {pid_from_the_system}: \
             a child's pid is std::process::id() in the child",
            greeting.pid
        );
        assert_eq!(
            greeting.parent_pid,
            std::process::id(),
            "`hello {child_idx}` said its parent is {}, but the process that started it is {}: \
             the parent's pid is std::os::unix::process::parent_id() in the child",
            greeting.parent_pid,
            std::process::id()
        );
        assert_eq!(
            status.code(),
            Some(child_idx as i32),
            "`hello {child_idx}` ended with {status}; its exit status must be its index"
        );
    }
}

pub fn spawn_children_reports_every_childs_pid_parent_pid_and_exit_status() {
    for n_children in [1, 5, 12] {
        let (call, result) = spawn(n_children, worker_program(), "worker");
        let reports = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
        assert_no_children_left(&format!("{call} returned"));
        assert_eq!(
            reports.len(),
            n_children,
            "{call} returned {} reports: {reports:?}",
            reports.len()
        );
        for (child_idx, report) in reports.iter().enumerate() {
            assert_eq!(
                report.child_idx, child_idx,
                "{call}: report {child_idx} is about child {}; reports come in index order",
                report.child_idx
            );
            assert_eq!(
                report.parent_pid,
                std::process::id(),
                "{call}: child {child_idx} reported parent {}, but its parent is {}",
                report.parent_pid,
                std::process::id()
            );
            assert_eq!(
                report.exit_status.code(),
                Some(child_idx as i32),
                "{call}: child {child_idx} reported the exit status {}; a hello child exits \
                 with its index",
                report.exit_status
            );
            assert_ne!(
                report.pid,
                std::process::id(),
                "{call}: child {child_idx} reported the parent's own pid as its pid"
            );
        }
        let mut pids: Vec<u32> = reports.iter().map(|report| report.pid).collect();
        pids.sort_unstable();
        pids.dedup();
        assert_eq!(
            pids.len(),
            n_children,
            "{call}: the children reported only {} different pids ({reports:?}); every \
             process has its own",
            pids.len()
        );
    }
    let (call, result) = spawn(0, worker_program(), "worker");
    assert!(
        matches!(&result, Ok(reports) if reports.is_empty()),
        "{call} returned {}; no children means no reports",
        variant_name(&result)
    );
    let too_many = MAX_CHILDREN + 1;
    let (call, result) = spawn(too_many, worker_program(), "worker");
    assert_no_children_left(&format!("{call} returned"));
    assert_eq!(
        variant_name(&result),
        "InvalidRequest",
        "{call} must refuse (exit statuses cannot hold every index) before starting any child"
    );
}

pub fn spawn_children_starts_every_child_before_waiting_for_any() {
    let scripts = ScriptFolder::new("hello-barrier");
    let log = scripts.path().join("starts.log");
    let n_children = 3;
    // Each child logs its start, then waits (up to about a second, in 20
    // sleeps of 50 ms) until all three have started, and logs whether they all did
    // before it runs the real worker in its place (`exec` keeps its pid).
    // Children started together all see each other; a parent that waits
    // for each child before starting the next leaves the first ones alone.
    let barrier_worker = scripts.script(
        "barrier-worker",
        &format!(
            "echo start >> {log}\nattempts=0\n\
             while [ \"$(grep -c start {log})\" -lt {n_children} ]; do\n\
             \x20 attempts=$((attempts + 1))\n\
             \x20 if [ $attempts -gt 20 ]; then echo alone >> {log}; exec {worker} \"$@\"; fi\n\
             \x20 sleep 0.05\n\
             done\necho together >> {log}\nexec {worker} \"$@\"",
            log = shell_quoted(&log),
            worker = shell_quoted(worker_program()),
        ),
    );
    let call = format!("spawn_children({n_children}, barrier_worker)");
    let result = call_graded_within_limit(
        &call,
        "start every child, then wait for each one",
        Duration::from_secs(20),
        move || spawn_children(n_children, &barrier_worker),
    );
    let reports = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
    assert_no_children_left(&format!("{call} returned"));
    assert_eq!(reports.len(), n_children, "{call} returned {reports:?}");
    let events = std::fs::read_to_string(&log).unwrap_or_default();
    let n_alone = events.lines().filter(|event| *event == "alone").count();
    assert!(
        n_alone == 0 && events.lines().filter(|event| *event == "together").count() == n_children,
        "children ran one after another: {n_alone} of {n_children} children waited in vain for \
         their siblings to start (log: {:?}); start every child before waiting for any \
         (Command::output() or spawn-then-wait in one loop runs them one at a time)",
        events.lines().collect::<Vec<_>>()
    );
}

pub fn spawn_children_reports_a_failing_or_lying_child_as_an_error_and_waits_for_all() {
    let scripts = ScriptFolder::new("hello-misbehaving");
    let worker = shell_quoted(worker_program());
    // The scripts are started as `SCRIPT hello IDX`: the index is `$2`.
    let cases = [
        (
            scripts.script(
                "second-fails",
                &format!(
                    "if [ \"$2\" = 1 ]; then echo 'child 1 broke' >&2; exit 9; fi\n\
                     exec {worker} \"$@\""
                ),
            ),
            "the second of three children exiting with status 9",
            "ChildFailed",
        ),
        (
            scripts.script("killed", "kill -9 $$"),
            "children killed by SIGKILL",
            "ChildFailed",
        ),
        (
            scripts.script(
                "wrong-pid",
                "echo \"child $2: pid 1, parent $PPID\"\nexit $2",
            ),
            "children claiming to be pid 1 (not what Child::id says)",
            "UnreadableOutput",
        ),
        (
            scripts.script(
                "wrong-parent",
                "echo \"child $2: pid $$, parent 1\"\nexit $2",
            ),
            "children claiming that pid 1 is their parent",
            "UnreadableOutput",
        ),
        (
            scripts.script("garbage", "echo 'hello, father'\nexit $2"),
            "children printing `hello, father`",
            "UnreadableOutput",
        ),
        (
            scripts.path().join("no-such-worker"),
            "a worker program that does not exist",
            "CouldNotStart",
        ),
    ];
    for (program, what, expected_variant) in cases {
        let (call, result) = spawn(3, program, what);
        let variant = variant_name(&result);
        assert_eq!(
            variant, expected_variant,
            "{call} returned {variant}; {what} must be ProcessError::{expected_variant}"
        );
        assert_no_children_left(&format!("{call} returned an error ({what})"));
    }
    // A good run afterwards still works: nothing above was left in a bad
    // state.
    let reports = call_graded("spawn_children(2, worker)", || {
        spawn_children(2, &worker_program())
    });
    assert!(
        reports.is_ok(),
        "spawn_children(2, worker) failed after the misbehaving runs: {:?}",
        reports.err()
    );
    assert_no_children_left("spawn_children(2, worker) returned");
}
