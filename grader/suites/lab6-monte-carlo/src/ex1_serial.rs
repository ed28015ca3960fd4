//! Exercise 1: the serial estimate. Accuracy (within 4 standard errors at
//! sizes from below one block to many blocks), reproducibility and the
//! effect of the seed, the hit ratio divided in floating point, hit counts
//! that add up over any split of the blocks, and errors rather than panics
//! or NaN for impossible requests (for every estimator of the lab).
//!
//! `pi_from_hits`'s values are recorded with `grader::harness::answer_with`
//! and compared by the grader with the reference solution's; the other
//! checks are properties of the graded estimates (within 4 standard errors
//! of pi, equal for equal seeds, adding up over blocks) or the error
//! variants the exercise names, and stay here.

use std::path::Path;

use lab6_monte_carlo::{
    EstimateError, ProcessError, SAMPLES_PER_BLOCK, block_count, block_rng, count_hits,
    count_hits_in_blocks, estimate_pi_processes, estimate_pi_serial, estimate_pi_threads,
    pi_from_hits, samples_in_block,
};

use grader::harness::{AnswerOptions, answer_with};

use crate::support::{
    call_graded, call_graded_within, check_within_four_sigma, pi_sigma, worker_program,
    wrong_estimate_hint,
};

/// Calls the graded `estimate_pi_serial`, failing on a panic or an error.
fn serial(n_samples: u64, seed: u64) -> f64 {
    let call = format!("estimate_pi_serial({n_samples}, {seed})");
    call_graded(&call, || estimate_pi_serial(n_samples, seed))
        .unwrap_or_else(|error| panic!("{call} returned an error: {error}"))
}

pub fn serial_estimate_is_within_four_standard_errors_of_pi() {
    // Below one block, just past a block boundary, and many blocks: the
    // largest sizes have a standard error of 0.0005, small enough to expose
    // blocks that all draw the same points.
    let cases = [
        (1_000, 1),
        (SAMPLES_PER_BLOCK + 17, 2),
        (1_000_000, 3),
        (10_000_000, 4),
        (10_000_000, 5),
    ];
    for (n_samples, seed) in cases {
        let estimate = serial(n_samples, seed);
        check_within_four_sigma(
            estimate,
            n_samples,
            &format!("estimate_pi_serial({n_samples}, {seed})"),
        );
    }
}

pub fn serial_estimate_is_the_same_for_the_same_seed_and_differs_between_seeds() {
    let n_samples = 200_000;
    let first = serial(n_samples, 7);
    let again = serial(n_samples, 7);
    assert!(
        first.to_bits() == again.to_bits(),
        "not reproducible: estimate_pi_serial({n_samples}, 7) gave {first}, then {again}; the \
         same seed must draw the same points (a generator seeded from the clock or the OS?)"
    );
    // Small seeds, neighbours and seeds that differ only in high bits: a
    // correct estimator gives sixteen different estimates (two could tie by
    // chance, rarely; more ties mean the seed barely matters).
    let seeds = [
        0,
        1,
        2,
        3,
        4,
        5,
        42,
        43,
        1 << 32,
        2 << 32,
        1 << 63,
        u64::MAX,
        0xdead_beef,
        123_456_789,
        987_654_321,
        31_337,
    ];
    let mut estimates: Vec<u64> = seeds
        .iter()
        .map(|&seed| serial(n_samples, seed).to_bits())
        .collect();
    estimates.sort_unstable();
    estimates.dedup();
    assert!(
        estimates.len() >= 13,
        "the seed is ignored: 16 different seeds gave only {} different estimates of {n_samples} \
         samples (each block's stream must come from block_rng(seed, block), not from a fixed \
         seed)",
        estimates.len()
    );
}

pub fn pi_from_hits_is_four_times_the_hit_ratio_not_an_integer_division() {
    let cases = [
        (0, 1),
        (1, 1),
        (1, 3),
        (2, 7),
        (785, 1_000),
        (785_398, 1_000_000),
        (3_000_000_001, 4_000_000_003),
    ];
    for (hits, n_samples) in cases {
        let got = call_graded(&format!("pi_from_hits({hits}, {n_samples})"), || {
            pi_from_hits(hits, n_samples)
        });
        // In the reference's run `got` is 4 * hits / n_samples, so the
        // tolerance is relative to the expected value.
        answer_with(
            &format!("pi_from_hits({hits}, {n_samples})"),
            &got,
            AnswerOptions {
                tolerance: Some(1e-12 * got.abs().max(1.0)),
                note: if got == got.trunc() {
                    "integer division: convert hits and n_samples to f64 before dividing"
                } else {
                    ""
                },
                ..AnswerOptions::default()
            },
        );
    }
    // An estimate from 1000 points is 4 * hits / 1000: a multiple of 0.004
    // between 0 and 4, almost never a whole number.
    let mut whole_numbers = 0;
    for seed in 0..5 {
        let estimate = serial(1_000, seed);
        let hits = estimate * 1_000.0 / 4.0;
        assert!(
            (hits - hits.round()).abs() < 1e-6 && (0.0..=1_000.0).contains(&hits),
            "estimate_pi_serial(1000, {seed}) = {estimate} is not 4 * hits / 1000 for a whole \
             number of hits between 0 and 1000"
        );
        if estimate == estimate.trunc() {
            whole_numbers += 1;
        }
    }
    assert!(
        whole_numbers < 5,
        "integer division: estimate_pi_serial(1000, seed) is a whole number for every seed \
         ({}){}",
        serial(1_000, 0),
        wrong_estimate_hint(serial(1_000, 0))
    );
}

pub fn count_hits_in_blocks_adds_up_over_any_split_of_the_blocks() {
    let n_samples = 5 * SAMPLES_PER_BLOCK + 321;
    let seed = 12;
    let n_blocks = block_count(n_samples);
    let hits_in = |first: u64, end: u64| {
        call_graded(
            &format!("count_hits_in_blocks({n_samples}, {seed}, {first}..{end})"),
            || count_hits_in_blocks(n_samples, seed, first..end),
        )
    };
    let all_blocks = hits_in(0, n_blocks);
    for split in 0..=n_blocks {
        let (left, right) = (hits_in(0, split), hits_in(split, n_blocks));
        assert_eq!(
            left + right,
            all_blocks,
            "hits do not add up: blocks 0..{split} have {left} hits and {split}..{n_blocks} have \
             {right}, but all {n_blocks} blocks together have {all_blocks}; a block's points \
             must not depend on which blocks were drawn before it (one generator for all \
             blocks?)"
        );
    }
    for block_idx in 0..n_blocks {
        let hits = hits_in(block_idx, block_idx + 1);
        let samples = samples_in_block(n_samples, block_idx);
        assert!(
            hits <= samples,
            "block {block_idx} has {hits} hits but only {samples} samples"
        );
    }
    assert_eq!(hits_in(3, 3), 0, "no blocks must mean no hits");
    let from_blocks = pi_from_hits(all_blocks, n_samples);
    let estimate = serial(n_samples, seed);
    assert!(
        estimate.to_bits() == from_blocks.to_bits(),
        "estimate_pi_serial({n_samples}, {seed}) = {estimate}, but the hits of all its blocks \
         give {from_blocks}; the serial estimate must be the sum over blocks 0..{n_blocks}"
    );
}

pub fn count_hits_counts_about_pi_over_4_of_the_points() {
    for (seed, n_samples) in [(5, 1_000_000), (6, 250_000)] {
        let hits = call_graded(
            &format!("count_hits(&mut block_rng({seed}, 0), {n_samples})"),
            || count_hits(&mut block_rng(seed, 0), n_samples),
        );
        assert!(
            hits <= n_samples,
            "count_hits counted {hits} hits among {n_samples} points"
        );
        let estimate = 4.0 * hits as f64 / n_samples as f64;
        let sigmas = (estimate - std::f64::consts::PI).abs() / pi_sigma(n_samples);
        assert!(
            sigmas <= 4.0,
            "count_hits found {hits} of {n_samples} points inside the quarter disc ({:.4} of \
             them, {sigmas:.1} standard errors from pi/4 = 0.7854){}",
            hits as f64 / n_samples as f64,
            wrong_estimate_hint(estimate)
        );
    }
    let none = call_graded("count_hits(&mut rng, 0)", || {
        count_hits(&mut block_rng(1, 1), 0)
    });
    assert_eq!(none, 0, "count_hits of 0 points must be 0");
}

pub fn estimates_from_no_samples_or_no_workers_are_errors_not_panics() {
    let no_samples = EstimateError::TooFewSamples {
        n_samples: 0,
        needed: 1,
    };
    let hint = "it must return an error at once";
    let got = call_graded_within("estimate_pi_serial(0, 1)", hint, || {
        estimate_pi_serial(0, 1)
    });
    assert_eq!(
        got,
        Err(no_samples),
        "estimate_pi_serial(0, 1): no samples must be an error, not {got:?}"
    );
    let got = call_graded_within("estimate_pi_threads(0, 1, 2)", hint, || {
        estimate_pi_threads(0, 1, 2)
    });
    assert_eq!(
        got,
        Err(no_samples),
        "estimate_pi_threads(0, 1, 2): no samples must be an error, not {got:?}"
    );
    let got = call_graded_within("estimate_pi_threads(100000, 1, 0)", hint, || {
        estimate_pi_threads(100_000, 1, 0)
    });
    assert_eq!(
        got,
        Err(EstimateError::NoWorkers),
        "estimate_pi_threads(100000, 1, 0): zero threads must be an error, not {got:?}"
    );
    let worker = worker_program();
    let for_processes = |n_samples: u64, n_processes: usize, worker: &Path| {
        let worker = worker.to_path_buf();
        call_graded_within(
            &format!("estimate_pi_processes({n_samples}, 1, {n_processes}, worker)"),
            hint,
            move || {
                estimate_pi_processes(n_samples, 1, n_processes, &worker).map_err(|error| {
                    match error {
                        ProcessError::InvalidRequest(reason) => Ok(reason),
                        other => Err(other.to_string()),
                    }
                })
            },
        )
    };
    let got = for_processes(0, 2, &worker);
    assert_eq!(
        got,
        Err(Ok(no_samples)),
        "estimate_pi_processes(0, 1, 2, worker): no samples must be \
         ProcessError::InvalidRequest(TooFewSamples), not {got:?}"
    );
    let got = for_processes(100_000, 0, &worker);
    assert_eq!(
        got,
        Err(Ok(EstimateError::NoWorkers)),
        "estimate_pi_processes(100000, 1, 0, worker): zero processes must be \
         ProcessError::InvalidRequest(NoWorkers), not {got:?}"
    );
}
