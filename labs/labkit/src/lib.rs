//! Helpers that the labs' public tests and the hidden suites share.
//!
//! This crate owns the test-side vocabulary of the course: time measured in
//! scaled-down units ([`time`]), a probe that counts how many threads are
//! inside a piece of code at once ([`probe`]), small waitable signals for
//! rendezvous between threads ([`rendezvous`]) and a deliberately slow HTTP
//! server on loopback ([`http`]) and the list of this process's children
//! that were never waited for ([`children`]), and fake programs written as
//! shell scripts ([`scripts`]).
//!
//! Nothing here is graded, and nothing here may depend on a lab crate or on
//! the grader: students get this crate as a dev-dependency, so it must stay
//! small, std-only and free of answers to any exercise.

pub mod children;
pub mod http;
pub mod probe;
pub mod rendezvous;
pub mod scripts;
pub mod time;

pub use children::{ChildProcess, assert_no_children_left, children_of_this_process};
pub use http::SlowHttpServer;
pub use probe::{ConcurrencyProbe, ProbeGuard};
pub use rendezvous::{Flag, WaitableCounter};
pub use scripts::{ScriptFolder, shell_quoted};
pub use time::{measure, measure_fastest, unit, units};

/// The path of a lab's worker program, for public tests of code that
/// starts processes (labs 5 and 6).
///
/// A lab crate that starts processes ships a binary (`src/main.rs`) whose
/// `main` calls the library's `worker_main`; the crate's functions start
/// that program with a sub-command. Cargo builds it before the crate's
/// integration tests and tells them its path at compile time. The same
/// public tests also run against the reference solution, whose package (and
/// so binary) is named `<crate>-solution`; this macro picks whichever of the
/// two was built for the test being compiled. In a public test (a doc
/// test has no binary to find, so this is shown as text):
///
/// ```text
/// let worker = labkit::worker_program!("lab6-monte-carlo");
/// ```
#[macro_export]
macro_rules! worker_program {
    ($crate_name:literal) => {
        ::std::path::Path::new(
            ::std::option_env!(::std::concat!("CARGO_BIN_EXE_", $crate_name))
                .or(::std::option_env!(::std::concat!(
                    "CARGO_BIN_EXE_",
                    $crate_name,
                    "-solution"
                )))
                .expect(::std::concat!(
                    "no worker program: cargo builds the binary of ",
                    $crate_name,
                    " (src/main.rs) only for the package's own integration tests"
                )),
        )
    };
}

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
