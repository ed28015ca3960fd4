//! Grading one lab from start to end: build, list, run, record.
//!
//! This is the one place that strings the other modules together, so that
//! `cargo xtask grade` and any later batch or autograder command grade in
//! exactly the same way. It writes the results folder as it goes and returns
//! the final [`LabResults`]; it prints nothing itself (the caller passes a
//! callback to show progress). A request for the public tests, or a
//! repository without the lab's hidden suite (a students' repository), is
//! graded by [`crate::public`] through the same runner and results files.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::answers::{AnswerKey, Answers, ReferenceRuns};
use crate::build::ImplementationInfo;
use crate::build::{self, BuildOutcome, BuildRequest, Implementation, SuiteVariant};
use crate::course::{Course, ExperimentSpec, Lab, TestSpec};
use crate::experiment::{self, BenchLevel, Contender, ExperimentResult, Role};
use crate::formats::FileFormat;
use crate::results::{
    BuildRecord, Environment, GradedTests, LabInfo, LabResults, RESULTS_SCHEMA_VERSION, TestResult,
    Totals, now_rfc3339,
};
use crate::runner::{self, Outcome, PlannedTest, Runner, TestRun};
use crate::{Error, ErrorKind};

/// What to grade and how.
#[derive(Debug, Clone)]
pub struct GradeRequest<'a> {
    pub course: &'a Course,
    pub lab: &'a Lab,
    pub implementation: Implementation,
    /// How many tests run at once (tests marked `alone` always run alone).
    pub jobs: usize,
    /// Only tests whose name contains one of these texts (empty: all).
    pub filters: Vec<String>,
    /// Run each test this many times; it passes only if every run passes
    /// (to show a verdict is stable, or to find a flaky test).
    pub repeat: u32,
    /// Where `results.json` and `timing.json` go.
    pub out_dir: PathBuf,
    /// Multiplies every test's timeout (for slow machines).
    pub timeout_scale: f64,
    /// Echo the compiler's progress to stderr.
    pub echo_build: bool,
    /// Timing experiments after the tests (with filters, only experiments
    /// whose name matches one; speed tests run the experiments they need in
    /// any case).
    pub bench: BenchLevel,
    /// Files written next to `results.json` in other formats (Gradescope,
    /// JUnit, Markdown), rewritten with it after every finished test.
    pub file_formats: Vec<FileFormat>,
    /// The hidden suite (the lab's grade) or the lab's public tests (see
    /// [`crate::public`]). A repository without the lab's hidden suite (a
    /// student export) grades the public tests whatever this says.
    pub graded_tests: GradedTests,
}

impl<'a> GradeRequest<'a> {
    /// A request with the defaults of `cargo xtask grade`: as many tests at
    /// once as the machine has cores, every test once, no filter, timeouts
    /// as declared, quick timing experiments, no extra file formats. Change
    /// fields with struct update syntax (`GradeRequest { jobs: 2,
    /// ..GradeRequest::new(...) }`), so that a new field does not break
    /// callers.
    pub fn new(
        course: &'a Course,
        lab: &'a Lab,
        implementation: Implementation,
        out_dir: PathBuf,
    ) -> GradeRequest<'a> {
        GradeRequest {
            course,
            lab,
            implementation,
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
            filters: Vec::new(),
            repeat: 1,
            out_dir,
            timeout_scale: 1.0,
            echo_build: false,
            bench: BenchLevel::Quick,
            file_formats: Vec::new(),
            graded_tests: GradedTests::Hidden,
        }
    }
}

/// Progress events for a caller that shows them.
#[derive(Debug)]
pub enum Progress<'a> {
    Building,
    /// Compiling the lab's public tests (instead of the hidden suite).
    BuildingPublicTests,
    Running {
        total: usize,
    },
    Finished {
        run: &'a TestRun,
        done: usize,
        total: usize,
    },
    /// Something an instructor should fix; grading goes on.
    Warning(String),
    /// Timing experiments: `done` of `total` runs finished.
    Benchmarking {
        experiment: &'a str,
        done: usize,
        total: usize,
    },
}

/// Grades the lab; see the module docs.
pub fn grade(
    request: &GradeRequest<'_>,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<LabResults, Error> {
    let lab = request.lab;
    crate::sandbox::check_switches()?;
    crate::public::require_implementation_present(request)?;
    if request.graded_tests == GradedTests::Public
        || !crate::public::holds_hidden_suites(request.course)
    {
        return crate::public::grade_public(request, progress);
    }
    let implementation = request.implementation.describe(request.course, lab)?;
    let selected = selected_tests(request);
    let graded_native: Option<SuiteBinary>;
    let mut results = starting_results(
        request,
        &implementation,
        GradedTests::Hidden,
        facade_warnings(lab, &implementation.path),
    );
    results.tests = selected
        .iter()
        .map(|test| TestResult {
            name: test.name.clone(),
            points: 0,
            max_points: test.points,
            status: Outcome::NotRun,
            duration_secs: 0.0,
            message: "not run yet".to_owned(),
            output: String::new(),
            visibility: lab.visibility(test),
            alone: test.alone,
            timeout_secs: lab.timeout(test).as_secs_f64() * request.timeout_scale,
            metrics: Default::default(),
            runs: 0,
            passed_runs: 0,
        })
        .collect();
    results.update_totals();
    write_results(&results, request)?;
    for warning in &results.warnings {
        progress(Progress::Warning(warning.clone()));
    }

    progress(Progress::Building);
    let is_selected = |name: &str| selected.iter().any(|test| test.name == name);
    let experiments = experiments_to_run(request, &selected);
    let built = build_and_list(
        request,
        &implementation,
        &is_selected,
        !experiments.is_empty(),
    )?;
    let registered = match built {
        Ok(built) => {
            graded_native = built.native;
            results.build = BuildRecord {
                ok: true,
                duration_secs: built.build_secs,
                message: String::new(),
            };
            built.registered
        }
        Err(failed_build) => {
            results.build = failed_build;
            if crate::process::is_interrupted() {
                // Ctrl-C reached cargo too: the build was stopped, not
                // refused by the compiler, and no test was graded.
                results.interrupted = true;
                for test in &mut results.tests {
                    test.message = "not run: the grade was interrupted while building".to_owned();
                }
                return finish(results, request);
            }
            for test in &mut results.tests {
                test.status = Outcome::Fail;
                test.message =
                    "not graded: the implementation does not compile against the hidden suite \
                                (see the build message)"
                        .to_owned();
            }
            return finish(results, request);
        }
    };

    let runner = Runner {
        jobs: request.jobs,
        secret: new_secret(),
        lab_id: lab.id(),
        implementation_args: request.implementation.command_line_args(),
    };
    let undeclared: Vec<&str> = registered
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| !lab.tests.iter().any(|test| test.name == *name))
        .collect();
    if let Some(native) = &graded_native {
        let listed = runner::list_experiments(&native.binary)?;
        let undeclared_experiments: Vec<&str> = listed
            .iter()
            .map(String::as_str)
            .filter(|name| lab.experiment(name).is_none())
            .collect();
        if !undeclared_experiments.is_empty() {
            progress(Progress::Warning(format!(
                "the hidden suite has timing experiments that course.toml does not declare, so \
                 they do not run: {}",
                undeclared_experiments.join(", ")
            )));
        }
    }
    if !undeclared.is_empty() {
        progress(Progress::Warning(format!(
            "the hidden suite has tests that course.toml does not declare, so they are not graded: {}",
            undeclared.join(", ")
        )));
    }
    let mut plan = Vec::new();
    for test in &selected {
        if test.speed.is_some() {
            // Decided by the timing experiments after the tests.
            continue;
        }
        if let Some((_, suite)) = registered.iter().find(|(name, _)| name == &test.name) {
            for _ in 0..request.repeat.max(1) {
                plan.push(PlannedTest {
                    name: test.name.clone(),
                    binary: suite.binary.clone(),
                    timeout: lab.timeout(test).mul_f64(request.timeout_scale),
                    alone: test.alone,
                    env: suite.env(),
                });
            }
        } else if let Some(result) = results
            .tests
            .iter_mut()
            .find(|result| result.name == test.name)
        {
            result.status = Outcome::Fail;
            result.message = format!(
                "the hidden suite has no test named `{}`: course.toml and the suite disagree \
                 (an instructor's mistake, not the student's)",
                test.name
            );
        }
    }
    write_results(&results, request)?;

    let answer_key = answer_key(request, &selected);
    let mut results = run_and_record(
        results,
        request,
        plan.len(),
        progress,
        &|run| run,
        |on_finish| {
            runner.run_all_checking_answers(&plan, &answer_key, on_finish);
        },
    )?;

    if let (Some(graded), false) = (graded_native, experiments.is_empty()) {
        if !crate::process::is_interrupted() {
            let level = request.bench.at_least_quick();
            results.experiments = measure(
                request,
                &implementation,
                graded,
                &runner,
                &experiments,
                level,
                progress,
            )?;
            for test in selected.iter().filter(|test| test.speed.is_some()) {
                let spec = test.speed.as_ref().expect("filtered on speed");
                let experiment_result = results
                    .experiments
                    .iter()
                    .find(|result| result.name == spec.experiment);
                let (outcome, message, metrics) =
                    experiment::speed_verdict(spec, experiment_result);
                if let Some(result) = results
                    .tests
                    .iter_mut()
                    .find(|result| result.name == test.name)
                {
                    // The experiment's time is in the timing report; the
                    // verdict itself takes none.
                    let duration = Duration::ZERO;
                    record_run(
                        result,
                        &TestRun {
                            name: test.name.clone(),
                            outcome,
                            message,
                            duration,
                            output: String::new(),
                            metrics,
                            measurements: Vec::new(),
                        },
                    );
                }
            }
            results.update_totals();
        }
    }
    results.interrupted = crate::process::is_interrupted();
    finish(results, request)
}

/// The expected answers of a grade's tests: learned from the graded runs
/// when the reference itself is graded, otherwise asked of the reference
/// (built the first time a test needs it; see [`crate::answers`]).
fn answer_key<'r>(request: &GradeRequest<'r>, selected: &[&TestSpec]) -> AnswerKey<'r> {
    if request.implementation == Implementation::Reference {
        return AnswerKey::learning_from_the_reference(request.course, request.lab);
    }
    let reference = ReferenceSuite {
        request: GradeRequest {
            implementation: Implementation::Reference,
            ..request.clone()
        },
        wanted: selected.iter().map(|test| test.name.clone()).collect(),
        built: OnceLock::new(),
        runner: Runner {
            jobs: 1,
            secret: new_secret(),
            lab_id: request.lab.id(),
            implementation_args: Implementation::Reference.command_line_args(),
        },
    };
    AnswerKey::from_reference(request.course, request.lab, Box::new(reference))
}

/// The reference's build of the suite, made when a test first needs the
/// reference's answers, and runs of its tests.
struct ReferenceSuite<'r> {
    request: GradeRequest<'r>,
    /// The tests of the grade: the builds (variants) that hold them.
    wanted: Vec<String>,
    built: OnceLock<Result<Vec<(String, SuiteBinary)>, String>>,
    runner: Runner,
}

impl ReferenceSuite<'_> {
    fn build(&self) -> Result<Vec<(String, SuiteBinary)>, String> {
        let request = &self.request;
        let info = Implementation::Reference
            .describe(request.course, request.lab)
            .map_err(|err| err.to_string())?;
        let wanted = |name: &str| self.wanted.iter().any(|wanted| wanted == name);
        match build_and_list(request, &info, &wanted, false) {
            Ok(Ok(built)) => Ok(built.registered),
            Ok(Err(failed_build)) => Err(format!(
                "the reference does not compile against the hidden suite:\n{}",
                failed_build.message
            )),
            Err(err) => Err(format!("the reference's suite could not be built: {err}")),
        }
    }
}

impl ReferenceRuns for ReferenceSuite<'_> {
    fn reference_answers(&self, test_name: &str) -> Result<Answers, String> {
        let registered = self
            .built
            .get_or_init(|| self.build())
            .as_ref()
            .map_err(Clone::clone)?;
        let lab = self.request.lab;
        let (Some((_, suite)), Some(spec)) = (
            registered.iter().find(|(name, _)| name == test_name),
            lab.tests.iter().find(|test| test.name == test_name),
        ) else {
            return Err("no build of the suite against the reference registers it".to_owned());
        };
        let planned = PlannedTest {
            name: test_name.to_owned(),
            binary: suite.binary.clone(),
            timeout: lab.timeout(spec).mul_f64(self.request.timeout_scale),
            alone: spec.alone,
            env: suite.env(),
        };
        self.runner
            .run_for_answers(&planned)
            .map_err(|message| format!("its run ended with {message}"))
    }
}

/// The experiments a grade runs: with timing on, those whose name matches
/// a filter (all of them without filters), plus those that selected speed
/// tests need.
fn experiments_to_run<'a>(
    request: &GradeRequest<'a>,
    selected: &[&crate::course::TestSpec],
) -> Vec<&'a ExperimentSpec> {
    request
        .lab
        .experiments
        .iter()
        .filter(|experiment| {
            let wanted_for_timing = request.bench != BenchLevel::Off
                && (request.filters.is_empty()
                    || request
                        .filters
                        .iter()
                        .any(|text| experiment.name.contains(text.as_str())));
            wanted_for_timing
                || selected.iter().any(|test| {
                    test.speed
                        .as_ref()
                        .is_some_and(|speed| speed.experiment == experiment.name)
                })
        })
        .collect()
}

/// Runs timing experiments for the graded implementation (already built)
/// and, unless it is the reference, for the reference built alongside.
fn measure(
    request: &GradeRequest<'_>,
    implementation: &ImplementationInfo,
    graded: SuiteBinary,
    graded_runner: &Runner,
    experiments: &[&ExperimentSpec],
    level: BenchLevel,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<Vec<ExperimentResult>, Error> {
    let lab = request.lab;
    let mut contenders = vec![Contender {
        label: subject_label(implementation.kind).to_owned(),
        role: Role::Graded,
        binary: graded.binary,
        worker: graded.worker,
        runner: Runner {
            jobs: 1,
            secret: graded_runner.secret.clone(),
            lab_id: graded_runner.lab_id.clone(),
            implementation_args: graded_runner.implementation_args.clone(),
        },
    }];
    if request.implementation != Implementation::Reference {
        let reference_request = GradeRequest {
            implementation: Implementation::Reference,
            ..request.clone()
        };
        let reference_info = Implementation::Reference.describe(request.course, lab)?;
        match build_and_list(&reference_request, &reference_info, &|_| false, true)? {
            Ok(Built {
                native: Some(native),
                ..
            }) => contenders.push(Contender {
                label: "reference".to_owned(),
                role: Role::Reference,
                binary: native.binary,
                worker: native.worker,
                runner: Runner {
                    jobs: 1,
                    secret: new_secret(),
                    lab_id: lab.id(),
                    implementation_args: Implementation::Reference.command_line_args(),
                },
            }),
            Ok(_) | Err(_) => progress(Progress::Warning(
                "the reference solution does not compile against the hidden suite, so timing \
                 experiments measure the graded code alone (an instructor's mistake)"
                    .to_owned(),
            )),
        }
    }
    let on_round = |round: experiment::RoundProgress<'_>| {
        progress(Progress::Benchmarking {
            experiment: round.experiment,
            done: round.done,
            total: round.total,
        });
    };
    Ok(experiment::run_experiments(
        lab,
        experiments,
        &contenders,
        level,
        request.timeout_scale,
        &on_round,
    ))
}

/// How the graded implementation is named in timing tables.
fn subject_label(kind: &str) -> &'static str {
    match kind {
        "reference" => "reference",
        "student" => "student crate",
        _ => "submission",
    }
}

/// Runs only a lab's timing experiments (`cargo xtask bench`): builds the
/// suite against the implementation and the reference, measures, and
/// writes `timing.json` into `request.out_dir`.
pub fn bench(
    request: &GradeRequest<'_>,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<crate::results::TimingReport, Error> {
    let lab = request.lab;
    crate::public::require_implementation_present(request)?;
    crate::public::require_hidden_suite(request, "timing experiments")?;
    if lab.experiments.is_empty() {
        return Err(Error::new(ErrorKind::Suite {
            path: lab.suite_dir(&request.course.root),
            message: format!(
                "{lab} declares no timing experiments (add an `experiments` list to its entry \
                 in course.toml)"
            ),
        }));
    }
    let implementation = request.implementation.describe(request.course, lab)?;
    progress(Progress::Building);
    let graded = match build_and_list(request, &implementation, &|_| false, true)? {
        Ok(Built {
            native: Some(native),
            build_secs,
            ..
        }) => (native, build_secs),
        Ok(_) => unreachable!("a successful timed build has a native binary"),
        Err(failed_build) => return Err(does_not_compile(implementation.path, &failed_build)),
    };
    let runner = Runner {
        jobs: 1,
        secret: new_secret(),
        lab_id: lab.id(),
        implementation_args: request.implementation.command_line_args(),
    };
    let experiments: Vec<&ExperimentSpec> = lab
        .experiments
        .iter()
        .filter(|experiment| {
            request.filters.is_empty()
                || request
                    .filters
                    .iter()
                    .any(|text| experiment.name.contains(text.as_str()))
        })
        .collect();
    let level = request.bench.at_least_quick();
    let results = measure(
        request,
        &implementation,
        graded.0,
        &runner,
        &experiments,
        level,
        progress,
    )?;
    let report = crate::results::TimingReport {
        schema_version: crate::results::TIMING_SCHEMA_VERSION,
        lab: lab.id(),
        implementation: implementation.kind.to_owned(),
        environment: Environment::detect(1, &request.course.root),
        build_secs: graded.1,
        tests_secs: 0.0,
        tests: Vec::new(),
        experiments: results,
    };
    report.write_file(&request.out_dir)?;
    crate::report::write_report(&request.out_dir, &report, None)?;
    Ok(report)
}

/// What a student must hear before grading: uses of `std::sync` or
/// `std::thread` in a lab that is graded through its facade.
pub(crate) fn facade_warnings(lab: &Lab, crate_dir: &std::path::Path) -> Vec<String> {
    let Some(facade) = &lab.facade else {
        return Vec::new();
    };
    let bypasses = crate::facade::find_bypasses(crate_dir);
    if bypasses.is_empty() {
        return Vec::new();
    }
    let places: Vec<String> = bypasses
        .iter()
        .take(10)
        .map(|bypass| {
            format!(
                "{}:{} ({})",
                bypass.file.display(),
                bypass.line,
                bypass.found
            )
        })
        .collect();
    vec![format!(
        "{} uses std's threads or locks directly, so schedule exploration cannot see them and its \
         verdicts on this code are unreliable; take them from `{facade}` instead (same names: \
         {facade}::sync::Mutex, {facade}::thread::spawn, ...). Found at {}{}",
        lab.crate_name,
        places.join(", "),
        if bypasses.len() > places.len() {
            format!(" and {} more", bypasses.len() - places.len())
        } else {
            String::new()
        }
    )]
}

/// The error of a command that needs a compiled suite (bench, replay) when
/// the implementation does not compile against it.
fn does_not_compile(path: PathBuf, failed_build: &BuildRecord) -> Error {
    Error::new(ErrorKind::InvalidSubmission {
        path,
        message: format!(
            "does not compile against the hidden suite:\n{}",
            failed_build.message
        ),
    })
}

/// A compiled suite binary and the lab's worker program built with it.
#[derive(Debug, Clone)]
struct SuiteBinary {
    binary: PathBuf,
    worker: Option<PathBuf>,
}

impl SuiteBinary {
    /// What a test process of this binary needs in its environment.
    fn env(&self) -> Vec<(String, std::ffi::OsString)> {
        self.worker
            .iter()
            .map(|worker| {
                (
                    crate::protocol::WORKER_EXE_ENV.to_owned(),
                    worker.clone().into(),
                )
            })
            .collect()
    }
}

/// Every test the suite's builds register, with the binary that holds it,
/// and the native build (which holds the timing experiments).
struct Built {
    registered: Vec<(String, SuiteBinary)>,
    native: Option<SuiteBinary>,
    build_secs: f64,
}

/// Builds the variants of the lab's suite against the implementation and
/// lists their tests; a compile error is returned as the build record. A
/// variant known (from a cached listing) to hold none of the `wanted`
/// tests is not built, unless it is the native one and `timed`.
///
/// `timed`: timing experiments will run on the native build. It is then
/// always built, with the suite's own code optimized; otherwise the suite's
/// code (not the implementation's) is left unoptimized, which compiles
/// about four times faster and changes no verdict, since no test asserts a
/// speed outside the experiments.
fn build_and_list(
    request: &GradeRequest<'_>,
    implementation: &ImplementationInfo,
    wanted: &dyn Fn(&str) -> bool,
    timed: bool,
) -> Result<Result<Built, BuildRecord>, Error> {
    let mut built = Built {
        registered: Vec::new(),
        native: None,
        build_secs: 0.0,
    };
    let course_root = &request.course.root;
    for variant in build::suite_variants(course_root, request.lab)? {
        let needed_anyway = timed && variant == SuiteVariant::Native;
        if !needed_anyway
            && build::cached_listing(course_root, request.lab, variant)
                .is_some_and(|listed| !listed.iter().any(|name| wanted(name)))
        {
            continue;
        }
        let build_outcome = build::build_suite(&BuildRequest {
            course: request.course,
            lab: request.lab,
            implementation,
            key_source: &request.implementation,
            variant,
            optimize_suite: timed,
            echo_progress: request.echo_build,
        })?;
        match build_outcome {
            BuildOutcome::Built(suite) => {
                built.build_secs += suite.duration.as_secs_f64();
                let names = runner::list_tests(&suite.binary)?;
                build::remember_listing(course_root, request.lab, variant, &names);
                let binary = SuiteBinary {
                    binary: suite.binary,
                    worker: suite.worker,
                };
                if variant == SuiteVariant::Native {
                    built.native = Some(binary.clone());
                }
                built
                    .registered
                    .extend(names.into_iter().map(|name| (name, binary.clone())));
            }
            BuildOutcome::Failed {
                compiler_output,
                duration,
            } => {
                let which = match variant {
                    SuiteVariant::Native => "",
                    SuiteVariant::Exploring => "(in the schedule-exploring build) ",
                };
                return Ok(Err(BuildRecord {
                    ok: false,
                    duration_secs: built.build_secs + duration.as_secs_f64(),
                    message: format!("{which}{compiler_output}"),
                }));
            }
        }
    }
    Ok(Ok(built))
}

/// Runs one test in the foreground, its output going straight to the
/// terminal, for a person debugging it; with `schedule`, an exploration
/// test replays exactly that schedule. Returns whether the test passed.
pub fn replay(
    request: &GradeRequest<'_>,
    test_name: &str,
    schedule: Option<&str>,
) -> Result<bool, Error> {
    let lab = request.lab;
    crate::public::require_implementation_present(request)?;
    if request.graded_tests == GradedTests::Public
        || !crate::public::holds_hidden_suites(request.course)
    {
        return crate::public::replay_public(request, test_name);
    }
    if !lab.tests.iter().any(|test| test.name == test_name) {
        return Err(Error::new(ErrorKind::UnknownTest {
            lab: lab.to_string(),
            query: test_name.to_owned(),
            known: lab.tests.iter().map(|test| test.name.clone()).collect(),
        }));
    }
    let implementation = request.implementation.describe(request.course, lab)?;
    let registered =
        match build_and_list(request, &implementation, &|name| name == test_name, false)? {
            Ok(built) => built.registered,
            Err(failed_build) => return Err(does_not_compile(implementation.path, &failed_build)),
        };
    let Some((_, suite)) = registered.iter().find(|(name, _)| name == test_name) else {
        return Err(Error::new(ErrorKind::Suite {
            path: lab.suite_dir(&request.course.root),
            message: format!("no build of the suite registers `{test_name}`"),
        }));
    };
    let binary = &suite.binary;
    let mut env: Vec<(std::ffi::OsString, std::ffi::OsString)> = suite
        .env()
        .into_iter()
        .map(|(name, value)| (name.into(), value))
        .collect();
    env.push((crate::protocol::LAB_ENV.into(), lab.id().into()));
    env.push((crate::protocol::TEST_ENV.into(), test_name.into()));
    env.push((
        crate::protocol::IMPLEMENTATION_ARGS_ENV.into(),
        request.implementation.command_line_args().into(),
    ));
    if let Some(schedule) = schedule {
        env.push((crate::protocol::SCHEDULE_ENV.into(), schedule.into()));
    }
    // A replayed test is someone's code too: it runs in the same sandbox as
    // in a grade, its output shown as it comes, under a generous deadline
    // (a person may be watching a slow test on purpose).
    let timeout = lab
        .tests
        .iter()
        .find(|test| test.name == test_name)
        .map_or(Duration::from_secs(60), |test| lab.timeout(test) * 10);
    let programs = suite
        .env()
        .into_iter()
        .filter(|(name, _)| name == crate::protocol::WORKER_EXE_ENV)
        .map(|(_, value)| std::path::PathBuf::from(value))
        .collect();
    crate::process::run_in_foreground(
        binary,
        vec![crate::protocol::RUN_FLAG.into(), test_name.into()],
        env,
        timeout,
        programs,
    )
    .map_err(|source| {
        Error::new(ErrorKind::Io {
            action: "run the test",
            path: binary.clone(),
            source,
        })
    })
}

/// Folds one finished run into its test's result. With several runs the
/// test passes only if every run passed; the verdict, message and output
/// shown are those of the first failing run (or of the first run), and the
/// duration is the mean.
pub(crate) fn record_run(result: &mut TestResult, run: &TestRun) {
    let earlier_runs = result.runs;
    let all_passed_so_far = result.passed_runs == earlier_runs;
    result.runs += 1;
    result.duration_secs = (result.duration_secs * f64::from(earlier_runs)
        + run.duration.as_secs_f64())
        / f64::from(result.runs);
    if run.outcome.is_pass() {
        result.passed_runs += 1;
    }
    if earlier_runs == 0 || (all_passed_so_far && !run.outcome.is_pass()) {
        result.status = run.outcome;
        result.message = run.message.clone();
        result.output = run.output.clone();
        result.metrics = run.metrics.clone();
    }
    result.points = if result.passed_runs == result.runs {
        result.max_points
    } else {
        0
    };
}

/// Runs a plan through `run_all` (the hidden suite's runner or the public
/// tests'), recording each finished test into `results` (its message
/// passed through `tidy` first) and rewriting the results files after each,
/// so an interrupted run keeps every finished result.
pub(crate) fn run_and_record(
    results: LabResults,
    request: &GradeRequest<'_>,
    planned: usize,
    progress: &(dyn Fn(Progress<'_>) + Sync),
    tidy: &(dyn Fn(TestRun) -> TestRun + Sync),
    run_all: impl FnOnce(&(dyn Fn(&TestRun) + Sync)),
) -> Result<LabResults, Error> {
    progress(Progress::Running { total: planned });
    let shared = Mutex::new((results, 0usize));
    let write_error: Mutex<Option<Error>> = Mutex::new(None);
    let on_finish = |run: &TestRun| {
        let run = &tidy(run.clone());
        let mut guard = shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (results, done) = &mut *guard;
        *done += 1;
        if let Some(result) = results
            .tests
            .iter_mut()
            .find(|result| result.name == run.name)
        {
            record_run(result, run);
        }
        results.update_totals();
        if let Err(err) = write_results(results, request) {
            write_error
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get_or_insert(err);
        }
        progress(Progress::Finished {
            run,
            done: *done,
            total: planned,
        });
    };
    run_all(&on_finish);
    if let Some(err) = write_error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(err);
    }
    let (results, _) = shared
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(results)
}

/// The results document of a grade that is starting: nothing built, no
/// test known or run yet.
pub(crate) fn starting_results(
    request: &GradeRequest<'_>,
    implementation: &ImplementationInfo,
    graded_tests: GradedTests,
    warnings: Vec<String>,
) -> LabResults {
    LabResults {
        schema_version: RESULTS_SCHEMA_VERSION,
        lab: LabInfo::of(request.lab),
        implementation: implementation.into(),
        environment: Environment::detect(request.jobs, &request.course.root),
        graded_tests,
        started_at: now_rfc3339(),
        finished_at: None,
        complete: false,
        interrupted: false,
        filters: request.filters.clone(),
        repeat: request.repeat.max(1),
        build: BuildRecord {
            ok: false,
            duration_secs: 0.0,
            message: String::new(),
        },
        warnings,
        tests: Vec::new(),
        totals: Totals::default(),
        experiments: Vec::new(),
    }
}

/// The tests the request's filters select, in the course's order.
fn selected_tests<'a>(request: &GradeRequest<'a>) -> Vec<&'a TestSpec> {
    request
        .lab
        .tests
        .iter()
        .filter(|test| {
            request.filters.is_empty()
                || request
                    .filters
                    .iter()
                    .any(|text| test.name.contains(text.as_str()))
        })
        .collect()
}

/// Compiles what [`grade`] would compile for the same request, and runs
/// nothing. A batch builds the next submission while the previous one's
/// tests run; `grade` then finds every build up to date. A submission that
/// does not compile is not an error here: `grade` records its failure.
pub fn prebuild(request: &GradeRequest<'_>) -> Result<(), Error> {
    let implementation = request
        .implementation
        .describe(request.course, request.lab)?;
    let selected = selected_tests(request);
    let timed = !experiments_to_run(request, &selected).is_empty();
    let is_selected = |name: &str| selected.iter().any(|test| test.name == name);
    // A failed build is recorded by `grade`, which runs it again (cargo
    // remembers nothing of a failure, so that costs one more compile).
    let _built_or_failed = build_and_list(request, &implementation, &is_selected, timed)?;
    Ok(())
}

/// Writes `results.json`, `timing.json` and the request's other formats.
pub(crate) fn write_results(results: &LabResults, request: &GradeRequest<'_>) -> Result<(), Error> {
    results.write_files(&request.out_dir)?;
    crate::formats::write_files(results, &request.out_dir, &request.file_formats)
}

pub(crate) fn finish(
    mut results: LabResults,
    request: &GradeRequest<'_>,
) -> Result<LabResults, Error> {
    results.update_totals();
    results.complete = !results.interrupted;
    results.finished_at = Some(now_rfc3339());
    write_results(&results, request)?;
    crate::report::write_report(&request.out_dir, &results.timing(), Some(&results))?;
    Ok(results)
}

/// A fresh secret for one run: 128 bits from the OS, as hex.
fn new_secret() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let filled =
        std::fs::File::open("/dev/urandom").and_then(|mut random| random.read_exact(&mut bytes));
    if filled.is_err() {
        // No /dev/urandom: fall back to the clock and the process id, which
        // a test process cannot predict either.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_nanos();
        bytes = (nanos ^ (u128::from(std::process::id()) << 64)).to_le_bytes();
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
