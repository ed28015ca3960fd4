//! `cargo xtask grade-batch`: every submission in a folder, one gradebook.
//!
//! This module owns the batch around the grader: finding each student's
//! submission (a folder, or an archive unpacked by [`crate::archive`]),
//! finding the crate inside it, deciding which submissions need grading
//! (a fingerprint of what was graded is kept next to its results), grading
//! them one after another through [`grader::grade::grade`], and writing
//! `gradebook.csv` after every finished submission. It decides no verdict
//! and runs no test itself.
//!
//! One student's failure (an archive that is refused, no crate, a crate
//! that does not compile, tests that hang or crash) is that student's row
//! in the gradebook, never the batch's end.
//!
//! To save time, the next submissions are compiled, one after another,
//! while the current one's tests run, but only once its `alone` tests are
//! done (the runner runs them first); no new build starts once its tests
//! are over, and the one under way is waited for before any timing
//! experiment starts, so nothing timed ever shares the machine with a
//! compiler.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use grader::build::Implementation;
use grader::course::{Course, Lab};
use grader::experiment::BenchLevel;
use grader::formats::FileFormat;
use grader::grade::{GradeRequest, Progress};
use grader::results::{LabResults, RESULTS_FILE};
use grader::runner::Outcome;

use crate::archive::{self, ArchiveKind, Limits};

/// How many submissions past the one being graded are prepared, and may be
/// compiled while its tests run. More pays off when tests wait (a hang
/// waits for its timeout while the machine idles); each one prepared is
/// one whose old results an interruption leaves cleared.
const BUILD_AHEAD: usize = 3;
/// The gradebook's file name in the batch's output folder.
pub(crate) const GRADEBOOK_FILE: &str = "gradebook.csv";
/// What was graded for one student (source, fingerprint, times), next to
/// that student's `results.json`.
pub(crate) const RECORD_FILE: &str = "submission.json";
/// The folder an archive is unpacked into, inside the student's folder.
pub(crate) const UNPACKED_DIR: &str = "submission";
/// The version of [`RECORD_FILE`]'s schema.
const RECORD_SCHEMA_VERSION: u64 = 1;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every entry of SUBMISSIONS_DIR is one student's submission: a folder, or \
                        a .zip, .tar, .tar.gz or .tgz archive; the student's name is the folder's \
                        name or the archive's without its extension. Hidden entries (.git, \
                        .DS_Store) are skipped. Inside a submission, the crate is the folder \
                        holding Cargo.toml, at the top or one folder down.\n\n\
                        OUT/<student>/ gets that student's results.json and timing.json (and \
                        the --format files), with the unpacked archive in OUT/<student>/submission/. \
                        OUT/gradebook.csv has the columns student, score, max, status, message, \
                        then the points earned in each test in course.toml's order (empty where \
                        a test has no verdict). status is graded, build_failed (score 0), \
                        incomplete (interrupted), error (not gradable: the message says why; no \
                        score) or not_graded (the batch stopped before it). The gradebook is \
                        rewritten after every submission, so an interrupted batch keeps what it \
                        has; running the command again skips every submission graded before \
                        when neither its files nor course.toml, the hidden suite or the grader \
                        changed since.\n\n\
                        Exit status: 0 the batch ran (whatever the students scored), 1 it was \
                        interrupted before every submission was graded, 2 usage error or the \
                        gradebook could not be written."
)]
pub(crate) struct GradeBatchArgs {
    /// The lab every submission is graded for (lab4, 4, queues).
    #[arg(long, value_name = "LAB")]
    lab: String,
    /// The folder holding one folder or archive per student.
    #[arg(value_name = "SUBMISSIONS_DIR")]
    submissions_dir: PathBuf,
    /// How many tests run at once [default: the number of cores]. Tests the
    /// course marks `alone` always run alone.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Where the per-student folders and gradebook.csv go [default:
    /// target/grade-batch/<lab>/]. Must be new, empty, or a previous
    /// batch's folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Regrade every submission. Without it, a submission graded before is
    /// regraded only if its files, course.toml, the lab's hidden suite or
    /// the grader changed since.
    #[arg(long)]
    force: bool,
    /// Extra files in each student's folder, comma-separated or repeated:
    /// gradescope (gradescope.json), junit (junit.xml), markdown
    /// (summary.md).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMAT")]
    format: Vec<BatchFormat>,
    /// Multiply every test's timeout by FACTOR (for a slow machine).
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0)]
    timeout_scale: f64,
    /// Timing experiments after each submission's tests: off, quick or
    /// full. Timing is not grading, so the default is off; a lab's speed
    /// tests (course.toml `speed`) run the experiments they need anyway,
    /// with nothing else running.
    #[arg(long, value_enum, default_value_t = BatchBench::Off, value_name = "LEVEL")]
    bench: BatchBench,
}

/// The files `--format` may add to a student's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BatchFormat {
    /// Gradescope's results schema, gradescope.json.
    Gradescope,
    /// JUnit XML for CI test reporters, junit.xml.
    Junit,
    /// The score table and timing summary, summary.md.
    Markdown,
}

impl From<BatchFormat> for FileFormat {
    fn from(format: BatchFormat) -> FileFormat {
        match format {
            BatchFormat::Gradescope => FileFormat::Gradescope,
            BatchFormat::Junit => FileFormat::Junit,
            BatchFormat::Markdown => FileFormat::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BatchBench {
    Off,
    Quick,
    Full,
}

impl From<BatchBench> for BenchLevel {
    fn from(choice: BatchBench) -> BenchLevel {
        match choice {
            BatchBench::Off => BenchLevel::Off,
            BatchBench::Quick => BenchLevel::Quick,
            BatchBench::Full => BenchLevel::Full,
        }
    }
}

/// What every grade of the batch shares.
struct Settings<'a> {
    course: &'a Course,
    lab: &'a Lab,
    out_dir: PathBuf,
    jobs: usize,
    timeout_scale: f64,
    bench: BenchLevel,
    file_formats: Vec<FileFormat>,
    /// Timing experiments run after a submission's tests (asked for, or
    /// needed by speed tests): the next submission's build must be over by
    /// then.
    experiments_follow: bool,
    /// What grades this lab (see [`grading_fingerprint`]): a grade made by
    /// another is not reused.
    grading_fingerprint: String,
}

pub(crate) fn run(course: &Course, args: GradeBatchArgs) -> Result<u8> {
    crate::dist::require_instructor_repository(course)?;
    if !(args.timeout_scale > 0.0 && args.timeout_scale.is_finite()) {
        bail!(
            "--timeout-scale must be a positive number, got {}",
            args.timeout_scale
        );
    }
    let lab = course.find_lab(&args.lab)?;
    if lab.tests.is_empty() {
        bail!(
            "{lab} declares no hidden tests in {}: grade-batch needs the course's own \
             course.toml, with the hidden suites (not a student repository's)",
            course.root.join("course.toml").display()
        );
    }
    let submissions_dir = args.submissions_dir.canonicalize().with_context(|| {
        format!(
            "SUBMISSIONS_DIR {}: no such folder",
            args.submissions_dir.display()
        )
    })?;
    if !submissions_dir.is_dir() {
        bail!(
            "SUBMISSIONS_DIR {} is not a folder; give the folder that holds one folder or \
             archive per student",
            submissions_dir.display()
        );
    }
    let out_dir = claim_out_dir(
        &args.out.clone().unwrap_or_else(|| {
            course
                .root
                .join("target")
                .join("grade-batch")
                .join(lab.id())
        }),
        &submissions_dir,
    )?;
    let mut file_formats: Vec<FileFormat> = Vec::new();
    for format in args.format.iter().map(|format| FileFormat::from(*format)) {
        if !file_formats.contains(&format) {
            file_formats.push(format);
        }
    }
    let bench = BenchLevel::from(args.bench);
    let settings = Settings {
        course,
        lab,
        out_dir,
        jobs: args
            .jobs
            .map(usize::from)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
        timeout_scale: args.timeout_scale,
        bench,
        file_formats,
        experiments_follow: bench != BenchLevel::Off
            || lab.tests.iter().any(|test| test.speed.is_some()),
        grading_fingerprint: grading_fingerprint(course, lab)?,
    };
    grader::process::install_interrupt_handlers();

    let found = discover(&submissions_dir)?;
    let mut batch = Batch::new(&settings, &found);
    let mut queue = sort_out(&settings, &mut batch, &found, args.force);
    batch.write_gradebook()?;
    for row in batch.rows.values() {
        if row.status == RowStatus::Error {
            batch.print_line(row, None);
        }
    }
    let ahead = grade_all(&settings, &mut batch, &mut queue)?;
    let interrupted = grader::process::is_interrupted();
    if interrupted {
        let not_graded: Vec<String> = ahead
            .iter()
            .map(|prepared| prepared.found.student.clone())
            .chain(queue.iter().map(|pending| pending.found.student.clone()))
            .collect();
        for student in &not_graded {
            batch.rows.insert(
                student.clone(),
                Row::not_graded(
                    student,
                    "the batch was interrupted before this submission; run it again to grade it",
                ),
            );
        }
        batch.write_gradebook()?;
        eprintln!(
            "interrupted: stopped after the submission that was being graded; {} not graded. \
             The gradebook keeps every finished submission; run the same command again to \
             grade the rest (finished ones are skipped).",
            not_graded.len()
        );
    }
    print!("{}", batch.summary());
    Ok(if interrupted {
        crate::EXIT_SOME_FAILED
    } else {
        crate::EXIT_ALL_PASSED
    })
}

/// Sorts the submissions found into rows known now (not gradable, or
/// graded before and unchanged: skipped, unless `force`) and the queue of
/// those to grade, in students' order.
fn sort_out(
    settings: &Settings<'_>,
    batch: &mut Batch<'_>,
    found: &[Found],
    force: bool,
) -> VecDeque<Pending> {
    let mut queue = VecDeque::new();
    let mut changed: Vec<&str> = Vec::new();
    let mut grading_changed: Vec<&str> = Vec::new();
    for submission in found {
        let fingerprint = match &submission.kind {
            SourceKind::NotGradable(message) => {
                batch.rows.insert(
                    submission.student.clone(),
                    Row::error(&submission.student, message.clone()),
                );
                continue;
            }
            SourceKind::Folder => folder_fingerprint(&submission.source),
            SourceKind::Archive(_) => file_fingerprint(&submission.source),
        };
        let fingerprint = match fingerprint {
            Ok(fingerprint) => fingerprint,
            Err(err) => {
                batch.rows.insert(
                    submission.student.clone(),
                    Row::error(&submission.student, format!("{err:#}")),
                );
                continue;
            }
        };
        if !force {
            match previous_grade(settings, &submission.student, &fingerprint) {
                Previous::Reusable(row) => {
                    batch.skipped.insert(submission.student.clone());
                    batch.rows.insert(submission.student.clone(), row);
                    continue;
                }
                Previous::SubmissionChanged => changed.push(submission.student.as_str()),
                Previous::GradingChanged => grading_changed.push(submission.student.as_str()),
                Previous::None => {}
            }
        }
        queue.push_back(Pending {
            found: submission.clone(),
            fingerprint,
        });
    }
    if !changed.is_empty() {
        eprintln!(
            "regrading {} whose files changed since they were graded: {}",
            changed.len(),
            changed.join(", ")
        );
    }
    if !grading_changed.is_empty() {
        eprintln!(
            "regrading {} graded before the hidden suite, the grader or course.toml changed: {}",
            grading_changed.len(),
            grading_changed.join(", ")
        );
    }
    if !batch.skipped.is_empty() {
        eprintln!(
            "skipped {} already graded, unchanged since (--force regrades them): {}",
            batch.skipped.len(),
            batch
                .skipped
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    queue
}

/// Grades the queue in order, each submission's row written to the
/// gradebook as it ends, until the queue is empty or the run is
/// interrupted. Returns the submissions prepared but not graded (after an
/// interruption).
fn grade_all(
    settings: &Settings<'_>,
    batch: &mut Batch<'_>,
    queue: &mut VecDeque<Pending>,
) -> Result<VecDeque<Prepared>> {
    // Submissions prepared (folder cleared, archive unpacked) ahead of
    // their grade, so that they can be compiled while earlier tests run.
    let mut ahead: VecDeque<Prepared> = VecDeque::new();
    // How long each submission built ahead took to build.
    let mut built_ahead: HashMap<String, Duration> = HashMap::new();
    loop {
        while ahead.len() <= BUILD_AHEAD && !grader::process::is_interrupted() {
            match prepare_next(settings, batch, queue)? {
                Some(prepared) => ahead.push_back(prepared),
                None => break,
            }
        }
        if grader::process::is_interrupted() {
            break;
        }
        let Some(prepared) = ahead.pop_front() else {
            break;
        };
        let to_build: Vec<&Prepared> = ahead
            .iter()
            .filter(|next| !built_ahead.contains_key(&next.found.student))
            .collect();
        let graded = grade_one(settings, &prepared, &to_build);
        built_ahead.extend(graded.built_ahead);
        let row = match graded.results {
            Ok(results) => {
                let times = Times {
                    grade: graded.wall,
                    build_in_grade: Duration::from_secs_f64(results.build.duration_secs),
                    build_ahead: built_ahead.remove(&prepared.found.student),
                };
                let row = Row::from_results(&prepared.found.student, settings.lab, &results);
                if results.complete && !results.interrupted {
                    write_record(settings, &prepared, &results, &times)?;
                }
                batch.print_line(&row, Some(&times));
                row
            }
            Err(_) if grader::process::is_interrupted() => {
                // Ctrl-C reached the grade before its tests (while it
                // listed them): nothing was graded.
                let row = Row {
                    status: RowStatus::Incomplete,
                    ..Row::error(
                        &prepared.found.student,
                        "interrupted before its tests ran; run the batch again to grade it"
                            .to_owned(),
                    )
                };
                batch.print_line(&row, None);
                row
            }
            Err(err) => {
                let row = Row::error(&prepared.found.student, grade_error_message(&err));
                batch.print_line(&row, None);
                row
            }
        };
        batch.rows.insert(prepared.found.student.clone(), row);
        batch.write_gradebook()?;
    }
    Ok(ahead)
}

/// Creates the output folder and checks it may be written: new, empty, or
/// a previous batch's (holding a gradebook), and not inside the submissions.
fn claim_out_dir(out_dir: &Path, submissions_dir: &Path) -> Result<PathBuf> {
    // Checked before anything is created, so that a wrong --out leaves the
    // submissions untouched.
    if resolved_path(out_dir)?.starts_with(submissions_dir) {
        bail!(
            "--out {} is inside SUBMISSIONS_DIR {}; it would be taken for a submission: choose a \
             folder outside it",
            out_dir.display(),
            submissions_dir.display()
        );
    }
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("could not create the output folder {}", out_dir.display()))?;
    let out_dir = out_dir
        .canonicalize()
        .with_context(|| format!("could not resolve {}", out_dir.display()))?;
    let has_gradebook = out_dir.join(GRADEBOOK_FILE).is_file();
    let is_empty = std::fs::read_dir(&out_dir)
        .with_context(|| format!("could not list {}", out_dir.display()))?
        .next()
        .is_none();
    if !has_gradebook && !is_empty {
        bail!(
            "{} holds files and no {GRADEBOOK_FILE}: grade-batch replaces the folder of every \
             student it grades there, so give it a new or empty folder (or a previous batch's \
             output) with --out",
            out_dir.display()
        );
    }
    Ok(out_dir)
}

/// `path` made absolute with links resolved, though it may not exist yet:
/// its deepest existing ancestor is resolved and the rest appended.
fn resolved_path(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path)
        .with_context(|| format!("could not resolve {}", path.display()))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name.to_owned());
        existing = parent;
    }
    let mut resolved = existing
        .canonicalize()
        .with_context(|| format!("could not resolve {}", existing.display()))?;
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// One entry of SUBMISSIONS_DIR.
#[derive(Debug, Clone)]
struct Found {
    student: String,
    /// The entry's name in SUBMISSIONS_DIR (`alice.zip`).
    source_name: String,
    source: PathBuf,
    kind: SourceKind,
}

#[derive(Debug, Clone)]
enum SourceKind {
    Folder,
    Archive(ArchiveKind),
    /// Not a submission the batch can grade; the message says why.
    NotGradable(String),
}

/// The entries of SUBMISSIONS_DIR in students' order; hidden ones left
/// out. Two entries with one student's name make one error row.
fn discover(submissions_dir: &Path) -> Result<Vec<Found>> {
    let entries = std::fs::read_dir(submissions_dir)
        .with_context(|| format!("could not list {}", submissions_dir.display()))?;
    let mut by_student: BTreeMap<String, Vec<Found>> = BTreeMap::new();
    for entry in entries {
        let entry =
            entry.with_context(|| format!("could not list {}", submissions_dir.display()))?;
        let source_name = entry.file_name().to_string_lossy().into_owned();
        if source_name.starts_with('.') {
            continue;
        }
        let source = entry.path();
        // Follows a link: an instructor may gather submissions by linking.
        let found = match std::fs::metadata(&source) {
            Ok(metadata) if metadata.is_dir() => Found {
                student: source_name.clone(),
                source_name,
                source,
                kind: SourceKind::Folder,
            },
            Ok(metadata) if metadata.is_file() => match ArchiveKind::of_file_name(&source_name) {
                Some((kind, stem)) => Found {
                    student: stem.to_owned(),
                    source_name: source_name.clone(),
                    source,
                    kind: SourceKind::Archive(kind),
                },
                None => Found {
                    student: Path::new(&source_name)
                        .file_stem()
                        .map_or(source_name.clone(), |stem| {
                            stem.to_string_lossy().into_owned()
                        }),
                    kind: SourceKind::NotGradable(format!(
                        "{source_name} is not a folder or a .zip, .tar, .tar.gz or .tgz archive"
                    )),
                    source_name,
                    source,
                },
            },
            Ok(_) => Found {
                student: source_name.clone(),
                kind: SourceKind::NotGradable(format!(
                    "{source_name} is not a folder or a regular file"
                )),
                source_name,
                source,
            },
            Err(err) => Found {
                student: source_name.clone(),
                kind: SourceKind::NotGradable(format!("{source_name} could not be read: {err}")),
                source_name,
                source,
            },
        };
        by_student
            .entry(found.student.clone())
            .or_default()
            .push(found);
    }
    let mut found = Vec::new();
    for (student, mut entries) in by_student {
        if entries.len() > 1 {
            entries.sort_by(|a, b| a.source_name.cmp(&b.source_name));
            let names: Vec<&str> = entries
                .iter()
                .map(|entry| entry.source_name.as_str())
                .collect();
            let mut merged = entries[0].clone();
            merged.kind = SourceKind::NotGradable(format!(
                "several submissions are named {student}: {}; keep one",
                names.join(", ")
            ));
            merged.source_name = names.join(", ");
            found.push(merged);
        } else if student == GRADEBOOK_FILE {
            let mut entry = entries.remove(0);
            entry.kind = SourceKind::NotGradable(format!(
                "a submission may not be named {GRADEBOOK_FILE} (the batch's own file); rename it"
            ));
            found.push(entry);
        } else {
            found.extend(entries);
        }
    }
    Ok(found)
}

/// A submission that needs grading.
struct Pending {
    found: Found,
    fingerprint: String,
}

/// A submission ready to grade: its folder in OUT cleared and its crate
/// found (an archive unpacked first).
struct Prepared {
    found: Found,
    fingerprint: String,
    student_dir: PathBuf,
    crate_dir: PathBuf,
}

/// Takes submissions off the queue until one is ready to grade; each one
/// that is not gradable becomes an error row on the way.
fn prepare_next(
    settings: &Settings<'_>,
    batch: &mut Batch<'_>,
    queue: &mut VecDeque<Pending>,
) -> Result<Option<Prepared>> {
    while let Some(pending) = queue.pop_front() {
        match prepare(settings, &pending) {
            Ok(prepared) => return Ok(Some(prepared)),
            Err(message) => {
                let row = Row::error(&pending.found.student, message);
                batch.print_line(&row, None);
                batch.rows.insert(pending.found.student.clone(), row);
                batch.write_gradebook()?;
            }
        }
    }
    Ok(None)
}

fn prepare(settings: &Settings<'_>, pending: &Pending) -> Result<Prepared, String> {
    let found = &pending.found;
    let student_dir = settings.out_dir.join(&found.student);
    if std::fs::symlink_metadata(&student_dir).is_ok() {
        std::fs::remove_dir_all(&student_dir).map_err(|err| {
            format!(
                "could not clear the previous results in {}: {err}",
                student_dir.display()
            )
        })?;
    }
    std::fs::create_dir_all(&student_dir)
        .map_err(|err| format!("could not create {}: {err}", student_dir.display()))?;
    let submission_root = match &found.kind {
        SourceKind::Folder => found.source.clone(),
        SourceKind::Archive(kind) => {
            let unpacked_dir = student_dir.join(UNPACKED_DIR);
            match archive::unpack(&found.source, *kind, &unpacked_dir, Limits::SUBMISSION) {
                Ok(unpacked) => {
                    for skipped in &unpacked.skipped {
                        eprintln!("note: {}: skipped {skipped}", found.source_name);
                    }
                    unpacked_dir
                }
                Err(err) => {
                    // Whatever was unpacked before the refused entry is
                    // inside the folder; none of it is kept.
                    let _ = std::fs::remove_dir_all(&unpacked_dir);
                    return Err(format!("{}: {err:#}", found.source_name));
                }
            }
        }
        SourceKind::NotGradable(message) => return Err(message.clone()),
    };
    let crate_dir = find_crate(&submission_root)
        .map_err(|message| format!("{}: {message}", found.source_name))?;
    let crate_dir = crate_dir
        .canonicalize()
        .map_err(|err| format!("could not resolve {}: {err}", crate_dir.display()))?;
    Ok(Prepared {
        found: found.clone(),
        fingerprint: pending.fingerprint.clone(),
        student_dir,
        crate_dir,
    })
}

/// The folder holding the crate's Cargo.toml: the submission's top, or
/// the one folder just inside it that holds one (an archive of a folder).
fn find_crate(submission_root: &Path) -> Result<PathBuf, String> {
    if submission_root.join("Cargo.toml").is_file() {
        return Ok(submission_root.to_path_buf());
    }
    let entries = std::fs::read_dir(submission_root)
        .map_err(|err| format!("could not list {}: {err}", submission_root.display()))?;
    let mut crates: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && name != "__MACOSX" && name != "target"
        })
        .map(|entry| entry.path())
        .filter(|path| path.is_dir() && path.join("Cargo.toml").is_file())
        .collect();
    crates.sort();
    match crates.len() {
        1 => Ok(crates.remove(0)),
        0 => Err(
            "no Cargo.toml at the top of the submission or in a folder just inside it; a \
                  submission is one crate (its Cargo.toml and src/)"
                .to_owned(),
        ),
        _ => Err(format!(
            "several crates ({}); a submission is one crate",
            crates
                .iter()
                .map(|path| path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
                    + "/")
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// How long one submission took.
struct Times {
    /// The grade itself, from its build's up-to-date check to its last test.
    grade: Duration,
    /// The build inside the grade (short when it was built beforehand).
    build_in_grade: Duration,
    /// The build done while earlier submissions' tests ran, if any.
    build_ahead: Option<Duration>,
}

impl Times {
    fn build(&self) -> Duration {
        self.build_in_grade + self.build_ahead.unwrap_or_default()
    }

    fn tests(&self) -> Duration {
        self.grade.saturating_sub(self.build_in_grade)
    }
}

/// One finished grade, and the submissions compiled meanwhile with how
/// long each took.
struct Graded {
    results: Result<LabResults, grader::Error>,
    wall: Duration,
    built_ahead: Vec<(String, Duration)>,
}

fn grade_request<'a>(settings: &Settings<'a>, prepared: &Prepared) -> GradeRequest<'a> {
    GradeRequest {
        jobs: settings.jobs,
        timeout_scale: settings.timeout_scale,
        echo_build: false,
        bench: settings.bench,
        file_formats: settings.file_formats.clone(),
        ..GradeRequest::new(
            settings.course,
            settings.lab,
            Implementation::Submission(prepared.crate_dir.clone()),
            prepared.student_dir.clone(),
        )
    }
}

/// Grades `prepared`; once its `alone` tests are over, compiles the
/// submissions of `to_build` on another thread, one after another, until
/// its tests are over (see the module docs).
fn grade_one(settings: &Settings<'_>, prepared: &Prepared, to_build: &[&Prepared]) -> Graded {
    let request = grade_request(settings, prepared);
    let build_requests: Vec<(String, GradeRequest<'_>)> = to_build
        .iter()
        .map(|next| (next.found.student.clone(), grade_request(settings, next)))
        .collect();
    let gate = BuildGate::default();
    let watcher = TestWatcher {
        lab: settings.lab,
        student: &prepared.found.student,
        alone_planned: settings
            .lab
            .tests
            .iter()
            .filter(|test| test.alone && test.speed.is_none())
            .count(),
        alone_done: AtomicUsize::new(0),
        experiments_follow: settings.experiments_follow,
        gate: &gate,
    };
    std::thread::scope(|scope| {
        let builder = scope.spawn(|| {
            let mut built = Vec::new();
            for (student, build_request) in &build_requests {
                if !gate.start_build() {
                    break;
                }
                let started = Instant::now();
                // A failure here is met again, and recorded, by that
                // submission's own grade.
                let _ = grader::grade::prebuild(build_request);
                gate.end_build();
                built.push((student.clone(), started.elapsed()));
            }
            built
        });
        let started = Instant::now();
        let results = {
            // Stops the gate however the grade ends, even by a panic, so
            // that the builder thread never waits for it forever.
            let _stop = StopOnDrop(&gate);
            grader::grade::grade(&request, &|progress| watcher.on_progress(progress))
        };
        let wall = started.elapsed();
        let built_ahead = builder.join().unwrap_or_default();
        Graded {
            results,
            wall,
            built_ahead,
        }
    })
}

/// Stops a [`BuildGate`] when dropped.
struct StopOnDrop<'a>(&'a BuildGate);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// When submissions may be compiled beside a grade's tests.
#[derive(Default)]
struct BuildGate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Debug, Clone, Copy, Default)]
struct GateState {
    phase: GatePhase,
    building: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum GatePhase {
    /// Timing-sensitive tests are still to come: no build may start.
    #[default]
    Closed,
    /// Only tests that tolerate a build beside them are left.
    Open,
    /// The tests are over: no new build starts (the next grade begins, or
    /// timing experiments do).
    Stopped,
}

impl BuildGate {
    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_phase(&self, from: &[GatePhase], to: GatePhase) {
        let mut state = self.lock();
        if from.contains(&state.phase) {
            state.phase = to;
            self.changed.notify_all();
        }
    }

    fn open(&self) {
        self.set_phase(&[GatePhase::Closed], GatePhase::Open);
    }

    fn stop(&self) {
        self.set_phase(&[GatePhase::Closed, GatePhase::Open], GatePhase::Stopped);
    }

    /// Waits until a build may start (true; it counts as under way) or
    /// never will in this grade (false).
    fn start_build(&self) -> bool {
        let mut state = self.lock();
        while state.phase == GatePhase::Closed {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.building = state.phase == GatePhase::Open;
        state.building
    }

    fn end_build(&self) {
        self.lock().building = false;
        self.changed.notify_all();
    }

    /// Stops new builds and waits for the one under way, if any.
    fn stop_and_wait(&self) {
        self.stop();
        let mut state = self.lock();
        while state.building {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Follows a grade's progress to open the [`BuildGate`] when the `alone`
/// tests are over (the runner runs them first, one at a time), and to stop
/// it when the tests are over, holding the grade before its timing
/// experiments until the build under way has finished.
struct TestWatcher<'a> {
    lab: &'a Lab,
    student: &'a str,
    alone_planned: usize,
    alone_done: AtomicUsize,
    experiments_follow: bool,
    gate: &'a BuildGate,
}

impl TestWatcher<'_> {
    fn on_progress(&self, progress: Progress<'_>) {
        match progress {
            Progress::Running { total } if self.alone_planned == 0 && total > 0 => {
                self.gate.open();
            }
            Progress::Finished { run, done, total } => {
                let was_alone = self
                    .lab
                    .tests
                    .iter()
                    .any(|test| test.name == run.name && test.alone);
                if was_alone {
                    let alone_done = self.alone_done.fetch_add(1, Ordering::SeqCst) + 1;
                    if alone_done >= self.alone_planned && done < total {
                        self.gate.open();
                    }
                } else {
                    // Shared tests start only after every alone test.
                    self.gate.open();
                }
                if done == total {
                    if self.experiments_follow {
                        // Called before the grade goes on to its
                        // experiments.
                        self.gate.stop_and_wait();
                    } else {
                        self.gate.stop();
                    }
                }
            }
            Progress::Warning(message) => eprintln!("warning: {}: {message}", self.student),
            _ => {}
        }
    }
}

/// What the error row says when the grader could not grade at all.
fn grade_error_message(err: &grader::Error) -> String {
    match err.kind() {
        grader::ErrorKind::InvalidSubmission { message, .. } => message.clone(),
        _ => format!("the grader failed: {err}"),
    }
}

/// A student's status in the gradebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowStatus {
    Graded,
    BuildFailed,
    Incomplete,
    Error,
    NotGraded,
}

impl RowStatus {
    fn label(self) -> &'static str {
        match self {
            RowStatus::Graded => "graded",
            RowStatus::BuildFailed => "build_failed",
            RowStatus::Incomplete => "incomplete",
            RowStatus::Error => "error",
            RowStatus::NotGraded => "not_graded",
        }
    }
}

/// One gradebook row.
#[derive(Debug, Clone)]
struct Row {
    student: String,
    status: RowStatus,
    message: String,
    score: Option<u32>,
    /// Points earned in each of the lab's tests, in course.toml's order;
    /// `None` where the test has no verdict.
    points: Vec<Option<u32>>,
}

impl Row {
    fn from_results(student: &str, lab: &Lab, results: &LabResults) -> Row {
        let totals = &results.totals;
        let (status, message) = if results.interrupted && !results.build.ok {
            // Ctrl-C stopped the (sandboxed) build: nothing was refused.
            (
                RowStatus::Incomplete,
                "interrupted while building; run the batch again to grade it".to_owned(),
            )
        } else if !results.build.ok {
            (
                RowStatus::BuildFailed,
                format!(
                    "does not compile against the hidden suite: {}",
                    first_compiler_error(&results.build.message)
                ),
            )
        } else if results.interrupted || !results.complete {
            (
                RowStatus::Incomplete,
                format!(
                    "interrupted with {} of {} tests not run; run the batch again to regrade",
                    totals.not_run, totals.tests
                ),
            )
        } else {
            let mut counts = vec![format!("{} passed", totals.passed)];
            for (count, label) in [
                (totals.failed, "failed"),
                (totals.timed_out, "timed out"),
                (totals.crashed, "crashed"),
                (totals.not_run, "not run"),
            ] {
                if count > 0 {
                    counts.push(format!("{count} {label}"));
                }
            }
            (RowStatus::Graded, counts.join(", "))
        };
        Row {
            student: student.to_owned(),
            status,
            message,
            score: Some(totals.points),
            points: lab
                .tests
                .iter()
                .map(|test| {
                    results
                        .tests
                        .iter()
                        .find(|result| result.name == test.name)
                        .filter(|result| result.status != Outcome::NotRun)
                        .map(|result| result.points)
                })
                .collect(),
        }
    }

    fn error(student: &str, message: String) -> Row {
        Row {
            student: student.to_owned(),
            status: RowStatus::Error,
            message,
            score: None,
            points: Vec::new(),
        }
    }

    fn not_graded(student: &str, message: &str) -> Row {
        Row {
            status: RowStatus::NotGraded,
            ..Row::error(student, message.to_owned())
        }
    }
}

/// The compiler's first error line, for a one-line message.
fn first_compiler_error(compiler_output: &str) -> String {
    compiler_output
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("error"))
        .or_else(|| {
            compiler_output
                .lines()
                .map(str::trim)
                .find(|line| !line.is_empty())
        })
        .unwrap_or("see results.json")
        .to_owned()
}

/// The rows so far and the counts of the summary.
struct Batch<'a> {
    settings: &'a Settings<'a>,
    rows: BTreeMap<String, Row>,
    /// Students whose row comes from an earlier batch.
    skipped: BTreeSet<String>,
    name_width: usize,
}

impl<'a> Batch<'a> {
    fn new(settings: &'a Settings<'a>, found: &[Found]) -> Batch<'a> {
        let rows = found
            .iter()
            .map(|found| {
                (
                    found.student.clone(),
                    Row::not_graded(&found.student, "not graded yet"),
                )
            })
            .collect();
        Batch {
            settings,
            rows,
            skipped: BTreeSet::new(),
            name_width: found
                .iter()
                .map(|found| found.student.chars().count())
                .max()
                .unwrap_or(0)
                .min(40),
        }
    }

    /// Rewrites the gradebook through a temporary file and a rename.
    fn write_gradebook(&self) -> Result<()> {
        let path = self.settings.out_dir.join(GRADEBOOK_FILE);
        let text = render_gradebook(self.settings.lab, self.rows.values());
        grader::results::write_atomically(&path, text.as_bytes())
            .with_context(|| format!("could not write the gradebook {}", path.display()))
    }

    /// One line on stdout for a finished submission.
    fn print_line(&self, row: &Row, times: Option<&Times>) {
        let max = self.settings.lab.max_points();
        let score = match row.score {
            Some(score) => format!("{score}/{max}"),
            None => "-".to_owned(),
        };
        let score_width = format!("{max}/{max}").len();
        let times = match times {
            Some(times) => format!(
                "{:>6.1}s  (build {:.1}s{}, tests {:.1}s)",
                times.grade.as_secs_f64(),
                times.build().as_secs_f64(),
                if times.build_ahead.is_some() {
                    " during earlier tests"
                } else {
                    ""
                },
                times.tests().as_secs_f64()
            ),
            None => String::new(),
        };
        let message = if row.status == RowStatus::Graded {
            String::new()
        } else {
            format!("  {}", row.message)
        };
        println!(
            "{:<name_width$}  {score:>score_width$}  {:<12} {times}{message}",
            row.student,
            row.status.label(),
            name_width = self.name_width
        );
    }

    fn summary(&self) -> String {
        // Counts of this run; skipped rows count only as skipped.
        let count = |status: RowStatus| {
            self.rows
                .values()
                .filter(|row| row.status == status && !self.skipped.contains(&row.student))
                .count()
        };
        let lab = self.settings.lab;
        let mut parts = vec![
            format!("{} graded", count(RowStatus::Graded)),
            format!("{} failed to build", count(RowStatus::BuildFailed)),
            format!("{} errors", count(RowStatus::Error)),
            format!("{} skipped (already graded, unchanged)", self.skipped.len()),
        ];
        for (status, label) in [
            (RowStatus::Incomplete, "incomplete"),
            (RowStatus::NotGraded, "not graded"),
        ] {
            if count(status) > 0 {
                parts.push(format!("{} {label}", count(status)));
            }
        }
        let mut text = String::new();
        let _ = writeln!(
            text,
            "{} {}: {} submissions: {}",
            lab.id(),
            lab.slug,
            self.rows.len(),
            parts.join(", ")
        );
        let _ = writeln!(
            text,
            "gradebook: {}",
            self.settings.out_dir.join(GRADEBOOK_FILE).display()
        );
        text
    }
}

/// The gradebook as CSV (RFC 4180: fields quoted where needed, lines
/// ended by CRLF).
fn render_gradebook<'r>(lab: &Lab, rows: impl Iterator<Item = &'r Row>) -> String {
    let mut header = vec![
        "student".to_owned(),
        "score".to_owned(),
        "max".to_owned(),
        "status".to_owned(),
        "message".to_owned(),
    ];
    header.extend(lab.tests.iter().map(|test| test.name.clone()));
    let mut text = csv_line(&header);
    let max = lab.max_points().to_string();
    for row in rows {
        let mut fields = vec![
            spreadsheet_safe(&row.student),
            row.score.map(|score| score.to_string()).unwrap_or_default(),
            max.clone(),
            row.status.label().to_owned(),
            spreadsheet_safe(&row.message),
        ];
        fields.extend((0..lab.tests.len()).map(|test_idx| {
            row.points
                .get(test_idx)
                .copied()
                .flatten()
                .map(|points| points.to_string())
                .unwrap_or_default()
        }));
        text.push_str(&csv_line(&fields));
    }
    text
}

fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|field| csv_field(field))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// A field quoted if it holds a comma, a quote, a line break or spaces at
/// its ends, with its quotes doubled.
fn csv_field(field: &str) -> String {
    let needs_quotes = field.contains([',', '"', '\n', '\r'])
        || field.starts_with(char::is_whitespace)
        || field.ends_with(char::is_whitespace);
    if needs_quotes {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// Text a spreadsheet would run as a formula (`=...`, `+...`, `-...`,
/// `@...`) gets a leading `'`: a student names their own archive, and
/// a gradebook is opened in a spreadsheet.
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// What an earlier batch left for one student.
enum Previous {
    /// A complete grade of exactly these files by the same grading code.
    Reusable(Row),
    SubmissionChanged,
    /// The same files, graded by a hidden suite, grader or course.toml
    /// that has changed since.
    GradingChanged,
    /// No complete grade of this lab.
    None,
}

/// The previous grade of this student and whether it can stand; with
/// `--format` files a reusable one lacks written from its results.
fn previous_grade(settings: &Settings<'_>, student: &str, fingerprint: &str) -> Previous {
    let student_dir = settings.out_dir.join(student);
    let read_json =
        |file: &str| -> Option<String> { std::fs::read_to_string(student_dir.join(file)).ok() };
    let Some(record) = read_json(RECORD_FILE)
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
    else {
        return Previous::None;
    };
    let Some(results) =
        read_json(RESULTS_FILE).and_then(|text| serde_json::from_str::<LabResults>(&text).ok())
    else {
        return Previous::None;
    };
    let lab_id = settings.lab.id();
    if !results.complete
        || results.interrupted
        || results.lab.id != lab_id
        || record["lab"].as_str() != Some(lab_id.as_str())
    {
        return Previous::None;
    }
    if record["fingerprint"].as_str() != Some(fingerprint) {
        return Previous::SubmissionChanged;
    }
    if record["grading_fingerprint"].as_str() != Some(settings.grading_fingerprint.as_str()) {
        return Previous::GradingChanged;
    }
    let missing: Vec<FileFormat> = settings
        .file_formats
        .iter()
        .copied()
        .filter(|format| !student_dir.join(format.file_name()).exists())
        .collect();
    if let Err(err) = grader::formats::write_files(&results, &student_dir, &missing) {
        eprintln!("warning: {student}: could not write the requested formats: {err}");
    }
    Previous::Reusable(Row::from_results(student, settings.lab, &results))
}

/// Remembers what was graded, so that a later batch skips it while its
/// files stay the same.
fn write_record(
    settings: &Settings<'_>,
    prepared: &Prepared,
    results: &LabResults,
    times: &Times,
) -> Result<()> {
    let record = serde_json::json!({
        "schema_version": RECORD_SCHEMA_VERSION,
        "lab": results.lab.id,
        "source": prepared.found.source_name,
        "fingerprint": prepared.fingerprint,
        "grading_fingerprint": settings.grading_fingerprint,
        "crate_dir": prepared.crate_dir,
        "graded_at": grader::results::now_rfc3339(),
        "grade_secs": times.grade.as_secs_f64(),
        "build_secs": times.build().as_secs_f64(),
        "built_during_earlier_tests": times.build_ahead.is_some(),
        "tests_secs": times.tests().as_secs_f64(),
    });
    let path = prepared.student_dir.join(RECORD_FILE);
    let text = serde_json::to_vec_pretty(&record).context("could not encode the record")?;
    grader::results::write_atomically(&path, &text)
        .with_context(|| format!("could not write {}", path.display()))
}

/// FNV-1a with 128 bits: stable across Rust versions (unlike std's
/// `DefaultHasher`), so a fingerprint written by one build of the tool is
/// understood by the next. It tells changed files from unchanged ones; it
/// is not meant to resist someone forging a collision.
struct Fingerprint(u128);

impl Fingerprint {
    const OFFSET_BASIS: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Fingerprint {
        Fingerprint(Fingerprint::OFFSET_BASIS)
    }

    fn update(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u128::from(*byte);
            self.0 = self.0.wrapping_mul(Fingerprint::PRIME);
        }
    }

    /// Feeds the whole contents of `path`.
    fn update_with_file(&mut self, path: &Path) -> std::io::Result<()> {
        let mut file = std::fs::File::open(path)?;
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let read = file.read(&mut buffer)?;
            if read == 0 {
                return Ok(());
            }
            self.update(&buffer[..read]);
        }
    }

    fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }
}

/// The fingerprint of what grades `lab`: course.toml, the lock file, the
/// grader library, the lab's hidden suite and the course's shared crates
/// in labs/ (those that are no lab's crate, such as labkit). A grade
/// stored under another fingerprint is not reused: after a fix to a suite,
/// every submission is graded again without --force.
fn grading_fingerprint(course: &Course, lab: &Lab) -> Result<String> {
    let root = &course.root;
    let mut parts: Vec<PathBuf> = vec![
        root.join("course.toml"),
        root.join("Cargo.lock"),
        root.join("grader").join("Cargo.toml"),
        root.join("grader").join("src"),
        lab.suite_dir(root),
    ];
    if let Ok(entries) = std::fs::read_dir(root.join("labs")) {
        let mut shared: Vec<PathBuf> = entries
            .flatten()
            .filter(|entry| {
                let name = entry.file_name();
                !course
                    .labs
                    .iter()
                    .any(|lab| name.to_string_lossy() == lab.crate_name)
            })
            .map(|entry| entry.path())
            .collect();
        shared.sort();
        parts.extend(shared);
    }
    let mut fingerprint = Fingerprint::new();
    for part in parts {
        fingerprint.update(part.to_string_lossy().as_bytes());
        if part.is_dir() {
            fingerprint.update(folder_fingerprint(&part)?.as_bytes());
        } else if part.is_file() {
            fingerprint.update(file_fingerprint(&part)?.as_bytes());
        } else {
            fingerprint.update(b"\0absent\0");
        }
    }
    Ok(fingerprint.hex())
}

/// The fingerprint of an archive: its bytes.
fn file_fingerprint(path: &Path) -> Result<String> {
    let mut fingerprint = Fingerprint::new();
    fingerprint.update(b"archive\0");
    fingerprint
        .update_with_file(path)
        .with_context(|| format!("could not read {}", path.display()))?;
    Ok(fingerprint.hex())
}

/// The fingerprint of a folder: every file's relative path and contents,
/// in a fixed order. Hidden entries and a crate's `target/` folder are left
/// out (the build reads neither); links count by their target's text.
fn folder_fingerprint(root: &Path) -> Result<String> {
    let mut fingerprint = Fingerprint::new();
    fingerprint.update(b"folder\0");
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let has_manifest = dir.join("Cargo.toml").is_file();
        let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(&dir)
            .with_context(|| format!("could not list {}", dir.display()))?
            .collect::<std::io::Result<_>>()
            .with_context(|| format!("could not list {}", dir.display()))?;
        entries.sort_by_key(|entry| entry.file_name());
        let mut subfolders = Vec::new();
        for entry in entries {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || (has_manifest && name == "target") {
                continue;
            }
            let path = entry.path();
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let file_type = entry
                .file_type()
                .with_context(|| format!("could not read {}", path.display()))?;
            fingerprint.update(relative.to_string_lossy().as_bytes());
            if file_type.is_dir() {
                fingerprint.update(b"\0dir\0");
                subfolders.push(path);
            } else if file_type.is_symlink() {
                let target = std::fs::read_link(&path)
                    .with_context(|| format!("could not read the link {}", path.display()))?;
                fingerprint.update(b"\0link\0");
                fingerprint.update(target.to_string_lossy().as_bytes());
            } else {
                fingerprint.update(b"\0file\0");
                fingerprint
                    .update_with_file(&path)
                    .with_context(|| format!("could not read {}", path.display()))?;
                fingerprint.update(b"\0end\0");
            }
        }
        // Depth first, in name order: the same tree always hashes alike.
        pending.extend(subfolders.into_iter().rev());
    }
    Ok(fingerprint.hex())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab_with_tests(tests: &str) -> Lab {
        let course = Course::parse(&format!(
            "title = \"t\"\n[[labs]]\nnumber = 1\nslug = \"threads\"\n\
             crate = \"lab1-threads\"\ndefault_timeout_secs = 10\ntests = [{tests}]\n"
        ))
        .unwrap();
        course.labs[0].clone()
    }

    fn finished(watcher: &TestWatcher<'_>, name: &str, done: usize, total: usize) {
        let run = grader::runner::TestRun {
            name: name.to_owned(),
            outcome: Outcome::Pass,
            message: String::new(),
            duration: Duration::ZERO,
            output: String::new(),
            metrics: BTreeMap::new(),
            measurements: Vec::new(),
        };
        watcher.on_progress(Progress::Finished {
            run: &run,
            done,
            total,
        });
    }

    fn phase(gate: &BuildGate) -> GatePhase {
        gate.lock().phase
    }

    #[test]
    fn builds_wait_for_the_alone_tests_and_experiments_wait_for_the_build() {
        let lab = lab_with_tests(
            "{ name = \"alone_a\", points = 1, alone = true }, \
             { name = \"alone_b\", points = 1, alone = true }, \
             { name = \"shared_c\", points = 1 }, { name = \"shared_d\", points = 1 }",
        );
        let gate = BuildGate::default();
        let watcher = TestWatcher {
            lab: &lab,
            student: "alice",
            alone_planned: 2,
            alone_done: AtomicUsize::new(0),
            experiments_follow: true,
            gate: &gate,
        };
        watcher.on_progress(Progress::Running { total: 4 });
        finished(&watcher, "alone_a", 1, 4);
        assert_eq!(phase(&gate), GatePhase::Closed, "one alone test is left");
        finished(&watcher, "alone_b", 2, 4);
        assert_eq!(phase(&gate), GatePhase::Open);
        assert!(gate.start_build());
        finished(&watcher, "shared_c", 3, 4);
        let last_returned = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                finished(&watcher, "shared_d", 4, 4);
                last_returned.store(true, Ordering::SeqCst);
            });
            std::thread::sleep(Duration::from_millis(200));
            assert!(
                !last_returned.load(Ordering::SeqCst),
                "the grade must not go on to its experiments while a build runs"
            );
            gate.end_build();
        });
        assert!(last_returned.load(Ordering::SeqCst));
        assert!(
            !gate.start_build(),
            "no build starts once the tests are over"
        );
    }

    #[test]
    fn without_alone_tests_builds_may_start_with_the_tests() {
        let lab = lab_with_tests("{ name = \"shared\", points = 1 }");
        let gate = BuildGate::default();
        let watcher = TestWatcher {
            lab: &lab,
            student: "bob",
            alone_planned: 0,
            alone_done: AtomicUsize::new(0),
            experiments_follow: false,
            gate: &gate,
        };
        watcher.on_progress(Progress::Running { total: 1 });
        assert_eq!(phase(&gate), GatePhase::Open);
        assert!(gate.start_build());
        // Without experiments the last test does not wait for the build.
        finished(&watcher, "shared", 1, 1);
        assert_eq!(phase(&gate), GatePhase::Stopped);
        gate.end_build();
    }

    #[test]
    fn a_grade_that_ends_before_its_tests_never_lets_a_build_start() {
        let gate = BuildGate::default();
        std::thread::scope(|scope| {
            let builder = scope.spawn(|| gate.start_build());
            drop(StopOnDrop(&gate));
            assert!(!builder.join().unwrap());
        });
    }

    #[test]
    fn csv_fields_are_quoted_only_where_needed() {
        assert_eq!(csv_field("alice"), "alice");
        assert_eq!(csv_field("Smith, Alice"), "\"Smith, Alice\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
        assert_eq!(csv_field(""), "");
        assert_eq!(
            csv_line(&["a".to_owned(), "b,c".to_owned()]),
            "a,\"b,c\"\r\n"
        );
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_defused() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("-1"), "'-1");
        assert_eq!(spreadsheet_safe("alice"), "alice");
    }

    #[test]
    fn fingerprints_change_with_any_file_and_ignore_hidden_ones_and_target() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("Cargo.toml"), "[package]\n").unwrap();
        std::fs::write(root.join("src/lib.rs"), "pub fn f() {}\n").unwrap();
        let first = folder_fingerprint(root).unwrap();
        assert_eq!(first, folder_fingerprint(root).unwrap());

        std::fs::create_dir_all(root.join("target/release")).unwrap();
        std::fs::write(root.join("target/release/junk"), "junk").unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/HEAD"), "ref").unwrap();
        assert_eq!(first, folder_fingerprint(root).unwrap());

        std::fs::write(root.join("src/lib.rs"), "pub fn f() { }\n").unwrap();
        let edited = folder_fingerprint(root).unwrap();
        assert_ne!(first, edited);
        std::fs::rename(root.join("src/lib.rs"), root.join("src/main.rs")).unwrap();
        assert_ne!(edited, folder_fingerprint(root).unwrap());
    }

    #[test]
    fn the_grading_fingerprint_follows_the_suite_and_shared_crates_not_the_stubs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut course = Course::parse(
            "title = \"t\"\n[[labs]]\nnumber = 1\nslug = \"threads\"\n\
             crate = \"lab1-threads\"\ndefault_timeout_secs = 10\n\
             tests = [{ name = \"a\", points = 1 }]\n",
        )
        .unwrap();
        course.root = root.to_path_buf();
        for (file, text) in [
            ("course.toml", "title"),
            ("grader/src/lib.rs", "grader"),
            ("grader/suites/lab1-threads/src/main.rs", "suite"),
            ("labs/labkit/src/lib.rs", "kit"),
            ("labs/lab1-threads/src/lib.rs", "stubs"),
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), text).unwrap();
        }
        let lab = course.labs[0].clone();
        let first = grading_fingerprint(&course, &lab).unwrap();
        std::fs::write(root.join("labs/lab1-threads/src/lib.rs"), "solved").unwrap();
        assert_eq!(first, grading_fingerprint(&course, &lab).unwrap());
        for file in [
            "grader/suites/lab1-threads/src/main.rs",
            "labs/labkit/src/lib.rs",
            "grader/src/lib.rs",
            "course.toml",
        ] {
            let before = grading_fingerprint(&course, &lab).unwrap();
            std::fs::write(root.join(file), "changed").unwrap();
            assert_ne!(
                before,
                grading_fingerprint(&course, &lab).unwrap(),
                "{file}"
            );
        }
    }

    #[test]
    fn the_crate_is_at_the_top_or_one_folder_down() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(find_crate(root).unwrap_err().contains("no Cargo.toml"));
        std::fs::create_dir_all(root.join("lab1/src")).unwrap();
        std::fs::write(root.join("lab1/Cargo.toml"), "").unwrap();
        std::fs::create_dir_all(root.join("__MACOSX/lab1")).unwrap();
        std::fs::write(root.join("__MACOSX/lab1/Cargo.toml"), "").unwrap();
        assert_eq!(find_crate(root).unwrap(), root.join("lab1"));
        std::fs::create_dir_all(root.join("copy")).unwrap();
        std::fs::write(root.join("copy/Cargo.toml"), "").unwrap();
        assert!(find_crate(root).unwrap_err().contains("copy/, lab1/"));
        std::fs::write(root.join("Cargo.toml"), "").unwrap();
        assert_eq!(find_crate(root).unwrap(), root);
    }
}
