//! Expected answers: obtained from the reference solution, kept in the
//! grader process, compared there.
//!
//! A hidden test that checks values records what the graded code gave
//! ([`crate::harness::answer`]); the expected values never enter the test
//! process, where graded code could read them or forge a pass. This module
//! owns:
//! - [`compare`]: the label-by-label comparison of a graded record's answers
//!   with the reference's, and [`describe_mismatches`], its message;
//! - [`AnswerKey`]: the expected answers of one grade. It runs a test against
//!   the reference solution (through a [`ReferenceRuns`] the caller
//!   provides) the first time a graded run of that test needs its answers,
//!   keeps the result for the rest of the grade, and stores successful
//!   results on disk in `target/grader/answers/<lab>.json`, keyed by a
//!   fingerprint of everything that can change them (the suite, the
//!   reference, the lab's student crate whose provided files the reference
//!   includes, the shared crates, the grader, `Cargo.lock`), so a batch runs
//!   the reference once per test, not once per student.
//!
//! When the graded implementation is the reference itself, the key learns
//! from the graded runs instead, and a value that differs from an earlier
//! run's is reported: a test must record only values that are the same on
//! every correct run.
//!
//! It decides no verdict: [`crate::runner`]'s judge does, from what this
//! module returns.

use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::build::grader_target_dir;
use crate::course::{Course, Lab};
use crate::protocol::RecordedAnswer;

/// The answers one test records, by label.
pub type Answers = BTreeMap<String, RecordedAnswer>;

/// Runs one test against the reference solution, in its own process, and
/// returns the answers its record carried, or why the run did not pass
/// (the reference failed, timed out, did not compile...).
pub trait ReferenceRuns: Send + Sync {
    fn reference_answers(&self, test_name: &str) -> Result<Answers, String>;
}

/// What the grader expects a test to record.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// The reference's answers (possibly none: a test that checks no
    /// values).
    Known(Answers),
    /// The reference's run did not pass, so nothing is known; the message
    /// says why.
    Unknown(String),
}

/// How one label disagrees.
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    /// Both recorded the label, with different values. `explanation` is the
    /// reference's description of the bug that gives this value, or the
    /// graded run's own note, or empty.
    Different {
        label: String,
        got: Value,
        expected: Value,
        explanation: String,
    },
    /// The reference recorded the label; the graded run did not.
    Missing { label: String, expected: Value },
    /// The graded run recorded a label the reference did not.
    Extra { label: String, got: Value },
}

/// Compares a graded run's answers with the reference's, label by label,
/// in label order. Values must be equal as JSON, except that with a
/// tolerance (the reference's) numbers may differ by at most that much.
/// The graded record's own tolerance and likely mistakes are ignored: graded
/// code could have written them.
pub fn compare(got: &Answers, expected: &Answers) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for (label, reference) in expected {
        match got.get(label) {
            None => mismatches.push(Mismatch::Missing {
                label: label.clone(),
                expected: reference.value.clone(),
            }),
            Some(graded) if values_match(&graded.value, &reference.value, reference.tolerance) => {}
            Some(graded) => {
                let explanation = reference
                    .mistakes
                    .iter()
                    .find(|mistake| {
                        values_match(&graded.value, &mistake.value, reference.tolerance)
                    })
                    .map(|mistake| mistake.bug.clone())
                    .unwrap_or_else(|| graded.note.clone());
                mismatches.push(Mismatch::Different {
                    label: label.clone(),
                    got: graded.value.clone(),
                    expected: reference.value.clone(),
                    explanation,
                });
            }
        }
    }
    for (label, graded) in got {
        if !expected.contains_key(label) {
            mismatches.push(Mismatch::Extra {
                label: label.clone(),
                got: graded.value.clone(),
            });
        }
    }
    mismatches
}

/// Whether two JSON values are equal, numbers within `tolerance` when set.
fn values_match(got: &Value, expected: &Value, tolerance: Option<f64>) -> bool {
    match (got, expected, tolerance) {
        (Value::Number(got), Value::Number(expected), Some(tolerance)) => {
            match (got.as_f64(), expected.as_f64()) {
                (Some(got), Some(expected)) => (got - expected).abs() <= tolerance,
                _ => got == expected,
            }
        }
        (Value::Array(got), Value::Array(expected), _) => {
            got.len() == expected.len()
                && got
                    .iter()
                    .zip(expected)
                    .all(|(got, expected)| values_match(got, expected, tolerance))
        }
        (Value::Object(got), Value::Object(expected), _) => {
            got.len() == expected.len()
                && got.iter().all(|(key, got)| {
                    expected
                        .get(key)
                        .is_some_and(|expected| values_match(got, expected, tolerance))
                })
        }
        _ => got == expected,
    }
}

/// The failure message for a non-empty list of mismatches: one line per
/// label (`LABEL: got 41, expected 42`), at most a few, long values cut.
pub fn describe_mismatches(mismatches: &[Mismatch]) -> String {
    const LISTED_AT_MOST: usize = 5;
    let mut lines: Vec<String> = mismatches
        .iter()
        .take(LISTED_AT_MOST)
        .map(|mismatch| match mismatch {
            Mismatch::Different {
                label,
                got,
                expected,
                explanation,
            } => {
                let explanation = if explanation.is_empty() {
                    String::new()
                } else {
                    format!(" ({explanation})")
                };
                // A short value is shown whole; a long list or object by
                // its first wrong element, which is what a student needs.
                const SHOWN_WHOLE_AT_MOST: usize = 100;
                let is_long = |value: &Value| value.to_string().len() > SHOWN_WHOLE_AT_MOST;
                match first_difference(got, expected) {
                    Some((place, got_part, expected_part))
                        if !place.is_empty() && (is_long(got) || is_long(expected)) =>
                    {
                        format!(
                            "{label}: at {place} got {}, expected {}{explanation} (the first \
                             difference)",
                            shown(got_part),
                            shown(expected_part)
                        )
                    }
                    _ => format!(
                        "{label}: got {}, expected {}{explanation}",
                        shown(got),
                        shown(expected)
                    ),
                }
            }
            Mismatch::Missing { label, expected } => format!(
                "{label}: no value recorded, expected {} (the test took another path than with \
                 the reference solution)",
                shown(expected)
            ),
            Mismatch::Extra { label, got } => format!(
                "{label}: got {}, but with the reference solution the test records no such value \
                 (it took another path)",
                shown(got)
            ),
        })
        .collect();
    if mismatches.len() > LISTED_AT_MOST {
        lines.push(format!(
            "... and {} more wrong values",
            mismatches.len() - LISTED_AT_MOST
        ));
    }
    lines.join("\n")
}

/// Where two values first differ (`[3][1]`, `.name`; empty when they
/// differ as a whole: other kinds, lengths or numbers), and the two parts
/// there. Lets a long list's message point at the wrong element.
fn first_difference<'v>(
    got: &'v Value,
    expected: &'v Value,
) -> Option<(String, &'v Value, &'v Value)> {
    match (got, expected) {
        (Value::Array(got_items), Value::Array(expected_items))
            if got_items.len() == expected_items.len() =>
        {
            got_items.iter().zip(expected_items).enumerate().find_map(
                |(idx, (got_item, expected_item))| {
                    first_difference(got_item, expected_item)
                        .map(|(place, got, expected)| (format!("[{idx}]{place}"), got, expected))
                },
            )
        }
        (Value::Object(got_fields), Value::Object(expected_fields))
            if got_fields.len() == expected_fields.len()
                && got_fields
                    .keys()
                    .all(|key| expected_fields.contains_key(key)) =>
        {
            got_fields.iter().find_map(|(key, got_field)| {
                first_difference(got_field, &expected_fields[key])
                    .map(|(place, got, expected)| (format!(".{key}{place}"), got, expected))
            })
        }
        _ if got == expected => None,
        _ => Some((String::new(), got, expected)),
    }
}

/// A value as compact JSON, cut after a few hundred characters.
fn shown(value: &Value) -> String {
    const SHOWN_AT_MOST: usize = 300;
    let text = value.to_string();
    if text.chars().count() <= SHOWN_AT_MOST {
        return text;
    }
    let cut: String = text.chars().take(SHOWN_AT_MOST).collect();
    format!("{cut}... ({} characters in all)", text.chars().count())
}

/// The expected answers of one grade; see the module docs.
pub struct AnswerKey<'a> {
    source: Source<'a>,
    cache: Option<DiskCache>,
    /// One slot per test, filled once: a test repeated with `--repeat`, or
    /// run on several worker threads, asks the reference once.
    expected: Mutex<BTreeMap<String, Arc<OnceLock<Expected>>>>,
}

enum Source<'a> {
    /// The graded implementation is not the reference: ask this.
    Reference(Box<dyn ReferenceRuns + 'a>),
    /// The graded implementation is the reference: its runs are the key.
    GradedIsReference,
}

impl std::fmt::Debug for AnswerKey<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AnswerKey")
            .field(
                "source",
                &match self.source {
                    Source::Reference(_) => "reference runs",
                    Source::GradedIsReference => "graded is reference",
                },
            )
            .field("cache", &self.cache.as_ref().map(|cache| &cache.path))
            .finish()
    }
}

/// What [`AnswerKey::learn`] found wrong with a reference's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct NotReproducible(pub String);

impl<'a> AnswerKey<'a> {
    /// A key that asks `reference` for the answers it does not know yet,
    /// with the on-disk cache of `lab` in `course`.
    pub fn from_reference(
        course: &Course,
        lab: &Lab,
        reference: Box<dyn ReferenceRuns + 'a>,
    ) -> AnswerKey<'a> {
        AnswerKey {
            source: Source::Reference(reference),
            cache: Some(DiskCache::for_lab(course, lab)),
            expected: Mutex::new(BTreeMap::new()),
        }
    }

    /// The key of a grade of the reference itself: it learns from the
    /// graded runs (see [`AnswerKey::learn`]).
    pub fn learning_from_the_reference(course: &Course, lab: &Lab) -> AnswerKey<'a> {
        AnswerKey {
            source: Source::GradedIsReference,
            cache: Some(DiskCache::for_lab(course, lab)),
            expected: Mutex::new(BTreeMap::new()),
        }
    }

    /// A key without a disk cache (for tests of the runner).
    pub fn without_cache(reference: Box<dyn ReferenceRuns + 'a>) -> AnswerKey<'a> {
        AnswerKey {
            source: Source::Reference(reference),
            cache: None,
            expected: Mutex::new(BTreeMap::new()),
        }
    }

    /// Whether graded runs teach this key instead of being checked by it.
    pub fn learns_from_graded_runs(&self) -> bool {
        matches!(self.source, Source::GradedIsReference)
    }

    fn slot(&self, test_name: &str) -> Arc<OnceLock<Expected>> {
        let mut expected = self
            .expected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        expected
            .entry(test_name.to_owned())
            .or_insert_with(|| Arc::new(OnceLock::new()))
            .clone()
    }

    /// What `test_name` must record: from this grade's memory, the disk
    /// cache, or a run of the reference (whose success is then cached).
    pub fn expected(&self, test_name: &str) -> Expected {
        let slot = self.slot(test_name);
        slot.get_or_init(|| {
            if let Some(cached) = self.cache.as_ref().and_then(|cache| cache.get(test_name)) {
                return Expected::Known(cached);
            }
            match &self.source {
                Source::Reference(reference) => match reference.reference_answers(test_name) {
                    Ok(answers) => {
                        if let Some(cache) = &self.cache {
                            cache.put(test_name, &answers);
                        }
                        Expected::Known(answers)
                    }
                    Err(reason) => Expected::Unknown(reason),
                },
                Source::GradedIsReference => Expected::Unknown(
                    "no run of the reference solution has passed this test yet".to_owned(),
                ),
            }
        })
        .clone()
    }

    /// For a grade of the reference: takes a passing run's answers as the
    /// key, or, when an earlier run (of this grade or cached) recorded
    /// others, says which values differ.
    pub fn learn(&self, test_name: &str, answers: &Answers) -> Result<(), NotReproducible> {
        let slot = self.slot(test_name);
        let earlier =
            slot.get_or_init(
                || match self.cache.as_ref().and_then(|cache| cache.get(test_name)) {
                    Some(cached) => Expected::Known(cached),
                    None => {
                        if let Some(cache) = &self.cache {
                            cache.put(test_name, answers);
                        }
                        Expected::Known(answers.clone())
                    }
                },
            );
        let Expected::Known(earlier) = earlier else {
            return Ok(());
        };
        let mismatches = compare(answers, earlier);
        if mismatches.is_empty() {
            return Ok(());
        }
        Err(NotReproducible(format!(
            "the reference solution recorded other values than in an earlier run (\"expected\" \
             below): a hidden test must record only values that are the same on every correct \
             run (fixed seeds, no timings), or the grader cannot judge other implementations \
             by them (an instructor's mistake, not the student's)\n{}",
            describe_mismatches(&mismatches)
        )))
    }
}

/// `target/grader/answers/<lab>.json`: the reference's answers per test,
/// valid for one fingerprint. Failing to read or write it only costs
/// reference runs, so it is never an error.
struct DiskCache {
    path: PathBuf,
    fingerprint: String,
    /// Serializes this process's read-modify-write cycles.
    writing: Mutex<()>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CachedAnswers {
    fingerprint: String,
    tests: BTreeMap<String, Answers>,
}

impl DiskCache {
    fn for_lab(course: &Course, lab: &Lab) -> DiskCache {
        DiskCache {
            path: answers_dir(&course.root).join(format!("{}.json", lab.id())),
            fingerprint: reference_fingerprint(course, lab),
            writing: Mutex::new(()),
        }
    }

    fn read(&self) -> CachedAnswers {
        std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CachedAnswers>(&bytes).ok())
            .filter(|cached| cached.fingerprint == self.fingerprint)
            .unwrap_or_else(|| CachedAnswers {
                fingerprint: self.fingerprint.clone(),
                tests: BTreeMap::new(),
            })
    }

    fn get(&self, test_name: &str) -> Option<Answers> {
        self.read().tests.remove(test_name)
    }

    fn put(&self, test_name: &str, answers: &Answers) {
        let _writing = self
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut cached = self.read();
        cached.tests.insert(test_name.to_owned(), answers.clone());
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(bytes) = serde_json::to_vec_pretty(&cached) {
            let _ = crate::results::write_atomically(&self.path, &bytes);
        }
    }
}

/// Where the reference's answers are cached. Test processes must not be
/// able to read it (it holds expected values) nor write it.
pub fn answers_dir(course_root: &Path) -> PathBuf {
    grader_target_dir(course_root).join("answers")
}

/// A hash of every file that can change what the reference records in
/// `lab`'s tests: the hidden suite, the reference, the lab's student crate
/// (the reference includes its provided files), the shared crates under
/// `labs/` (`labkit`, `labsync`), the grader library and `Cargo.lock`.
fn reference_fingerprint(course: &Course, lab: &Lab) -> String {
    let root = &course.root;
    let mut parts = vec![
        lab.suite_dir(root),
        lab.solution_dir(root),
        lab.student_dir(root),
        root.join("grader").join("src"),
        root.join("grader").join("Cargo.toml"),
        root.join("Cargo.lock"),
    ];
    if let Ok(entries) = std::fs::read_dir(root.join("labs")) {
        let mut shared: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| {
                !course
                    .labs
                    .iter()
                    .any(|other| path.ends_with(&other.crate_name))
            })
            .collect();
        shared.sort();
        parts.extend(shared);
    }
    let mut hasher = DefaultHasher::new();
    for part in parts {
        let mut files = Vec::new();
        collect_files(&part, &mut files);
        files.sort();
        part.hash(&mut hasher);
        for file in files {
            file.hash(&mut hasher);
            std::fs::read(&file).unwrap_or_default().hash(&mut hasher);
        }
    }
    format!("{:016x}", hasher.finish())
}

/// Every file under `path` (or `path` itself), leaving out hidden entries
/// and `target` folders, which no build of the reference reads.
fn collect_files(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_file() {
        files.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        collect_files(&entry.path(), files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::LikelyMistake;
    use serde_json::json;

    fn recorded(value: Value) -> RecordedAnswer {
        RecordedAnswer {
            value,
            tolerance: None,
            mistakes: Vec::new(),
            note: String::new(),
        }
    }

    fn answers(entries: &[(&str, RecordedAnswer)]) -> Answers {
        entries
            .iter()
            .map(|(label, answer)| ((*label).to_owned(), answer.clone()))
            .collect()
    }

    #[test]
    fn equal_answers_match_and_a_different_value_is_named_with_both_values() {
        let expected = answers(&[
            ("sum(10)", recorded(json!(17))),
            ("ok", recorded(json!(true))),
        ]);
        assert_eq!(compare(&expected.clone(), &expected), Vec::new());
        let got = answers(&[
            ("sum(10)", recorded(json!(18))),
            ("ok", recorded(json!(true))),
        ]);
        let mismatches = compare(&got, &expected);
        assert_eq!(
            describe_mismatches(&mismatches),
            "sum(10): got 18, expected 17"
        );
    }

    #[test]
    fn a_missing_label_and_an_extra_label_are_mismatches() {
        let expected = answers(&[("a", recorded(json!(1))), ("b", recorded(json!(2)))]);
        let got = answers(&[("a", recorded(json!(1))), ("c", recorded(json!(3)))]);
        let mismatches = compare(&got, &expected);
        assert_eq!(
            mismatches,
            vec![
                Mismatch::Missing {
                    label: "b".to_owned(),
                    expected: json!(2)
                },
                Mismatch::Extra {
                    label: "c".to_owned(),
                    got: json!(3)
                },
            ]
        );
        let message = describe_mismatches(&mismatches);
        assert!(
            message.starts_with("b: no value recorded, expected 2"),
            "{message}"
        );
        assert!(
            message.contains("\nc: got 3, but with the reference"),
            "{message}"
        );
        // No answers at all, when the reference records some, fails too.
        assert_eq!(compare(&Answers::new(), &expected).len(), 2);
    }

    #[test]
    fn floats_match_bit_for_bit_unless_the_reference_allows_a_tolerance() {
        let third = 1.0_f64 / 3.0;
        let nearly = third + 1e-15;
        let exact = answers(&[("x", recorded(json!([third, 2.0])))]);
        let got = answers(&[("x", recorded(json!([nearly, 2.0])))]);
        assert_eq!(compare(&exact, &exact), Vec::new());
        assert_eq!(compare(&got, &exact).len(), 1);
        let tolerant = answers(&[(
            "x",
            RecordedAnswer {
                tolerance: Some(1e-12),
                ..recorded(json!([third, 2.0]))
            },
        )]);
        assert_eq!(compare(&got, &tolerant), Vec::new());
        let far = answers(&[("x", recorded(json!([third + 1e-9, 2.0])))]);
        assert_eq!(compare(&far, &tolerant).len(), 1);
        // The shape must still match exactly.
        let longer = answers(&[("x", recorded(json!([third, 2.0, 3.0])))]);
        assert_eq!(compare(&longer, &tolerant).len(), 1);
    }

    #[test]
    fn only_the_references_tolerance_and_mistakes_count() {
        let expected = answers(&[(
            "sum(10)",
            RecordedAnswer {
                mistakes: vec![LikelyMistake {
                    value: json!(18),
                    bug: "1 counted as a prime".to_owned(),
                }],
                ..recorded(json!(17))
            },
        )]);
        // A graded record that claims a huge tolerance still fails.
        let loosened = answers(&[(
            "sum(10)",
            RecordedAnswer {
                tolerance: Some(1e9),
                note: "a note from the graded run".to_owned(),
                ..recorded(json!(500))
            },
        )]);
        assert_eq!(
            describe_mismatches(&compare(&loosened, &expected)),
            "sum(10): got 500, expected 17 (a note from the graded run)"
        );
        let off_by_one = answers(&[("sum(10)", recorded(json!(18)))]);
        assert_eq!(
            describe_mismatches(&compare(&off_by_one, &expected)),
            "sum(10): got 18, expected 17 (1 counted as a prime)"
        );
    }

    #[test]
    fn long_values_are_cut_and_many_mismatches_are_counted() {
        let long: Vec<u32> = (0..1000).collect();
        let text = shown(&json!(long));
        assert!(text.contains("... ("), "{text}");
        assert!(text.len() < 400, "{text}");
        let expected: Answers = (0..8)
            .map(|idx| (format!("v{idx}"), recorded(json!(idx))))
            .collect();
        let got: Answers = (0..8)
            .map(|idx| (format!("v{idx}"), recorded(json!(idx + 1))))
            .collect();
        let message = describe_mismatches(&compare(&got, &expected));
        assert_eq!(message.lines().count(), 6, "{message}");
        // A long list names its first wrong element.
        let mut wrong = long.clone();
        wrong[700] = 7;
        let long_message = describe_mismatches(&compare(
            &answers(&[("range", recorded(json!(wrong)))]),
            &answers(&[("range", recorded(json!(long)))]),
        ));
        assert_eq!(
            long_message,
            "range: at [700] got 7, expected 700 (the first difference)"
        );
        assert!(
            message.ends_with("... and 3 more wrong values"),
            "{message}"
        );
    }

    struct CountingReference {
        calls: Mutex<usize>,
        answer: Result<Answers, String>,
    }

    impl ReferenceRuns for CountingReference {
        fn reference_answers(&self, _test_name: &str) -> Result<Answers, String> {
            *self.calls.lock().unwrap() += 1;
            self.answer.clone()
        }
    }

    #[test]
    fn the_reference_runs_once_per_test_and_a_failed_run_is_unknown() {
        let reference = Arc::new(CountingReference {
            calls: Mutex::new(0),
            answer: Ok(answers(&[("a", recorded(json!(1)))])),
        });
        struct Shared(Arc<CountingReference>);
        impl ReferenceRuns for Shared {
            fn reference_answers(&self, test_name: &str) -> Result<Answers, String> {
                self.0.reference_answers(test_name)
            }
        }
        let key = AnswerKey::without_cache(Box::new(Shared(reference.clone())));
        let first = key.expected("t");
        assert_eq!(first, key.expected("t"));
        assert!(matches!(first, Expected::Known(ref known) if known.len() == 1));
        assert_eq!(*reference.calls.lock().unwrap(), 1);
        key.expected("other");
        assert_eq!(*reference.calls.lock().unwrap(), 2);

        let failing = AnswerKey::without_cache(Box::new(CountingReference {
            calls: Mutex::new(0),
            answer: Err("the reference timed out".to_owned()),
        }));
        assert_eq!(
            failing.expected("t"),
            Expected::Unknown("the reference timed out".to_owned())
        );
    }

    #[test]
    fn a_reference_grade_reports_answers_that_change_between_runs() {
        let key = AnswerKey {
            source: Source::GradedIsReference,
            cache: None,
            expected: Mutex::new(BTreeMap::new()),
        };
        let first = answers(&[("elapsed", recorded(json!(12)))]);
        assert_eq!(key.learn("t", &first), Ok(()));
        assert_eq!(key.learn("t", &first), Ok(()));
        let second = answers(&[("elapsed", recorded(json!(13)))]);
        let NotReproducible(message) = key.learn("t", &second).unwrap_err();
        assert!(
            message.contains("elapsed: got 13, expected 12"),
            "{message}"
        );
    }
}
