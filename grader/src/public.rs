//! Grading a lab's public tests through the grader's harness.
//!
//! The public tests (`labs/<crate>/tests/public.rs`) ship with the stubs. A
//! student repository (written by `cargo xtask dist`) has no hidden suites,
//! so `cargo xtask grade` grades these instead, and says that the hidden
//! tests are graded by the course's autograder; `--public` asks for them
//! anywhere.
//!
//! This module owns building the public tests against an implementation
//! (the student crate, the reference or a submitted folder), listing them,
//! and recording their results in the same `results.json` (with
//! `graded_tests = "public"`, one point per test) and every other format.
//! Each test runs in its own process through [`crate::runner`], with the
//! same process groups, deadlines (the lab's default timeout), captured
//! output and `-j`; the verdict rules for a libtest binary live there too
//! ([`crate::runner::judge_libtest`]).
//!
//! The public tests always come from the course's copy of the lab crate,
//! never from a submitted folder, so a submission cannot grade itself with
//! tests it rewrote. They are compiled in a generated package, as the
//! hidden suite is (see [`crate::build`]): its `[[test]]` is the lab
//! crate's `tests/public.rs`, its dependency named after the lab's library
//! is the graded crate, and its other dependencies are the lab crate's
//! dev-dependencies. For a lab with a worker program, the package has a
//! binary named after the lab crate whose `main` calls the graded crate's
//! `worker_main`, so the tests find it where `labkit::worker_program!`
//! looks (`CARGO_BIN_EXE_<crate>`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use toml::{Table, Value};

use crate::build::{self, Implementation, ImplementationInfo};
use crate::course::{Course, Lab, Visibility};
use crate::grade::{GradeRequest, Progress};
use crate::protocol::WORKER_EXE_ENV;
use crate::results::{BuildRecord, GradedTests, LabResults, TestResult};
use crate::runner::{self, Outcome, PlannedTest, Runner, TestRun};
use crate::{Error, ErrorKind};

/// What one public test is worth in the results.
pub const POINTS_PER_PUBLIC_TEST: u32 = 1;

/// The name of the public tests' `[[test]]` target, and of their file in
/// the lab crate's `tests/` folder.
const PUBLIC_TEST_TARGET: &str = "public";

/// Whether this repository holds the course's hidden suites
/// (`grader/suites/`). A students' repository written by `cargo xtask
/// dist` does not: its labs are graded on their public tests here, and on
/// their hidden tests by the course's autograder. (In a course repository,
/// a lab whose suite is missing is an instructor's mistake, reported when
/// its build fails, not a reason to grade something else.)
pub fn holds_hidden_suites(course: &Course) -> bool {
    course.root.join("grader").join("suites").is_dir()
}

/// What a student reads when a grade holds only the public tests because
/// the hidden suite is not in this repository.
pub fn autograder_note(lab: &Lab) -> String {
    format!(
        "this repository does not hold the hidden suite of {lab}, so these are its public tests \
         (1 point each; they are not the lab's grade): the hidden tests ({} points) are graded \
         by the course's autograder",
        lab.max_points()
    )
}

/// A clear error when the reference solution is asked for but is not in
/// this repository (a student repository before the solutions are
/// released).
pub(crate) fn require_implementation_present(request: &GradeRequest<'_>) -> Result<(), Error> {
    let lab = request.lab;
    let solution_dir = lab.solution_dir(&request.course.root);
    if request.implementation == Implementation::Reference && !solution_dir.is_dir() {
        return Err(Error::new(ErrorKind::InvalidSubmission {
            path: solution_dir,
            message: format!(
                "{lab}'s reference solution is not in this repository: solutions are released \
                 after a lab's deadline, when the instructor runs `cargo xtask publish {} --to \
                 <this repository>` (or exports it with `cargo xtask dist --with-solutions {}`)",
                lab.id(),
                lab.id()
            ),
        }));
    }
    Ok(())
}

/// A clear error for a command that needs the hidden suite (timing
/// experiments) in a repository without it.
pub(crate) fn require_hidden_suite(request: &GradeRequest<'_>, what: &str) -> Result<(), Error> {
    let lab = request.lab;
    if holds_hidden_suites(request.course) {
        return Ok(());
    }
    Err(Error::new(ErrorKind::Suite {
        path: lab.suite_dir(&request.course.root),
        message: format!(
            "the {what} of {lab} are part of its hidden suite, which this repository does not \
             hold; they run in the course's autograder"
        ),
    }))
}

/// Grades the lab's public tests: builds them against the implementation,
/// lists them, runs each in its own process and writes the results files
/// as [`crate::grade::grade`] does.
pub fn grade_public(
    request: &GradeRequest<'_>,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<LabResults, Error> {
    let lab = request.lab;
    let implementation = request.implementation.describe(request.course, lab)?;
    let mut warnings = crate::grade::facade_warnings(lab, &implementation.path);
    if !holds_hidden_suites(request.course) {
        warnings.push(autograder_note(lab));
    }
    // The public tests are known only once they are built and listed.
    let mut results =
        crate::grade::starting_results(request, &implementation, GradedTests::Public, warnings);
    results.update_totals();
    crate::grade::write_results(&results, request)?;
    for warning in &results.warnings {
        progress(Progress::Warning(warning.clone()));
    }

    progress(Progress::BuildingPublicTests);
    let built = match build_public_tests(request, &implementation)? {
        Ok(built) => built,
        Err(failed_build) => {
            results.build = failed_build;
            return crate::grade::finish(results, request);
        }
    };
    results.build = BuildRecord {
        ok: true,
        duration_secs: built.build_secs,
        message: String::new(),
    };
    let names: Vec<String> = runner::list_libtests(&built.test_binary)?
        .into_iter()
        .filter(|name| {
            request.filters.is_empty()
                || request
                    .filters
                    .iter()
                    .any(|text| name.contains(text.as_str()))
        })
        .collect();
    let timeout =
        std::time::Duration::from_secs_f64(lab.default_timeout_secs).mul_f64(request.timeout_scale);
    results.tests = names
        .iter()
        .map(|name| TestResult {
            name: name.clone(),
            points: 0,
            max_points: POINTS_PER_PUBLIC_TEST,
            status: Outcome::NotRun,
            duration_secs: 0.0,
            message: "not run yet".to_owned(),
            output: String::new(),
            visibility: Visibility::Visible,
            alone: false,
            timeout_secs: timeout.as_secs_f64(),
            metrics: Default::default(),
            runs: 0,
            passed_runs: 0,
        })
        .collect();
    results.update_totals();
    crate::grade::write_results(&results, request)?;

    let plan: Vec<PlannedTest> = names
        .iter()
        .flat_map(|name| {
            (0..request.repeat.max(1)).map(|_| PlannedTest {
                name: name.clone(),
                binary: built.test_binary.clone(),
                timeout,
                alone: false,
                // Named so that the sandbox lets the test run it.
                env: built
                    .programs
                    .iter()
                    .map(|program| (WORKER_EXE_ENV.to_owned(), program.clone().into_os_string()))
                    .collect(),
            })
        })
        .collect();
    let runner = Runner {
        jobs: request.jobs,
        // Public tests get no private channel, hence no secret.
        secret: String::new(),
        lab_id: lab.id(),
        implementation_args: request.implementation.command_line_args(),
    };
    // Panic locations are shown relative to the repository, where the
    // student reads them.
    let course_prefix = format!("{}/", request.course.root.display());
    let tidy = |run: TestRun| TestRun {
        message: run.message.replace(&course_prefix, ""),
        ..run
    };
    let mut results =
        crate::grade::run_and_record(results, request, plan.len(), progress, &tidy, |on_finish| {
            runner.run_all_libtest(&plan, on_finish);
        })?;
    results.interrupted = crate::process::is_interrupted();
    crate::grade::finish(results, request)
}

/// Runs one public test in the foreground, its output going straight to
/// the terminal; returns whether it passed.
pub fn replay_public(request: &GradeRequest<'_>, test_name: &str) -> Result<bool, Error> {
    let lab = request.lab;
    let implementation = request.implementation.describe(request.course, lab)?;
    let built = match build_public_tests(request, &implementation)? {
        Ok(built) => built,
        Err(failed_build) => {
            return Err(Error::new(ErrorKind::InvalidSubmission {
                path: implementation.path,
                message: format!(
                    "does not compile against the public tests:\n{}",
                    failed_build.message
                ),
            }));
        }
    };
    let names = runner::list_libtests(&built.test_binary)?;
    if !names.iter().any(|name| name == test_name) {
        return Err(Error::new(ErrorKind::UnknownTest {
            lab: format!("{lab} (public tests)"),
            query: test_name.to_owned(),
            known: names,
        }));
    }
    // In the same sandbox as in a grade, its output shown as it comes.
    let timeout = std::time::Duration::from_secs(600);
    crate::process::run_in_foreground(
        &built.test_binary,
        [test_name, "--exact", "--include-ignored", "--nocapture"]
            .iter()
            .map(Into::into)
            .collect(),
        Vec::new(),
        timeout,
        built.programs.clone(),
    )
    .map_err(|source| {
        Error::new(ErrorKind::Io {
            action: "run the public test",
            path: built.test_binary.clone(),
            source,
        })
    })
}

/// The public tests compiled against one implementation.
struct BuiltPublicTests {
    test_binary: PathBuf,
    /// The package's programs (the lab's worker program), which the tests
    /// run: the sandbox lets a test run them.
    programs: Vec<PathBuf>,
    build_secs: f64,
}

/// Compiles the public tests against the implementation; a compile error
/// is returned as the build record, not as an error.
fn build_public_tests(
    request: &GradeRequest<'_>,
    implementation: &ImplementationInfo,
) -> Result<Result<BuiltPublicTests, BuildRecord>, Error> {
    let course_root = &request.course.root;
    let lab = request.lab;
    let key = implementation_key(&request.implementation, &implementation.path);
    let package_name = format!("{}-public-{key}", lab.id());
    let generated_dir = build::grader_target_dir(course_root)
        .join("build")
        .join(&package_name);
    let manifest = generated_manifest(request, implementation, &package_name, &generated_dir)?;
    build::write_if_changed(
        &generated_dir.join("lib.rs"),
        "//! Generated by the grader: the public tests' package has no code of its own.\n",
    )?;
    if let Some(worker_main) = &lab.worker_main {
        build::write_if_changed(
            &generated_dir.join("worker.rs"),
            &build::worker_program_source(lab, worker_main)?,
        )?;
    }
    build::write_if_changed(&generated_dir.join("Cargo.toml"), &manifest)?;
    // The course's lock file, so the public tests use the dependency
    // versions the course was tested with (and build offline where the
    // course does).
    let workspace_lock = course_root.join("Cargo.lock");
    if workspace_lock.exists() && !generated_dir.join("Cargo.lock").exists() {
        std::fs::copy(&workspace_lock, generated_dir.join("Cargo.lock"))
            .map_err(|source| io_error("copy the lock file to", &generated_dir, source))?;
    }

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let mut child = Command::new(&cargo)
        .args(["test", "--no-run", "--color=never"])
        .arg("--message-format=json-render-diagnostics")
        .args(["--test", PUBLIC_TEST_TARGET])
        .arg("--manifest-path")
        .arg(generated_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(public_target_dir(
            course_root,
            &request.implementation,
            &key,
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| {
            io_error(
                "run cargo to build the public tests in",
                &generated_dir,
                source,
            )
        })?;
    let stderr = child.stderr.take().expect("stderr was piped");
    let echo_progress = request.echo_build;
    // Cargo's messages are read on their own thread while the artifacts'
    // JSON is read here, so that neither pipe fills up and blocks cargo.
    let compiler_output = std::thread::spawn(move || {
        let mut kept = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if echo_progress {
                eprintln!("{line}");
            }
            if !build::is_progress_line(&line) {
                kept.push_str(&line);
                kept.push('\n');
            }
        }
        kept
    });
    let stdout = child.stdout.take().expect("stdout was piped");
    let mut test_binary = None;
    let mut programs = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line =
            line.map_err(|source| io_error("read cargo's output for", &generated_dir, source))?;
        if let Some(executable) = public_test_executable(&line) {
            test_binary = Some(executable);
        } else if let Some(program) = program_executable(&line) {
            programs.push(program);
        }
    }
    let status = child
        .wait()
        .map_err(|source| io_error("wait for cargo building", &generated_dir, source))?;
    let compiler_output = compiler_output.join().unwrap_or_default();
    let build_secs = started.elapsed().as_secs_f64();
    match (status.success(), test_binary) {
        (true, Some(test_binary)) => Ok(Ok(BuiltPublicTests {
            test_binary,
            programs,
            build_secs,
        })),
        (true, None) => Err(Error::new(ErrorKind::PublicTests {
            path: generated_dir,
            message: "cargo built the package but named no test executable".to_owned(),
        })),
        (false, _) => Ok(Err(BuildRecord {
            ok: false,
            duration_secs: build_secs,
            message: format!("(building the public tests) {compiler_output}"),
        })),
    }
}

/// The test executable a `compiler-artifact` message of cargo's JSON
/// output names, if the message is about the public tests' target.
fn public_test_executable(line: &str) -> Option<PathBuf> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    if message["reason"] != "compiler-artifact" || message["target"]["name"] != PUBLIC_TEST_TARGET {
        return None;
    }
    let is_test = message["target"]["kind"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|kind| kind == "test"));
    if !is_test {
        return None;
    }
    message["executable"].as_str().map(PathBuf::from)
}

/// The program a `compiler-artifact` message names, if it is about a
/// binary target (the lab's worker program).
fn program_executable(line: &str) -> Option<PathBuf> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    let is_bin = message["target"]["kind"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin"));
    if message["reason"] != "compiler-artifact" || !is_bin {
        return None;
    }
    message["executable"].as_str().map(PathBuf::from)
}

/// A short stable name for the implementation in generated paths.
fn implementation_key(implementation: &Implementation, crate_dir: &Path) -> String {
    use std::hash::{Hash, Hasher};
    match implementation {
        Implementation::Student => "student".to_owned(),
        Implementation::Reference => "reference".to_owned(),
        Implementation::Submission(_) => {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            crate_dir.hash(&mut hasher);
            format!("submission-{:016x}", hasher.finish())
        }
    }
}

/// Where the public tests are compiled: under the folder cargo itself
/// builds in (`CARGO_TARGET_DIR`, or the repository's `target/`), so that
/// a person who moved cargo's output moves this too. The student crate and
/// the reference share one target folder, and so their compiled
/// dependencies; each submitted folder has its own, because its worker
/// program has the student crate's name (see [`worker_bin_name`]) and two
/// builds of one name in one folder overwrite each other.
fn public_target_dir(course_root: &Path, implementation: &Implementation, key: &str) -> PathBuf {
    let cargo_target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| course_root.join("target"));
    // Absolute: the tests run in a scratch folder of their own, where a
    // relative path to the worker program would lead nowhere.
    let cargo_target = std::path::absolute(&cargo_target).unwrap_or(cargo_target);
    let folder = match implementation {
        Implementation::Student | Implementation::Reference => "course",
        Implementation::Submission(_) => key,
    };
    cargo_target.join("grader-public").join(folder)
}

/// The name of the worker program's binary: one of the two names
/// `labkit::worker_program!` looks for (`CARGO_BIN_EXE_<crate>`, or with
/// `-solution` for the reference), which keeps the student crate's and
/// the reference's apart in their shared target folder.
fn worker_bin_name(lab: &Lab, implementation: &Implementation) -> String {
    match implementation {
        Implementation::Reference => format!("{}-solution", lab.crate_name),
        Implementation::Student | Implementation::Submission(_) => lab.crate_name.clone(),
    }
}

/// The generated package of the public tests; see the module docs.
fn generated_manifest(
    request: &GradeRequest<'_>,
    implementation: &ImplementationInfo,
    package_name: &str,
    generated_dir: &Path,
) -> Result<String, Error> {
    let course_root = &request.course.root;
    let lab = request.lab;
    let student_dir = lab.student_dir(course_root);
    let student_manifest_path = student_dir.join("Cargo.toml");
    let student_manifest = build::read_manifest(&student_manifest_path)?;
    let public_tests = student_dir
        .join("tests")
        .join(format!("{PUBLIC_TEST_TARGET}.rs"));
    if !public_tests.is_file() {
        return Err(Error::new(ErrorKind::PublicTests {
            path: public_tests,
            message: format!("{lab} has no public tests to grade"),
        }));
    }
    let workspace_dependencies = build::read_manifest(&course_root.join("Cargo.toml"))?
        .get("workspace")
        .and_then(|workspace| workspace.get("dependencies"))
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();

    let mut dependencies = Table::new();
    let mut graded_crate = Table::new();
    graded_crate.insert("package".into(), implementation.package.clone().into());
    graded_crate.insert("path".into(), path_value(&implementation.path));
    dependencies.insert(lab.lib_name(), Value::Table(graded_crate));
    // An integration test may use its package's dependencies as well as
    // its dev-dependencies (lab 5's public tests read JSON with the crate's
    // own serde_json), so the generated package has both.
    let mut dev_dependencies = Table::new();
    let student_dependencies = ["dependencies", "dev-dependencies"]
        .into_iter()
        .filter_map(|section| student_manifest.get(section).and_then(Value::as_table))
        .flat_map(|table| table.clone());
    for (name, spec) in student_dependencies {
        let resolved = build::resolve_dependency(
            &name,
            spec,
            &student_dir,
            course_root,
            &workspace_dependencies,
        )
        .map_err(|message| {
            Error::new(ErrorKind::InvalidCourse {
                path: student_manifest_path.clone(),
                message,
            })
        })?;
        dev_dependencies.insert(name, resolved);
    }

    let mut package = Table::new();
    package.insert("name".into(), package_name.into());
    package.insert("version".into(), "0.0.0".into());
    package.insert("edition".into(), "2024".into());
    package.insert("publish".into(), false.into());
    for automatic_targets in ["autobins", "autoexamples", "autotests", "autobenches"] {
        package.insert(automatic_targets.into(), false.into());
    }
    let mut library = Table::new();
    library.insert("path".into(), path_value(&generated_dir.join("lib.rs")));
    let mut test = Table::new();
    test.insert("name".into(), PUBLIC_TEST_TARGET.into());
    test.insert("path".into(), path_value(&public_tests));

    let mut manifest = Table::new();
    manifest.insert("package".into(), Value::Table(package));
    manifest.insert("lib".into(), Value::Table(library));
    if lab.worker_main.is_some() {
        let mut worker = Table::new();
        worker.insert(
            "name".into(),
            worker_bin_name(lab, &request.implementation).into(),
        );
        worker.insert("path".into(), path_value(&generated_dir.join("worker.rs")));
        manifest.insert("bin".into(), Value::Array(vec![Value::Table(worker)]));
    }
    manifest.insert("test".into(), Value::Array(vec![Value::Table(test)]));
    manifest.insert("dependencies".into(), Value::Table(dependencies));
    manifest.insert("dev-dependencies".into(), Value::Table(dev_dependencies));
    // As `cargo test` builds them, but dependencies without debug info:
    // nobody reads their line numbers, and leaving them out shortens the
    // first build.
    let mut dependencies_settings = Table::new();
    dependencies_settings.insert("debug".into(), false.into());
    let mut packages = Table::new();
    packages.insert("*".into(), Value::Table(dependencies_settings));
    let mut dev_profile = Table::new();
    dev_profile.insert("package".into(), Value::Table(packages));
    let mut profile = Table::new();
    profile.insert("dev".into(), Value::Table(dev_profile));
    manifest.insert("profile".into(), Value::Table(profile));
    // Its own workspace, although it sits inside the course's folder.
    manifest.insert("workspace".into(), Value::Table(Table::new()));
    Ok(format!(
        "# Generated by the grader: {}'s public tests against {}; do not edit.\n{}",
        lab.id(),
        implementation.path.display(),
        toml::to_string(&manifest).expect("a TOML table always serializes")
    ))
}

fn path_value(path: &Path) -> Value {
    Value::String(path.to_string_lossy().into_owned())
}

fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> Error {
    Error::new(ErrorKind::Io {
        action,
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_tests_executable_is_read_from_cargos_artifact_message() {
        let artifact = r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"public"},"executable":"/t/debug/deps/public-0123"}"#;
        assert_eq!(
            public_test_executable(artifact),
            Some(PathBuf::from("/t/debug/deps/public-0123"))
        );
        let library = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"public"},"executable":null}"#;
        assert_eq!(public_test_executable(library), None);
        let worker = r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"lab5-multiprocessing"},"executable":"/t/debug/lab5-multiprocessing"}"#;
        assert_eq!(public_test_executable(worker), None);
        assert_eq!(public_test_executable("not json"), None);
    }

    #[test]
    fn the_note_names_the_hidden_points_and_the_autograder() {
        let course = Course::parse(
            "title = \"t\"\n[[labs]]\nnumber = 1\nslug = \"threads\"\ncrate = \"lab1-threads\"\n\
             default_timeout_secs = 10\nhidden_points = 50\n",
        )
        .unwrap();
        let note = autograder_note(&course.labs[0]);
        assert!(note.contains("50 points"), "{note}");
        assert!(note.contains("autograder"), "{note}");
    }
}
