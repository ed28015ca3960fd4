//! Exercise 2: split a slice into contiguous chunks and work on each chunk
//! in its own scoped thread.
//!
//! This is the simplest way to share work: cut the input into N pieces and
//! give each piece to a thread. `std::thread::scope` makes it pleasant in
//! Rust: threads started inside a scope may borrow local data (here, parts
//! of the input slice), because the scope waits for all of them before it
//! returns. No `Arc`, no copying.

use std::ops::Range;

/// Splits the indices `0..len` into `n_chunks` contiguous ranges, in order,
/// whose lengths differ by at most one, longer ranges first.
///
/// If `len < n_chunks` there are not enough items for every chunk; return
/// only the `len` non-empty ranges (one item each). An empty input gives no
/// ranges at all.
///
/// ```no_run
/// use lab1_threads::chunk_ranges;
///
/// assert_eq!(chunk_ranges(10, 3), vec![0..4, 4..7, 7..10]);
/// assert_eq!(chunk_ranges(2, 5), vec![0..1, 1..2]);
/// assert_eq!(chunk_ranges(0, 4), vec![]);
/// ```
///
/// Pitfall: the obvious `chunk_len = len / n_chunks` is 0 when there are
/// fewer items than chunks (and `slice.chunks(0)` panics), and
/// `len.div_ceil(n_chunks)` can give fewer chunks than asked for (9 items
/// in chunks of 3 make 3 chunks, not 4). Give the first `len % n_chunks`
/// ranges one extra item instead.
///
/// # Panics
///
/// If `n_chunks` is zero; say so in the panic message.
pub fn chunk_ranges(len: usize, n_chunks: usize) -> Vec<Range<usize>> {
    let _ = (len, n_chunks);
    todo!("exercise 2: chunk_ranges")
}

/// Applies `work` to every item and returns the outputs in input order,
/// using one scoped thread per range of [`chunk_ranges`]`(items.len(),
/// n_chunks)`.
///
/// Build it with `std::thread::scope`: spawn one thread per chunk (each
/// borrows its own sub-slice `&items[range]` and maps `work` over it), keep
/// the `ScopedJoinHandle`s in a `Vec`, then join them in the order you
/// started them and concatenate their outputs.
///
/// The idea: the threads run at the same time, but finish in any order.
/// Joining the handles in start order, rather than collecting outputs as
/// they arrive, puts the results back in input order for free.
///
/// Pitfall: spawning a thread and joining it in the same loop iteration
/// runs the chunks one after the other. Start them all first, then join.
/// And if a chunk's thread panicked, pass the panic on
/// (`std::panic::resume_unwind`) instead of returning fewer outputs.
///
/// # Panics
///
/// If `n_chunks` is zero, or if `work` panics.
pub fn map_in_chunks<Item, Output, Work>(items: &[Item], n_chunks: usize, work: Work) -> Vec<Output>
where
    Item: Sync,
    Output: Send,
    Work: Fn(&Item) -> Output + Sync,
{
    let _ = (items, n_chunks, work);
    todo!("exercise 2: map_in_chunks")
}

/// Squares every number, using `n_chunks` threads, and returns the squares
/// in input order. Squares wrap around at 2^64 (`u64::wrapping_mul`).
///
/// One line on top of [`map_in_chunks`].
///
/// ```no_run
/// assert_eq!(lab1_threads::square_in_chunks(&[1, 2, 3, 4, 5], 2), vec![1, 4, 9, 16, 25]);
/// ```
///
/// # Panics
///
/// If `n_chunks` is zero.
pub fn square_in_chunks(numbers: &[u64], n_chunks: usize) -> Vec<u64> {
    let _ = (numbers, n_chunks);
    todo!("exercise 2: square_in_chunks")
}
