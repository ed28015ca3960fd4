//! `cargo xtask verify`: the instructor's proof that the course is sound.
//!
//! For every lab (or the labs named), in this order:
//! 1. **files**: no stray files: every crate folder under `labs/`,
//!    `solutions/` and `grader/suites/` belongs to a lab of `course.toml`
//!    (or is a shared crate), every lab has all three, every fixture names
//!    an existing lab, and git sees no untracked file in them.
//! 2. **stubs clippy**: the student crate and its public tests pass clippy
//!    with warnings as errors.
//! 3. **public tests**: the reference passes the lab's public tests
//!    (`cargo test -p <crate>-solution`).
//! 4. **stubs**: the untouched stubs score 0 in the hidden suite.
//! 5. **reference**: the reference scores full marks in `--runs N` grades
//!    in a row; a test that fails any run is named with its pass rate.
//! 6. **course/suite**: `course.toml` and the suite agree (every declared
//!    test and experiment exists, nothing undeclared is registered).
//! 7. **fixtures**: every known-buggy fixture under `grader/fixtures/`
//!    loses points. A fixture with an `expected.toml` names the tests that
//!    must catch its bug; each of them must fail every one of
//!    `--fixture-runs` runs. A fixture without one (a misbehaving or
//!    non-compiling submission) must score below full marks.
//!
//! Checks that start processes run one after another, and fixtures at most
//! `--fixtures-at-once` at a time (a fixture caught by a speed test last and
//! alone), so that a busy machine does not make a timing test lie. The run
//! ends with a table per lab, the list of problems and `verify.json`; the
//! exit status is 0 when the course is sound and 1 otherwise.
//!
//! This module orchestrates; every verdict comes from `grader::grade`, as
//! for any student.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use grader::build::Implementation;
use grader::course::{Course, Lab};
use grader::experiment::BenchLevel;
use grader::grade::{GradeRequest, Progress, grade};
use grader::results::LabResults;
use grader::runner::Outcome;

use crate::{EXIT_ALL_PASSED, EXIT_SOME_FAILED};

#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The labs to verify (lab4, 4, queues) [default: every lab].
    labs: Vec<String>,
    /// How many times in a row the reference is graded; every test must
    /// pass every time.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    runs: u32,
    /// How many times each fixture's catching tests run; none may pass
    /// [default: --runs].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    fixture_runs: Option<u32>,
    /// How many fixtures are graded at once (their builds take turns; their
    /// tests overlap). Fixtures caught by a speed test always run alone.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=64))]
    fixtures_at_once: u16,
    /// Where the grades and verify.json go [default: target/verify/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// One check's result for one lab: a short summary for the table, and the
/// problems it found (empty: the check passed).
#[derive(Debug, Default)]
struct CheckResult {
    summary: String,
    problems: Vec<String>,
    /// The check did not run (an earlier one failed, or nothing to check).
    skipped: bool,
}

impl CheckResult {
    fn passed(summary: impl Into<String>) -> CheckResult {
        CheckResult {
            summary: summary.into(),
            ..CheckResult::default()
        }
    }

    fn cell(&self) -> String {
        let mark = if self.skipped {
            "-"
        } else if self.problems.is_empty() {
            "ok"
        } else {
            "FAIL"
        };
        if self.summary.is_empty() {
            mark.to_owned()
        } else {
            format!("{mark} {}", self.summary)
        }
    }
}

/// The checks of the table's columns, in order.
const CHECKS: [&str; 7] = [
    "files",
    "stubs clippy",
    "public tests",
    "stubs",
    "reference",
    "course/suite",
    "fixtures",
];

/// A known-buggy fixture and what must catch it.
#[derive(Debug)]
struct Fixture {
    dir: PathBuf,
    name: String,
    lab_number: u32,
    /// `None`: no `expected.toml`; the fixture must just lose points.
    expected: Option<Expected>,
}

/// A fixture's `expected.toml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// The mistake, in a few words.
    bug: String,
    /// The hidden tests that must catch it.
    caught_by: Vec<String>,
}

/// One line of the fixture table.
#[derive(Debug)]
struct FixtureLine {
    fixture: String,
    test: String,
    verdict: String,
    how: String,
    secs: f64,
}

pub(crate) fn run(course: &Course, args: VerifyArgs) -> Result<u8> {
    crate::dist::require_instructor_repository(course)?;
    let labs: Vec<&Lab> = if args.labs.is_empty() {
        course.labs.iter().collect()
    } else {
        args.labs
            .iter()
            .map(|query| course.find_lab(query))
            .collect::<Result<_, _>>()?
    };
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| course.root.join("target").join("verify"));
    let fixture_runs = args.fixture_runs.unwrap_or(args.runs);
    grader::process::install_interrupt_handlers();
    let started = Instant::now();

    let mut checks: BTreeMap<(u32, &str), CheckResult> = BTreeMap::new();
    let file_problems = stray_file_problems(course)?;
    for lab in &labs {
        let prefix_of_this_lab =
            |problem: &&(Option<u32>, String)| problem.0.is_none() || problem.0 == Some(lab.number);
        let problems: Vec<String> = file_problems
            .iter()
            .filter(prefix_of_this_lab)
            .map(|(_, text)| text.clone())
            .collect();
        checks.insert(
            (lab.number, "files"),
            CheckResult {
                problems,
                ..CheckResult::default()
            },
        );
    }

    for lab in &labs {
        eprintln!("verify {lab}: clippy on the stubs, public tests on the reference...");
        checks.insert((lab.number, "stubs clippy"), clippy_of_stubs(course, lab)?);
        checks.insert(
            (lab.number, "public tests"),
            public_tests_of_reference(course, lab)?,
        );
    }

    let fixtures = find_fixtures(course)?;
    for lab in &labs {
        if grader::process::is_interrupted() {
            break;
        }
        eprintln!(
            "verify {lab}: grading the stubs, then the reference {} times...",
            args.runs
        );
        let lab_out = out_dir.join(lab.id());
        let (stubs, _) = grade_quietly(
            course,
            lab,
            Implementation::Student,
            lab_out.join("stubs"),
            1,
            Vec::new(),
        )?;
        checks.insert((lab.number, "stubs"), check_stubs(&stubs));
        let mut reference_runs = Vec::new();
        let mut warnings = Vec::new();
        for run_idx in 1..=args.runs {
            if grader::process::is_interrupted() {
                break;
            }
            let (results, run_warnings) = grade_quietly(
                course,
                lab,
                Implementation::Reference,
                lab_out.join(format!("reference-{run_idx}")),
                1,
                Vec::new(),
            )?;
            warnings.extend(run_warnings);
            reference_runs.push(results);
        }
        warnings.sort();
        warnings.dedup();
        checks.insert(
            (lab.number, "reference"),
            check_reference(&reference_runs, args.runs),
        );
        checks.insert(
            (lab.number, "course/suite"),
            check_agreement(lab, &reference_runs, &warnings),
        );
    }

    let mut fixture_lines = Vec::new();
    let lab_fixtures: Vec<&Fixture> = fixtures
        .iter()
        .filter(|fixture| labs.iter().any(|lab| lab.number == fixture.lab_number))
        .collect();
    if !grader::process::is_interrupted() {
        eprintln!(
            "verify: grading {} known-buggy fixtures ({} at once; catching tests {fixture_runs} times each)...",
            lab_fixtures.len(),
            args.fixtures_at_once
        );
        let graded = grade_fixtures(
            course,
            &lab_fixtures,
            fixture_runs,
            usize::from(args.fixtures_at_once),
            &out_dir.join("fixtures"),
        );
        for lab in &labs {
            let mut check = CheckResult::default();
            let mut caught = 0;
            let mut total = 0;
            // One failing schedule per lab is replayed through the CLI.
            let mut replays = 0;
            for (fixture, graded) in lab_fixtures.iter().zip(&graded) {
                if fixture.lab_number != lab.number {
                    continue;
                }
                total += 1;
                let lines_before = fixture_lines.len();
                match graded {
                    Ok((results, secs)) => {
                        let problems = judge_fixture(
                            course,
                            lab,
                            fixture,
                            results,
                            fixture_runs,
                            *secs,
                            &mut fixture_lines,
                        );
                        if problems.is_empty() {
                            caught += 1;
                        }
                        check.problems.extend(problems);
                    }
                    Err(err) => check.problems.push(format!(
                        "fixture {}: could not be graded: {err:#}",
                        fixture.name
                    )),
                }
                if replays < 1 {
                    match replay_check(&fixture_lines[lines_before..], course) {
                        ReplayCheck::NothingToReplay => {}
                        ReplayCheck::FailedAgain => replays += 1,
                        ReplayCheck::Problem(problem) => {
                            replays += 1;
                            check.problems.push(problem);
                        }
                    }
                }
            }
            check.summary = format!("{caught}/{total} caught");
            if replays > 0 && check.problems.is_empty() {
                check.summary.push_str(", replay ok");
            }
            check.skipped = total == 0;
            checks.insert((lab.number, "fixtures"), check);
        }
    }

    let interrupted = grader::process::is_interrupted();
    print!("{}", render_fixture_table(&fixture_lines));
    print!("{}", render_table(&labs, &checks));
    let problems: Vec<String> = checks
        .iter()
        .flat_map(|((number, check), result)| {
            result
                .problems
                .iter()
                .map(move |problem| format!("lab{number} {check}: {problem}"))
        })
        .collect();
    write_report(&out_dir, &labs, &checks, interrupted)?;
    println!(
        "verify: {} labs in {:.0}s; report: {}",
        labs.len(),
        started.elapsed().as_secs_f64(),
        out_dir.join("verify.json").display()
    );
    if interrupted {
        println!("verify: interrupted; the checks above are incomplete");
        return Ok(EXIT_SOME_FAILED);
    }
    if problems.is_empty() {
        println!("verify: the course is sound");
        Ok(EXIT_ALL_PASSED)
    } else {
        println!("verify: {} problem(s):", problems.len());
        for problem in &problems {
            println!("  - {}", problem.replace('\n', "\n    "));
        }
        Ok(EXIT_SOME_FAILED)
    }
}

/// Grades quietly (no per-test lines), with every test `repeat` times and
/// timing experiments off (speed tests still run theirs). Returns the
/// results and the warnings the grader raised.
fn grade_quietly(
    course: &Course,
    lab: &Lab,
    implementation: Implementation,
    out_dir: PathBuf,
    repeat: u32,
    filters: Vec<String>,
) -> Result<(LabResults, Vec<String>)> {
    let warnings = Mutex::new(Vec::new());
    let progress = |event: Progress<'_>| {
        if let Progress::Warning(message) = event {
            warnings
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(message);
        }
    };
    let describe = format!("grading {lab} ({})", implementation.command_line_args());
    let request = GradeRequest {
        repeat,
        filters,
        bench: BenchLevel::Off,
        ..GradeRequest::new(course, lab, implementation, out_dir)
    };
    let results = grade(&request, &progress).context(describe)?;
    let warnings = warnings
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok((results, warnings))
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs a cargo command in the course root and returns its combined
/// output when it fails.
fn run_cargo(course: &Course, args: &[&str]) -> Result<Option<String>> {
    let output = cargo()
        .current_dir(&course.root)
        .args(args)
        .output()
        .with_context(|| format!("could not run `cargo {}`", args.join(" ")))?;
    if output.status.success() {
        return Ok(None);
    }
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok(Some(text))
}

/// The first `max_lines` lines of `text` that say something, for a problem
/// message.
fn excerpt(text: &str, wanted: impl Fn(&str) -> bool, max_lines: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|line| wanted(line)).collect();
    let mut shown = lines
        .iter()
        .take(max_lines)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if lines.len() > max_lines {
        shown.push_str(&format!("\n... ({} more lines)", lines.len() - max_lines));
    }
    shown
}

fn clippy_of_stubs(course: &Course, lab: &Lab) -> Result<CheckResult> {
    let failure = run_cargo(
        course,
        &[
            "clippy",
            "--quiet",
            "--package",
            &lab.crate_name,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    Ok(match failure {
        None => CheckResult::passed(""),
        Some(output) => CheckResult {
            problems: vec![format!(
                "the stubs of {} do not pass `cargo clippy --all-targets -- -D warnings`:\n{}",
                lab.crate_name,
                excerpt(
                    &output,
                    |line| line.starts_with("error") || line.trim_start().starts_with("-->"),
                    20
                )
            )],
            ..CheckResult::default()
        },
    })
}

fn public_tests_of_reference(course: &Course, lab: &Lab) -> Result<CheckResult> {
    let package = format!("{}-solution", lab.crate_name);
    let failure = run_cargo(course, &["test", "--quiet", "--package", &package])?;
    Ok(match failure {
        None => CheckResult::passed(""),
        Some(output) => CheckResult {
            problems: vec![format!(
                "the reference fails its public tests (`cargo test -p {package}`):\n{}",
                excerpt(
                    &output,
                    |line| line.contains("FAILED")
                        || line.contains("panicked")
                        || line.starts_with("error"),
                    20
                )
            )],
            ..CheckResult::default()
        },
    })
}

fn check_stubs(stubs: &LabResults) -> CheckResult {
    let mut check = CheckResult::passed(format!(
        "{}/{}",
        stubs.totals.points, stubs.totals.max_points
    ));
    if !stubs.build.ok {
        check.problems.push(format!(
            "the stubs do not compile against the hidden suite:\n{}",
            excerpt(&stubs.build.message, |line| line.starts_with("error"), 10)
        ));
    }
    for test in &stubs.tests {
        match test.status {
            Outcome::Fail | Outcome::NotRun => {}
            Outcome::Pass => check.problems.push(format!(
                "`{}` passes on the untouched stubs: it tests nothing the student writes",
                test.name
            )),
            other => check.problems.push(format!(
                "`{}` ends in {other:?} on the stubs; a stub's todo!() must make it fail at once \
                 (a test that waits for a stub to finish must give up by itself)",
                test.name
            )),
        }
    }
    check
}

fn check_reference(runs: &[LabResults], wanted_runs: u32) -> CheckResult {
    let Some(first) = runs.first() else {
        return CheckResult {
            skipped: true,
            ..CheckResult::default()
        };
    };
    let full_marks = runs
        .iter()
        .filter(|results| {
            results.totals.points == results.totals.max_points && results.all_passed()
        })
        .count();
    let mut check = CheckResult::passed(format!(
        "{}/{} in {full_marks}/{} runs",
        first.totals.max_points,
        first.totals.max_points,
        runs.len()
    ));
    if runs.len() < wanted_runs as usize {
        check.problems.push(format!(
            "only {} of {wanted_runs} runs finished",
            runs.len()
        ));
    }
    if let Some(failed_build) = runs.iter().find(|results| !results.build.ok) {
        check.problems.push(format!(
            "the reference does not compile against the hidden suite:\n{}",
            excerpt(
                &failed_build.build.message,
                |line| line.starts_with("error"),
                10
            )
        ));
        return check;
    }
    for test in &first.tests {
        let outcomes: Vec<(Outcome, &str)> = runs
            .iter()
            .filter_map(|results| results.tests.iter().find(|result| result.name == test.name))
            .map(|result| (result.status, result.message.as_str()))
            .collect();
        let passed = outcomes
            .iter()
            .filter(|(status, _)| status.is_pass())
            .count();
        if passed < outcomes.len() {
            let first_failure = outcomes
                .iter()
                .find(|(status, _)| !status.is_pass())
                .map(|(status, message)| {
                    format!("{status:?}: {}", message.lines().next().unwrap_or(""))
                })
                .unwrap_or_default();
            let kind = if passed == 0 { "fails" } else { "is flaky" };
            check.problems.push(format!(
                "`{}` {kind} on the reference: passed {passed} of {} runs ({first_failure})",
                test.name,
                outcomes.len()
            ));
        }
    }
    check
}

/// Marks a test message that says `course.toml` declares a test the suite
/// does not register (see `grader::grade`).
const UNREGISTERED_TEST_MARK: &str = "course.toml and the suite disagree";

fn check_agreement(lab: &Lab, reference_runs: &[LabResults], warnings: &[String]) -> CheckResult {
    let Some(first) = reference_runs.first() else {
        return CheckResult {
            skipped: true,
            ..CheckResult::default()
        };
    };
    let mut check = CheckResult::passed(format!(
        "{} tests, {} pts",
        lab.tests.len(),
        lab.max_points()
    ));
    if !first.build.ok {
        check.skipped = true;
        return check;
    }
    for warning in warnings {
        check.problems.push(warning.clone());
    }
    for test in first
        .tests
        .iter()
        .filter(|test| test.message.contains(UNREGISTERED_TEST_MARK))
    {
        check.problems.push(format!(
            "course.toml declares `{}`, which the hidden suite does not register",
            test.name
        ));
    }
    for test in lab.tests.iter().filter(|test| test.points == 0) {
        check.problems.push(format!(
            "`{}` is worth 0 points; give it points or remove it",
            test.name
        ));
    }
    if first.totals.max_points != lab.max_points() {
        check.problems.push(format!(
            "the graded tests add up to {} points, but course.toml's tests add up to {}",
            first.totals.max_points,
            lab.max_points()
        ));
    }
    check
}

/// Problems with files, each with the lab it concerns (`None`: every lab).
fn stray_file_problems(course: &Course) -> Result<Vec<(Option<u32>, String)>> {
    const SHARED_LAB_CRATES: [&str; 2] = ["labkit", "labsync"];
    let mut problems = Vec::new();
    let lab_of_crate = |name: &str| {
        course
            .labs
            .iter()
            .find(|lab| lab.crate_name == name)
            .map(|lab| lab.number)
    };
    for (folder, shared) in [
        ("labs", &SHARED_LAB_CRATES[..]),
        ("solutions", &[][..]),
        ("grader/suites", &[][..]),
    ] {
        for entry in read_dir_sorted(&course.root.join(folder))? {
            let name = entry
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if !entry.is_dir() {
                if name != "README.md" {
                    problems.push((
                        None,
                        format!(
                            "{folder}/{name} is a stray file: only crate folders (and a README.md) belong there"
                        ),
                    ));
                }
            } else if lab_of_crate(&name).is_none() && !shared.contains(&name.as_str()) {
                problems.push((
                    None,
                    format!(
                        "{folder}/{name} belongs to no lab of course.toml (add the lab, or remove the folder)"
                    ),
                ));
            } else if !entry.join("Cargo.toml").is_file() {
                problems.push((
                    lab_of_crate(&name),
                    format!("{folder}/{name} has no Cargo.toml"),
                ));
            }
        }
    }
    for lab in &course.labs {
        for (what, dir) in [
            ("student crate", lab.student_dir(&course.root)),
            ("reference solution", lab.solution_dir(&course.root)),
            ("hidden suite", lab.suite_dir(&course.root)),
        ] {
            if !dir.join("Cargo.toml").is_file() {
                problems.push((
                    Some(lab.number),
                    format!("{lab} has no {what} (expected {})", dir.display()),
                ));
            }
        }
    }
    let fixtures_dir = course.root.join("grader").join("fixtures");
    if fixtures_dir.is_dir() {
        for entry in read_dir_sorted(&fixtures_dir)? {
            let name = entry
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if name == "README.md" {
                continue;
            }
            match fixture_lab_number(&name) {
                Some(number) if course.labs.iter().any(|lab| lab.number == number) => {
                    if !entry.join("Cargo.toml").is_file() {
                        problems.push((
                            Some(number),
                            format!("grader/fixtures/{name} has no Cargo.toml: a fixture is a whole submission"),
                        ));
                    }
                }
                _ => problems.push((
                    None,
                    format!(
                        "grader/fixtures/{name}: a fixture folder is named after its lab (lab2-<bug>), and that lab must exist"
                    ),
                )),
            }
        }
    }
    // Files git does not know: left-overs that would not ship, or would
    // ship by accident.
    let untracked = Command::new("git")
        .current_dir(&course.root)
        .args([
            "ls-files",
            "--others",
            "--exclude-standard",
            "--",
            "labs",
            "solutions",
            "grader",
            "course.toml",
        ])
        .output();
    if let Ok(output) = untracked
        && output.status.success()
    {
        for path in String::from_utf8_lossy(&output.stdout).lines() {
            let lab = course
                .labs
                .iter()
                .find(|lab| {
                    path.split('/').any(|part| {
                        part == lab.crate_name || fixture_lab_number(part) == Some(lab.number)
                    })
                })
                .map(|lab| lab.number);
            problems.push((
                lab,
                format!("{path} is not tracked by git: commit it or delete it"),
            ));
        }
    }
    Ok(problems)
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut entries = std::fs::read_dir(dir)
        .with_context(|| format!("could not list {}", dir.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("could not list {}", dir.display()))?;
    entries.sort();
    Ok(entries)
}

/// `lab2-lost-update` is a fixture of lab 2.
fn fixture_lab_number(folder_name: &str) -> Option<u32> {
    folder_name
        .split('-')
        .next()?
        .strip_prefix("lab")?
        .parse()
        .ok()
}

fn find_fixtures(course: &Course) -> Result<Vec<Fixture>> {
    let fixtures_dir = course.root.join("grader").join("fixtures");
    if !fixtures_dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut fixtures = Vec::new();
    for dir in read_dir_sorted(&fixtures_dir)? {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let Some(lab_number) = fixture_lab_number(&name) else {
            continue;
        };
        if !dir.join("Cargo.toml").is_file() {
            continue;
        }
        let expected_path = dir.join("expected.toml");
        let expected = if expected_path.is_file() {
            Some(read_expected(&expected_path)?)
        } else {
            None
        };
        fixtures.push(Fixture {
            dir,
            name,
            lab_number,
            expected,
        });
    }
    Ok(fixtures)
}

/// Reads `expected.toml`: `bug = "..."` and `caught_by = ["test", ...]`.
fn read_expected(path: &Path) -> Result<Expected> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read {}", path.display()))?;
    let expected: Expected = toml::from_str(&text).with_context(|| {
        format!(
            "{} is not a valid expectation: it holds `bug = \"what is wrong\"` and \
             `caught_by = [\"test name\", ...]`",
            path.display()
        )
    })?;
    if expected.caught_by.is_empty() {
        anyhow::bail!(
            "{}: caught_by is empty; name the tests that catch the bug",
            path.display()
        );
    }
    Ok(expected)
}

/// Whether one of the fixture's catching tests is a speed test.
fn is_caught_by_a_speed_test(course: &Course, fixture: &Fixture) -> bool {
    let Some(expected) = &fixture.expected else {
        return false;
    };
    course
        .labs
        .iter()
        .find(|lab| lab.number == fixture.lab_number)
        .is_some_and(|lab| {
            lab.tests
                .iter()
                .any(|test| test.speed.is_some() && expected.caught_by.contains(&test.name))
        })
}

type FixtureGrade = Result<(LabResults, f64)>;

/// Grades every fixture (its catching tests `runs` times each, or all its
/// tests once when it has no `expected.toml`), `at_once` at a time; the
/// ones caught by a speed test last and alone: a speed test compares
/// medians measured on an otherwise idle machine.
fn grade_fixtures(
    course: &Course,
    fixtures: &[&Fixture],
    runs: u32,
    at_once: usize,
    out_dir: &Path,
) -> Vec<FixtureGrade> {
    let (timed, untimed): (Vec<usize>, Vec<usize>) =
        (0..fixtures.len()).partition(|&idx| is_caught_by_a_speed_test(course, fixtures[idx]));
    let graded: Vec<Mutex<Option<FixtureGrade>>> =
        (0..fixtures.len()).map(|_| Mutex::new(None)).collect();
    let grade_one = |fixture_idx: usize| {
        let fixture = fixtures[fixture_idx];
        let started = Instant::now();
        let outcome = (|| {
            let lab = course
                .labs
                .iter()
                .find(|lab| lab.number == fixture.lab_number)
                .context("the fixture's lab is not in course.toml")?;
            let (repeat, filters) = match &fixture.expected {
                Some(expected) => (runs, expected.caught_by.clone()),
                None => (1, Vec::new()),
            };
            let (results, _) = grade_quietly(
                course,
                lab,
                Implementation::Submission(fixture.dir.clone()),
                out_dir.join(&fixture.name),
                repeat,
                filters,
            )?;
            Ok((results, started.elapsed().as_secs_f64()))
        })();
        *graded[fixture_idx]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(outcome);
    };
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..at_once.max(1) {
            scope.spawn(|| {
                while let Some(&fixture_idx) = untimed.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if grader::process::is_interrupted() {
                        break;
                    }
                    grade_one(fixture_idx);
                }
            });
        }
    });
    for fixture_idx in timed {
        if grader::process::is_interrupted() {
            break;
        }
        grade_one(fixture_idx);
    }
    graded
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .unwrap_or_else(|| Err(anyhow::anyhow!("not graded: the run was interrupted")))
        })
        .collect()
}

/// The problems with one graded fixture; adds its lines to the table.
fn judge_fixture(
    course: &Course,
    lab: &Lab,
    fixture: &Fixture,
    results: &LabResults,
    runs: u32,
    secs: f64,
    lines: &mut Vec<FixtureLine>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(expected) = &fixture.expected else {
        // A misbehaving or non-compiling submission: it must lose points.
        let verdict = if results.build.ok {
            "graded"
        } else {
            "no build"
        };
        lines.push(FixtureLine {
            fixture: fixture.name.clone(),
            test: "(every test)".to_owned(),
            verdict: verdict.to_owned(),
            how: format!(
                "{}/{} points",
                results.totals.points, results.totals.max_points
            ),
            secs,
        });
        if results.totals.points >= results.totals.max_points {
            problems.push(format!(
                "fixture {} scores full marks; it must lose points",
                fixture.name
            ));
        }
        return problems;
    };
    if !results.build.ok {
        problems.push(format!(
            "fixture {} does not compile, so it cannot show that its tests catch `{}`:\n{}",
            fixture.name,
            expected.bug,
            excerpt(&results.build.message, |line| line.starts_with("error"), 10)
        ));
        return problems;
    }
    for name in &expected.caught_by {
        let Some(test) = results.tests.iter().find(|test| test.name == *name) else {
            problems.push(format!(
                "fixture {}: expected.toml names `{name}`, which {lab} does not have",
                fixture.name
            ));
            continue;
        };
        // A speed test is decided once per grade, from the medians of its
        // experiment's rounds; repeating does not repeat it.
        let is_speed_test = course
            .labs
            .iter()
            .find(|lab| lab.number == fixture.lab_number)
            .and_then(|lab| lab.tests.iter().find(|spec| spec.name == *name))
            .is_some_and(|spec| spec.speed.is_some());
        let expected_runs = if is_speed_test { 1 } else { runs };
        if test.passed_runs != 0 || test.runs != expected_runs {
            problems.push(format!(
                "fixture {} ({}): `{name}` passed {} of {} runs; it must fail all {expected_runs}",
                fixture.name, expected.bug, test.passed_runs, test.runs
            ));
            continue;
        }
        let how = test
            .message
            .lines()
            .find(|line| line.starts_with("found by"))
            .map(|line| line.split(';').next().unwrap_or(line))
            .unwrap_or_else(|| test.message.lines().next().unwrap_or(""));
        lines.push(FixtureLine {
            fixture: fixture.name.clone(),
            test: name.clone(),
            verdict: format!("{:?}", test.status).to_uppercase(),
            how: how.to_owned(),
            secs,
        });
        if let Some(command) = test.message.lines().find_map(|line| {
            line.split_once("replay this schedule with the test's output: ")
                .map(|(_, command)| command.to_owned())
        }) {
            lines.push(FixtureLine {
                fixture: fixture.name.clone(),
                test: name.clone(),
                verdict: "REPLAY".to_owned(),
                how: command,
                secs: 0.0,
            });
        }
    }
    problems
}

/// What replaying a fixture's failing schedule showed.
#[derive(Debug)]
enum ReplayCheck {
    /// No catching test printed a schedule (not an exploring test).
    NothingToReplay,
    /// `--replay TEST --schedule S` failed again, as it must.
    FailedAgain,
    Problem(String),
}

/// Replays the first failing schedule among `lines` (a `REPLAY` line) with
/// this very binary: it must fail again (exit status 1).
fn replay_check(lines: &[FixtureLine], course: &Course) -> ReplayCheck {
    let Some(line) = lines.iter().find(|line| line.verdict == "REPLAY") else {
        return ReplayCheck::NothingToReplay;
    };
    // The command as printed, minus `cargo xtask`; fixture paths hold no
    // spaces.
    let args: Vec<&str> = line.how.split_whitespace().skip(2).collect();
    let output = std::env::current_exe().and_then(|program| {
        Command::new(program)
            .current_dir(&course.root)
            .arg("--course-root")
            .arg(&course.root)
            .args(&args)
            .output()
    });
    match output {
        Ok(output) if output.status.code() == Some(1) => ReplayCheck::FailedAgain,
        Ok(output) => ReplayCheck::Problem(format!(
            "replaying the failing schedule of {} (`{}`) should fail again with exit status 1, got {:?}:\n{}",
            line.fixture,
            line.how,
            output.status.code(),
            excerpt(&String::from_utf8_lossy(&output.stderr), |_| true, 10)
        )),
        Err(err) => ReplayCheck::Problem(format!("could not replay `{}`: {err}", line.how)),
    }
}

fn render_fixture_table(lines: &[FixtureLine]) -> String {
    use std::fmt::Write as _;
    if lines.is_empty() {
        return String::new();
    }
    let fixture_width = lines
        .iter()
        .map(|line| line.fixture.len())
        .max()
        .unwrap_or(0);
    let test_width = lines.iter().map(|line| line.test.len()).max().unwrap_or(0);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\n{:<fixture_width$}  {:>6}  {:<test_width$}  {:<8}  how",
        "fixture", "secs", "caught by", "verdict"
    );
    for line in lines.iter().filter(|line| line.verdict != "REPLAY") {
        let _ = writeln!(
            text,
            "{:<fixture_width$}  {:>6.1}  {:<test_width$}  {:<8}  {}",
            line.fixture, line.secs, line.test, line.verdict, line.how
        );
    }
    text
}

fn render_table(labs: &[&Lab], checks: &BTreeMap<(u32, &str), CheckResult>) -> String {
    use std::fmt::Write as _;
    let mut rows = vec![
        std::iter::once("lab".to_owned())
            .chain(CHECKS.iter().map(|check| (*check).to_owned()))
            .collect::<Vec<_>>(),
    ];
    for lab in labs {
        let mut row = vec![lab.id()];
        for check in CHECKS {
            row.push(
                checks
                    .get(&(lab.number, check))
                    .map_or_else(|| "-".to_owned(), CheckResult::cell),
            );
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|column| rows.iter().map(|row| row[column].len()).max().unwrap_or(0))
        .collect();
    let mut text = String::from("\n");
    for row in rows {
        let line = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ");
        let _ = writeln!(text, "{}", line.trim_end());
    }
    text.push('\n');
    text
}

fn write_report(
    out_dir: &Path,
    labs: &[&Lab],
    checks: &BTreeMap<(u32, &str), CheckResult>,
    interrupted: bool,
) -> Result<()> {
    let report = serde_json::json!({
        "schema_version": 1,
        "interrupted": interrupted,
        "sound": !interrupted && checks.values().all(|check| check.problems.is_empty()),
        "labs": labs.iter().map(|lab| {
            serde_json::json!({
                "id": lab.id(),
                "checks": CHECKS.iter().filter_map(|name| {
                    checks.get(&(lab.number, *name)).map(|check| serde_json::json!({
                        "name": name,
                        "summary": check.summary,
                        "skipped": check.skipped,
                        "problems": check.problems,
                    }))
                }).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
    });
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("could not create {}", out_dir.display()))?;
    let text = serde_json::to_string_pretty(&report).context("could not encode verify.json")?;
    grader::results::write_atomically(&out_dir.join("verify.json"), text.as_bytes())
        .with_context(|| format!("could not write {}", out_dir.join("verify.json").display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A results document with `tests` as `(name, status, runs, passed
    /// runs)`, each worth 2 points.
    fn results(tests: &[(&str, &str, u32, u32)]) -> LabResults {
        let tests: Vec<serde_json::Value> = tests
            .iter()
            .map(|(name, status, runs, passed_runs)| {
                serde_json::json!({
                    "name": name, "points": if *status == "PASS" { 2 } else { 0 },
                    "max_points": 2, "status": status, "duration_secs": 0.1,
                    "message": if *status == "PASS" { "" } else { "boom: it went wrong\nsecond line" },
                    "output": "", "visibility": "visible", "alone": false,
                    "timeout_secs": 10.0, "metrics": {}, "runs": runs, "passed_runs": passed_runs,
                })
            })
            .collect();
        let mut results: LabResults = serde_json::from_value(serde_json::json!({
            "schema_version": 1,
            "lab": { "id": "lab9", "number": 9, "slug": "sample", "crate": "lab9-sample" },
            "implementation": { "kind": "reference", "path": "/x", "package": "lab9-sample-solution" },
            "environment": { "rustc": "rustc", "cores": 2, "os": "linux", "arch": "x86_64",
                             "grader_version": "0", "jobs": 2, "cpu_model": "cpu" },
            "started_at": "2026-01-01T00:00:00Z", "complete": true, "interrupted": false,
            "build": { "ok": true, "duration_secs": 1.0, "message": "" },
            "tests": tests,
            "totals": { "points": 0, "max_points": 0, "tests": 0, "passed": 0, "failed": 0,
                        "timed_out": 0, "crashed": 0, "not_run": 0 },
        }))
        .unwrap();
        results.update_totals();
        results
    }

    fn sample_course(root: &Path) -> Course {
        let mut course = Course::parse(
            r#"
title = "Sample"
[[labs]]
number = 9
slug = "sample"
crate = "lab9-sample"
default_timeout_secs = 10
tests = [
  { name = "first", points = 2 },
  { name = "second", points = 2 },
]
"#,
        )
        .unwrap();
        course.root = root.to_path_buf();
        course
    }

    #[test]
    fn a_reference_test_failing_one_run_is_named_flaky_with_its_pass_rate() {
        let runs = [
            results(&[("first", "PASS", 1, 1), ("second", "PASS", 1, 1)]),
            results(&[("first", "PASS", 1, 1), ("second", "FAIL", 1, 0)]),
            results(&[("first", "PASS", 1, 1), ("second", "PASS", 1, 1)]),
        ];
        let check = check_reference(&runs, 3);
        assert_eq!(check.problems.len(), 1, "{:?}", check.problems);
        assert!(
            check.problems[0].contains("`second` is flaky on the reference: passed 2 of 3 runs"),
            "{}",
            check.problems[0]
        );
        assert!(check.problems[0].contains("boom: it went wrong"));
        assert_eq!(check.summary, "4/4 in 2/3 runs");
    }

    #[test]
    fn a_reference_passing_every_run_has_no_problem() {
        let runs = [
            results(&[("first", "PASS", 1, 1), ("second", "PASS", 1, 1)]),
            results(&[("first", "PASS", 1, 1), ("second", "PASS", 1, 1)]),
        ];
        let check = check_reference(&runs, 2);
        assert!(check.problems.is_empty(), "{:?}", check.problems);
        assert_eq!(check.cell(), "ok 4/4 in 2/2 runs");
        let short = check_reference(&runs[..1], 2);
        assert_eq!(short.problems, ["only 1 of 2 runs finished"]);
    }

    #[test]
    fn a_test_passing_or_hanging_on_the_stubs_is_a_problem() {
        let stubs = results(&[
            ("first", "PASS", 1, 1),
            ("second", "TIMEOUT", 1, 0),
            ("third", "FAIL", 1, 0),
        ]);
        let check = check_stubs(&stubs);
        assert_eq!(check.problems.len(), 2, "{:?}", check.problems);
        assert!(check.problems[0].contains("`first` passes on the untouched stubs"));
        assert!(check.problems[1].contains("`second` ends in Timeout on the stubs"));
        let fine = check_stubs(&results(&[("third", "FAIL", 1, 0)]));
        assert!(fine.problems.is_empty());
    }

    #[test]
    fn course_and_suite_disagreeing_is_a_problem() {
        let root = tempfile::tempdir().unwrap();
        let course = sample_course(root.path());
        let lab = &course.labs[0];
        let mut run = results(&[("first", "PASS", 1, 1), ("second", "FAIL", 1, 0)]);
        run.tests[1].message = format!(
            "the hidden suite has no test named `second`: {UNREGISTERED_TEST_MARK} (an instructor's mistake)"
        );
        let warning = "the hidden suite has tests that course.toml does not declare, so they are \
                       not graded: extra"
            .to_owned();
        let check = check_agreement(lab, &[run], std::slice::from_ref(&warning));
        assert_eq!(
            check.problems,
            [
                warning,
                "course.toml declares `second`, which the hidden suite does not register"
                    .to_owned()
            ]
        );
    }

    #[test]
    fn a_fixture_whose_catching_test_passed_once_is_a_problem() {
        let root = tempfile::tempdir().unwrap();
        let course = sample_course(root.path());
        let fixture = Fixture {
            dir: root.path().join("lab9-bug"),
            name: "lab9-bug".to_owned(),
            lab_number: 9,
            expected: Some(Expected {
                bug: "off by one".to_owned(),
                caught_by: vec!["first".to_owned(), "missing".to_owned()],
            }),
        };
        let graded = results(&[("first", "FAIL", 20, 1), ("second", "PASS", 1, 1)]);
        let mut lines = Vec::new();
        let problems = judge_fixture(
            &course,
            &course.labs[0],
            &fixture,
            &graded,
            20,
            1.0,
            &mut lines,
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("`first` passed 1 of 20 runs; it must fail all 20"));
        assert!(problems[1].contains("names `missing`, which lab9 (sample) does not have"));

        let caught = results(&[("first", "FAIL", 20, 0), ("missing", "FAIL", 20, 0)]);
        let problems = judge_fixture(
            &course,
            &course.labs[0],
            &fixture,
            &caught,
            20,
            1.0,
            &mut lines,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].how, "boom: it went wrong");
    }

    #[test]
    fn a_fixture_without_expectations_must_lose_points() {
        let root = tempfile::tempdir().unwrap();
        let course = sample_course(root.path());
        let fixture = Fixture {
            dir: root.path().join("lab9-misbehaving"),
            name: "lab9-misbehaving".to_owned(),
            lab_number: 9,
            expected: None,
        };
        let full = results(&[("first", "PASS", 1, 1), ("second", "PASS", 1, 1)]);
        let problems = judge_fixture(
            &course,
            &course.labs[0],
            &fixture,
            &full,
            3,
            1.0,
            &mut Vec::new(),
        );
        assert_eq!(
            problems,
            ["fixture lab9-misbehaving scores full marks; it must lose points"]
        );
        let lost = results(&[("first", "PASS", 1, 1), ("second", "CRASH", 1, 0)]);
        let problems = judge_fixture(
            &course,
            &course.labs[0],
            &fixture,
            &lost,
            3,
            1.0,
            &mut Vec::new(),
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn stray_folders_and_files_are_named() {
        let root = tempfile::tempdir().unwrap();
        let course = sample_course(root.path());
        for dir in [
            "labs/lab9-sample",
            "labs/labkit",
            "labs/lab8-gone",
            "solutions/lab9-sample",
            "grader/suites/lab9-sample",
            "grader/fixtures/lab9-bug",
            "grader/fixtures/lab7-other",
            "grader/fixtures/notes",
        ] {
            std::fs::create_dir_all(root.path().join(dir)).unwrap();
            std::fs::write(root.path().join(dir).join("Cargo.toml"), "").unwrap();
        }
        std::fs::remove_file(root.path().join("grader/suites/lab9-sample/Cargo.toml")).unwrap();
        std::fs::write(root.path().join("labs/notes.txt"), "").unwrap();
        std::fs::write(root.path().join("labs/README.md"), "").unwrap();
        std::fs::write(root.path().join("grader/fixtures/README.md"), "").unwrap();
        let problems: Vec<String> = stray_file_problems(&course)
            .unwrap()
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        let expected_fragments = [
            "labs/lab8-gone belongs to no lab of course.toml",
            "labs/notes.txt is a stray file",
            "grader/suites/lab9-sample has no Cargo.toml",
            "lab9 (sample) has no hidden suite",
            "grader/fixtures/lab7-other: a fixture folder is named after its lab",
            "grader/fixtures/notes: a fixture folder is named after its lab",
        ];
        for fragment in expected_fragments {
            assert!(
                problems.iter().any(|problem| problem.contains(fragment)),
                "no problem mentions {fragment:?}: {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expected_fragments.len(), "{problems:#?}");
    }
}
