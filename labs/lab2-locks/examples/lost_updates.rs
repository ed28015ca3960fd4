//! Exercise 1's demonstration: the racy counter loses increments.
//!
//! `cargo run -p lab2-locks --release --example lost_updates`
//!
//! Runs the lecture's experiment (2 threads x 100,000 increments) a few
//! times with the provided `RacyCounter`, then with your `MutexCounter` and
//! `AtomicCounter`, and prints the totals and times. The racy totals differ
//! from run to run; yours must be 200,000 every time.

use std::time::Instant;

use lab2_locks::{AtomicCounter, Counter, MutexCounter, RacyCounter, count_on_threads};

const N_THREADS: usize = 2;
const INCREMENTS_EACH: u64 = 100_000;

fn run(name: &str, counter: &impl Counter) {
    let started = Instant::now();
    let total = count_on_threads(counter, N_THREADS, INCREMENTS_EACH);
    let expected = N_THREADS as u64 * INCREMENTS_EACH;
    println!(
        "{name:>14}: {total:>7} of {expected} ({:>6} lost) in {:>7.2?}",
        expected - total,
        started.elapsed()
    );
}

fn main() {
    for _ in 0..5 {
        run("RacyCounter", &RacyCounter::new());
    }
    run("MutexCounter", &MutexCounter::new());
    run("AtomicCounter", &AtomicCounter::new());
}
