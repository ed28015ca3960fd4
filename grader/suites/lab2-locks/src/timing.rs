//! Lab 2's timing experiment: what a correct counter costs.
//!
//! Both counters give exact totals; they differ in price. A mutex makes
//! every increment a lock and an unlock, and when threads contend the lock's
//! cache line and its waiters move between cores; an atomic `fetch_add` is
//! one instruction, but its cache line still moves. The report shows
//! increments per second for 1, 2 and 4 threads: contention makes more
//! threads *slower* in total, the lesson that shared state is expensive even
//! when it is correct. Nothing here is graded.

use std::time::{Duration, Instant};

use grader::harness::{BenchMode, SUBJECT_UNDER_TEST, bench_mode, measure};
use lab2_locks::{AtomicCounter, Counter, MutexCounter, count_on_threads};

const THREAD_COUNTS: [usize; 3] = [1, 2, 4];

/// Increments per second of `MutexCounter` and `AtomicCounter` on 1, 2
/// and 4 threads.
pub fn counter_increments_per_second() {
    let total_increments: u64 = match bench_mode() {
        BenchMode::Quick => 2_000_000,
        BenchMode::Full => 8_000_000,
    };
    for n_threads in THREAD_COUNTS {
        let increments_each = total_increments / n_threads as u64;
        let plural = if n_threads == 1 { "" } else { "s" };
        let mutex_rate = rate(&MutexCounter::new(), n_threads, increments_each);
        measure(
            SUBJECT_UNDER_TEST,
            &format!("MutexCounter, {n_threads} thread{plural}"),
            mutex_rate,
        );
        let atomic_rate = rate(&AtomicCounter::new(), n_threads, increments_each);
        measure(
            SUBJECT_UNDER_TEST,
            &format!("AtomicCounter, {n_threads} thread{plural}"),
            atomic_rate,
        );
    }
}

fn rate(counter: &impl Counter, n_threads: usize, increments_each: u64) -> f64 {
    let started = Instant::now();
    let total = count_on_threads(counter, n_threads, increments_each);
    let elapsed = started.elapsed().max(Duration::from_nanos(1));
    assert_eq!(
        total,
        n_threads as u64 * increments_each,
        "the counter lost updates while being timed"
    );
    total as f64 / elapsed.as_secs_f64()
}
