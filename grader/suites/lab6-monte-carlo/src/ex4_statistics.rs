//! Exercise 4: statistics. The standard-error formula; the `1 / sqrt(n)`
//! law measured over many fixed seeds (which exposes streams that repeat
//! from block to block); and the mean absolute error as the average of the
//! graded estimator's own errors.
//!
//! `pi_standard_error`'s values are recorded with `grader::harness::answer_with`
//! and compared by the grader with the reference solution's. The other
//! checks are statistics of the graded estimates themselves and stay here.

use std::f64::consts::PI;

use lab6_monte_carlo::{
    EstimateError, estimate_pi_serial, estimate_pi_threads, mean_absolute_error, pi_standard_error,
};

use grader::harness::{AnswerOptions, answer_with};

use crate::support::{call_graded, pi_sigma};

pub fn pi_standard_error_is_4_sqrt_p_1_minus_p_over_n() {
    for n_samples in [1, 100, 65_536, 1_000_000, 10_000_000_000] {
        let got = call_graded(&format!("pi_standard_error({n_samples})"), || {
            pi_standard_error(n_samples)
        });
        // In the reference's run `got` is the right value: the tolerance
        // is relative to it, and the mistakes are what two known bugs make
        // of it.
        answer_with(
            &format!("pi_standard_error({n_samples})"),
            &got,
            AnswerOptions {
                tolerance: Some(1e-9 * got.abs()),
                likely_mistakes: &[
                    (
                        got / 4.0,
                        "the factor 4 is missing: pi = 4 p, so its error is 4 times that of p",
                    ),
                    (
                        got * got,
                        "the square root is missing: that is the variance, not the standard error",
                    ),
                ],
                note: "4 * sqrt(p (1 - p) / n) with p = pi / 4",
            },
        );
    }
    let none = call_graded("pi_standard_error(0)", || pi_standard_error(0));
    assert!(
        none.is_infinite() && none > 0.0,
        "pi_standard_error(0) = {none}; with no samples there is no bound: expected infinity"
    );
}

pub fn error_shrinks_like_one_over_sqrt_n_over_many_seeds() {
    // The mean absolute error over 48 seeds is about 0.8 sigma with a
    // relative spread of 11%, so the ratio at 100x the samples is 10 within
    // a factor of 1.4 for any correct estimator; the band is twice as wide.
    // The smaller size is within one block, the larger spans 62 blocks: if
    // every block draws the same points, the larger estimate is no better.
    const N_SEEDS: u64 = 48;
    const FEW_SAMPLES: u64 = 40_000;
    const MANY_SAMPLES: u64 = 4_000_000;
    let mean_error = |n_samples: u64| {
        let total: f64 = (1_000..1_000 + N_SEEDS)
            .map(|seed| {
                let call = format!("estimate_pi_serial({n_samples}, {seed})");
                let estimate = call_graded(&call, || estimate_pi_serial(n_samples, seed))
                    .unwrap_or_else(|error| panic!("{call} returned an error: {error}"));
                (estimate - PI).abs()
            })
            .sum();
        total / N_SEEDS as f64
    };
    let few = mean_error(FEW_SAMPLES);
    let many = mean_error(MANY_SAMPLES);
    let shrink = few / many;
    grader::harness::metric("mean_abs_error_40k", few);
    grader::harness::metric("mean_abs_error_4m", many);
    grader::harness::metric("error_shrink_for_100x_samples", shrink);
    assert!(
        (5.0..=20.0).contains(&shrink),
        "the error does not shrink like 1/sqrt(n): over {N_SEEDS} seeds the mean absolute error \
         is {few:.6} at {FEW_SAMPLES} samples and {many:.6} at {MANY_SAMPLES}, {shrink:.1}x \
         smaller for 100x the samples (expected about 10x){}",
        if shrink < 5.0 {
            "; more samples do not help: do the blocks repeat the same points (every block \
             seeded with the same seed)?"
        } else {
            ""
        }
    );
    assert!(
        many <= 2.0 * pi_sigma(MANY_SAMPLES),
        "estimates too far from pi: the mean absolute error at {MANY_SAMPLES} samples is \
         {many:.6}, more than 2 standard errors ({:.6})",
        2.0 * pi_sigma(MANY_SAMPLES)
    );
}

pub fn mean_absolute_error_averages_the_errors_of_the_seeds() {
    let (n_samples, n_threads) = (100_000, 2);
    let seeds = 5..15;
    let got = call_graded("mean_absolute_error(100000, 5..15, 2)", || {
        mean_absolute_error(n_samples, seeds.clone(), n_threads)
    })
    .unwrap_or_else(|error| {
        panic!("mean_absolute_error(100000, 5..15, 2) returned an error: {error}")
    });
    let errors: Vec<f64> = seeds
        .clone()
        .map(|seed| {
            let call = format!("estimate_pi_threads({n_samples}, {seed}, {n_threads})");
            let estimate = call_graded(&call, || estimate_pi_threads(n_samples, seed, n_threads))
                .unwrap_or_else(|error| panic!("{call} returned an error: {error}"));
            (estimate - PI).abs()
        })
        .collect();
    let expected = errors.iter().sum::<f64>() / errors.len() as f64;
    assert!(
        (got - expected).abs() <= 1e-12,
        "mean_absolute_error(100000, 5..15, 2) = {got}, but the mean of |estimate - pi| over \
         those seeds is {expected} (the errors: {errors:?})"
    );
    let empty = call_graded("mean_absolute_error(100000, 3..3, 2)", || {
        mean_absolute_error(n_samples, 3..3, n_threads)
    });
    assert!(
        matches!(empty, Err(EstimateError::TooFewSamples { .. })),
        "mean_absolute_error over no seeds must be an error (TooFewSamples), not {empty:?}"
    );
}
