//! Exercise 7: CPU-bound work split over threads.
//!
//! The lecture counts a number down to zero, once on one thread and once
//! split over two, and finds the two threads *slower*: Python's global
//! interpreter lock lets only one thread run Python code at a time, so the
//! two threads take turns and pay for the switching. Rust has no such lock.
//! Two threads on two cores really do run at once, and well-split work
//! gets close to twice as fast. The graded tests measure the speedup on
//! your machine and report it.
//!
//! The catch: the work must really be split. Threads that share one
//! counter, or take a lock for every step, spend their time fighting over
//! it, and two threads end up slower than one, just like in Python.

/// Counts `start_from` down to zero one step at a time and returns the
/// number of steps taken (always `start_from`). Provided complete.
///
/// This is deliberately pointless work that keeps one core busy for a
/// predictable time.
pub fn count_down(start_from: u64) -> u64 {
    let mut remaining = start_from;
    let mut n_steps = 0;
    // Left alone, the optimizer would replace the loop by `remaining = 0`.
    // Mixing every value into a checksum makes each step depend on the one
    // before, and handing the checksum to black_box at the end makes the
    // optimizer keep it, so every step really runs, in registers only.
    let mut checksum: u64 = 0;
    while remaining > 0 {
        checksum = checksum.rotate_left(5) ^ remaining;
        remaining -= 1;
        n_steps += 1;
    }
    std::hint::black_box(checksum);
    n_steps
}

/// Counts down from `total` using `n_threads` threads and returns the total
/// number of steps taken, which must be exactly `total`.
///
/// Give each thread its own share (the shares differ by at most one and add
/// up to `total`), let each thread call [`count_down`] on its share, and
/// add up what the threads return. `total = 10` on 3 threads is shares of
/// 4, 3 and 3.
///
/// The idea: the threads share nothing while they work, so nothing slows
/// them down; they meet only at the end, when you join them.
///
/// Pitfall: one shared `AtomicU64` that every thread decrements is
/// correct, but every decrement fights over the same cache line, and two
/// threads become several times slower than one.
///
/// # Panics
///
/// If `n_threads` is zero.
pub fn count_down_on_threads(total: u64, n_threads: usize) -> u64 {
    let _ = (total, n_threads);
    todo!("exercise 7: count_down_on_threads")
}

/// The sum of the squares of `numbers`, computed on `n_threads` threads.
///
/// Arithmetic wraps around at 2^64: square with `u64::wrapping_mul` and add
/// with `u64::wrapping_add`. Wrapping addition does not care about order,
/// so every way of splitting the work gives the same answer as the plain
/// one-thread sum (and debug builds do not panic on overflow).
///
/// Give each thread one contiguous chunk ([`crate::chunk_ranges`] helps),
/// let it sum its chunk into a local variable, and add the partial sums
/// after joining.
///
/// Pitfall: adding every square to a shared total (a `Mutex<u64>` or an
/// `AtomicU64`) makes the threads queue up for it on every number.
///
/// ```no_run
/// assert_eq!(lab1_threads::sum_of_squares(&[1, 2, 3], 2), 14);
/// ```
///
/// # Panics
///
/// If `n_threads` is zero.
pub fn sum_of_squares(numbers: &[u64], n_threads: usize) -> u64 {
    let _ = (numbers, n_threads);
    todo!("exercise 7: sum_of_squares")
}
