//! `cargo xtask verify` proves the course sound, run by the project's own
//! tests: the stubs are clippy-clean and score 0, every reference scores
//! full marks run after run, the public tests pass on the references,
//! `course.toml` and the suites agree, there is no stray file, and every
//! known-buggy fixture under `grader/fixtures/` loses points.
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
//! Here each fixture's `caught_by` tests run [`FIXTURE_RUNS`] times, and
//! none may pass. The table `verify` prints (`cargo test -p xtask --test
//! verify -- --nocapture`) says which test caught which bug and how; the
//! judgments themselves are unit-tested in `xtask/src/verify.rs`, where a
//! flaky reference, a stub that passes and a fixture that escapes are each
//! shown to be problems.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// Grades of each reference in a row: every test must pass each time.
const REFERENCE_RUNS: u32 = 2;
/// Runs of each fixture's catching tests: none may pass.
const FIXTURE_RUNS: u32 = 10;

fn course_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Labs graded by schedule exploration (those with a facade) keep at least
/// this many known-buggy fixtures.
const MIN_FIXTURES_PER_EXPLORED_LAB: usize = 6;

#[test]
fn every_explored_lab_has_enough_buggy_fixtures() {
    let course = grader::course::Course::load(&course_root()).unwrap();
    let fixtures: Vec<String> = std::fs::read_dir(course_root().join("grader").join("fixtures"))
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().join("expected.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    for lab in course.labs.iter().filter(|lab| lab.facade.is_some()) {
        let prefix = format!("{}-", lab.id());
        let count = fixtures
            .iter()
            .filter(|name| name.starts_with(&prefix))
            .count();
        assert!(
            count >= MIN_FIXTURES_PER_EXPLORED_LAB,
            "{lab} has {count} buggy fixtures with expected.toml; it needs {MIN_FIXTURES_PER_EXPLORED_LAB}"
        );
    }
}

#[test]
fn verify_proves_the_course_sound() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("xtask")
        .unwrap()
        .current_dir(course_root())
        .env_remove("COURSE_ROOT")
        .args(["verify", "--runs", &REFERENCE_RUNS.to_string()])
        .args(["--fixture-runs", &FIXTURE_RUNS.to_string()])
        .arg("--out")
        .arg(out.path())
        .timeout(Duration::from_secs(60 * 60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert_eq!(
        output.status.code(),
        Some(0),
        "verify found problems:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("verify.json")).unwrap())
            .unwrap();
    assert_eq!(report["sound"], true);
    let course = grader::course::Course::load(&course_root()).unwrap();
    let labs = report["labs"].as_array().unwrap();
    assert_eq!(labs.len(), course.labs.len(), "every lab is verified");
    for (lab, verified) in course.labs.iter().zip(labs) {
        assert_eq!(verified["id"], lab.id());
        let checks = verified["checks"].as_array().unwrap();
        let names: Vec<&str> = checks
            .iter()
            .map(|check| check["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "files",
                "stubs clippy",
                "public tests",
                "stubs",
                "reference",
                "course/suite",
                "fixtures"
            ],
            "{lab}"
        );
        let reference = checks
            .iter()
            .find(|check| check["name"] == "reference")
            .unwrap();
        assert_eq!(
            reference["summary"],
            format!(
                "{0}/{0} in {REFERENCE_RUNS}/{REFERENCE_RUNS} runs",
                lab.max_points()
            ),
            "{lab}"
        );
    }
    assert!(stdout.contains("verify: the course is sound"), "{stdout}");
}
