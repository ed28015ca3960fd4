//! The hidden suite of lab 1 (threads).
//!
//! One module per exercise; each test is a plain `fn()` that panics to fail,
//! registered below with `grader::suite!` under the name `course.toml` gives
//! it. Test names say what went wrong when they fail, and failure messages
//! name the kind of bug and the evidence.
//!
//! No test asserts an absolute wall time. Concurrency is proved by counts
//! (threads seen, requests held at once), by rendezvous that only
//! overlapping work can complete, and by step counts. The few timing tests
//! are marked `alone` in `course.toml`: sleep-based ones compare with the
//! floor their sleeps set (which a serial run can never beat, so they may
//! retry on a busy machine), CPU-bound ones with a plain loop measured in
//! the same run. Measured numbers are reported with
//! `grader::harness::metric` and never graded.
//!
//! This crate must compile against both the student crate and the reference
//! solution: it uses only their public API.

mod ex1_run_both;
mod ex2_chunks;
mod ex3_pool;
mod ex4_stop_flag;
mod ex5_countdown;
mod ex6_fetch;
mod ex7_cpu_bound;
mod support;
mod timing;

grader::suite! {
    ex1_run_both::run_both_returns_each_result_in_its_own_place,
    ex1_run_both::run_both_runs_the_two_tasks_at_the_same_time,
    ex1_run_both::run_both_apples_and_bananas_take_the_longer_time_not_the_sum,
    ex2_chunks::chunk_ranges_split_into_contiguous_pieces_of_nearly_equal_length,
    ex2_chunks::square_in_chunks_squares_every_number_in_input_order,
    ex2_chunks::square_in_chunks_accepts_more_chunks_than_numbers_and_empty_input,
    ex2_chunks::map_in_chunks_keeps_input_order_when_later_chunks_finish_first,
    ex2_chunks::map_in_chunks_gives_each_contiguous_chunk_its_own_thread,
    ex2_chunks::map_in_chunks_runs_all_chunks_at_the_same_time,
    ex3_pool::pool_map_returns_outputs_in_input_order,
    ex3_pool::pool_map_runs_no_more_than_n_workers_threads,
    ex3_pool::pool_map_keeps_all_n_workers_busy_at_once,
    ex3_pool::pool_map_hands_the_next_item_to_whichever_worker_is_free,
    ex3_pool::pool_map_jobs_of_1_2_3_units_on_3_workers_take_3_units,
    ex3_pool::pool_map_reports_the_smallest_index_whose_work_panicked,
    ex3_pool::pool_map_returns_an_error_instead_of_hanging_when_work_panics,
    ex3_pool::pool_map_with_zero_workers_is_an_error,
    ex4_stop_flag::stop_flag_is_noticed_within_two_steps,
    ex4_stop_flag::stopped_worker_reports_exactly_the_steps_it_ran,
    ex4_stop_flag::stop_flag_raised_before_start_means_no_steps,
    ex5_countdown::countdown_runs_on_a_thread_named_after_its_label,
    ex5_countdown::countdown_join_returns_the_final_state,
    ex6_fetch::fetch_sequential_returns_exact_bodies_in_order_one_request_at_a_time,
    ex6_fetch::fetch_concurrent_returns_exact_bodies_in_input_order,
    ex6_fetch::fetch_concurrent_keeps_k_requests_in_flight_and_no_more,
    ex6_fetch::fetch_concurrent_with_k_threads_takes_about_n_over_k_units,
    ex7_cpu_bound::count_down_on_threads_takes_exactly_total_steps,
    ex7_cpu_bound::count_down_on_two_threads_is_not_slower_than_one,
    ex7_cpu_bound::sum_of_squares_matches_the_one_thread_sum_for_any_thread_count,
    ex7_cpu_bound::sum_of_squares_on_two_threads_is_not_slower_than_one;
    experiments: timing::count_down_steps_per_second
}
