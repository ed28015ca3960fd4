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
    // Helper A: exercises 1, 2, 3 and 5 (keep this line).
    // Helper B: exercises 4 and 9 (keep this line).
    // Helper C: exercises 6, 7 and 8 (keep this line).
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
    // Experiments (keep this line).
    ex7_factorize::factorization_seconds,
}
