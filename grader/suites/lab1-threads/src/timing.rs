//! Lab 1's timing experiment: CPU-bound work on 1, 2, 4 and 8 threads.
//!
//! The Python lecture showed that threads do not speed up a CPU-bound count
//! down, because of the global interpreter lock. Rust has no such lock, so
//! the same split over threads runs about twice as fast on two cores. This
//! experiment measures it for the graded `count_down_on_threads` and the
//! reference in the same run; the report's speedup chart shows it against
//! the ideal line. Nothing here is graded.

use std::time::{Duration, Instant};

use grader::harness::{BenchMode, SUBJECT_UNDER_TEST, bench_mode, measure_at};
use lab1_threads::count_down_on_threads;

/// Thread counts measured; more threads than cores shows the plateau.
const THREAD_COUNTS: [usize; 4] = [1, 2, 4, 8];

/// Counts down on 1, 2, 4 and 8 threads and records steps per second.
pub fn count_down_steps_per_second() {
    let time_per_point = match bench_mode() {
        BenchMode::Quick => Duration::from_millis(150),
        BenchMode::Full => Duration::from_millis(600),
    };
    let total_steps = calibrate(time_per_point);
    for n_threads in THREAD_COUNTS {
        let started = Instant::now();
        let steps = count_down_on_threads(total_steps, n_threads);
        let elapsed = started.elapsed().as_secs_f64();
        assert_eq!(
            steps, total_steps,
            "count_down_on_threads({total_steps}, {n_threads}) ran {steps} steps"
        );
        measure_at(
            SUBJECT_UNDER_TEST,
            &format!(
                "{n_threads} thread{}",
                if n_threads == 1 { "" } else { "s" }
            ),
            n_threads as f64,
            total_steps as f64 / elapsed,
        );
    }
}

/// How many steps one thread takes about `target` to count down, found by
/// doubling from a small count (which also warms the code up).
fn calibrate(target: Duration) -> u64 {
    let mut steps: u64 = 1 << 16;
    loop {
        let started = Instant::now();
        count_down_on_threads(steps, 1);
        let elapsed = started.elapsed();
        if elapsed >= target / 8 || steps >= 1 << 40 {
            let scale = target.as_secs_f64() / elapsed.as_secs_f64().max(1e-9);
            return ((steps as f64 * scale) as u64).max(1);
        }
        steps *= 2;
    }
}
