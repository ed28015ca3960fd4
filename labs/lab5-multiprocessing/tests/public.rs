//! The public tests of lab 5: `cargo test -p lab5-multiprocessing`.
//!
//! One module per exercise (in `tests/public/`). Each test shows how a
//! function is meant to be used and checks the basics; until you write it,
//! its tests fail with "not yet implemented". The graded tests check more,
//! including misbehaving children and that no test leaves a process behind.

#[path = "public/ex1_spawn.rs"]
mod ex1_spawn;
#[path = "public/ex2_memory.rs"]
mod ex2_memory;
#[path = "public/ex3_pipes.rs"]
mod ex3_pipes;
#[path = "public/ex4_pool.rs"]
mod ex4_pool;
#[path = "public/ex5_producer_consumer.rs"]
mod ex5_producer_consumer;
#[path = "public/ex6_shared_memory.rs"]
mod ex6_shared_memory;
#[path = "public/ex7_factorize.rs"]
mod ex7_factorize;
#[path = "public/ex8_primes.rs"]
mod ex8_primes;
#[path = "public/ex9_documents.rs"]
mod ex9_documents;

use std::path::Path;

/// The worker program built from this crate's `src/main.rs` (or from the
/// reference solution's, when these tests run against it).
pub fn worker_program() -> &'static Path {
    labkit::worker_program!("lab5-multiprocessing")
}
