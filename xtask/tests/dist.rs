//! End-to-end tests of `cargo xtask dist` and `publish`, through the real
//! binary: the repository students receive.
//!
//! Modules:
//! - `contents`: what ships and what never does. No path of the private
//!   folders (solutions, hidden suites, fixtures), no hidden test or
//!   experiment name, and no distinctive line of a private file appears
//!   in the export; the list of shipped files and the students'
//!   `course.toml` are snapshots, so a change to what ships is reviewed.
//!   Also: a non-empty or overlapping `--out` is refused, `--force`
//!   keeps `.git`, `--with-solutions` releases solutions.
//! - `public_tests_in_the_course`: `grade --public` in this repository,
//!   with lab 5, whose public tests start the worker program built from
//!   the graded crate.
//! - `students_repository`: the export as a student and CI use it. It
//!   builds offline and its own tests pass, `cargo xtask grade lab1`
//!   grades the public tests and names the autograder, the workflow's
//!   grading step writes JUnit and the job summary, instructor commands
//!   refuse to run there, and after `publish` the released reference
//!   passes every public test.
//!
//! Builds inside an export use `target/export-check/` of this workspace
//! as their target folder (the grader's public-test builds follow
//! `CARGO_TARGET_DIR` too), so registry crates compile once across runs;
//! the export's own crates recompile each run, since the export's path
//! changes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "support/course.rs"]
mod course;
use course::{course_root, xtask};

/// Held by the tests that build and run tests, so that lab 5's public
/// tests (processes, timing) never share the two cores with a build of the
/// export started by this file.
static HEAVY: Mutex<()> = Mutex::new(());

fn hold_heavy() -> std::sync::MutexGuard<'static, ()> {
    HEAVY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `cargo xtask dist --out OUT ARGS` in this course.
fn dist(out: &Path, args: &[&str]) -> Output {
    xtask()
        .arg("dist")
        .arg("--out")
        .arg(out)
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

/// A fresh export in a temporary folder, checked to have succeeded.
fn fresh_export() -> (tempfile::TempDir, PathBuf) {
    let temporary = tempfile::Builder::new()
        .prefix("students-")
        .tempdir()
        .unwrap();
    let export = temporary.path().join("students");
    let output = dist(&export, &[]);
    assert!(
        output.status.success(),
        "dist failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (temporary, export)
}

/// Every file under `dir`, as sorted paths relative to it (with `/`),
/// skipping build output.
fn files_under(dir: &Path) -> Vec<String> {
    fn visit(root: &Path, dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if entry.file_name() == "target" {
                continue;
            }
            if path.is_dir() {
                visit(root, &path, found);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut found = Vec::new();
    visit(dir, dir, &mut found);
    found.sort();
    found
}

fn stdout_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

mod contents {
    use super::*;

    /// The course's folders that must never reach students.
    const PRIVATE_FOLDERS: &[&str] = &[
        "solutions",
        "grader/suites",
        "grader/fixtures",
        "grader/explorer",
        "xtask/tests",
    ];
    /// The course's folders that ship as they are. A line found there is
    /// public already, so its presence in the export is no leak: generic
    /// code (`let first = Arc::new(Mutex::new(()));`) occurs in private and
    /// public files alike, and the stubs hold code the reference includes.
    /// The line check thus proves that `dist` copies and writes nothing
    /// private; a secret typed into a shipped source file is caught by the
    /// name check, which trusts fewer folders.
    const SHIPPED_FOLDERS: &[&str] = &[
        "labs",
        "grader/src",
        "grader/tests",
        "grader/examples",
        "xtask/src",
        "xtask/templates",
        "tools/python",
    ];
    /// The folders where a hidden test's or experiment's name may appear:
    /// a public test may share its name with the hidden test that checks
    /// the same thing, the grader's docs name example experiments, and the
    /// Python baselines name the experiments they are compared with.
    const NAME_SHARING_FOLDERS: &[&str] = &["labs", "grader/src", "tools/python"];
    /// Shorter lines (`}`, `use std::sync::Arc;`) say nothing of an answer.
    const DISTINCTIVE_LINE_CHARS: usize = 25;

    fn text_files_under(dir: &Path) -> Vec<(String, String)> {
        files_under(dir)
            .into_iter()
            .filter_map(|relative| {
                let text = std::fs::read_to_string(dir.join(&relative)).ok()?;
                Some((relative, text))
            })
            .collect()
    }

    fn trimmed_lines(text: &str) -> impl Iterator<Item = &str> {
        text.lines().map(str::trim).filter(|line| !line.is_empty())
    }

    /// Lines of the private folders of 25 characters or more that no
    /// shipped file of the course also holds.
    fn distinctive_private_lines() -> HashSet<String> {
        let root = course_root();
        let mut shared = HashSet::new();
        for folder in SHIPPED_FOLDERS {
            for (_, text) in text_files_under(&root.join(folder)) {
                shared.extend(trimmed_lines(&text).map(str::to_owned));
            }
        }
        let mut private = HashSet::new();
        for folder in ["solutions", "grader/suites", "grader/fixtures"] {
            for (_, text) in text_files_under(&root.join(folder)) {
                private.extend(
                    trimmed_lines(&text)
                        .filter(|line| line.chars().count() >= DISTINCTIVE_LINE_CHARS)
                        .filter(|line| !shared.contains(*line))
                        .map(str::to_owned),
                );
            }
        }
        private
    }

    /// Hidden test and experiment names of the course, except those that
    /// a file of [`NAME_SHARING_FOLDERS`] already holds.
    fn private_names() -> Vec<String> {
        let root = course_root();
        let course = grader::course::Course::load(&root).unwrap();
        let shared_texts: Vec<String> = NAME_SHARING_FOLDERS
            .iter()
            .flat_map(|folder| text_files_under(&root.join(folder)))
            .map(|(_, text)| text)
            .collect();
        course
            .labs
            .iter()
            .flat_map(|lab| {
                lab.tests.iter().map(|test| test.name.clone()).chain(
                    lab.experiments
                        .iter()
                        .map(|experiment| experiment.name.clone()),
                )
            })
            .filter(|name| !shared_texts.iter().any(|text| text.contains(name.as_str())))
            .collect()
    }

    #[test]
    fn no_private_file_name_or_line_reaches_the_export() {
        let (_temporary, export) = fresh_export();
        let exported = files_under(&export);
        for path in &exported {
            for private in PRIVATE_FOLDERS {
                assert!(
                    !path.starts_with(&format!("{private}/")),
                    "{path} ships, but {private}/ is private"
                );
            }
        }
        for private in PRIVATE_FOLDERS {
            assert!(!export.join(private).exists(), "{private} exists");
        }

        let names = private_names();
        assert!(
            names.len() > 100,
            "too few hidden names to check ({}): is course.toml read?",
            names.len()
        );
        let lines = distinctive_private_lines();
        assert!(
            lines.len() > 1000,
            "too few private lines to check ({})",
            lines.len()
        );
        let mut leaks = Vec::new();
        for (path, text) in text_files_under(&export) {
            for name in &names {
                if text.contains(name.as_str()) {
                    leaks.push(format!("{path}: hidden name `{name}`"));
                }
            }
            for line in trimmed_lines(&text) {
                if lines.contains(line) {
                    leaks.push(format!("{path}: private line `{line}`"));
                }
            }
        }
        assert!(
            leaks.is_empty(),
            "the export leaks {} private items:\n{}",
            leaks.len(),
            leaks.join("\n")
        );
    }

    #[test]
    fn the_shipped_files_and_the_students_course_description_are_reviewed() {
        let (_temporary, export) = fresh_export();
        insta::assert_snapshot!("export_files", files_under(&export).join("\n"));
        let course_description = std::fs::read_to_string(export.join("course.toml")).unwrap();
        insta::assert_snapshot!("export_course_toml", course_description);

        let students = grader::course::Course::load(&export).unwrap();
        let course = grader::course::Course::load(&course_root()).unwrap();
        assert_eq!(students.labs.len(), course.labs.len());
        for (student_lab, lab) in students.labs.iter().zip(&course.labs) {
            assert_eq!(student_lab.crate_name, lab.crate_name);
            assert!(student_lab.tests.is_empty() && student_lab.experiments.is_empty());
            assert_eq!(student_lab.max_points(), lab.max_points(), "{lab}");
            assert_eq!(student_lab.worker_main, lab.worker_main, "{lab}");
        }
        let manifest = std::fs::read_to_string(export.join("Cargo.toml")).unwrap();
        let manifest: toml::Table = manifest.parse().unwrap();
        let workspace = &manifest["workspace"];
        let strings = |key: &str| -> Vec<String> {
            workspace[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|member| member.as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(strings("members"), ["xtask", "grader", "labs/*"]);
        assert_eq!(
            strings("default-members"),
            ["xtask", "grader", "labs/labkit", "labs/labsync"]
        );
        assert!(workspace.get("exclude").is_none());
    }

    #[test]
    fn a_non_empty_or_overlapping_folder_is_refused_and_force_keeps_git() {
        let temporary = tempfile::tempdir().unwrap();
        let export = temporary.path().join("students");
        std::fs::create_dir_all(export.join(".git")).unwrap();
        std::fs::write(export.join(".git").join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(export.join("notes.txt"), "mine").unwrap();

        let refused = dist(&export, &[]);
        assert_eq!(refused.status.code(), Some(2));
        assert!(
            stderr_of(&refused).contains("pass --force"),
            "{}",
            stderr_of(&refused)
        );
        assert!(
            export.join("notes.txt").exists(),
            "a refused dist removed a file"
        );

        let forced = dist(&export, &["--force"]);
        assert!(forced.status.success(), "{}", stderr_of(&forced));
        assert!(
            !export.join("notes.txt").exists(),
            "--force kept an old file"
        );
        assert!(
            export.join(".git").join("HEAD").exists(),
            "--force removed .git"
        );
        assert!(export.join("course.toml").exists());

        for overlapping in [
            course_root(),
            course_root().join("labs"),
            course_root().parent().unwrap().to_path_buf(),
        ] {
            // Without --force: were the check broken, the folder would
            // still be refused as not empty, never emptied.
            let refused = dist(&overlapping, &[]);
            assert_eq!(refused.status.code(), Some(2), "{}", overlapping.display());
            assert!(
                stderr_of(&refused).contains("overlaps"),
                "{}",
                stderr_of(&refused)
            );
        }
        assert!(course_root().join("labs").join("labkit").exists());
    }

    #[test]
    fn with_solutions_releases_the_named_labs_into_the_workspace() {
        let temporary = tempfile::tempdir().unwrap();
        let export = temporary.path().join("students");
        let output = dist(&export, &["--with-solutions", "2,lab1"]);
        assert!(output.status.success(), "{}", stderr_of(&output));
        assert!(
            stdout_of(&output).contains("reference solutions released: lab1, lab2"),
            "{}",
            stdout_of(&output)
        );
        let mut solutions = files_under(&export.join("solutions"));
        solutions.retain(|path| path.ends_with("Cargo.toml"));
        assert_eq!(
            solutions,
            ["lab1-threads/Cargo.toml", "lab2-locks/Cargo.toml"]
        );
        let manifest = std::fs::read_to_string(export.join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(r#""labs/*", "solutions/lab1-threads", "solutions/lab2-locks"]"#),
            "{manifest}"
        );

        let unknown = dist(
            &temporary.path().join("other"),
            &["--with-solutions", "lab9"],
        );
        assert_eq!(unknown.status.code(), Some(2));
        assert!(
            stderr_of(&unknown).contains("lab9 not found"),
            "{}",
            stderr_of(&unknown)
        );
    }
}

mod public_tests_in_the_course {
    use super::*;

    fn grade_public(args: &[&str], out: &Path) -> (Output, Value) {
        let output = xtask()
            .args(["grade", "lab5", "--public", "-j", "2", "--out"])
            .arg(out)
            .args(args)
            .timeout(Duration::from_secs(600))
            .output()
            .unwrap();
        let results = std::fs::read_to_string(out.join("results.json")).unwrap();
        (output, serde_json::from_str(&results).unwrap())
    }

    /// Lab 5's public tests start the lab's worker program, which the
    /// grader builds from the graded crate: the reference's passes them
    /// all, the stubs' fails them.
    #[test]
    fn public_flag_grades_the_public_tests_of_the_reference_and_the_stubs() {
        let _heavy = hold_heavy();
        let temporary = tempfile::tempdir().unwrap();
        let (reference, results) = grade_public(&["--solution"], &temporary.path().join("ref"));
        assert_eq!(
            reference.status.code(),
            Some(0),
            "{}",
            stdout_of(&reference)
        );
        assert_eq!(results["graded_tests"], "public");
        assert_eq!(results["warnings"], serde_json::json!([]));
        let total = results["totals"]["tests"].as_u64().unwrap();
        assert!(total >= 10, "{total} public tests");
        assert_eq!(results["totals"]["points"].as_u64(), Some(total));

        let (stubs, results) = grade_public(&[], &temporary.path().join("stubs"));
        assert_eq!(stubs.status.code(), Some(1), "{}", stdout_of(&stubs));
        assert_eq!(results["totals"]["tests"].as_u64(), Some(total));
        assert!(results["totals"]["failed"].as_u64().unwrap() > total / 2);
    }
}

mod students_repository {
    use super::*;

    /// `cargo ARGS` run in the export, offline, building in
    /// `target/export-check/` of this workspace.
    fn cargo_in(export: &Path, args: &[&str]) -> Output {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        std::process::Command::new(cargo)
            .args(args)
            .current_dir(export)
            .env_remove("COURSE_ROOT")
            .env("CARGO_TARGET_DIR", export_check_target())
            .env("CARGO_NET_OFFLINE", "true")
            .output()
            .unwrap()
    }

    fn export_check_target() -> PathBuf {
        course_root().join("target").join("export-check")
    }

    fn timed<T>(what: &str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        eprintln!("{what}: {:.1} s", started.elapsed().as_secs_f64());
        result
    }

    fn results_of(dir: &Path) -> Value {
        let text = std::fs::read_to_string(dir.join("results.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// One step of the workflow: its lines, without the `- ` of the list.
    struct WorkflowStep {
        name: String,
        lines: Vec<String>,
    }

    impl WorkflowStep {
        fn value(&self, key: &str) -> Option<String> {
            self.lines.iter().find_map(|line| {
                line.trim()
                    .strip_prefix(&format!("{key}:"))
                    .map(|value| value.trim().to_owned())
            })
        }

        /// The block of a `run: |` key, unindented.
        fn run_block(&self) -> String {
            let start = self
                .lines
                .iter()
                .position(|line| line.trim() == "run: |")
                .unwrap_or_else(|| panic!("step `{}` has no `run: |` block", self.name));
            let key_indent = indentation(&self.lines[start]);
            let block: Vec<&String> = self.lines[start + 1..]
                .iter()
                .take_while(|line| line.trim().is_empty() || indentation(line) > key_indent)
                .collect();
            let block_indent = block
                .iter()
                .filter(|line| !line.trim().is_empty())
                .map(|line| indentation(line))
                .min()
                .unwrap();
            block
                .iter()
                .map(|line| line.get(block_indent..).unwrap_or("").to_owned() + "\n")
                .collect()
        }
    }

    fn indentation(line: &str) -> usize {
        line.len() - line.trim_start().len()
    }

    /// The workflow's steps, read with plain text rules that hold for the
    /// simple YAML it is written in: each step starts with `- name:` at
    /// one indentation, and its keys are indented deeper.
    fn workflow_steps(workflow: &str) -> Vec<WorkflowStep> {
        let lines: Vec<&str> = workflow.lines().collect();
        let steps_line = lines
            .iter()
            .position(|line| line.trim() == "steps:")
            .expect("the workflow has steps");
        let mut steps: Vec<WorkflowStep> = Vec::new();
        let mut item_indent = None;
        for line in &lines[steps_line + 1..] {
            if line.trim().is_empty() {
                continue;
            }
            if let Some(name) = line.trim().strip_prefix("- name:") {
                let indent = *item_indent.get_or_insert(indentation(line));
                assert_eq!(indentation(line), indent, "a step out of line: {line}");
                steps.push(WorkflowStep {
                    name: name.trim().to_owned(),
                    lines: Vec::new(),
                });
            } else if item_indent.is_some_and(|indent| indentation(line) > indent) {
                steps
                    .last_mut()
                    .expect("a key follows a step")
                    .lines
                    .push((*line).to_owned());
            } else {
                break;
            }
        }
        steps
    }

    fn check_workflow_structure(workflow: &str) -> Vec<WorkflowStep> {
        assert!(!workflow.contains('\t'), "YAML forbids tabs");
        assert!(!workflow.contains("@@"), "an unfilled placeholder");
        for expected in ["on:", "  push:", "  workflow_dispatch:", "jobs:"] {
            assert!(
                workflow.lines().any(|line| line == expected),
                "the workflow lacks `{expected}`"
            );
        }
        let labs_line = workflow
            .lines()
            .find(|line| line.trim_start().starts_with("LABS:"))
            .expect("the workflow names the labs in LABS");
        assert!(
            labs_line.contains("\"lab1 lab2 lab3 lab4 lab5 lab6\""),
            "{labs_line}"
        );
        let steps = workflow_steps(workflow);
        let uses: Vec<String> = steps.iter().filter_map(|step| step.value("uses")).collect();
        for action in &uses {
            assert!(
                action.contains('@'),
                "an action without a version: {action}"
            );
        }
        assert!(
            uses.iter()
                .any(|action| action.starts_with("actions/checkout@"))
        );
        assert!(
            uses.iter()
                .any(|action| action.starts_with("actions/cache@"))
        );
        assert!(
            uses.iter()
                .any(|action| action.starts_with("dtolnay/rust-toolchain@"))
        );
        let upload = steps
            .iter()
            .find(|step| {
                step.value("uses")
                    .is_some_and(|action| action.starts_with("actions/upload-artifact@"))
            })
            .expect("the workflow uploads the JUnit files");
        assert_eq!(upload.value("if").as_deref(), Some("always()"));
        assert_eq!(
            upload.value("path").as_deref(),
            Some("target/grade/*/junit.xml")
        );
        steps
    }

    #[test]
    fn builds_offline_grades_public_tests_and_takes_released_solutions() {
        let _heavy = hold_heavy();
        let (temporary, export) = fresh_export();
        let lock_file = std::fs::read(export.join("Cargo.lock")).unwrap();

        // The export builds offline, and its own tests pass.
        let tested = timed("cargo test --offline in the export", || {
            cargo_in(&export, &["test", "--offline"])
        });
        assert!(
            tested.status.success(),
            "the export's tests fail:\n{}\n{}",
            stdout_of(&tested),
            stderr_of(&tested)
        );
        assert_eq!(
            std::fs::read(export.join("Cargo.lock")).unwrap(),
            lock_file,
            "the first build changed Cargo.lock: dist should write it as cargo would"
        );

        // `cargo xtask grade lab1` grades the public tests; the stubs fail.
        let graded = timed("cargo xtask grade lab1 in the export", || {
            cargo_in(&export, &["xtask", "grade", "lab1"])
        });
        assert_eq!(graded.status.code(), Some(1), "{}", stderr_of(&graded));
        let human = stdout_of(&graded);
        assert!(
            human.contains("grading the public tests of the student crate"),
            "{human}"
        );
        assert!(
            human.contains("the hidden tests (50 points) are graded by the course's autograder"),
            "{human}"
        );
        let results = results_of(&export.join("target/grade/lab1"));
        assert_eq!(results["graded_tests"], "public");
        assert_eq!(results["complete"], true);
        let tests = results["tests"].as_array().unwrap();
        assert!(tests.len() >= 10, "{} public tests", tests.len());
        assert!(tests.iter().all(|test| test["max_points"] == 1));
        assert!(
            tests.iter().any(|test| test["status"] == "FAIL"
                && test["message"]
                    .as_str()
                    .unwrap()
                    .contains("not yet implemented")),
            "a stub's failure shows its todo!() message"
        );
        assert!(
            results["warnings"][0]
                .as_str()
                .unwrap()
                .contains("autograder")
        );

        // The workflow's grading step, run as GitHub runs a bash step.
        let workflow = std::fs::read_to_string(export.join(".github/workflows/grade.yml")).unwrap();
        let steps = check_workflow_structure(&workflow);
        let grading = steps
            .iter()
            .find(|step| step.name == "Grade every lab")
            .expect("a step grades the labs");
        let script = temporary.path().join("grade-step.sh");
        std::fs::write(&script, grading.run_block()).unwrap();
        let job_summary = temporary.path().join("job-summary.md");
        let stepped = timed("the workflow's grading step for lab1", || {
            std::process::Command::new("bash")
                .args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&script)
                .current_dir(&export)
                .env_remove("COURSE_ROOT")
                .env("LABS", "lab1")
                .env("GITHUB_STEP_SUMMARY", &job_summary)
                .env("CARGO_TARGET_DIR", export_check_target())
                .env("CARGO_NET_OFFLINE", "true")
                .output()
                .unwrap()
        });
        assert_eq!(
            stepped.status.code(),
            Some(1),
            "failing public tests make the step fail, after grading: {}",
            stderr_of(&stepped)
        );
        let junit_path = export.join("target/grade/lab1/junit.xml");
        let junit = std::fs::read_to_string(&junit_path).expect("the step writes junit.xml");
        let summary = std::fs::read_to_string(&job_summary).expect("the step writes the summary");
        let parsed = junit_parser::from_reader(std::io::Cursor::new(junit.as_bytes()))
            .unwrap_or_else(|err| panic!("junit.xml does not parse: {err}\n{junit}"));
        let cases: usize = parsed.suites.iter().map(|suite| suite.cases.len()).sum();
        assert_eq!(cases, tests.len(), "one JUnit test case per public test");
        assert!(summary.contains("lab1 threads"), "{summary}");
        assert!(summary.contains("autograder"), "{summary}");

        // Instructor commands refuse to run here; the reference is not here.
        for command in [
            &["xtask", "verify"][..],
            &["xtask", "gradescope", "--lab", "lab1"],
            &["xtask", "dist", "--out", "elsewhere"],
            &["xtask", "publish", "lab1", "--to", "."],
            &["xtask", "grade-batch", "--lab", "lab1", "labs"],
        ] {
            let refused = cargo_in(&export, command);
            assert_eq!(refused.status.code(), Some(2), "{command:?}");
            assert!(
                stderr_of(&refused).contains("this command is for instructors"),
                "{}",
                stderr_of(&refused)
            );
        }
        // `list` names no hidden test there, only what they are worth.
        let list = cargo_in(&export, &["xtask", "list"]);
        assert_eq!(list.status.code(), Some(0));
        let listed = String::from_utf8_lossy(&list.stdout);
        assert!(
            listed.contains("lab1 threads (lab1-threads): hidden tests worth 50 points, graded by the course's autograder"),
            "{listed}"
        );
        let no_solution = cargo_in(&export, &["xtask", "grade", "lab1", "--solution"]);
        assert_eq!(no_solution.status.code(), Some(2));
        assert!(
            stderr_of(&no_solution).contains("cargo xtask publish lab1"),
            "{}",
            stderr_of(&no_solution)
        );

        // Releasing lab 1: its reference passes every public test there.
        let published = xtask()
            .args(["publish", "lab1", "--to"])
            .arg(&export)
            .output()
            .unwrap();
        assert!(published.status.success(), "{}", stderr_of(&published));
        assert!(export.join("solutions/lab1-threads/src/lib.rs").is_file());
        let manifest = std::fs::read_to_string(export.join("Cargo.toml")).unwrap();
        assert!(
            manifest
                .contains(r#"members = ["xtask", "grader", "labs/*", "solutions/lab1-threads"]"#),
            "{manifest}"
        );
        let reference = timed("cargo xtask grade lab1 --solution in the export", || {
            cargo_in(
                &export,
                &[
                    "xtask",
                    "grade",
                    "lab1",
                    "--solution",
                    "--out",
                    "target/grade/reference",
                ],
            )
        });
        let results = results_of(&export.join("target/grade/reference"));
        assert_eq!(
            reference.status.code(),
            Some(0),
            "{}\n{}",
            stdout_of(&reference),
            stderr_of(&reference)
        );
        assert_eq!(results["graded_tests"], "public");
        assert_eq!(results["implementation"]["kind"], "reference");
        assert_eq!(
            results["totals"]["passed"].as_u64(),
            Some(tests.len() as u64)
        );
    }
}
