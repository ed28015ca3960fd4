//! Grading one lab from start to end: build, list, run, record.
//!
//! This is the one place that strings the other modules together, so that
//! `cargo xtask grade` and any later batch or autograder command grade in
//! exactly the same way. It writes the results folder as it goes and returns
//! the final [`LabResults`]; it prints nothing itself (the caller passes a
//! callback to show progress).

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use crate::build::{self, BuildOutcome, BuildRequest, Implementation};
use crate::course::{Course, Lab};
use crate::results::{
    BuildRecord, Environment, LabInfo, LabResults, RESULTS_SCHEMA_VERSION, TestResult, Totals,
    now_rfc3339,
};
use crate::runner::{Outcome, PlannedTest, Runner, TestRun};
use crate::Error;

/// What to grade and how.
#[derive(Debug, Clone)]
pub struct GradeRequest<'a> {
    pub course: &'a Course,
    pub lab: &'a Lab,
    pub implementation: Implementation,
    /// How many tests run at once (tests marked `alone` always run alone).
    pub jobs: usize,
    /// Only tests whose name contains this text.
    pub filter: Option<String>,
    /// Where `results.json` and `timing.json` go.
    pub out_dir: PathBuf,
    /// Multiplies every test's timeout (for slow machines).
    pub timeout_scale: f64,
    /// Echo the compiler's progress to stderr.
    pub echo_build: bool,
}

/// Progress events for a caller that shows them.
#[derive(Debug)]
pub enum Progress<'a> {
    Building,
    Running { total: usize },
    Finished { run: &'a TestRun, done: usize, total: usize },
    /// Something an instructor should fix; grading goes on.
    Warning(String),
}

/// Grades the lab; see the module docs.
pub fn grade(
    request: &GradeRequest<'_>,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<LabResults, Error> {
    let lab = request.lab;
    let implementation = request.implementation.describe(request.course, lab)?;
    let selected: Vec<_> = lab
        .tests
        .iter()
        .filter(|test| request.filter.as_ref().is_none_or(|text| test.name.contains(text.as_str())))
        .collect();
    let mut results = LabResults {
        schema_version: RESULTS_SCHEMA_VERSION,
        lab: LabInfo::of(lab),
        implementation: (&implementation).into(),
        environment: Environment::detect(request.jobs),
        started_at: now_rfc3339(),
        finished_at: None,
        complete: false,
        interrupted: false,
        filter: request.filter.clone(),
        build: BuildRecord { ok: false, duration_secs: 0.0, message: String::new() },
        tests: selected
            .iter()
            .map(|test| TestResult {
                name: test.name.clone(),
                points: 0,
                max_points: test.points,
                status: Outcome::NotRun,
                duration_secs: 0.0,
                message: "not run yet".to_owned(),
                output: String::new(),
                visibility: lab.visibility(test),
                alone: test.alone,
                timeout_secs: lab.timeout(test).as_secs_f64() * request.timeout_scale,
                metrics: Default::default(),
            })
            .collect(),
        totals: Totals::default(),
    };
    results.update_totals();
    results.write_files(&request.out_dir)?;

    progress(Progress::Building);
    let build_outcome = build::build_suite(&BuildRequest {
        course: request.course,
        lab,
        implementation: &implementation,
        key_source: &request.implementation,
        echo_progress: request.echo_build,
    })?;
    let suite = match build_outcome {
        BuildOutcome::Built(suite) => suite,
        BuildOutcome::Failed { compiler_output, duration } => {
            results.build = BuildRecord { ok: false, duration_secs: duration.as_secs_f64(), message: compiler_output };
            for test in &mut results.tests {
                test.status = Outcome::Fail;
                test.message = "not graded: the implementation does not compile against the hidden suite \
                                (see the build message)"
                    .to_owned();
            }
            return finish(results, request);
        }
    };
    results.build = BuildRecord { ok: true, duration_secs: suite.duration.as_secs_f64(), message: String::new() };

    let runner = Runner { suite_binary: &suite.binary, jobs: request.jobs, secret: new_secret() };
    let registered = runner.list_tests()?;
    let undeclared: Vec<&str> = registered
        .iter()
        .map(String::as_str)
        .filter(|name| !lab.tests.iter().any(|test| test.name == *name))
        .collect();
    if !undeclared.is_empty() {
        progress(Progress::Warning(format!(
            "the hidden suite has tests that course.toml does not declare, so they are not graded: {}",
            undeclared.join(", ")
        )));
    }
    let mut plan = Vec::new();
    for test in &selected {
        if registered.iter().any(|name| name == &test.name) {
            plan.push(PlannedTest {
                name: test.name.clone(),
                timeout: lab.timeout(test).mul_f64(request.timeout_scale),
                alone: test.alone,
            });
        } else if let Some(result) = results.tests.iter_mut().find(|result| result.name == test.name) {
            result.status = Outcome::Fail;
            result.message = format!(
                "the hidden suite has no test named `{}`: course.toml and the suite disagree \
                 (an instructor's mistake, not the student's)",
                test.name
            );
        }
    }
    results.write_files(&request.out_dir)?;

    progress(Progress::Running { total: plan.len() });
    let shared = Mutex::new((results, 0usize));
    let write_error: Mutex<Option<Error>> = Mutex::new(None);
    let on_finish = |run: &TestRun| {
        let mut guard = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (results, done) = &mut *guard;
        *done += 1;
        if let Some(result) = results.tests.iter_mut().find(|result| result.name == run.name) {
            result.status = run.outcome;
            result.points = if run.outcome.is_pass() { result.max_points } else { 0 };
            result.duration_secs = run.duration.as_secs_f64();
            result.message = run.message.clone();
            result.output = run.output.clone();
            result.metrics = run.metrics.clone();
        }
        results.update_totals();
        if let Err(err) = results.write_files(&request.out_dir) {
            write_error.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get_or_insert(err);
        }
        progress(Progress::Finished { run, done: *done, total: plan.len() });
    };
    runner.run_all(&plan, &on_finish);
    if let Some(err) = write_error.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        return Err(err);
    }
    let (mut results, _) = shared.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    results.interrupted = crate::process::is_interrupted();
    finish(results, request)
}

fn finish(mut results: LabResults, request: &GradeRequest<'_>) -> Result<LabResults, Error> {
    results.update_totals();
    results.complete = !results.interrupted;
    results.finished_at = Some(now_rfc3339());
    results.write_files(&request.out_dir)?;
    Ok(results)
}

/// A fresh secret for one run: 128 bits from the OS, as hex.
fn new_secret() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let filled = std::fs::File::open("/dev/urandom").and_then(|mut random| random.read_exact(&mut bytes));
    if filled.is_err() {
        // No /dev/urandom: fall back to the clock and the process id, which
        // a test process cannot predict either.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_nanos();
        bytes = (nanos ^ (u128::from(std::process::id()) << 64)).to_le_bytes();
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
