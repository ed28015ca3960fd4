//! Exercise 5: a three-stage pipeline over bounded queues, with
//! backpressure.
//!
//! Each stage runs on its own thread and talks to the next through a
//! `BoundedQueue`. When a later stage is slow, its input queue fills up and
//! the stage before it blocks in `put`; that stage then stops taking from
//! its own input queue, which fills up in turn, and so on back to the
//! source. Nothing is dropped and nothing piles up: the items in flight
//! never exceed the two capacities plus the one item each stage holds.
//! Each stage closes its output queue when its input is exhausted, so the
//! end of the input flows down the pipeline behind the last item.

use std::collections::BTreeMap;

use labsync::thread;

use crate::BoundedQueue;

/// Runs `fetch` -> `tokenize` -> `count` as three threads joined by two
/// `BoundedQueue`s of `capacity`: `fetch` is called until it returns
/// `None`, every item goes through `tokenize` and then `count`, in order.
///
/// # Panics
///
/// If `capacity` is zero.
pub fn run_pipeline<Fetched, Tokens, Fetch, Tokenize, Count>(
    capacity: usize,
    mut fetch: Fetch,
    mut tokenize: Tokenize,
    mut count: Count,
) where
    Fetched: Send,
    Tokens: Send,
    Fetch: FnMut() -> Option<Fetched> + Send,
    Tokenize: FnMut(Fetched) -> Tokens + Send,
    Count: FnMut(Tokens) + Send,
{
    let fetched = BoundedQueue::new(capacity);
    let tokenized = BoundedQueue::new(capacity);
    let (fetched, tokenized) = (&fetched, &tokenized);
    thread::scope(|scope| {
        let fetcher = scope.spawn(move || {
            // Closing on the way out, even on a panic, lets the later stages
            // finish instead of waiting forever.
            let _close = CloseOnDrop(fetched);
            while let Some(item) = fetch() {
                if fetched.put(item).is_err() {
                    break; // A later stage failed and closed the pipeline.
                }
            }
        });
        let tokenizer = scope.spawn(move || {
            let _close = CloseOnDrop(tokenized);
            let _close_input = CloseOnDrop(fetched);
            while let Some(item) = fetched.get() {
                if tokenized.put(tokenize(item)).is_err() {
                    break;
                }
            }
        });
        let counter = scope.spawn(move || {
            let _close_input = CloseOnDrop(tokenized);
            while let Some(item) = tokenized.get() {
                count(item);
            }
        });
        for stage in [fetcher, tokenizer, counter] {
            if let Err(payload) = stage.join() {
                std::panic::resume_unwind(payload);
            }
        }
    });
}

/// Closes a queue when dropped: a stage closes its output when it ends, so
/// the next stage ends too, and closes its input, so an earlier stage blocked
/// on a full queue is released if this stage fails.
struct CloseOnDrop<'queue, T>(&'queue BoundedQueue<T>);

impl<T> Drop for CloseOnDrop<'_, T> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// The words of `text`: maximal runs of letters, digits and apostrophes,
/// lowercased, with apostrophes at either end removed.
pub fn words_of(text: &str) -> Vec<String> {
    text.split(|ch: char| !(ch.is_alphanumeric() || ch == '\''))
        .map(|word| word.trim_matches('\''))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Counts the words of `documents` with [`run_pipeline`]: the documents are
/// fetched one by one, split with [`words_of`], and counted.
pub fn count_words(documents: Vec<String>, capacity: usize) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let mut documents = documents.into_iter();
    run_pipeline(
        capacity,
        || documents.next(),
        |document: String| words_of(&document),
        |words: Vec<String>| {
            for word in words {
                *counts.entry(word).or_insert(0) += 1;
            }
        },
    );
    counts
}
