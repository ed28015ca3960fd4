//! Helpers shared by the lab 6 suite's tests: the statistics every check
//! uses (the standard error of an estimate of pi, a 4-sigma check with a
//! hint at the likely bug), calling graded code with context, and fake
//! worker programs written as shell scripts.
//!
//! Graded code may panic (a `todo!()` stub does) or hang (a parent waiting
//! for a child that never ends). [`call_graded`] and [`call_graded_within`]
//! turn both into failures that say which call went wrong. These helpers
//! never decide whether a result is right; the tests do.

use std::f64::consts::PI;
use std::path::PathBuf;

pub use grader::harness::{call_graded, call_graded_within};
pub use labkit::{ScriptFolder, shell_quoted};

/// The probability that a uniform point of the unit square lies in the
/// quarter disc.
const P_INSIDE: f64 = PI / 4.0;

/// The standard error of an estimate of pi from `n_samples` points,
/// computed here rather than trusted from the graded crate.
pub fn pi_sigma(n_samples: u64) -> f64 {
    4.0 * (P_INSIDE * (1.0 - P_INSIDE) / n_samples as f64).sqrt()
}

/// How many standard errors `estimate` lies from pi.
pub fn sigmas_from_pi(estimate: f64, n_samples: u64) -> f64 {
    (estimate - PI).abs() / pi_sigma(n_samples)
}

/// A guess at the bug behind a wildly wrong estimate of pi, for messages.
pub fn wrong_estimate_hint(estimate: f64) -> &'static str {
    if estimate.is_nan() {
        " (NaN: 0 / 0, an estimate from no samples?)"
    } else if estimate == 4.0 {
        " (every point counted as inside: a test like `<= 1` that every point of the square \
         passes, on the wrong quantity?)"
    } else if estimate == 0.0 || estimate == 3.0 {
        " (a whole number: integer division of the hit ratio, like `4 * hits / n` in u64?)"
    } else if (estimate - 2.0).abs() < 0.05 {
        " (about 2: points counted under the line x + y = 1 instead of inside the circle?)"
    } else {
        ""
    }
}

/// Fails unless `estimate`, made by `call` from `n_samples` points, is
/// within 4 standard errors of pi.
pub fn check_within_four_sigma(estimate: f64, n_samples: u64, call: &str) {
    let sigmas = sigmas_from_pi(estimate, n_samples);
    assert!(
        sigmas <= 4.0,
        "estimate too far from pi: {call} = {estimate}, {sigmas:.1} standard errors from pi \
         (sigma = {:.6}); a correct estimator is within 4 all but 6 times in 100,000{}",
        pi_sigma(n_samples),
        wrong_estimate_hint(estimate)
    );
}

/// The lab's worker program, built by the grader from the graded crate.
pub fn worker_program() -> PathBuf {
    grader::harness::worker_program()
}
