//! Exercise 5: Monte Carlo integration. Four integrals whose values and
//! whose sampling variances are known exactly: the 99.9% intervals cover
//! the truth for all but at most one of 40 (integral, seed) pairs; the
//! standard error matches the theory and shrinks tenfold for 100x the
//! samples; the result is the same for every thread count; impossible
//! requests are errors.

use std::f64::consts::{E, PI};

use lab6_monte_carlo::{EstimateError, Integral, SAMPLES_PER_BLOCK, Z_999, integrate};

use crate::support::call_graded;

/// An integral with a known value, and the known standard deviation of one
/// sample `(end - start) * f(x)` with `x` uniform on the interval, so that
/// the standard error from `n` samples is `sample_sd / sqrt(n)`.
struct KnownIntegral {
    name: &'static str,
    function: fn(f64) -> f64,
    start: f64,
    end: f64,
    value: f64,
    sample_sd: f64,
}

/// `(end - start) * sqrt(E[f^2] - E[f]^2)` for `x` uniform on `[start, end]`.
fn sample_sd(start: f64, end: f64, mean_of_f: f64, mean_of_f_squared: f64) -> f64 {
    (end - start) * (mean_of_f_squared - mean_of_f * mean_of_f).sqrt()
}

fn known_integrals() -> [KnownIntegral; 4] {
    [
        KnownIntegral {
            name: "x^2 on [0, 3]",
            function: |x| x * x,
            start: 0.0,
            end: 3.0,
            value: 9.0,
            // E[x^2] = 3 and E[x^4] = 81 / 5 for x uniform on [0, 3].
            sample_sd: sample_sd(0.0, 3.0, 3.0, 81.0 / 5.0),
        },
        KnownIntegral {
            name: "sin(x) on [0, pi]",
            function: f64::sin,
            start: 0.0,
            end: PI,
            value: 2.0,
            sample_sd: sample_sd(0.0, PI, 2.0 / PI, 0.5),
        },
        KnownIntegral {
            name: "exp(x) on [-1, 1]",
            function: f64::exp,
            start: -1.0,
            end: 1.0,
            value: E - 1.0 / E,
            sample_sd: sample_sd(
                -1.0,
                1.0,
                (E - 1.0 / E) / 2.0,
                (E * E - 1.0 / (E * E)) / 4.0,
            ),
        },
        KnownIntegral {
            name: "1 / (1 + x^2) on [0, 1]",
            function: |x| 1.0 / (1.0 + x * x),
            start: 0.0,
            end: 1.0,
            value: PI / 4.0,
            // The integral of 1 / (1 + x^2)^2 over [0, 1] is 1/4 + pi/8.
            sample_sd: sample_sd(0.0, 1.0, PI / 4.0, 0.25 + PI / 8.0),
        },
    ]
}

/// Calls the graded `integrate`, failing on a panic or an error.
fn integral_of(known: &KnownIntegral, n_samples: u64, seed: u64, n_threads: usize) -> Integral {
    let call = format!(
        "integrate({}, {n_samples} samples, seed {seed}, {n_threads} threads)",
        known.name
    );
    let (function, start, end) = (known.function, known.start, known.end);
    call_graded(&call, || {
        integrate(function, start, end, n_samples, seed, n_threads)
    })
    .unwrap_or_else(|error| panic!("{call} returned an error: {error}"))
}

pub fn integral_confidence_intervals_cover_the_true_values() {
    // 200,000 samples: three whole blocks and a short one.
    let n_samples = 200_000;
    let mut misses = Vec::new();
    let mut n_intervals = 0;
    for known in known_integrals() {
        for seed in 0..10 {
            let integral = integral_of(&known, n_samples, seed, 2);
            let interval = integral.confidence_interval(Z_999);
            n_intervals += 1;
            if !interval.contains(known.value) {
                misses.push(format!(
                    "{} seed {seed}: {} +- {} misses {} (standard error {}, expected about {})",
                    known.name,
                    integral.estimate,
                    Z_999 * integral.standard_error,
                    known.value,
                    integral.standard_error,
                    known.sample_sd / (n_samples as f64).sqrt()
                ));
            }
        }
    }
    // A correct 99.9% interval misses 1 time in 1000: two misses of 40 are
    // already a 1-in-1000 event.
    assert!(
        misses.len() <= 1,
        "intervals too narrow or estimates off: the 99.9% interval missed the true value for {} \
         of {n_intervals} (integral, seed) pairs (a correct one misses about 1 in 1000); first \
         misses: {}",
        misses.len(),
        misses[..misses.len().min(3)].join("; ")
    );
}

pub fn integral_standard_error_matches_the_theory_and_shrinks_like_one_over_sqrt_n() {
    for known in known_integrals() {
        let (few, many) = (10_000, 1_000_000);
        let fine = integral_of(&known, many, 77, 2);
        let coarse = integral_of(&known, few, 77, 2);
        let expected_error = known.sample_sd / (many as f64).sqrt();
        let ratio = fine.standard_error / expected_error;
        let hint = if (ratio / (many as f64).sqrt() - 1.0).abs() < 0.1 {
            " (that is the spread of one sample: divide by sqrt(n))"
        } else if (ratio * (many as f64).sqrt() - 1.0).abs() < 0.1 {
            " (divided by n instead of sqrt(n))"
        } else if (ratio * (known.end - known.start) - 1.0).abs() < 0.05 {
            " (the width of the interval is missing)"
        } else {
            ""
        };
        assert!(
            (0.95..=1.05).contains(&ratio),
            "wrong standard error: integrate({}, {many} samples) reports {}, the theory says \
             {expected_error:.6} (sample standard deviation / sqrt(n)){hint}",
            known.name,
            fine.standard_error
        );
        let shrink = coarse.standard_error / fine.standard_error;
        assert!(
            (9.0..=11.0).contains(&shrink),
            "the standard error does not shrink like 1/sqrt(n): {} at {few} samples, {} at \
             {many} ({shrink:.2}x smaller for 100x the samples; expected 10x)",
            coarse.standard_error,
            fine.standard_error
        );
        assert!(
            (fine.estimate - known.value).abs() <= 4.0 * expected_error,
            "integrate({}, {many} samples) = {}, {:.1} standard errors from the true value {} \
             (points not uniform on [start, end)?)",
            known.name,
            fine.estimate,
            (fine.estimate - known.value).abs() / expected_error,
            known.value
        );
        assert_eq!(
            fine.n_samples, many,
            "Integral::n_samples must be the number of samples drawn"
        );
    }
}

pub fn integral_is_the_same_for_every_thread_count() {
    let n_samples = 3 * SAMPLES_PER_BLOCK + 77;
    for known in known_integrals() {
        let one_thread = integral_of(&known, n_samples, 31, 1);
        for n_threads in [2, 3, 8] {
            let threaded = integral_of(&known, n_samples, 31, n_threads);
            assert!(
                threaded.estimate.to_bits() == one_thread.estimate.to_bits()
                    && threaded.standard_error.to_bits() == one_thread.standard_error.to_bits(),
                "not reproducible: integrate({}, {n_samples} samples, seed 31) gives {:?} on 1 \
                 thread and {:?} on {n_threads}; the points must be drawn block by block, and \
                 the blocks' sums added in block order (floating-point sums in another order \
                 differ in the last bits)",
                known.name,
                one_thread,
                threaded
            );
        }
    }
}

/// The name of an `EstimateError` variant, for comparisons and messages.
fn variant_name(error: &EstimateError) -> &'static str {
    match error {
        EstimateError::TooFewSamples { .. } => "TooFewSamples",
        EstimateError::NoWorkers => "NoWorkers",
        EstimateError::InvalidInterval { .. } => "InvalidInterval",
        _ => "another error",
    }
}

pub fn integrate_refuses_impossible_requests_with_errors() {
    // (what is wrong, start, end, n_samples, n_threads, the error expected)
    let cases = [
        ("0 samples", 0.0, 1.0, 0, 2, "TooFewSamples"),
        ("1 sample (no variance)", 0.0, 1.0, 1, 2, "TooFewSamples"),
        ("0 threads", 0.0, 1.0, 1_000, 0, "NoWorkers"),
        (
            "an empty interval [1, 1]",
            1.0,
            1.0,
            1_000,
            2,
            "InvalidInterval",
        ),
        (
            "a reversed interval [2, 1]",
            2.0,
            1.0,
            1_000,
            2,
            "InvalidInterval",
        ),
        (
            "an infinite interval [0, inf]",
            0.0,
            f64::INFINITY,
            1_000,
            2,
            "InvalidInterval",
        ),
        (
            "an interval [NaN, 1]",
            f64::NAN,
            1.0,
            1_000,
            2,
            "InvalidInterval",
        ),
        (
            "an interval [-inf, 0]",
            f64::NEG_INFINITY,
            0.0,
            1_000,
            2,
            "InvalidInterval",
        ),
    ];
    for (what, start, end, n_samples, n_threads, expected) in cases {
        let call = format!("integrate(x^2, {start}, {end}, {n_samples}, 0, {n_threads})");
        let result = call_graded(&call, || {
            integrate(|x| x * x, start, end, n_samples, 0, n_threads)
        });
        assert!(
            result.as_ref().err().map(variant_name) == Some(expected),
            "{call} with {what} returned {result:?}; it must return EstimateError::{expected}"
        );
    }
}
