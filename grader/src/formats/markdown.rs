//! The score table and the timing summary in GitHub-flavoured Markdown,
//! fit for a CI job summary (`$GITHUB_STEP_SUMMARY`).
//!
//! One section per lab (a `##` heading), so that the summaries of several
//! labs appended to one file read as one page: the score, a build failure
//! with the compiler's message in a code block, warnings, whether the run
//! was cut short, a table with one row per test (status, points, name, the
//! first line of its message), then how long the build and the tests took
//! and each timing experiment's medians and ratio to the reference. The
//! full timing report is `report.md`; the captured output is in
//! `results.json`.
//!
//! Everything that comes from a test (names, messages) is escaped, so a
//! message holding `|`, `*` or `<` can neither break the table nor turn
//! into markup.

use std::fmt::Write as _;

use super::{
    BuildFailure, build_failure, cut_to_head_and_tail, first_line, replace_control_characters,
    status_word,
};
use crate::experiment::{Role, human_number};
use crate::results::{GradedTests, LabResults};
use crate::runner::Outcome;

/// Characters of a test's message shown in its row.
const MESSAGE_CHARS: usize = 160;
/// Bytes of the compiler's message kept.
const COMPILER_HEAD_BYTES: usize = 8 * 1024;
const COMPILER_TAIL_BYTES: usize = 2 * 1024;

pub(super) fn render(results: &LabResults) -> String {
    let totals = &results.totals;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "## {} {}: {}/{} points\n",
        escape_text(&results.lab.id),
        escape_text(&results.lab.slug),
        totals.points,
        totals.max_points
    );
    let counts = totals.counts();
    let _ = writeln!(
        md,
        "{} tests: {} · graded: {} {}{}\n",
        totals.tests,
        counts.join(", "),
        escape_text(&results.implementation.kind),
        code_span(&results.implementation.package),
        match results.graded_tests {
            GradedTests::Hidden => "",
            GradedTests::Public => " · the lab's public tests",
        }
    );

    match build_failure(results) {
        Some(BuildFailure::Compiler(message)) => {
            let compiler = replace_control_characters(message).into_owned();
            let compiler =
                cut_to_head_and_tail(&compiler, COMPILER_HEAD_BYTES, COMPILER_TAIL_BYTES);
            let fence = "`".repeat(longest_backtick_run(&compiler).max(2) + 1);
            let _ = writeln!(
                md,
                "**Build failed:** the implementation does not compile against the hidden suite, \
                 so no test could run. The compiler said:\n\n{fence}text\n{compiler}\n{fence}\n"
            );
        }
        Some(BuildFailure::Stopped) => {
            let _ = writeln!(
                md,
                "**Build stopped:** building the hidden suite ended without a compiler message \
                 (the run was interrupted, or cargo could not run), so no test ran.\n"
            );
        }
        None => {}
    }
    for warning in &results.warnings {
        let _ = writeln!(md, "> **Warning:** {}\n", escape_text(warning));
    }
    if results.interrupted {
        let _ = writeln!(
            md,
            "> **Interrupted:** the run stopped before every test had finished; tests marked \
             NOT RUN score nothing.\n"
        );
    } else if !results.complete {
        let _ = writeln!(
            md,
            "> **Incomplete:** grading had not finished (or was killed) when this summary was \
             written.\n"
        );
    }

    md.push_str("| status | points | test | message |\n");
    md.push_str("|---|---:|---|---|\n");
    for test in &results.tests {
        let icon = match test.status {
            Outcome::Pass => "✅",
            Outcome::Fail => "❌",
            Outcome::Timeout => "⏱️",
            Outcome::Crash => "💥",
            Outcome::NotRun => "⏭️",
        };
        let mut message = if test.status.is_pass() {
            String::new()
        } else {
            escape_text(&first_line(&test.message, MESSAGE_CHARS))
        };
        if test.runs > 1 {
            if !message.is_empty() {
                message.push(' ');
            }
            let _ = write!(
                message,
                "({} of {} runs passed)",
                test.passed_runs, test.runs
            );
        }
        let _ = writeln!(
            md,
            "| {icon} {} | {}/{} | {} | {message} |",
            status_word(test.status),
            test.points,
            test.max_points,
            code_span(&test.name)
        );
    }

    let timing = results.timing();
    let _ = writeln!(
        md,
        "\n### Timing\n\nBuild: {:.1} s · tests: {:.1} s of test-process time ({} at a time).\n",
        timing.build_secs, timing.tests_secs, results.environment.jobs
    );
    if !results.experiments.is_empty() {
        md.push_str(
            "Timing experiments (shown, not graded; medians of rounds that alternate the graded \
             code and the reference):\n\n",
        );
        md.push_str("| experiment | point | graded | reference | graded / reference |\n");
        md.push_str("|---|---|---:|---:|---:|\n");
        for experiment in &results.experiments {
            let name = format!(
                "{} ({})",
                escape_text(&experiment.title),
                escape_text(&experiment.unit)
            );
            for point in &experiment.points {
                let graded = point.series_of(Role::Graded);
                let reference = point.series_of(Role::Reference);
                let median = |series: Option<&crate::experiment::Series>| {
                    series.map_or_else(|| "-".to_owned(), |series| human_number(series.median))
                };
                let ratio = graded
                    .filter(|_| reference.is_some())
                    .and_then(|series| series.ratio_to_reference)
                    .map_or_else(|| "-".to_owned(), |ratio| format!("{ratio:.2}x"));
                let _ = writeln!(
                    md,
                    "| {name} | {} | {} | {} | {ratio} |",
                    escape_text(&point.point),
                    median(graded),
                    median(reference),
                );
            }
        }
        for experiment in &results.experiments {
            for error in &experiment.errors {
                let _ = writeln!(
                    md,
                    "\n- {}: {}",
                    escape_text(&experiment.title),
                    escape_text(&first_line(error, MESSAGE_CHARS))
                );
            }
        }
        md.push('\n');
    }
    md
}

/// Text inside a table cell or a paragraph: one line, with every character
/// Markdown or a table gives a meaning to backslash-escaped.
fn escape_text(raw: &str) -> String {
    let cleaned = replace_control_characters(raw);
    let mut escaped = String::with_capacity(cleaned.len());
    for ch in cleaned.chars() {
        match ch {
            '\n' | '\r' => escaped.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                escaped.push('\\');
                escaped.push(ch);
            }
            other => escaped.push(other),
        }
    }
    escaped
}

/// `raw` as inline code in a table cell: a backtick fence longer than any
/// run inside it, `|` escaped (tables split cells on it even in code).
fn code_span(raw: &str) -> String {
    let cleaned = replace_control_characters(raw).replace(['\n', '\r'], " ");
    let fence = "`".repeat(longest_backtick_run(&cleaned) + 1);
    let padding = if cleaned.starts_with('`') || cleaned.ends_with('`') {
        " "
    } else {
        ""
    };
    format!(
        "{fence}{padding}{}{padding}{fence}",
        cleaned.replace('|', "\\|")
    )
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|ch| ch != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_escapes_table_and_markup_characters() {
        assert_eq!(
            escape_text("a|b *c* <d>\nnext_line"),
            "a\\|b \\*c\\* \\<d\\> next\\_line"
        );
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code_span("plain_name"), "`plain_name`");
        assert_eq!(code_span("a`b|c"), "``a`b\\|c``");
        assert_eq!(code_span("`edge"), "`` `edge ``");
    }
}
