//! The hidden suite of lab 6 (Monte Carlo).
//!
//! One module per exercise, plus the timing experiment. Random results are
//! judged the way a statistician would, with fixed seeds so that every
//! verdict is the same on every run: an estimate must lie within 4
//! standard errors of the truth (a correct estimator misses that about 6
//! times in 100,000), errors averaged over many seeds must shrink tenfold
//! for a hundred times the samples (within a generous band), and
//! confidence intervals must cover the truth for all but at most one of
//! many seeds. Reproducibility is judged bit for bit: every thread and
//! process count must give exactly the serial estimate.
//!
//! Processes: the grader builds the lab's worker program from the graded
//! crate's `worker_main` and the tests get its path from
//! `grader::harness::worker_program()`. Misbehaving workers are small shell
//! scripts written by the tests.
//!
//! Speed is graded by the course's speed test, which compares the graded
//! implementation's samples per second in the `pi_samples_per_second`
//! experiment with the reference's, measured in the same run. No test here
//! asserts a wall time. Test names say what went wrong when they fail. This
//! crate must compile against the student crate, the reference and any
//! submission: it uses only the lab's public API.

mod ex1_serial;
mod ex2_threads;
mod ex3_processes;
mod ex4_statistics;
mod ex5_integration;
mod ex6_timing;
mod support;

grader::suite! {
    ex1_serial::serial_estimate_is_within_four_standard_errors_of_pi,
    ex1_serial::serial_estimate_is_the_same_for_the_same_seed_and_differs_between_seeds,
    ex1_serial::pi_from_hits_is_four_times_the_hit_ratio_not_an_integer_division,
    ex1_serial::count_hits_in_blocks_adds_up_over_any_split_of_the_blocks,
    ex1_serial::count_hits_counts_about_pi_over_4_of_the_points,
    ex1_serial::estimates_from_no_samples_or_no_workers_are_errors_not_panics,
    ex2_threads::threads_give_exactly_the_serial_estimate_for_1_2_3_and_8_threads,
    ex3_processes::processes_give_exactly_the_serial_estimate_for_1_2_3_and_8_processes,
    ex3_processes::worker_program_prints_the_hit_count_of_its_blocks_and_nothing_else,
    ex3_processes::worker_program_exits_with_a_failure_status_on_bad_arguments,
    ex3_processes::processes_report_a_failing_or_garbage_printing_worker_as_an_error,
    ex3_processes::processes_run_their_workers_at_the_same_time,
    ex4_statistics::pi_standard_error_is_4_sqrt_p_1_minus_p_over_n,
    ex4_statistics::error_shrinks_like_one_over_sqrt_n_over_many_seeds,
    ex4_statistics::mean_absolute_error_averages_the_errors_of_the_seeds,
    ex5_integration::integral_confidence_intervals_cover_the_true_values,
    ex5_integration::integral_standard_error_matches_the_theory_and_shrinks_like_one_over_sqrt_n,
    ex5_integration::integral_is_the_same_for_every_thread_count,
    ex5_integration::integrate_refuses_impossible_requests_with_errors;
    experiments: ex6_timing::pi_samples_per_second
}
