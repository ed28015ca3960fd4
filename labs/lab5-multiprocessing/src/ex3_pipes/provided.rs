//! Exercise 3, provided complete: the `leibniz` sub-command around the
//! child's work. One file serves the student crate and the reference
//! solution.

use super::*;

/// The worker program's sub-command that sums one range of the series.
pub const LEIBNIZ_SUBCOMMAND: &str = "leibniz";

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: LEIBNIZ_SUBCOMMAND,
    usage: "(no arguments; reads \"START END\" on standard input)",
    run: run_leibniz,
}];

/// `leibniz`: the child side, on the process's standard input and output.
fn run_leibniz(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        return usage_error(&SUBCOMMANDS[0], "expected no arguments");
    }
    match leibniz_child(io::stdin().lock(), io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("lab5 worker leibniz: {message}");
            ExitCode::FAILURE
        }
    }
}
