//! Lab 2: locks.
//!
//! Race conditions, critical sections, mutexes and their RAII guards, and
//! deadlock. Each exercise starts from a bug the lecture showed in Python
//! (a lost update, a crash on an empty list, an overdrawn account, garbled
//! output, a deadlocked dinner) and asks for the version that cannot have
//! it, however the threads happen to interleave.
//!
//! Six exercises, one module each. Every function whose body is `todo!()`
//! is yours to write; its doc comment says what to build, the idea behind
//! it, and a mistake to avoid. Code that is not the lesson (and the buggy
//! versions shown as demonstrations) is provided complete.
//!
//! 1. [`MutexCounter`], [`AtomicCounter`]: counters that lose no update
//!    (next to the provided [`RacyCounter`], which does).
//! 2. [`WorkList::take`], [`drain`]: several threads empty one list
//!    without check-then-act.
//! 3. [`Account`], [`transfer`], [`total_balance`]: a balance that stays
//!    exact and never negative, and transfers that cannot deadlock.
//! 4. [`SharedLog::log`]: whole lines from many threads into one sink.
//! 5. [`Ledger`]: recovering sensibly when a thread panics while holding
//!    a lock (poisoning).
//! 6. [`take_in_fork_order`], [`take_with_waiter`], [`Waiter`] (and,
//!    optionally, [`take_or_back_off`]): dining philosophers without
//!    deadlock.
//!
//! Threads, locks and atomics come from [`labsync`] (`labsync::sync::Mutex`,
//! `labsync::thread::scope`, ...), never from `std::sync` or `std::thread`.
//! They are the standard library's own types under other names, except
//! when the grader explores schedules: then they let it choose which thread
//! runs at every lock and atomic operation, so that a race that shows up
//! once in a million real runs is found, and replayed, every time. Code
//! that reaches around the facade is invisible to it. `std::time` is fine.
//!
//! Outside exercise 5, `lock().unwrap()` is the right way to lock: a
//! poisoned lock means another thread panicked in the middle of a change,
//! and carrying on with that data would spread the damage.
//!
//! Run the public tests with `cargo test -p lab2-locks`, and watch the two
//! provided bugs happen with
//! `cargo run -p lab2-locks --release --example lost_updates` and
//! `cargo run -p lab2-locks --release --example deadlock_demo`. The graded
//! tests check the same behaviour under many thread interleavings.

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
