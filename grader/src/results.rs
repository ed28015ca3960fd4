//! The results of grading one lab: the versioned `results.json` and
//! `timing.json` schemas, writing them atomically, and the human summary.
//!
//! Results are rewritten after every finished test, through a temporary file
//! and a rename, so a run that is interrupted or killed leaves a complete,
//! readable file holding every test that had finished. This module formats;
//! it never decides a verdict.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::build::ImplementationInfo;
use crate::course::{Lab, Visibility};
use crate::experiment::ExperimentResult;
use crate::runner::Outcome;
use crate::{Error, ErrorKind};

/// Bumped whenever a field changes meaning or disappears.
pub const RESULTS_SCHEMA_VERSION: u32 = 1;
/// The version of `timing.json`, bumped on the same rule.
pub const TIMING_SCHEMA_VERSION: u32 = 1;
pub const RESULTS_FILE: &str = "results.json";
pub const TIMING_FILE: &str = "timing.json";

/// Which of a lab's tests a results document holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradedTests {
    /// The hidden suite registered in `course.toml`: the lab's grade.
    #[default]
    Hidden,
    /// The public tests shipped with the stubs (`tests/public.rs`), one
    /// point each: what a student repository can grade by itself.
    Public,
}

/// `results.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabResults {
    pub schema_version: u32,
    pub lab: LabInfo,
    pub implementation: ImplementationRecord,
    pub environment: Environment,
    /// Which tests these are: the lab's hidden suite (graded), or its public
    /// tests run through the same harness (a student repository without the
    /// hidden suites).
    #[serde(default)]
    pub graded_tests: GradedTests,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC; absent while the run is in progress or if it was
    /// killed.
    pub finished_at: Option<String>,
    /// False while tests are still running, and forever in a file left by a
    /// run that was interrupted.
    pub complete: bool,
    pub interrupted: bool,
    /// Only tests whose name contains one of these texts were run (empty:
    /// all).
    #[serde(default)]
    pub filters: Vec<String>,
    /// How many times each test was run; it passes only if every run did.
    #[serde(default = "one")]
    pub repeat: u32,
    pub build: BuildRecord,
    /// Problems found before grading that the student should fix (code that
    /// bypasses the lab's facade).
    #[serde(default)]
    pub warnings: Vec<String>,
    pub tests: Vec<TestResult>,
    pub totals: Totals,
    /// The timing experiments' results; written to `timing.json`, not here.
    #[serde(skip)]
    pub experiments: Vec<ExperimentResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabInfo {
    /// `lab1`.
    pub id: String,
    pub number: u32,
    pub slug: String,
    #[serde(rename = "crate")]
    pub crate_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImplementationRecord {
    /// `student`, `reference` or `submission`.
    pub kind: String,
    pub path: PathBuf,
    pub package: String,
}

/// Facts about the machine that make timings comparable.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Environment {
    pub rustc: String,
    pub cores: usize,
    pub os: String,
    pub arch: String,
    pub grader_version: String,
    /// How many tests ran at once (`-j`).
    pub jobs: usize,
    /// The processor's model name (`/proc/cpuinfo`), or `unknown`.
    #[serde(default)]
    pub cpu_model: String,
    /// Which sandbox layers confined the tests of this run, and why any
    /// other was missing.
    #[serde(default)]
    pub sandbox: crate::sandbox::SandboxReport,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildRecord {
    pub ok: bool,
    pub duration_secs: f64,
    /// The compiler's messages when the build failed.
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestResult {
    pub name: String,
    pub points: u32,
    pub max_points: u32,
    pub status: Outcome,
    pub duration_secs: f64,
    pub message: String,
    /// Captured stdout and stderr of the test's process.
    pub output: String,
    pub visibility: Visibility,
    pub alone: bool,
    pub timeout_secs: f64,
    pub metrics: BTreeMap<String, f64>,
    /// Finished runs of this test (more than one with `--repeat`).
    #[serde(default)]
    pub runs: u32,
    /// Of those, how many passed.
    #[serde(default)]
    pub passed_runs: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Totals {
    pub points: u32,
    pub max_points: u32,
    pub tests: usize,
    pub passed: usize,
    pub failed: usize,
    pub timed_out: usize,
    pub crashed: usize,
    pub not_run: usize,
}

/// `timing.json`: how long each part took, for the timing report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimingReport {
    pub schema_version: u32,
    pub lab: String,
    pub implementation: String,
    pub environment: Environment,
    pub build_secs: f64,
    pub tests_secs: f64,
    pub tests: Vec<TestTiming>,
    /// The lab's timing experiments: the graded implementation, the
    /// reference and baselines measured in the same run.
    #[serde(default)]
    pub experiments: Vec<ExperimentResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestTiming {
    pub name: String,
    pub status: Outcome,
    pub alone: bool,
    pub duration_secs: f64,
    pub metrics: BTreeMap<String, f64>,
}

impl LabInfo {
    pub fn of(lab: &Lab) -> LabInfo {
        LabInfo {
            id: lab.id(),
            number: lab.number,
            slug: lab.slug.clone(),
            crate_name: lab.crate_name.clone(),
        }
    }
}

impl From<&ImplementationInfo> for ImplementationRecord {
    fn from(info: &ImplementationInfo) -> ImplementationRecord {
        ImplementationRecord {
            kind: info.kind.to_owned(),
            path: info.path.clone(),
            package: info.package.clone(),
        }
    }
}

impl Environment {
    /// Reads the facts of this machine, grading the course in
    /// `course_root`.
    pub fn detect(jobs: usize, course_root: &std::path::Path) -> Environment {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let rustc = std::process::Command::new(rustc)
            .arg("--version")
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
            .unwrap_or_else(|| "unknown".to_owned());
        Environment {
            rustc,
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            os: std::env::consts::OS.to_owned(),
            arch: std::env::consts::ARCH.to_owned(),
            grader_version: env!("CARGO_PKG_VERSION").to_owned(),
            jobs,
            cpu_model: cpu_model(),
            sandbox: crate::sandbox::host().report_for(course_root),
        }
    }
}

/// The first `model name` in `/proc/cpuinfo` (Linux); `unknown` elsewhere.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

impl TimingReport {
    /// Writes `timing.json` into `out_dir`, atomically.
    pub fn write_file(&self, out_dir: &Path) -> Result<(), Error> {
        create_results_dir(out_dir)?;
        let timing = serde_json::to_vec_pretty(self).expect("timings always serialize");
        write_atomically(&out_dir.join(TIMING_FILE), &timing)
    }
}

fn create_results_dir(out_dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(out_dir).map_err(|source| {
        Error::new(ErrorKind::Io {
            action: "create the results folder",
            path: out_dir.to_path_buf(),
            source,
        })
    })
}

impl Totals {
    /// "14 passed", then each other outcome that occurred ("3 failed", "1
    /// timed out", ...): the words every summary uses.
    pub fn counts(&self) -> Vec<String> {
        let mut counts = vec![format!("{} passed", self.passed)];
        for (count, label) in [
            (self.failed, "failed"),
            (self.timed_out, "timed out"),
            (self.crashed, "crashed"),
            (self.not_run, "not run"),
        ] {
            if count > 0 {
                counts.push(format!("{count} {label}"));
            }
        }
        counts
    }
}

impl LabResults {
    /// Recomputes [`LabResults::totals`] from the tests.
    pub fn update_totals(&mut self) {
        let mut totals = Totals::default();
        for test in &self.tests {
            totals.points += test.points;
            totals.max_points += test.max_points;
            totals.tests += 1;
            match test.status {
                Outcome::Pass => totals.passed += 1,
                Outcome::Fail => totals.failed += 1,
                Outcome::Timeout => totals.timed_out += 1,
                Outcome::Crash => totals.crashed += 1,
                Outcome::NotRun => totals.not_run += 1,
            }
        }
        self.totals = totals;
    }

    pub fn all_passed(&self) -> bool {
        self.build.ok && self.tests.iter().all(|test| test.status.is_pass())
    }

    pub fn timing(&self) -> TimingReport {
        TimingReport {
            schema_version: TIMING_SCHEMA_VERSION,
            lab: self.lab.id.clone(),
            implementation: self.implementation.kind.clone(),
            environment: self.environment.clone(),
            build_secs: self.build.duration_secs,
            tests_secs: self
                .tests
                .iter()
                .map(|test| test.duration_secs)
                .fold(0.0, |total, secs| total + secs),
            tests: self
                .tests
                .iter()
                .map(|test| TestTiming {
                    name: test.name.clone(),
                    status: test.status,
                    alone: test.alone,
                    duration_secs: test.duration_secs,
                    metrics: test.metrics.clone(),
                })
                .collect(),
            experiments: self.experiments.clone(),
        }
    }

    /// Writes `results.json` and `timing.json` into `out_dir`, each
    /// atomically.
    pub fn write_files(&self, out_dir: &Path) -> Result<(), Error> {
        create_results_dir(out_dir)?;
        let results = serde_json::to_vec_pretty(self).expect("results always serialize");
        write_atomically(&out_dir.join(RESULTS_FILE), &results)?;
        self.timing().write_file(out_dir)
    }

    /// The summary a person reads: one line per test with the first lines of
    /// its message, then the score and where the files are.
    pub fn render_human(&self, out_dir: Option<&Path>) -> String {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "{} {}: grading {}the {} ({})",
            self.lab.id,
            self.lab.slug,
            match self.graded_tests {
                GradedTests::Hidden => "",
                GradedTests::Public => "the public tests of ",
            },
            match self.implementation.kind.as_str() {
                "reference" => "reference solution",
                "student" => "student crate",
                _ => "submission",
            },
            self.implementation.path.display()
        );
        for warning in &self.warnings {
            let _ = writeln!(text, "WARNING: {warning}");
        }
        if !self.build.ok {
            let _ = writeln!(
                text,
                "BUILD FAILED: the implementation does not compile against the {}. The \
                 compiler said:",
                match self.graded_tests {
                    GradedTests::Hidden => "hidden suite",
                    GradedTests::Public => "public tests",
                }
            );
            for line in self.build.message.lines().take(60) {
                let _ = writeln!(text, "    {line}");
            }
        }
        for test in &self.tests {
            let status = match test.status {
                Outcome::Pass => "PASS",
                Outcome::Fail => "FAIL",
                Outcome::Timeout => "TIMEOUT",
                Outcome::Crash => "CRASH",
                Outcome::NotRun => "NOT RUN",
            };
            let _ = writeln!(
                text,
                "  {status:<7} {:>3}/{:<3} {:>7.2}s  {}{}",
                test.points,
                test.max_points,
                test.duration_secs,
                test.name,
                if test.runs > 1 {
                    format!("  ({} of {} runs passed)", test.passed_runs, test.runs)
                } else {
                    String::new()
                }
            );
            for line in first_lines(&test.message, 3) {
                let _ = writeln!(text, "{:>26}{line}", "");
            }
        }
        text.push_str(&crate::experiment::render_human(&self.experiments));
        let totals = &self.totals;
        let counts = totals.counts();
        let _ = writeln!(
            text,
            "{} {}: {}/{}  ({})",
            self.lab.id,
            self.lab.slug,
            totals.points,
            totals.max_points,
            counts.join(", ")
        );
        if self.interrupted {
            let _ = writeln!(
                text,
                "The run was interrupted; tests marked NOT RUN did not run."
            );
        }

        if let Some(out_dir) = out_dir {
            let _ = writeln!(text, "results: {}", out_dir.join(RESULTS_FILE).display());
            let _ = writeln!(text, "timing:  {}", out_dir.join(TIMING_FILE).display());
        }
        text
    }
}

/// The first `count` non-empty lines, the last one marked if more follow.
fn first_lines(message: &str, count: usize) -> Vec<String> {
    let lines: Vec<&str> = message
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let mut shown: Vec<String> = lines
        .iter()
        .take(count)
        .map(|line| (*line).to_owned())
        .collect();
    if lines.len() > count {
        if let Some(last) = shown.last_mut() {
            last.push_str(" [...]");
        }
    }
    shown
}

/// Writes `contents` to `path` through a temporary file in the same folder
/// and a rename, so readers see the old file or the new one, never half.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let io_error = |action, source| {
        Error::new(ErrorKind::Io {
            action,
            path: path.to_path_buf(),
            source,
        })
    };
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, contents).map_err(|source| io_error("write", source))?;
    std::fs::rename(&temporary, path).map_err(|source| io_error("replace", source))
}

/// Now, as RFC 3339 in UTC to the second.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}
