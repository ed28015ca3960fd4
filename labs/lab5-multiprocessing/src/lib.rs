//! Lab 5: multiprocessing.
//!
//! Threads share one memory; processes do not. This lab runs work in child
//! processes and makes them cooperate through what processes do share: the
//! command line, exit statuses, pipes, files and memory mappings. Then it
//! measures when processes pay off against threads.
//!
//! Every child is a copy of this crate's worker program (`src/main.rs`)
//! started with a sub-command (see [`worker_main`]). Tests find the
//! program's path with `labkit::worker_program!("lab5-multiprocessing")`;
//! your functions take it as a `worker_program: &Path` argument.
//!
//! Nine exercises, one module each. Every function whose body is `todo!()`
//! is yours to write; its doc comment says what to build, the idea behind
//! it, and a mistake to avoid. The sub-command dispatch, the error type
//! [`ProcessError`] and other plumbing are provided complete.
//!
//! 1. Spawning: start children, wait for them, read their exit statuses.
//! 2. Separate memory: what a child changes, its parent never sees.
//! 3. Pipes: the Leibniz series for pi, cut into ranges summed by children.
//! 4. A process pool: `map` with a chunk size, length-prefixed frames.
//! 5. Producer and consumer in two processes, ending on end-of-file.
//! 6. Shared memory: a counter two processes update, with and without
//!    atomic read-modify-write.
//! 7. Threads against processes: factorizing 300 large numbers.
//! 8. Sums of primes, serially, with processes and with threads.
//! 9. Converting a folder of JSON documents with a pool, by chunk size.
//!
//! A rule that holds everywhere: a parent waits for every child it starts,
//! on success and on failure alike. A child nobody waits for keeps running
//! (or lingers as a zombie) after the work is done; the grader fails any
//! test that leaves a process behind.
//!
//! Run the public tests with `cargo test -p lab5-multiprocessing`.

mod ex1_spawn;
mod ex2_memory;
mod ex3_pipes;
mod ex4_pool;
mod ex5_producer_consumer;
mod ex6_shared_memory;
mod ex7_factorize;
mod ex8_primes;
mod ex9_documents;
mod process_error;
mod worker;

pub use ex1_spawn::*;
pub use ex2_memory::*;
pub use ex3_pipes::*;
pub use ex4_pool::*;
pub use ex5_producer_consumer::*;
pub use ex6_shared_memory::*;
pub use ex7_factorize::*;
pub use ex8_primes::*;
pub use ex9_documents::*;
pub use process_error::{ProcessError, shortened};
pub use worker::{Subcommand, USAGE_EXIT_CODE, usage_error, worker_main};
