//! JUnit XML, the format CI test reporters read (GitHub test-report
//! actions, GitLab's test reports, Jenkins).
//!
//! One `<testsuites>` holding one `<testsuite>` for the lab, one
//! `<testcase>` per test with the lab's crate as its class name. A `FAIL`
//! is a `<failure>`; a `TIMEOUT` or `CRASH` is an `<error>` whose type says
//! which (the test did not end on its own terms); `NOT RUN` is
//! `<skipped>`. The message attribute holds the first line of the message,
//! the element's text the whole message and the captured output. A build
//! failure adds one `build` test case with an `<error>` holding the
//! compiler's message, in front of the tests (each failed: not graded), so
//! that every reporter shows it.
//!
//! The XML is written by hand: the format is small, and escaping is the one
//! thing to get right. Attributes are escaped; texts (messages, output) are
//! CDATA sections, which every XML reader takes verbatim, split where the
//! text itself holds `]]>`. Test output may hold any character, so
//! characters XML 1.0 forbids even in CDATA are replaced first.

use std::fmt::Write as _;

use super::{
    BuildFailure, build_failure, cut_to_head_and_tail, elapsed_secs, first_line,
    replace_control_characters, status_word,
};
use crate::results::{LabResults, TestResult};
use crate::runner::Outcome;

/// Bytes of captured output kept from its start and from its end.
const OUTPUT_HEAD_BYTES: usize = 8 * 1024;
const OUTPUT_TAIL_BYTES: usize = 24 * 1024;
/// Bytes of the compiler's message kept: its first errors matter most.
const COMPILER_HEAD_BYTES: usize = 24 * 1024;
const COMPILER_TAIL_BYTES: usize = 8 * 1024;
/// Characters of a message kept in the `message` attribute.
const MESSAGE_ATTRIBUTE_CHARS: usize = 200;

pub(super) fn render(results: &LabResults) -> String {
    let totals = &results.totals;
    let build_failure = build_failure(results);
    let build_failed = build_failure.is_some();
    let test_cases = results.tests.len() + usize::from(build_failed);
    let failures = totals.failed;
    let errors = totals.timed_out + totals.crashed + usize::from(build_failed);
    let skipped = totals.not_run;
    let time = format!("{:.3}", elapsed_secs(results));
    let class_name = &results.lab.crate_name;

    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"{}\" tests=\"{test_cases}\" failures=\"{failures}\" \
         errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time}\">",
        attribute(&format!("{} {}", results.lab.id, results.lab.slug)),
    );
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{test_cases}\" failures=\"{failures}\" \
         errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time}\" timestamp=\"{}\">",
        attribute(class_name),
        // RFC 3339 in UTC, as pytest writes it: Ant's old schema wanted no
        // zone, but readers take one, and without it the time is ambiguous.
        attribute(&results.started_at),
    );
    xml.push_str("    <properties>\n");
    for (name, value) in [
        ("lab", results.lab.id.clone()),
        ("implementation", results.implementation.kind.clone()),
        ("package", results.implementation.package.clone()),
        ("score", totals.points.to_string()),
        ("max_score", totals.max_points.to_string()),
        ("complete", results.complete.to_string()),
        ("interrupted", results.interrupted.to_string()),
    ] {
        let _ = writeln!(
            xml,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attribute(&value)
        );
    }
    xml.push_str("    </properties>\n");

    if let Some(failure) = build_failure {
        let _ = writeln!(
            xml,
            "    <testcase name=\"build\" classname=\"{}\" time=\"{:.3}\">",
            attribute(class_name),
            results.build.duration_secs
        );
        let (message, details) = match failure {
            BuildFailure::Compiler(message) => (
                "the implementation does not compile against the hidden suite; no test could run",
                cut_to_head_and_tail(message, COMPILER_HEAD_BYTES, COMPILER_TAIL_BYTES),
            ),
            BuildFailure::Stopped => (
                "building the hidden suite stopped without a compiler message (the run was \
                 interrupted, or cargo could not run); no test ran",
                "".into(),
            ),
        };
        let _ = writeln!(
            xml,
            "      <error message=\"{}\" type=\"BUILD\">{}</error>",
            attribute(message),
            cdata(&details)
        );
        xml.push_str("    </testcase>\n");
    }
    for test in &results.tests {
        render_test_case(&mut xml, class_name, test);
    }

    let mut notes = results.warnings.clone();
    if results.interrupted {
        notes.push(
            "The run was interrupted; tests marked skipped did not run and score nothing."
                .to_owned(),
        );
    } else if !results.complete {
        notes.push(
            "These results are incomplete: grading had not finished (or was killed) when this \
             file was written."
                .to_owned(),
        );
    }
    if !notes.is_empty() {
        let _ = writeln!(
            xml,
            "    <system-err>{}</system-err>",
            cdata(&notes.join("\n"))
        );
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

fn render_test_case(xml: &mut String, class_name: &str, test: &TestResult) {
    let _ = write!(
        xml,
        "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
        attribute(&test.name),
        attribute(class_name),
        test.duration_secs
    );
    let output = cut_to_head_and_tail(test.output.trim_end(), OUTPUT_HEAD_BYTES, OUTPUT_TAIL_BYTES);
    let mut details = test.message.trim_end().to_owned();
    if test.runs > 1 {
        let _ = write!(
            details,
            "\npassed {} of {} runs (a test passes only if every run does)",
            test.passed_runs, test.runs
        );
    }
    let message = first_line(&test.message, MESSAGE_ATTRIBUTE_CHARS);
    let verdict = match test.status {
        Outcome::Pass => None,
        Outcome::Fail => Some(("failure", "FAIL")),
        Outcome::Timeout => Some(("error", "TIMEOUT")),
        Outcome::Crash => Some(("error", "CRASH")),
        Outcome::NotRun => Some(("skipped", "NOT_RUN")),
    };
    match verdict {
        None if output.is_empty() => xml.push_str("/>\n"),
        None => {
            let _ = writeln!(
                xml,
                ">\n      <system-out>{}</system-out>\n    </testcase>",
                cdata(&output)
            );
        }
        Some(("skipped", _)) => {
            let _ = writeln!(
                xml,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                attribute(&format!("{}: {message}", status_word(test.status)))
            );
        }
        Some((element, kind)) => {
            let label = match test.status {
                Outcome::Timeout => "timed out: ",
                Outcome::Crash => "crashed: ",
                _ => "",
            };
            if !output.is_empty() {
                let _ = write!(
                    details,
                    "\n\ncaptured output (stdout and stderr):\n{output}"
                );
            }
            let _ = writeln!(
                xml,
                ">\n      <{element} message=\"{}\" type=\"{kind}\">{}</{element}>\n    </testcase>",
                attribute(&format!("{label}{message}")),
                cdata(&details)
            );
        }
    }
}

/// A text as a CDATA section (nothing for an empty text). `]]>` would end
/// the section, so the text is split there into two sections.
fn cdata(raw: &str) -> String {
    if raw.is_empty() {
        return String::new();
    }
    let cleaned = replace_control_characters(raw);
    format!("<![CDATA[{}]]>", cleaned.replace("]]>", "]]]]><![CDATA[>"))
}

/// An attribute value in double quotes: markup characters and quotes
/// escaped, carriage returns, tabs and newlines as references (a parser
/// would turn them into spaces), forbidden characters replaced.
fn attribute(raw: &str) -> String {
    let cleaned = replace_control_characters(raw);
    let mut escaped = String::with_capacity(cleaned.len());
    for ch in cleaned.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\r' => escaped.push_str("&#13;"),
            '\n' => escaped.push_str("&#10;"),
            '\t' => escaped.push_str("&#9;"),
            other => escaped.push(other),
        }
    }
    escaped
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_forbidden_characters() {
        assert_eq!(
            attribute("a<b>&\"c'\nd\te\u{1b}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;d&#9;e\u{FFFD}"
        );
        assert_eq!(
            cdata("a ]]> b <c> & \u{0}"),
            "<![CDATA[a ]]]]><![CDATA[> b <c> & \u{FFFD}]]>"
        );
        assert_eq!(cdata(""), "");
    }
}
