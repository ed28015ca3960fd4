//! Time in scaled-down units, and measuring how long work takes.
//!
//! Sleep-based scenarios are written in units ("jobs of 1, 2 and 3 units")
//! so they read like the lecture while staying fast. One unit is 40 ms
//! unless the environment variable `LABKIT_UNIT_MS` says otherwise, which
//! lets a slow machine stretch every scenario at once without editing tests.
//!
//! This module only produces and measures durations. It never decides
//! whether a duration is good: tests do that, by comparing durations
//! measured in the same run rather than against fixed wall times.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The environment variable that overrides the length of one unit, in whole
/// milliseconds.
pub const UNIT_ENV_VAR: &str = "LABKIT_UNIT_MS";

/// The length of one unit when [`UNIT_ENV_VAR`] is not set.
pub const DEFAULT_UNIT: Duration = Duration::from_millis(40);

/// The longest unit [`UNIT_ENV_VAR`] may ask for. Anything longer is almost
/// certainly a typo (seconds instead of milliseconds) and would make every
/// sleep-based test crawl.
const MAX_UNIT_MS: u64 = 10_000;

/// The length of one unit: 40 ms, or `LABKIT_UNIT_MS` milliseconds.
///
/// The environment is read once per process, so every test in a run agrees
/// on the unit.
///
/// # Panics
///
/// If `LABKIT_UNIT_MS` is set to something other than a whole number from 1
/// to 10000.
pub fn unit() -> Duration {
    static UNIT: OnceLock<Duration> = OnceLock::new();
    *UNIT.get_or_init(|| {
        let setting = std::env::var(UNIT_ENV_VAR).ok();
        parse_unit_setting(setting.as_deref()).unwrap_or_else(|message| panic!("{message}"))
    })
}

/// `count` units: `units(3)` is three times [`unit()`].
pub fn units(count: u32) -> Duration {
    unit() * count
}

/// Turns the value of [`UNIT_ENV_VAR`] (if set) into the length of a unit.
fn parse_unit_setting(setting: Option<&str>) -> Result<Duration, String> {
    let Some(text) = setting else {
        return Ok(DEFAULT_UNIT);
    };
    match text.trim().parse::<u64>() {
        Ok(millis) if (1..=MAX_UNIT_MS).contains(&millis) => Ok(Duration::from_millis(millis)),
        _ => Err(format!(
            "{UNIT_ENV_VAR} must be a whole number of milliseconds from 1 to {MAX_UNIT_MS}, \
             got {text:?}; unset it to use the default of {} ms",
            DEFAULT_UNIT.as_millis()
        )),
    }
}

/// Runs `work` once and returns its result with the wall time it took.
///
/// ```
/// let (sum, elapsed) = labkit::measure(|| (1..=10u32).sum::<u32>());
/// assert_eq!(sum, 55);
/// assert!(elapsed < std::time::Duration::from_secs(60));
/// ```
pub fn measure<R>(work: impl FnOnce() -> R) -> (R, std::time::Duration) {
    let started = Instant::now();
    let result = work();
    (result, started.elapsed())
}

/// Runs `work` `n_runs` times and returns the last result with the shortest
/// time any run took.
///
/// The fastest of several runs is the least disturbed by whatever else the
/// machine was doing, which makes it the fairest input to a speedup ratio.
///
/// # Panics
///
/// If `n_runs` is zero: there would be no result to return.
pub fn measure_fastest<R>(n_runs: usize, mut work: impl FnMut() -> R) -> (R, Duration) {
    assert!(n_runs >= 1, "measure_fastest needs at least one run");
    let (mut result, mut fastest) = measure(&mut work);
    for _ in 1..n_runs {
        let (next_result, elapsed) = measure(&mut work);
        result = next_result;
        fastest = fastest.min(elapsed);
    }
    (result, fastest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_setting_defaults_to_forty_milliseconds() {
        assert_eq!(parse_unit_setting(None), Ok(Duration::from_millis(40)));
    }

    #[test]
    fn unit_setting_accepts_whole_milliseconds() {
        assert_eq!(
            parse_unit_setting(Some("25")),
            Ok(Duration::from_millis(25))
        );
        assert_eq!(
            parse_unit_setting(Some(" 100 ")),
            Ok(Duration::from_millis(100))
        );
    }

    #[test]
    fn unit_setting_rejects_nonsense_with_a_message_naming_the_variable() {
        for bad in ["", "0", "-5", "1.5", "40ms", "99999"] {
            let message = parse_unit_setting(Some(bad)).unwrap_err();
            assert!(message.contains(UNIT_ENV_VAR), "{message}");
            assert!(message.contains(&format!("{bad:?}")), "{message}");
        }
    }

    #[test]
    fn units_are_multiples_of_one_unit() {
        assert_eq!(units(0), Duration::ZERO);
        assert_eq!(units(1), unit());
        assert_eq!(units(3), unit() * 3);
    }

    #[test]
    fn measure_returns_the_result_and_at_least_the_time_slept() {
        let (value, elapsed) = measure(|| {
            std::thread::sleep(Duration::from_millis(20));
            7
        });
        assert_eq!(value, 7);
        assert!(elapsed >= Duration::from_millis(20), "{elapsed:?}");
    }

    #[test]
    fn measure_fastest_runs_the_work_n_times_and_keeps_the_shortest() {
        let mut calls = 0;
        let (last, fastest) = measure_fastest(3, || {
            calls += 1;
            // The first run is the slow one, so the fastest must be shorter.
            if calls == 1 {
                std::thread::sleep(Duration::from_millis(30));
            }
            calls
        });
        assert_eq!(calls, 3);
        assert_eq!(last, 3);
        assert!(fastest < Duration::from_millis(30), "{fastest:?}");
    }

    #[test]
    #[should_panic(expected = "at least one run")]
    fn measure_fastest_refuses_zero_runs() {
        measure_fastest(0, || ());
    }
}
