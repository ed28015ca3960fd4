//! Exercise 5: a producer and a consumer in two processes. The consumer
//! handles lines until the end of its input and then prints its summary
//! and exits (in-process and as the worker program); the producer closes
//! the pipe before it reads the summary, for no items, one item and far
//! more than a pipe holds; a consumer that fails, dies early or prints
//! garbage is an error for the producer.
//!
//! The two classic hangs (a producer reading before it closes its end, a
//! consumer that never stops at the end of its input) are bounded here by
//! a short limit, so they fail with their cause named instead of timing
//! out; the grader kills whatever process they leave behind.
//!
//! Summaries and printed lines are recorded with `grader::harness::answer`
//! and compared by the grader with the reference solution's.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use grader::harness::{
    AnswerOptions, answer, answer_with, call_graded_within_limit, worker_program,
};
use lab5_multiprocessing::{
    CONSUME_SUBCOMMAND, ConsumerSummary, ProcessError, consume, produce_to_child,
};
use labkit::assert_no_children_left;

use crate::support::{ChildGuard, ScriptFolder, variant_name};

/// How long a producer/consumer exchange may take before the test calls it
/// hung: correct runs of these tests take well under a second, also on a
/// loaded machine.
const HANG_LIMIT: Duration = Duration::from_secs(3);

fn fields(summary: &ConsumerSummary) -> (u64, u64, u64) {
    (summary.count, summary.sum, summary.checksum)
}

/// Items no parent could guess: spread over the whole `u64` range.
fn scrambled_items(n_items: u64) -> Vec<u64> {
    (0..n_items)
        .map(|item_idx| item_idx.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (item_idx % 40))
        .collect()
}

/// Calls the graded `produce_to_child` with a short time limit.
fn produce(
    items: Vec<u64>,
    program: PathBuf,
    program_name: &str,
) -> (String, Result<ConsumerSummary, ProcessError>) {
    let call = format!("produce_to_child(<{} items>, {program_name})", items.len());
    let result = call_graded_within_limit(
        &call,
        "a producer that reads the child's output while it still holds the write end of the \
         child's stdin waits forever (the child waits for more items): drop the ChildStdin \
         (or the BufWriter around it) before reading; or the consumer never stops at the end \
         of its input",
        HANG_LIMIT,
        move || produce_to_child(items, &program),
    );
    (call, result)
}

pub fn produce_to_child_closes_the_pipe_and_returns_the_summary_of_every_item() {
    // 200,000 items are about 3 MB of text, far more than a pipe holds.
    for n_items in [0, 1, 200_000] {
        let items = scrambled_items(n_items);
        let (call, result) = produce(items, worker_program(), "worker");
        let summary = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
        assert_no_children_left(&format!("{call} returned"));
        answer_with(
            &format!("{call}: (count, sum, checksum)"),
            &fields(&summary),
            AnswerOptions {
                note: "every item must reach the consumer once, in order, one per line",
                ..AnswerOptions::default()
            },
        );
    }
}

pub fn consume_worker_prints_its_summary_and_exits_when_its_input_ends() {
    let items = scrambled_items(1000);
    let text: String = items.iter().map(|item| format!("{item}\n")).collect();
    let mut guard = ChildGuard::start_worker(&[CONSUME_SUBCOMMAND]);
    if let Some(mut stdin) = guard.child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
        // Dropped here: the worker's input ends.
    }
    assert!(
        guard.exited_within(HANG_LIMIT),
        "worker never exits: the `consume` worker was still running {} s after its input \
         ended; it must stop when read_line returns Ok(0) (end of file), print its summary and \
         exit; a loop that skips empty reads spins forever",
        HANG_LIMIT.as_secs()
    );
    let (printed, stderr) = guard.read_output();
    let status = guard.exit_status().expect("the worker has exited");
    assert!(
        status.success(),
        "the `consume` worker failed ({status}) on 1000 valid items; its standard error: \
         {stderr:?}"
    );
    answer_with(
        "what the `consume` worker printed after 1000 items",
        &printed,
        AnswerOptions {
            note: "it must print its summary line and nothing else",
            ..AnswerOptions::default()
        },
    );
}

pub fn consume_counts_each_line_and_stops_at_the_end_of_its_input() {
    let cases: [(&str, Vec<u64>); 3] = [
        ("", vec![]),
        ("7\n", vec![7]),
        ("3\n1\n4\n1\n5\n9\n2\n6", vec![3, 1, 4, 1, 5, 9, 2, 6]),
    ];
    for (input, items) in cases {
        let call = format!("consume({input:?}, output)");
        let (result, output) = call_graded_within_limit(
            &call,
            "consume must stop when the input ends (read_line returning Ok(0))",
            HANG_LIMIT,
            move || {
                let mut output = Vec::new();
                let result = consume(input.as_bytes(), &mut output);
                (result, output)
            },
        );
        let summary = result.unwrap_or_else(|error| panic!("{call} failed: {error}"));
        answer(
            &format!("{call}: (count, sum, checksum) of {items:?}"),
            &fields(&summary),
        );
        answer_with(
            &format!("what {call} wrote"),
            &String::from_utf8_lossy(&output).into_owned(),
            AnswerOptions {
                note: "the summary line and a newline, nothing else",
                ..AnswerOptions::default()
            },
        );
    }
    for bad_input in ["1\ntwo\n3\n", "-5\n"] {
        let call = format!("consume({bad_input:?}, output)");
        let result = call_graded_within_limit(
            &call,
            "consume must stop at a line that is not a whole number",
            HANG_LIMIT,
            move || consume(bad_input.as_bytes(), Vec::new()),
        );
        assert!(
            result.is_err(),
            "{call} returned {result:?}; a line that is not a whole number is an Err (the \
             worker then fails, and the producer learns that its data was bad)"
        );
    }
}

pub fn produce_to_child_reports_a_consumer_that_fails_or_dies_early_as_an_error() {
    let scripts = ScriptFolder::new("consume-misbehaving");
    let cases: [(PathBuf, &str, &[&str]); 4] = [
        (
            scripts.script(
                "dies-early",
                "read first\necho 'consumer broke after one item' >&2\nexit 3",
            ),
            "a consumer that exits with status 3 after one item (the rest of the writes meet \
             a broken pipe)",
            &["ChildFailed", "Io"],
        ),
        (
            scripts.script("fails-at-the-end", "cat > /dev/null\nexit 5"),
            "a consumer that reads everything and exits with status 5",
            &["ChildFailed"],
        ),
        (
            scripts.script("garbage", "cat > /dev/null\necho 'all done'"),
            "a consumer that prints `all done`",
            &["UnreadableOutput"],
        ),
        (
            scripts.path().join("no-such-worker"),
            "a worker program that does not exist",
            &["CouldNotStart"],
        ),
    ];
    for (program, what, expected_variants) in cases {
        let (call, result) = produce(scrambled_items(200_000), program, what);
        let variant = variant_name(&result);
        assert!(
            expected_variants.contains(&variant.as_str()),
            "{call} returned {variant}; {what} must be ProcessError::{}",
            expected_variants.join(" or ProcessError::")
        );
        assert_no_children_left(&format!("{call} returned an error ({what})"));
    }
}
