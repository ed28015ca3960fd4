//! Exercise 5, the three-stage pipeline: backpressure keeps the items in
//! flight within the two queues' capacities plus one item per stage, on
//! real threads with a slow last stage and on every explored schedule;
//! every item passes every stage once and in order; the three stages run on
//! three threads at the same time; `count_words` counts right (native).
//!
//! Backpressure is checked by counting, never by timing: `fetch` adds one
//! to an in-flight count for each item it hands out and `count` takes one
//! off when it has finished with an item, and the most ever in flight is
//! compared with `2 x capacity + 3` (one item in each queue slot, plus the
//! one item each of the three stages may hold).
//!
//! The items each stage saw and `count_words`' counts are recorded with
//! `grader::harness::answer_with` and compared by the grader with the
//! reference solution's; the items in flight, the stages' threads and
//! their overlap are observed, and judged, here.

/// The most items that may be between "fetched" and "counted" with two
/// queues of `capacity`: both queues full, and each stage holding one item.
pub fn in_flight_bound(capacity: usize) -> usize {
    2 * capacity + 3
}

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use lab4_queues::run_pipeline;
    use labsync::sync::atomic::{AtomicUsize, Ordering};

    use super::in_flight_bound;
    use crate::support::explored::explore;

    pub fn pipeline_never_holds_more_items_than_its_queues_allow_under_any_schedule() {
        // Twelve items through queues of capacity 1: at most 5 may be in
        // flight. With a queue that has no bound, a schedule that lets the
        // fetcher run ahead finds more.
        explore("run_pipeline(capacity 1, 12 items) panicked", || {
            const CAPACITY: usize = 1;
            const N_ITEMS: usize = 12;
            let in_flight = AtomicUsize::new(0);
            let max_in_flight = AtomicUsize::new(0);
            let mut next_item = 0;
            let mut counted = Vec::new();
            run_pipeline(
                CAPACITY,
                || {
                    if next_item == N_ITEMS {
                        return None;
                    }
                    next_item += 1;
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    max_in_flight.fetch_max(now, Ordering::SeqCst);
                    Some(next_item)
                },
                |item| item * 10,
                |item| {
                    counted.push(item);
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                },
            );
            let max_in_flight = max_in_flight.load(Ordering::SeqCst);
            let bound = in_flight_bound(CAPACITY);
            assert!(
                max_in_flight <= bound,
                "backpressure broken: {max_in_flight} items were in flight at once (fetched, not \
                 yet counted); with two queues of capacity {CAPACITY} at most {bound} can be (a \
                 queue without a bound between two stages?)"
            );
            let expected: Vec<usize> = (1..=N_ITEMS).map(|item| item * 10).collect();
            assert!(
                counted == expected,
                "items lost or duplicated: 1..=12 were fetched (and tokenized to x10), count saw \
                 {counted:?}"
            );
        });
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::collections::HashSet;
    use std::sync::{Condvar, Mutex, PoisonError};
    use std::thread::ThreadId;
    use std::time::Instant;

    use grader::harness::{AnswerOptions, answer_with};
    use lab4_queues::{count_words, run_pipeline};
    use labkit::{WaitableCounter, units};

    use super::in_flight_bound;
    use crate::support::native::{PATIENCE, call_graded_with_hint};

    /// The test's view of the items in flight.
    #[derive(Debug, Default)]
    struct Flight {
        fetched: usize,
        in_flight: usize,
        max_in_flight: usize,
    }

    pub fn pipeline_with_a_slow_last_stage_keeps_items_in_flight_within_the_capacities() {
        // The last stage holds its first item until the earlier stages
        // have run as far ahead as they can: until more items are in flight
        // than the queues allow (a bug), until every item has been fetched
        // (a bug, for 200 items), or for 4 units (a correct pipeline, whose
        // fetcher is blocked by then). The most in flight is then judged.
        const CAPACITY: usize = 3;
        const N_ITEMS: usize = 200;
        let bound = in_flight_bound(CAPACITY);
        let (max_in_flight, counted) = call_graded_with_hint(
            "run_pipeline(capacity 3, 200 items, a slow count)",
            "it did not return: does each stage close its output queue when its input is done?",
            move || {
                let flight = Mutex::new(Flight::default());
                let changed = Condvar::new();
                let mut counted = Vec::new();
                run_pipeline(
                    CAPACITY,
                    || {
                        let mut flight = flight.lock().unwrap_or_else(PoisonError::into_inner);
                        if flight.fetched == N_ITEMS {
                            return None;
                        }
                        flight.fetched += 1;
                        flight.in_flight += 1;
                        flight.max_in_flight = flight.max_in_flight.max(flight.in_flight);
                        let item = flight.fetched;
                        drop(flight);
                        changed.notify_all();
                        Some(item)
                    },
                    |item| item,
                    |item| {
                        if counted.is_empty() {
                            let deadline = Instant::now() + units(4);
                            let mut flight = flight.lock().unwrap_or_else(PoisonError::into_inner);
                            while flight.in_flight <= bound && flight.fetched < N_ITEMS {
                                let now = Instant::now();
                                if now >= deadline {
                                    break;
                                }
                                flight = changed
                                    .wait_timeout(flight, deadline - now)
                                    .unwrap_or_else(PoisonError::into_inner)
                                    .0;
                            }
                        }
                        counted.push(item);
                        flight
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .in_flight -= 1;
                    },
                );
                let max_in_flight = flight
                    .into_inner()
                    .unwrap_or_else(PoisonError::into_inner)
                    .max_in_flight;
                (max_in_flight, counted)
            },
        );
        grader::harness::metric("max_items_in_flight", max_in_flight as f64);
        assert!(
            max_in_flight <= bound,
            "backpressure broken: {max_in_flight} items were in flight at once (fetched, not yet \
             counted) while the last stage was slow; with two queues of capacity {CAPACITY} at \
             most {bound} can be (both queues full, one item in each stage's hands): is every \
             queue between two stages a BoundedQueue of `capacity`?"
        );
        answer_with(
            "run_pipeline(capacity 3, fetch 1..=200, a slow count): the items count saw",
            &counted,
            AnswerOptions {
                note: "items lost, duplicated or out of order?",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn pipeline_passes_every_item_through_every_stage_once_in_order() {
        const N_ITEMS: u64 = 5_000;
        let (tokenized, counted) = call_graded_with_hint(
            "run_pipeline(capacity 2, 5000 items)",
            "it did not return: does each stage close its output queue when its input is done?",
            || {
                let mut next_item = 0;
                let mut tokenized = Vec::new();
                let mut counted = Vec::new();
                run_pipeline(
                    2,
                    || {
                        next_item += 1;
                        (next_item <= N_ITEMS).then_some(next_item)
                    },
                    |item| {
                        tokenized.push(item);
                        format!("item {item}")
                    },
                    |text| counted.push(text),
                );
                (tokenized, counted)
            },
        );
        let note = "items lost, duplicated or out of order? every item must pass every stage \
                    once, in the order it was fetched";
        answer_with(
            "run_pipeline(capacity 2, fetch 1..=5000, tokenize |item| format!(\"item {item}\")): \
             the items tokenize saw",
            &tokenized,
            AnswerOptions {
                note,
                ..AnswerOptions::default()
            },
        );
        answer_with(
            "run_pipeline(capacity 2, fetch 1..=5000, tokenize |item| format!(\"item {item}\")): \
             the texts count saw",
            &counted,
            AnswerOptions {
                note,
                ..AnswerOptions::default()
            },
        );
    }

    pub fn pipeline_runs_each_stage_on_its_own_thread_at_the_same_time() {
        // The fetcher, at its third item, waits until the counter has
        // counted the first; the tokenizer, at its second, waits for the
        // same. Stages that really overlap pass at once; stages run one
        // after the other wait out the deadline.
        let (fetch_saw_count, tokenize_saw_count, stage_threads) = call_graded_with_hint(
            "run_pipeline(capacity 2, 10 items, stages that wait for each other)",
            "it did not return: are the three stages running at the same time, each on its own \
             thread?",
            || {
                let deadline = Instant::now() + PATIENCE;
                let counted = WaitableCounter::new();
                let threads: Mutex<[HashSet<ThreadId>; 3]> = Mutex::default();
                let note_thread = |stage: usize| {
                    threads.lock().unwrap_or_else(PoisonError::into_inner)[stage]
                        .insert(std::thread::current().id());
                };
                let (mut fetched, mut tokenized) = (0, 0);
                let (mut fetch_saw_count, mut tokenize_saw_count) = (false, false);
                run_pipeline(
                    2,
                    || {
                        note_thread(0);
                        fetched += 1;
                        if fetched == 3 {
                            fetch_saw_count = counted.wait_until_at_least(1, deadline);
                        }
                        (fetched <= 10).then_some(fetched)
                    },
                    |item| {
                        note_thread(1);
                        tokenized += 1;
                        if tokenized == 2 {
                            tokenize_saw_count = counted.wait_until_at_least(1, deadline);
                        }
                        item
                    },
                    |_item| {
                        note_thread(2);
                        counted.increment();
                    },
                );
                let threads = threads.into_inner().unwrap_or_else(PoisonError::into_inner);
                (fetch_saw_count, tokenize_saw_count, threads)
            },
        );
        let all_threads: HashSet<ThreadId> = stage_threads.iter().flatten().copied().collect();
        assert!(
            stage_threads.iter().all(|threads| threads.len() == 1) && all_threads.len() == 3,
            "stages not on their own threads: fetch ran on {}, tokenize on {}, count on {} \
             thread(s), {} distinct in all; run each stage on one thread of its own",
            stage_threads[0].len(),
            stage_threads[1].len(),
            stage_threads[2].len(),
            all_threads.len()
        );
        assert!(
            fetch_saw_count && tokenize_saw_count,
            "stages not running at the same time: while fetching item 3 the counter had {} \
             counted item 1, while tokenizing item 2 it had {}; the stages must work at once, on \
             different items",
            if fetch_saw_count { "already" } else { "not" },
            if tokenize_saw_count { "already" } else { "not" }
        );
    }

    pub fn count_words_counts_every_word_of_every_document() {
        const VOCABULARY: [&str; 7] = ["market", "rose", "fell", "the", "shares", "rust's", "q3"];
        const SEPARATORS: [&str; 5] = [" ", ", ", ". ", "! ", " -- "];
        let mut documents = Vec::new();
        for doc_idx in 0..300_usize {
            let mut text = String::new();
            for word_idx in 0..(doc_idx % 13 + 1) {
                let word = VOCABULARY[(doc_idx * 7 + word_idx * 3) % VOCABULARY.len()];
                let written = match (doc_idx + word_idx) % 3 {
                    0 => word.to_owned(),
                    1 => word.to_uppercase(),
                    _ => {
                        let mut chars = word.chars();
                        let first = chars.next().unwrap_or(' ').to_uppercase();
                        first.chain(chars).collect()
                    }
                };
                text.push_str(&written);
                text.push_str(SEPARATORS[(doc_idx + word_idx) % SEPARATORS.len()]);
            }
            documents.push(text);
        }
        let counts = call_graded_with_hint(
            "count_words(300 documents, capacity 2)",
            "it did not return",
            move || count_words(documents, 2),
        );
        answer_with(
            "count_words(300 documents of the words market, rose, fell, the, shares, rust's and \
             q3, in mixed case, with separators, capacity 2)",
            &counts,
            AnswerOptions {
                note: "words are counted in lower case, without the separators around them",
                ..AnswerOptions::default()
            },
        );
    }
}
