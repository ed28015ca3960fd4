//! Lab 1 (threads): the reference solution.
//!
//! Same public API as the student crate `labs/lab1-threads`, item for item,
//! so that the public tests and the hidden suite compile against either.
//! The lessons live in the student crate's doc comments; the comments here
//! explain the choices this solution makes. The code that the student crate
//! provides complete (`fetch_one`, `count_down`, the `Countdown`
//! constructors, `PoolError`) is repeated here unchanged.

mod ex1_run_both;
mod ex2_chunks;
mod ex3_pool;
mod ex4_stop_flag;
mod ex5_countdown;
mod ex6_fetch;
mod ex7_cpu_bound;

pub use ex1_run_both::run_both;
pub use ex2_chunks::{chunk_ranges, map_in_chunks, square_in_chunks};
pub use ex3_pool::{PoolError, pool_map};
pub use ex4_stop_flag::spawn_until_stopped;
pub use ex5_countdown::Countdown;
pub use ex6_fetch::{fetch_concurrent, fetch_one, fetch_sequential};
pub use ex7_cpu_bound::{count_down, count_down_on_threads, sum_of_squares};
