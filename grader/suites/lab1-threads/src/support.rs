//! Helpers shared by the lab 1 suite's tests: deadlines, calling graded code
//! with context and a time limit, repeating a timed scenario, and durations
//! expressed in units.
//!
//! Graded code may panic (a `todo!()` stub does) or hang (a deadlocked
//! pool). These helpers turn both into a failure whose message says which
//! call went wrong, so that a student reads "pool_map(...) did not return
//! within 10 s" rather than a bare timeout. They never decide whether a
//! result is right; the tests do.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a rendezvous waits for something that a correct implementation
/// does within microseconds. Generous, so that a loaded two-core machine
/// never fails a correct solution; only a wrong one ever waits this long.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// How long a call to graded code may take before the test calls it hung.
/// Every call it guards finishes in well under a second when correct.
pub const HANG_LIMIT: Duration = Duration::from_secs(10);

/// How many times a timed scenario may run before its best time counts.
/// A busy machine can delay a wake-up by tens of milliseconds; a second or
/// third try usually gets a quiet moment. A wrong implementation gains
/// nothing from the retries, because the tests compare with a floor set by
/// sleeps, which no serial run can ever beat.
pub const TIMING_ATTEMPTS: usize = 3;

/// Runs `scenario` (which checks its own results) and times it, up to
/// [`TIMING_ATTEMPTS`] times, stopping as soon as a run is `fast_enough`.
/// Returns the fastest time seen.
pub fn fastest_attempt(
    mut scenario: impl FnMut(),
    fast_enough: impl Fn(Duration) -> bool,
) -> Duration {
    let mut fastest = Duration::MAX;
    for _ in 0..TIMING_ATTEMPTS {
        let ((), elapsed) = labkit::measure(&mut scenario);
        fastest = fastest.min(elapsed);
        if fast_enough(fastest) {
            break;
        }
    }
    fastest
}

/// The moment [`PATIENCE`] from now; share one deadline between all the
/// waits of a test so that a wrong implementation fails in bounded time.
pub fn patience_deadline() -> Instant {
    Instant::now() + PATIENCE
}

/// `duration` in units of `labkit::unit()`.
pub fn in_units(duration: Duration) -> f64 {
    duration.div_duration_f64(labkit::unit())
}

/// Runs graded code and, if it panics, fails the test with a message that
/// starts with `call` (how the code was called) followed by the panic's text.
pub fn call_graded<R>(call: &str, body: impl FnOnce() -> R) -> R {
    match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => panic!("{call} panicked: {}", panic_text(payload.as_ref())),
    }
}

/// Like [`call_graded`], but on a helper thread, and fails the test if the
/// call has not returned after [`HANG_LIMIT`]. `hang_hint` names the likely
/// cause of a hang, for the failure message.
///
/// The helper thread of a hung call is left behind; the test process ends
/// right after the test, which takes it down.
pub fn call_graded_within<R: Send + 'static>(
    call: &str,
    hang_hint: &str,
    body: impl FnOnce() -> R + Send + 'static,
) -> R {
    let (result_sender, result_receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("graded-call".to_owned())
        .spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(body))
                .map_err(|payload| panic_text(payload.as_ref()));
            // The test may have given up already; then nobody listens.
            let _ = result_sender.send(outcome);
        })
        .expect("the suite could not start a helper thread");
    match result_receiver.recv_timeout(HANG_LIMIT) {
        Ok(Ok(result)) => result,
        Ok(Err(message)) => panic!("{call} panicked: {message}"),
        Err(_) => panic!(
            "hang: {call} did not return within {} s; {hang_hint}",
            HANG_LIMIT.as_secs()
        ),
    }
}

/// The text of a panic payload (`panic!` carries a `&str` or a `String`).
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "<a panic without a text message>".to_owned()
    }
}
