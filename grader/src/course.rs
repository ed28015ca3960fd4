//! The course description: `course.toml` at the workspace root.
//!
//! This module owns the one machine-readable description of the course:
//! which labs exist (number, slug, crate) and, for each hidden test, its
//! points, timeout, visibility and whether it must run alone. Every tool
//! reads it through [`Course::load`]; nothing else in the project restates
//! these facts. It knows where a lab's folders are, but it does not build or
//! run anything.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Error, ErrorKind};

/// The file name of the course description, at the workspace root.
pub const COURSE_FILE: &str = "course.toml";

/// The whole course as read from `course.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// The course's title, shown in reports.
    pub title: String,
    #[serde(rename = "labs")]
    pub labs: Vec<Lab>,
    /// The folder holding `course.toml` (the workspace root).
    #[serde(skip)]
    pub root: PathBuf,
}

/// One lab: a student crate, its reference solution and its hidden suite.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    /// The lab's number: `lab4` is number 4.
    pub number: u32,
    /// The short name a person types: `queues`.
    pub slug: String,
    /// The student crate's package name, also the folder name in `labs/`,
    /// `solutions/` and `grader/suites/`: `lab4-queues`.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// Timeout for tests that do not set their own.
    pub default_timeout_secs: f64,
    /// Visibility for tests that do not set their own.
    #[serde(default)]
    pub default_visibility: Visibility,
    /// The synchronization facade crate the lab's code must use instead of
    /// `std::sync` and `std::thread` (labs graded by schedule exploration).
    pub facade: Option<String>,
    /// For labs whose code starts processes: the library function (a path
    /// inside the lab's crate, `worker_main`) that is the `main` of the lab's
    /// worker program. The grader builds that program from the graded
    /// implementation and hands its path to the tests.
    pub worker_main: Option<String>,
    /// The hidden tests. A student repository's course description (written
    /// by `cargo xtask dist`) leaves them out, since their names hint at the
    /// answers, and states only [`Lab::hidden_points`].
    #[serde(default)]
    pub tests: Vec<TestSpec>,
    /// What the hidden tests are worth in all, for a course description
    /// without them (a student repository). Where the tests are declared it
    /// may be left out; if given, it must equal the sum of their points.
    #[serde(default)]
    pub hidden_points: Option<u32>,
    /// Timing experiments registered by the hidden suite; shown in the
    /// timing report, graded only through tests with a `speed` table.
    #[serde(default)]
    pub experiments: Vec<ExperimentSpec>,
}

/// A timing experiment as the course declares it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentSpec {
    /// The experiment function's name in the hidden suite.
    pub name: String,
    /// What a person reads: `Queue throughput`.
    pub title: String,
    /// The unit of every value measured: `items/s`.
    pub unit: String,
    /// Whether bigger values are better (throughput) or smaller (time).
    #[serde(default)]
    pub better: Better,
    /// Wall-clock limit for one run of the experiment (one process).
    pub timeout_secs: Option<f64>,
    /// What the numbers of the experiment's points stand for when they are
    /// not counts of threads or processes (`chunk size`). The chart then
    /// plots the values themselves against that axis instead of a speedup.
    #[serde(default)]
    pub x_axis: Option<String>,
}

/// Which direction of an experiment's values is an improvement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    #[default]
    Higher,
    Lower,
}

/// Points for speed: the graded implementation's median at one point of an
/// experiment, as a fraction of the reference's median measured in the same
/// run (inverted for experiments where lower is better).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedSpec {
    pub experiment: String,
    /// The point of the experiment compared (`2 threads`).
    pub point: String,
    /// The least fraction of the reference's performance that passes (0.5:
    /// at least half the reference's throughput).
    pub at_least: f64,
}

/// One hidden test as the course declares it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestSpec {
    /// The test function's name in the hidden suite.
    pub name: String,
    pub points: u32,
    /// Wall-clock limit for this test's process; the lab default if absent.
    pub timeout_secs: Option<f64>,
    pub visibility: Option<Visibility>,
    /// Timing-sensitive: run with no other test running.
    #[serde(default)]
    pub alone: bool,
    /// A speed test: no suite function, but a comparison with the reference
    /// in one of the lab's timing experiments.
    pub speed: Option<SpeedSpec>,
}

/// When a student may see a test's result (Gradescope's four levels).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Visible,
    Hidden,
    AfterDueDate,
    AfterPublished,
}

impl Course {
    /// Reads and checks `course.toml` in `root`.
    pub fn load(root: &Path) -> Result<Course, Error> {
        let path = root.join(COURSE_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| {
            Error::new(ErrorKind::Io {
                action: "read the course description",
                path: path.clone(),
                source,
            })
        })?;
        let mut course = Course::parse(&text).map_err(|message| {
            Error::new(ErrorKind::InvalidCourse {
                path: path.clone(),
                message,
            })
        })?;
        // Absolute: tests and sandboxed builds run in scratch folders of
        // their own, where a path relative to ours would lead nowhere.
        course.root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Ok(course)
    }

    /// Parses and checks the text of a course description.
    pub fn parse(text: &str) -> Result<Course, String> {
        let course: Course = toml::from_str(text).map_err(|err| err.to_string())?;
        course.check()?;
        Ok(course)
    }

    fn check(&self) -> Result<(), String> {
        let mut seen_numbers = std::collections::BTreeSet::new();
        for lab in &self.labs {
            if !seen_numbers.insert(lab.number) {
                return Err(format!("lab number {} is declared twice", lab.number));
            }
            let expected_prefix = format!("lab{}-", lab.number);
            if !lab.crate_name.starts_with(&expected_prefix) {
                return Err(format!(
                    "lab {}: crate `{}` should start with `{expected_prefix}`",
                    lab.number, lab.crate_name
                ));
            }
            if !is_positive_duration(lab.default_timeout_secs) {
                return Err(format!(
                    "lab {}: default_timeout_secs must be positive",
                    lab.number
                ));
            }
            let declared_points: u32 = lab.tests.iter().map(|test| test.points).sum();
            if let Some(hidden_points) = lab.hidden_points {
                if !lab.tests.is_empty() && hidden_points != declared_points {
                    return Err(format!(
                        "lab {}: hidden_points = {hidden_points} but its tests add up to \
                         {declared_points} points (leave hidden_points out where the tests are \
                         declared)",
                        lab.number
                    ));
                }
            }
            let mut seen_tests = std::collections::BTreeSet::new();
            for test in &lab.tests {
                if !seen_tests.insert(test.name.as_str()) {
                    return Err(format!(
                        "lab {}: test `{}` is declared twice",
                        lab.number, test.name
                    ));
                }
                if test
                    .timeout_secs
                    .is_some_and(|secs| !is_positive_duration(secs))
                {
                    return Err(format!(
                        "lab {}: test `{}` needs a positive timeout",
                        lab.number, test.name
                    ));
                }
                if let Some(speed) = &test.speed {
                    if !lab
                        .experiments
                        .iter()
                        .any(|experiment| experiment.name == speed.experiment)
                    {
                        return Err(format!(
                            "lab {}: speed test `{}` names experiment `{}`, which the lab does not \
                             declare in its `experiments` list",
                            lab.number, test.name, speed.experiment
                        ));
                    }
                    if !(speed.at_least.is_finite() && speed.at_least > 0.0) {
                        return Err(format!(
                            "lab {}: speed test `{}` needs a positive `at_least` (0.5 means half \
                             the reference's performance)",
                            lab.number, test.name
                        ));
                    }
                }
            }
            for experiment in &lab.experiments {
                if !seen_tests.insert(experiment.name.as_str()) {
                    return Err(format!(
                        "lab {}: `{}` is declared twice (tests and experiments share one \
                         namespace)",
                        lab.number, experiment.name
                    ));
                }
                if experiment
                    .timeout_secs
                    .is_some_and(|secs| !is_positive_duration(secs))
                {
                    return Err(format!(
                        "lab {}: experiment `{}` needs a positive timeout",
                        lab.number, experiment.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// Finds a lab by what a person types: `lab4`, `4`, `queues` or
    /// `lab4-queues`.
    pub fn find_lab(&self, query: &str) -> Result<&Lab, Error> {
        let wanted = query.trim().to_ascii_lowercase();
        let number_query = wanted.strip_prefix("lab").unwrap_or(&wanted);
        self.labs
            .iter()
            .find(|lab| {
                number_query.parse::<u32>().ok() == Some(lab.number)
                    || wanted == lab.slug
                    || wanted == lab.crate_name
            })
            .ok_or_else(|| {
                Error::new(ErrorKind::UnknownLab {
                    query: query.to_owned(),
                    known: self.labs.iter().map(|lab| lab.to_string()).collect(),
                })
            })
    }
}

/// A usable number of seconds: finite and above zero (NaN is not).
fn is_positive_duration(secs: f64) -> bool {
    secs.is_finite() && secs > 0.0
}

impl Lab {
    /// `lab4`.
    pub fn id(&self) -> String {
        format!("lab{}", self.number)
    }

    /// The student crate (stubs and public tests).
    pub fn student_dir(&self, course_root: &Path) -> PathBuf {
        course_root.join("labs").join(&self.crate_name)
    }

    /// The reference solution.
    pub fn solution_dir(&self, course_root: &Path) -> PathBuf {
        course_root.join("solutions").join(&self.crate_name)
    }

    /// The hidden suite's crate.
    pub fn suite_dir(&self, course_root: &Path) -> PathBuf {
        course_root
            .join("grader")
            .join("suites")
            .join(&self.crate_name)
    }

    /// The Rust name under which the suite refers to the implementation:
    /// `lab4_queues`.
    pub fn lib_name(&self) -> String {
        self.crate_name.replace('-', "_")
    }

    /// What the hidden tests are worth: the sum of the declared tests'
    /// points, or [`Lab::hidden_points`] where they are not declared.
    pub fn max_points(&self) -> u32 {
        if self.tests.is_empty() {
            self.hidden_points.unwrap_or(0)
        } else {
            self.tests.iter().map(|test| test.points).sum()
        }
    }

    pub fn timeout(&self, test: &TestSpec) -> Duration {
        Duration::from_secs_f64(test.timeout_secs.unwrap_or(self.default_timeout_secs))
    }

    pub fn visibility(&self, test: &TestSpec) -> Visibility {
        test.visibility.unwrap_or(self.default_visibility)
    }

    /// How long one run of a timing experiment may take.
    pub fn experiment_timeout(&self, experiment: &ExperimentSpec) -> Duration {
        const DEFAULT_EXPERIMENT_TIMEOUT_SECS: f64 = 120.0;
        Duration::from_secs_f64(
            experiment
                .timeout_secs
                .unwrap_or(DEFAULT_EXPERIMENT_TIMEOUT_SECS),
        )
    }

    pub fn experiment(&self, name: &str) -> Option<&ExperimentSpec> {
        self.experiments
            .iter()
            .find(|experiment| experiment.name == name)
    }
}

impl fmt::Display for Lab {
    /// `lab4 (queues)`, the form used in messages that list labs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lab{} ({})", self.number, self.slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
title = "Sample"
[[labs]]
number = 4
slug = "queues"
crate = "lab4-queues"
default_timeout_secs = 10
tests = [
  { name = "put_then_get", points = 2 },
  { name = "throughput", points = 3, alone = true, timeout_secs = 30, visibility = "after_due_date" },
]
"#;

    #[test]
    fn finds_a_lab_by_id_number_slug_or_crate() {
        let course = Course::parse(SAMPLE).unwrap();
        for query in ["lab4", "4", "queues", "lab4-queues", "LAB4"] {
            assert_eq!(course.find_lab(query).unwrap().number, 4, "query {query}");
        }
    }

    #[test]
    fn unknown_lab_error_lists_the_known_labs() {
        let course = Course::parse(SAMPLE).unwrap();
        let message = course.find_lab("lab9").unwrap_err().to_string();
        assert!(message.contains("lab9"), "{message}");
        assert!(message.contains("lab4 (queues)"), "{message}");
    }

    #[test]
    fn test_settings_fall_back_to_lab_defaults() {
        let course = Course::parse(SAMPLE).unwrap();
        let lab = &course.labs[0];
        assert_eq!(lab.timeout(&lab.tests[0]), Duration::from_secs(10));
        assert_eq!(lab.timeout(&lab.tests[1]), Duration::from_secs(30));
        assert_eq!(lab.visibility(&lab.tests[0]), Visibility::Visible);
        assert_eq!(lab.visibility(&lab.tests[1]), Visibility::AfterDueDate);
        assert_eq!(lab.max_points(), 5);
    }

    #[test]
    fn a_student_course_states_the_hidden_points_without_the_tests() {
        let student = r#"
title = "Sample"
[[labs]]
number = 4
slug = "queues"
crate = "lab4-queues"
default_timeout_secs = 10
hidden_points = 50
"#;
        let course = Course::parse(student).unwrap();
        assert!(course.labs[0].tests.is_empty());
        assert_eq!(course.labs[0].max_points(), 50);

        let agreeing = SAMPLE.replace(
            "default_timeout_secs = 10",
            "default_timeout_secs = 10\nhidden_points = 5",
        );
        assert_eq!(Course::parse(&agreeing).unwrap().labs[0].max_points(), 5);
        let disagreeing = SAMPLE.replace(
            "default_timeout_secs = 10",
            "default_timeout_secs = 10\nhidden_points = 7",
        );
        let message = Course::parse(&disagreeing).unwrap_err();
        assert!(
            message.contains("hidden_points = 7") && message.contains("5 points"),
            "{message}"
        );
    }

    #[test]
    fn rejects_duplicate_tests_and_unknown_keys() {
        let duplicate = SAMPLE.replace("throughput", "put_then_get");
        assert!(
            Course::parse(&duplicate)
                .unwrap_err()
                .contains("declared twice")
        );
        let unknown = SAMPLE.replace("points = 2", "points = 2, pionts = 1");
        assert!(Course::parse(&unknown).unwrap_err().contains("pionts"));
    }

    #[test]
    fn a_speed_test_must_name_a_declared_experiment_and_a_positive_fraction() {
        let with_experiment = format!(
            "{SAMPLE}experiments = [{{ name = \"queue_throughput\", title = \"Queue throughput\", unit = \"items/s\" }}]\n"
        );
        let speed = with_experiment.replace(
            "{ name = \"put_then_get\", points = 2 }",
            "{ name = \"put_then_get\", points = 2, speed = { experiment = \"queue_throughput\", point = \"1P/1C\", at_least = 0.5 } }",
        );
        let course = Course::parse(&speed).unwrap();
        assert_eq!(
            course.labs[0].tests[0].speed.as_ref().unwrap().at_least,
            0.5
        );
        assert_eq!(course.labs[0].experiments[0].unit, "items/s");

        let unknown_experiment =
            speed.replace("experiment = \"queue_throughput\"", "experiment = \"nope\"");
        assert!(
            Course::parse(&unknown_experiment)
                .unwrap_err()
                .contains("`nope`")
        );
        let zero = speed.replace("at_least = 0.5", "at_least = 0.0");
        assert!(Course::parse(&zero).unwrap_err().contains("at_least"));
        let clash = with_experiment.replace("queue_throughput", "put_then_get");
        assert!(
            Course::parse(&clash)
                .unwrap_err()
                .contains("declared twice")
        );
    }
}
