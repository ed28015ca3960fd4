//! The results in other tools' formats: Gradescope's `results.json`
//! schema, JUnit XML for CI test reporters, and Markdown for a CI job
//! summary.
//!
//! Each format is a pure function of a [`LabResults`]: it decides nothing
//! and reads no file, so that every format says the same thing as the
//! project's own `results.json`. The grader rewrites the requested files
//! next to `results.json` after every finished test, so an interrupted run
//! leaves every format as complete as the results themselves.
//!
//! Test output can hold any text a student's code printed. Each format
//! makes it safe for its reader: JSON escapes it, XML replaces the
//! characters XML 1.0 forbids even escaped, Markdown escapes its own syntax.
//! Long output is cut to a head and a tail ([`cut_to_head_and_tail`]), since
//! what explains a failure is often at the end.

mod gradescope;
mod junit;
mod markdown;

use std::borrow::Cow;
use std::path::Path;

use crate::Error;
use crate::results::{LabResults, write_atomically};
use crate::runner::Outcome;

/// A results format written to a file next to `results.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Gradescope's autograder `results.json` schema, as `gradescope.json`.
    Gradescope,
    /// JUnit XML, as `junit.xml`.
    Junit,
    /// The score table and timing summary, as `summary.md`.
    Markdown,
}

impl FileFormat {
    /// Every format, in the order they are documented.
    pub const ALL: [FileFormat; 3] = [
        FileFormat::Gradescope,
        FileFormat::Junit,
        FileFormat::Markdown,
    ];

    /// The file's name in the results folder.
    pub fn file_name(self) -> &'static str {
        match self {
            FileFormat::Gradescope => "gradescope.json",
            FileFormat::Junit => "junit.xml",
            FileFormat::Markdown => "summary.md",
        }
    }

    /// The document for `results`.
    pub fn render(self, results: &LabResults) -> String {
        match self {
            FileFormat::Gradescope => gradescope::render(results),
            FileFormat::Junit => junit::render(results),
            FileFormat::Markdown => markdown::render(results),
        }
    }
}

/// Writes each format's file into `out_dir`, each atomically.
pub fn write_files(
    results: &LabResults,
    out_dir: &Path,
    formats: &[FileFormat],
) -> Result<(), Error> {
    for format in formats {
        write_atomically(
            &out_dir.join(format.file_name()),
            format.render(results).as_bytes(),
        )?;
    }
    Ok(())
}

/// How the build of the hidden suite failed, when it did.
enum BuildFailure<'a> {
    /// The compiler's messages.
    Compiler(&'a str),
    /// The build ended without a message: the run was interrupted (a time
    /// limit) while it built, or cargo could not run. Not a verdict on the
    /// code.
    Stopped,
}

/// `None` while the build has not ended (a run killed while building stays
/// so) and when it succeeded.
fn build_failure(results: &LabResults) -> Option<BuildFailure<'_>> {
    let message = results.build.message.trim_end();
    if results.build.ok {
        None
    } else if !message.trim().is_empty() {
        Some(BuildFailure::Compiler(message))
    } else if results.complete {
        Some(BuildFailure::Stopped)
    } else {
        None
    }
}

/// The word a person reads for an outcome, as in the human summary.
fn status_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "PASS",
        Outcome::Fail => "FAIL",
        Outcome::Timeout => "TIMEOUT",
        Outcome::Crash => "CRASH",
        Outcome::NotRun => "NOT RUN",
    }
}

/// How long the run took: from its start to its end when it has ended
/// (whole seconds, as the results record them), or else the time spent so
/// far in the build and the tests' processes.
fn elapsed_secs(results: &LabResults) -> f64 {
    let parse = |text: &str| humantime::parse_rfc3339_weak(text).ok();
    let wall_secs = results
        .finished_at
        .as_deref()
        .and_then(parse)
        .zip(parse(&results.started_at))
        .and_then(|(finished, started)| finished.duration_since(started).ok())
        .map(|duration| duration.as_secs_f64());
    let secs = wall_secs.unwrap_or_else(|| {
        results.build.duration_secs
            + results
                .tests
                .iter()
                .map(|test| test.duration_secs)
                .sum::<f64>()
    });
    if secs.is_finite() && secs > 0.0 {
        secs
    } else {
        0.0
    }
}

/// `text` with every control character other than tab, newline and
/// carriage return, and the non-characters U+FFFE and U+FFFF, replaced by
/// U+FFFD. XML 1.0 forbids them even as character references, and in
/// Markdown they are noise (a terminal's colour codes).
fn replace_control_characters(text: &str) -> Cow<'_, str> {
    let is_unwanted = |ch: char| {
        (ch.is_control() && !matches!(ch, '\t' | '\n' | '\r'))
            || matches!(ch, '\u{FFFE}' | '\u{FFFF}')
    };
    if text.chars().any(is_unwanted) {
        Cow::Owned(
            text.chars()
                .map(|ch| if is_unwanted(ch) { '\u{FFFD}' } else { ch })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` if it has at most `head_bytes + tail_bytes` bytes; otherwise its
/// first `head_bytes` and last `tail_bytes` (on character boundaries) with a
/// line between them saying how much was left out.
fn cut_to_head_and_tail(text: &str, head_bytes: usize, tail_bytes: usize) -> Cow<'_, str> {
    if text.len() <= head_bytes + tail_bytes {
        return Cow::Borrowed(text);
    }
    let mut head_end = head_bytes;
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let mut tail_start = text.len() - tail_bytes;
    while !text.is_char_boundary(tail_start) {
        tail_start += 1;
    }
    Cow::Owned(format!(
        "{}\n[... {} bytes left out ...]\n{}",
        &text[..head_end],
        tail_start - head_end,
        &text[tail_start..]
    ))
}

/// The first non-empty line of `text`, trimmed and cut to `max_chars`
/// characters (an ellipsis marks a cut).
fn first_line(text: &str, max_chars: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    if line.chars().count() <= max_chars {
        line.to_owned()
    } else {
        let mut cut: String = line.chars().take(max_chars.saturating_sub(1)).collect();
        cut.push('\u{2026}');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_replaced_and_the_rest_kept() {
        assert_eq!(
            replace_control_characters("a\u{1b}[31mb\tc\nd\re\u{0}f\u{FFFF}é\u{7f}"),
            "a\u{FFFD}[31mb\tc\nd\re\u{FFFD}f\u{FFFD}é\u{FFFD}"
        );
        assert!(matches!(
            replace_control_characters("plain é"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn long_text_keeps_head_and_tail_on_character_boundaries() {
        let text = "é".repeat(100);
        let cut = cut_to_head_and_tail(&text, 5, 5);
        assert!(cut.starts_with("éé\n[... "), "{cut}");
        assert!(cut.ends_with("]\néé"), "{cut}");
        assert!(cut.contains("192 bytes left out"), "{cut}");
        assert_eq!(cut_to_head_and_tail("short", 5, 5), "short");
    }

    #[test]
    fn first_line_skips_blank_lines_and_cuts_long_ones() {
        assert_eq!(
            first_line("\n  \n  panicked here \nmore", 80),
            "panicked here"
        );
        assert_eq!(first_line("abcdef", 4), "abc\u{2026}");
        assert_eq!(first_line("", 4), "");
    }
}
