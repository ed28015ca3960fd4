//! Exercise 7, provided complete: the lecture's numbers, the line format of
//! a factor list and the `factorize` sub-command around the child's loop.
//! One file serves the student crate and the reference solution.

use super::*;

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: FACTORIZE_SUBCOMMAND,
    usage: "(no arguments; numbers on standard input, one per line)",
    run: run_factorize,
}];

/// The sub-command that factorizes the numbers it reads on standard input.
pub const FACTORIZE_SUBCOMMAND: &str = "factorize";

/// The first number of the lecture's benchmark.
pub const FIRST_BENCHMARK_NUMBER: u64 = 9_999_999_999_999;

/// How many numbers the lecture's benchmark factorizes.
pub const BENCHMARK_NUMBER_COUNT: usize = 300;

/// `count` odd numbers (if `first` is odd) from `first` on, each the
/// previous plus 2.
pub fn numbers_from(first: u64, count: usize) -> Vec<u64> {
    (0..count as u64).map(|step| first + 2 * step).collect()
}

/// The lecture's 300 numbers: 9,999,999,999,999, 10,000,000,000,001, ...
///
pub fn benchmark_numbers() -> Vec<u64> {
    numbers_from(FIRST_BENCHMARK_NUMBER, BENCHMARK_NUMBER_COUNT)
}

/// A factor list as the `factorize` child writes it: the factors separated
/// by single spaces (an empty line for 0 and 1).
pub fn format_factors(factors: &[u64]) -> String {
    factors
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads back a line written by [`format_factors`] (without its newline);
/// `None` if it is not a list of whole numbers.
pub fn parse_factors(line: &str) -> Option<Vec<u64>> {
    line.split_whitespace()
        .map(|factor| factor.parse::<u64>().ok())
        .collect()
}

/// The `factorize` sub-command.
fn run_factorize(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        return usage_error(&SUBCOMMANDS[0], "takes no arguments");
    }
    match factorize_stream(io::stdin().lock(), io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "lab5 worker factorize: {error}");
            ExitCode::FAILURE
        }
    }
}
