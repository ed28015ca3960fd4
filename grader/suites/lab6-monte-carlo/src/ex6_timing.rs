//! Lab 6's timing experiment: samples per second of the pi estimate,
//! serially, on 2 and 4 threads and on 2 processes.
//!
//! The grader runs it for the graded implementation and for the reference,
//! alternating, and shows both in the timing report: samples per second per
//! point, the speedup over the serial run (the `x` of each point is its
//! worker count) and the ratio to the reference. The course's speed test
//! compares the two at "2 threads": a version whose threads queue for one
//! shared generator behind a lock is right but many times slower, and loses
//! those points. Nothing else here is graded.
//!
//! Every point is sized separately by a short calibration run, so each
//! measurement takes about the same time whatever the implementation's
//! speed: a fast one draws hundreds of millions of samples, a slow one a
//! few million, and neither makes the experiment run for minutes.

use std::time::{Duration, Instant};

use grader::harness::{BenchMode, SUBJECT_UNDER_TEST, bench_mode, measure_at, worker_program};
use lab6_monte_carlo::{estimate_pi_processes, estimate_pi_serial, estimate_pi_threads};

/// The seed of every timed estimate (the speed does not depend on it).
const SEED: u64 = 2024;

/// Measures samples per second at each point and records them.
pub fn pi_samples_per_second() {
    let time_per_point = match bench_mode() {
        BenchMode::Quick => Duration::from_millis(250),
        BenchMode::Full => Duration::from_millis(1_000),
    };
    let worker = worker_program();
    let estimate_with = |point: &str, n_samples: u64| {
        let result = match point {
            "serial" => estimate_pi_serial(n_samples, SEED).map_err(|error| error.to_string()),
            "2 threads" => {
                estimate_pi_threads(n_samples, SEED, 2).map_err(|error| error.to_string())
            }
            "4 threads" => {
                estimate_pi_threads(n_samples, SEED, 4).map_err(|error| error.to_string())
            }
            "2 processes" => estimate_pi_processes(n_samples, SEED, 2, &worker)
                .map_err(|error| error.to_string()),
            _ => unreachable!("the points are listed below"),
        };
        if let Err(error) = result {
            panic!("the {point} estimate of {n_samples} samples failed: {error}");
        }
    };
    for (point, n_workers) in [
        ("serial", 1.0),
        ("2 threads", 2.0),
        ("4 threads", 4.0),
        ("2 processes", 2.0),
    ] {
        let n_samples = calibrate(time_per_point, |n_samples| estimate_with(point, n_samples));
        let started = Instant::now();
        estimate_with(point, n_samples);
        let elapsed = started.elapsed().as_secs_f64().max(1e-9);
        measure_at(
            SUBJECT_UNDER_TEST,
            point,
            n_workers,
            n_samples as f64 / elapsed,
        );
    }
}

/// How many samples `estimate` takes about `target` to draw, found by
/// doubling from a million (which also warms the code, the caches and the
/// CPU frequency up) until a run takes an eighth of the target.
fn calibrate(target: Duration, estimate: impl Fn(u64)) -> u64 {
    let mut n_samples: u64 = 1 << 20;
    loop {
        let started = Instant::now();
        estimate(n_samples);
        let elapsed = started.elapsed();
        if elapsed >= target / 8 || n_samples >= 1 << 40 {
            let scale = target.as_secs_f64() / elapsed.as_secs_f64().max(1e-9);
            return ((n_samples as f64 * scale) as u64).max(1);
        }
        n_samples *= 2;
    }
}
