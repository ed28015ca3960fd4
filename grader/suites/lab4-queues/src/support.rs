//! Helpers shared by the lab 4 suite's tests.
//!
//! Native tests (real threads): calling graded code with context and a time
//! limit (from `grader::harness`), durations in units, and the check that a
//! call with a timeout gives up after about that timeout. Exploring tests:
//! running a scenario under the explorer so that every failure starts with
//! its bug class, calling graded code with context, named threads, and a
//! place where threads report problems for the main thread to fail with.
//!
//! Graded code may panic (a `todo!()` stub does, and so does an `unwrap` on
//! an empty queue) or hang (a lost wake-up). These helpers turn both into a
//! failure whose message says which call went wrong. They never decide
//! whether a value is right: values are recorded with
//! `grader::harness::answer` and the grader compares them with the
//! reference solution's.

/// What a panic message suggests about the bug, for the failure message.
pub fn hint_for(panic_text: &str) -> &'static str {
    if panic_text.contains("subtract with overflow") {
        " (a count went below zero: a thread took an item, a slot or a task that was not there - \
         an `if` instead of a `while` around Condvar::wait, or a count kept outside the queue's \
         lock?)"
    } else if panic_text.contains("on a `None` value") {
        " (an item was taken from an empty queue: a woken thread must look at the queue again, \
         in a `while` loop, before taking)"
    } else {
        ""
    }
}

/// Real threads, real time.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::time::Duration;

    pub use grader::harness::call_graded_within;

    use super::hint_for;

    /// How long a rendezvous waits for something that a correct
    /// implementation does within microseconds. Generous, so that a loaded
    /// two-core machine never fails a correct solution; only a wrong one
    /// ever waits this long.
    pub const PATIENCE: Duration = Duration::from_secs(5);

    /// `duration` in units of `labkit::unit()`.
    pub fn in_units(duration: Duration) -> f64 {
        duration.div_duration_f64(labkit::unit())
    }

    /// [`call_graded_within`], with a hint added to a panic's message when
    /// the message suggests a bug class.
    pub fn call_graded_with_hint<R: Send + 'static>(
        call: &str,
        hang_hint: &str,
        body: impl FnOnce() -> R + Send + 'static,
    ) -> R {
        call_graded_with_hint_within(call, hang_hint, grader::harness::HANG_LIMIT, body)
    }

    /// How long a run of tens of thousands of items through a small queue
    /// may take before it counts as hung. A correct run takes tens of
    /// milliseconds, also on a loaded two-core machine; the known bugs
    /// (a sender never dropped, results collected after joining) hang
    /// forever, and a shorter limit reports them sooner.
    pub const SHORT_HANG_LIMIT: Duration = Duration::from_secs(3);

    /// [`call_graded_with_hint`] with its own hang limit.
    pub fn call_graded_with_hint_within<R: Send + 'static>(
        call: &str,
        hang_hint: &str,
        hang_limit: Duration,
        body: impl FnOnce() -> R + Send + 'static,
    ) -> R {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            grader::harness::call_graded_within_limit(call, hang_hint, hang_limit, body)
        }));
        match outcome {
            Ok(result) => result,
            Err(payload) => {
                let message = grader::harness::panic_text(payload.as_ref());
                if message.starts_with("hang:") {
                    panic!("{message}");
                }
                panic!("{message}{}", hint_for(&message));
            }
        }
    }

    /// Checks that `wait_for(timeout)`, graded code that waits for
    /// something that never comes, gives up after about `timeout`: never
    /// before 0.9x the timeout, and at most 3x it. Returns the ratio
    /// elapsed / timeout that was judged.
    ///
    /// `wait_for` returns the call's outcome as text and whether that
    /// outcome says the time ran out. The first attempt's text is recorded
    /// as the answer `call`, for the grader to compare with the reference's;
    /// an outcome that does not say the time ran out waited for nothing, so
    /// its timing is not judged. The early bound holds on every attempt (a
    /// wait is never cut short by a busy machine). A stall of the machine
    /// can stretch one attempt, so the late bound is judged on the best of
    /// up to three attempts.
    pub fn check_gives_up_after_about(
        call: &str,
        timeout: Duration,
        wait_for: impl Fn(Duration) -> (String, bool) + Clone + Send + 'static,
    ) -> f64 {
        let mut best_ratio = f64::INFINITY;
        for attempt in 0..3 {
            let wait_for = wait_for.clone();
            let ((shown, timed_out), elapsed) = call_graded_within(
                call,
                "it must give up when the timeout has passed",
                move || labkit::measure(|| wait_for(timeout)),
            );
            let ratio = elapsed.div_duration_f64(timeout);
            if attempt == 0 {
                grader::harness::answer(call, &shown);
                if !timed_out {
                    return ratio;
                }
            }
            // A later attempt must agree with the first.
            assert!(
                timed_out,
                "{call} said the time ran out on attempt 1, and returned {shown} on attempt {}",
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
pub mod explored {
    use std::panic::{self, AssertUnwindSafe};

    use explorer::Exploration;
    use grader::harness::panic_text;

    use super::hint_for;

    /// How failure messages that already name their bug class begin: the
    /// classes the explorer recognises itself, a stub, and the classes this
    /// suite's assertions name. Any other failure is a panic inside graded
    /// code, and gets the test's hint in front.
    const NAMED_FAILURES: &[&str] = &[
        "deadlock or lost wake-up",
        "livelock",
        "a std::sync or std::thread type",
        "over capacity",
        "gave up on an open queue",
        "items lost or duplicated",
        "order broken",
        "close did not",
        "join returned early",
        "task_done refused",
        "wrong answer",
        "backpressure broken",
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
    /// threads: a stub's `todo!()`, `unwrap` on `None`, an arithmetic
    /// overflow) is reported as `"{when_graded_code_panics}: {message}"`.
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
        // The explorer leads with the first panic of the failing execution,
        // as `thread 'NAME' panicked at FILE:LINE: MESSAGE`; a scenario
        // thread's own assertion there names its class too.
        let own_message = match message.split_once(" panicked at ") {
            Some((thread, rest)) if thread.starts_with("thread '") => {
                rest.split_once(": ").map_or(rest, |(_, text)| text)
            }
            _ => message.as_str(),
        };
        if NAMED_FAILURES
            .iter()
            .any(|class| message.starts_with(class) || own_message.starts_with(class))
        {
            panic!("{message}");
        }
        let first_line = message.lines().next().unwrap_or("");
        panic!(
            "{when_graded_code_panics}: {message}{}",
            hint_for(first_line)
        );
    }

    /// Runs graded code; if it panics with a text message, fails with
    /// `call` and that message. Other panics, such as the explorer's own,
    /// pass through untouched.
    pub fn graded<R>(call: &str, body: impl FnOnce() -> R) -> R {
        match panic::catch_unwind(AssertUnwindSafe(body)) {
            Ok(result) => result,
            Err(payload) => {
                let is_text = payload.downcast_ref::<&str>().is_some()
                    || payload.downcast_ref::<String>().is_some();
                if is_text {
                    let text = panic_text(payload.as_ref());
                    panic!("{call} panicked: {text}{}", hint_for(&text));
                }
                panic::resume_unwind(payload)
            }
        }
    }

    /// Starts a named thread in the scenario: deadlock reports list blocked
    /// threads by name (`getter-2`), not as `<unknown>`.
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

    /// Collects the first problem of a scenario for the main thread to
    /// report; see [`explorer::Problems`].
    pub use explorer::Problems;
}
