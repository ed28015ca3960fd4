//! The results formats other tools read: Gradescope's results schema,
//! JUnit XML and the Markdown summary.
//!
//! Modules:
//! - `golden`: hand-made results covering every outcome, a build failure,
//!   an interrupted run, hidden visibility and awkward text (markup
//!   characters, control characters, non-ASCII), rendered in each format
//!   and compared with `insta` snapshots;
//! - `readers`: the same documents read back the way their consumers read
//!   them: the JUnit file by an independent JUnit parser (`junit-parser`),
//!   the Gradescope document against the rules of Gradescope's schema, the
//!   Markdown table cell by cell;
//! - `end_to_end`: the real binary writing every format for a real grade,
//!   each agreeing with `results.json`.
//!
//! The hand-made results are fixed, so their snapshots need no redaction.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use grader::build::ImplementationInfo;
use grader::course::{Better, Visibility};
use grader::experiment::{BenchLevel, ExperimentResult, PointResult, Role, Series};
use grader::formats::FileFormat;
use grader::results::{
    BuildRecord, Environment, GradedTests, ImplementationRecord, LabInfo, LabResults,
    RESULTS_SCHEMA_VERSION, TestResult, Totals,
};
use grader::runner::Outcome;
use serde_json::Value;

#[path = "support/gradescope_schema.rs"]
mod gradescope_schema;

/// A message with every character that means something in XML, JSON,
/// Markdown or a table.
const AWKWARD_MESSAGE: &str = "assertion `left == right` failed: <Vec<u64>> & \"quotes\" \
                               'single' | pipe *stars* _under_ [link](x) # not a heading\n  \
                               left: [1, 4, 9]\n right: [1, 4, 8]";
/// Output with terminal colours, NUL, BEL, a carriage return and non-ASCII
/// text, as a student's program may print.
const AWKWARD_OUTPUT: &str = "\u{1b}[31mred\u{1b}[0m then NUL \u{0} and BEL \u{7}\r\n\
                              héllo wörld — ✓ 日本語 🦀\n]]> </system-out> <![CDATA[ x ]]>\n";

fn test_result(
    name: &str,
    max_points: u32,
    status: Outcome,
    message: &str,
    visibility: Visibility,
) -> TestResult {
    TestResult {
        name: name.to_owned(),
        points: if status.is_pass() { max_points } else { 0 },
        max_points,
        status,
        duration_secs: 0.25,
        message: message.to_owned(),
        output: String::new(),
        visibility,
        alone: false,
        timeout_secs: 10.0,
        metrics: BTreeMap::new(),
        runs: u32::from(status != Outcome::NotRun),
        passed_runs: u32::from(status.is_pass()),
    }
}

fn lab_results(tests: Vec<TestResult>) -> LabResults {
    let implementation = ImplementationInfo {
        kind: "submission",
        path: PathBuf::from("/autograder/submission/lab1-threads"),
        package: "lab1-threads".to_owned(),
    };
    let mut results = LabResults {
        schema_version: RESULTS_SCHEMA_VERSION,
        lab: LabInfo {
            id: "lab1".to_owned(),
            number: 1,
            slug: "threads".to_owned(),
            crate_name: "lab1-threads".to_owned(),
        },
        implementation: ImplementationRecord::from(&implementation),
        environment: Environment {
            rustc: "rustc 1.95.0".to_owned(),
            cores: 2,
            os: "linux".to_owned(),
            arch: "x86_64".to_owned(),
            grader_version: "0.1.0".to_owned(),
            jobs: 2,
            cpu_model: "Test CPU".to_owned(),
            sandbox: Default::default(),
        },
        graded_tests: GradedTests::Hidden,
        started_at: "2026-11-22T10:00:00Z".to_owned(),
        finished_at: Some("2026-11-22T10:00:42Z".to_owned()),
        complete: true,
        interrupted: false,
        filters: Vec::new(),
        repeat: 1,
        build: BuildRecord {
            ok: true,
            duration_secs: 3.5,
            message: String::new(),
        },
        warnings: Vec::new(),
        tests,
        totals: Totals::default(),
        experiments: Vec::new(),
    };
    results.update_totals();
    results
}

/// Every outcome, every visibility, a repeated test, awkward text, a
/// warning and a timing experiment.
fn every_outcome() -> LabResults {
    let mut passed = test_result(
        "run_both_returns_each_result_in_its_own_place",
        1,
        Outcome::Pass,
        "",
        Visibility::Visible,
    );
    passed.output = "worker 1 started\nworker 2 started\n".to_owned();
    let mut failed = test_result(
        "pool_map_returns_outputs_in_input_order",
        2,
        Outcome::Fail,
        AWKWARD_MESSAGE,
        Visibility::Hidden,
    );
    failed.output = AWKWARD_OUTPUT.to_owned();
    let timed_out = test_result(
        "run_both_runs_the_two_tasks_at_the_same_time",
        3,
        Outcome::Timeout,
        "did not finish within 15.0 s: a deadlock, a lost wake-up or an endless loop",
        Visibility::AfterDueDate,
    );
    let mut crashed = test_result(
        "map_in_chunks_gives_each_contiguous_chunk_its_own_thread",
        2,
        Outcome::Crash,
        "killed by signal 6 (SIGABRT): the process aborted",
        Visibility::AfterPublished,
    );
    crashed.output = "fatal runtime error: stack overflow\n".to_owned();
    let not_run = test_result(
        "stop_flag_is_noticed_within_two_steps",
        3,
        Outcome::NotRun,
        "the run was interrupted while this test ran",
        Visibility::Visible,
    );
    let mut repeated = test_result(
        "countdown_join_returns_the_final_state",
        2,
        Outcome::Fail,
        "expected state Finished(3), got Running",
        Visibility::Visible,
    );
    repeated.runs = 3;
    repeated.passed_runs = 2;
    let mut results = lab_results(vec![passed, failed, timed_out, crashed, not_run, repeated]);
    results.repeat = 3;
    results.warnings.push(
        "lab1-threads uses std's threads directly at src/lib.rs:3 (std::thread::spawn)".to_owned(),
    );
    let series = |subject: &str, role, median: f64, ratio| Series {
        subject: subject.to_owned(),
        role,
        samples: vec![median * 0.9, median, median * 1.1],
        median,
        min: median * 0.9,
        max: median * 1.1,
        ratio_to_reference: ratio,
    };
    results.experiments.push(ExperimentResult {
        name: "count_down_steps_per_second".to_owned(),
        title: "Count down on threads".to_owned(),
        unit: "steps/s".to_owned(),
        better: Better::Higher,
        x_axis: None,
        level: BenchLevel::Quick,
        rounds: 3,
        points: vec![
            PointResult {
                point: "1 thread".to_owned(),
                x: Some(1.0),
                series: vec![
                    series("submission", Role::Graded, 2.0e7, Some(0.8)),
                    series("reference", Role::Reference, 2.5e7, Some(1.0)),
                ],
            },
            PointResult {
                point: "2 threads".to_owned(),
                x: Some(2.0),
                series: vec![
                    series("submission", Role::Graded, 3.9e7, Some(0.78)),
                    series("reference", Role::Reference, 5.0e7, Some(1.0)),
                    series("crossbeam | baseline", Role::Baseline, 6.0e7, Some(1.2)),
                ],
            },
        ],
        errors: vec!["one run of 4 threads timed out after 120 s".to_owned()],
    });
    results
}

/// A submission that does not compile: the grade engine fails every test
/// and keeps the compiler's message.
fn build_failure() -> LabResults {
    let not_graded = "not graded: the implementation does not compile against the hidden suite \
                      (see the build message)";
    let mut results = lab_results(vec![
        test_result(
            "run_both_returns_each_result_in_its_own_place",
            1,
            Outcome::Fail,
            not_graded,
            Visibility::Visible,
        ),
        test_result(
            "pool_map_returns_outputs_in_input_order",
            2,
            Outcome::Fail,
            not_graded,
            Visibility::Hidden,
        ),
    ]);
    for test in &mut results.tests {
        test.duration_secs = 0.0;
        test.runs = 0;
    }
    results.build = BuildRecord {
        ok: false,
        duration_secs: 2.25,
        message: "error[E0425]: cannot find function `run_both` in crate `lab1_threads`\n \
                  --> src/main.rs:3:5\n  |\n3 |     lab1_threads::run_both(|| 1, || 2);\n  \
                  |     ^^^^^^^^ not found in `lab1_threads` <here> & \"there\"\n```\n\n\
                  error: could not compile `lab1-threads-suite` (bin) due to 1 previous error\n"
            .to_owned(),
    };
    results.update_totals();
    results
}

/// A run stopped after two tests: still running when the file was written.
fn interrupted() -> LabResults {
    let mut results = lab_results(vec![
        test_result(
            "run_both_returns_each_result_in_its_own_place",
            1,
            Outcome::Pass,
            "",
            Visibility::Visible,
        ),
        test_result(
            "chunk_ranges_split_into_contiguous_pieces_of_nearly_equal_length",
            1,
            Outcome::NotRun,
            "the run was interrupted while this test ran",
            Visibility::Visible,
        ),
        test_result(
            "square_in_chunks_squares_every_number_in_input_order",
            1,
            Outcome::NotRun,
            "not run yet",
            Visibility::Hidden,
        ),
    ]);
    results.finished_at = None;
    results.complete = false;
    results.interrupted = true;
    results
}

/// A build that ended without a compiler message: the run was interrupted
/// while the suite was being built.
fn build_stopped() -> LabResults {
    let mut results = build_failure();
    results.build.message = String::new();
    results
}

fn scenarios() -> Vec<(&'static str, LabResults)> {
    vec![
        ("every_outcome", every_outcome()),
        ("build_failure", build_failure()),
        ("build_stopped", build_stopped()),
        ("interrupted", interrupted()),
    ]
}

mod golden {
    use super::*;

    #[test]
    fn every_format_of_every_scenario_matches_its_snapshot() {
        for (scenario, results) in scenarios() {
            for format in FileFormat::ALL {
                let name = format!("{scenario}_{}", format.file_name().replace('.', "_"));
                insta::assert_snapshot!(name, format.render(&results));
            }
        }
    }
}

mod readers {
    use super::*;

    /// The JUnit file as `junit-parser` reads it agrees with the results.
    pub(crate) fn check_junit(document: &str, results: &LabResults) -> junit_parser::TestSuites {
        let parsed = junit_parser::from_reader(std::io::Cursor::new(document.as_bytes()))
            .unwrap_or_else(|err| panic!("junit-parser rejects the file: {err}\n{document}"));
        assert_eq!(parsed.suites.len(), 1);
        let suite = &parsed.suites[0];
        assert_eq!(suite.name, results.lab.crate_name);
        let build_case = usize::from(!results.build.ok);
        let count = |outcomes: &[Outcome]| {
            results
                .tests
                .iter()
                .filter(|test| outcomes.contains(&test.status))
                .count() as u64
        };
        assert_eq!(suite.cases.len(), results.tests.len() + build_case);
        assert_eq!(suite.tests, suite.cases.len() as u64);
        assert_eq!(suite.failures, count(&[Outcome::Fail]));
        assert_eq!(
            suite.errors,
            count(&[Outcome::Timeout, Outcome::Crash]) + build_case as u64
        );
        assert_eq!(suite.skipped, count(&[Outcome::NotRun]));
        assert_eq!(
            (parsed.tests, parsed.failures, parsed.errors, parsed.skipped),
            (suite.tests, suite.failures, suite.errors, suite.skipped)
        );
        if build_case == 1 {
            let build = &suite.cases[0];
            assert_eq!(build.original_name, "build");
            let error = build.status.error_as_ref();
            assert_eq!(error.error_type, "BUILD");
            match results.build.message.lines().next() {
                Some(first_line) => assert!(error.text.contains(first_line), "{}", error.text),
                None => assert!(error.message.contains("stopped"), "{}", error.message),
            }
        }
        for (case, test) in suite.cases[build_case..].iter().zip(&results.tests) {
            assert_eq!(case.original_name, test.name);
            assert_eq!(
                case.classname.as_deref(),
                Some(results.lab.crate_name.as_str())
            );
            assert!(
                (case.time - test.duration_secs).abs() < 0.001,
                "{}: time {} for {}",
                test.name,
                case.time,
                test.duration_secs
            );
            let first_line = test.message.lines().next().unwrap_or_default();
            match test.status {
                Outcome::Pass => assert!(case.status.is_success(), "{}", test.name),
                Outcome::Fail => {
                    let failure = case.status.failure_as_ref();
                    assert_eq!(failure.failure_type, "FAIL");
                    assert!(failure.message.contains(first_line), "{}", failure.message);
                    // A `]]>` in the text ends one CDATA section and starts
                    // another; junit-parser joins sections with a newline.
                    let text = failure.text.replace("]]\n>", "]]>");
                    assert!(text.contains(test.message.trim_end()), "{text}");
                    for line in test.output.lines() {
                        let line = line.replace(['\u{0}', '\u{7}', '\u{1b}'], "\u{FFFD}");
                        assert!(text.contains(&line), "{line:?} in {text}");
                    }
                }
                Outcome::Timeout | Outcome::Crash => {
                    let error = case.status.error_as_ref();
                    let expected_type = if test.status == Outcome::Timeout {
                        "TIMEOUT"
                    } else {
                        "CRASH"
                    };
                    assert_eq!(error.error_type, expected_type);
                    assert!(error.message.contains(first_line), "{}", error.message);
                }
                Outcome::NotRun => {
                    let skipped = case.status.skipped_as_ref();
                    assert!(skipped.message.contains(first_line), "{}", skipped.message);
                }
            }
        }
        parsed
    }

    /// Every row of the Markdown score table has four cells, and names one
    /// test with its points.
    pub(crate) fn check_markdown(document: &str, results: &LabResults) {
        let heading = format!(
            "## {} {}: {}/{} points",
            results.lab.id, results.lab.slug, results.totals.points, results.totals.max_points
        );
        assert!(document.starts_with(&heading), "{document}");
        let table_start = document
            .find("| status | points | test | message |")
            .expect("the score table");
        let rows: Vec<&str> = document[table_start..]
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .collect();
        assert_eq!(rows.len(), results.tests.len());
        for (row, test) in rows.iter().zip(&results.tests) {
            let mut unescaped_pipes = 0;
            let mut previous = ' ';
            for ch in row.chars() {
                if ch == '|' && previous != '\\' {
                    unescaped_pipes += 1;
                }
                previous = ch;
            }
            assert_eq!(unescaped_pipes, 5, "four cells in {row}");
            assert!(row.contains(&format!("`{}`", test.name)), "{row}");
            assert!(
                row.contains(&format!("| {}/{} |", test.points, test.max_points)),
                "{row}"
            );
        }
        assert!(document.contains("### Timing"));
    }

    #[test]
    fn junit_parser_reads_every_scenario_as_the_results_say() {
        for (scenario, results) in scenarios() {
            let parsed = check_junit(&FileFormat::Junit.render(&results), &results);
            if scenario == "every_outcome" {
                let failed = &parsed.suites[0].cases[1];
                let failure = failed.status.failure_as_ref();
                assert!(
                    failure
                        .message
                        .contains("<Vec<u64>> & \"quotes\" 'single' | pipe"),
                    "{}",
                    failure.message
                );
                assert!(failure.text.contains("héllo wörld — ✓ 日本語 🦀"));
                assert!(failure.text.contains("red\u{FFFD}[0m then NUL \u{FFFD}"));
                let passed = &parsed.suites[0].cases[0];
                assert_eq!(
                    passed.system_out.as_deref(),
                    Some("worker 1 started\nworker 2 started")
                );
                assert!(
                    parsed.suites[0]
                        .system_err
                        .as_deref()
                        .is_some_and(|notes| notes.contains("std::thread::spawn"))
                );
            }
        }
    }

    #[test]
    fn gradescope_documents_follow_the_schema() {
        for (scenario, results) in scenarios() {
            let value =
                gradescope_schema::check(&FileFormat::Gradescope.render(&results), &results);
            let output = value["output"].as_str().unwrap();
            match scenario {
                "every_outcome" => {
                    assert_eq!(value["execution_time"], 42);
                    let visibilities: Vec<&str> = value["tests"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|test| test["visibility"].as_str().unwrap())
                        .collect();
                    assert_eq!(
                        visibilities,
                        [
                            "visible",
                            "hidden",
                            "after_due_date",
                            "after_published",
                            "visible",
                            "visible"
                        ]
                    );
                    let failed_output = value["tests"][1]["output"].as_str().unwrap();
                    assert!(failed_output.contains(AWKWARD_MESSAGE));
                    let without_control_characters = AWKWARD_OUTPUT
                        .trim_end()
                        .replace(['\u{0}', '\u{7}', '\u{1b}'], "\u{FFFD}");
                    assert!(
                        failed_output.contains(&without_control_characters),
                        "{failed_output}"
                    );
                }
                "build_failure" => {
                    assert_eq!(value["score"], 0.0);
                    assert!(output.contains("does not compile"), "{output}");
                    assert!(output.contains("error[E0425]: cannot find function `run_both`"));
                }
                "build_stopped" => {
                    assert_eq!(value["score"], 0.0);
                    assert!(!output.contains("does not compile"), "{output}");
                    assert!(output.contains("says nothing about your code"), "{output}");
                }
                "interrupted" => {
                    assert!(output.contains("interrupted"), "{output}");
                    assert_eq!(
                        value["execution_time"], 4,
                        "without an end time: build and test time so far"
                    );
                }
                _ => unreachable!(),
            }
        }
    }

    #[test]
    fn markdown_tables_keep_four_cells_per_row() {
        for (_, results) in scenarios() {
            check_markdown(&FileFormat::Markdown.render(&results), &results);
        }
    }
}

mod end_to_end {
    use super::*;

    fn course_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    fn xtask() -> Command {
        let mut command = Command::cargo_bin("xtask").unwrap();
        command
            .current_dir(course_root())
            .env_remove("COURSE_ROOT")
            .timeout(Duration::from_secs(900));
        command
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path)
            .unwrap_or_else(|err| panic!("{} is written: {err}", path.display()))
    }

    /// Two cheap tests of lab 1's reference; the formats must say what
    /// results.json says, and stdout keeps its own format.
    #[test]
    fn a_real_grade_writes_every_format_in_agreement_with_results_json() {
        let out = tempfile::tempdir().unwrap();
        let output = xtask()
            .args([
                "grade",
                "lab1",
                "--solution",
                "--bench",
                "off",
                "--filter",
                "chunk_ranges",
                "--filter",
                "countdown",
                "--format",
                "json,gradescope,junit,markdown",
                "--out",
            ])
            .arg(out.path())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let printed: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
        let results_text = read(&out.path().join("results.json"));
        let results: LabResults = serde_json::from_str(&results_text).unwrap();
        assert_eq!(printed["totals"]["points"], results.totals.points);
        assert_eq!(
            results.tests.len(),
            3,
            "chunk_ranges and two countdown tests"
        );
        assert!(results.totals.points > 0 && results.totals.points == results.totals.max_points);

        let gradescope =
            gradescope_schema::check(&read(&out.path().join("gradescope.json")), &results);
        assert_eq!(gradescope["score"], f64::from(results.totals.points));
        readers::check_junit(&read(&out.path().join("junit.xml")), &results);
        readers::check_markdown(&read(&out.path().join("summary.md")), &results);

        // The human summary on stdout, one file format next to results.json.
        let human_out = tempfile::tempdir().unwrap();
        let output = xtask()
            .args([
                "grade",
                "lab1",
                "--solution",
                "--bench",
                "off",
                "--filter",
                "chunk_ranges",
                "--format",
                "human",
                "--format",
                "junit",
                "--out",
            ])
            .arg(human_out.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{stdout}");
        assert!(stdout.contains("lab1 threads: 1/1"), "{stdout}");
        assert!(stdout.contains("PASS"), "{stdout}");
        assert!(human_out.path().join("junit.xml").is_file());
        assert!(!human_out.path().join("gradescope.json").exists());
        assert!(!human_out.path().join("summary.md").exists());
    }
}
