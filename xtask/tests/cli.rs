//! End-to-end tests of `cargo xtask`: the real binary, the real course, real
//! builds of the hidden suite, real test processes.
//!
//! Modules:
//! - `usage`: listing the course and rejecting bad input;
//! - `grading`: the reference (full marks), the stubs (zero, quickly),
//!   submissions that misbehave or do not compile, and an interrupted run.
//!
//! Grading runs hold [`SERIAL`] so that the timing-sensitive tests of one run
//! never share the machine with another run started by this file.
//! Snapshots redact durations, paths, versions and timestamps.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;

#[path = "support/course.rs"]
mod course;
#[path = "support/layers.rs"]
mod layers;
use course::{course_root, xtask};
use layers::LAYERS;

static SERIAL: Mutex<()> = Mutex::new(());

fn fixture(name: &str) -> PathBuf {
    course_root().join("grader").join("fixtures").join(name)
}

/// Runs `xtask grade ARGS --out OUT` while holding [`SERIAL`]; timing
/// experiments are off unless ARGS say `--bench`.
fn grade(args: &[&str], out: &Path) -> (Output, Value) {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut command = xtask();
    command.arg("grade").args(args);
    if !args.contains(&"--bench") {
        command.args(["--bench", "off"]);
    }
    let output = command
        .arg("--out")
        .arg(out)
        .timeout(Duration::from_secs(900))
        .output()
        .unwrap();
    let results =
        std::fs::read_to_string(out.join("results.json")).expect("results.json is written");
    (
        output,
        serde_json::from_str(&results).expect("results.json is valid JSON"),
    )
}

fn stdout_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Filters that make human output stable: durations, paths.
fn human_filters(out: &Path) -> Vec<(String, String)> {
    vec![
        (regex_escape(&out.display().to_string()), "[OUT]".to_owned()),
        (
            regex_escape(&course_root().display().to_string()),
            "[ROOT]".to_owned(),
        ),
        (r" +\d+\.\d\ds ".to_owned(), " [TIME]s ".to_owned()),
    ]
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '/' || ch == '_' || ch == '-' {
                ch.to_string()
            } else {
                format!("\\{ch}")
            }
        })
        .collect()
}

macro_rules! assert_human_snapshot {
    ($name:expr, $text:expr, $out:expr) => {{
        let filters = human_filters($out);
        let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        insta::with_settings!({ filters => filters }, {
            insta::assert_snapshot!($name, $text);
        });
    }};
}

fn statuses(results: &Value) -> Vec<(String, String)> {
    results["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|test| {
            (
                test["name"].as_str().unwrap().to_owned(),
                test["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Processes on this machine whose command line contains `needle`.
fn processes_with(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(needle) {
                found.push(format!(
                    "{}: {cmdline}",
                    entry.file_name().to_string_lossy()
                ));
            }
        }
    }
    found
}

mod usage {
    use super::*;

    #[test]
    fn sandbox_names_every_layer_and_why_it_is_missing() {
        // Every layer that can be switched off is, so the output is the same
        // on any machine.
        let output = xtask()
            .arg("sandbox")
            .env(
                "GRADER_SANDBOX_DISABLE",
                "rlimits,namespaces,drop-user,landlock,seccomp,cgroup",
            )
            .assert()
            .success()
            .get_output()
            .clone();
        insta::assert_snapshot!("sandbox_all_switched_off", stdout_of(&output));

        // With nothing switched off, the layers always there are active and
        // the JSON is results.json's `environment.sandbox`.
        let output = xtask()
            .args(["sandbox", "--format", "json"])
            .env_remove("GRADER_SANDBOX_DISABLE")
            .assert()
            .success()
            .get_output()
            .clone();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        let active: Vec<&str> = report["active"]
            .as_array()
            .unwrap()
            .iter()
            .map(|layer| layer.as_str().unwrap())
            .collect();
        for always in [
            "session",
            "subreaper",
            "death-signal",
            "wall-timeout",
            "rlimits",
        ] {
            assert!(active.contains(&always), "{always} missing from {report}");
        }
        let missing: Vec<&str> = report["missing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|layer| layer["layer"].as_str().unwrap())
            .collect();
        for layer in LAYERS {
            assert!(
                active.contains(&layer) != missing.contains(&layer),
                "{layer} must be either active or missing: {report}"
            );
        }
    }

    #[test]
    fn a_misspelt_sandbox_layer_is_a_usage_error_naming_the_layers() {
        xtask()
            .arg("sandbox")
            .env("GRADER_SANDBOX_DISABLE", "landlok")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "GRADER_SANDBOX_DISABLE names no sandbox layer: landlok; the layers that can be \
                 switched off are: rlimits, namespaces, drop-user, landlock, seccomp, cgroup",
            ));
    }

    #[test]
    fn list_shows_every_lab_and_test_with_points() {
        let output = xtask().arg("list").assert().success().get_output().clone();
        insta::assert_snapshot!("list", stdout_of(&output));
    }

    #[test]
    fn unknown_lab_is_a_usage_error_naming_the_known_labs() {
        xtask()
            .args(["grade", "lab99"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "lab99 not found; known labs: lab1 (threads)",
            ));
    }

    #[test]
    fn missing_submission_folder_is_a_usage_error() {
        xtask()
            .args(["grade", "lab1", "--submission", "/nonexistent/submission"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--submission /nonexistent/submission: no such folder",
            ));
    }

    #[test]
    fn course_root_points_at_another_course_folder() {
        let copy = tempfile::tempdir().unwrap();
        std::fs::copy(
            course_root().join("course.toml"),
            copy.path().join("course.toml"),
        )
        .unwrap();
        let listed = xtask()
            .arg("--course-root")
            .arg(copy.path())
            .arg("list")
            .assert()
            .success()
            .get_output()
            .clone();
        let here = xtask().arg("list").assert().success().get_output().clone();
        assert_eq!(listed.stdout, here.stdout);
        xtask()
            .arg("list")
            .env("COURSE_ROOT", "/nonexistent/course")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "could not load the course in /nonexistent/course",
            ));
    }

    #[test]
    fn help_states_the_exit_statuses() {
        xtask()
            .args(["grade", "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "0 all tests passed, 1 some test failed, 2 usage or build",
            ));
    }
}

mod grading {
    use super::*;

    #[test]
    fn reference_solution_scores_full_marks() {
        let out = tempfile::tempdir().unwrap();
        let (output, results) = grade(&["lab1", "--solution"], out.path());
        assert_eq!(output.status.code(), Some(0), "{}", stdout_of(&output));
        let totals = &results["totals"];
        assert_eq!(
            totals["points"],
            totals["max_points"],
            "{}",
            stdout_of(&output)
        );
        assert_eq!(totals["max_points"], 50);
        assert_eq!(results["complete"], true);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("warning"),
            "course.toml and the suite must agree: {stderr}"
        );
        assert_human_snapshot!("reference_human", stdout_of(&output), out.path());
        insta::assert_json_snapshot!("reference_results_json", results, {
            ".started_at" => "[TIME]",
            ".finished_at" => "[TIME]",
            ".environment" => "[ENVIRONMENT]",
            ".implementation.path" => "[PATH]",
            ".build.duration_secs" => "[SECS]",
            ".tests[].duration_secs" => "[SECS]",
            ".tests[].output" => "[OUTPUT]",
            ".tests[].metrics" => "[METRICS]",
        });
        let timing: Value =
            serde_json::from_str(&std::fs::read_to_string(out.path().join("timing.json")).unwrap())
                .unwrap();
        assert_eq!(
            timing["tests"].as_array().unwrap().len(),
            results["tests"].as_array().unwrap().len()
        );
    }

    #[test]
    fn json_format_prints_the_results_document() {
        let out = tempfile::tempdir().unwrap();
        let (output, results) = grade(
            &[
                "threads",
                "--solution",
                "--format",
                "json",
                "--filter",
                "countdown",
            ],
            out.path(),
        );
        let printed: Value =
            serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
        assert_eq!(printed, results);
        assert_eq!(results["filters"], serde_json::json!(["countdown"]));
        let names = statuses(&results);
        assert!(
            !names.is_empty() && names.iter().all(|(name, _)| name.contains("countdown")),
            "{names:?}"
        );
    }

    #[test]
    fn all_labs_go_to_one_folder_each() {
        let out = tempfile::tempdir().unwrap();
        let _serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        xtask()
            .args([
                "grade",
                "--all",
                "--solution",
                "--filter",
                "countdown",
                "--out",
            ])
            .arg(out.path())
            .assert()
            .success()
            .stdout(predicate::str::contains("lab1 threads: "));
        assert!(out.path().join("lab1").join("results.json").is_file());
        assert!(out.path().join("lab1").join("timing.json").is_file());
    }

    #[test]
    fn replay_runs_one_test_in_the_foreground_with_its_verdict() {
        let _serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        xtask()
            .args([
                "grade",
                "lab1",
                "--solution",
                "--replay",
                "countdown_join_returns_the_final_state",
            ])
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "countdown_join_returns_the_final_state ... ok",
            ));
        xtask()
            .args([
                "grade",
                "lab1",
                "--replay",
                "countdown_join_returns_the_final_state",
            ])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("not yet implemented"));
        xtask()
            .args(["grade", "lab1", "--replay", "no_such_test"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "lab1 (threads) has no test named `no_such_test`",
            ));
    }

    #[test]
    fn stubs_score_zero_every_test_failing_quickly() {
        let out = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let (output, results) = grade(&["1"], out.path());
        let elapsed = started.elapsed();
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(results["totals"]["points"], 0);
        for (name, status) in statuses(&results) {
            assert_eq!(
                status, "FAIL",
                "{name} on the stubs should FAIL (a todo!() panic), not {status}"
            );
        }
        for test in results["tests"].as_array().unwrap() {
            assert!(
                test["message"]
                    .as_str()
                    .unwrap()
                    .contains("not yet implemented"),
                "{test}"
            );
        }
        // Stubs panic at once: no test may get anywhere near its timeout.
        // (A ratio against the shortest timeout, not an absolute bound.)
        let slowest = results["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|test| test["duration_secs"].as_f64().unwrap())
            .fold(0.0, f64::max);
        let shortest_timeout = results["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|test| test["timeout_secs"].as_f64().unwrap())
            .fold(f64::MAX, f64::min);
        assert!(
            slowest < shortest_timeout / 4.0,
            "a stub test took {slowest}s (whole run {elapsed:?})"
        );
        assert_human_snapshot!("stubs_human", stdout_of(&output), out.path());
    }

    #[test]
    fn misbehaving_submission_fails_those_tests_and_leaves_nothing_behind() {
        let out = tempfile::tempdir().unwrap();
        let submission = fixture("lab1-misbehaving");
        let (output, results) = grade(
            // 0.25 puts every deadline well below the suite's own 10 s
            // patience, so each hang ends as TIMEOUT on every run.
            &[
                "lab1",
                "--submission",
                submission.to_str().unwrap(),
                "--timeout-scale",
                "0.25",
            ],
            out.path(),
        );
        assert_eq!(output.status.code(), Some(1), "{}", stdout_of(&output));
        let statuses = statuses(&results);
        let count = |wanted: &str| {
            statuses
                .iter()
                .filter(|(_, status)| status == wanted)
                .count()
        };
        assert!(
            count("TIMEOUT") >= 2,
            "deadlock, endless loop and the sleeping child time out: {statuses:?}"
        );
        assert!(
            count("CRASH") >= 2,
            "abort and stack overflow crash: {statuses:?}"
        );
        assert!(
            count("PASS") >= 2,
            "tests of untouched functions still pass: {statuses:?}"
        );
        assert!(results["totals"]["points"].as_u64().unwrap() < 50);
        let leftovers = processes_with("7777.25");
        assert!(
            leftovers.is_empty(),
            "the sleeping child outlived its test: {leftovers:?}"
        );
        assert_human_snapshot!("misbehaving_human", stdout_of(&output), out.path());
    }

    /// A student's crate as it sits in the course (inheriting edition,
    /// lints and dependencies from the workspace, naming `labsync` by a
    /// sibling path), handed in alone: the grader builds it from a copy with
    /// the course's values filled in.
    #[test]
    fn a_student_crate_handed_in_alone_is_graded_with_the_courses_manifest_values() {
        let upload = tempfile::tempdir().unwrap();
        let crate_dir = upload.path().join("lab3-semaphores");
        std::fs::create_dir_all(&crate_dir).unwrap();
        let student_manifest = course_root().join("labs/lab3-semaphores/Cargo.toml");
        let manifest = std::fs::read_to_string(&student_manifest).unwrap();
        assert!(
            manifest.contains("edition.workspace = true") && manifest.contains("../labsync"),
            "the student manifest no longer inherits; this test needs a new subject"
        );
        std::fs::copy(&student_manifest, crate_dir.join("Cargo.toml")).unwrap();
        let copy = std::process::Command::new("cp")
            .arg("-r")
            .arg(course_root().join("solutions/lab3-semaphores/src"))
            .arg(&crate_dir)
            .status()
            .unwrap();
        assert!(copy.success());
        let out = tempfile::tempdir().unwrap();
        let crate_arg = crate_dir.to_str().unwrap();
        let (output, results) = grade(
            &["lab3", "--submission", crate_arg, "--filter", "semaphore_"],
            out.path(),
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}\n{}",
            stdout_of(&output),
            results["build"]["message"]
        );
        assert!(results["totals"]["passed"].as_u64().unwrap() > 0);
        // The upload itself is left as it was: no target/, no rewritten
        // manifest.
        assert!(!crate_dir.join("target").exists());
        assert_eq!(
            std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap(),
            manifest
        );
    }

    #[test]
    fn submission_missing_a_function_scores_zero_with_the_compiler_message() {
        let out = tempfile::tempdir().unwrap();
        let submission = fixture("lab1-api-mismatch");
        let (output, results) = grade(
            &["lab1", "--submission", submission.to_str().unwrap()],
            out.path(),
        );
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(results["build"]["ok"], false);
        assert_eq!(results["totals"]["points"], 0);
        let message = results["build"]["message"].as_str().unwrap();
        assert!(
            message.contains("pool_map"),
            "the compiler names the missing function: {message}"
        );
        assert!(
            stdout_of(&output).contains("BUILD FAILED"),
            "{}",
            stdout_of(&output)
        );
    }

    #[test]
    fn submission_with_a_type_error_scores_zero_with_the_compiler_message() {
        let out = tempfile::tempdir().unwrap();
        let submission = fixture("lab1-type-error");
        let (output, results) = grade(
            &["lab1", "--submission", submission.to_str().unwrap()],
            out.path(),
        );
        assert_eq!(output.status.code(), Some(2));
        let message = results["build"]["message"].as_str().unwrap();
        assert!(message.contains("mismatched types"), "{message}");
        assert!(
            statuses(&results)
                .iter()
                .all(|(_, status)| status == "FAIL")
        );
    }

    #[test]
    fn interrupted_run_keeps_the_results_it_has() {
        let _serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let out = tempfile::tempdir().unwrap();
        let submission = fixture("lab1-misbehaving");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("xtask"))
            .current_dir(course_root())
            .args(["grade", "lab1", "-j", "1", "--submission"])
            .arg(&submission)
            .arg("--out")
            .arg(out.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait until at least one test has finished, then press Ctrl-C.
        let results_path = out.path().join("results.json");
        let give_up = Instant::now() + Duration::from_secs(600);
        loop {
            let finished = std::fs::read_to_string(&results_path)
                .ok()
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .map(|results| {
                    statuses(&results)
                        .iter()
                        .filter(|(_, status)| status != "NOT_RUN")
                        .count()
                })
                .unwrap_or(0);
            if finished >= 1 {
                break;
            }
            assert!(Instant::now() < give_up, "no test finished");
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: sending a signal to our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1));
        let results: Value =
            serde_json::from_str(&std::fs::read_to_string(&results_path).unwrap()).unwrap();
        assert_eq!(results["interrupted"], true);
        assert_eq!(results["complete"], false);
        let statuses = statuses(&results);
        assert!(
            statuses.iter().any(|(_, status)| status != "NOT_RUN"),
            "{statuses:?}"
        );
        assert!(
            statuses.iter().any(|(_, status)| status == "NOT_RUN"),
            "{statuses:?}"
        );
        let leftovers = processes_with("7777.25");
        assert!(
            leftovers.is_empty(),
            "a test's child outlived the interrupted run: {leftovers:?}"
        );
    }
}

/// `cargo xtask bench` and the timing experiments `grade` runs.
mod timing {
    use super::*;

    /// Runs `xtask bench ARGS --out OUT` while holding [`SERIAL`].
    fn bench(args: &[&str], out: &Path) -> Output {
        let _serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        xtask()
            .arg("bench")
            .args(args)
            .arg("--out")
            .arg(out)
            .timeout(Duration::from_secs(900))
            .output()
            .unwrap()
    }

    fn timing_json(out: &Path) -> Value {
        serde_json::from_str(&std::fs::read_to_string(out.join("timing.json")).unwrap()).unwrap()
    }

    #[test]
    fn bench_of_the_reference_reports_every_point_with_its_samples() {
        let out = tempfile::tempdir().unwrap();
        let output = bench(
            &["lab1", "--solution", "--quick", "--format", "json"],
            out.path(),
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
        let timing = timing_json(out.path());
        assert_eq!(printed, timing);
        assert_eq!(timing["schema_version"], 1);
        assert!(timing["environment"]["cpu_model"].is_string());
        let experiment = &timing["experiments"][0];
        assert_eq!(experiment["name"], "count_down_steps_per_second");
        assert_eq!(experiment["level"], "quick");
        assert_eq!(experiment["errors"], serde_json::json!([]));
        let points = experiment["points"].as_array().unwrap();
        let xs: Vec<f64> = points
            .iter()
            .map(|point| point["x"].as_f64().unwrap())
            .collect();
        assert_eq!(xs, [1.0, 2.0, 4.0, 8.0]);
        for point in points {
            let series = point["series"].as_array().unwrap();
            assert_eq!(series.len(), 1, "only the reference: {point}");
            assert_eq!(series[0]["subject"], "reference");
            assert_eq!(series[0]["role"], "graded");
            let samples = series[0]["samples"].as_array().unwrap();
            assert_eq!(samples.len(), 3, "one sample per measured round: {point}");
            let (min, median, max) = (
                series[0]["min"].as_f64().unwrap(),
                series[0]["median"].as_f64().unwrap(),
                series[0]["max"].as_f64().unwrap(),
            );
            assert!(0.0 < min && min <= median && median <= max, "{point}");
        }
    }

    #[test]
    fn bench_of_the_stubs_names_the_failure_and_still_measures_the_reference() {
        let out = tempfile::tempdir().unwrap();
        let output = bench(&["lab1", "--quick"], out.path());
        assert_eq!(output.status.code(), Some(1), "a failed experiment exits 1");
        let timing = timing_json(out.path());
        let experiment = &timing["experiments"][0];
        let errors = experiment["errors"].as_array().unwrap();
        assert_eq!(
            errors.len(),
            1,
            "the stub is run once, then skipped: {errors:?}"
        );
        assert!(
            errors[0].as_str().unwrap().contains("not yet implemented"),
            "{errors:?}"
        );
        for point in experiment["points"].as_array().unwrap() {
            assert_eq!(point["series"][0]["subject"], "reference", "{point}");
        }
        let mut filters = human_filters(out.path());
        // Measured numbers change from run to run.
        filters.push((r" *\d+(\.\d+)?( [kMG])?".to_owned(), " [N]".to_owned()));
        let filters: Vec<(&str, &str)> = filters
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        insta::with_settings!({ filters => filters }, {
            insta::assert_snapshot!("bench_stubs_human", stdout_of(&output));
        });
    }

    #[test]
    fn grade_runs_the_experiments_its_filter_selects_after_the_tests() {
        let out = tempfile::tempdir().unwrap();
        let (output, results) = grade(
            &[
                "lab1",
                "--solution",
                "--filter",
                "count_down",
                "--bench",
                "quick",
            ],
            out.path(),
        );
        assert_eq!(output.status.code(), Some(0), "{}", stdout_of(&output));
        assert!(
            stdout_of(&output).contains("timing (shown, not graded): Count down on threads"),
            "{}",
            stdout_of(&output)
        );
        let timing = timing_json(out.path());
        assert_eq!(
            timing["experiments"][0]["name"],
            "count_down_steps_per_second"
        );
        assert_eq!(
            timing["tests"].as_array().unwrap().len(),
            results["tests"].as_array().unwrap().len()
        );
        let report = std::fs::read_to_string(out.path().join("report.md")).unwrap();
        assert!(report.starts_with("# lab1 timing report"), "{report}");
        // The report's shape; the machine and every measured number vary.
        insta::with_settings!({ filters => vec![
            (r"Graded: .*", "Graded: [MACHINE]"),
            (r"\d+(\.\d+)?( [kMG])?", "[N]"),
        ] }, {
            insta::assert_snapshot!("grade_report_md", report);
        });
        assert!(
            report.contains("| 2 threads | reference (graded) |"),
            "one table row per point and subject: {report}"
        );
        assert!(
            report.contains("![Count down on threads](count_down_steps_per_second.svg)"),
            "{report}"
        );
        let chart =
            std::fs::read_to_string(out.path().join("count_down_steps_per_second.svg")).unwrap();
        assert!(
            chart.starts_with("<svg") && chart.contains("ideal on"),
            "{chart}"
        );

        let (_, _) = grade(
            &["lab1", "--solution", "--filter", "count_down_on"],
            out.path(),
        );
        assert_eq!(
            timing_json(out.path())["experiments"],
            serde_json::json!([]),
            "--bench off (the helper's default here) runs no experiment"
        );
    }

    #[test]
    fn bench_of_a_lab_without_experiments_says_how_to_add_them() {
        // A one-lab course without experiments: the command must refuse it
        // before building anything. (With a `grader/suites` folder: a
        // course without one is a students' repository, where `bench`
        // says the experiments run in the autograder.)
        let course = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(course.path().join("grader").join("suites")).unwrap();
        std::fs::write(
            course.path().join("course.toml"),
            "title = \"Tiny\"\n[[labs]]\nnumber = 9\nslug = \"tiny\"\ncrate = \"lab9-tiny\"\n\
             default_timeout_secs = 10\ntests = [{ name = \"works\", points = 1 }]\n",
        )
        .unwrap();
        let output = xtask()
            .arg("--course-root")
            .arg(course.path())
            .args(["bench", "lab9"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("declares no timing experiments"),
            "{stderr}"
        );
        assert!(stderr.contains("course.toml"), "{stderr}");
    }
}
