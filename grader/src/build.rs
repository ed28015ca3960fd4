//! Compiling a lab's hidden suite against a chosen implementation.
//!
//! The suite's sources never change; what changes is the crate its
//! `lab<N>_<slug>` dependency points at. For each implementation this module
//! writes a small generated package under `target/grader/build/` whose
//! dependencies are the suite's own (read from the suite's `Cargo.toml`) with
//! that one entry pointing at the student crate, the reference solution or a
//! submitted folder. The compiler thereby enforces that all three expose the
//! same API. All generated packages share one target folder, so the
//! dependencies compile once.
//!
//! A suite that declares an `explore` feature is built twice: natively, and
//! with that feature on, which switches the lab's synchronization facade to
//! the schedule explorer's types ([`SuiteVariant::Exploring`]). Each build
//! registers its own tests.
//!
//! This module must not run any test; a build failure is a result (the
//! compiler's message), not an error of the grader.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use toml::{Table, Value};

use crate::course::{Course, Lab};
use crate::{Error, ErrorKind};

/// Which implementation of a lab is graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Implementation {
    /// The student crate in `labs/`: the stubs, or the student's work.
    Student,
    /// The reference solution in `solutions/`.
    Reference,
    /// Any folder holding a crate with the lab's API (an autograder's
    /// submission).
    Submission(PathBuf),
}

/// How the implementation is described in results files.
#[derive(Debug, Clone, Serialize)]
pub struct ImplementationInfo {
    /// `student`, `reference` or `submission`.
    pub kind: &'static str,
    /// The crate's folder.
    pub path: PathBuf,
    /// The crate's package name.
    pub package: String,
}

/// The cargo feature of a hidden suite that turns on schedule exploration.
pub const EXPLORE_FEATURE: &str = "explore";

/// Which build of a hidden suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuiteVariant {
    /// Real threads and `std` types.
    Native,
    /// Built with the suite's `explore` feature: the facade's types belong
    /// to the schedule explorer.
    Exploring,
}

/// The builds a lab's suite needs: always native, and exploring when the
/// suite's manifest declares the `explore` feature.
pub fn suite_variants(course_root: &Path, lab: &Lab) -> Result<Vec<SuiteVariant>, Error> {
    let manifest = read_manifest(&lab.suite_dir(course_root).join("Cargo.toml"))?;
    let explores = manifest
        .get("features")
        .and_then(Value::as_table)
        .is_some_and(|features| features.contains_key(EXPLORE_FEATURE));
    Ok(if explores {
        vec![SuiteVariant::Native, SuiteVariant::Exploring]
    } else {
        vec![SuiteVariant::Native]
    })
}

/// The tests a build of a suite registers depend only on the suite's
/// sources and the variant, never on the implementation. They are
/// remembered per fingerprint of those sources, so that a run restricted to
/// some tests can skip a build that holds none of them.
pub fn cached_listing(course_root: &Path, lab: &Lab, variant: SuiteVariant) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(listing_path(course_root, lab, variant)).ok()?;
    let cached: CachedListing = serde_json::from_str(&text).ok()?;
    (cached.fingerprint == suite_fingerprint(&lab.suite_dir(course_root))).then_some(cached.tests)
}

/// Records what a build of the suite registers; see [`cached_listing`].
/// Failing to write the cache only costs a build later, so it is not an
/// error.
pub fn remember_listing(course_root: &Path, lab: &Lab, variant: SuiteVariant, tests: &[String]) {
    let cached = CachedListing {
        fingerprint: suite_fingerprint(&lab.suite_dir(course_root)),
        tests: tests.to_vec(),
    };
    let path = listing_path(course_root, lab, variant);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let text = serde_json::to_vec(&cached).expect("a listing always serializes");
    let _ = crate::results::write_atomically(&path, &text);
}

#[derive(Debug, Serialize, serde::Deserialize)]
struct CachedListing {
    fingerprint: String,
    tests: Vec<String>,
}

fn listing_path(course_root: &Path, lab: &Lab, variant: SuiteVariant) -> PathBuf {
    let variant = match variant {
        SuiteVariant::Native => "native",
        SuiteVariant::Exploring => "explore",
    };
    grader_target_dir(course_root)
        .join("listings")
        .join(format!("{}-{variant}.json", lab.id()))
}

/// A hash of every file's path and contents under the suite's folder.
fn suite_fingerprint(suite_dir: &Path) -> String {
    fn visit(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    visit(suite_dir, &mut files);
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.hash(&mut hasher);
        std::fs::read(&file).unwrap_or_default().hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// A hidden suite compiled against one implementation, ready to run.
#[derive(Debug, Clone)]
pub struct BuiltSuite {
    pub binary: PathBuf,
    /// The lab's worker program built from the implementation, for labs
    /// that declare a `worker_main`.
    pub worker: Option<PathBuf>,
    pub duration: Duration,
}

/// The result of compiling; a failure carries the compiler's messages.
#[must_use]
#[derive(Debug, Clone)]
pub enum BuildOutcome {
    Built(BuiltSuite),
    Failed {
        compiler_output: String,
        duration: Duration,
    },
}

/// Where generated packages and their shared target folder live.
pub fn grader_target_dir(course_root: &Path) -> PathBuf {
    course_root.join("target").join("grader")
}

impl Implementation {
    /// The `cargo xtask grade` arguments that select this implementation.
    pub fn command_line_args(&self) -> String {
        match self {
            Implementation::Student => String::new(),
            Implementation::Reference => "--solution".to_owned(),
            Implementation::Submission(dir) => {
                let dir = dir.display().to_string();
                if dir.contains(char::is_whitespace) {
                    format!("--submission '{dir}'")
                } else {
                    format!("--submission {dir}")
                }
            }
        }
    }

    /// The crate folder of this implementation of `lab`.
    pub fn crate_dir(&self, course_root: &Path, lab: &Lab) -> PathBuf {
        match self {
            Implementation::Student => lab.student_dir(course_root),
            Implementation::Reference => lab.solution_dir(course_root),
            Implementation::Submission(dir) => dir.clone(),
        }
    }

    /// A stable short key naming this implementation in generated paths.
    fn key(&self, crate_dir: &Path) -> String {
        match self {
            Implementation::Student => "student".to_owned(),
            Implementation::Reference => "reference".to_owned(),
            Implementation::Submission(_) => {
                let mut hasher = DefaultHasher::new();
                crate_dir.hash(&mut hasher);
                format!("submission-{:016x}", hasher.finish())
            }
        }
    }

    /// Checks the folder holds a Rust package and describes it.
    pub fn describe(&self, course: &Course, lab: &Lab) -> Result<ImplementationInfo, Error> {
        let dir = self.crate_dir(&course.root, lab);
        let invalid = |message: String| {
            Error::new(ErrorKind::InvalidSubmission {
                path: dir.clone(),
                message,
            })
        };
        let manifest_path = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest_path).map_err(|err| {
            invalid(format!(
                "no readable Cargo.toml ({err}); point --submission at the folder that holds the \
                 lab crate's Cargo.toml"
            ))
        })?;
        let manifest: Table = text
            .parse()
            .map_err(|err| invalid(format!("Cargo.toml is not valid TOML: {err}")))?;
        let package = manifest
            .get("package")
            .and_then(|package| package.get("name"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                invalid(
                    "Cargo.toml has no [package] name; a lab submission is one library crate"
                        .to_owned(),
                )
            })?
            .to_owned();
        let kind = match self {
            Implementation::Student => "student",
            Implementation::Reference => "reference",
            Implementation::Submission(_) => "submission",
        };
        let path = dir.canonicalize().unwrap_or(dir);
        Ok(ImplementationInfo {
            kind,
            path,
            package,
        })
    }
}

/// Options of one build.
#[derive(Debug, Clone)]
pub struct BuildRequest<'a> {
    pub course: &'a Course,
    pub lab: &'a Lab,
    pub implementation: &'a ImplementationInfo,
    pub key_source: &'a Implementation,
    pub variant: SuiteVariant,
    /// Optimize the native suite's own code, for timing experiments. The
    /// implementation and every dependency are optimized either way, and
    /// the exploring suite's own code never is.
    pub optimize_suite: bool,
    /// Echo cargo's progress to our stderr as it happens.
    pub echo_progress: bool,
}

/// Packages a suite binary links but whose speed no test measures: the
/// grader (its harness runs each test body once) and what only its
/// grading side uses. The generated profile builds them unoptimized.
const GRADING_ONLY_PACKAGES: &[&str] = &[
    "grader",
    "toml",
    "toml_parser",
    "toml_writer",
    "toml_datetime",
    "serde_spanned",
    "winnow",
    "plotters",
    "plotters-backend",
    "plotters-svg",
    "humantime",
    "thiserror",
];

/// Generates the suite package for the implementation and compiles it.
pub fn build_suite(request: &BuildRequest<'_>) -> Result<BuildOutcome, Error> {
    let course_root = &request.course.root;
    let lab = request.lab;
    let key = request.key_source.key(&request.implementation.path);
    let package_name = match (request.variant, request.optimize_suite) {
        (SuiteVariant::Native, true) => format!("{}-suite-{key}", lab.id()),
        (SuiteVariant::Native, false) => format!("{}-suite-{key}-unoptimized", lab.id()),
        (SuiteVariant::Exploring, _) => format!("{}-suite-{key}-explore", lab.id()),
    };
    let optimize_suite_code = request.variant == SuiteVariant::Native && request.optimize_suite;
    let generated_dir = grader_target_dir(course_root)
        .join("build")
        .join(&package_name);
    let worker_source = match &lab.worker_main {
        Some(worker_main) => {
            let source = generated_dir.join("worker.rs");
            write_if_changed(&source, &worker_program_source(lab, worker_main)?)?;
            Some(source)
        }
        None => None,
    };
    // A submitted folder is built from a copy with a standalone manifest
    // (see `submission`): handed in alone, a student's crate inherits from
    // a workspace that is not there.
    let staged;
    let mut dropped_dependencies = Vec::new();
    let mut is_course_fixture = false;
    let implementation = if matches!(request.key_source, Implementation::Submission(_)) {
        // Outside the generated package's folder: cargo names a path
        // dependency inside a workspace by its path relative to that
        // workspace, so every `<package>/submission` would share one
        // compiled library in the shared target folder, and grading A after
        // B would relink A's suite against B's code.
        let staged_dir = grader_target_dir(course_root)
            .join("staged")
            .join(&package_name);
        match crate::submission::stage(
            course_root,
            &lab.student_dir(course_root),
            &request.implementation.path,
            &staged_dir,
        ) {
            Ok(report) => {
                dropped_dependencies = report.dropped_dependencies;
                is_course_fixture = report.is_course_fixture;
            }
            Err(err) if matches!(err.kind(), ErrorKind::InvalidSubmission { .. }) => {
                return Ok(BuildOutcome::Failed {
                    compiler_output: err.to_string(),
                    duration: Duration::ZERO,
                });
            }
            Err(err) => return Err(err),
        }
        staged = ImplementationInfo {
            path: staged_dir,
            ..request.implementation.clone()
        };
        &staged
    } else {
        request.implementation
    };
    let manifest_with = |suite_main: &Path| {
        generated_manifest(
            course_root,
            lab,
            implementation,
            &package_name,
            optimize_suite_code,
            matches!(request.key_source, Implementation::Submission(_)),
            BinSources {
                suite_main,
                worker: worker_source.as_deref(),
            },
        )
    };
    let suite_main = lab.suite_dir(course_root).join("src").join("main.rs");
    // Start from the workspace's lock file, so the hidden suite uses exactly
    // the dependency versions the course was tested with, and so the shared
    // target folder already holds them compiled.
    std::fs::create_dir_all(&generated_dir)
        .map_err(|source| io_error("create", &generated_dir, source))?;
    let workspace_lock = course_root.join("Cargo.lock");
    if workspace_lock.exists() && !generated_dir.join("Cargo.lock").exists() {
        std::fs::copy(&workspace_lock, generated_dir.join("Cargo.lock"))
            .map_err(|source| io_error("copy the lock file to", &generated_dir, source))?;
    }
    // An upload is built in the sandbox, apart. The course's own fixtures
    // are the instructor's code, built on the reference: they are built
    // like the reference, which must never be compiled where submissions
    // are.
    if matches!(request.key_source, Implementation::Submission(_)) && !is_course_fixture {
        return build_submission(&SubmissionBuild {
            request,
            generated_dir: &generated_dir,
            staged_dir: &implementation.path,
            package_name: &package_name,
            manifest_with: &manifest_with,
            suite_main: &suite_main,
            worker_source: worker_source.as_deref(),
            dropped_dependencies: &dropped_dependencies,
        });
    }
    write_if_changed(
        &generated_dir.join("Cargo.toml"),
        &manifest_with(&suite_main)?,
    )?;

    let target_dir = grader_target_dir(course_root).join("target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let mut child = Command::new(&cargo)
        .arg("build")
        .arg("--release")
        .args(match request.variant {
            SuiteVariant::Native => vec![],
            SuiteVariant::Exploring => vec!["--features", EXPLORE_FEATURE],
        })
        .arg("--color=never")
        .arg("--manifest-path")
        .arg(generated_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| io_error("run cargo to build", &generated_dir, source))?;
    let mut compiler_output = String::new();
    let stderr = child.stderr.take().expect("stderr was piped");
    for line in BufReader::new(stderr).lines() {
        let line =
            line.map_err(|source| io_error("read cargo's output for", &generated_dir, source))?;
        if request.echo_progress {
            eprintln!("{line}");
        }
        // Progress lines say nothing about why a build failed.
        if !is_progress_line(&line) {
            compiler_output.push_str(&line);
            compiler_output.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|source| io_error("wait for cargo building", &generated_dir, source))?;
    let duration = started.elapsed();
    if !status.success() {
        return Ok(BuildOutcome::Failed {
            compiler_output,
            duration,
        });
    }
    Ok(built(
        &target_dir,
        &package_name,
        worker_source.is_some(),
        duration,
    ))
}

fn built(
    target_dir: &Path,
    package_name: &str,
    has_worker: bool,
    duration: Duration,
) -> BuildOutcome {
    let binary = target_dir.join("release").join(package_name);
    let worker = has_worker.then(|| {
        target_dir
            .join("release")
            .join(worker_bin_name(package_name))
    });
    BuildOutcome::Built(BuiltSuite {
        binary,
        worker,
        duration,
    })
}

/// How long a submission's build may take before it is stopped (a build
/// script or macro that never ends).
pub const SUBMISSION_BUILD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Where submissions are compiled: a target folder of their own, apart from
/// the one holding the reference solution and the suites built against it,
/// which a submission's build scripts must not read.
pub fn submissions_target_dir(course_root: &Path) -> PathBuf {
    grader_target_dir(course_root).join("submissions-target")
}

/// What [`build_submission`] needs from [`build_suite`].
struct SubmissionBuild<'a> {
    request: &'a BuildRequest<'a>,
    generated_dir: &'a Path,
    staged_dir: &'a Path,
    package_name: &'a str,
    manifest_with: &'a dyn Fn(&Path) -> Result<String, Error>,
    suite_main: &'a Path,
    worker_source: Option<&'a Path>,
    dropped_dependencies: &'a [String],
}

/// Builds a submission in the sandbox, in two steps, so that none of its
/// code runs beside a hidden file:
///
/// 1. the generated package with a placeholder `main` instead of the hidden
///    suite: this compiles the submission (running its build script, if
///    any) while no hidden file is in the build or readable;
/// 2. the same package with the suite's `main`, readable now. Cargo finds
///    the submission compiled; should it compile it again (run its build
///    script beside the suite), the build is refused, its output unread.
///
/// Both steps run sandboxed ([`crate::sandbox`]): no network, `--offline`,
/// reading only the toolchain, the course's public crates and the staged
/// copy, writing only the submissions' target folder.
fn build_submission(build: &SubmissionBuild<'_>) -> Result<BuildOutcome, Error> {
    let request = build.request;
    let course_root = &request.course.root;
    let target_dir = submissions_target_dir(course_root);
    std::fs::create_dir_all(&target_dir)
        .map_err(|source| io_error("create the build folder", &target_dir, source))?;
    let started = Instant::now();

    let writable = vec![target_dir.clone(), build.generated_dir.to_path_buf()];
    // One submission's build at a time (cargo's own lock on the folder
    // would serialize them anyway), so that what changed in the target
    // folder during the first step is that step's doing.
    let _one_at_a_time = SUBMISSION_BUILDS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Step 1: the submission alone.
    {
        let placeholder = build.generated_dir.join("placeholder.rs");
        write_if_changed(
            &placeholder,
            "// Stands in for the hidden suite while the submission compiles alone.\nfn main() {}\n",
        )?;
        write_if_changed(
            &build.generated_dir.join("Cargo.toml"),
            &(build.manifest_with)(&placeholder)?,
        )?;
        let readable = build_readable_paths(course_root, build.generated_dir);
        let before = snapshot(&target_dir);
        let alone = run_cargo_sandboxed(build, &target_dir, readable, writable.clone())?;
        // The generated package's files (the worker program's name starts
        // with the package's), and the submission's own library under the
        // lab's library name, which cargo may write before a compile error
        // (its dependency list) and so before any message names it.
        let lib_name = request.lab.lib_name();
        let own_names = [
            build.package_name.to_owned(),
            format!("{lib_name}-"),
            format!("lib{lib_name}-"),
        ];
        let tampered = unexplained_changes(
            &before,
            &snapshot(&target_dir),
            &alone.units_written,
            &own_names,
        );
        if !tampered.is_empty() {
            forget_submission_builds(&target_dir, build.generated_dir);
            return Ok(BuildOutcome::Failed {
                compiler_output: format!(
                    "not graded: while the submission compiled, files of the build folder that \
                     belong to no crate cargo compiled were changed (a build script writing \
                     where it has no business to): {}. The grader refused the build and \
                     removed the build folder.",
                    tampered
                        .iter()
                        .take(3)
                        .map(|path| path
                            .strip_prefix(&target_dir)
                            .unwrap_or(path)
                            .display()
                            .to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                duration: started.elapsed(),
            });
        }
        if let Some(failure) = alone.failure(build.dropped_dependencies) {
            return Ok(BuildOutcome::Failed {
                compiler_output: failure,
                duration: started.elapsed(),
            });
        }
    }

    write_if_changed(
        &build.generated_dir.join("Cargo.toml"),
        &(build.manifest_with)(build.suite_main)?,
    )?;
    let mut readable = build_readable_paths(course_root, build.generated_dir);
    readable.push(request.lab.suite_dir(course_root));
    let with_suite = run_cargo_sandboxed(build, &target_dir, readable, writable)?;
    if with_suite.recompiled_submission {
        // Its build script ran where it could read the suite, and could
        // have left what it read anywhere in the build folder.
        forget_submission_builds(&target_dir, build.generated_dir);
        return Ok(BuildOutcome::Failed {
            compiler_output: "not graded: the submission was compiled a second time once the \
                              hidden suite was in the build, where its build script could read \
                              the suite, so the grader refused it. A build script that asks to \
                              run on every build does this (`cargo:rerun-if-changed` naming a \
                              file that does not exist, or a file it writes itself); make it \
                              rerun only when its own inputs change, or remove it."
                .to_owned(),
            duration: started.elapsed(),
        });
    }
    if let Some(failure) = with_suite.failure(build.dropped_dependencies) {
        return Ok(BuildOutcome::Failed {
            compiler_output: failure,
            duration: started.elapsed(),
        });
    }
    // Nor may a submission's compiled code stay for the next one to read.
    for file in &with_suite.submission_files {
        let _ = std::fs::remove_file(file);
    }
    take_out_of_build_folder(
        &target_dir,
        &grader_target_dir(course_root)
            .join("submissions")
            .join(build.package_name),
        build.package_name,
        build.worker_source.is_some(),
        started.elapsed(),
    )
}

/// Moves a submission's suite binary (and worker program) out of the
/// submissions' build folder into `dest`, and removes cargo's other copy of
/// them: a compiled hidden suite must not stay where a later submission's
/// build script can read it, and a build folder removed after a refused
/// build must not take a suite still waiting to run (a batch builds ahead)
/// with it.
fn take_out_of_build_folder(
    target_dir: &Path,
    dest: &Path,
    package_name: &str,
    has_worker: bool,
    duration: Duration,
) -> Result<BuildOutcome, Error> {
    let BuildOutcome::Built(in_place) = built(target_dir, package_name, has_worker, duration)
    else {
        unreachable!("built() always describes a built suite");
    };
    std::fs::create_dir_all(dest).map_err(|source| io_error("create", dest, source))?;
    let mut moved = Vec::new();
    for program in std::iter::once(&in_place.binary).chain(in_place.worker.as_ref()) {
        let file_name = program.file_name().unwrap_or_default();
        let target = dest.join(file_name);
        std::fs::rename(program, &target)
            .map_err(|source| io_error("move the built suite out of", target_dir, source))?;
        moved.push(target);
    }
    // Cargo's copy under deps/ (the uplifted one was a link to it).
    let stem = package_name.replace('-', "_");
    if let Ok(entries) = std::fs::read_dir(target_dir.join("release").join("deps")) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&stem) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let mut moved = moved.into_iter();
    Ok(BuildOutcome::Built(BuiltSuite {
        binary: moved.next().expect("the suite binary was moved"),
        worker: moved.next(),
        duration,
    }))
}

/// Submission builds of this process, one at a time (see
/// [`unexplained_changes`]).
static SUBMISSION_BUILDS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Removes the submissions' build folder and the generated package after a
/// build that may have left something in them: the next submission starts
/// from nothing it could read or would link.
fn forget_submission_builds(target_dir: &Path, generated_dir: &Path) {
    let _ = std::fs::remove_dir_all(target_dir);
    let _ = std::fs::remove_dir_all(generated_dir);
}

/// What a submission's build may read besides the system: the toolchain,
/// the course's public `labs/`, every crate the generated package reaches by path (found by following
/// the manifests, workspace inheritance included) with each manifest cargo
/// looks for above them, and the staged submission. Nothing under the
/// course's hidden places (the suites, the solutions, the fixtures, its
/// target folder, version control) even when a crate's folder holds them:
/// such a folder is opened entry by entry instead.
fn build_readable_paths(course_root: &Path, generated_dir: &Path) -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let from_env_or_home = |variable: &str, folder: &str| {
        std::env::var_os(variable)
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|home| home.join(folder)))
    };
    let mut paths: Vec<PathBuf> = [
        from_env_or_home("CARGO_HOME", ".cargo"),
        from_env_or_home("RUSTUP_HOME", ".rustup"),
    ]
    .into_iter()
    .flatten()
    .collect();
    // The student crates and their shared crates are public: the students'
    // repository holds them all (the reference includes files of its
    // student crate by path).
    paths.push(course_root.join("labs"));
    let hidden: Vec<PathBuf> = [
        course_root.join("grader").join("suites"),
        course_root.join("grader").join("fixtures"),
        course_root.join("solutions"),
        course_root.join("target"),
        course_root.join(".git"),
    ]
    .iter()
    .map(|path| path.canonicalize().unwrap_or_else(|_| path.clone()))
    .collect();
    for crate_dir in path_dependency_closure(generated_dir) {
        if crate_dir == generated_dir {
            continue;
        }
        paths.extend(readable_except(&crate_dir, &hidden));
        for ancestor in crate_dir.ancestors().skip(1) {
            for file in ["Cargo.toml", "Cargo.lock"] {
                if ancestor.join(file).is_file() {
                    paths.push(ancestor.join(file));
                }
            }
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

/// `dir` itself when nothing hidden lies in it; otherwise its entries, each
/// judged the same way, leaving the hidden ones out.
fn readable_except(dir: &Path, hidden: &[PathBuf]) -> Vec<PathBuf> {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if hidden.contains(&dir) {
        return Vec::new();
    }
    if !hidden.iter().any(|secret| secret.starts_with(&dir)) {
        return vec![dir];
    }
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| readable_except(&entry.path(), hidden))
        .collect()
}

/// The folders of every crate reachable by path dependencies (normal and
/// build) from the package in `start`, itself included. A dependency
/// inherited from a workspace (`name.workspace = true`) is looked up in the
/// nearest manifest above the crate that has a `[workspace]`.
fn path_dependency_closure(start: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut queue = vec![start.to_path_buf()];
    while let Some(dir) = queue.pop() {
        let dir = dir.canonicalize().unwrap_or(dir);
        if found.contains(&dir) {
            continue;
        }
        found.push(dir.clone());
        let Ok(manifest) = read_manifest(&dir.join("Cargo.toml")) else {
            continue;
        };
        let workspace = dir.ancestors().skip(1).find_map(|ancestor| {
            let manifest = read_manifest(&ancestor.join("Cargo.toml")).ok()?;
            let dependencies = manifest
                .get("workspace")?
                .get("dependencies")
                .and_then(Value::as_table)
                .cloned()
                .unwrap_or_default();
            Some((ancestor.to_path_buf(), dependencies))
        });
        let mut tables: Vec<&Table> = Vec::new();
        for kind in ["dependencies", "build-dependencies"] {
            if let Some(table) = manifest.get(kind).and_then(Value::as_table) {
                tables.push(table);
            }
        }
        if let Some(targets) = manifest.get("target").and_then(Value::as_table) {
            for target in targets.values().filter_map(Value::as_table) {
                for kind in ["dependencies", "build-dependencies"] {
                    if let Some(table) = target.get(kind).and_then(Value::as_table) {
                        tables.push(table);
                    }
                }
            }
        }
        for (name, spec) in tables.into_iter().flatten() {
            if let Some(path) = spec.get("path").and_then(Value::as_str) {
                queue.push(dir.join(path));
            } else if spec.get("workspace").and_then(Value::as_bool) == Some(true)
                && let Some((root, dependencies)) = &workspace
                && let Some(path) = dependencies
                    .get(name)
                    .and_then(|spec| spec.get("path"))
                    .and_then(Value::as_str)
            {
                queue.push(root.join(path));
            }
        }
    }
    found
}

/// What one sandboxed cargo run said.
struct CargoRun {
    success: bool,
    /// Everything but cargo's JSON messages: progress and diagnostics.
    text: String,
    /// Cargo compiled the staged submission (or ran its build script).
    recompiled_submission: bool,
    timed_out: bool,
    /// The hashes cargo puts in the file names of every unit it compiled or
    /// whose build script it ran in this run: the files it may have written.
    units_written: std::collections::BTreeSet<String>,
    /// The compiled files of the submission's own crate.
    submission_files: Vec<PathBuf>,
}

impl CargoRun {
    /// The message of a failed build, or `None` when it succeeded.
    fn failure(&self, dropped_dependencies: &[String]) -> Option<String> {
        if self.success {
            return None;
        }
        let mut message = if self.timed_out {
            format!(
                "the build was stopped after {} minutes: a build script or macro that never \
                 ends?\n",
                SUBMISSION_BUILD_TIMEOUT.as_secs() / 60
            )
        } else {
            String::new()
        };
        message.push_str(&compiler_messages(&self.text));
        if !dropped_dependencies.is_empty() {
            message.push_str(&format!(
                "\nnote: submissions are built with the dependencies the lab allows; this \
                 submission's Cargo.toml also names {}, which were left out.\n",
                dropped_dependencies.join(", ")
            ));
        }
        Some(message)
    }
}

fn run_cargo_sandboxed(
    build: &SubmissionBuild<'_>,
    target_dir: &Path,
    read: Vec<PathBuf>,
    write: Vec<PathBuf>,
) -> Result<CargoRun, Error> {
    let request = build.request;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let cargo_path = PathBuf::from(&cargo);
    let mut args: Vec<std::ffi::OsString> = vec![
        "build".into(),
        "--release".into(),
        "--offline".into(),
        "--color=never".into(),
        "--message-format=json-render-diagnostics".into(),
    ];
    if request.variant == SuiteVariant::Exploring {
        args.push("--features".into());
        args.push(EXPLORE_FEATURE.into());
    }
    args.push("--manifest-path".into());
    args.push(build.generated_dir.join("Cargo.toml").into());
    args.push("--target-dir".into());
    args.push(target_dir.into());
    let mut read = read;
    if cargo_path.is_absolute() {
        read.push(cargo_path.clone());
    }
    let policy = crate::sandbox::Policy {
        limits: crate::sandbox::Limits::for_build(SUBMISSION_BUILD_TIMEOUT),
        read,
        write,
        run_as_nobody: false,
        inherit_env: crate::sandbox::BUILD_ENV,
    };
    let observed = crate::process::supervise(&crate::process::ChildSpec {
        program: &cargo_path,
        args,
        // No incremental caches: their file names carry no unit hash, so a
        // write to another crate's cache could not be told from cargo's
        // own (see `unexplained_changes`), and a later compile would reuse it.
        env: vec![("CARGO_INCREMENTAL".into(), "0".into())],
        timeout: SUBMISSION_BUILD_TIMEOUT,
        secret: None,
        output_cap: 8 * 1024 * 1024,
        report_cap: 0,
        separate_stdout: true,
        echo_output: false,
        policy,
    })
    .map_err(|source| {
        io_error(
            "run cargo (sandboxed) to build",
            build.generated_dir,
            source,
        )
    })?;
    // Cargo's JSON messages come on stdout, its progress and diagnostics on
    // stderr: kept apart, a long message is never cut by a line of stderr.
    let messages = String::from_utf8_lossy(&observed.stdout);
    let text = String::from_utf8_lossy(&observed.output).into_owned();
    if request.echo_progress {
        eprint!("{text}");
    }
    let staged = build.staged_dir.to_string_lossy();
    let mut recompiled_submission = false;
    let mut units_written = std::collections::BTreeSet::new();
    let mut submission_files = Vec::new();
    for line in messages.lines() {
        if let Ok(message) = serde_json::from_str::<serde_json::Value>(line) {
            let about_submission = message["package_id"]
                .as_str()
                .is_some_and(|id| id.contains(staged.as_ref()));
            // A build script runs only for a library compiled anew, so
            // a fresh library means nothing of the submission ran.
            if about_submission
                && message["reason"] == "compiler-artifact"
                && message["fresh"] == false
            {
                recompiled_submission = true;
            }
            if about_submission && message["reason"] == "compiler-artifact" {
                submission_files.extend(
                    message["filenames"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(serde_json::Value::as_str)
                        .map(PathBuf::from),
                );
            }
            let rebuilt = message["reason"] == "compiler-artifact" && message["fresh"] == false;
            let script_ran = message["reason"] == "build-script-executed";
            // The submission's own units may change in any run (cargo
            // links its build script's program anew, for one).
            if rebuilt || script_ran || about_submission {
                let paths = message["filenames"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .chain(std::iter::once(&message["out_dir"]))
                    .filter_map(serde_json::Value::as_str);
                for path in paths {
                    units_written.extend(unit_hashes(Path::new(path)));
                }
            }
        }
    }
    Ok(CargoRun {
        success: observed.exit == crate::process::Exit::Code(0),
        text,
        recompiled_submission,
        timed_out: observed.exit == crate::process::Exit::TimedOut,
        units_written,
        submission_files,
    })
}

/// The unit hashes in a path cargo wrote: the 16 hexadecimal digits after
/// the last `-` of a file or folder name (`liblab1_threads-0f3a....rlib`,
/// `build/lab1-threads-9b1c.../out`).
fn unit_hashes(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|component| {
            let name = component.as_os_str().to_str()?;
            let (_, tail) = name.rsplit_once('-')?;
            let hash = tail.split('.').next()?;
            (hash.len() == 16 && hash.bytes().all(|byte| byte.is_ascii_hexdigit()))
                .then(|| hash.to_owned())
        })
        .collect()
}

/// What is known of each file under a folder: enough to see any write.
/// The change time cannot be set by a process, so a file rewritten and
/// given its old modification time back still shows.
type FolderSnapshot = std::collections::BTreeMap<PathBuf, (u64, u64, i64, i64, i64, i64)>;

fn snapshot(dir: &Path) -> FolderSnapshot {
    use std::os::unix::fs::MetadataExt;
    let mut files = FolderSnapshot::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(metadata) = entry.path().symlink_metadata() else {
                continue;
            };
            if metadata.is_dir() {
                pending.push(entry.path());
            } else {
                files.insert(
                    entry.path(),
                    (
                        metadata.ino(),
                        metadata.size(),
                        metadata.mtime(),
                        metadata.mtime_nsec(),
                        metadata.ctime(),
                        metadata.ctime_nsec(),
                    ),
                );
            }
        }
    }
    files
}

/// The files a build changed (written, made or removed) that belong to no
/// unit cargo compiled: what a build script wrote where it had no business
/// to (another crate's compiled library, a stash of what it read).
fn unexplained_changes(
    before: &FolderSnapshot,
    after: &FolderSnapshot,
    units_written: &std::collections::BTreeSet<String>,
    own_names: &[String],
) -> Vec<PathBuf> {
    let changed = after
        .iter()
        .filter(|(path, state)| before.get(*path) != Some(state))
        .map(|(path, _)| path)
        .chain(before.keys().filter(|path| !after.contains_key(*path)));
    changed
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("");
            // Cargo's own records: lock, compiler facts, and the
            // fingerprints (named by a hash of their own, and holding no
            // code: a forged one at most makes cargo compile a crate again).
            let bookkeeping = [".cargo-lock", ".rustc_info.json", "CACHEDIR.TAG"].contains(&name)
                || path
                    .components()
                    .any(|component| component.as_os_str() == ".fingerprint");
            // The generated package's own binaries: their file names carry
            // the package's name, in either spelling (the uplifted copies
            // carry no hash).
            let generated = path.components().any(|component| {
                let component = component.as_os_str().to_string_lossy();
                own_names.iter().any(|own| {
                    component.starts_with(own.as_str())
                        || component.starts_with(&own.replace('-', "_"))
                })
            });
            let from_a_unit = unit_hashes(path)
                .iter()
                .any(|hash| units_written.contains(hash));
            !(bookkeeping || generated || from_a_unit)
        })
        .cloned()
        .collect()
}

/// Cargo's output without its progress lines, which say nothing about why
/// a build failed.
fn compiler_messages(output: &str) -> String {
    output
        .lines()
        .filter(|line| !is_progress_line(line))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Lines of cargo's that say nothing about why a build failed.
pub(crate) fn is_progress_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    [
        "Compiling ",
        "Updating ",
        "Locking ",
        "Adding ",
        "Downloaded ",
        "Downloading ",
        "Blocking waiting",
        "Finished ",
        "Executable ",
    ]
    .iter()
    .any(|progress| trimmed.starts_with(progress))
}

/// The sources of the generated package's binaries.
#[derive(Debug, Clone, Copy)]
struct BinSources<'a> {
    /// The hidden suite's `main.rs`, or the placeholder standing in for it.
    suite_main: &'a Path,
    /// The lab's worker program, for labs whose code starts processes.
    worker: Option<&'a Path>,
}

fn worker_bin_name(package_name: &str) -> String {
    format!("{package_name}-worker")
}

/// The `main` of the lab's worker program: a call of the implementation's
/// `worker_main`, so the program is built from the graded code whatever
/// the submission's own `src/main.rs` holds.
pub(crate) fn worker_program_source(lab: &Lab, worker_main: &str) -> Result<String, Error> {
    let is_rust_path = !worker_main.is_empty()
        && worker_main.split("::").all(|segment| {
            let mut chars = segment.chars();
            chars
                .next()
                .is_some_and(|first| first == '_' || first.is_ascii_alphabetic())
                && chars.all(|rest| rest == '_' || rest.is_ascii_alphanumeric())
        });
    if !is_rust_path {
        return Err(Error::new(ErrorKind::InvalidCourse {
            path: PathBuf::from(crate::course::COURSE_FILE),
            message: format!(
                "{}: worker_main = \"{worker_main}\" is not a path to a function in the lab's \
                 crate (write it like `worker_main` or `processes::worker_main`)",
                lab.id()
            ),
        }));
    }
    Ok(format!(
        "// Generated by the grader: the worker program of {}, built from the graded crate.\n\
         fn main() -> std::process::ExitCode {{\n    ::{}::{worker_main}()\n}}\n",
        lab.id(),
        lab.lib_name()
    ))
}

/// The generated package: the suite's binary and dependencies, with the
/// implementation swapped in.
fn generated_manifest(
    course_root: &Path,
    lab: &Lab,
    implementation: &ImplementationInfo,
    package_name: &str,
    optimize_suite_code: bool,
    graded_once: bool,
    sources: BinSources<'_>,
) -> Result<String, Error> {
    let BinSources {
        suite_main,
        worker: worker_source,
    } = sources;
    let suite_dir = lab.suite_dir(course_root);
    let suite_manifest_path = suite_dir.join("Cargo.toml");
    let suite_manifest = read_manifest(&suite_manifest_path)?;
    let workspace_manifest_path = course_root.join("Cargo.toml");
    let workspace_manifest = read_manifest(&workspace_manifest_path)?;
    let workspace_dependencies = workspace_manifest
        .get("workspace")
        .and_then(|workspace| workspace.get("dependencies"))
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();

    let lib_name = lab.lib_name();
    let mut dependencies = Table::new();
    let suite_dependencies = suite_manifest
        .get("dependencies")
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();
    if !suite_dependencies.contains_key(&lib_name) {
        return Err(invalid_course(
            &suite_manifest_path,
            format!(
                "the hidden suite must depend on the implementation under the name `{lib_name}`"
            ),
        ));
    }
    for (name, spec) in suite_dependencies {
        let resolved = if name == lib_name {
            let mut table = Table::new();
            table.insert("package".into(), implementation.package.clone().into());
            table.insert("path".into(), path_value(&implementation.path));
            Value::Table(table)
        } else {
            resolve_dependency(
                &name,
                spec,
                &suite_dir,
                course_root,
                &workspace_dependencies,
            )
            .map_err(|message| invalid_course(&suite_manifest_path, message))?
        };
        dependencies.insert(name, resolved);
    }

    let mut package = Table::new();
    package.insert("name".into(), package_name.into());
    package.insert("version".into(), "0.0.0".into());
    package.insert("edition".into(), "2024".into());
    package.insert("publish".into(), false.into());
    let mut bin = Table::new();
    bin.insert("name".into(), package_name.into());
    bin.insert("path".into(), path_value(suite_main));
    // The suite is built optimized (schedule exploration and timing lessons
    // need it) but keeps the checks a student's bug should trip.
    let mut release = Table::new();
    release.insert("opt-level".into(), 2.into());
    release.insert("debug-assertions".into(), true.into());
    release.insert("overflow-checks".into(), true.into());
    release.insert("incremental".into(), true.into());
    release.insert("debug".into(), "line-tables-only".into());
    release.insert("panic".into(), "unwind".into());
    let mut packages = Table::new();
    // Dependencies build without debug info: their line numbers help
    // nobody reading a test's failure, and leaving them out shortens the
    // first build of every target folder. The graded crate and the suite
    // keep theirs (below).
    let mut dependencies_settings = Table::new();
    dependencies_settings.insert("debug".into(), false.into());
    packages.insert("*".to_owned(), Value::Table(dependencies_settings));
    // The grader's own code in a suite binary (the harness) does no work
    // worth optimizing, and the crates it needs only for grading (reading
    // manifests, drawing charts) are never called there; building them
    // unoptimized takes the longest units off the first build's critical
    // path (the grader crate alone took 19 s of 131 s).
    for not_measured in GRADING_ONLY_PACKAGES {
        let mut settings = Table::new();
        settings.insert("opt-level".into(), 0.into());
        settings.insert("debug".into(), false.into());
        packages.insert((*not_measured).to_owned(), Value::Table(settings));
    }
    let mut implementation_settings = Table::new();
    implementation_settings.insert("debug".into(), "line-tables-only".into());
    let mut suite_package = Table::new();
    if !optimize_suite_code {
        // The suite's own code is scenario glue; the time goes to the
        // implementation (and the scheduler, when exploring), which stay
        // optimized. Not optimizing the suite crate itself cuts its compile
        // time by about three quarters (17.5 s to 4.8 s of CPU for the
        // exploring build of lab 3; 14 s to 3 s of wall time for its native
        // build), which every newly graded submission pays. Only timing
        // experiments, whose loops live in the suite, need it optimized.
        suite_package.insert("opt-level".into(), 0.into());
    }
    if graded_once {
        // A submitted folder is usually graded once (an autograder, a
        // batch), so an incremental cache for it is written and never read,
        // and nobody reads its backtraces. Without either, a lab 3 suite
        // builds in 3.1 s instead of 4.0 s. Dependencies keep the shared
        // profile, so their compiled copies stay shared.
        let lean = |mut settings: Table| {
            settings.insert("incremental".into(), false.into());
            settings.insert("debug".into(), false.into());
            settings
        };
        implementation_settings = lean(implementation_settings);
        suite_package = lean(suite_package);
    }
    packages.insert(
        implementation.package.clone(),
        Value::Table(implementation_settings),
    );
    if !suite_package.is_empty() {
        packages.insert(package_name.to_owned(), Value::Table(suite_package));
    }
    if !packages.is_empty() {
        release.insert("package".into(), Value::Table(packages));
    }
    let mut profile = Table::new();
    profile.insert("release".into(), Value::Table(release));

    let mut manifest = Table::new();
    manifest.insert("package".into(), Value::Table(package));
    let mut bins = vec![Value::Table(bin)];
    if let Some(worker_source) = worker_source {
        let mut worker_bin = Table::new();
        worker_bin.insert("name".into(), worker_bin_name(package_name).into());
        worker_bin.insert("path".into(), path_value(worker_source));
        bins.push(Value::Table(worker_bin));
    }
    manifest.insert("bin".into(), Value::Array(bins));
    manifest.insert("dependencies".into(), Value::Table(dependencies));
    if let Some(features) = suite_manifest.get("features") {
        manifest.insert("features".into(), features.clone());
    }
    manifest.insert("profile".into(), Value::Table(profile));
    // An empty workspace table makes this package its own workspace, even
    // though it sits inside the course's folder.
    manifest.insert("workspace".into(), Value::Table(Table::new()));
    Ok(format!(
        "# Generated by the grader for {} from {}; do not edit.\n{}",
        lab.id(),
        suite_manifest_path.display(),
        toml::to_string(&manifest).expect("a TOML table always serializes")
    ))
}

/// Makes one suite dependency usable from the generated package: relative
/// paths become absolute and `workspace = true` is replaced by the
/// workspace's declaration.
pub(crate) fn resolve_dependency(
    name: &str,
    spec: Value,
    suite_dir: &Path,
    course_root: &Path,
    workspace_dependencies: &Table,
) -> Result<Value, String> {
    let Value::Table(mut table) = spec else {
        return Ok(spec); // A bare version string.
    };
    if table.get("workspace").and_then(Value::as_bool) == Some(true) {
        table.remove("workspace");
        let inherited = workspace_dependencies.get(name).ok_or_else(|| {
            format!("`{name}` says workspace = true but the workspace does not declare it")
        })?;
        let mut merged = match inherited {
            Value::String(version) => {
                let mut merged = Table::new();
                merged.insert("version".into(), version.clone().into());
                merged
            }
            Value::Table(inherited) => inherited.clone(),
            _ => {
                return Err(format!(
                    "the workspace's `{name}` dependency is neither a version nor a table"
                ));
            }
        };
        if let Some(Value::Array(extra)) = table.remove("features") {
            let features = merged
                .entry("features")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(features) = features {
                features.extend(extra);
            }
        }
        merged.extend(table);
        if let Some(Value::String(path)) = merged.get("path").cloned() {
            merged.insert("path".into(), path_value(&course_root.join(path)));
        }
        return Ok(Value::Table(merged));
    }
    if let Some(Value::String(path)) = table.get("path").cloned() {
        let absolute = suite_dir.join(path);
        table.insert(
            "path".into(),
            path_value(&absolute.canonicalize().unwrap_or(absolute)),
        );
    }
    Ok(Value::Table(table))
}

pub(crate) fn read_manifest(path: &Path) -> Result<Table, Error> {
    std::fs::read_to_string(path)
        .map_err(|source| io_error("read", path, source))?
        .parse()
        .map_err(|err| invalid_course(path, format!("not valid TOML: {err}")))
}

fn path_value(path: &Path) -> Value {
    Value::String(path.to_string_lossy().into_owned())
}

pub(crate) fn write_if_changed(path: &Path, contents: &str) -> Result<(), Error> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    let dir = path.parent().expect("a generated file has a folder");
    std::fs::create_dir_all(dir).map_err(|source| io_error("create", dir, source))?;
    crate::results::write_atomically(path, contents.as_bytes())
}

fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> Error {
    Error::new(ErrorKind::Io {
        action,
        path: path.to_path_buf(),
        source,
    })
}

fn invalid_course(path: &Path, message: String) -> Error {
    Error::new(ErrorKind::InvalidCourse {
        path: path.to_path_buf(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_outside_the_units_cargo_compiled_is_unexplained() {
        let dir = tempfile::tempdir().unwrap();
        let deps = dir.path().join("release/deps");
        std::fs::create_dir_all(&deps).unwrap();
        let grader_lib = deps.join("libgrader-00112233aabbccdd.rlib");
        let submission_lib = deps.join("liblab1_threads-0123456789abcdef.rlib");
        std::fs::write(&grader_lib, "harness").unwrap();
        std::fs::write(&submission_lib, "old").unwrap();
        let before = snapshot(dir.path());
        let compiled: std::collections::BTreeSet<String> =
            unit_hashes(&submission_lib).into_iter().collect();
        assert_eq!(compiled.len(), 1);
        let own = ["lab1-suite-submission-1".to_owned()];

        // Cargo rewrote the submission's library and the package's binary.
        std::fs::write(&submission_lib, "new").unwrap();
        std::fs::write(dir.path().join("release/lab1-suite-submission-1"), "bin").unwrap();
        std::fs::write(dir.path().join("release/.cargo-lock"), "").unwrap();
        assert!(unexplained_changes(&before, &snapshot(dir.path()), &compiled, &own).is_empty());

        // Cargo wrote the submission's dependency list before a compile
        // error, under the lab's library name.
        std::fs::write(deps.join("lab1_threads-fedcba9876543210.d"), "deps").unwrap();
        let own = [
            "lab1-suite-submission-1".to_owned(),
            "lab1_threads-".to_owned(),
            "liblab1_threads-".to_owned(),
        ];
        assert!(unexplained_changes(&before, &snapshot(dir.path()), &compiled, &own).is_empty());

        // A build script replaced the grader's compiled harness, same size,
        // and left a stash of what it read.
        std::fs::write(&grader_lib, "forged!").unwrap();
        std::fs::write(dir.path().join("stash.txt"), "hidden").unwrap();
        let unexplained = unexplained_changes(&before, &snapshot(dir.path()), &compiled, &own);
        assert_eq!(
            unexplained,
            [
                dir.path()
                    .join("release/deps/libgrader-00112233aabbccdd.rlib"),
                dir.path().join("stash.txt")
            ]
        );
    }

    fn lab6() -> Lab {
        let course = Course::parse(
            r#"
title = "t"
[[labs]]
number = 6
slug = "monte-carlo"
crate = "lab6-monte-carlo"
default_timeout_secs = 10
worker_main = "worker_main"
tests = []
"#,
        )
        .unwrap();
        course.labs[0].clone()
    }

    #[test]
    fn the_worker_program_calls_the_graded_crates_worker_main() {
        let source = worker_program_source(&lab6(), "processes::worker_main").unwrap();
        assert!(
            source.contains("::lab6_monte_carlo::processes::worker_main()"),
            "{source}"
        );
    }

    #[test]
    fn a_worker_main_that_is_not_a_rust_path_is_refused() {
        for bad in [
            "",
            "worker main",
            "worker_main()",
            "a::",
            "1st",
            "x; std::process::exit(0)",
        ] {
            let err = worker_program_source(&lab6(), bad).unwrap_err().to_string();
            assert!(err.contains("worker_main"), "{bad:?}: {err}");
        }
    }
}
