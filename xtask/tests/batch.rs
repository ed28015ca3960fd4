//! End-to-end tests of `cargo xtask grade-batch`: the real binary grading a
//! folder of lab 1 submissions built in a temporary folder (copies of the
//! reference as a folder, a zip and a .tar.gz, the fixtures that do not
//! compile and that misbehave, a folder without a crate, an archive that
//! tries to write outside its folder, a stray file).
//!
//! Modules:
//! - `usage`: arguments the command refuses before grading anything;
//! - `grading`: one batch graded, graded again (everything skipped), after a
//!   change (only that submission regraded) and with `--force`; and a batch
//!   interrupted with SIGINT.
//!
//! Grading runs hold [`SERIAL`] so that the timing-sensitive tests of one
//! batch never share the machine with another batch started by this file.
//! Snapshots redact durations and paths.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;

#[path = "support/course.rs"]
mod course;
#[path = "support/one_crate.rs"]
mod one_crate;
use course::{course_root, xtask};
use one_crate::{copy_tree, fixture_as_one_crate};

static SERIAL: Mutex<()> = Mutex::new(());

/// What a student's crate outside the course's workspace says about itself.
const STANDALONE_MANIFEST: &str = "[package]\nname = \"lab1-threads\"\nversion = \"0.1.0\"\n\
                                   edition = \"2024\"\n\n[lib]\nname = \"lab1_threads\"\n";

/// Runs `xtask grade-batch --lab lab1 SUBMISSIONS -j 2 --out OUT ARGS`
/// while holding [`SERIAL`]. Timeouts are a quarter of the course's: the
/// misbehaving fixture's hangs then end in seconds, still far above what
/// the reference needs.
fn grade_batch(submissions: &Path, out: &Path, args: &[&str]) -> Output {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    xtask()
        .args([
            "grade-batch",
            "--lab",
            "lab1",
            "-j",
            "2",
            "--timeout-scale",
            "0.25",
        ])
        .arg(submissions)
        .arg("--out")
        .arg(out)
        .args(args)
        .timeout(Duration::from_secs(900))
        .output()
        .unwrap()
}

fn stdout_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The reference solution as a student's standalone crate.
fn write_reference_copy(dir: &Path) {
    copy_tree(
        &course_root().join("solutions/lab1-threads/src"),
        &dir.join("src"),
    );
    std::fs::write(dir.join("Cargo.toml"), STANDALONE_MANIFEST).unwrap();
}

/// Every file under `dir` (relative path, contents), following no link.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                pending.push(path);
            } else {
                let contents = std::fs::read(&path).unwrap_or_default();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), contents);
            }
        }
    }
    files
}

/// A zip of `crate_dir` with its files under `top/`, as zipping a folder
/// does.
fn write_zip(crate_dir: &Path, archive: &Path, top: &str) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(archive).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (relative, contents) in files_under(crate_dir) {
        zip.start_file(format!("{top}/{}", relative.display()), options)
            .unwrap();
        zip.write_all(&contents).unwrap();
    }
    zip.finish().unwrap();
}

/// A .tar.gz of `crate_dir`'s files at the archive's top.
fn write_tar_gz(crate_dir: &Path, archive: &Path) {
    let encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(archive).unwrap(),
        flate2::Compression::fast(),
    );
    let mut builder = tar::Builder::new(encoder);
    for (relative, contents) in files_under(crate_dir) {
        let mut header = tar::Header::new_gnu();
        header.set_size(contents.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, &relative, contents.as_slice())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap();
}

/// The submissions folder of the grading tests, one entry per student.
fn write_submissions(submissions: &Path, scratch: &Path) {
    std::fs::create_dir_all(submissions).unwrap();
    write_reference_copy(&submissions.join("alice"));
    let zipped = scratch.join("bob");
    write_reference_copy(&zipped);
    write_zip(&zipped, &submissions.join("bob.zip"), "lab1-threads");
    let tarred = scratch.join("carol");
    write_reference_copy(&tarred);
    write_tar_gz(&tarred, &submissions.join("carol.tar.gz"));
    copy_tree(
        &course_root().join("grader/fixtures/lab1-type-error"),
        &submissions.join("dave"),
    );
    // The misbehaving fixture, uploaded as one crate.
    fixture_as_one_crate(
        &course_root(),
        "lab1-misbehaving",
        "lab1-threads",
        &submissions.join("erin"),
    );
    // Sources but no Cargo.toml.
    copy_tree(
        &course_root().join("solutions/lab1-threads/src"),
        &submissions.join("frank").join("src"),
    );
    // An archive whose second entry would land next to the submissions.
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(submissions.join("mallory.zip")).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("Cargo.toml", options).unwrap();
    zip.write_all(STANDALONE_MANIFEST.as_bytes()).unwrap();
    zip.start_file("../evil", options).unwrap();
    zip.write_all(b"written outside the submission's folder")
        .unwrap();
    zip.finish().unwrap();
    std::fs::write(submissions.join("notes.txt"), "grading notes").unwrap();
    std::fs::write(submissions.join(".DS_Store"), "hidden").unwrap();
}

/// Filters that make the human output stable: each submission's times,
/// the output folder.
fn human_filters(out: &Path) -> Vec<(String, String)> {
    vec![
        (regex_escape(&out.display().to_string()), "[OUT]".to_owned()),
        (
            r" +\d+\.\ds  \(build [^)]*\)".to_owned(),
            " [TIMES]".to_owned(),
        ),
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

/// The gradebook's rows by student, each a map from column to value.
fn gradebook(out: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    let mut lines = text.split("\r\n").filter(|line| !line.is_empty());
    let header: Vec<String> = split_csv_line(lines.next().unwrap());
    lines
        .map(|line| {
            let row: BTreeMap<String, String> =
                header.iter().cloned().zip(split_csv_line(line)).collect();
            (row["student"].clone(), row)
        })
        .collect()
}

/// Splits one CSV line (quoted fields with doubled quotes, no line breaks
/// inside fields in these tests).
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(ch),
        }
    }
    fields.push(field);
    fields
}

/// Asserts two gradebooks hold the same rows, naming the students whose
/// rows differ and the columns where.
fn assert_same_rows(
    actual: &BTreeMap<String, BTreeMap<String, String>>,
    expected: &BTreeMap<String, BTreeMap<String, String>>,
) {
    let students: Vec<&String> = actual.keys().collect();
    assert_eq!(students, expected.keys().collect::<Vec<_>>());
    let mut differences = Vec::new();
    for (student, row) in actual {
        for (column, value) in row {
            let wanted = &expected[student][column];
            if value != wanted {
                differences.push(format!(
                    "{student}: {column} is {value:?}, expected {wanted:?}"
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

fn results_json(out: &Path, student: &str) -> Value {
    let text = std::fs::read_to_string(out.join(student).join("results.json"))
        .unwrap_or_else(|err| panic!("{student}/results.json: {err}"));
    serde_json::from_str(&text).unwrap()
}

/// The students that have a line on stdout (graded or refused by this run).
fn students_on_stdout(output: &Output) -> Vec<String> {
    stdout_of(output)
        .lines()
        .take_while(|line| !line.starts_with("lab1 threads:"))
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect()
}

mod usage {
    use super::*;

    #[test]
    fn help_states_the_exit_statuses_and_the_gradebook_columns() {
        xtask()
            .args(["grade-batch", "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "Exit status: 0 the batch ran (whatever the students scored)",
            ))
            .stdout(predicate::str::contains(
                "student, score, max, status, message",
            ));
    }

    #[test]
    fn a_missing_submissions_folder_is_a_usage_error() {
        xtask()
            .args(["grade-batch", "--lab", "lab1", "/nonexistent/submissions"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "SUBMISSIONS_DIR /nonexistent/submissions: no such folder",
            ));
    }

    #[test]
    fn an_output_folder_inside_the_submissions_or_holding_other_files_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let submissions = root.path().join("submissions");
        std::fs::create_dir_all(&submissions).unwrap();
        xtask()
            .args(["grade-batch", "--lab", "lab1"])
            .arg(&submissions)
            .arg("--out")
            .arg(submissions.join("results"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is inside SUBMISSIONS_DIR"));
        assert!(
            !submissions.join("results").exists(),
            "nothing is created in the submissions"
        );
        let busy = root.path().join("busy");
        std::fs::create_dir_all(&busy).unwrap();
        std::fs::write(busy.join("thesis.tex"), "precious").unwrap();
        xtask()
            .args(["grade-batch", "--lab", "lab1"])
            .arg(&submissions)
            .arg("--out")
            .arg(&busy)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("holds files and no gradebook.csv"));
        assert_eq!(
            std::fs::read_to_string(busy.join("thesis.tex")).unwrap(),
            "precious"
        );
    }

    #[test]
    fn an_unknown_lab_is_a_usage_error() {
        let root = tempfile::tempdir().unwrap();
        xtask()
            .args(["grade-batch", "--lab", "lab99"])
            .arg(root.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("lab99 not found"));
    }
}

mod grading {
    use super::*;

    #[test]
    fn a_batch_grades_every_submission_then_skips_what_did_not_change() {
        let root = tempfile::tempdir().unwrap();
        let submissions = root.path().join("submissions");
        let out = root.path().join("out");
        let scratch = tempfile::tempdir().unwrap();
        write_submissions(&submissions, scratch.path());
        let submitted = files_under(&submissions);

        // First run: every submission gets its row, none stops the batch.
        let started = Instant::now();
        let first = grade_batch(&submissions, &out, &[]);
        let first_secs = started.elapsed().as_secs_f64();
        assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
        let rows = gradebook(&out);
        for student in ["alice", "bob", "carol"] {
            assert_eq!(
                rows[student]["score"], "50",
                "{student}: {:?}",
                rows[student]
            );
            assert_eq!(rows[student]["status"], "graded");
            assert_eq!(results_json(&out, student)["totals"]["points"], 50);
        }
        assert_eq!(rows["dave"]["status"], "build_failed");
        assert_eq!(results_json(&out, "dave")["build"]["ok"], false);
        let erin = results_json(&out, "erin");
        let erin_points = erin["totals"]["points"].as_u64().unwrap();
        assert!(0 < erin_points && erin_points < 50, "{erin}");
        for student in ["frank", "mallory", "notes"] {
            assert_eq!(rows[student]["status"], "error", "{:?}", rows[student]);
            assert_eq!(rows[student]["score"], "");
        }
        assert!(rows["mallory"]["message"].contains("../evil"));
        assert!(!rows.contains_key(".DS_Store") && !rows.contains_key(""));
        // The archives were unpacked into their student's folder, and
        // nothing anywhere else: the submissions are untouched and the
        // refused entry was written nowhere.
        assert!(out.join("bob/submission/lab1-threads/Cargo.toml").is_file());
        assert!(out.join("carol/submission/Cargo.toml").is_file());
        assert_eq!(files_under(&submissions), submitted);
        let mut top_level: Vec<String> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        top_level.sort();
        assert_eq!(top_level, ["out", "submissions"]);
        let evil: Vec<PathBuf> = files_under(root.path())
            .into_keys()
            .filter(|path| path.ends_with("evil"))
            .collect();
        assert!(evil.is_empty(), "{evil:?}");
        insta::assert_snapshot!(
            "gradebook_csv",
            std::fs::read_to_string(out.join("gradebook.csv")).unwrap()
        );
        assert_human_snapshot!("first_run_human", stdout_of(&first), &out);

        // Second run: every graded submission is skipped, and says so.
        let started_at = |student: &str| results_json(&out, student)["started_at"].clone();
        let before: Vec<Value> = ["alice", "bob", "carol", "dave", "erin"]
            .iter()
            .map(|student| started_at(student))
            .collect();
        let started = Instant::now();
        let second = grade_batch(&submissions, &out, &[]);
        let second_secs = started.elapsed().as_secs_f64();
        eprintln!("first run: {first_secs:.1}s, second run: {second_secs:.1}s");
        assert_eq!(second.status.code(), Some(0), "{}", stderr_of(&second));
        assert!(
            stderr_of(&second).contains(
                "skipped 5 already graded, unchanged since (--force regrades them): \
                           alice, bob, carol, dave, erin"
            ),
            "{}",
            stderr_of(&second)
        );
        let mut looked_at = students_on_stdout(&second);
        looked_at.sort();
        assert_eq!(
            looked_at,
            ["frank", "mallory", "notes"],
            "only the ungradable ones are looked at again"
        );
        let after: Vec<Value> = ["alice", "bob", "carol", "dave", "erin"]
            .iter()
            .map(|student| started_at(student))
            .collect();
        assert_eq!(before, after, "no results were rewritten");
        assert_same_rows(&gradebook(&out), &rows);
        assert!(
            second_secs * 5.0 < first_secs,
            "a run that skips everything ({second_secs:.1}s) should be far quicker than \
             grading ({first_secs:.1}s)"
        );

        // A changed file regrades that submission alone (here with JUnit
        // files asked for). Alice resubmits with a bug: her countdown
        // thread loses its name.
        let countdown = submissions.join("alice/src/ex5_countdown.rs");
        let text = std::fs::read_to_string(&countdown).unwrap();
        assert!(text.contains(".name(self.thread_name())"));
        std::fs::write(
            &countdown,
            text.replace(".name(self.thread_name())", ".name(self.label.clone())"),
        )
        .unwrap();
        let started = Instant::now();
        let third = grade_batch(&submissions, &out, &["--format", "junit"]);
        eprintln!("third run: {:.1}s", started.elapsed().as_secs_f64());
        assert_eq!(third.status.code(), Some(0), "{}", stderr_of(&third));
        let mut looked_at = students_on_stdout(&third);
        looked_at.sort();
        assert_eq!(looked_at, ["alice", "frank", "mallory", "notes"]);
        assert!(
            stderr_of(&third).contains("skipped 4 already graded"),
            "{}",
            stderr_of(&third)
        );
        assert!(
            stderr_of(&third)
                .contains("regrading 1 whose files changed since they were graded: alice"),
            "{}",
            stderr_of(&third)
        );
        let alice_resubmitted = gradebook(&out)["alice"].clone();
        let alice_score: u32 = alice_resubmitted["score"].parse().unwrap();
        assert!(alice_score < 50, "{alice_resubmitted:?}");
        assert_eq!(
            alice_resubmitted["countdown_runs_on_a_thread_named_after_its_label"],
            "0"
        );
        // The format asked for is written for the regraded submission and,
        // from their stored results, for the skipped ones.
        for student in ["alice", "bob", "carol", "dave", "erin"] {
            let junit = std::fs::read_to_string(out.join(student).join("junit.xml"))
                .unwrap_or_else(|err| panic!("{student}/junit.xml: {err}"));
            assert!(junit.contains("<testsuite"), "{student}: {junit}");
        }

        // --force regrades every submission present, each with its own
        // code: Bob and Carol, graded after Alice's buggy crate was
        // compiled, keep full marks. (Erin's entry is removed first, as for
        // a student who withdrew: her row leaves the gradebook, and her
        // slow hangs leave this test's bill.)
        std::fs::remove_dir_all(submissions.join("erin")).unwrap();
        let started = Instant::now();
        let forced = grade_batch(&submissions, &out, &["--force"]);
        eprintln!("forced run: {:.1}s", started.elapsed().as_secs_f64());
        assert_eq!(forced.status.code(), Some(0), "{}", stderr_of(&forced));
        assert!(
            !stderr_of(&forced).contains("skipped"),
            "{}",
            stderr_of(&forced)
        );
        let mut regraded = students_on_stdout(&forced);
        regraded.sort();
        assert_eq!(
            regraded,
            ["alice", "bob", "carol", "dave", "frank", "mallory", "notes"]
        );
        assert!(
            stdout_of(&forced)
                .contains("7 submissions: 3 graded, 1 failed to build, 3 errors, 0 skipped"),
            "{}",
            stdout_of(&forced)
        );
        let mut expected = rows;
        expected.remove("erin");
        expected.insert("alice".to_owned(), alice_resubmitted);
        assert_same_rows(&gradebook(&out), &expected);
    }

    #[test]
    fn an_interrupted_batch_keeps_what_it_graded_and_says_so() {
        let _serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let root = tempfile::tempdir().unwrap();
        let submissions = root.path().join("submissions");
        let out = root.path().join("out");
        // Stub copies: each builds and fails every test quickly.
        for student in ["first", "second", "third"] {
            let dir = submissions.join(student);
            copy_tree(
                &course_root().join("labs/lab1-threads/src"),
                &dir.join("src"),
            );
            std::fs::write(dir.join("Cargo.toml"), STANDALONE_MANIFEST).unwrap();
        }
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("xtask"))
            .current_dir(course_root())
            .args(["grade-batch", "--lab", "lab1", "-j", "2"])
            .arg(&submissions)
            .arg("--out")
            .arg(&out)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Press Ctrl-C once the first submission's tests are running.
        let results_path = out.join("first").join("results.json");
        let give_up = Instant::now() + Duration::from_secs(600);
        while !results_path.is_file() {
            assert!(Instant::now() < give_up, "the first grade never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: sending a signal to our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
        assert!(
            stderr_of(&output)
                .contains("interrupted: stopped after the submission that was being graded"),
            "{}",
            stderr_of(&output)
        );
        let rows = gradebook(&out);
        assert_eq!(rows.len(), 3);
        assert!(
            ["incomplete", "graded"].contains(&rows["first"]["status"].as_str()),
            "{:?}",
            rows["first"]
        );
        for student in ["second", "third"] {
            assert_eq!(rows[student]["status"], "not_graded", "{:?}", rows[student]);
        }
        assert!(
            stdout_of(&output).contains("not graded"),
            "{}",
            stdout_of(&output)
        );
    }
}
