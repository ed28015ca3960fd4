//! The timing report a person reads: `report.md` and SVG charts.
//!
//! Built from a [`TimingReport`] (and, after a grade, the score), written
//! next to `timing.json` in the results folder. `report.md` is plain
//! GitHub-flavoured Markdown, so a CI job can append it to its summary. Each
//! experiment gets a chart: a speedup chart (the graded implementation, the
//! reference and baselines against the thread or process count, with the
//! ideal line) when its points are worker counts; the values themselves
//! against the numbers when the experiment names another axis (`x_axis =
//! "chunk size"` in `course.toml`); and a grouped bar chart of the medians
//! with their min-max range when its points are names (the lecture's
//! serial/threads/processes comparison).
//!
//! This module only formats and draws; it measures nothing and decides no
//! verdict. Absolute numbers are shown with a reminder that only ratios
//! measured in the same run compare across machines.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::course::Better;
use crate::experiment::{ExperimentResult, PointResult, Role, human_number};
use crate::results::{LabResults, TimingReport, write_atomically};
use crate::{Error, ErrorKind};

/// The report's file name in the results folder.
pub const REPORT_FILE: &str = "report.md";

/// Writes `report.md` and one SVG chart per experiment into `out_dir`;
/// returns the paths written.
pub fn write_report(
    out_dir: &Path,
    timing: &TimingReport,
    results: Option<&LabResults>,
) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    let mut charts = Vec::new();
    for experiment in &timing.experiments {
        if experiment.points.is_empty() {
            charts.push(None);
            continue;
        }
        let file_name = format!("{}.svg", experiment.name);
        let path = out_dir.join(&file_name);
        let svg = match (is_numeric(experiment), &experiment.x_axis) {
            (true, Some(x_axis)) => value_chart(experiment, x_axis),
            (true, None) => speedup_chart(experiment, timing.environment.cores),
            (false, _) => bar_chart(experiment),
        }
        .map_err(|message| {
            Error::new(ErrorKind::Io {
                action: "draw the chart",
                path: path.clone(),
                source: std::io::Error::other(message),
            })
        })?;
        write_atomically(&path, svg.as_bytes())?;
        written.push(path);
        charts.push(Some(file_name));
    }
    let markdown = render_markdown(timing, results, &charts);
    let report_path = out_dir.join(REPORT_FILE);
    write_atomically(&report_path, markdown.as_bytes())?;
    written.push(report_path);
    Ok(written)
}

/// Every point of the experiment carries a number (a thread count).
fn is_numeric(experiment: &ExperimentResult) -> bool {
    experiment.points.iter().all(|point| point.x.is_some())
}

/// The Markdown report; `charts[i]` names experiment `i`'s chart file.
pub fn render_markdown(
    timing: &TimingReport,
    results: Option<&LabResults>,
    charts: &[Option<String>],
) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# {} timing report\n", timing.lab);
    let environment = &timing.environment;
    let _ = writeln!(
        text,
        "Graded: {} · {} cores, {} · {} · {}/{}\n",
        timing.implementation,
        environment.cores,
        environment.cpu_model,
        environment.rustc,
        environment.os,
        environment.arch
    );
    if let Some(results) = results {
        let totals = &results.totals;
        let _ = writeln!(
            text,
            "Score: **{}/{}** ({} of {} tests passed)\n",
            totals.points, totals.max_points, totals.passed, totals.tests
        );
    }
    if timing.experiments.is_empty() {
        let _ = writeln!(
            text,
            "No timing experiments ran (`cargo xtask bench {}` runs them).\n",
            timing.lab
        );
    } else {
        let _ = writeln!(
            text,
            "Absolute numbers depend on the machine and its load. The ratios compare \
             implementations measured alternately in the same run; they are what carries over \
             to another machine.\n"
        );
    }
    for (experiment, chart) in timing.experiments.iter().zip(charts) {
        render_experiment(&mut text, experiment, chart.as_deref());
    }
    if !timing.tests.is_empty() {
        let _ = writeln!(text, "## Test durations\n");
        let _ = writeln!(text, "| test | status | seconds |");
        let _ = writeln!(text, "|---|---|---:|");
        for test in &timing.tests {
            let status = serde_json::to_value(test.status)
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default();
            let _ = writeln!(
                text,
                "| {} | {status} | {:.2} |",
                test.name, test.duration_secs
            );
        }
        let _ = writeln!(
            text,
            "\nBuild: {:.1} s; tests: {:.1} s of process time in all.",
            timing.build_secs, timing.tests_secs
        );
    }
    text
}

fn render_experiment(text: &mut String, experiment: &ExperimentResult, chart: Option<&str>) {
    let _ = writeln!(
        text,
        "## {} ({}, {} is better)\n",
        experiment.title,
        experiment.unit,
        match experiment.better {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    );
    let _ = writeln!(
        text,
        "Median of {} rounds after a warm-up round ({} mode); the range is the smallest and \
         largest sample.\n",
        experiment.rounds,
        match experiment.level {
            crate::experiment::BenchLevel::Full => "full",
            _ => "quick",
        }
    );
    let numeric = is_numeric(experiment) && experiment.x_axis.is_none();
    let _ = writeln!(
        text,
        "| point | subject | median | range | vs reference |{}",
        if numeric { " speedup |" } else { "" }
    );
    let _ = writeln!(
        text,
        "|---|---|---:|---:|---:|{}",
        if numeric { "---:|" } else { "" }
    );
    for point in &experiment.points {
        for series in &point.series {
            let ratio = series
                .ratio_to_reference
                .filter(|_| point.series.len() > 1)
                .map(|ratio| format!("{ratio:.2}x"))
                .unwrap_or_else(|| "-".to_owned());
            let speedup = if numeric {
                speedup_of(experiment, &series.subject, point)
                    .map(|speedup| format!(" {speedup:.2}x |"))
                    .unwrap_or_else(|| " - |".to_owned())
            } else {
                String::new()
            };
            let _ = writeln!(
                text,
                "| {} | {}{} | {} | {} - {} | {ratio} |{speedup}",
                point.point,
                series.subject,
                match series.role {
                    Role::Graded => " (graded)",
                    _ => "",
                },
                human_number(series.median),
                human_number(series.min),
                human_number(series.max),
            );
        }
    }
    if !experiment.errors.is_empty() {
        let _ = writeln!(text);
        for error in &experiment.errors {
            let _ = writeln!(text, "- error: {error}");
        }
    }
    if let Some(chart) = chart {
        let _ = writeln!(text, "\n![{}]({chart})", experiment.title);
    }
    let _ = writeln!(text);
}

/// The subject's median at `point` relative to its median at the smallest
/// x (for lower-is-better experiments, the inverse): how much faster more
/// threads made it.
fn speedup_of(experiment: &ExperimentResult, subject: &str, point: &PointResult) -> Option<f64> {
    let median_at = |point: &PointResult| {
        point
            .series
            .iter()
            .find(|series| series.subject == subject)
            .map(|series| series.median)
    };
    let base_point = experiment
        .points
        .iter()
        .filter(|point| median_at(point).is_some())
        .min_by(|a, b| a.x.unwrap_or(0.0).total_cmp(&b.x.unwrap_or(0.0)))?;
    let base = median_at(base_point)?;
    let here = median_at(point)?;
    let speedup = match experiment.better {
        Better::Higher => here / base,
        Better::Lower => base / here,
    };
    speedup.is_finite().then_some(speedup)
}

/// The subjects of an experiment in first-seen order (graded first).
fn subjects(experiment: &ExperimentResult) -> Vec<(String, Role)> {
    let mut found: Vec<(String, Role)> = Vec::new();
    for point in &experiment.points {
        for series in &point.series {
            if !found.iter().any(|(subject, _)| *subject == series.subject) {
                found.push((series.subject.clone(), series.role));
            }
        }
    }
    found
}

/// Red for the graded code, blue for the reference (also when the
/// reference is the graded code), other colours for baselines.
fn color_of(index: usize, role: Role) -> RGBColor {
    const BASELINES: [RGBColor; 4] = [
        RGBColor(0x2c, 0xa0, 0x2c),
        RGBColor(0xff, 0x7f, 0x0e),
        RGBColor(0x94, 0x67, 0xbd),
        RGBColor(0x8c, 0x56, 0x4b),
    ];
    match role {
        Role::Graded if index == 0 => RGBColor(0xd6, 0x27, 0x28),
        Role::Reference | Role::Graded => RGBColor(0x1f, 0x77, 0xb4),
        Role::Baseline => BASELINES[index % BASELINES.len()],
    }
}

const CHART_SIZE: (u32, u32) = (720, 440);

/// Speedup against the point's number, one line per subject, and the ideal
/// line: linear in the number of threads up to the machine's core count,
/// flat after it.
fn speedup_chart(experiment: &ExperimentResult, cores: usize) -> Result<String, String> {
    let subjects = subjects(experiment);
    // One line per subject and family of points: `2 threads` and `4 threads`
    // are one family, `2 processes` another; every line starts at the
    // subject's base point (`serial` or `1 thread`).
    let families = point_families(experiment);
    let mut lines: Vec<ChartLine> = Vec::new();
    for (subject_idx, (subject, _)) in subjects.iter().enumerate() {
        let base = experiment
            .points
            .iter()
            .filter(|point| speedup_of(experiment, subject, point).is_some())
            .min_by(|a, b| a.x.unwrap_or(0.0).total_cmp(&b.x.unwrap_or(0.0)));
        for family in &families {
            let mut line: Vec<(f64, f64)> = experiment
                .points
                .iter()
                .filter(|point| family_of(&point.point) == *family)
                .chain(base)
                .filter_map(|point| Some((point.x?, speedup_of(experiment, subject, point)?)))
                .collect();
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
            line.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
            if line.len() < 2 && families.len() > 1 {
                continue; // The base point's own family.
            }
            let label = if families.len() > 1 {
                format!("{subject}, {family}")
            } else {
                subject.clone()
            };
            lines.push((label, subject_idx, line));
        }
    }
    let x_min = experiment
        .points
        .iter()
        .filter_map(|point| point.x)
        .fold(f64::INFINITY, f64::min);
    let x_max = experiment
        .points
        .iter()
        .filter_map(|point| point.x)
        .fold(f64::NEG_INFINITY, f64::max);
    let y_max = lines
        .iter()
        .flat_map(|(_, _, line)| line.iter().map(|(_, y)| *y))
        .chain([(cores.max(1) as f64).clamp(x_min, x_max) / x_min])
        .fold(1.0, f64::max);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|err| err.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: speedup", experiment.title), ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..x_max * 1.05, 0.0..y_max * 1.1)
            .map_err(|err| err.to_string())?;
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .x_desc("threads or processes")
            .y_desc(format!("speedup over {} (median)", trim_number(x_min)))
            .draw()
            .map_err(|err| err.to_string())?;
        let line_subjects: Vec<usize> = lines
            .iter()
            .map(|(_, subject_idx, _)| *subject_idx)
            .collect();
        let cores = (cores.max(1) as f64).clamp(x_min, x_max);
        let ideal = vec![(x_min, 1.0), (cores, cores / x_min), (x_max, cores / x_min)];
        chart
            .draw_series(DashedLineSeries::new(
                ideal,
                6,
                4,
                BLACK.mix(0.5).stroke_width(1),
            ))
            .map_err(|err| err.to_string())?
            .label(format!("ideal on {} cores", trim_number(cores)))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.4)));
        for (line_idx, (label, subject_idx, line)) in lines.into_iter().enumerate() {
            let color = color_of(subject_idx, subjects[subject_idx].1);
            // A subject's second family is drawn dashed in the same colour.
            let dashed =
                line_idx > 0 && lines_before_of_subject(line_idx, subject_idx, &line_subjects);
            let style = color.stroke_width(2);
            if dashed {
                chart
                    .draw_series(DashedLineSeries::new(line.clone(), 8, 5, style))
                    .map_err(|err| err.to_string())?
                    .label(label)
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 8, y)], color.stroke_width(2))
                    });
            } else {
                chart
                    .draw_series(LineSeries::new(line.clone(), style))
                    .map_err(|err| err.to_string())?
                    .label(label)
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                    });
            }
            chart
                .draw_series(
                    line.into_iter()
                        .map(|(x, y)| Circle::new((x, y), 4, color.filled())),
                )
                .map_err(|err| err.to_string())?;
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        root.present().map_err(|err| err.to_string())?;
    }
    Ok(svg)
}

/// The medians themselves against the points' numbers (a chunk size), one
/// line per subject with a whisker for each point's min-max range. The x
/// axis is logarithmic (base 2) when the numbers span a factor of 16 or
/// more, as doubling sizes do.
fn value_chart(experiment: &ExperimentResult, x_axis: &str) -> Result<String, String> {
    let subjects = subjects(experiment);
    let xs: Vec<f64> = experiment
        .points
        .iter()
        .filter_map(|point| point.x)
        .collect();
    let x_min = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let x_max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let logarithmic = x_min > 0.0 && x_max / x_min >= 16.0;
    // Plotted positions: log2 of the numbers on a logarithmic axis, with
    // the labels turned back into the numbers.
    let position = |x: f64| if logarithmic { x.log2() } else { x };
    let (left, right) = (position(x_min), position(x_max));
    let margin = ((right - left) * 0.05).max(0.5);
    let y_max = experiment
        .points
        .iter()
        .flat_map(|point| point.series.iter().map(|series| series.max))
        .filter(|value| value.is_finite())
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|err| err.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&experiment.title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(72)
            .build_cartesian_2d(left - margin..right + margin, 0.0..y_max * 1.15)
            .map_err(|err| err.to_string())?;
        let x_labels = if logarithmic {
            (right - left).round() as usize + 1
        } else {
            10
        };
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .x_labels(x_labels)
            .x_label_formatter(&|x| {
                let number = if logarithmic { x.exp2() } else { *x };
                trim_number((number * 100.0).round() / 100.0)
            })
            .y_label_formatter(&|y| human_number(*y))
            .x_desc(x_axis)
            .y_desc(&experiment.unit)
            .draw()
            .map_err(|err| err.to_string())?;
        for (subject_idx, (subject, role)) in subjects.iter().enumerate() {
            let color = color_of(subject_idx, *role);
            let mut line = Vec::new();
            let mut whiskers = Vec::new();
            for point in &experiment.points {
                let (Some(x), Some(series)) = (
                    point.x,
                    point
                        .series
                        .iter()
                        .find(|series| &series.subject == subject),
                ) else {
                    continue;
                };
                if !series.median.is_finite() {
                    continue;
                }
                line.push((position(x), series.median));
                whiskers.push(PathElement::new(
                    vec![(position(x), series.min), (position(x), series.max)],
                    color.stroke_width(1),
                ));
            }
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
            chart
                .draw_series(LineSeries::new(line.clone(), color.stroke_width(2)))
                .map_err(|err| err.to_string())?
                .label(subject.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
            chart
                .draw_series(
                    line.into_iter()
                        .map(|(x, y)| Circle::new((x, y), 4, color.filled())),
                )
                .map_err(|err| err.to_string())?;
            chart.draw_series(whiskers).map_err(|err| err.to_string())?;
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().map_err(|err| err.to_string())?;
    }
    Ok(svg)
}

/// Medians as bars grouped by point, one colour per subject, with a
/// whisker for the min-max range.
fn bar_chart(experiment: &ExperimentResult) -> Result<String, String> {
    let subjects = subjects(experiment);
    let n_subjects = subjects.len().max(1) as f64;
    let n_points = experiment.points.len();
    let y_max = experiment
        .points
        .iter()
        .flat_map(|point| point.series.iter().map(|series| series.max))
        .filter(|value| value.is_finite())
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let point_labels: Vec<String> = experiment
        .points
        .iter()
        .map(|point| point.point.clone())
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|err| err.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&experiment.title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..n_points as f64, 0.0..y_max * 1.35)
            .map_err(|err| err.to_string())?;
        // Ask for a label every half unit and name only the middles of the
        // groups, where the points' bars stand.
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .x_labels(2 * n_points + 1)
            .x_label_formatter(&|x| {
                if (x.fract() - 0.5).abs() < 1e-6 {
                    point_labels
                        .get(x.floor() as usize)
                        .cloned()
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| human_number(*y))
            .y_desc(&experiment.unit)
            .draw()
            .map_err(|err| err.to_string())?;
        let bar_width = 0.8 / n_subjects;
        for (subject_idx, (subject, _)) in subjects.iter().enumerate() {
            let color = color_of(subject_idx, subjects[subject_idx].1);
            let mut bars = Vec::new();
            let mut whiskers = Vec::new();
            for (point_idx, point) in experiment.points.iter().enumerate() {
                let Some(series) = point
                    .series
                    .iter()
                    .find(|series| &series.subject == subject)
                else {
                    continue;
                };
                let left = point_idx as f64 + 0.1 + bar_width * subject_idx as f64;
                let right = left + bar_width * 0.9;
                bars.push(Rectangle::new(
                    [(left, 0.0), (right, series.median)],
                    color.filled(),
                ));
                let middle = (left + right) / 2.0;
                whiskers.push(PathElement::new(
                    vec![(middle, series.min), (middle, series.max)],
                    BLACK.stroke_width(1),
                ));
            }
            chart
                .draw_series(bars)
                .map_err(|err| err.to_string())?
                .label(subject.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
            chart.draw_series(whiskers).map_err(|err| err.to_string())?;
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().map_err(|err| err.to_string())?;
    }
    Ok(svg)
}

/// A line of a speedup chart: its legend, its subject's index, its points.
type ChartLine = (String, usize, Vec<(f64, f64)>);

/// Whether an earlier line belongs to the same subject.
fn lines_before_of_subject(line_idx: usize, subject_idx: usize, line_subjects: &[usize]) -> bool {
    line_subjects[..line_idx].contains(&subject_idx)
}

/// A point's family: its label without numbers and plural `s`
/// (`4 threads` and `1 thread` are `thread`; `2 processes` is `process`).
fn family_of(point: &str) -> String {
    let words: Vec<&str> = point
        .split_whitespace()
        .filter(|word| !word.chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
        .collect();
    let family = words.join(" ");
    family
        .strip_suffix("es")
        .filter(|stem| stem.ends_with("ss"))
        .or_else(|| family.strip_suffix('s'))
        .unwrap_or(&family)
        .to_owned()
}

/// The families of an experiment's points, in first-seen order.
fn point_families(experiment: &ExperimentResult) -> Vec<String> {
    let mut families: Vec<String> = Vec::new();
    for point in &experiment.points {
        let family = family_of(&point.point);
        if !families.contains(&family) {
            families.push(family);
        }
    }
    families
}

/// The legend box both kinds of chart draw, at `position`.
fn draw_legend<'chart>(
    chart: &mut ChartContext<
        'chart,
        SVGBackend<'chart>,
        Cartesian2d<RangedCoordf64, RangedCoordf64>,
    >,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(|err| err.to_string())
}

/// `1` rather than `1.0` for whole numbers.
fn trim_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{BenchLevel, Series};
    use crate::results::Environment;

    fn series(subject: &str, role: Role, median: f64) -> Series {
        Series {
            subject: subject.to_owned(),
            role,
            samples: vec![median * 0.9, median, median * 1.1],
            median,
            min: median * 0.9,
            max: median * 1.1,
            ratio_to_reference: None,
        }
    }

    fn experiment(name: &str, points: Vec<PointResult>) -> ExperimentResult {
        ExperimentResult {
            name: name.to_owned(),
            title: name.replace('_', " "),
            unit: "items/s".to_owned(),
            better: Better::Higher,
            x_axis: None,
            level: BenchLevel::Full,
            rounds: 3,
            points,
            errors: Vec::new(),
        }
    }

    fn timing(experiments: Vec<ExperimentResult>) -> TimingReport {
        TimingReport {
            schema_version: 1,
            lab: "lab4".to_owned(),
            implementation: "submission".to_owned(),
            environment: Environment::detect(1, std::path::Path::new(".")),
            build_secs: 1.0,
            tests_secs: 2.0,
            tests: Vec::new(),
            experiments,
        }
    }

    /// Writes both kinds of chart from made-up numbers. To look at them:
    /// `REPORT_PREVIEW_DIR=/tmp/charts cargo test -p grader --lib report`.
    #[test]
    fn families_group_thread_and_process_counts() {
        assert_eq!(family_of("1 thread"), "thread");
        assert_eq!(family_of("8 threads"), "thread");
        assert_eq!(family_of("2 processes"), "process");
        assert_eq!(family_of("serial"), "serial");
    }

    #[test]
    fn report_has_a_table_row_per_subject_and_a_chart_per_experiment() {
        let speedup = experiment(
            "pi_samples_per_second",
            [1.0, 2.0, 4.0, 8.0]
                .into_iter()
                .map(|threads: f64| PointResult {
                    point: format!("{threads} threads"),
                    x: Some(threads),
                    series: vec![
                        series("submission", Role::Graded, 100.0 * threads.min(1.5)),
                        series("reference", Role::Reference, 100.0 * threads.min(2.0)),
                    ],
                })
                .collect(),
        );
        let bars = experiment(
            "queue_throughput",
            ["1P/1C, capacity 64", "2P/2C, capacity 64"]
                .into_iter()
                .map(|point| PointResult {
                    point: point.to_owned(),
                    x: None,
                    series: vec![
                        series("submission", Role::Graded, 3e6),
                        series("reference", Role::Reference, 8e6),
                        series("crossbeam_channel::bounded", Role::Baseline, 2e7),
                    ],
                })
                .collect(),
        );
        let mut by_chunk_size = experiment(
            "document_conversion_by_chunk_size",
            [1.0, 4.0, 16.0, 64.0, 256.0]
                .into_iter()
                .map(|chunk_size: f64| PointResult {
                    point: format!("chunk {chunk_size}"),
                    x: Some(chunk_size),
                    series: vec![
                        series("submission", Role::Graded, 2.0 / chunk_size.sqrt()),
                        series("reference", Role::Reference, 1.0 / chunk_size.sqrt()),
                    ],
                })
                .collect(),
        );
        by_chunk_size.x_axis = Some("chunk size".to_owned());
        by_chunk_size.unit = "s".to_owned();
        by_chunk_size.better = Better::Lower;
        let out = std::env::var_os("REPORT_PREVIEW_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                std::env::temp_dir().join(format!("report-test-{}", std::process::id()))
            });
        std::fs::create_dir_all(&out).unwrap();
        let written =
            write_report(&out, &timing(vec![speedup, bars, by_chunk_size]), None).unwrap();
        assert_eq!(written.len(), 4, "{written:?}");
        let markdown = std::fs::read_to_string(out.join(REPORT_FILE)).unwrap();
        assert!(
            markdown.contains("| 2P/2C, capacity 64 | crossbeam_channel::bounded | 20.00 M |"),
            "{markdown}"
        );
        assert!(
            markdown.contains("| 4 threads | reference | 200 | 180 - 220 | - | 2.00x |"),
            "{markdown}"
        );
        assert!(
            markdown.contains("![queue throughput](queue_throughput.svg)"),
            "{markdown}"
        );
        let speedup_svg = std::fs::read_to_string(out.join("pi_samples_per_second.svg")).unwrap();
        assert!(speedup_svg.starts_with("<svg"));
        assert!(
            speedup_svg.contains("ideal on"),
            "the ideal line is labelled"
        );
        assert!(speedup_svg.contains("submission") && speedup_svg.contains("reference"));
        let bar_svg = std::fs::read_to_string(out.join("queue_throughput.svg")).unwrap();
        assert!(bar_svg.contains("crossbeam_channel::bounded"));
        assert!(
            bar_svg.contains("1P/1C, capacity 64"),
            "bars are labelled by point"
        );
        let chunk_svg =
            std::fs::read_to_string(out.join("document_conversion_by_chunk_size.svg")).unwrap();
        assert!(chunk_svg.contains("chunk size"), "the x axis is named");
        assert!(
            !chunk_svg.contains("ideal on") && !chunk_svg.contains("speedup"),
            "chunk sizes are not worker counts: no speedup is drawn"
        );
        for label in ["\n1\n", "\n16\n", "\n256\n"] {
            assert!(
                chunk_svg.contains(label),
                "the logarithmic axis is labelled with chunk sizes ({label})"
            );
        }
        assert!(
            markdown.contains("| chunk 256 | reference | 0.062 | 0.056 - 0.069 | - |\n"),
            "a chunk size is no worker count: no speedup column\n{markdown}"
        );
        if std::env::var_os("REPORT_PREVIEW_DIR").is_none() {
            let _ = std::fs::remove_dir_all(&out);
        }
    }
}
