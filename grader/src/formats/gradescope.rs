//! Gradescope's autograder results schema (the `results.json` a
//! `run_autograder` script leaves in `/autograder/results/`).
//!
//! The top level holds the score, the run's wall time in whole seconds, and
//! a text for the whole submission: the score line, a build failure with
//! the compiler's message, warnings, and whether the run was cut short. Each
//! test becomes one Gradescope test with its points, `passed` or `failed`,
//! its message and captured output, and the visibility `course.toml` gives
//! it (Gradescope's own four levels, spelled the same). The grader's
//! progress on stdout names every test, hidden ones too, so the document
//! asks Gradescope to keep stdout from students (`stdout_visibility`).
//!
//! Only the fields of Gradescope's specification appear; texts are plain
//! (`output_format: text`), since compiler messages and test output are
//! full of `<` and `*`. Control characters in test output (terminal
//! colours, NUL) are replaced: JSON could carry them, but a NUL is refused
//! by many databases behind a web page.

use std::fmt::Write as _;

use serde::Serialize;

use super::{
    BuildFailure, build_failure, cut_to_head_and_tail, elapsed_secs, replace_control_characters,
    status_word,
};
use crate::course::Visibility;
use crate::results::{GradedTests, LabResults, TestResult};
use crate::runner::Outcome;

/// Bytes of a test's captured output kept from its start and from its end.
const OUTPUT_HEAD_BYTES: usize = 2 * 1024;
const OUTPUT_TAIL_BYTES: usize = 6 * 1024;
/// Bytes of the compiler's message kept: its first errors matter most.
const COMPILER_HEAD_BYTES: usize = 12 * 1024;
const COMPILER_TAIL_BYTES: usize = 4 * 1024;

/// The whole document.
#[derive(Debug, Serialize)]
struct GradescopeResults {
    score: f64,
    /// Seconds, as a whole number.
    execution_time: u64,
    output: String,
    output_format: &'static str,
    visibility: Visibility,
    stdout_visibility: Visibility,
    tests: Vec<GradescopeTest>,
}

/// One test case.
#[derive(Debug, Serialize)]
struct GradescopeTest {
    name: String,
    /// `<lab number>.<position>`, so Gradescope lists tests in the
    /// course's order.
    number: String,
    score: f64,
    max_score: f64,
    /// `passed` or `failed`: Gradescope knows no other status.
    status: &'static str,
    output: String,
    output_format: &'static str,
    visibility: Visibility,
}

pub(super) fn render(results: &LabResults) -> String {
    let document = GradescopeResults {
        score: f64::from(results.totals.points),
        execution_time: elapsed_secs(results).round() as u64,
        output: replace_control_characters(&submission_text(results)).into_owned(),
        output_format: "text",
        visibility: Visibility::Visible,
        stdout_visibility: Visibility::Hidden,
        tests: results
            .tests
            .iter()
            .enumerate()
            .map(|(test_idx, test)| GradescopeTest {
                name: test.name.clone(),
                number: format!("{}.{}", results.lab.number, test_idx + 1),
                score: f64::from(test.points),
                max_score: f64::from(test.max_points),
                status: if test.status.is_pass() {
                    "passed"
                } else {
                    "failed"
                },
                output: test_text(test),
                output_format: "text",
                visibility: test.visibility,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("plain data always serializes");
    text.push('\n');
    text
}

/// The text about the whole submission.
fn submission_text(results: &LabResults) -> String {
    let totals = &results.totals;
    let mut text = String::new();
    let counts = totals.counts();
    let _ = writeln!(
        text,
        "{} {}: {}/{} points ({}).",
        results.lab.id,
        results.lab.slug,
        totals.points,
        totals.max_points,
        counts.join(", ")
    );
    if results.graded_tests == GradedTests::Public {
        let _ = writeln!(
            text,
            "These are the lab's public tests, not its graded hidden suite."
        );
    }
    match build_failure(results) {
        Some(BuildFailure::Compiler(message)) => {
            let _ = writeln!(
                text,
                "\nYour code does not compile against the hidden suite, so no test could run. Fix \
                 the errors below (a missing function or a changed signature is the usual cause) \
                 and submit again. The compiler said:\n\n{}",
                cut_to_head_and_tail(message, COMPILER_HEAD_BYTES, COMPILER_TAIL_BYTES)
            );
        }
        Some(BuildFailure::Stopped) => {
            let _ = writeln!(
                text,
                "\nBuilding the hidden suite stopped without a compiler message (the grading run \
                 was interrupted, for instance by the autograder's time limit, or cargo could not \
                 run), so no test ran. This says nothing about your code: submit again, and tell \
                 the course staff if it happens again."
            );
        }
        None => {}
    }
    for warning in &results.warnings {
        let _ = writeln!(text, "\nWarning: {warning}");
    }
    if results.interrupted {
        let _ = writeln!(
            text,
            "\nThe grading run was interrupted before every test had finished (a time limit, or \
             a stop). Tests marked not run score nothing; submitting again grades everything."
        );
    } else if !results.complete {
        let _ = writeln!(
            text,
            "\nThese results are incomplete: grading stopped before every test had finished \
             (the autograder's time limit, or the grader was killed). Tests that did not finish \
             score nothing."
        );
    }
    if !results.filters.is_empty() {
        let _ = writeln!(
            text,
            "\nOnly the tests whose name contains {} were run.",
            results
                .filters
                .iter()
                .map(|filter| format!("`{filter}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        );
    }
    if results.repeat > 1 {
        let _ = writeln!(
            text,
            "\nEach test ran {} times; it passes only if every run passed.",
            results.repeat
        );
    }
    if !results.experiments.is_empty() {
        let _ = write!(
            text,
            "\n{}",
            crate::experiment::render_human(&results.experiments)
        );
    }
    text.trim_end().to_owned()
}

/// A test's text: what happened, then its captured output.
fn test_text(test: &TestResult) -> String {
    let mut parts = Vec::new();
    let message = test.message.trim_end();
    let lead = match test.status {
        Outcome::Pass | Outcome::Fail => "",
        Outcome::Timeout => "Timed out: ",
        Outcome::Crash => "Crashed: ",
        Outcome::NotRun => "Not run: ",
    };
    let mut verdict = if !message.is_empty() {
        format!("{lead}{message}")
    } else if test.status.is_pass() {
        String::new()
    } else {
        status_word(test.status).to_owned()
    };
    if test.runs > 1 {
        if !verdict.is_empty() {
            verdict.push('\n');
        }
        let _ = write!(
            verdict,
            "Passed {} of {} runs (a test passes only if every run does).",
            test.passed_runs, test.runs
        );
    }
    if !verdict.is_empty() {
        parts.push(verdict);
    }
    let output = test.output.trim_end();
    if !output.is_empty() {
        parts.push(format!(
            "Captured output (stdout and stderr):\n{}",
            cut_to_head_and_tail(output, OUTPUT_HEAD_BYTES, OUTPUT_TAIL_BYTES)
        ));
    }
    replace_control_characters(&parts.join("\n\n")).into_owned()
}
