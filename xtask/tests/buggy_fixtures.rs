//! Every known-buggy fixture loses points, the same way on 20 runs.
//!
//! A fixture is a folder `grader/fixtures/labN-<bug>/` holding a plausible
//! student submission with one mistake, and an `expected.toml` that names
//! the mistake and the hidden tests that must catch it:
//!
//! ```toml
//! bug = "load-then-store counter: one increment is lost"
//! caught_by = ["counter_with_fetch_add_never_loses_an_update"]
//! ```
//!
//! Each fixture's `caught_by` tests are graded 20 times each (`--repeat
//! 20`); none of those runs may pass, so the fixture loses those tests'
//! points every time. The table printed at
//! the end (`cargo test -p xtask --test buggy_fixtures -- --nocapture`) says
//! which test caught which bug and how.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde::Deserialize;
use serde_json::Value;

/// How many runs in all must agree.
const RUNS: u32 = 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    bug: String,
    caught_by: Vec<String>,
}

fn course_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `(fixture folder, lab id, expectations)` for every fixture that has an
/// `expected.toml`, sorted by folder name.
fn fixtures() -> Vec<(PathBuf, String, Expected)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(course_root().join("grader").join("fixtures"))
        .unwrap()
        .flatten()
    {
        let expected_path = entry.path().join("expected.toml");
        let Ok(text) = std::fs::read_to_string(&expected_path) else {
            continue;
        };
        let expected: Expected = toml::from_str(&text).unwrap_or_else(|err| {
            panic!(
                "{} is not a valid expectation: {err}",
                expected_path.display()
            )
        });
        let folder_name = entry.file_name().to_string_lossy().into_owned();
        let lab_id = folder_name.split('-').next().unwrap().to_owned();
        assert!(
            lab_id.starts_with("lab") && lab_id[3..].parse::<u32>().is_ok(),
            "fixture folder {folder_name} should start with its lab id (lab2-...)"
        );
        assert!(
            !expected.caught_by.is_empty(),
            "{}: caught_by is empty",
            expected_path.display()
        );
        found.push((entry.path(), lab_id, expected));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn grade_json(lab_id: &str, submission: &Path, extra_args: &[String]) -> Value {
    let out = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("xtask")
        .unwrap()
        .current_dir(course_root())
        .env_remove("COURSE_ROOT")
        .args([
            "grade",
            lab_id,
            "--format",
            "json",
            "-j",
            "2",
            "--submission",
        ])
        .arg(submission)
        .arg("--out")
        .arg(out.path())
        .args(extra_args)
        .timeout(Duration::from_secs(900))
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "grading {} printed no JSON ({err}); stderr:\n{}",
            submission.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn test_result<'a>(results: &'a Value, name: &str) -> Option<&'a Value> {
    results["tests"]
        .as_array()?
        .iter()
        .find(|test| test["name"] == name)
}

/// Labs graded by schedule exploration (those with a facade) keep at least
/// this many known-buggy fixtures.
const MIN_FIXTURES_PER_EXPLORED_LAB: usize = 6;

#[test]
fn every_explored_lab_has_enough_buggy_fixtures() {
    let course = grader::course::Course::load(&course_root()).unwrap();
    let fixtures = fixtures();
    for lab in course.labs.iter().filter(|lab| lab.facade.is_some()) {
        let count = fixtures
            .iter()
            .filter(|(_, lab_id, _)| *lab_id == lab.id())
            .count();
        assert!(
            count >= MIN_FIXTURES_PER_EXPLORED_LAB,
            "{lab} has {count} buggy fixtures with expected.toml; it needs {MIN_FIXTURES_PER_EXPLORED_LAB}"
        );
    }
}

/// How many fixtures are graded at once. Builds still take turns (they
/// share the grader's target folder), but the test runs of the others
/// overlap each build; with two at a time the two cores were still idle a
/// quarter of the time (21 min of CPU in 14.5 min of CI).
const FIXTURES_AT_ONCE: usize = 3;

/// Whether one of the fixture's catching tests is a speed test.
fn is_caught_by_a_speed_test(
    course: &grader::course::Course,
    lab_id: &str,
    expected: &Expected,
) -> bool {
    course.find_lab(lab_id).ok().is_some_and(|lab| {
        lab.tests
            .iter()
            .any(|test| test.speed.is_some() && expected.caught_by.contains(&test.name))
    })
}

/// Grades every fixture's catching tests, `RUNS` times each, and returns
/// the results and each grade's wall time, in the fixtures' order.
///
/// A fixture caught by a speed test is graded last and alone: a speed test
/// compares medians measured on an otherwise idle machine (the course marks
/// it `alone`), and other grades running beside it once let a lock-bound
/// submission reach a tenth of the reference's speed.
fn grade_all_fixtures(
    course: &grader::course::Course,
    fixtures: &[(PathBuf, String, Expected)],
) -> Vec<(Value, Duration)> {
    let (timed, untimed): (Vec<usize>, Vec<usize>) = (0..fixtures.len())
        .partition(|&idx| is_caught_by_a_speed_test(course, &fixtures[idx].1, &fixtures[idx].2));
    let results = std::sync::Mutex::new(vec![(Value::Null, Duration::ZERO); fixtures.len()]);
    let grade_one = |fixture_idx: usize| {
        let (dir, lab_id, expected) = &fixtures[fixture_idx];
        // Only the catching tests, each RUNS times: the grader then builds
        // only the suite variants that hold them.
        let mut args = vec!["--repeat".to_owned(), RUNS.to_string()];
        for name in &expected.caught_by {
            args.extend(["--filter".to_owned(), name.clone()]);
        }
        let started = std::time::Instant::now();
        let graded = grade_json(lab_id, dir, &args);
        results.lock().unwrap()[fixture_idx] = (graded, started.elapsed());
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..FIXTURES_AT_ONCE {
            scope.spawn(|| {
                while let Some(&fixture_idx) =
                    untimed.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    grade_one(fixture_idx);
                }
            });
        }
    });
    for fixture_idx in timed {
        grade_one(fixture_idx);
    }
    results.into_inner().unwrap()
}

#[test]
fn every_buggy_fixture_loses_points_on_every_run() {
    let course = grader::course::Course::load(&course_root()).unwrap();
    let fixtures = fixtures();
    let mut problems = Vec::new();
    let mut replay_commands: Vec<(String, String)> = Vec::new();
    let mut table = vec![format!(
        "{:<48} {:>6} {:>6} {:<60} {:<8} how",
        "fixture", "secs", "build", "caught by", "verdict"
    )];
    let all_results = grade_all_fixtures(&course, &fixtures);
    for ((dir, lab_id, expected), (results, wall_time)) in fixtures.iter().zip(all_results) {
        let fixture_name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let times = format!(
            "{:>6.1} {:>6.1}",
            wall_time.as_secs_f64(),
            results["build"]["duration_secs"].as_f64().unwrap_or(0.0)
        );
        if results["build"]["ok"] != true {
            problems.push(format!(
                "{fixture_name}: does not compile: {}",
                results["build"]["message"]
            ));
            continue;
        }
        for name in &expected.caught_by {
            let Some(test) = test_result(&results, name) else {
                problems.push(format!(
                    "{fixture_name}: caught_by names `{name}`, which {lab_id} does not have"
                ));
                continue;
            };
            // A speed test is decided once per grade, from the medians of
            // its experiment's rounds; `--repeat` does not repeat it.
            let is_speed_test = course
                .find_lab(lab_id)
                .ok()
                .and_then(|lab| lab.tests.iter().find(|test| test.name == *name))
                .is_some_and(|test| test.speed.is_some());
            let expected_runs = if is_speed_test { 1 } else { RUNS };
            if test["passed_runs"] != 0 || test["runs"] != expected_runs {
                problems.push(format!(
                    "{fixture_name} ({}): `{name}` passed {} of {} runs; it must fail all {expected_runs}",
                    expected.bug, test["passed_runs"], test["runs"]
                ));
                continue;
            }
            let message = test["message"].as_str().unwrap_or("");
            if let Some(command) = message.lines().find_map(|line| {
                line.split_once("replay this schedule with the test's output: ")
                    .map(|(_, command)| command.to_owned())
            }) {
                replay_commands.push((lab_id.clone(), command));
            }
            let how = message
                .lines()
                .find(|line| line.starts_with("found by"))
                .map(|line| line.split(';').next().unwrap_or(line))
                .unwrap_or_else(|| message.lines().next().unwrap_or(""));
            table.push(format!(
                "{fixture_name:<48} {times} {name:<60} {:<8} {how}",
                test["status"].as_str().unwrap_or("?")
            ));
        }
    }
    // One failing schedule, replayed through the CLI, fails again.
    if let Some((lab_id, command)) = replay_commands.first() {
        // The command as printed, minus `cargo xtask` (fixture paths have
        // no spaces).
        let args: Vec<&str> = command.split_whitespace().skip(2).collect();
        let output = Command::cargo_bin("xtask")
            .unwrap()
            .current_dir(course_root())
            .args(&args)
            .timeout(Duration::from_secs(600))
            .output()
            .unwrap();
        if output.status.code() != Some(1) {
            problems.push(format!(
                "replaying a failing schedule of {lab_id} should fail again (exit 1), got {:?}: {}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    println!("\n{}\n", table.join("\n"));
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
