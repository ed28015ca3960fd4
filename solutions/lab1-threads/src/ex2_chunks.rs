//! Exercise 2: split a slice into contiguous chunks and work on each chunk
//! in its own scoped thread.

use std::ops::Range;
use std::panic;
use std::thread;

/// Splits `0..len` into `min(n_chunks, len)` contiguous, non-empty ranges
/// whose lengths differ by at most one; the longer ranges come first.
///
/// # Panics
///
/// If `n_chunks` is zero.
pub fn chunk_ranges(len: usize, n_chunks: usize) -> Vec<Range<usize>> {
    assert!(n_chunks >= 1, "n_chunks must be at least 1, got 0");
    let n_nonempty_chunks = n_chunks.min(len);
    if n_nonempty_chunks == 0 {
        return Vec::new();
    }
    let base_len = len / n_nonempty_chunks;
    let n_longer_chunks = len % n_nonempty_chunks;
    let mut start = 0;
    (0..n_nonempty_chunks)
        .map(|chunk_idx| {
            let chunk_len = base_len + usize::from(chunk_idx < n_longer_chunks);
            let range = start..start + chunk_len;
            start = range.end;
            range
        })
        .collect()
}

/// Applies `work` to every item, one scoped thread per chunk of
/// [`chunk_ranges`], and returns the outputs in input order.
///
/// # Panics
///
/// If `n_chunks` is zero, or (passing the panic on) if `work` panics.
pub fn map_in_chunks<Item, Output, Work>(items: &[Item], n_chunks: usize, work: Work) -> Vec<Output>
where
    Item: Sync,
    Output: Send,
    Work: Fn(&Item) -> Output + Sync,
{
    let ranges = chunk_ranges(items.len(), n_chunks);
    let work = &work;
    thread::scope(|scope| {
        // Start every chunk before joining any, so the chunks overlap.
        let chunk_threads: Vec<_> = ranges
            .into_iter()
            .map(|range| {
                let chunk = &items[range];
                scope.spawn(move || chunk.iter().map(work).collect::<Vec<Output>>())
            })
            .collect();
        // Joining in the order the threads were started puts the chunks back
        // in input order, whichever finished first.
        let mut outputs = Vec::with_capacity(items.len());
        for chunk_thread in chunk_threads {
            match chunk_thread.join() {
                Ok(chunk_outputs) => outputs.extend(chunk_outputs),
                Err(payload) => panic::resume_unwind(payload),
            }
        }
        outputs
    })
}

/// Squares every number on `n_chunks` threads, in input order. Squares
/// wrap around at 2^64.
///
/// # Panics
///
/// If `n_chunks` is zero.
pub fn square_in_chunks(numbers: &[u64], n_chunks: usize) -> Vec<u64> {
    map_in_chunks(numbers, n_chunks, |number| number.wrapping_mul(*number))
}
