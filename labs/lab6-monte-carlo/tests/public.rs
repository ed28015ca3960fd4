//! The public tests of lab 6: `cargo test -p lab6-monte-carlo`.
//!
//! One module per exercise. Each test shows how a function is meant to be
//! used and checks the basics; until you write it, its tests fail with "not
//! yet implemented". The graded tests check more: many seeds and sample
//! counts, every worker count from 1 to 8, misbehaving worker processes,
//! the `1 / sqrt(n)` law, confidence intervals over many seeds, and your
//! samples per second against the reference solution's.
//!
//! Random results are checked the way a statistician would: an estimate
//! must lie within 4 standard errors of the truth, which a correct
//! estimator misses about 6 times in 100,000. Every seed is fixed, so a
//! test that passes once passes every time.
//!
//! `cargo test -p lab6-monte-carlo -- --nocapture` shows what the tests
//! measured; add `--release` for speeds worth reading (debug builds are
//! ten or more times slower).

use std::f64::consts::PI;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use lab6_monte_carlo::{
    EstimateError, PiWorkerArgs, ProcessError, SAMPLES_PER_BLOCK, Z_95, Z_999, block_count,
    block_rng, count_hits, count_hits_in_blocks, estimate_pi_processes, estimate_pi_serial,
    estimate_pi_threads, integrate, mean_absolute_error, pi_from_hits, pi_standard_error,
};

/// The worker program built from this crate's `src/main.rs` (or from the
/// reference solution's, when these tests run against it).
fn worker_program() -> &'static Path {
    labkit::worker_program!("lab6-monte-carlo")
}

/// Fails unless `estimate` is within 4 standard errors of pi.
fn assert_within_four_sigma(estimate: f64, n_samples: u64, what: &str) {
    let sigma = 4.0 * ((PI / 4.0) * (1.0 - PI / 4.0) / n_samples as f64).sqrt();
    assert!(
        (estimate - PI).abs() <= 4.0 * sigma,
        "{what}: {estimate} is {:.1} standard errors from pi (sigma = {sigma:.6}); a correct \
         estimate is within 4 all but 6 times in 100,000",
        (estimate - PI).abs() / sigma
    );
}

mod exercise1_serial {
    use super::*;

    #[test]
    fn count_hits_finds_about_pi_over_4_of_the_points_inside() {
        let n_samples = 1_000_000;
        let hits = count_hits(&mut block_rng(2024, 0), n_samples);
        assert!(hits <= n_samples, "more hits than points: {hits}");
        assert_within_four_sigma(
            4.0 * hits as f64 / n_samples as f64,
            n_samples,
            "4 * hits / n",
        );
    }

    #[test]
    fn pi_from_hits_divides_in_floating_point() {
        assert_eq!(pi_from_hits(777, 1000), 3.108);
        assert_eq!(
            pi_from_hits(1, 3),
            4.0 / 3.0,
            "integer division would give 1"
        );
    }

    #[test]
    fn counting_blocks_in_two_parts_gives_the_same_hits_as_counting_them_at_once() {
        let n_samples = 5 * SAMPLES_PER_BLOCK + 77;
        let all_at_once = count_hits_in_blocks(n_samples, 3, 0..6);
        let in_two_parts =
            count_hits_in_blocks(n_samples, 3, 0..2) + count_hits_in_blocks(n_samples, 3, 2..6);
        assert_eq!(all_at_once, in_two_parts);
        assert_eq!(
            count_hits_in_blocks(n_samples, 3, 4..4),
            0,
            "no blocks, no hits"
        );
    }

    #[test]
    fn the_serial_estimate_is_close_to_pi_and_the_same_for_the_same_seed() {
        let n_samples = 2_000_000;
        let estimate = estimate_pi_serial(n_samples, 42).unwrap();
        assert_within_four_sigma(estimate, n_samples, "estimate_pi_serial(2_000_000, 42)");
        assert_eq!(
            estimate_pi_serial(n_samples, 42).unwrap(),
            estimate,
            "the same (n_samples, seed) must give the same estimate"
        );
        assert_ne!(
            estimate_pi_serial(n_samples, 43).unwrap(),
            estimate,
            "another seed should draw other points"
        );
    }

    #[test]
    fn an_estimate_from_no_samples_is_an_error() {
        assert_eq!(
            estimate_pi_serial(0, 1),
            Err(EstimateError::TooFewSamples {
                n_samples: 0,
                needed: 1
            })
        );
    }
}

mod exercise2_threads {
    use super::*;

    #[test]
    fn every_thread_count_gives_exactly_the_serial_estimate() {
        // Not a whole number of blocks, on purpose: the last block is short.
        let n_samples = 3 * SAMPLES_PER_BLOCK + 12_345;
        let serial = estimate_pi_serial(n_samples, 7).unwrap();
        for n_threads in [1, 2, 3, 8] {
            assert_eq!(
                estimate_pi_threads(n_samples, 7, n_threads).unwrap(),
                serial,
                "{n_threads} threads must give exactly the serial estimate"
            );
        }
    }

    #[test]
    fn zero_threads_or_no_samples_is_an_error() {
        assert_eq!(
            estimate_pi_threads(1000, 1, 0),
            Err(EstimateError::NoWorkers)
        );
        assert!(matches!(
            estimate_pi_threads(0, 1, 2),
            Err(EstimateError::TooFewSamples { .. })
        ));
    }

    #[test]
    fn samples_per_second_on_one_and_two_threads() {
        let n_samples = 64 * SAMPLES_PER_BLOCK;
        let started = Instant::now();
        let one = estimate_pi_threads(n_samples, 5, 1).unwrap();
        let one_thread = started.elapsed();
        let started = Instant::now();
        let two = estimate_pi_threads(n_samples, 5, 2).unwrap();
        let two_threads = started.elapsed();
        assert_eq!(one, two);
        println!(
            "{n_samples} samples: 1 thread {:.0} M samples/s, 2 threads {:.0} M samples/s \
             (speedup {:.2}x; a debug build is much slower than --release)",
            n_samples as f64 / one_thread.as_secs_f64() / 1e6,
            n_samples as f64 / two_threads.as_secs_f64() / 1e6,
            one_thread.div_duration_f64(two_threads)
        );
    }
}

mod exercise3_processes {
    use super::*;

    #[test]
    fn every_process_count_gives_exactly_the_serial_estimate() {
        let n_samples = 4 * SAMPLES_PER_BLOCK + 1;
        let serial = estimate_pi_serial(n_samples, 11).unwrap();
        for n_processes in [1, 2, 3] {
            let estimate = estimate_pi_processes(n_samples, 11, n_processes, worker_program())
                .unwrap_or_else(|error| panic!("{n_processes} processes: {error}"));
            assert_eq!(
                estimate, serial,
                "{n_processes} processes must give exactly the serial estimate"
            );
        }
    }

    #[test]
    fn the_worker_program_prints_the_hit_count_of_its_blocks() {
        let n_samples = 3 * SAMPLES_PER_BLOCK;
        let request = PiWorkerArgs {
            n_samples,
            seed: 9,
            blocks: 1..3,
        };
        let output = Command::new(worker_program())
            .args(request.to_args())
            .output()
            .unwrap();
        assert!(output.status.success(), "the worker failed: {output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            format!("{}\n", count_hits_in_blocks(n_samples, 9, 1..3)),
            "the worker must print its hit count and a newline, nothing else"
        );
    }

    #[test]
    fn the_worker_program_fails_on_arguments_it_cannot_read() {
        let output = Command::new(worker_program())
            .args(["pi", "--samples", "many"])
            .output()
            .unwrap();
        assert!(
            !output.status.success(),
            "a worker that cannot read its request must exit with a failure status"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("panicked"),
            "a worker should explain bad arguments on standard error, not panic: {stderr}"
        );
    }

    #[test]
    fn a_worker_program_that_fails_or_is_missing_is_an_error() {
        let fails = estimate_pi_processes(1000, 1, 2, Path::new("false"));
        assert!(
            matches!(fails, Err(ProcessError::WorkerFailed { .. })),
            "`false` as the worker program: {fails:?}"
        );
        let missing = estimate_pi_processes(1000, 1, 2, Path::new("/no/such/worker"));
        assert!(
            matches!(missing, Err(ProcessError::CouldNotStart { .. })),
            "a worker program that does not exist: {missing:?}"
        );
        assert!(matches!(
            estimate_pi_processes(1000, 1, 0, worker_program()),
            Err(ProcessError::InvalidRequest(EstimateError::NoWorkers))
        ));
    }
}

mod exercise4_statistics {
    use super::*;

    #[test]
    fn the_standard_error_of_a_million_samples_is_about_0_0016() {
        assert!((pi_standard_error(1_000_000) - 0.001_642).abs() < 1e-6);
        assert!(
            (pi_standard_error(10_000) / pi_standard_error(1_000_000) - 10.0).abs() < 1e-9,
            "100 times the samples, a tenth of the standard error"
        );
    }

    #[test]
    fn a_hundred_times_more_samples_make_the_error_about_ten_times_smaller() {
        let seeds = 0..20;
        let coarse = mean_absolute_error(SAMPLES_PER_BLOCK, seeds.clone(), 2).unwrap();
        let fine = mean_absolute_error(100 * SAMPLES_PER_BLOCK, seeds, 2).unwrap();
        println!(
            "mean absolute error over 20 seeds: {coarse:.6} at {} samples, {fine:.6} at {} \
             ({:.1}x smaller)",
            SAMPLES_PER_BLOCK,
            100 * SAMPLES_PER_BLOCK,
            coarse / fine
        );
        assert!(
            (4.0..25.0).contains(&(coarse / fine)),
            "expected about 10x smaller, got {:.1}x",
            coarse / fine
        );
    }
}

mod exercise5_integration {
    use super::*;

    #[test]
    fn the_integral_of_x_squared_over_0_3_is_about_9() {
        let integral = integrate(|x| x * x, 0.0, 3.0, 1_000_000, 3, 2).unwrap();
        println!(
            "integral of x^2 over [0, 3]: {:.5} +- {:.5} (95%)",
            integral.estimate,
            Z_95 * integral.standard_error
        );
        assert!(
            integral.confidence_interval(Z_999).contains(9.0),
            "the 99.9% interval {:?} misses 9",
            integral.confidence_interval(Z_999)
        );
        // With u uniform in [0, 1), one sample is 3 * (3u)^2 = 27 u^2, whose
        // standard deviation is 27 * 2 / sqrt(45) = 8.05; the standard error
        // of a million samples is a thousandth of that.
        assert!(
            (integral.standard_error - 0.00805).abs() < 0.0005,
            "standard error {} (expected about 0.00805)",
            integral.standard_error
        );
    }

    #[test]
    fn the_integral_is_the_same_for_every_thread_count() {
        let n_samples = 2 * SAMPLES_PER_BLOCK + 3;
        let one = integrate(f64::sin, 0.0, PI, n_samples, 8, 1).unwrap();
        for n_threads in [2, 3] {
            assert_eq!(
                integrate(f64::sin, 0.0, PI, n_samples, 8, n_threads).unwrap(),
                one,
                "{n_threads} threads"
            );
        }
        assert_eq!(block_count(n_samples), 3);
    }

    #[test]
    fn impossible_integrals_are_errors() {
        assert!(matches!(
            integrate(|x| x, 0.0, 1.0, 1, 0, 1),
            Err(EstimateError::TooFewSamples { .. })
        ));
        assert_eq!(
            integrate(|x| x, 0.0, 1.0, 100, 0, 0),
            Err(EstimateError::NoWorkers)
        );
        assert!(matches!(
            integrate(|x| x, 1.0, 1.0, 100, 0, 1),
            Err(EstimateError::InvalidInterval { .. })
        ));
    }
}
