//! Lab 2 (locks): the reference solution.
//!
//! Same public API as the student crate `labs/lab2-locks`, item for item,
//! so that the public tests and the hidden suite compile against either.
//! The lessons live in the student crate's doc comments; the comments here
//! explain the choices this solution makes. The code that the student
//! crate provides complete (`RacyCounter`, `count_on_threads`, the
//! `WorkList` constructors and snapshots, `BankError`, the table, forks,
//! seats and the dinner loop of exercise 6) is repeated here unchanged.
//!
//! Like the student crate, it takes every thread, lock and atomic from
//! `labsync`, so that the grader can explore its schedules too.

mod ex1_counters;
mod ex2_drain;
mod ex3_bank;
mod ex4_log;
mod ex5_poison;
mod ex6_philosophers;

pub use ex1_counters::{AtomicCounter, Counter, MutexCounter, RacyCounter, count_on_threads};
pub use ex2_drain::{WorkList, drain};
pub use ex3_bank::{Account, BankError, total_balance, transfer};
pub use ex4_log::SharedLog;
pub use ex5_poison::Ledger;
pub use ex6_philosophers::{
    DinnerReport, Fork, HeldFork, Meal, Seat, Strategy, Table, Waiter, back_off, dine, dine_with,
    take_in_fork_order, take_left_then_right, take_or_back_off, take_with_waiter,
};
