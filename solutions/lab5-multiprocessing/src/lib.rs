//! Lab 5 (multiprocessing): the reference solution.
//!
//! Same public API as the student crate `labs/lab5-multiprocessing`, item
//! for item, so that the public tests and the hidden suite compile against
//! either. The lessons live in the student crate's doc comments; the
//! comments here explain the choices this solution makes. The plumbing the
//! student crate provides complete (the worker program's dispatch, the
//! error type) is shared with it, one copy for both crates.

mod ex1_spawn;
mod ex2_memory;
mod ex3_pipes;
mod ex4_pool;
mod ex5_producer_consumer;
mod ex6_shared_memory;
mod ex7_factorize;
mod ex8_primes;
mod ex9_documents;
#[path = "../../../labs/lab5-multiprocessing/src/process_error.rs"]
mod process_error;
mod start;
#[path = "../../../labs/lab5-multiprocessing/src/worker.rs"]
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
