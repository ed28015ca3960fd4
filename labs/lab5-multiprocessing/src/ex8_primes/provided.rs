//! Exercise 8, provided complete: the lecture's limits and the `sum-primes`
//! sub-command around the child's work. One file serves the student crate and
//! the reference solution.

use super::*;

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: SUM_PRIMES_SUBCOMMAND,
    usage: "N [N...]",
    run: run_sum_primes,
}];

/// The sub-command that prints `[N, sum of primes below N]` for each N.
pub const SUM_PRIMES_SUBCOMMAND: &str = "sum-primes";

/// The lecture's limits: 100,000, 200,000, ..., 2,400,000.
pub fn prime_sum_limits() -> Vec<u64> {
    (1..=24).map(|step| step * 100_000).collect()
}

/// The `sum-primes` sub-command: one line `[N,SUM]` (JSON) per argument,
/// in the order given.
fn run_sum_primes(args: &[String]) -> ExitCode {
    let mut limits = Vec::with_capacity(args.len());
    for arg in args {
        match arg.parse::<u64>() {
            Ok(limit) => limits.push(limit),
            Err(_) => return usage_error(&SUBCOMMANDS[0], &format!("`{arg}` is not a limit")),
        }
    }
    let mut stdout = io::stdout().lock();
    for limit in limits {
        let line = serde_json::json!([limit, sum_of_primes_below(limit)]);
        if let Err(error) = writeln!(stdout, "{line}") {
            let _ = writeln!(io::stderr(), "lab5 worker sum-primes: {error}");
            return ExitCode::FAILURE;
        }
    }
    match stdout.flush() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "lab5 worker sum-primes: {error}");
            ExitCode::FAILURE
        }
    }
}
