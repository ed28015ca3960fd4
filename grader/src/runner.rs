//! Running a hidden suite's tests, one OS process each, and deciding each
//! test's verdict.
//!
//! The verdict rules live here and nowhere else. A test passes only if its
//! process exits with status 0 *and* sent, on its private report channel, a
//! pass record carrying this run's secret and the test's own name, *and* the
//! values it recorded ([`crate::harness::answer`]) are those the reference
//! solution records in the same test ([`crate::answers`]; checked by
//! [`Runner::run_all_checking_answers`]). What the test prints is captured
//! and shown, never interpreted.
//!
//! Scheduling: tests marked `alone` run first, one at a time; the others then
//! run on `jobs` worker threads. This module does not write files; it hands
//! every finished test to a callback as soon as it ends.
//!
//! A lab's *public* tests (`tests/public.rs`, a libtest binary) run through
//! the same scheduling and process supervision, but they do not speak the
//! secret-record protocol: their verdict is libtest's exit status
//! ([`Runner::run_all_libtest`], [`judge_libtest`]). See that function for
//! why that is acceptable.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::answers::{self, AnswerKey, Answers, Expected};
use crate::process::{self, ChildSpec, Exit, Observed};
use crate::protocol::{
    CHANNEL_FLAG, IMPLEMENTATION_ARGS_ENV, LAB_ENV, LIST_EXPERIMENTS_FLAG, LIST_FLAG,
    MAX_RECORD_BYTES, Measurement, RUN_FLAG, Record, RecordOutcome, TEST_ENV,
};
use crate::sandbox::Policy;
use crate::{Error, ErrorKind};

/// How much of a test's merged stdout and stderr is kept.
pub const OUTPUT_CAP_BYTES: usize = 64 * 1024;

/// The verdict of one test.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    Pass,
    /// The test's assertions failed, or the process ended without
    /// reporting (for instance through `std::process::exit`).
    Fail,
    /// The test did not finish before its deadline (deadlock, endless loop).
    Timeout,
    /// The process was killed by a signal (abort, stack overflow, segfault).
    Crash,
    /// The run was interrupted or could not start the test; it has no
    /// verdict and scores nothing.
    NotRun,
}

impl Outcome {
    pub fn is_pass(self) -> bool {
        self == Outcome::Pass
    }
}

/// One test the runner is asked to run.
#[derive(Debug, Clone)]
pub struct PlannedTest {
    pub name: String,
    /// The suite binary that holds the test (a lab may have a native and an
    /// exploring build).
    pub binary: PathBuf,
    pub timeout: Duration,
    pub alone: bool,
    /// More environment for the test's process (the worker program's path,
    /// the bench mode of an experiment).
    pub env: Vec<(String, OsString)>,
}

/// What the runner found for one test.
#[derive(Debug, Clone)]
pub struct TestRun {
    pub name: String,
    pub outcome: Outcome,
    /// Why it did not pass, in plain words; empty for a pass.
    pub message: String,
    pub duration: Duration,
    /// Captured stdout and stderr, merged.
    pub output: String,
    pub metrics: BTreeMap<String, f64>,
    /// What a timing experiment measured (empty for tests).
    pub measurements: Vec<Measurement>,
}

/// Runs the tests of compiled hidden suites.
#[derive(Debug, Clone)]
pub struct Runner {
    pub jobs: usize,
    /// The per-run secret; see [`crate::protocol`].
    pub secret: String,
    /// The lab's id (`lab3`), given to test processes for replay commands.
    pub lab_id: String,
    /// The command-line arguments that chose the implementation, given to
    /// test processes for replay commands.
    pub implementation_args: String,
}

/// Asks a suite binary which tests it has.
pub fn list_tests(suite_binary: &Path) -> Result<Vec<String>, Error> {
    list_names(suite_binary, LIST_FLAG)
}

/// Asks a suite binary which timing experiments it has.
pub fn list_experiments(suite_binary: &Path) -> Result<Vec<String>, Error> {
    list_names(suite_binary, LIST_EXPERIMENTS_FLAG)
}

fn list_names(suite_binary: &Path, flag: &str) -> Result<Vec<String>, Error> {
    let output = listing_output(suite_binary, &[flag]).map_err(|message| {
        Error::new(ErrorKind::Suite {
            path: suite_binary.to_path_buf(),
            message,
        })
    })?;
    Ok(output
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(String::from)
        .collect())
}

/// Runs `binary args` under supervision (a listing must not hang the
/// grader either) and returns what it printed, or why it failed.
fn listing_output(binary: &Path, args: &[&str]) -> Result<String, String> {
    let observed = process::supervise(&ChildSpec {
        program: binary,
        args: args.iter().map(|arg| (*arg).into()).collect(),
        env: Vec::new(),
        timeout: Duration::from_secs(30),
        secret: None,
        output_cap: 1024 * 1024,
        report_cap: 0,
        separate_stdout: false,
        echo_output: false,
        policy: Policy::for_test(Duration::from_secs(30), vec![binary.to_path_buf()]),
    })
    .map_err(|err| err.to_string())?;
    let output = String::from_utf8_lossy(&observed.output).into_owned();
    if observed.exit != Exit::Code(0) {
        return Err(format!(
            "listing its tests ({}) ended with {:?}: {output}",
            args.join(" "),
            observed.exit
        ));
    }
    Ok(output)
}

/// Whether a run's recorded answers are checked, and against what.
#[derive(Debug, Clone, Copy)]
pub enum AnswerCheck<'k, 'a> {
    /// Not compared: a timing experiment, a run whose answers are wanted
    /// (the reference's, [`Runner::run_for_answers`]), a self-test.
    NotCompared,
    /// Compared with the key's expected answers, or, when the key learns
    /// from the reference's own grade, added to it.
    Against(&'k AnswerKey<'a>),
}

impl Runner {
    /// Runs every planned test and calls `on_finish` as each one ends (from
    /// worker threads, one call at a time). Returns the runs in plan order.
    /// Recorded answers are not compared: a grade uses
    /// [`Runner::run_all_checking_answers`].
    pub fn run_all(
        &self,
        plan: &[PlannedTest],
        on_finish: &(dyn Fn(&TestRun) + Sync),
    ) -> Vec<TestRun> {
        self.schedule(plan, on_finish, &|test| self.run_one(test))
    }

    /// [`Runner::run_all`], and a test passes only if the answers it
    /// recorded are those `answer_key` expects. The reference runs a test
    /// (through the key) only when a graded run of it passed otherwise, on
    /// the same worker, right after it, so an `alone` test's reference run
    /// is alone too.
    pub fn run_all_checking_answers(
        &self,
        plan: &[PlannedTest],
        answer_key: &AnswerKey<'_>,
        on_finish: &(dyn Fn(&TestRun) + Sync),
    ) -> Vec<TestRun> {
        self.schedule(plan, on_finish, &|test| {
            self.run_one_checking(test, AnswerCheck::Against(answer_key))
        })
    }

    /// Runs every planned test of a libtest binary (a lab's public tests),
    /// each in its own process, scheduled as [`Runner::run_all`] does; the
    /// verdict is libtest's exit status ([`judge_libtest`]).
    pub fn run_all_libtest(
        &self,
        plan: &[PlannedTest],
        on_finish: &(dyn Fn(&TestRun) + Sync),
    ) -> Vec<TestRun> {
        self.schedule(plan, on_finish, &|test| self.run_one_libtest(test))
    }

    /// The scheduling shared by both kinds of test binary: `alone` tests
    /// first, one at a time, then the rest on `jobs` worker threads.
    fn schedule(
        &self,
        plan: &[PlannedTest],
        on_finish: &(dyn Fn(&TestRun) + Sync),
        run_one: &(dyn Fn(&PlannedTest) -> TestRun + Sync),
    ) -> Vec<TestRun> {
        let finished: Mutex<Vec<Option<TestRun>>> = Mutex::new(vec![None; plan.len()]);
        let record = |test_idx: usize, run: TestRun| {
            let mut finished = finished
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            on_finish(&run);
            finished[test_idx] = Some(run);
        };

        let (alone, shared): (Vec<usize>, Vec<usize>) =
            (0..plan.len()).partition(|&test_idx| plan[test_idx].alone);
        for test_idx in alone {
            record(test_idx, run_one(&plan[test_idx]));
        }
        let next_shared = AtomicUsize::new(0);
        let n_workers = self.jobs.clamp(1, shared.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..n_workers {
                scope.spawn(|| {
                    loop {
                        let position = next_shared.fetch_add(1, Ordering::Relaxed);
                        let Some(&test_idx) = shared.get(position) else {
                            break;
                        };
                        record(test_idx, run_one(&plan[test_idx]));
                    }
                });
            }
        });

        finished
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .into_iter()
            .map(|run| run.expect("every planned test was run"))
            .collect()
    }

    /// Runs one test in its own process and decides its verdict, without
    /// comparing its answers (see [`AnswerCheck::NotCompared`]).
    pub fn run_one(&self, test: &PlannedTest) -> TestRun {
        self.run_one_checking(test, AnswerCheck::NotCompared)
    }

    /// Runs one test (the reference's) and returns the answers it recorded,
    /// or, when it did not pass, its verdict and message.
    pub fn run_for_answers(&self, test: &PlannedTest) -> Result<Answers, String> {
        let (run, answers) = self.supervise_and_judge(test, AnswerCheck::NotCompared);
        if run.outcome.is_pass() {
            Ok(answers)
        } else {
            Err(format!(
                "{}: {}",
                serde_json::to_value(run.outcome)
                    .ok()
                    .and_then(|outcome| outcome.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                run.message
            ))
        }
    }

    /// Runs one test in its own process and decides its verdict, checking
    /// its answers as `answer_check` says.
    pub fn run_one_checking(
        &self,
        test: &PlannedTest,
        answer_check: AnswerCheck<'_, '_>,
    ) -> TestRun {
        self.supervise_and_judge(test, answer_check).0
    }

    fn supervise_and_judge(
        &self,
        test: &PlannedTest,
        answer_check: AnswerCheck<'_, '_>,
    ) -> (TestRun, Answers) {
        if process::is_interrupted() {
            return (
                not_run(test, "the run was interrupted before this test started"),
                Answers::new(),
            );
        }
        let args: Vec<OsString> = vec![
            RUN_FLAG.into(),
            test.name.clone().into(),
            CHANNEL_FLAG.into(),
        ];
        let mut env: Vec<(OsString, OsString)> = vec![
            (LAB_ENV.into(), self.lab_id.clone().into()),
            (TEST_ENV.into(), test.name.clone().into()),
            (
                IMPLEMENTATION_ARGS_ENV.into(),
                self.implementation_args.clone().into(),
            ),
            // A backtrace per panic buries the message a student needs;
            // `--replay` runs a test with the person's own setting.
            ("RUST_BACKTRACE".into(), "0".into()),
        ];
        env.extend(test_env(test));
        let spec = ChildSpec {
            program: &test.binary,
            args,
            env,
            timeout: test.timeout,
            secret: Some(self.secret.as_bytes()),
            output_cap: OUTPUT_CAP_BYTES,
            report_cap: MAX_RECORD_BYTES,
            separate_stdout: false,
            echo_output: false,
            policy: test_policy(test),
        };
        match process::supervise(&spec) {
            Ok(observed) => judge(test, &self.secret, observed, answer_check),
            Err(err) => (
                not_run(
                    test,
                    &format!("the grader could not start the test process: {err}"),
                ),
                Answers::new(),
            ),
        }
    }
}

impl Runner {
    /// Runs one test of a libtest binary in its own process: the binary
    /// with the test's exact name as its filter, ignored tests included, one
    /// test thread, and output not captured by libtest (the grader captures
    /// it, merged, as for hidden tests).
    pub fn run_one_libtest(&self, test: &PlannedTest) -> TestRun {
        if process::is_interrupted() {
            return not_run(test, "the run was interrupted before this test started");
        }
        let args: Vec<OsString> = vec![
            test.name.clone().into(),
            "--exact".into(),
            "--include-ignored".into(),
            "--nocapture".into(),
            "--test-threads=1".into(),
        ];
        let mut env: Vec<(OsString, OsString)> = vec![("RUST_BACKTRACE".into(), "0".into())];
        env.extend(test_env(test));
        let spec = ChildSpec {
            program: &test.binary,
            args,
            env,
            timeout: test.timeout,
            secret: None,
            output_cap: OUTPUT_CAP_BYTES,
            report_cap: 0,
            separate_stdout: false,
            echo_output: false,
            policy: test_policy(test),
        };
        match process::supervise(&spec) {
            Ok(observed) => judge_libtest(test, observed),
            Err(err) => not_run(
                test,
                &format!("the grader could not start the test process: {err}"),
            ),
        }
    }
}

/// The environment a planned test asks for (the worker program's path,
/// for a lab whose code starts processes), added to the runner's own.
/// What a test's process may touch: its own binary and the programs its
/// environment names (the worker program), besides the system.
fn test_policy(test: &PlannedTest) -> Policy {
    let mut programs = vec![test.binary.clone()];
    programs.extend(
        test.env
            .iter()
            .filter(|(name, _)| name == crate::protocol::WORKER_EXE_ENV)
            .map(|(_, value)| PathBuf::from(value)),
    );
    Policy::for_test(test.timeout, programs)
}

fn test_env(test: &PlannedTest) -> impl Iterator<Item = (OsString, OsString)> + '_ {
    test.env
        .iter()
        .map(|(name, value)| (name.into(), value.clone()))
}

/// Asks a libtest binary (a lab's public tests) for its tests, through
/// `--list --format terse`: one `name: test` line per test.
pub fn list_libtests(test_binary: &Path) -> Result<Vec<String>, Error> {
    let output =
        listing_output(test_binary, &["--list", "--format", "terse"]).map_err(|message| {
            Error::new(ErrorKind::PublicTests {
                path: test_binary.to_path_buf(),
                message,
            })
        })?;
    Ok(output
        .lines()
        .filter_map(|line| line.trim().strip_suffix(": test"))
        .map(str::to_owned)
        .collect())
}

/// The verdict of a public test: libtest's exit status. 0 is a pass; 101
/// (a failed test) is a failure whose message is the first panic's message
/// taken from the output; a deadline, a signal or another status are judged
/// as for hidden tests, and so are processes left behind.
///
/// A public test sends no record, so a test process that exits 0 early
/// (`std::process::exit(0)` in the code under test) passes here. That is
/// acceptable because public tests grade nothing that counts: they are a
/// student's own check, one point each, and never the lab's grade. The
/// hidden suite, which decides the grade, keeps the secret-record protocol.
/// The output is read only to show the panic's message, never for the
/// verdict.
pub fn judge_libtest(test: &PlannedTest, observed: Observed) -> TestRun {
    let mut output = String::from_utf8_lossy(&observed.output).into_owned();
    if observed.output_dropped > 0 {
        output.push_str(&format!(
            "\n[grader: {} more bytes of output were dropped; the limit is {} KiB]",
            observed.output_dropped,
            OUTPUT_CAP_BYTES / 1024
        ));
    }
    const LIBTEST_FAILED_STATUS: i32 = 101;
    let (outcome, message) = match observed.exit {
        Exit::Interrupted => (
            Outcome::NotRun,
            "the run was interrupted while this test ran".to_owned(),
        ),
        Exit::TimedOut => (
            Outcome::Timeout,
            format!(
                "did not finish within {:.1} s: a deadlock, a lost wake-up or an endless loop \
                 (a thread waiting for something that never happens)",
                test.timeout.as_secs_f64()
            ),
        ),
        Exit::Signal(signal) => (
            Outcome::Crash,
            crash_message(signal, &output, observed.memory_limit_hit),
        ),
        Exit::Code(0) => (Outcome::Pass, String::new()),
        Exit::Code(LIBTEST_FAILED_STATUS) => (
            Outcome::Fail,
            libtest_panic_message(&output).unwrap_or_else(|| {
                "the test failed without a panic message (see its output)".to_owned()
            }),
        ),
        Exit::Code(code) => (
            Outcome::Fail,
            format!(
                "the test process exited with status {code} before the test finished \
                 (std::process::exit in the code under test?)"
            ),
        ),
    };
    let (outcome, message) = blame_left_behind(outcome, message, &observed.left_behind);
    TestRun {
        name: test.name.clone(),
        outcome,
        message,
        duration: observed.duration,
        output,
        metrics: BTreeMap::new(),
        measurements: Vec::new(),
    }
}

/// The message of the first panic in libtest's output, and where it
/// happened. A panic prints `thread 'NAME' (ID) panicked at FILE:LINE:COL:`
/// and then the message, up to the `note: run with RUST_BACKTRACE` line
/// (printed after a process's first panic only), a backtrace, another
/// panic, or libtest's verdict.
fn libtest_panic_message(output: &str) -> Option<String> {
    let mut lines = output.lines();
    let location = lines.find_map(|line| {
        // The header may follow libtest's `test NAME ... ` on the same
        // line: stdout and stderr are merged.
        let (_, rest) = line.split_once("thread '")?;
        let (_, after_name) = rest.split_once("panicked at ")?;
        Some(after_name.trim_end().trim_end_matches(':').to_owned())
    })?;
    let message: Vec<&str> = lines
        .take_while(|line| {
            !line.starts_with("note: ")
                && !line.starts_with("thread '")
                && !line.starts_with("stack backtrace:")
                && *line != "FAILED"
        })
        .collect();
    let message = message.join("\n").trim().to_owned();
    Some(if message.is_empty() {
        format!("panicked at {location}")
    } else {
        format!("{message}\n(panicked at {location})")
    })
}

fn not_run(test: &PlannedTest, message: &str) -> TestRun {
    TestRun {
        name: test.name.clone(),
        outcome: Outcome::NotRun,
        message: message.to_owned(),
        duration: Duration::ZERO,
        output: String::new(),
        metrics: BTreeMap::new(),
        measurements: Vec::new(),
    }
}

/// The verdict rules. Only a well-formed record with the right secret and
/// name, followed by a clean exit, and answers equal to the expected ones
/// (when checked), is a pass. Also returns the answers the record carried.
///
/// Answers are checked last, and only for a run that would pass otherwise:
/// a failure of the body says more than its values, and a run of the
/// reference is then not needed. A test whose expected answers are unknown
/// (its reference run failed) is `NOT_RUN`, never a pass.
fn judge(
    test: &PlannedTest,
    secret: &str,
    observed: Observed,
    answer_check: AnswerCheck<'_, '_>,
) -> (TestRun, Answers) {
    let mut output = String::from_utf8_lossy(&observed.output).into_owned();
    if observed.output_dropped > 0 {
        output.push_str(&format!(
            "\n[grader: {} more bytes of output were dropped; the limit is {} KiB]",
            observed.output_dropped,
            OUTPUT_CAP_BYTES / 1024
        ));
    }
    let record = parse_record(&observed.report, observed.report_overflowed);
    let mut metrics = BTreeMap::new();
    let mut measurements = Vec::new();
    let mut answers = Answers::new();
    let (outcome, message) = match (observed.exit, record) {
        (Exit::Interrupted, _) => (
            Outcome::NotRun,
            "the run was interrupted while this test ran".to_owned(),
        ),
        (Exit::TimedOut, _) => (
            Outcome::Timeout,
            format!(
                "did not finish within {:.1} s: a deadlock, a lost wake-up or an endless loop \
                 (a thread waiting for something that never happens)",
                test.timeout.as_secs_f64()
            ),
        ),
        (Exit::Signal(signal), _) => (
            Outcome::Crash,
            crash_message(signal, &output, observed.memory_limit_hit),
        ),
        (_, Err(problem)) if !observed.report.is_empty() => (
            Outcome::Fail,
            format!(
                "the test process sent an invalid report ({problem}); code under test must not write to the grader's channel"
            ),
        ),
        (Exit::Code(code), Err(_)) => (Outcome::Fail, no_record_message(code)),
        (Exit::Code(code), Ok(record)) => {
            if record.secret != secret || record.test != test.name {
                (
                    Outcome::Fail,
                    "the test process sent a forged report (wrong secret or test name); \
                     code under test must not write to the grader's channel"
                        .to_owned(),
                )
            } else {
                metrics = record.metrics;
                measurements = record.measurements;
                answers = record.answers;
                match (record.outcome, code) {
                    (RecordOutcome::Pass, 0) => (Outcome::Pass, String::new()),
                    (RecordOutcome::Pass, code) => (
                        Outcome::Fail,
                        format!(
                            "the test body finished but its process then exited with status {code}"
                        ),
                    ),
                    (RecordOutcome::Fail, _) => (Outcome::Fail, record.message),
                }
            }
        }
    };
    let (outcome, message) = blame_left_behind(outcome, message, &observed.left_behind);
    let (outcome, message) = if outcome.is_pass() {
        judge_answers(&test.name, &answers, answer_check)
    } else {
        (outcome, message)
    };
    let run = TestRun {
        name: test.name.clone(),
        outcome,
        message,
        duration: observed.duration,
        output,
        metrics,
        measurements,
    };
    (run, answers)
}

/// The verdict of a run that passed in its own process, from its answers.
fn judge_answers(
    test_name: &str,
    answers: &Answers,
    answer_check: AnswerCheck<'_, '_>,
) -> (Outcome, String) {
    let AnswerCheck::Against(answer_key) = answer_check else {
        return (Outcome::Pass, String::new());
    };
    if answer_key.learns_from_graded_runs() {
        return match answer_key.learn(test_name, answers) {
            Ok(()) => (Outcome::Pass, String::new()),
            Err(answers::NotReproducible(message)) => (Outcome::Fail, message),
        };
    }
    match answer_key.expected(test_name) {
        Expected::Known(expected) => {
            let mismatches = answers::compare(answers, &expected);
            if mismatches.is_empty() {
                (Outcome::Pass, String::new())
            } else {
                (Outcome::Fail, answers::describe_mismatches(&mismatches))
            }
        }
        Expected::Unknown(reason) => (
            Outcome::NotRun,
            format!(
                "not graded: the reference solution did not pass this test, so the grader does                  not know the values it must check ({reason}); an instructor's mistake, not the                  student's"
            ),
        ),
    }
}

/// A test that left processes running fails, whatever its body asserted:
/// the work it started outlived it, unsupervised. A failure keeps its own
/// message first and gains this one.
fn blame_left_behind(
    outcome: Outcome,
    message: String,
    left_behind: &[process::LeftBehind],
) -> (Outcome, String) {
    if left_behind.is_empty() {
        return (outcome, message);
    }
    const NAMED_AT_MOST: usize = 5;
    let mut named: Vec<String> = left_behind
        .iter()
        .take(NAMED_AT_MOST)
        .map(|process| format!("{} (pid {})", process.command, process.pid))
        .collect();
    if left_behind.len() > NAMED_AT_MOST {
        named.push(format!("and {} more", left_behind.len() - NAMED_AT_MOST));
    }
    let count = match left_behind.len() {
        1 => "1 process".to_owned(),
        n => format!("{n} processes"),
    };
    let blame = format!(
        "left {count} running after the test ended: {}; every child a function starts must be \
         waited for (Child::wait) before it returns, on success and on failure alike (the \
         grader killed them)",
        named.join(", ")
    );
    match outcome {
        Outcome::Pass => (Outcome::Fail, blame),
        Outcome::NotRun | Outcome::Timeout => (outcome, message),
        Outcome::Fail | Outcome::Crash => (outcome, format!("{message}; it also {blame}")),
    }
}

fn parse_record(report: &[u8], overflowed: bool) -> Result<Record, String> {
    if overflowed {
        return Err("the report was too long".to_owned());
    }
    let text = std::str::from_utf8(report).map_err(|_| "the report is not UTF-8".to_owned())?;
    let mut lines = text.lines().filter(|line| !line.trim().is_empty());
    let first = lines.next().ok_or_else(|| "no report".to_owned())?;
    if lines.next().is_some() {
        return Err("more than one report".to_owned());
    }
    serde_json::from_str(first).map_err(|err| format!("unreadable report: {err}"))
}

fn no_record_message(code: i32) -> String {
    if code == 0 {
        "the test process exited with status 0 before the test finished: graded code must not \
         call std::process::exit (the test counts only if it runs to its end)"
            .to_owned()
    } else {
        format!(
            "the test process exited with status {code} before the test finished \
             (std::process::exit in graded code, or the harness could not start)"
        )
    }
}

fn crash_message(signal: i32, output: &str, memory_limit_hit: bool) -> String {
    let name = process::signal_name(signal);
    if memory_limit_hit && signal == libc::SIGKILL {
        format!(
            "killed with {name}: it used more memory than a test may ({} GiB)",
            crate::sandbox::Limits::for_test(std::time::Duration::ZERO).memory >> 30
        )
    } else if output.contains("has overflowed its stack") {
        format!("crashed with {name}: stack overflow (unbounded recursion?)")
    } else if signal == libc::SIGABRT {
        format!(
            "crashed with {name}: std::process::abort, a panic while panicking, or a failed allocation"
        )
    } else {
        format!("crashed with {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_panic_gives_a_public_tests_message_and_place() {
        let output = "\nrunning 1 test\ntest ex1::adds ... \
                      thread 'ex1::adds' (4242) panicked at src/ex1.rs:48:5:\n\
                      not yet implemented: exercise 1\n\
                      note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\
                      FAILED\n";
        assert_eq!(
            libtest_panic_message(output).as_deref(),
            Some("not yet implemented: exercise 1\n(panicked at src/ex1.rs:48:5)")
        );
        let assertion = "thread 'adds' panicked at tests/public.rs:9:5:\n\
                         assertion `left == right` failed\n  left: 1\n right: 2\n\
                         thread 'adds' panicked at tests/public.rs:10:5:\nsecond\n";
        assert_eq!(
            libtest_panic_message(assertion).as_deref(),
            Some(
                "assertion `left == right` failed\n  left: 1\n right: 2\n(panicked at tests/public.rs:9:5)"
            )
        );
        assert_eq!(libtest_panic_message("test result: ok"), None);
    }
}
