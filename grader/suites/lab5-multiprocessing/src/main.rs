//! The hidden suite of lab 5 (multiprocessing).
//!
//! One module per exercise. Processes: the grader builds the lab's worker
//! program from the graded crate's `worker_main`, and the tests get its path
//! from `grader::harness::worker_program()`. After every test the grader
//! checks that no process the test started is still running; a test that
//! leaves one behind fails, whatever it asserted.
//!
//! No test here asserts a wall time. Test names say what went wrong when
//! they fail. This crate must compile against the student crate, the
//! reference and any submission: it uses only the lab's public API.

mod ex1_spawn;
mod ex2_memory;
mod ex3_pipes;
mod ex4_pool;
mod ex5_producer_consumer;
mod ex6_shared_memory;
mod ex7_factorize;
mod ex8_primes;
mod ex9_documents;
mod support;

grader::suite! {
    // Exercises 1, 2, 3 and 5: spawning, separate memory, pipes, producer and consumer.
    ex1_spawn::hello_worker_greets_with_its_own_pid_and_parent_pid_and_exits_with_its_index,
    ex1_spawn::spawn_children_reports_every_childs_pid_parent_pid_and_exit_status,
    ex1_spawn::spawn_children_starts_every_child_before_waiting_for_any,
    ex1_spawn::spawn_children_reports_a_failing_or_lying_child_as_an_error_and_waits_for_all,
    ex2_memory::a_child_appends_to_its_own_fresh_list_and_the_parents_list_is_unchanged,
    ex2_memory::a_thread_appends_to_the_parents_own_list,
    ex2_memory::append_in_child_returns_what_the_child_printed_and_reports_a_failing_child,
    ex3_pipes::leibniz_partial_sum_is_four_times_the_alternating_series,
    ex3_pipes::split_range_covers_the_range_in_contiguous_parts_differing_by_at_most_one,
    ex3_pipes::leibniz_worker_prints_its_partial_sum_so_that_it_reads_back_exactly,
    ex3_pipes::leibniz_children_add_up_to_the_serial_sum_for_1_to_8_children_and_uneven_ranges,
    ex3_pipes::leibniz_with_children_reports_failing_or_garbage_printing_children_as_errors,
    ex3_pipes::leibniz_with_no_children_or_an_empty_range_starts_no_child,
    ex5_producer_consumer::produce_to_child_closes_the_pipe_and_returns_the_summary_of_every_item,
    ex5_producer_consumer::consume_worker_prints_its_summary_and_exits_when_its_input_ends,
    ex5_producer_consumer::consume_counts_each_line_and_stops_at_the_end_of_its_input,
    ex5_producer_consumer::produce_to_child_reports_a_consumer_that_fails_or_dies_early_as_an_error,
    // Exercises 4 and 9: the process pool and the folder conversion.
    ex4_pool::frames_survive_short_reads_and_interrupted_reads,
    ex4_pool::read_frame_tells_a_clean_end_of_file_from_a_truncated_or_oversized_frame,
    ex4_pool::pool_worker_answers_each_request_frame_at_once_and_exits_on_end_of_file,
    ex4_pool::map_returns_results_in_input_order_when_chunks_finish_out_of_order,
    ex4_pool::map_gives_the_serial_results_for_every_chunk_size_and_worker_count,
    ex4_pool::map_sends_whole_chunks_to_long_lived_workers,
    ex4_pool::map_keeps_every_worker_busy_at_once,
    ex4_pool::large_frames_cross_the_pipes_intact,
    ex4_pool::a_crashed_worker_is_an_error_for_each_task_of_its_chunk_and_the_pool_goes_on,
    ex4_pool::dropping_or_closing_the_pool_ends_and_reaps_every_worker,
    ex4_pool::impossible_pool_requests_are_errors_not_panics,
    ex9_documents::documents_convert_to_the_same_text_serially_and_with_any_pool,
    ex9_documents::one_unreadable_document_is_an_error_for_that_document_only,
    // Exercises 6, 7 and 8: shared memory, factorization, sums of primes.
    ex6_shared_memory::children_adding_with_fetch_add_never_lose_an_update,
    ex6_shared_memory::children_adding_under_the_shared_spin_lock_never_lose_an_update,
    ex6_shared_memory::children_adding_with_load_then_store_lose_updates_because_they_share_one_counter,
    ex7_factorize::factorize_gives_ascending_prime_factors_and_the_lectures_first_numbers,
    ex7_factorize::threads_and_processes_give_the_serial_factor_lists_in_input_order,
    ex7_factorize::processes_factorize_in_children_running_at_the_same_time,
    ex7_factorize::factorize_and_sum_primes_processes_report_failing_or_lying_children_as_errors,
    ex8_primes::sum_of_primes_below_matches_the_test_vectors_and_counts_neither_n_nor_1,
    ex8_primes::serial_threads_and_processes_give_every_limit_sorted_by_n_with_the_right_sums,
    ;
    experiments:
    ex7_factorize::factorization_seconds,
    ex9_documents::document_conversion_by_chunk_size,
    ex9_documents::process_costs,
}
