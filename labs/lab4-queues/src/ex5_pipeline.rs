//! Exercise 5: a three-stage pipeline over bounded queues, with
//! backpressure.
//!
//! The lecture's news collector fetches articles, splits them into words
//! and counts the words. Each step is a *stage* on its own thread, and
//! bounded queues connect them:
//!
//! ```text
//! fetch --put--> [queue 1] --get--> tokenize --put--> [queue 2] --get--> count
//! ```
//!
//! All three stages work at once, on different items, like stations on an
//! assembly line. When the last stage is slow, queue 2 fills up and
//! `tokenize` waits in `put`; meanwhile queue 1 fills up and `fetch` waits
//! too. That is *backpressure*: a slow stage slows down everything before
//! it, and the number of items in flight never exceeds what the queues hold
//! plus the one item each stage has in hand. With unbounded queues, a fast
//! fetcher would pile up every article in memory instead.

use std::collections::BTreeMap;

/// Runs `fetch` -> `tokenize` -> `count` as three threads joined by two
/// [`crate::BoundedQueue`]s of `capacity`, and returns when all three are
/// done.
///
/// - Stage 1 calls `fetch()` until it returns `None` and puts each item
///   into queue 1; then it closes queue 1.
/// - Stage 2 gets from queue 1 until it is closed and empty, and puts
///   `tokenize(item)` into queue 2; then it closes queue 2.
/// - Stage 3 gets from queue 2 until it is closed and empty, and calls
///   `count(item)` on each.
///
/// Every item passes every stage once, in the order `fetch` produced it.
/// Run each stage on its own thread in a `labsync::thread::scope`; the
/// closures are `FnMut`, so move each one into its stage's thread (a
/// `move` closure that calls it).
///
/// Pitfall: a queue without a bound (a `Vec`, an unbounded channel)
/// between two stages. Everything still comes out right, but a fast stage
/// runs ahead of a slow one and the items pile up in memory: with a
/// million articles and a slow counter, all million end up waiting in the
/// queue. The tests count the items in flight.
///
/// # Panics
///
/// If `capacity` is zero. You may assume the three closures do not panic.
pub fn run_pipeline<Fetched, Tokens, Fetch, Tokenize, Count>(
    capacity: usize,
    fetch: Fetch,
    tokenize: Tokenize,
    count: Count,
) where
    Fetched: Send,
    Tokens: Send,
    Fetch: FnMut() -> Option<Fetched> + Send,
    Tokenize: FnMut(Fetched) -> Tokens + Send,
    Count: FnMut(Tokens) + Send,
{
    let _ = (capacity, fetch, tokenize, count);
    todo!("exercise 5: run_pipeline")
}

/// The words of `text` (provided complete): maximal runs of letters, digits and apostrophes,
/// lowercased, with apostrophes at either end removed.
pub fn words_of(text: &str) -> Vec<String> {
    text.split(|ch: char| !(ch.is_alphanumeric() || ch == '\''))
        .map(|word| word.trim_matches('\''))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Counts how often each word occurs in `documents`, with
/// [`run_pipeline`] and queues of `capacity`: stage 1 hands out the
/// documents one by one, stage 2 splits each with [`words_of`], and stage 3
/// adds the words to a `BTreeMap` from word to count.
///
/// The counting closure can borrow the map mutably (`&mut counts`) even
/// though it runs on another thread: `run_pipeline` returns only after its
/// threads are done, so the borrow ends before you return the map.
///
/// ```no_run
/// use lab4_queues::count_words;
///
/// let counts = count_words(vec!["The cat.".to_owned(), "the dog".to_owned()], 2);
/// assert_eq!(counts["the"], 2);
/// assert_eq!(counts["cat"], 1);
/// ```
pub fn count_words(documents: Vec<String>, capacity: usize) -> BTreeMap<String, usize> {
    let _ = (documents, capacity);
    todo!("exercise 5: count_words")
}
