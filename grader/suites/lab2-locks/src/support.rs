//! Helpers shared by the lab 2 suite's tests: calling graded code with
//! context and a time limit (real threads), and exploring a scenario so
//! that every failure names its bug class (schedule exploration).
//!
//! Graded code may panic (a `todo!()` stub does), deadlock (a transfer that
//! locks in the wrong order) or panic on another thread (a worker that pops
//! an empty list). These helpers turn each into a failure that says which
//! call went wrong and what kind of bug that usually is. They never decide
//! whether a result is right; the tests do.

pub use grader::harness::panic_text;

/// Real threads: calls with a context, and calls that may hang.
#[cfg(not(feature = "explore"))]
pub mod real {
    pub use grader::harness::{call_graded, call_graded_within};
}

/// Schedule exploration with failures that name their bug class.
#[cfg(feature = "explore")]
pub mod explored {
    use std::panic::{self, AssertUnwindSafe};

    use explorer::Exploration;

    use super::panic_text;

    /// How failure messages that already name their bug class begin: the
    /// classes the explorer recognises itself, a stub, and the classes this
    /// suite's assertions name. Any other failure is a panic inside graded
    /// code, and gets the test's hint in front.
    const NAMED_FAILURES: &[&str] = &[
        "deadlock or lost wake-up",
        "livelock",
        "a std::sync or std::thread type",
        "not yet implemented",
        "lost update",
        "check-then-act",
        "overdraft",
        "money in flight",
        "money created or lost",
        "wrong result",
        "interleaved line",
        "lost line",
        "too many seated",
        "missed meal",
    ];

    /// Explores `scenario` with the default [`Exploration`]; see
    /// [`explore_with`].
    pub fn explore(
        when_graded_code_panics: &'static str,
        scenario: impl Fn() + Send + Sync + 'static,
    ) {
        explore_with(Exploration::default(), when_graded_code_panics, scenario);
    }

    /// Explores `scenario` under `exploration`. A failure whose message does
    /// not name a bug class (graded code panicked on one of the scenario's
    /// threads: `unwrap` on `None`, an arithmetic overflow) is reported as
    /// `"{when_graded_code_panics}: {message}"`.
    pub fn explore_with(
        exploration: Exploration,
        when_graded_code_panics: &'static str,
        scenario: impl Fn() + Send + Sync + 'static,
    ) {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| exploration.run(scenario)));
        let Err(payload) = outcome else { return };
        // A replayed schedule (`--replay`) fails with the scheduler's raw
        // message; `classify` names its class as exploration would.
        let message = explorer::classify(&panic_text(payload.as_ref()));
        if NAMED_FAILURES
            .iter()
            .any(|class| message.starts_with(class))
        {
            panic!("{message}");
        }
        panic!("{when_graded_code_panics}: {message}");
    }

    /// Starts a named thread in the scenario: deadlock reports list blocked
    /// threads by name (`transfer-2-to-1`), not as `<unknown>`.
    pub fn spawn_named<Body, Output>(name: &str, body: Body) -> labsync::thread::JoinHandle<Output>
    where
        Body: FnOnce() -> Output + Send + 'static,
        Output: Send + 'static,
    {
        labsync::thread::Builder::new()
            .name(name.to_owned())
            .spawn(body)
            .expect("the explorer could not start a thread")
    }
}
