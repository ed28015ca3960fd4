//! Measures the grader's per-test isolation overhead: from spawning a test
//! process to having its verdict, for a test whose body is empty.
//!
//! Run: `cargo run --release -p grader --example isolation_overhead [RUNS]`
//!
//! Every sandbox layer this machine has is on (the first line printed names
//! them); `GRADER_SANDBOX_DISABLE=cgroup,landlock ...` measures without
//! some, to see what each costs.
//!
//! Like the runner's own tests, this binary is also the suite it measures:
//! started with `--run`, it is a one-test hidden suite.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use grader::harness::Test;
use grader::runner::{Outcome, PlannedTest, Runner};

fn empty_test() {}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|arg| arg.starts_with("--")) {
        return grader::harness::main(&[Test {
            name: "empty_test",
            run: empty_test,
        }]);
    }
    let n_runs: usize = args.get(1).and_then(|arg| arg.parse().ok()).unwrap_or(300);
    let binary = std::env::current_exe().expect("the example knows its path");
    let runner = Runner {
        jobs: 1,
        secret: "0".repeat(32),
        lab_id: "lab0".to_owned(),
        implementation_args: String::new(),
    };
    let test = PlannedTest {
        name: "empty_test".to_owned(),
        binary,
        timeout: Duration::from_secs(10),
        alone: false,
        env: Vec::new(),
    };
    let layers = grader::sandbox::host().report();
    println!("sandbox layers: {}", layers.active.join(", "));
    for missing in &layers.missing {
        println!("  missing {}: {}", missing.layer, missing.reason);
    }
    // Warm the page cache and the dynamic loader once.
    let _ = runner.run_one(&test);
    let mut spans = Vec::with_capacity(n_runs);
    for _ in 0..n_runs {
        let started = Instant::now();
        let run = runner.run_one(&test);
        spans.push(started.elapsed());
        assert_eq!(run.outcome, Outcome::Pass, "{run:?}");
    }
    spans.sort();
    let at = |fraction: f64| {
        spans[((spans.len() - 1) as f64 * fraction) as usize].as_secs_f64() * 1000.0
    };
    println!(
        "isolation overhead over {n_runs} empty tests: median {:.2} ms, p10 {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        at(0.5),
        at(0.1),
        at(0.9),
        at(1.0)
    );
    ExitCode::SUCCESS
}
