//! Lab 6: Monte Carlo.
//!
//! Estimate pi by throwing random points at a square, then make the
//! computation parallel without making it irreproducible: the same number
//! of samples and the same seed give the same estimate, bit for bit, on one
//! thread, on eight threads and on three processes. Then put numbers on the
//! randomness (standard errors, the `1 / sqrt(n)` law, confidence
//! intervals) and on the speed (samples per second per core, speedup).
//!
//! The trick that makes parallel runs reproducible is provided complete
//! (see [`block_rng`]): the samples are cut into fixed blocks of
//! [`SAMPLES_PER_BLOCK`], and block `b` always draws from its own stream
//! `block_rng(seed, b)`. Workers are handed whole blocks, so it does not
//! matter which worker draws which block.
//!
//! Five exercises, one module each. Every function whose body is `todo!()`
//! is yours to write; its doc comment says what to build, the idea behind
//! it, and a mistake to avoid. Error types, the worker program's command
//! line and the interval types are provided complete.
//!
//! 1. [`count_hits`], [`pi_from_hits`], [`count_hits_in_blocks`],
//!    [`estimate_pi_serial`]: the estimate on one thread, with a seed.
//! 2. [`estimate_pi_threads`]: the same number from T threads.
//! 3. [`worker_main`], [`estimate_pi_processes`]: the same number from P
//!    processes running this crate's worker program (`src/main.rs`).
//! 4. [`pi_standard_error`], [`mean_absolute_error`]: how wrong an estimate
//!    may be, and how fast the error shrinks.
//! 5. [`integrate`]: any integral, with a confidence interval.
//!
//! Speed matters here, and the grader measures it: samples per second on
//! one thread, on 2 and 4 threads and on 2 processes, next to the
//! reference solution's on the same machine (the timing report), and a
//! speed test that your two threads reach at least a tenth of the
//! reference's rate (threads that queue for a lock on every sample do
//! not). The lecture's Python loop of `random.random()` calls draws a few
//! million samples per second (`tools/python/monte_carlo_pi.py` measures
//! it); a good Rust loop draws a few hundred million per core. Build with
//! optimizations when you measure by hand:
//! `cargo test --release -p lab6-monte-carlo -- --nocapture`.
//!
//! Run the public tests with `cargo test -p lab6-monte-carlo`.

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
