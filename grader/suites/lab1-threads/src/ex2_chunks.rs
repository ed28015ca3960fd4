//! Exercise 2, `chunk_ranges`, `map_in_chunks` and `square_in_chunks`:
//! contiguous balanced chunks, one thread per chunk, all chunks at once,
//! results in input order, and the edge cases (more chunks than items, no
//! items).
//!
//! Threads are told apart by `ThreadId`, and overlap is proved by a
//! rendezvous on a concurrency probe; nothing here depends on timing except
//! the order test, where later chunks are made to finish first.
//!
//! Returned values (ranges, squares, outputs) are recorded with
//! `grader::harness::answer` and compared by the grader with the reference
//! solution's; which thread handled which items can only be seen here, and
//! is checked here.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Mutex;
use std::thread::{self, ThreadId};

use grader::harness::{AnswerOptions, answer, answer_with};
use lab1_threads::{chunk_ranges, map_in_chunks, square_in_chunks};
use labkit::{ConcurrencyProbe, unit};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::support::{PATIENCE, call_graded, patience_deadline};

/// The split the exercise asks for, computed independently of the graded
/// code: `min(n_chunks, len)` contiguous ranges, longer ones first.
fn expected_ranges(len: usize, n_chunks: usize) -> Vec<Range<usize>> {
    let n_nonempty = n_chunks.min(len);
    let mut ranges = Vec::new();
    let mut start = 0;
    for chunk_idx in 0..n_nonempty {
        let chunk_len = len / n_nonempty + usize::from(chunk_idx < len % n_nonempty);
        ranges.push(start..start + chunk_len);
        start += chunk_len;
    }
    ranges
}

pub fn chunk_ranges_split_into_contiguous_pieces_of_nearly_equal_length() {
    // Every length up to 39 in every number of chunks up to 11, which
    // includes the exercise's examples (10 in 3: 0..4, 4..7, 7..10).
    for len in 0..40 {
        for n_chunks in 1..12 {
            let call = format!("chunk_ranges({len}, {n_chunks})");
            let ranges = call_graded(&call, || chunk_ranges(len, n_chunks));
            // As [start, end) pairs: shorter to read in a message.
            let pairs: Vec<[usize; 2]> = ranges
                .iter()
                .map(|range| [range.start, range.end])
                .collect();
            let note = format!(
                "{} contiguous pieces (fewer only when there are fewer items) whose lengths \
                 differ by at most one, longer pieces first",
                n_chunks.min(len)
            );
            answer_with(
                &call,
                &pairs,
                AnswerOptions {
                    note: &note,
                    ..AnswerOptions::default()
                },
            );
        }
    }
}

pub fn square_in_chunks_squares_every_number_in_input_order() {
    let mut rng = StdRng::seed_from_u64(0x1ab1);
    let numbers: Vec<u64> = (0..1_000)
        .map(|_| rng.random_range(0..1_u64 << 32))
        .collect();
    let squares: Vec<u64> = numbers.iter().map(|number| number * number).collect();
    for n_chunks in [1, 2, 3, 4, 7, 16] {
        let result = call_graded(
            &format!("square_in_chunks(1000 numbers, {n_chunks})"),
            || square_in_chunks(&numbers, n_chunks),
        );
        assert_eq!(
            result.len(),
            numbers.len(),
            "lost or duplicated numbers: 1000 numbers in {n_chunks} chunks gave {} squares",
            result.len()
        );
        if let Some(first_wrong) = (0..numbers.len()).find(|&idx| result[idx] != squares[idx]) {
            panic!(
                "wrong square or wrong order with {n_chunks} chunks: at index {first_wrong} \
                 expected {} (the square of {}), got {}",
                squares[first_wrong], numbers[first_wrong], result[first_wrong]
            );
        }
    }
}

pub fn square_in_chunks_accepts_more_chunks_than_numbers_and_empty_input() {
    let cases: [(&[u64], usize); 6] = [
        (&[1, 2, 3], 10),
        (&[7], 4),
        (&[4, 5], 2),
        (&[], 1),
        (&[], 5),
        (&[3, 1, 2], 3),
    ];
    for (numbers, n_chunks) in cases {
        let call = format!("square_in_chunks(&{numbers:?}, {n_chunks})");
        let result = call_graded(&call, || square_in_chunks(numbers, n_chunks));
        answer(&call, &result);
    }
}

pub fn map_in_chunks_keeps_input_order_when_later_chunks_finish_first() {
    // Earlier items sleep longer, so the last chunk finishes first and the
    // first chunk last. Outputs gathered "as they arrive" come out reversed.
    let items: Vec<u32> = (0..12).collect();
    let outputs = call_graded("map_in_chunks(0..12, 4, slow_first)", || {
        map_in_chunks(&items, 4, |&item| {
            thread::sleep(unit() / 8 * (12 - item));
            item * 10
        })
    });
    answer_with(
        "map_in_chunks(0..12, 4, |item| item * 10), later chunks finishing first",
        &outputs,
        AnswerOptions {
            note: "outputs not in input order when later chunks finish first? join the chunk \
                   threads in the order they were started and concatenate",
            ..AnswerOptions::default()
        },
    );
}

pub fn map_in_chunks_gives_each_contiguous_chunk_its_own_thread() {
    for (len, n_chunks) in [(23, 5), (6, 10), (8, 1), (9, 4)] {
        let items: Vec<usize> = (0..len).collect();
        let visits: Mutex<Vec<(ThreadId, usize)>> = Mutex::new(Vec::new());
        let call = format!("map_in_chunks({len} items, {n_chunks})");
        let outputs = call_graded(&call, || {
            map_in_chunks(&items, n_chunks, |&item_idx| {
                visits
                    .lock()
                    .expect("recording never panics")
                    .push((thread::current().id(), item_idx));
                item_idx
            })
        });
        assert_eq!(outputs, items, "{call} returned the wrong outputs");

        let mut items_by_thread: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (thread_id, item_idx) in visits.into_inner().expect("recording never panics") {
            items_by_thread
                .entry(format!("{thread_id:?}"))
                .or_default()
                .push(item_idx);
        }
        let expected = expected_ranges(len, n_chunks);
        assert_eq!(
            items_by_thread.len(),
            expected.len(),
            "{call} used {} threads; expected one thread per chunk, {} in all",
            items_by_thread.len(),
            expected.len()
        );
        let mut ranges_seen: Vec<Range<usize>> = Vec::new();
        for thread_items in items_by_thread.values() {
            let first = thread_items[0];
            let contiguous_in_order = thread_items
                .iter()
                .enumerate()
                .all(|(offset, &item_idx)| item_idx == first + offset);
            assert!(
                contiguous_in_order,
                "{call}: one thread handled items {thread_items:?}; each thread must handle \
                 one contiguous chunk, in order"
            );
            ranges_seen.push(first..first + thread_items.len());
        }
        ranges_seen.sort_by_key(|range| range.start);
        assert_eq!(
            ranges_seen, expected,
            "{call}: the chunks are not the split of chunk_ranges({len}, {n_chunks})"
        );
    }
}

pub fn map_in_chunks_runs_all_chunks_at_the_same_time() {
    // Every item waits until four items were being worked on at once. Four
    // chunks running together get there at once; chunks run one after
    // another never do.
    let items: Vec<u32> = (0..10).collect();
    let probe = ConcurrencyProbe::new();
    let deadline = patience_deadline();
    let all_met = call_graded("map_in_chunks(0..10, 4, rendezvous)", || {
        map_in_chunks(&items, 4, |_| {
            let _inside = probe.enter();
            probe.wait_until_max_inside(4, deadline)
        })
    });
    assert!(
        all_met.iter().all(|met| *met),
        "chunks ran one after another: at most {} of 4 chunks were ever working at once \
         (waited {} s for all 4); start every chunk's thread before joining any",
        probe.max_inside(),
        PATIENCE.as_secs()
    );
}
