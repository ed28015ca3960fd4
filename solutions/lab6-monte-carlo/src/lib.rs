//! Lab 6 (Monte Carlo): the reference solution.
//!
//! Same public API as the student crate `labs/lab6-monte-carlo`, item for
//! item, so that the public tests and the hidden suite compile against
//! either. The lessons live in the student crate's doc comments; the
//! comments here explain the choices this solution makes. The code that the
//! student crate provides complete (the blocks and their streams, the error
//! types, the worker program's command line, the interval types) is
//! repeated here unchanged.
//!
//! Every estimate is a sum over fixed blocks of samples, each drawn from
//! its own stream, so serial, threaded and process-parallel runs agree bit
//! for bit. Threads are plain `std::thread::scope` threads: this lab is
//! about parallel speed, not about schedules, so it has no facade.

// The blocks are handed to students complete; one copy serves both crates.
#[path = "../../../labs/lab6-monte-carlo/src/blocks.rs"]
mod blocks;
mod ex1_serial;
mod ex2_threads;
mod ex3_processes;
mod ex4_statistics;
mod ex5_integration;

pub use blocks::{
    BlockRng, SAMPLES_PER_BLOCK, block_count, block_rng, samples_in_block, samples_in_blocks,
    worker_blocks,
};
pub use ex1_serial::{
    EstimateError, count_hits, count_hits_in_blocks, estimate_pi_serial, pi_from_hits,
};
pub use ex2_threads::estimate_pi_threads;
pub use ex3_processes::{
    PI_SUBCOMMAND, PiWorkerArgs, ProcessError, estimate_pi_processes, worker_main,
};
pub use ex4_statistics::{mean_absolute_error, pi_standard_error};
pub use ex5_integration::{Integral, Interval, Z_95, Z_999, integrate};
