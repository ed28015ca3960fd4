//! The runner's verdict and isolation rules, tested against real processes.
//!
//! This file is both the test and the suite under test: started by `cargo
//! test` it runs the checks below; started by the runner with `--run NAME` it
//! behaves as a hidden suite whose tests misbehave on purpose (exit(0), abort,
//! stack overflow, deadlock, forged reports, leftover children...). Each
//! check runs one such test through the real [`Runner`] and asserts the
//! verdict, so no cargo build is involved and the whole file runs in a few
//! seconds.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use grader::answers::{AnswerKey, Answers, ReferenceRuns};
use grader::harness::Test;
use grader::protocol::{LIST_FLAG, REPORT_FD, RUN_FLAG};
use grader::runner::{AnswerCheck, Outcome, PlannedTest, Runner, TestRun};

/// How a misbehaving test tells the check the pid of a child it starts:
/// a line of its output. The test may run in a pid namespace, where the
/// child's own number means nothing outside, so it gives the number `/proc`
/// shows (the grader's view) of its one child.
const CHILD_PID_PREFIX: &str = "selftest child pid ";

fn tell_child_pid() {
    let children = std::fs::read_to_string("/proc/thread-self/children").unwrap();
    println!(
        "{CHILD_PID_PREFIX}{}",
        children.split_whitespace().next().unwrap()
    );
}

// ---------------------------------------------------------------------------
// The misbehaving suite.

fn passes() {}

fn panics_with_a_message() {
    panic!("expected 200000, got 143512");
}

fn panics_in_a_spawned_thread() {
    std::thread::spawn(|| panic!("worker lost an item"))
        .join()
        .unwrap();
}

fn exits_zero() {
    std::process::exit(0);
}

fn exits_zero_from_another_thread() {
    std::thread::spawn(|| std::process::exit(0));
    std::thread::sleep(Duration::from_secs(5));
}

fn prints_fake_pass_lines_and_exits_zero() {
    println!("test result: ok. 99 passed; 0 failed; 0 ignored");
    println!(
        r#"{{ "type": "test", "event": "ok", "name": "prints_fake_pass_lines_and_exits_zero" }}"#
    );
    eprintln!(r#"{{"secret":"","test":"prints_fake_pass_lines_and_exits_zero","outcome":"pass"}}"#);
    std::process::exit(0);
}

fn forges_a_report_on_the_grader_channel() {
    // Code under test can find the report descriptor, but not the secret.
    let forged = br#"{"secret":"0123456789abcdef0123456789abcdef","test":"forges_a_report_on_the_grader_channel","outcome":"pass"}
"#;
    // SAFETY: writes to a descriptor number; this is the attack under test.
    unsafe { libc::write(REPORT_FD, forged.as_ptr().cast(), forged.len()) };
    std::process::exit(0);
}

fn aborts() {
    std::process::abort();
}

fn overflows_its_stack() {
    #[allow(unconditional_recursion)] // The point of the test.
    fn recurse(depth: u64) -> u64 {
        let padding = std::hint::black_box([depth; 64]);
        recurse(depth + 1) + padding[3]
    }
    std::hint::black_box(recurse(0));
}

fn deadlocks() {
    let first = Arc::new(Mutex::new(()));
    let second = Arc::new(Mutex::new(()));
    let barrier = Arc::new(std::sync::Barrier::new(2));
    let other = {
        let (first, second, barrier) = (first.clone(), second.clone(), barrier.clone());
        std::thread::spawn(move || {
            let _second = second.lock().unwrap();
            barrier.wait();
            let _first = first.lock().unwrap();
        })
    };
    let _first = first.lock().unwrap();
    barrier.wait();
    let _second = second.lock().unwrap();
    other.join().unwrap();
}

fn loops_forever() {
    let mut counter = 0u64;
    loop {
        counter = std::hint::black_box(counter.wrapping_add(1));
    }
}

#[allow(clippy::zombie_processes)] // Leaving it behind is the point of the test.
fn leaves_a_sleeping_child() {
    let _child = std::process::Command::new("sleep")
        .arg("3600")
        .spawn()
        .unwrap();
    tell_child_pid();
    // The test itself passes; the grader must still kill the child.
}

#[allow(clippy::zombie_processes)] // Leaving it behind is the point of the test.
fn fails_leaving_a_sleeping_child() {
    let _child = std::process::Command::new("sleep")
        .arg("3600")
        .spawn()
        .unwrap();
    tell_child_pid();
    panic!("the assertion that failed");
}

#[allow(clippy::zombie_processes)] // Not waiting for it is the point of the test.
fn leaves_an_exited_child() {
    let _child = std::process::Command::new("true").spawn().unwrap();
    tell_child_pid();
    // Let it finish, so that it is a zombie rather than still starting.
    std::thread::sleep(Duration::from_millis(200));
}

fn waits_for_a_sleeping_child() {
    let mut child = std::process::Command::new("sleep")
        .arg("3600")
        .spawn()
        .unwrap();
    tell_child_pid();
    child.wait().unwrap();
}

fn floods_its_output() {
    let line = "x".repeat(1023);
    let mut stdout = std::io::stdout().lock();
    for _ in 0..10_000 {
        writeln!(stdout, "{line}").unwrap();
    }
}

fn reports_a_metric() {
    grader::harness::metric("speedup", 1.93);
}

/// The label of the answer checks' one value (the lecture's test vector:
/// the primes below 10 add up to 17).
const ANSWER_LABEL: &str = "sum_of_primes_below(10)";

fn records_the_right_answer() {
    grader::harness::answer(ANSWER_LABEL, &17u64);
}

fn records_a_wrong_answer() {
    // Asserts nothing: its process reports a pass.
    grader::harness::answer_with(
        ANSWER_LABEL,
        &18u64,
        grader::harness::AnswerOptions {
            likely_mistakes: &[(19, "off by one")],
            ..Default::default()
        },
    );
}

fn forges_a_pass_record_with_the_secret() {
    // As if graded code had found the secret in its memory: a well-formed
    // pass record, a wrong value, and a tolerance that would cover it.
    let forged = format!(
        "{{\"secret\":\"{SELFTEST_SECRET}\",\"test\":\"forges_a_pass_record_with_the_secret\",\
         \"outcome\":\"pass\",\"answers\":{{\"{ANSWER_LABEL}\":{{\"value\":18,\"tolerance\":1e9}}}}}}\n"
    );
    // SAFETY: writes to a descriptor number; this is the attack under test.
    unsafe { libc::write(REPORT_FD, forged.as_ptr().cast(), forged.len()) };
    std::process::exit(0);
}

const SUITE: &[Test] = &[
    Test {
        name: "passes",
        run: passes,
    },
    Test {
        name: "panics_with_a_message",
        run: panics_with_a_message,
    },
    Test {
        name: "panics_in_a_spawned_thread",
        run: panics_in_a_spawned_thread,
    },
    Test {
        name: "exits_zero",
        run: exits_zero,
    },
    Test {
        name: "exits_zero_from_another_thread",
        run: exits_zero_from_another_thread,
    },
    Test {
        name: "prints_fake_pass_lines_and_exits_zero",
        run: prints_fake_pass_lines_and_exits_zero,
    },
    Test {
        name: "forges_a_report_on_the_grader_channel",
        run: forges_a_report_on_the_grader_channel,
    },
    Test {
        name: "aborts",
        run: aborts,
    },
    Test {
        name: "overflows_its_stack",
        run: overflows_its_stack,
    },
    Test {
        name: "deadlocks",
        run: deadlocks,
    },
    Test {
        name: "loops_forever",
        run: loops_forever,
    },
    Test {
        name: "leaves_a_sleeping_child",
        run: leaves_a_sleeping_child,
    },
    Test {
        name: "fails_leaving_a_sleeping_child",
        run: fails_leaving_a_sleeping_child,
    },
    Test {
        name: "leaves_an_exited_child",
        run: leaves_an_exited_child,
    },
    Test {
        name: "waits_for_a_sleeping_child",
        run: waits_for_a_sleeping_child,
    },
    Test {
        name: "floods_its_output",
        run: floods_its_output,
    },
    Test {
        name: "reports_a_metric",
        run: reports_a_metric,
    },
    Test {
        name: "records_the_right_answer",
        run: records_the_right_answer,
    },
    Test {
        name: "records_a_wrong_answer",
        run: records_a_wrong_answer,
    },
    Test {
        name: "forges_a_pass_record_with_the_secret",
        run: forges_a_pass_record_with_the_secret,
    },
];

// ---------------------------------------------------------------------------
// The checks.

fn this_binary() -> PathBuf {
    std::env::current_exe().expect("the test binary knows its path")
}

/// The secret of every run in these checks (a real grade draws a fresh one).
const SELFTEST_SECRET: &str = "f00dfeedf00dfeedf00dfeedf00dfeed";

fn runner(jobs: usize) -> Runner {
    Runner {
        jobs,
        secret: SELFTEST_SECRET.to_owned(),
        lab_id: "lab0".to_owned(),
        implementation_args: String::new(),
    }
}

fn planned(name: &str, timeout: Duration) -> PlannedTest {
    PlannedTest {
        name: name.to_owned(),
        binary: this_binary(),
        timeout,
        alone: false,
        env: Vec::new(),
    }
}

fn run(name: &str, timeout: Duration) -> TestRun {
    runner(1).run_one(&planned(name, timeout))
}

/// Plays the reference solution in the answer checks: whatever the graded
/// test, the expected answers are those `reference_test` records, run in
/// its own process like a real reference run.
struct SelfReference {
    reference_test: &'static str,
}

impl ReferenceRuns for SelfReference {
    fn reference_answers(&self, _test_name: &str) -> Result<Answers, String> {
        runner(1).run_for_answers(&planned(self.reference_test, Duration::from_secs(10)))
    }
}

/// Runs `name` with its answers checked against those `reference_test`
/// records.
fn run_checked(name: &str, reference_test: &'static str) -> TestRun {
    let answer_key = AnswerKey::without_cache(Box::new(SelfReference { reference_test }));
    runner(1).run_one_checking(
        &planned(name, Duration::from_secs(10)),
        AnswerCheck::Against(&answer_key),
    )
}

fn expect(run: &TestRun, outcome: Outcome, message_part: &str) {
    assert_eq!(run.outcome, outcome, "{}: {run:#?}", run.name);
    assert!(
        run.message.contains(message_part),
        "{}: message should mention {message_part:?}, got {:?}",
        run.name,
        run.message
    );
}

/// True while a process with this pid exists and is not a zombie.
fn is_alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .next()
                .unwrap_or("");
            state != "Z" && state != "X"
        }
        Err(_) => false,
    }
}

fn run_leaving_child(name: &str, timeout: Duration) -> (TestRun, i32) {
    let run = run(name, timeout);
    let pid: i32 = run
        .output
        .lines()
        .find_map(|line| line.strip_prefix(CHILD_PID_PREFIX))
        .expect("the test printed its child's pid")
        .trim()
        .parse()
        .unwrap();
    (run, pid)
}

fn check_pass_needs_the_record() {
    let run = run("passes", Duration::from_secs(10));
    expect(&run, Outcome::Pass, "");
}

fn check_panic_message_is_the_failure_message() {
    expect(
        &run("panics_with_a_message", Duration::from_secs(10)),
        Outcome::Fail,
        "expected 200000, got 143512",
    );
    expect(
        &run("panics_in_a_spawned_thread", Duration::from_secs(10)),
        Outcome::Fail,
        "worker lost an item",
    );
}

fn check_exit_zero_is_a_failure() {
    expect(
        &run("exits_zero", Duration::from_secs(10)),
        Outcome::Fail,
        "std::process::exit",
    );
    expect(
        &run("exits_zero_from_another_thread", Duration::from_secs(10)),
        Outcome::Fail,
        "std::process::exit",
    );
}

fn check_printed_pass_lines_are_ignored() {
    let run = run(
        "prints_fake_pass_lines_and_exits_zero",
        Duration::from_secs(10),
    );
    expect(&run, Outcome::Fail, "std::process::exit");
    assert!(
        run.output.contains("99 passed"),
        "the fake line is kept as output: {:?}",
        run.output
    );
}

fn check_forged_report_is_a_failure() {
    expect(
        &run(
            "forges_a_report_on_the_grader_channel",
            Duration::from_secs(10),
        ),
        Outcome::Fail,
        "forged",
    );
}

fn check_abort_and_stack_overflow_crash() {
    expect(
        &run("aborts", Duration::from_secs(10)),
        Outcome::Crash,
        "SIGABRT",
    );
    expect(
        &run("overflows_its_stack", Duration::from_secs(10)),
        Outcome::Crash,
        "stack overflow",
    );
}

fn check_deadlock_and_endless_loop_time_out() {
    for name in ["deadlocks", "loops_forever"] {
        let deadline = Duration::from_millis(500);
        let started = Instant::now();
        let run = run(name, deadline);
        expect(&run, Outcome::Timeout, "did not finish within 0.5 s");
        // The verdict comes at the deadline, not many deadlines later.
        let deadlines_taken = started.elapsed().div_duration_f64(deadline);
        assert!(
            deadlines_taken < 20.0,
            "{name} took {deadlines_taken:.1} deadlines"
        );
    }
}

fn check_children_do_not_outlive_their_test() {
    let (run, pid) = run_leaving_child("leaves_a_sleeping_child", Duration::from_secs(10));
    expect(
        &run,
        Outcome::Fail,
        &format!("left 1 process running after the test ended: sleep (pid {pid})"),
    );
    assert!(
        !is_alive(pid),
        "the child {pid} left by an otherwise passing test is still running"
    );

    let (run, pid) = run_leaving_child("fails_leaving_a_sleeping_child", Duration::from_secs(10));
    expect(&run, Outcome::Fail, "the assertion that failed");
    assert!(
        run.message.contains(&format!(
            "it also left 1 process running after the test ended: sleep (pid {pid})"
        )),
        "a failure that also left a child behind says both: {}",
        run.message
    );
    assert!(
        !is_alive(pid),
        "the child {pid} of a failed test is still running"
    );

    // A child that ended by itself but was never waited for is a zombie of
    // the test process, not a running leftover: the test still passes.
    let (run, _) = run_leaving_child("leaves_an_exited_child", Duration::from_secs(10));
    expect(&run, Outcome::Pass, "");

    let (run, pid) = run_leaving_child("waits_for_a_sleeping_child", Duration::from_secs(2));
    expect(&run, Outcome::Timeout, "did not finish");
    assert!(
        !is_alive(pid),
        "the child {pid} of a timed-out test is still running"
    );
}

fn check_output_is_capped_without_blocking() {
    let run = run("floods_its_output", Duration::from_secs(20));
    expect(&run, Outcome::Pass, "");
    assert!(
        run.output.len() < 70 * 1024,
        "kept {} bytes",
        run.output.len()
    );
    assert!(
        run.output.contains("more bytes of output were dropped"),
        "{}",
        &run.output[run.output.len() - 200..]
    );
}

fn check_metrics_travel_with_the_record() {
    let run = run("reports_a_metric", Duration::from_secs(10));
    expect(&run, Outcome::Pass, "");
    assert_eq!(run.metrics.get("speedup"), Some(&1.93));
}

fn check_answers_are_compared_in_the_grader() {
    // The process of a test that records a wrong value reports a pass:
    // the test body holds no expected value to assert against.
    expect(
        &run("records_a_wrong_answer", Duration::from_secs(10)),
        Outcome::Pass,
        "",
    );
    let reference = "records_the_right_answer";
    expect(
        &run_checked("records_the_right_answer", reference),
        Outcome::Pass,
        "",
    );
    expect(
        &run_checked("records_a_wrong_answer", reference),
        Outcome::Fail,
        "sum_of_primes_below(10): got 18, expected 17",
    );
    // A forged pass with the right secret gains nothing: the grader's
    // comparison uses the reference's tolerance, not the record's.
    expect(
        &run_checked("forges_a_pass_record_with_the_secret", reference),
        Outcome::Fail,
        "sum_of_primes_below(10): got 18, expected 17",
    );
    // Nor does a pass that records nothing.
    expect(
        &run_checked("passes", reference),
        Outcome::Fail,
        "sum_of_primes_below(10): no value recorded, expected 17",
    );
    // A test whose reference run fails is not graded, never passed.
    expect(
        &run_checked("records_the_right_answer", "panics_with_a_message"),
        Outcome::NotRun,
        "the reference solution did not pass this test",
    );
}

fn check_unknown_test_fails_cleanly() {
    expect(
        &run("no_such_test", Duration::from_secs(10)),
        Outcome::Fail,
        "status 2",
    );
}

fn check_listing_and_parallel_run() {
    let runner = runner(4);
    let listed = grader::runner::list_tests(&this_binary()).unwrap();
    let expected: Vec<&str> = SUITE.iter().map(|test| test.name).collect();
    assert_eq!(listed, expected);

    let plan: Vec<PlannedTest> = [
        "passes",
        "aborts",
        "deadlocks",
        "exits_zero",
        "panics_with_a_message",
    ]
    .iter()
    .map(|name| PlannedTest {
        name: (*name).to_owned(),
        binary: this_binary(),
        timeout: Duration::from_secs(4),
        alone: *name == "aborts",
        env: Vec::new(),
    })
    .collect();
    let seen = Mutex::new(Vec::new());
    let runs = runner.run_all(&plan, &|run| seen.lock().unwrap().push(run.name.clone()));
    let outcomes: Vec<Outcome> = runs.iter().map(|run| run.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Pass,
            Outcome::Crash,
            Outcome::Timeout,
            Outcome::Fail,
            Outcome::Fail
        ],
        "{runs:#?}"
    );
    assert_eq!(
        seen.lock().unwrap()[0],
        "aborts",
        "tests marked alone run first"
    );
    assert_eq!(seen.lock().unwrap().len(), plan.len());
}

const CHECKS: &[(&str, fn())] = &[
    ("pass_needs_the_record", check_pass_needs_the_record),
    (
        "panic_message_is_the_failure_message",
        check_panic_message_is_the_failure_message,
    ),
    ("exit_zero_is_a_failure", check_exit_zero_is_a_failure),
    (
        "printed_pass_lines_are_ignored",
        check_printed_pass_lines_are_ignored,
    ),
    (
        "forged_report_is_a_failure",
        check_forged_report_is_a_failure,
    ),
    (
        "abort_and_stack_overflow_crash",
        check_abort_and_stack_overflow_crash,
    ),
    (
        "deadlock_and_endless_loop_time_out",
        check_deadlock_and_endless_loop_time_out,
    ),
    (
        "children_do_not_outlive_their_test",
        check_children_do_not_outlive_their_test,
    ),
    (
        "output_is_capped_without_blocking",
        check_output_is_capped_without_blocking,
    ),
    (
        "metrics_travel_with_the_record",
        check_metrics_travel_with_the_record,
    ),
    (
        "answers_are_compared_in_the_grader",
        check_answers_are_compared_in_the_grader,
    ),
    (
        "unknown_test_fails_cleanly",
        check_unknown_test_fails_cleanly,
    ),
    ("listing_and_parallel_run", check_listing_and_parallel_run),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args
        .get(1)
        .is_some_and(|arg| arg == LIST_FLAG || arg == RUN_FLAG)
    {
        return grader::harness::main(SUITE);
    }
    // Mimic libtest's filtering and summary so `cargo test NAME` and CI's
    // summary reading behave as for any other test binary.
    let filter = args
        .iter()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .cloned();
    let selected: Vec<_> = CHECKS
        .iter()
        .filter(|(name, _)| {
            filter
                .as_ref()
                .is_none_or(|text| name.contains(text.as_str()))
        })
        .collect();
    println!("\nrunning {} tests", selected.len());
    let mut failed = Vec::new();
    // Sequential on purpose: one check sets an environment variable.
    for (name, check) in &selected {
        let result = std::panic::catch_unwind(check);
        println!(
            "test {name} ... {}",
            if result.is_ok() { "ok" } else { "FAILED" }
        );
        if result.is_err() {
            failed.push(*name);
        }
    }
    let verdict = if failed.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {verdict}. {} passed; {} failed; 0 ignored; 0 measured; {} filtered out\n",
        selected.len() - failed.len(),
        failed.len(),
        CHECKS.len() - selected.len()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
