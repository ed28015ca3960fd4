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
    pub tests: Vec<TestSpec>,
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
        course.root = root.to_path_buf();
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

    pub fn max_points(&self) -> u32 {
        self.tests.iter().map(|test| test.points).sum()
    }

    pub fn timeout(&self, test: &TestSpec) -> Duration {
        Duration::from_secs_f64(test.timeout_secs.unwrap_or(self.default_timeout_secs))
    }

    pub fn visibility(&self, test: &TestSpec) -> Visibility {
        test.visibility.unwrap_or(self.default_visibility)
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
}
