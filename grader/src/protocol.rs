//! The private contract between the grader and a hidden-suite binary.
//!
//! This module owns the command line a suite binary accepts, the file
//! descriptors the grader hands it, and the shape of the one record the test
//! process sends back. Both sides use these definitions, so they cannot drift
//! apart. It must not contain any policy (verdicts, timeouts): that lives in
//! [`crate::runner`].
//!
//! The exchange for one test:
//! 1. The grader creates two pipes and starts `SUITE --run NAME --channel`,
//!    with the read end of the first pipe at [`SECRET_FD`] and the write end
//!    of the second at [`REPORT_FD`].
//! 2. The grader writes a secret chosen for this run into the first pipe and
//!    closes it. The harness reads it before any graded code runs.
//! 3. After the test body returns (or panics), the harness writes one
//!    [`Record`] line carrying the secret to [`REPORT_FD`] and exits.
//!
//! Answers: a test that checks values does not compare them with expected
//! values in its own process, where graded code could read or forge them.
//! It records each value the graded code gave under a label
//! ([`crate::harness::answer`]), and the record carries them
//! ([`Record::answers`]). The grader runs the same test against the
//! reference solution, in another process it trusts, and compares the two
//! records' answers label by label ([`crate::answers`]). The test's inputs
//! may live in the test process; the expected outputs never do. A record
//! without `answers` (an older harness) parses as having none.
//!
//! Output on stdout and stderr is never parsed: a student's code can print
//! anything there.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Where the test process finds the secret (read end of a pipe).
pub const SECRET_FD: i32 = 3;
/// Where the test process writes its [`Record`] (write end of a pipe).
pub const REPORT_FD: i32 = 4;

/// Suite argument: print the names of the registered tests, one per line.
pub const LIST_FLAG: &str = "--list";
/// Suite argument: print the names of the registered timing experiments,
/// one per line.
pub const LIST_EXPERIMENTS_FLAG: &str = "--list-experiments";
/// Suite argument: run the test (or timing experiment) named by the next
/// argument.
pub const RUN_FLAG: &str = "--run";
/// Suite argument: the grader's pipes are at [`SECRET_FD`] and [`REPORT_FD`].
/// Without it the suite runs standalone and prints its verdict to stderr,
/// which is handy when an instructor debugs one test by hand.
pub const CHANNEL_FLAG: &str = "--channel";

/// Environment variables the grader sets for every test process: the lab
/// being graded (`lab3`) and the test's name. Used to print replay commands.
pub const LAB_ENV: &str = "GRADER_LAB";
pub const TEST_ENV: &str = "GRADER_TEST";
/// How the graded implementation was chosen on the command line
/// (`--solution`, `--submission DIR`, or empty for the student crate).
pub const IMPLEMENTATION_ARGS_ENV: &str = "GRADER_IMPLEMENTATION_ARGS";

/// When set for a test process, a schedule-exploring test replays this one
/// encoded schedule instead of exploring (`cargo xtask grade LAB --replay
/// TEST --schedule S`).
pub const SCHEDULE_ENV: &str = "EXPLORER_SCHEDULE";

/// How much work a timing experiment does: `quick` or `full` (see
/// [`crate::harness::bench_mode`]). Set by the grader for experiment runs.
pub const BENCH_MODE_ENV: &str = "GRADER_BENCH_MODE";

/// The path of the lab's worker program (built from the graded
/// implementation's `worker_main`), for labs whose code starts processes.
pub const WORKER_EXE_ENV: &str = "GRADER_WORKER_EXE";

/// The longest record the grader reads; anything longer is treated as forged.
pub const MAX_RECORD_BYTES: usize = 256 * 1024;

/// How the test body ended, as seen by the harness inside the test process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordOutcome {
    /// The body returned normally.
    Pass,
    /// The body panicked; the record carries the panic message.
    Fail,
}

/// The single line a test process sends on [`REPORT_FD`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The per-run secret read from [`SECRET_FD`].
    pub secret: String,
    /// The test this record is about.
    pub test: String,
    pub outcome: RecordOutcome,
    /// The panic message for a failure; empty for a pass.
    #[serde(default)]
    pub message: String,
    /// Numbers the test measured (speedups, ratios), shown but never graded.
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    /// What a timing experiment measured; empty for a test.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measurements: Vec<Measurement>,
    /// The values the graded code gave, by label, for the grader to compare
    /// with the reference solution's (see the module docs). The body
    /// asserts nothing about them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, RecordedAnswer>,
}

/// One value a test recorded with [`crate::harness::answer`] or its
/// variants.
///
/// In the graded code's record only `value` and `note` count: `tolerance`
/// and `mistakes` are taken from the reference solution's record, so that
/// graded code cannot loosen its own check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedAnswer {
    /// The value, as JSON. Floating-point numbers keep every bit (serde_json
    /// writes the shortest text that reads back the same number); NaN and
    /// the infinities become `null`.
    pub value: serde_json::Value,
    /// When set, two numbers at the same place in the value match if they
    /// differ by at most this much (structure and other values still match
    /// exactly). Read from the reference's record only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// Wrong values a known bug would give, each with the bug's
    /// description, computed from the recording process's own value. Read
    /// from the reference's record only, where that value is the right one:
    /// a graded value equal to one of them gets the description.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mistakes: Vec<LikelyMistake>,
    /// A hint about the graded value shown when it does not match (computed
    /// from the graded value alone, e.g. "a whole number: integer
    /// division?"). Read from the graded code's record only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A wrong value and the bug that gives it; see [`RecordedAnswer::mistakes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LikelyMistake {
    pub value: serde_json::Value,
    pub bug: String,
}

/// One number a timing experiment measured: `value` (in the experiment's
/// unit) for `subject` at `point`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// What was measured: [`crate::harness::SUBJECT_UNDER_TEST`] for the
    /// implementation the suite was built against, or a baseline's name
    /// (`crossbeam_channel::bounded`).
    pub subject: String,
    /// The configuration: `1P/1C, capacity 64`, `4 threads`.
    pub point: String,
    /// The configuration as a number, for charts against it (the thread
    /// count); absent for points that are only labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<f64>,
    pub value: f64,
}
