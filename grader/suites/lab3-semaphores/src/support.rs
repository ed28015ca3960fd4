//! Helpers shared by the lab 3 suite's tests.
//!
//! Native tests (real threads): deadlines, calling graded code with context
//! and a time limit, durations in units. Exploring tests: calling graded
//! code with context, an occupancy counter built from the facade's atomics,
//! which the explorer sees (labkit's probes use `std` and must not be used
//! inside an exploration), and a place where threads report problems for
//! the main thread to fail with.
//!
//! Graded code may panic (a `todo!()` stub does, and so does a count that
//! goes below zero) or hang (a lost wake-up). These helpers turn both into a
//! failure whose message says which call went wrong. They never decide
//! whether a value is right: values are recorded with
//! `grader::harness::answer` and the grader compares them with the
//! reference solution's.

use std::any::Any;

/// The text of a panic payload (`panic!` carries a `&str` or a `String`).
fn payload_text(payload: &(dyn Any + Send)) -> Option<&str> {
    if let Some(text) = payload.downcast_ref::<&str>() {
        Some(text)
    } else {
        payload.downcast_ref::<String>().map(String::as_str)
    }
}

/// What a panic message suggests about the bug, for the failure message.
fn hint_for(panic_text: &str) -> &'static str {
    if panic_text.contains("subtract with overflow") {
        " (a count went below zero: a thread took a permit or an item that was not there - an \
         `if` instead of a `while` around Condvar::wait, or a check and an update under two \
         separate locks?)"
    } else if panic_text.contains("add with overflow") {
        " (a count went above its maximum: released more often than acquired?)"
    } else {
        ""
    }
}

#[cfg(not(feature = "explore"))]
pub use native::*;

#[cfg(feature = "explore")]
pub use explored::*;

/// Real threads, real time.
#[cfg(not(feature = "explore"))]
mod native {
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    use super::{hint_for, payload_text};

    /// How long a rendezvous waits for something that a correct
    /// implementation does within microseconds. Generous, so that a loaded
    /// two-core machine never fails a correct solution; only a wrong one
    /// ever waits this long.
    pub const PATIENCE: Duration = Duration::from_secs(5);

    /// How long a call to graded code may take before the test calls it
    /// hung. Every call it guards finishes in well under a second when
    /// correct, and the tests' own timeouts in `course.toml` are longer.
    pub const HANG_LIMIT: Duration = Duration::from_secs(10);

    /// The moment [`PATIENCE`] from now.
    pub fn patience_deadline() -> Instant {
        Instant::now() + PATIENCE
    }

    /// `duration` in units of `labkit::unit()`.
    pub fn in_units(duration: Duration) -> f64 {
        duration.div_duration_f64(labkit::unit())
    }

    /// Runs graded code on a helper thread and fails the test if it panics
    /// (with `call` and the panic's text) or has not returned after
    /// [`HANG_LIMIT`] (with `call` and `hang_hint`, the likely cause).
    ///
    /// The helper thread of a hung call is left behind; the test process
    /// ends right after the test, which takes it down.
    pub fn call_graded_within<R: Send + 'static>(
        call: &str,
        hang_hint: &str,
        body: impl FnOnce() -> R + Send + 'static,
    ) -> R {
        let (result_sender, result_receiver) = mpsc::channel();
        std::thread::Builder::new()
            .name("graded-call".to_owned())
            .spawn(move || {
                let outcome = panic::catch_unwind(AssertUnwindSafe(body)).map_err(|payload| {
                    payload_text(payload.as_ref())
                        .unwrap_or("<a panic without a text message>")
                        .to_owned()
                });
                // The test may have given up already; then nobody listens.
                let _ = result_sender.send(outcome);
            })
            .expect("the suite could not start a helper thread");
        match result_receiver.recv_timeout(HANG_LIMIT) {
            Ok(Ok(result)) => result,
            Ok(Err(message)) => panic!("{call} panicked: {message}{}", hint_for(&message)),
            Err(_) => panic!(
                "hang: {call} did not return within {} s; {hang_hint}",
                HANG_LIMIT.as_secs()
            ),
        }
    }

    /// Checks that `wait_for(timeout)`, graded code that waits for
    /// something that never comes, returns `false` after about `timeout`:
    /// never before 0.9x the timeout, and at most 3x it. Returns the ratio
    /// elapsed / timeout that was judged.
    ///
    /// What the first attempt returned is recorded as the answer `call`
    /// (the grader compares it with the reference's `false`); a call that
    /// returned `true` waited for nothing, so its timing is not judged.
    /// The early bound holds on every attempt (a wait is never cut short by
    /// a busy machine). A stall of the machine can stretch one attempt, so
    /// the late bound is judged on the best of up to three attempts.
    pub fn check_gives_up_after_about(
        call: &str,
        timeout: Duration,
        wait_for: impl Fn(Duration) -> bool + Clone + Send + 'static,
    ) -> f64 {
        let mut best_ratio = f64::INFINITY;
        for attempt in 0..3 {
            let wait_for = wait_for.clone();
            let (got_it, elapsed) = call_graded_within(
                call,
                "it must give up when the timeout has passed",
                move || {
                    let started = Instant::now();
                    (wait_for(timeout), started.elapsed())
                },
            );
            let ratio = elapsed.div_duration_f64(timeout);
            if attempt == 0 {
                grader::harness::answer_with(
                    call,
                    &got_it,
                    grader::harness::AnswerOptions {
                        note: "nothing it waits for ever happened",
                        ..grader::harness::AnswerOptions::default()
                    },
                );
                if got_it {
                    return ratio;
                }
            }
            // A later attempt must agree with the first.
            assert!(
                !got_it,
                "{call} returned false on attempt 1 and true on attempt {}, though nothing it \
                 waits for ever happened",
                attempt + 1
            );
            assert!(
                ratio >= 0.9,
                "gave up too early: {call} returned after {:.2} units ({ratio:.2}x the timeout); \
                 wait (with wait_timeout) until the deadline has passed",
                in_units(elapsed)
            );
            best_ratio = best_ratio.min(ratio);
            if best_ratio <= 3.0 {
                break;
            }
        }
        assert!(
            best_ratio <= 3.0,
            "gave up too late: {call} returned after {best_ratio:.2}x the timeout at best (three \
             attempts)"
        );
        best_ratio
    }
}

/// Inside an exploration: only facade types, no time.
#[cfg(feature = "explore")]
mod explored {
    use std::panic::{self, AssertUnwindSafe};

    use labsync::sync::atomic::{AtomicUsize, Ordering};

    use super::{hint_for, payload_text};

    /// Runs graded code; if it panics with a message, fails with `call` and
    /// that message (and a hint when the message suggests a bug class).
    /// Other panics, such as the explorer's own, pass through untouched.
    pub fn graded<R>(call: &str, body: impl FnOnce() -> R) -> R {
        match panic::catch_unwind(AssertUnwindSafe(body)) {
            Ok(result) => result,
            Err(payload) => match payload_text(payload.as_ref()) {
                Some(text) => panic!("{call} panicked: {text}{}", hint_for(text)),
                None => panic::resume_unwind(payload),
            },
        }
    }

    /// Counts the threads inside a region, with the facade's atomics so
    /// that the explorer sees every step.
    #[derive(Debug, Default)]
    pub struct Occupancy {
        inside: AtomicUsize,
    }

    impl Occupancy {
        /// Enters the region; returns how many are inside now, this thread
        /// included.
        pub fn enter(&self) -> usize {
            self.inside.fetch_add(1, Ordering::SeqCst) + 1
        }

        /// Leaves the region.
        pub fn leave(&self) {
            self.inside.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Collects the first problem of a scenario for the main thread to
    /// report; see [`explorer::Problems`].
    pub use explorer::Problems;
}
