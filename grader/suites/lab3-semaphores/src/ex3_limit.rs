//! Exercise 3, `run_limited`: outputs in input order, as many jobs running
//! at once as permits and never more (native rendezvous and explored), and
//! the lecture's lesson: jobs of 1, 2 and 3 units take 4 units with 2
//! permits and 6 with 1 (native, compared with a calibration in the same
//! run).
//!
//! The outputs are recorded with `grader::harness::answer` and compared by
//! the grader with the reference solution's; how many jobs ran at once
//! (probes) and how long they took (ratios) are judged here.

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::explore;
    use lab3_semaphores::run_limited;
    use labsync::thread;

    use crate::support::{Occupancy, Problems, graded};

    pub fn run_limited_never_runs_more_jobs_at_once_than_permits() {
        explore(|| {
            for max_at_once in [1, 2] {
                let occupancy = Occupancy::default();
                let problems = Problems::default();
                let outputs = graded("run_limited([0, 1, 2], ...)", || {
                    run_limited(vec![0_u32, 1, 2], max_at_once, |job| {
                        let inside = occupancy.enter();
                        if inside > max_at_once {
                            problems.report(|| {
                                format!(
                                    "too many jobs at once: {inside} jobs ran at the same time \
                                     with max_at_once = {max_at_once}"
                                )
                            });
                        }
                        thread::yield_now();
                        occupancy.leave();
                        job * 10
                    })
                });
                problems.fail_on_first();
                assert_eq!(
                    outputs,
                    vec![0, 10, 20],
                    "run_limited([0, 1, 2], {max_at_once}, |job| job * 10) returned the wrong \
                     outputs (input order?)"
                );
            }
        });
    }
}

/// Real threads and real time.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::thread::sleep;

    use grader::harness::{AnswerOptions, answer, answer_with};
    use lab3_semaphores::run_limited;
    use labkit::{ConcurrencyProbe, measure, unit, units};

    use crate::support::{PATIENCE, call_graded_within, in_units, patience_deadline};

    pub fn run_limited_returns_every_output_in_input_order() {
        // Earlier jobs are slower, so they finish last.
        let outputs = call_graded_within(
            "run_limited(0..8, 4, slow_first)",
            "run_limited never returned",
            || {
                run_limited((0..8_u32).collect(), 4, |job| {
                    sleep(unit() / 8 * (8 - job));
                    format!("job-{job}")
                })
            },
        );
        answer_with(
            "run_limited(0..8, 4, |job| format!(\"job-{job}\")), early jobs finishing last",
            &outputs,
            AnswerOptions {
                note: "outputs not in input order (or missing) when early jobs finish last?",
                ..AnswerOptions::default()
            },
        );

        let (empty, few) = call_graded_within(
            "run_limited(vec![], 2, f) and run_limited(vec![1, 2], 5, f)",
            "run_limited never returned",
            || {
                (
                    run_limited(Vec::<u32>::new(), 2, |job| job),
                    run_limited(vec![1_u32, 2], 5, |job| job + 100),
                )
            },
        );
        answer("run_limited(vec![], 2, |job| job)", &empty);
        answer("run_limited(vec![1, 2], 5, |job| job + 100)", &few);
    }

    pub fn run_limited_keeps_as_many_jobs_running_as_permits() {
        for max_at_once in [3_usize, 1] {
            // Each job waits until `max_at_once` jobs have been running at
            // the same moment. Only a run_limited that really lets that many
            // in gets there; a stricter one leaves the first job waiting
            // until the deadline.
            let probe = ConcurrencyProbe::new();
            let job_probe = probe.clone();
            let deadline = patience_deadline();
            let all_met = call_graded_within(
                "run_limited(0..6, max_at_once, rendezvous)",
                "run_limited never returned",
                move || {
                    run_limited((0..6_u32).collect(), max_at_once, |_| {
                        let _inside = job_probe.enter();
                        job_probe.wait_until_max_inside(max_at_once, deadline)
                    })
                },
            );
            assert!(
                probe.max_inside() <= max_at_once,
                "too many jobs at once: {} jobs ran at the same time with max_at_once = \
                 {max_at_once}",
                probe.max_inside()
            );
            assert!(
                all_met.iter().all(|met| *met),
                "too few jobs at once: with max_at_once = {max_at_once} at most {} jobs ever ran \
                 together (waited {} s); every permit should be in use while jobs are waiting",
                probe.max_inside(),
                PATIENCE.as_secs()
            );
        }
    }

    pub fn run_limited_jobs_of_1_2_3_units_take_4_units_with_2_permits_and_6_with_1() {
        let jobs = || vec![1_u32, 2, 3];
        // Returns the outputs and the time taken; the outputs of the
        // first attempt are recorded (later attempts depend on timing).
        let run = |max_at_once: usize| {
            measure(|| {
                call_graded_within(
                    "run_limited([1, 2, 3] units, ...)",
                    "run_limited never returned",
                    move || {
                        run_limited(jobs(), max_at_once, |job_units| {
                            sleep(units(job_units));
                            job_units
                        })
                    },
                )
            })
        };
        // Each attempt compares the two runs with 4- and 6-unit sleeps
        // measured just before them. A busy machine can stall one run; the
        // best of up to three attempts is judged. No attempt can make a
        // wrong implementation pass: serial jobs take 6 units every time.
        let (mut best_two_over_four, mut best_one_over_six) = (f64::INFINITY, f64::INFINITY);
        let (mut with_two_units, mut with_one_units) = (0.0, 0.0);
        for attempt in 0..3 {
            let ((), four_units) = measure(|| sleep(units(4)));
            let ((), six_units) = measure(|| sleep(units(6)));
            let (outputs_with_two, with_two) = run(2);
            let (outputs_with_one, with_one) = run(1);
            if attempt == 0 {
                answer(
                    "run_limited(vec![1, 2, 3], 2, sleep that many units)",
                    &outputs_with_two,
                );
                answer(
                    "run_limited(vec![1, 2, 3], 1, sleep that many units)",
                    &outputs_with_one,
                );
            }
            // A sleep never ends early, so one job after another takes at
            // least the sum of the sleeps, on every attempt.
            assert!(
                in_units(with_one) > 5.9,
                "jobs overlapped under 1 permit: jobs of 1, 2 and 3 units took {:.1} units; with \
                 1 permit they must run one after another (6 units)",
                in_units(with_one)
            );
            let two_over_four = with_two.div_duration_f64(four_units);
            let one_over_six = with_one.div_duration_f64(six_units);
            if two_over_four < best_two_over_four {
                (best_two_over_four, with_two_units) = (two_over_four, in_units(with_two));
            }
            if one_over_six < best_one_over_six {
                (best_one_over_six, with_one_units) = (one_over_six, in_units(with_one));
            }
            if best_two_over_four < 1.3 && best_one_over_six < 1.25 {
                break;
            }
        }
        grader::harness::metric("jobs_1_2_3_with_2_permits_units", with_two_units);
        grader::harness::metric("jobs_1_2_3_with_1_permit_units", with_one_units);
        grader::harness::metric("with_2_permits_over_4_unit_sleep", best_two_over_four);
        grader::harness::metric("with_1_permit_over_6_unit_sleep", best_one_over_six);
        assert!(
            best_two_over_four < 1.3,
            "jobs did not overlap enough: jobs of 1, 2 and 3 units with 2 permits took {:.1} \
             units at best ({best_two_over_four:.2}x a 4-unit sleep); expected 4 (jobs 1 and 2 at \
             once, job 3 as soon as job 1 ends)",
            with_two_units
        );
        assert!(
            best_one_over_six < 1.25,
            "jobs of 1, 2 and 3 units with 1 permit took {:.1} units at best \
             ({best_one_over_six:.2}x a 6-unit sleep); expected 6 (a job must start as soon as \
             the previous one ends)",
            with_one_units
        );
    }
}
