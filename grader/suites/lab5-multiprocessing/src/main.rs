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
    ;
    experiments:
    // Experiments (keep this line).
}
