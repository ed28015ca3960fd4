//! Exercise 3: processes. Every process count gives exactly the serial
//! estimate; the worker program prints its hit count and nothing else, and
//! fails cleanly on arguments it cannot read; a worker that fails, is
//! killed, prints garbage or cannot be started is an error for the parent,
//! never a panic or a hang; and the workers run at the same time.
//!
//! Misbehaving workers are shell scripts; the concurrency check wraps the
//! real worker program in a script that logs when each worker starts and
//! ends.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use lab6_monte_carlo::{
    PiWorkerArgs, ProcessError, SAMPLES_PER_BLOCK, count_hits_in_blocks, estimate_pi_processes,
    estimate_pi_serial,
};

use crate::support::{ScriptFolder, call_graded, call_graded_within, shell_quoted, worker_program};

/// Calls the graded `estimate_pi_processes` with a time limit and returns
/// its result as text for an error (the error types are not comparable).
fn processes(
    n_samples: u64,
    seed: u64,
    n_processes: usize,
    program: PathBuf,
    program_name: &str,
) -> (String, Result<f64, ProcessError>) {
    let call = format!("estimate_pi_processes({n_samples}, {seed}, {n_processes}, {program_name})");
    let result = call_graded_within(
        &call,
        "a parent must not wait forever: start every worker, then wait for each one",
        move || estimate_pi_processes(n_samples, seed, n_processes, &program),
    );
    (call, result)
}

/// Runs the graded worker program with `args` and returns what it did.
fn run_worker(args: Vec<String>) -> Output {
    let worker = worker_program();
    let call = format!("the worker program with arguments {args:?}");
    call_graded_within(&call, "the worker program never ended", move || {
        Command::new(&worker)
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|error| panic!("suite: cannot run {}: {error}", worker.display()))
    })
}

pub fn processes_give_exactly_the_serial_estimate_for_1_2_3_and_8_processes() {
    let cases = [
        (1, 1),
        (SAMPLES_PER_BLOCK - 1, 2),
        (SAMPLES_PER_BLOCK + 1, 3),
        (3 * SAMPLES_PER_BLOCK + 12_345, 4),
        (2_000_000, 5),
    ];
    for (n_samples, seed) in cases {
        let serial_call = format!("estimate_pi_serial({n_samples}, {seed})");
        let serial = call_graded(&serial_call, || estimate_pi_serial(n_samples, seed))
            .unwrap_or_else(|error| panic!("{serial_call} returned an error: {error}"));
        for n_processes in [1, 2, 3, 8] {
            let (call, result) =
                processes(n_samples, seed, n_processes, worker_program(), "worker");
            let estimate = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
            assert!(
                estimate.to_bits() == serial.to_bits(),
                "not reproducible: {call} = {estimate}, but {serial_call} = {serial}; each \
                 worker must count exactly its own whole blocks, and the parent must add every \
                 worker's hits"
            );
        }
    }
}

pub fn worker_program_prints_the_hit_count_of_its_blocks_and_nothing_else() {
    let n_samples = 3 * SAMPLES_PER_BLOCK + 5;
    for blocks in [1..4, 0..1, 2..2] {
        let request = PiWorkerArgs {
            n_samples,
            seed: 21,
            blocks: blocks.clone(),
        };
        let output = run_worker(request.to_args());
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "the worker program failed ({}) on {:?}; its standard error: {}",
            output.status,
            request.to_args(),
            String::from_utf8_lossy(&output.stderr)
        );
        let expected = call_graded(
            &format!("count_hits_in_blocks({n_samples}, 21, {blocks:?})"),
            || count_hits_in_blocks(n_samples, 21, blocks.clone()),
        );
        assert!(
            stdout.trim_end() == expected.to_string() && stdout.lines().count() == 1,
            "the worker program printed {stdout:?} for {:?}; it must print the hit count \
             ({expected}) and a newline on standard output, and nothing else (messages go to \
             standard error)",
            request.to_args()
        );
    }
}

pub fn worker_program_exits_with_a_failure_status_on_bad_arguments() {
    let bad_requests: [&[&str]; 6] = [
        &[],
        &["pi"],
        &[
            "integrate",
            "--samples",
            "10",
            "--seed",
            "1",
            "--blocks",
            "0..1",
        ],
        &["pi", "--samples", "ten", "--seed", "1", "--blocks", "0..1"],
        &["pi", "--samples", "10", "--seed", "1", "--blocks", "0..9"],
        &["pi", "--samples", "10", "--seed", "1"],
    ];
    for args in bad_requests {
        let output = run_worker(args.iter().map(|arg| (*arg).to_owned()).collect());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success(),
            "the worker program exited successfully on the bad arguments {args:?} (it printed \
             {:?}); it must report a failure status so that the parent notices",
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(
            !stderr.contains("panicked"),
            "the worker program panicked on the bad arguments {args:?}; it should print what \
             is wrong on standard error and exit with a failure status: {stderr}"
        );
    }
}

pub fn processes_report_a_failing_or_garbage_printing_worker_as_an_error() {
    let scripts = ScriptFolder::new("misbehaving-workers");
    let worker = worker_program();
    let failing = scripts.script("failing", "echo 'worker broke' >&2\nexit 3");
    let killed = scripts.script("killed", "kill -9 $$");
    let garbage = scripts.script("garbage", "echo 'hello, parent'");
    let silent = scripts.script("silent", "exit 0");
    let too_many = scripts.script("too-many-hits", "echo 99999999999");
    // Three workers of which only the one given the middle blocks fails:
    // the parent must still wait for the other two and report the failure.
    let middle_fails = scripts.script(
        "middle-fails",
        &format!(
            "case \"$*\" in\n  *'--blocks 1..2'*) echo 'middle worker broke' >&2; exit 4 ;;\n\
             esac\nexec {} \"$@\"",
            shell_quoted(&worker)
        ),
    );
    let missing = scripts.path().join("no-such-worker");
    let n_samples = 3 * SAMPLES_PER_BLOCK;
    let expectations = [
        (failing, "a worker exiting with status 3", "WorkerFailed"),
        (killed, "a worker killed by SIGKILL", "WorkerFailed"),
        (
            middle_fails,
            "the second of three workers exiting with status 4",
            "WorkerFailed",
        ),
        (
            garbage,
            "a worker printing `hello, parent`",
            "UnreadableOutput",
        ),
        (silent, "a worker printing nothing", "UnreadableOutput"),
        (
            too_many,
            "a worker printing more hits than it had samples",
            "UnreadableOutput",
        ),
        (
            missing,
            "a worker program that does not exist",
            "CouldNotStart",
        ),
    ];
    for (program, what, expected_variant) in expectations {
        let (call, result) = processes(n_samples, 5, 3, program, what);
        let variant = match &result {
            Ok(estimate) => panic!(
                "a misbehaving worker went unnoticed: {call} returned Ok({estimate}); {what} \
                 must be ProcessError::{expected_variant}"
            ),
            Err(ProcessError::WorkerFailed { .. }) => "WorkerFailed",
            Err(ProcessError::UnreadableOutput { .. }) => "UnreadableOutput",
            Err(ProcessError::CouldNotStart { .. }) => "CouldNotStart",
            Err(ProcessError::CouldNotWait { .. }) => "CouldNotWait",
            Err(ProcessError::InvalidRequest(_)) => "InvalidRequest",
            Err(_) => "another error",
        };
        assert_eq!(
            variant,
            expected_variant,
            "{call} returned {:?}; {what} must be ProcessError::{expected_variant}",
            result.as_ref().err()
        );
    }
}

pub fn processes_run_their_workers_at_the_same_time() {
    let scripts = ScriptFolder::new("logging-workers");
    let log = scripts.path().join("starts-and-ends.log");
    // Each worker logs its start, sleeps half a second, runs the real
    // worker and logs its end. Workers started together log three starts
    // before any end; workers run one after another alternate.
    let logging_worker = scripts.script(
        "logging-worker",
        &format!(
            "echo start >> {log}\nsleep 0.5\n{worker} \"$@\"\nstatus=$?\necho end >> {log}\n\
             exit $status",
            log = shell_quoted(&log),
            worker = shell_quoted(worker_program()),
        ),
    );
    let n_samples = 3 * SAMPLES_PER_BLOCK;
    let serial = call_graded("estimate_pi_serial(3 * 65536, 6)", || {
        estimate_pi_serial(n_samples, 6)
    })
    .unwrap_or_else(|error| panic!("estimate_pi_serial(3 * 65536, 6) returned an error: {error}"));
    let (call, result) = processes(n_samples, 6, 3, logging_worker, "logging_worker");
    let estimate = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
    assert!(
        estimate.to_bits() == serial.to_bits(),
        "{call} = {estimate}, but the serial estimate is {serial}"
    );
    let events: Vec<String> = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        events.len(),
        6,
        "expected 3 workers to start and end, the log shows {events:?}"
    );
    assert!(
        events[..3].iter().all(|event| event == "start"),
        "workers ran one after another: the log of starts and ends is {events:?}; start every \
         worker before waiting for any (Command::output() in a loop waits for each child before \
         starting the next)"
    );
}
