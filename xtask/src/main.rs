//! `cargo xtask`: the course's command-line tool.
//!
//! This binary only parses arguments, prints, and maps results to exit
//! statuses; all grading logic lives in the `grader` library so that every
//! command grades the same way. It stays light in dependencies so that
//! `cargo xtask` starts fast on a fresh clone.

mod archive;
mod batch;
mod dist;
mod gradescope;
mod sandbox_layers;
mod verify;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use grader::build::Implementation;
use grader::course::{Course, Lab};
use grader::experiment::BenchLevel;
use grader::formats::FileFormat;
use grader::grade::{GradeRequest, Progress, grade};
use grader::results::LabResults;
use grader::runner::Outcome;

/// Exit status when every graded test passed.
pub(crate) const EXIT_ALL_PASSED: u8 = 0;
/// Exit status when some test failed, timed out, crashed or did not run.
pub(crate) const EXIT_SOME_FAILED: u8 = 1;
/// Exit status for a usage error, a build error, or a broken course.
pub(crate) const EXIT_USAGE_OR_BUILD_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "The concurrency course's tool: grade labs and inspect the course.",
    after_help = "Exit status of `grade`: 0 all tests passed, 1 some test failed, \
                  2 usage or build error."
)]
struct Cli {
    /// The course's root folder (holding course.toml); defaults to this
    /// workspace.
    #[arg(long, global = true, value_name = "DIR", env = "COURSE_ROOT")]
    course_root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build a lab's hidden suite against an implementation, run every test
    /// in its own process, and write results.json and timing.json.
    #[command(after_help = "LAB may be written lab4, 4, queues or lab4-queues.\n\n\
                            Exit status: 0 all tests passed, 1 some test failed, 2 usage or build \
                            error (a submission that does not compile is graded 0 and exits 2).")]
    Grade(GradeArgs),
    /// Run a lab's timing experiments alone: the implementation and the
    /// reference alternating in one run, with baselines; prints medians and
    /// ratios and writes timing.json.
    #[command(after_help = "LAB may be written lab4, 4, queues or lab4-queues.\n\n\
                            Absolute numbers depend on the machine; compare ratios measured in \
                            the same run.")]
    Bench(BenchArgs),
    /// Show the labs and their tests with points, timeouts and visibility.
    List,
    /// Prove the course sound: stubs compile cleanly and score 0, references
    /// score full marks run after run, every known-buggy fixture loses
    /// points, course.toml and the suites agree, no stray files.
    Verify(verify::VerifyArgs),
    /// Write the repository students receive: stubs, public tests, the
    /// grader harness and this tool; no solutions, hidden suites or
    /// fixtures.
    Dist(dist::DistArgs),
    /// Add chosen labs' reference solutions to a student export (after a
    /// deadline).
    Publish(dist::PublishArgs),
    /// Build a Gradescope autograder bundle (a zip with setup.sh and
    /// run_autograder) for one lab.
    Gradescope(gradescope::GradescopeArgs),
    /// Grade every submission in a folder (one folder or archive per
    /// student) and write a gradebook.csv.
    GradeBatch(batch::GradeBatchArgs),
    /// Show which sandbox layers this machine gives the code it grades
    /// (namespaces, Landlock, seccomp, cgroups...), and why any is missing.
    Sandbox(sandbox_layers::SandboxArgs),
}

#[derive(Debug, clap::Args)]
struct GradeArgs {
    /// The lab to grade (lab4, 4, queues); omit with --all.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    lab: Option<String>,
    /// Grade every lab (the student crates, or with --solution the
    /// references).
    #[arg(long, conflicts_with = "submission")]
    all: bool,
    /// Grade the reference solution in solutions/ instead of the student
    /// crate in labs/.
    #[arg(long, conflicts_with = "submission")]
    solution: bool,
    /// Grade the crate in DIR (an autograder's submission) instead of the
    /// student crate in labs/.
    #[arg(long, value_name = "DIR")]
    submission: Option<PathBuf>,
    /// Grade the lab's public tests (tests/public.rs, 1 point each) instead
    /// of its hidden suite. A repository without the hidden suites (the
    /// students' repository) always grades the public tests.
    #[arg(long)]
    public: bool,
    /// Run only the tests whose name contains TEXT (repeat the option to
    /// select several).
    #[arg(long, value_name = "TEXT")]
    filter: Vec<String>,
    /// Run each selected test N times; a test passes only if every run
    /// passes (shows a verdict is stable, or names a flaky test).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    repeat: u32,
    /// Output formats, comma-separated or repeated: human or json on stdout
    /// (json wins if both are given); gradescope, junit and markdown as
    /// files next to results.json (gradescope.json, junit.xml, summary.md),
    /// rewritten after every finished test like results.json itself.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "human",
        value_name = "FORMAT"
    )]
    format: Vec<Format>,
    /// Where results.json, timing.json and the other formats go [default:
    /// target/grade/<lab>/; with --all, DIR/<lab>/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// How many tests run at once [default: the number of cores]. Tests the
    /// course marks `alone` always run alone.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Multiply every test's timeout by FACTOR (for a slow machine).
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0)]
    timeout_scale: f64,
    /// Run only TEST, in the foreground with its output shown, to debug it
    /// (no results files are written).
    #[arg(long, value_name = "TEST", conflicts_with_all = ["all", "filter", "format", "out"])]
    replay: Option<String>,
    /// Timing experiments after the tests: off, quick (a few seconds) or
    /// full (as `cargo xtask bench`). --filter selects experiments by name
    /// too; speed tests run what they need in any case.
    #[arg(long, value_enum, default_value_t = BenchChoice::Quick, value_name = "LEVEL")]
    bench: BenchChoice,
    /// With --replay: the failing schedule a schedule-exploration test
    /// printed, to replay exactly that interleaving.
    #[arg(long, value_name = "SCHEDULE", requires = "replay")]
    schedule: Option<String>,
}

#[derive(Debug, clap::Args)]
struct BenchArgs {
    /// The lab whose experiments to run (lab4, 4, queues).
    lab: String,
    /// Measure the reference solution alone (with its baselines).
    #[arg(long, conflicts_with = "submission")]
    solution: bool,
    /// Measure the crate in DIR against the reference.
    #[arg(long, value_name = "DIR")]
    submission: Option<PathBuf>,
    /// Fewer, shorter rounds (3 instead of 9), as after a grade.
    #[arg(long)]
    quick: bool,
    /// Run only the experiments whose name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    filter: Vec<String>,
    /// What to print on stdout (timing.json is written either way).
    #[arg(long, value_enum, default_value_t = BenchFormat::Human)]
    format: BenchFormat,
    /// Where timing.json goes [default: target/grade/<lab>/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BenchChoice {
    Off,
    Quick,
    Full,
}

impl From<BenchChoice> for BenchLevel {
    fn from(choice: BenchChoice) -> BenchLevel {
        match choice {
            BenchChoice::Off => BenchLevel::Off,
            BenchChoice::Quick => BenchLevel::Quick,
            BenchChoice::Full => BenchLevel::Full,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One line per test, then the score (stdout).
    Human,
    /// The results.json document (stdout).
    Json,
    /// Gradescope's results schema, written to gradescope.json.
    Gradescope,
    /// JUnit XML for CI test reporters, written to junit.xml.
    Junit,
    /// The score table and timing summary, written to summary.md.
    Markdown,
}

/// What `bench` prints on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BenchFormat {
    /// A table per experiment.
    Human,
    /// The timing.json document.
    Json,
}

impl Format {
    fn file_format(self) -> Option<FileFormat> {
        match self {
            Format::Human | Format::Json => None,
            Format::Gradescope => Some(FileFormat::Gradescope),
            Format::Junit => Some(FileFormat::Junit),
            Format::Markdown => Some(FileFormat::Markdown),
        }
    }
}

/// Whether stdout gets the JSON document rather than the human summary.
fn prints_json(formats: &[Format]) -> bool {
    formats.contains(&Format::Json)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_USAGE_OR_BUILD_ERROR)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    let course_root = match cli.course_root {
        Some(root) => root,
        None => default_course_root(),
    };
    let course = Course::load(&course_root).with_context(|| {
        format!(
            "could not load the course in {} (is this the course's folder?)",
            course_root.display()
        )
    })?;
    match cli.command {
        Command::Grade(args) => grade_command(&course, args),
        Command::Bench(args) => bench_command(&course, args),
        Command::List => {
            print!("{}", render_list(&course));
            Ok(EXIT_ALL_PASSED)
        }
        Command::Verify(args) => verify::run(&course, args),
        Command::Dist(args) => dist::run_dist(&course, args),
        Command::Publish(args) => dist::run_publish(&course, args),
        Command::Gradescope(args) => gradescope::run(&course, args),
        Command::GradeBatch(args) => batch::run(&course, args),
        Command::Sandbox(args) => sandbox_layers::run(&course, args),
    }
}

/// The workspace this xtask was built in: the parent of its own crate.
pub(crate) fn default_course_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in a folder of the workspace")
        .to_path_buf()
}

fn grade_command(course: &Course, args: GradeArgs) -> Result<u8> {
    if !(args.timeout_scale > 0.0 && args.timeout_scale.is_finite()) {
        anyhow::bail!(
            "--timeout-scale must be a positive number, got {}",
            args.timeout_scale
        );
    }
    let labs = if args.all {
        course.labs.iter().collect::<Vec<_>>()
    } else {
        vec![course.find_lab(args.lab.as_deref().unwrap_or_default())?]
    };
    let implementation = chosen_implementation(args.solution, args.submission.as_deref())?;
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    if let Some(test_name) = &args.replay {
        let lab = labs[0];
        let request = GradeRequest {
            jobs,
            timeout_scale: args.timeout_scale,
            echo_build: std::io::stderr().is_terminal(),
            bench: BenchLevel::Off,
            graded_tests: graded_tests(args.public),
            ..GradeRequest::new(course, lab, implementation, PathBuf::new())
        };
        let passed = grader::grade::replay(&request, test_name, args.schedule.as_deref())
            .with_context(|| format!("replaying {test_name} of {lab} failed"))?;
        eprintln!("{test_name}: {}", if passed { "passed" } else { "FAILED" });
        return Ok(if passed {
            EXIT_ALL_PASSED
        } else {
            EXIT_SOME_FAILED
        });
    }
    grader::process::install_interrupt_handlers();

    let mut file_formats: Vec<FileFormat> = Vec::new();
    for file_format in args.format.iter().filter_map(|format| format.file_format()) {
        if !file_formats.contains(&file_format) {
            file_formats.push(file_format);
        }
    }
    let mut exit_code = EXIT_ALL_PASSED;
    let mut json_documents = Vec::new();
    for lab in labs {
        let out_dir = match (&args.out, args.all) {
            (Some(dir), false) => dir.clone(),
            (Some(dir), true) => dir.join(lab.id()),
            (None, _) => default_out_dir(course, lab),
        };
        let request = GradeRequest {
            jobs,
            filters: args.filter.clone(),
            repeat: args.repeat,
            timeout_scale: args.timeout_scale,
            echo_build: std::io::stderr().is_terminal(),
            bench: args.bench.into(),
            file_formats: file_formats.clone(),
            graded_tests: graded_tests(args.public),
            ..GradeRequest::new(course, lab, implementation.clone(), out_dir.clone())
        };
        let results =
            grade(&request, &show_progress).with_context(|| format!("grading {lab} failed"))?;
        if prints_json(&args.format) {
            json_documents.push(results.clone());
        } else {
            print!("{}", results.render_human(Some(&out_dir)));
        }
        exit_code = exit_code.max(exit_code_of(&results));
        if grader::process::is_interrupted() {
            break;
        }
    }
    if prints_json(&args.format) {
        let document = if json_documents.len() == 1 {
            serde_json::to_string_pretty(&json_documents[0])
        } else {
            serde_json::to_string_pretty(&json_documents)
        }
        .context("could not encode the results as JSON")?;
        println!("{document}");
    }
    Ok(exit_code)
}

/// The hidden suite, unless `--public` asks for the public tests (a
/// repository without the hidden suite grades the public tests anyway).
fn graded_tests(public: bool) -> grader::results::GradedTests {
    if public {
        grader::results::GradedTests::Public
    } else {
        grader::results::GradedTests::Hidden
    }
}

pub(crate) fn default_out_dir(course: &Course, lab: &Lab) -> PathBuf {
    course.root.join("target").join("grade").join(lab.id())
}

pub(crate) fn chosen_implementation(
    solution: bool,
    submission: Option<&Path>,
) -> Result<Implementation> {
    Ok(if solution {
        Implementation::Reference
    } else if let Some(dir) = submission {
        let dir = dir
            .canonicalize()
            .with_context(|| format!("--submission {}: no such folder", dir.display()))?;
        Implementation::Submission(dir)
    } else {
        Implementation::Student
    })
}

fn bench_command(course: &Course, args: BenchArgs) -> Result<u8> {
    let lab = course.find_lab(&args.lab)?;
    let implementation = chosen_implementation(args.solution, args.submission.as_deref())?;
    grader::process::install_interrupt_handlers();
    let out_dir = args.out.unwrap_or_else(|| default_out_dir(course, lab));
    let request = GradeRequest {
        jobs: 1,
        filters: args.filter,
        echo_build: std::io::stderr().is_terminal(),
        bench: if args.quick {
            BenchLevel::Quick
        } else {
            BenchLevel::Full
        },
        ..GradeRequest::new(course, lab, implementation, out_dir.clone())
    };
    let report = grader::grade::bench(&request, &show_progress)
        .with_context(|| format!("timing {lab} failed"))?;
    match args.format {
        BenchFormat::Human => {
            print!("{}", grader::experiment::render_human(&report.experiments));
            println!(
                "timing:  {}",
                out_dir.join(grader::results::TIMING_FILE).display()
            );
        }
        BenchFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).context("could not encode the timing report")?
        ),
    }
    let failed = report
        .experiments
        .iter()
        .any(|experiment| !experiment.errors.is_empty());
    Ok(if failed || grader::process::is_interrupted() {
        EXIT_SOME_FAILED
    } else {
        EXIT_ALL_PASSED
    })
}

pub(crate) fn exit_code_of(results: &LabResults) -> u8 {
    if !results.build.ok {
        EXIT_USAGE_OR_BUILD_ERROR
    } else if results.all_passed() && !results.interrupted {
        EXIT_ALL_PASSED
    } else {
        EXIT_SOME_FAILED
    }
}

/// Progress goes to stderr so that stdout holds only the requested format.
pub(crate) fn show_progress(progress: Progress<'_>) {
    let mut stderr = std::io::stderr().lock();
    let _ = match progress {
        Progress::Building => writeln!(stderr, "building the hidden suite..."),
        Progress::BuildingPublicTests => writeln!(stderr, "building the public tests..."),
        Progress::Running { total } => {
            writeln!(stderr, "running {total} tests, each in its own process...")
        }
        Progress::Finished { run, done, total } => writeln!(
            stderr,
            "[{done:>width$}/{total}] {:<7} {} ({:.2}s)",
            status_label(run.outcome),
            run.name,
            run.duration.as_secs_f64(),
            width = total.to_string().len()
        ),
        Progress::Warning(message) => writeln!(stderr, "warning: {message}"),
        Progress::Benchmarking {
            experiment,
            done,
            total,
        } => {
            if stderr.is_terminal() {
                // One line redrawn in place: a progress bar without a crate.
                const BAR_WIDTH: usize = 30;
                let filled = BAR_WIDTH * done / total.max(1);
                write!(
                    stderr,
                    "\rtiming {experiment} [{}{}] {done}/{total} runs{}",
                    "#".repeat(filled),
                    "-".repeat(BAR_WIDTH - filled),
                    if done == total { "\n" } else { "" }
                )
            } else if done == total || done % 5 == 0 {
                writeln!(stderr, "timing {experiment}: {done}/{total} runs")
            } else {
                Ok(())
            }
        }
    };
}

pub(crate) fn status_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "PASS",
        Outcome::Fail => "FAIL",
        Outcome::Timeout => "TIMEOUT",
        Outcome::Crash => "CRASH",
        Outcome::NotRun => "NOT RUN",
    }
}

fn render_list(course: &Course) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let _ = writeln!(text, "{}", course.title);
    for lab in &course.labs {
        if lab.tests.is_empty() {
            // A students' repository: the hidden tests are not listed.
            let _ = writeln!(
                text,
                "\n{} {} ({}): hidden tests worth {} points, graded by the course's autograder; \
                 `cargo xtask grade {}` runs the public tests",
                lab.id(),
                lab.slug,
                lab.crate_name,
                lab.max_points(),
                lab.id()
            );
        } else {
            let _ = writeln!(
                text,
                "\n{} {} ({}): {} tests, {} points",
                lab.id(),
                lab.slug,
                lab.crate_name,
                lab.tests.len(),
                lab.max_points()
            );
        }
        let name_width = lab
            .tests
            .iter()
            .map(|test| test.name.len())
            .max()
            .unwrap_or(0);
        for test in &lab.tests {
            let visibility = serde_json::to_value(lab.visibility(test))
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default();
            let speed = test
                .speed
                .as_ref()
                .map(|speed| {
                    format!(
                        "  speed: at least {:.2} of the reference at `{}` in {}",
                        speed.at_least, speed.point, speed.experiment
                    )
                })
                .unwrap_or_default();
            let line = format!(
                "  {:<name_width$}  {:>2} pts  timeout {:>4}s  {:<15}{}{speed}",
                test.name,
                test.points,
                lab.timeout(test).as_secs_f64(),
                visibility,
                if test.alone { "  runs alone" } else { "" }
            );
            let _ = writeln!(text, "{}", line.trim_end());
        }
        for experiment in &lab.experiments {
            let _ = writeln!(
                text,
                "  timing experiment {}: {} ({})",
                experiment.name, experiment.title, experiment.unit
            );
        }
    }
    text
}
