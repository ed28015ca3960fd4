//! `cargo xtask gradescope`: the autograder bundle, built by the real
//! binary.
//!
//! Modules:
//! - `contents`: what a bundle holds (the two scripts, executable, at its
//!   root; the lab's suite and reference and the crates they need) and what
//!   it must not (other labs, fixtures, `target/`, this tool's tests), for a
//!   plain lab, a lab with a facade and a lab whose reference includes
//!   files of the student crate; its file list as a snapshot;
//! - `autograder`: the bundle run as Gradescope runs it, in a fake
//!   `/autograder` tree: `setup.sh` (offline, with the machine's cargo, so
//!   no rustup), then `run_autograder` on submissions: a correct crate
//!   shaped like a student's (full marks), the misbehaving fixture (its
//!   known failures), a crate that does not compile, no crate at all, and a
//!   time limit that strikes during the build. Each leaves a `results.json`
//!   that follows Gradescope's schema.
//!
//! Building the unzipped course from nothing takes minutes, so the fake
//! tree lives in `target/gradescope-check/` and survives between runs: the
//! extraction rewrites only files whose contents changed, so cargo finds
//! everything else up to date.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

use grader::course::Course;
use grader::results::LabResults;
use serde_json::Value;

#[path = "support/course.rs"]
mod course;
use course::{course_root, xtask};

#[path = "support/one_crate.rs"]
mod one_crate;
use one_crate::{copy_tree, fixture_as_one_crate};
#[path = "support/gradescope_schema.rs"]
mod gradescope_schema;

/// Held by every test of this file: the autograder's grades include
/// timing-sensitive tests, which must not share the machine with another
/// test of this file.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Builds LAB's bundle at `out` with the real binary.
fn build_bundle(lab: &str, out: &Path) -> Output {
    let output = xtask()
        .args(["gradescope", "--lab", lab, "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Every entry of the zip: its name, its Unix mode and its contents.
fn zip_entries(zip_path: &Path) -> Vec<(String, u32, Vec<u8>)> {
    let file = std::fs::File::open(zip_path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).unwrap();
        entries.push((
            entry.name().to_owned(),
            entry.unix_mode().unwrap_or(0),
            contents,
        ));
    }
    entries
}

mod contents {
    use super::*;

    /// Checks what every bundle must and must not hold; returns its entries.
    fn check_bundle(lab_query: &str) -> Vec<(String, u32, Vec<u8>)> {
        let _serial = serial();
        let course = Course::load(&course_root()).unwrap();
        let lab = course.find_lab(lab_query).unwrap();
        let out = tempfile::tempdir().unwrap();
        let zip_path = out.path().join("autograder.zip");
        build_bundle(lab_query, &zip_path);
        let entries = zip_entries(&zip_path);
        let names: BTreeSet<&str> = entries.iter().map(|(name, _, _)| name.as_str()).collect();

        for script in ["setup.sh", "run_autograder"] {
            let (_, mode, contents) = entries
                .iter()
                .find(|(name, _, _)| name == script)
                .unwrap_or_else(|| panic!("{script} at the zip's root"));
            assert_eq!(mode & 0o777, 0o755, "{script} is executable");
            assert!(contents.starts_with(b"#!/usr/bin/env bash\n"));
        }
        for needed in [
            "Cargo.toml".to_owned(),
            "Cargo.lock".to_owned(),
            "course.toml".to_owned(),
            ".cargo/config.toml".to_owned(),
            "xtask/src/main.rs".to_owned(),
            "grader/src/lib.rs".to_owned(),
            format!("grader/suites/{}/src/main.rs", lab.crate_name),
            format!("grader/suites/{}/Cargo.toml", lab.crate_name),
            format!("solutions/{}/src/lib.rs", lab.crate_name),
            format!("solutions/{}/Cargo.toml", lab.crate_name),
        ] {
            assert!(names.contains(needed.as_str()), "the bundle lacks {needed}");
        }
        for name in &names {
            assert!(
                !name.starts_with('/') && !name.split('/').any(|part| part == ".."),
                "{name} would land outside /autograder/source"
            );
            assert!(
                !name.split('/').any(|part| part == "target"),
                "{name}: no build output"
            );
            assert!(!name.starts_with("grader/fixtures"), "{name}: no fixture");
            assert!(!name.starts_with("xtask/tests"), "{name}: no tool tests");
            for other in course
                .labs
                .iter()
                .filter(|other| other.number != lab.number)
            {
                assert!(
                    !name.contains(&other.crate_name),
                    "{name} belongs to {other}"
                );
            }
        }
        // Nothing of another lab inside a file either: no hidden test name.
        for other in course
            .labs
            .iter()
            .filter(|other| other.number != lab.number)
        {
            for test in &other.tests {
                for (name, _, contents) in &entries {
                    let text = String::from_utf8_lossy(contents);
                    assert!(
                        !text.contains(&test.name),
                        "{name} names {other}'s hidden test {}",
                        test.name
                    );
                }
            }
        }

        let text_of = |wanted: &str| {
            let (_, _, contents) = entries.iter().find(|(name, _, _)| name == wanted).unwrap();
            String::from_utf8(contents.clone()).unwrap()
        };
        let bundled_course = Course::parse(&text_of("course.toml")).unwrap();
        assert_eq!(bundled_course.labs.len(), 1);
        assert_eq!(bundled_course.labs[0].crate_name, lab.crate_name);
        assert_eq!(bundled_course.labs[0].tests.len(), lab.tests.len());
        let manifest: toml::Table = text_of("Cargo.toml").parse().unwrap();
        let members: BTreeSet<&str> = manifest["workspace"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|member| member.as_str().unwrap())
            .collect();
        for member in &members {
            assert!(
                names.contains(format!("{member}/Cargo.toml").as_str()),
                "member {member} is in the bundle"
            );
        }
        assert!(manifest["workspace"].get("default-members").is_none());
        let run_autograder = text_of("run_autograder");
        assert!(run_autograder.contains(&format!("LAB=\"{}\"", lab.id())));
        assert!(run_autograder.contains(&format!("LAB_CRATE=\"{}\"", lab.crate_name)));
        entries
    }

    fn names(entries: &[(String, u32, Vec<u8>)]) -> Vec<&str> {
        entries.iter().map(|(name, _, _)| name.as_str()).collect()
    }

    #[test]
    fn lab1_bundle_holds_the_scripts_and_what_grading_needs_only() {
        let entries = check_bundle("lab1");
        let names = names(&entries);
        assert!(names.contains(&"labs/labkit/src/lib.rs"));
        assert!(!names.iter().any(|name| name.starts_with("grader/explorer")));
        assert!(!names.iter().any(|name| name.starts_with("labs/labsync")));
        assert!(
            names.contains(&"labs/lab1-threads/Cargo.toml"),
            "the student crate's manifest lists what a submission may depend on"
        );
        assert!(!names.iter().any(|name| name.starts_with("grader/fixtures")));
        insta::assert_snapshot!("lab1_files", names.join("\n"));
    }

    #[test]
    fn a_lab_with_a_facade_brings_the_facade_and_the_explorer() {
        let entries = check_bundle("queues");
        let names = names(&entries);
        assert!(names.contains(&"labs/labsync/src/lib.rs"));
        assert!(names.contains(&"grader/explorer/src/lib.rs"));
    }

    #[test]
    fn files_a_reference_includes_from_the_student_crate_come_along() {
        let entries = check_bundle("lab5");
        let names = names(&entries);
        assert!(names.contains(&"labs/lab5-multiprocessing/src/worker.rs"));
        assert!(names.contains(&"labs/lab5-multiprocessing/src/ex1_spawn/provided.rs"));
        assert!(
            names.contains(&"labs/lab5-multiprocessing/src/lib.rs"),
            "the stubs, which setup.sh grades as a submission"
        );
    }

    #[test]
    fn the_same_course_gives_the_same_zip() {
        let _serial = serial();
        let out = tempfile::tempdir().unwrap();
        let first = out.path().join("first.zip");
        let second = out.path().join("second.zip");
        let stdout = String::from_utf8(build_bundle("lab1", &first).stdout).unwrap();
        assert!(
            stdout.contains("the Gradescope autograder of lab1"),
            "{stdout}"
        );
        build_bundle("1", &second);
        assert!(
            std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
            "bundles are reproducible"
        );
    }

    #[test]
    fn bad_arguments_are_usage_errors_that_say_what_to_do() {
        let _serial = serial();
        let out = tempfile::tempdir().unwrap();
        let zip_path = out.path().join("autograder.zip");
        let output = xtask()
            .args(["gradescope", "--lab", "lab9", "--out"])
            .arg(&zip_path)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("known labs"));
        let output = xtask()
            .args([
                "gradescope",
                "--lab",
                "lab1",
                "--rust-version",
                "1.2; rm -rf /",
            ])
            .arg("--out")
            .arg(&zip_path)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("not a Rust release"));
        assert!(!zip_path.exists());
    }
}

mod autograder {
    use super::*;

    /// The fake tree's home, kept between runs (see the file's docs).
    fn check_dir() -> PathBuf {
        course_root().join("target").join("gradescope-check")
    }

    /// Holds an exclusive lock on the check folder, so that two test runs on
    /// one machine do not share the fake tree.
    struct CheckDirLock(std::fs::File);

    impl CheckDirLock {
        fn acquire() -> CheckDirLock {
            use std::os::fd::AsRawFd as _;
            std::fs::create_dir_all(check_dir()).unwrap();
            let file = std::fs::File::create(check_dir().join("lock")).unwrap();
            // SAFETY: flock on a descriptor this struct owns.
            let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
            assert_eq!(locked, 0, "flock failed");
            CheckDirLock(file)
        }
    }

    impl Drop for CheckDirLock {
        fn drop(&mut self) {
            use std::os::fd::AsRawFd as _;
            // SAFETY: as above; closing the file would release it too.
            unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
        }
    }

    /// Unzips into `dest`, writing only files whose contents or mode
    /// changed (so their modification times, which cargo compares, stay
    /// put), and removing files the zip no longer has, except the folders
    /// the scripts make (`target`, `bin`, `graded`).
    fn sync_extract(zip_path: &Path, dest: &Path) {
        use std::os::unix::fs::PermissionsExt as _;
        let mut wanted = BTreeSet::new();
        for (name, mode, contents) in zip_entries(zip_path) {
            let path = dest.join(&name);
            wanted.insert(path.clone());
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            if std::fs::read(&path).ok().as_deref() != Some(contents.as_slice()) {
                std::fs::write(&path, &contents).unwrap();
            }
            let mode = mode & 0o777;
            if std::fs::metadata(&path).unwrap().permissions().mode() & 0o777 != mode {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            }
        }
        let mut to_visit = vec![dest.to_path_buf()];
        while let Some(dir) = to_visit.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                let made_by_scripts = dir == dest
                    && ["target", "bin", "graded"]
                        .iter()
                        .any(|kept| entry.file_name() == *kept);
                if made_by_scripts {
                    continue;
                }
                if entry.file_type().unwrap().is_dir() {
                    to_visit.push(path);
                } else if !wanted.contains(&path) {
                    std::fs::remove_file(&path).unwrap();
                }
            }
        }
    }

    /// Copies a fixture into the submission folder (at `relative_dir`), its
    /// dependency on the reference pointed at the bundle's copy: fixtures
    /// reach the reference by a path relative to the course folder.
    fn submit_fixture(fixture: &str, submission_dir: &Path, relative_dir: &str, root: &Path) {
        let source = course_root().join("grader").join("fixtures").join(fixture);
        let dest = submission_dir.join(relative_dir);
        copy_tree(&source, &dest);
        let manifest_path = dest.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path).unwrap();
        let solutions = root.join("source").join("solutions");
        std::fs::write(
            &manifest_path,
            manifest.replace("../../../solutions", &solutions.display().to_string()),
        )
        .unwrap();
    }

    /// Writes a lab 1 crate as a student would submit it: the student
    /// crate's own manifest (`edition.workspace = true`...) with the
    /// reference's sources in `src/`.
    fn submit_student_shaped_reference(dest: &Path) {
        std::fs::create_dir_all(dest).unwrap();
        std::fs::copy(
            course_root().join("labs/lab1-threads/Cargo.toml"),
            dest.join("Cargo.toml"),
        )
        .unwrap();
        copy_tree(
            &course_root().join("solutions/lab1-threads/src"),
            &dest.join("src"),
        );
        let manifest = std::fs::read_to_string(dest.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("edition.workspace = true"), "{manifest}");
    }

    /// The grader's own results.json of the last run, which the
    /// Gradescope document must agree with.
    fn grader_results(root: &Path) -> LabResults {
        let path = root.join("results").join("grader").join("results.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// Empties the submission and results folders for the next submission.
    fn fresh_submission(root: &Path) -> PathBuf {
        for folder in ["submission", "results"] {
            let _ = std::fs::remove_dir_all(root.join(folder));
        }
        let submission = root.join("submission");
        std::fs::create_dir_all(&submission).unwrap();
        submission
    }

    /// Runs a script of the bundle as Gradescope would, offline, with
    /// `extra_env`; returns its output.
    fn run_script(root: &Path, script: &str, extra_env: &[(&str, &str)]) -> Output {
        let mut command = std::process::Command::new(root.join("source").join(script));
        command
            .current_dir(root)
            .env("AUTOGRADER_ROOT", root)
            .env("CARGO_NET_OFFLINE", "true")
            .env("CARGO_TARGET_DIR", check_dir().join("xtask-target"))
            .env_remove("COURSE_ROOT");
        for (name, value) in extra_env {
            command.env(name, value);
        }
        let started = Instant::now();
        let output = command.output().unwrap();
        eprintln!(
            "{script}: {:.1} s, {}",
            started.elapsed().as_secs_f64(),
            output.status
        );
        output
    }

    fn results_json(root: &Path) -> String {
        std::fs::read_to_string(root.join("results").join("results.json"))
            .expect("run_autograder always writes results/results.json")
    }

    fn logs(output: &Output) -> String {
        format!(
            "stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    }

    /// The tests of lab 1 that the misbehaving fixture leaves untouched
    /// (it swaps in one misbehaving function per exercise); every other
    /// test must fail.
    const MISBEHAVING_PASSES: [&str; 7] = [
        "chunk_ranges_split_into_contiguous_pieces_of_nearly_equal_length",
        "map_in_chunks_keeps_input_order_when_later_chunks_finish_first",
        "map_in_chunks_gives_each_contiguous_chunk_its_own_thread",
        "map_in_chunks_runs_all_chunks_at_the_same_time",
        "countdown_runs_on_a_thread_named_after_its_label",
        "countdown_join_returns_the_final_state",
        "fetch_sequential_returns_exact_bodies_in_order_one_request_at_a_time",
    ];

    #[test]
    fn setup_then_run_autograder_grades_fixture_submissions_into_gradescope_results() {
        let _serial = serial();
        let _lock = CheckDirLock::acquire();
        let started = Instant::now();
        let root = check_dir().join("autograder");
        let zip_path = check_dir().join("lab1-autograder.zip");
        build_bundle("lab1", &zip_path);
        sync_extract(&zip_path, &root.join("source"));

        let setup = run_script(&root, "setup.sh", &[]);
        let setup_logs = logs(&setup);
        assert!(setup.status.success(), "{setup_logs}");
        assert!(
            setup_logs.contains("using the installed cargo"),
            "cargo is present, so no rustup: {setup_logs}"
        );
        assert!(setup_logs.contains("the reference solution scored full marks"));
        assert!(root.join("source").join("bin").join("xtask").is_file());

        // A correct crate shaped like a student's: the student crate's
        // manifest, which inherits from the course's workspace, and the
        // reference's sources, zipped as a folder (one level down).
        let submission = fresh_submission(&root);
        submit_student_shaped_reference(&submission.join("lab1-threads"));
        let submitted_manifest = std::fs::read(submission.join("lab1-threads/Cargo.toml")).unwrap();
        let run = run_script(&root, "run_autograder", &[]);
        assert!(run.status.success(), "{}", logs(&run));
        let document = gradescope_schema::check(&results_json(&root), &grader_results(&root));
        assert_eq!(document["score"], 50.0, "{}", logs(&run));
        assert!(
            document["tests"]
                .as_array()
                .unwrap()
                .iter()
                .all(|test| test["status"] == "passed")
        );
        assert_eq!(
            std::fs::read(submission.join("lab1-threads/Cargo.toml")).unwrap(),
            submitted_manifest,
            "the submission folder stays as uploaded"
        );

        // The misbehaving fixture at the top of the submission.
        let submission = fresh_submission(&root);
        fixture_as_one_crate(
            &course_root(),
            "lab1-misbehaving",
            "lab1-threads",
            &submission,
        );
        let run = run_script(
            &root,
            "run_autograder",
            &[("AUTOGRADER_TIMEOUT_SCALE", "0.25")],
        );
        assert!(run.status.success(), "{}", logs(&run));
        let document = gradescope_schema::check(&results_json(&root), &grader_results(&root));
        let mut passed = BTreeSet::new();
        for test in document["tests"].as_array().unwrap() {
            if test["status"] == "passed" {
                passed.insert(test["name"].as_str().unwrap());
            }
        }
        assert_eq!(passed, BTreeSet::from(MISBEHAVING_PASSES), "{}", logs(&run));
        assert_eq!(document["tests"].as_array().unwrap().len(), 30);
        assert_eq!(document["score"], 11.0);

        // A crate that does not compile, at the top of the submission.
        let submission = fresh_submission(&root);
        submit_fixture("lab1-type-error", &submission, ".", &root);
        let run = run_script(&root, "run_autograder", &[]);
        assert!(run.status.success(), "{}", logs(&run));
        let document = gradescope_schema::check_schema(&results_json(&root));
        assert_eq!(document["score"], 0.0);
        let output = document["output"].as_str().unwrap();
        assert!(output.contains("does not compile"), "{output}");
        assert!(output.contains("error"), "the compiler's message: {output}");
        assert_eq!(document["tests"].as_array().unwrap().len(), 30);

        // No crate at all, with a file name JSON must escape.
        let submission = fresh_submission(&root);
        std::fs::write(submission.join("notes \"v2\" \\ é.txt"), "my answers").unwrap();
        let run = run_script(&root, "run_autograder", &[]);
        assert!(run.status.success(), "{}", logs(&run));
        let document = gradescope_schema::check_schema(&results_json(&root));
        assert_eq!(document["score"], 0.0);
        let output = document["output"].as_str().unwrap();
        assert!(
            output.contains("No Cargo.toml in your submission"),
            "{output}"
        );
        assert!(output.contains("notes \"v2\" \\ .txt"), "{output}");

        // A time limit that strikes at once still leaves valid results.
        let submission = fresh_submission(&root);
        submit_student_shaped_reference(&submission.join("lab1-threads"));
        let run = run_script(
            &root,
            "run_autograder",
            &[("AUTOGRADER_TIME_LIMIT_SECS", "1")],
        );
        assert!(run.status.success(), "{}", logs(&run));
        let document: Value = gradescope_schema::check_schema(&results_json(&root));
        assert_eq!(document["score"], 0.0, "{}", logs(&run));
        let output = document["output"].as_str().unwrap();
        assert!(
            [
                "stopped without a compiler message",
                "interrupted",
                "incomplete",
                "time limit"
            ]
            .iter()
            .any(|reason| output.contains(reason)),
            "the student learns that grading was cut short: {output}"
        );
        assert!(!output.contains("does not compile"), "{output}");

        eprintln!(
            "bundle, setup and five submissions: {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
}
