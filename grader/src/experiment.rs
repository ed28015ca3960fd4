//! Timing experiments: measuring the graded implementation against the
//! reference in the same run, and points for speed.
//!
//! A lab declares experiments in `course.toml` and registers them in its
//! hidden suite (`grader::suite! { ...; experiments: ... }`). One run of an
//! experiment is one process of the suite binary, exactly like a test, which
//! records numbers with `grader::harness::measure` instead of asserting. This
//! module runs each experiment in rounds: one warm-up round that is thrown
//! away, then rounds that alternate the graded implementation's suite binary
//! and the reference's (graded first in even rounds, reference first in odd
//! ones, so a machine that warms up or slows down during the run favours
//! neither). It keeps every sample and reports, per point and subject, the
//! median, the spread and the ratio to the reference's median.
//!
//! Absolute times are shown and never graded. The only verdicts drawn from
//! timing are speed tests ([`speed_verdict`]): a ratio of two medians
//! measured in the same run, against a generous threshold from the course.
//! This module does not build suites or write files.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::course::{Better, ExperimentSpec, Lab, SpeedSpec};
use crate::harness::SUBJECT_UNDER_TEST;
use crate::protocol::{BENCH_MODE_ENV, WORKER_EXE_ENV};
use crate::runner::{Outcome, PlannedTest, Runner};

/// How much timing work a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenchLevel {
    /// No experiments (speed tests still run the ones they need, quickly).
    Off,
    /// A warm-up round and 3 measured rounds of short runs.
    Quick,
    /// A warm-up round and 9 measured rounds of longer runs.
    Full,
}

impl BenchLevel {
    /// Measured rounds (each runs the graded implementation and the
    /// reference once). Nine in full mode: small-capacity channel numbers
    /// are bimodal on two cores, and a median of nine shows it.
    pub fn rounds(self) -> u32 {
        match self {
            BenchLevel::Off => 0,
            BenchLevel::Quick => 3,
            BenchLevel::Full => 9,
        }
    }

    /// The level experiments run at when something needs them even though
    /// timing is off (speed tests): quick.
    pub fn at_least_quick(self) -> BenchLevel {
        match self {
            BenchLevel::Off => BenchLevel::Quick,
            level => level,
        }
    }

    /// The value of `GRADER_BENCH_MODE` for the suite.
    fn mode_env(self) -> &'static str {
        match self {
            BenchLevel::Full => "full",
            BenchLevel::Quick | BenchLevel::Off => "quick",
        }
    }
}

/// One compiled suite an experiment runs in, and how to call its subject.
#[derive(Debug, Clone)]
pub struct Contender {
    /// The subject's label in reports: `reference`, `student crate`,
    /// `submission`.
    pub label: String,
    pub role: Role,
    pub binary: PathBuf,
    pub worker: Option<PathBuf>,
    /// Runs the processes (its secret and replay arguments).
    pub runner: Runner,
}

/// What a subject is to the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The implementation being graded.
    Graded,
    /// The reference solution (when it is not itself the graded one).
    Reference,
    /// Something both runs measure for comparison (`crossbeam_channel`).
    Baseline,
}

/// The outcome of one experiment, as written to `timing.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExperimentResult {
    pub name: String,
    pub title: String,
    pub unit: String,
    pub better: Better,
    /// The meaning of the points' numbers when they are not worker counts;
    /// see [`crate::course::ExperimentSpec::x_axis`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_axis: Option<String>,
    pub level: BenchLevel,
    /// Measured rounds that were planned (warm-up not counted).
    pub rounds: u32,
    /// Points in the order the experiment first measured them.
    pub points: Vec<PointResult>,
    /// Runs that failed (a panic, a timeout), in plain words. An experiment
    /// with errors still reports what the other runs measured.
    pub errors: Vec<String>,
}

/// Every subject's numbers at one point of an experiment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PointResult {
    pub point: String,
    pub x: Option<f64>,
    /// Graded first, then the reference, then baselines by name.
    pub series: Vec<Series>,
}

impl PointResult {
    /// The point's series measured in `role` (the graded code, the
    /// reference, a baseline), if it has one.
    pub fn series_of(&self, role: Role) -> Option<&Series> {
        self.series.iter().find(|series| series.role == role)
    }
}

/// One subject's samples at one point, and their summary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Series {
    pub subject: String,
    pub role: Role,
    pub samples: Vec<f64>,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// This median divided by the reference's median at the same point
    /// (absent when the reference has no sample there).
    pub ratio_to_reference: Option<f64>,
}

/// Progress of a long experiment run, for a progress display.
#[derive(Debug, Clone)]
pub struct RoundProgress<'a> {
    pub experiment: &'a str,
    /// Runs finished so far and in all, over all experiments of the call.
    pub done: usize,
    pub total: usize,
}

/// Runs the experiments, alternating the contenders round by round; see
/// the module docs. `contenders[0]` is the graded implementation.
pub fn run_experiments(
    lab: &Lab,
    experiments: &[&ExperimentSpec],
    contenders: &[Contender],
    level: BenchLevel,
    timeout_scale: f64,
    progress: &dyn Fn(RoundProgress<'_>),
) -> Vec<ExperimentResult> {
    let rounds = level.rounds().max(1);
    let runs_per_experiment = (rounds as usize + 1) * contenders.len();
    let total = runs_per_experiment * experiments.len();
    let mut done = 0;
    let mut results = Vec::new();
    for experiment in experiments {
        let mut samples: Samples = BTreeMap::new();
        let mut point_order: Vec<(String, Option<f64>)> = Vec::new();
        let mut errors = Vec::new();
        // A contender whose run failed is not run again: its next runs
        // would fail the same way and only cost time.
        let mut failed_contenders: Vec<Role> = Vec::new();
        // Round 0 is the warm-up: page cache, CPU frequency, lazy
        // initialization in the allocator; its numbers are dropped.
        for round in 0..=rounds {
            let order: Vec<&Contender> = if round % 2 == 0 {
                contenders.iter().collect()
            } else {
                contenders.iter().rev().collect()
            };
            for contender in order {
                if failed_contenders.contains(&contender.role) {
                    continue;
                }
                if crate::process::is_interrupted() {
                    errors.push("the run was interrupted".to_owned());
                    break;
                }
                let run = contender.runner.run_one(&PlannedTest {
                    name: experiment.name.clone(),
                    binary: contender.binary.clone(),
                    timeout: lab.experiment_timeout(experiment).mul_f64(timeout_scale),
                    alone: true,
                    env: experiment_env(level, contender),
                });
                done += 1;
                progress(RoundProgress {
                    experiment: &experiment.name,
                    done,
                    total,
                });
                if run.outcome != Outcome::Pass {
                    errors.push(format!(
                        "the {} failed in {} ({}), so it was not measured further: {}",
                        contender.label,
                        if round == 0 {
                            "the warm-up round".to_owned()
                        } else {
                            format!("round {round}")
                        },
                        format!("{:?}", run.outcome).to_uppercase(),
                        run.message.lines().next().unwrap_or_default()
                    ));
                    failed_contenders.push(contender.role);
                    continue;
                }
                if round == 0 {
                    continue;
                }
                for measurement in run.measurements {
                    if !measurement.value.is_finite() {
                        continue;
                    }
                    let (subject, role) = if measurement.subject == SUBJECT_UNDER_TEST {
                        (contender.label.clone(), contender.role)
                    } else {
                        (measurement.subject.clone(), Role::Baseline)
                    };
                    if !point_order
                        .iter()
                        .any(|(point, _)| *point == measurement.point)
                    {
                        point_order.push((measurement.point.clone(), measurement.x));
                    }
                    samples
                        .entry(measurement.point)
                        .or_default()
                        .entry((role_rank(role), subject))
                        .or_insert_with(|| (role, Vec::new()))
                        .1
                        .push(measurement.value);
                }
            }
            if crate::process::is_interrupted() {
                break;
            }
        }
        results.push(ExperimentResult {
            name: experiment.name.clone(),
            title: experiment.title.clone(),
            unit: experiment.unit.clone(),
            better: experiment.better,
            x_axis: experiment.x_axis.clone(),
            level,
            rounds,
            points: summarize(point_order, samples),
            errors,
        });
    }
    results
}

/// Per point, per (role rank, subject): the role and the samples.
type Samples = BTreeMap<String, BTreeMap<(u8, String), (Role, Vec<f64>)>>;

fn role_rank(role: Role) -> u8 {
    match role {
        Role::Graded => 0,
        Role::Reference => 1,
        Role::Baseline => 2,
    }
}

fn experiment_env(level: BenchLevel, contender: &Contender) -> Vec<(String, OsString)> {
    let mut env = vec![(BENCH_MODE_ENV.to_owned(), level.mode_env().into())];
    if let Some(worker) = &contender.worker {
        env.push((WORKER_EXE_ENV.to_owned(), worker.clone().into()));
    }
    env
}

fn summarize(point_order: Vec<(String, Option<f64>)>, mut samples: Samples) -> Vec<PointResult> {
    point_order
        .into_iter()
        .map(|(point, x)| {
            let by_subject = samples.remove(&point).unwrap_or_default();
            let mut series: Vec<Series> = by_subject
                .into_iter()
                .map(|((_, subject), (role, values))| {
                    let (median, min, max) = median_min_max(&values);
                    Series {
                        subject,
                        role,
                        samples: values,
                        median,
                        min,
                        max,
                        ratio_to_reference: None,
                    }
                })
                .collect();
            // When the reference is graded, it is its own reference.
            let reference_median = series
                .iter()
                .find(|series| series.role == Role::Reference)
                .or_else(|| {
                    series
                        .iter()
                        .find(|series| series.role == Role::Graded && series.subject == "reference")
                })
                .map(|series| series.median);
            if let Some(reference_median) = reference_median.filter(|median| *median > 0.0) {
                for series in &mut series {
                    series.ratio_to_reference = Some(series.median / reference_median);
                }
            }
            PointResult { point, x, series }
        })
        .collect()
}

/// The median (mean of the middle two for an even count), minimum and
/// maximum of some samples; NaN for none.
pub fn median_min_max(values: &[f64]) -> (f64, f64, f64) {
    if values.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    let median = if sorted.len() % 2 == 0 {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    };
    (median, sorted[0], sorted[sorted.len() - 1])
}

/// The verdict of a speed test from its experiment's result: the graded
/// implementation's median at the point as a fraction of the reference's
/// (for an experiment where lower is better, the reference's over the
/// graded one's), against the course's `at_least`. Returns the outcome, a
/// message for a failure and the fraction as a metric.
pub fn speed_verdict(
    spec: &SpeedSpec,
    result: Option<&ExperimentResult>,
) -> (Outcome, String, BTreeMap<String, f64>) {
    let mut metrics = BTreeMap::new();
    let Some(result) = result else {
        return (
            Outcome::NotRun,
            format!("the timing experiment `{}` did not run", spec.experiment),
            metrics,
        );
    };
    let Some(point) = result.points.iter().find(|point| point.point == spec.point) else {
        let why = if result.errors.is_empty() {
            format!(
                "the experiment measured no point named `{}` (an instructor's mistake in \
                 course.toml or the suite)",
                spec.point
            )
        } else {
            format!("its runs failed: {}", result.errors.join("; "))
        };
        return (
            Outcome::Fail,
            format!(
                "no speed measured at `{}` in `{}`: {why}",
                spec.point, spec.experiment
            ),
            metrics,
        );
    };
    let graded = point.series_of(Role::Graded);
    let reference = point
        .series_of(Role::Reference)
        .or(graded.filter(|series| series.subject == "reference"));
    let (Some(graded), Some(reference)) = (graded, reference) else {
        return (
            Outcome::Fail,
            format!(
                "no speed measured for the graded implementation or the reference at `{}`; \
                 errors: {}",
                spec.point,
                if result.errors.is_empty() {
                    "none".to_owned()
                } else {
                    result.errors.join("; ")
                }
            ),
            metrics,
        );
    };
    let fraction = match result.better {
        Better::Higher => graded.median / reference.median,
        Better::Lower => reference.median / graded.median,
    };
    metrics.insert("fraction_of_reference".to_owned(), fraction);
    if fraction.is_finite() && fraction >= spec.at_least {
        (Outcome::Pass, String::new(), metrics)
    } else {
        (
            Outcome::Fail,
            format!(
                "too slow: at {} the graded code reached {} {unit}, the reference {} {unit} in \
                 the same run: {:.2} of the reference's performance, needs at least {:.2} \
                 (medians of {} rounds)",
                spec.point,
                human_number(graded.median),
                human_number(reference.median),
                fraction,
                spec.at_least,
                graded.samples.len(),
                unit = result.unit,
            ),
            metrics,
        )
    }
}

/// The experiments as tables a person reads: per point, each subject's
/// median with its range and its ratio to the reference's median.
pub fn render_human(results: &[ExperimentResult]) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    for result in results {
        let _ = writeln!(
            text,
            "timing (shown, not graded): {} in {}, {}; median [min - max] of {} rounds, and \
             the ratio to the reference's median",
            result.title,
            result.unit,
            match result.better {
                Better::Higher => "higher is better",
                Better::Lower => "lower is better",
            },
            result.rounds
        );
        let subject_width = result
            .points
            .iter()
            .flat_map(|point| point.series.iter().map(|series| series.subject.len()))
            .max()
            .unwrap_or(0);
        for point in &result.points {
            let _ = writeln!(text, "  {}", point.point);
            for series in &point.series {
                // A ratio needs something to compare: alone, the reference
                // would only show 1.00x.
                let ratio = series
                    .ratio_to_reference
                    .filter(|_| point.series.len() > 1)
                    .map(|ratio| format!("  {ratio:>6.2}x"))
                    .unwrap_or_default();
                let _ = writeln!(
                    text,
                    "    {:<subject_width$}  {:>10}  [{:>10} - {:>10}]{ratio}",
                    series.subject,
                    human_number(series.median),
                    human_number(series.min),
                    human_number(series.max),
                );
            }
        }
        for error in &result.errors {
            let _ = writeln!(text, "  error: {error}");
        }
    }
    text
}

/// A number in a short form a person reads: `21.8 M`, `950 k`, `3.21`.
pub fn human_number(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() {
        format!("{value}")
    } else if value == 0.0 {
        "0".to_owned()
    } else if magnitude >= 1e9 {
        format!("{:.2} G", value / 1e9)
    } else if magnitude >= 1e6 {
        format!("{:.2} M", value / 1e6)
    } else if magnitude >= 1e4 {
        format!("{:.1} k", value / 1e3)
    } else if magnitude >= 100.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median_min_max(&[3.0, 1.0, 2.0]), (2.0, 1.0, 3.0));
        assert_eq!(median_min_max(&[4.0, 1.0, 2.0, 3.0]), (2.5, 1.0, 4.0));
        assert!(median_min_max(&[]).0.is_nan());
    }

    fn result_with(graded: f64, reference: f64, better: Better) -> ExperimentResult {
        let series = |subject: &str, role, value: f64| Series {
            subject: subject.to_owned(),
            role,
            samples: vec![value],
            median: value,
            min: value,
            max: value,
            ratio_to_reference: None,
        };
        ExperimentResult {
            name: "pi".to_owned(),
            title: "Pi".to_owned(),
            unit: "samples/s".to_owned(),
            better,
            x_axis: None,
            level: BenchLevel::Quick,
            rounds: 1,
            points: vec![PointResult {
                point: "2 threads".to_owned(),
                x: Some(2.0),
                series: vec![
                    series("submission", Role::Graded, graded),
                    series("reference", Role::Reference, reference),
                ],
            }],
            errors: Vec::new(),
        }
    }

    fn spec(at_least: f64) -> SpeedSpec {
        SpeedSpec {
            experiment: "pi".to_owned(),
            point: "2 threads".to_owned(),
            at_least,
        }
    }

    #[test]
    fn speed_passes_at_the_threshold_and_fails_below_it() {
        let (outcome, _, metrics) =
            speed_verdict(&spec(0.5), Some(&result_with(50.0, 100.0, Better::Higher)));
        assert_eq!(outcome, Outcome::Pass);
        assert_eq!(metrics["fraction_of_reference"], 0.5);
        let (outcome, message, _) =
            speed_verdict(&spec(0.5), Some(&result_with(20.0, 100.0, Better::Higher)));
        assert_eq!(outcome, Outcome::Fail);
        assert!(message.contains("0.20 of the reference"), "{message}");
    }

    #[test]
    fn speed_inverts_the_ratio_when_lower_is_better() {
        // Taking twice the reference's time is half its performance.
        let (outcome, _, metrics) =
            speed_verdict(&spec(0.6), Some(&result_with(2.0, 1.0, Better::Lower)));
        assert_eq!(outcome, Outcome::Fail);
        assert_eq!(metrics["fraction_of_reference"], 0.5);
    }

    #[test]
    fn speed_without_the_point_or_the_experiment_is_not_a_pass() {
        let mut other_point = spec(0.5);
        other_point.point = "8 threads".to_owned();
        let result = result_with(100.0, 100.0, Better::Higher);
        assert_eq!(speed_verdict(&other_point, Some(&result)).0, Outcome::Fail);
        assert_eq!(speed_verdict(&spec(0.5), None).0, Outcome::NotRun);
    }

    #[test]
    fn summaries_order_graded_reference_then_baselines_with_ratios() {
        let mut samples: Samples = BTreeMap::new();
        let point = samples.entry("1P/1C".to_owned()).or_default();
        point.insert(
            (2, "crossbeam".to_owned()),
            (Role::Baseline, vec![20.0, 22.0, 21.0]),
        );
        point.insert(
            (1, "reference".to_owned()),
            (Role::Reference, vec![10.0, 9.0, 11.0]),
        );
        point.insert((0, "submission".to_owned()), (Role::Graded, vec![5.0]));
        let points = summarize(vec![("1P/1C".to_owned(), None)], samples);
        let subjects: Vec<&str> = points[0]
            .series
            .iter()
            .map(|series| series.subject.as_str())
            .collect();
        assert_eq!(subjects, ["submission", "reference", "crossbeam"]);
        let ratios: Vec<f64> = points[0]
            .series
            .iter()
            .map(|series| series.ratio_to_reference.unwrap())
            .collect();
        assert_eq!(ratios, [0.5, 1.0, 2.1]);
    }
}
