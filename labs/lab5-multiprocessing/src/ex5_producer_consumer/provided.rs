//! Exercise 5, provided complete: the `consume` sub-command around the
//! consumer's loop, and the summary a consumer prints. One file serves the
//! student crate and the reference solution.

use super::*;

/// The worker program's sub-command that consumes items on its standard
/// input.
pub const CONSUME_SUBCOMMAND: &str = "consume";

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: CONSUME_SUBCOMMAND,
    usage: "(no arguments; reads one whole number per line on standard input until it ends)",
    run: run_consume,
}];

/// `consume`: the child side, on the process's standard input and output.
fn run_consume(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        return usage_error(&SUBCOMMANDS[0], "expected no arguments");
    }
    match consume(io::stdin().lock(), io::stdout().lock()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("lab5 worker consume: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What a consumer saw: how many items, their sum and a checksum that
/// depends on their order. Prints and reads as one line,
/// `count 3 sum 60 checksum 10260`.
///
/// ```
/// use lab5_multiprocessing::ConsumerSummary;
///
/// let summary = ConsumerSummary::of([10, 20, 30]);
/// assert_eq!((summary.count, summary.sum), (3, 60));
/// assert_ne!(summary, ConsumerSummary::of([30, 20, 10]), "the order counts");
/// assert_eq!(summary.to_string().parse(), Ok(summary));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConsumerSummary {
    pub count: u64,
    pub sum: u64,
    pub checksum: u64,
}

impl ConsumerSummary {
    /// The summary of no items.
    pub fn new() -> ConsumerSummary {
        ConsumerSummary::default()
    }

    /// Counts one more item, after all those already counted.
    pub fn add(&mut self, item: u64) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(item);
        self.checksum = self.checksum.wrapping_mul(31).wrapping_add(item);
    }

    /// The summary of `items`, in their order.
    pub fn of(items: impl IntoIterator<Item = u64>) -> ConsumerSummary {
        let mut summary = ConsumerSummary::new();
        for item in items {
            summary.add(item);
        }
        summary
    }
}

impl fmt::Display for ConsumerSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "count {} sum {} checksum {}",
            self.count, self.sum, self.checksum
        )
    }
}

impl FromStr for ConsumerSummary {
    type Err = String;

    /// Reads one summary line (without its newline).
    fn from_str(line: &str) -> Result<ConsumerSummary, String> {
        let words: Vec<&str> = line.split(' ').collect();
        let ["count", count, "sum", sum, "checksum", checksum] = words[..] else {
            return Err(format!(
                "{line:?} is not a summary like \"count 3 sum 60 checksum 10260\""
            ));
        };
        let number = |text: &str| {
            text.parse::<u64>()
                .map_err(|_| format!("{line:?}: `{text}` is not a whole number"))
        };
        Ok(ConsumerSummary {
            count: number(count)?,
            sum: number(sum)?,
            checksum: number(checksum)?,
        })
    }
}
