//! Exercise 7: factorizing large numbers serially, with threads and with
//! processes.
//!
//! `cargo test -p lab5-multiprocessing --release ex7 -- --nocapture` prints
//! the times on the lecture's 300 numbers.

use std::time::Instant;

use lab5_multiprocessing::{
    benchmark_numbers, factorize, factorize_processes, factorize_serial, factorize_stream,
    factorize_threads, numbers_from,
};

use super::worker_program;

#[test]
fn factorize_lists_prime_factors_in_ascending_order() {
    assert_eq!(factorize(12), [2, 2, 3]);
    assert_eq!(factorize(97), [97]);
    assert_eq!(factorize(1), Vec::<u64>::new());
    assert_eq!(factorize(9_999_999_999_999), [3, 3, 53, 79, 265_371_653]);
    assert_eq!(factorize(10_000_000_000_001), [11, 859, 1_058_313_049]);
}

#[test]
fn the_factorize_child_answers_one_line_per_number() {
    let mut output = Vec::new();
    factorize_stream(&b"12\n97\n1\n"[..], &mut output).expect("factorize_stream");
    assert_eq!(String::from_utf8_lossy(&output), "2 2 3\n97\n\n");
}

#[test]
fn threads_and_processes_give_the_serial_factor_lists_in_input_order() {
    let numbers = numbers_from(100_000_000_001, 21);
    let serial = factorize_serial(&numbers);
    assert_eq!(serial.len(), numbers.len());
    for n_workers in [1, 2, 4] {
        assert_eq!(
            factorize_threads(&numbers, n_workers),
            serial,
            "{n_workers} threads"
        );
        let by_processes = factorize_processes(&numbers, n_workers, worker_program())
            .unwrap_or_else(|error| panic!("{n_workers} processes: {error}"));
        assert_eq!(by_processes, serial, "{n_workers} processes");
    }
}

/// The lecture's benchmark (slow in a debug build: run it with --release).
#[test]
fn the_lectures_benchmark_on_serial_threads_and_processes() {
    let numbers = benchmark_numbers();
    assert_eq!(numbers.len(), 300);
    let started = Instant::now();
    let serial = factorize_serial(&numbers);
    println!("serial: {:.3} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    assert_eq!(factorize_threads(&numbers, 2), serial);
    println!("2 threads: {:.3} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let by_processes = factorize_processes(&numbers, 2, worker_program()).expect("2 processes");
    assert_eq!(by_processes, serial);
    println!("2 processes: {:.3} s", started.elapsed().as_secs_f64());
}
