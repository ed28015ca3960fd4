//! Lab 3's timing experiment: the price of a semaphore made of a mutex and
//! a condition variable.
//!
//! Each thread takes a permit, gives it back, and does so again, as fast as
//! it can. With one permit and two threads, every hand-over may put a
//! thread to sleep and wake it on the other core; with as many permits as
//! threads, nobody waits and the cost is the mutex alone. The report shows
//! acquire-release pairs per second for both. Nothing here is graded.

use std::time::{Duration, Instant};

use grader::harness::{BenchMode, SUBJECT_UNDER_TEST, bench_mode, measure};
use lab3_semaphores::Semaphore;

/// Acquire-release pairs per second on 2 threads, with 1 and 2 permits.
pub fn semaphore_pairs_per_second() {
    let pairs_each: u64 = match bench_mode() {
        BenchMode::Quick => 100_000,
        BenchMode::Full => 400_000,
    };
    const N_THREADS: usize = 2;
    for permits in [1, 2] {
        let semaphore = Semaphore::new(permits);
        let started = Instant::now();
        std::thread::scope(|scope| {
            for _ in 0..N_THREADS {
                scope.spawn(|| {
                    for _ in 0..pairs_each {
                        semaphore.acquire();
                        semaphore.release();
                    }
                });
            }
        });
        let elapsed = started.elapsed().max(Duration::from_nanos(1));
        measure(
            SUBJECT_UNDER_TEST,
            &format!(
                "{permits} permit{}, {N_THREADS} threads",
                if permits == 1 { "" } else { "s" }
            ),
            (N_THREADS as u64 * pairs_each) as f64 / elapsed.as_secs_f64(),
        );
    }
}
