//! Exercise 5: a producer and a consumer in two processes.

use lab5_multiprocessing::{ConsumerSummary, consume, produce_to_child};

use super::worker_program;

#[test]
fn consume_summarizes_every_line_until_the_input_ends() {
    let mut output = Vec::new();
    let summary = consume(&b"10\n20\n30\n"[..], &mut output).expect("three items");
    assert_eq!(summary, ConsumerSummary::of([10, 20, 30]));
    assert_eq!(
        String::from_utf8(output).unwrap(),
        "count 3 sum 60 checksum 10260\n"
    );

    assert!(consume(&b"10\nmany\n"[..], Vec::new()).is_err());
}

#[test]
fn a_consumer_process_summarizes_what_its_producer_wrote() {
    let items: Vec<u64> = (1..=10_000).collect();
    let summary = produce_to_child(items.clone(), worker_program()).expect("the child consumes");
    assert_eq!(summary, ConsumerSummary::of(items));
}

#[test]
fn a_consumer_of_nothing_reports_no_items() {
    let summary = produce_to_child([], worker_program()).expect("the child consumes");
    assert_eq!(summary, ConsumerSummary::new());
}
