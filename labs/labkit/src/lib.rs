//! Helpers that the labs' public tests and the hidden suites share.
//!
//! This crate owns the test-side vocabulary of the course: time measured in
//! scaled-down units ([`time`]), a probe that counts how many threads are
//! inside a piece of code at once ([`probe`]), small waitable signals for
//! rendezvous between threads ([`rendezvous`]) and a deliberately slow HTTP
//! server on loopback ([`http`]).
//!
//! Nothing here is graded, and nothing here may depend on a lab crate or on
//! the grader: students get this crate as a dev-dependency, so it must stay
//! small, std-only and free of answers to any exercise.

pub mod http;
pub mod probe;
pub mod rendezvous;
pub mod time;

pub use http::SlowHttpServer;
pub use probe::{ConcurrencyProbe, ProbeGuard};
pub use rendezvous::{Flag, WaitableCounter};
pub use time::{measure, measure_fastest, unit, units};

/// Locks a mutex even if a thread panicked while holding it.
///
/// Every mutex in this crate guards plain counters that are never left half
/// updated, so a poisoned lock still holds consistent data. Tests make
/// threads panic on purpose; the helpers must keep working afterwards.
fn lock_ignoring_poison<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
