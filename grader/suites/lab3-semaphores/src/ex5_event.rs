//! Exercise 5, `Event`: one `set` wakes every waiting thread, and no waiter
//! returns before the `set` (explored); `set`, `clear`, `is_set` and `wait`
//! on a set event, and `wait_timeout` both ways (native).
//!
//! What the native calls return is recorded with `grader::harness::answer`
//! and compared by the grader with the reference solution's; how long the
//! waits took is judged here, as ratios to the timeout.

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::explore;
    use lab3_semaphores::Event;
    use labsync::sync::Arc;
    use labsync::sync::atomic::{AtomicBool, Ordering};
    use labsync::thread;

    pub fn event_set_wakes_every_waiting_thread() {
        // Two workers wait for "initialised"; the master sets it once. With
        // notify_one only one worker wakes up and the other sleeps forever:
        // the explorer reports a deadlock or lost wake-up.
        explore(|| {
            let initialised = Arc::new(Event::new());
            let set_was_called = Arc::new(AtomicBool::new(false));
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    let (initialised, set_was_called) =
                        (Arc::clone(&initialised), Arc::clone(&set_was_called));
                    thread::spawn(move || {
                        initialised.wait();
                        // Checked by the main thread, after the joins.
                        set_was_called.load(Ordering::SeqCst)
                    })
                })
                .collect();
            set_was_called.store(true, Ordering::SeqCst);
            initialised.set();
            for worker in workers {
                let after_set = worker.join().unwrap();
                assert!(
                    after_set,
                    "Event::wait returned before anybody called set: wait must block while the \
                     flag is cleared"
                );
            }
            assert!(initialised.is_set(), "is_set() is false after set()");
        });
    }
}

/// Real threads and real time.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::sync::Arc;
    use std::thread::sleep;
    use std::time::Duration;

    use grader::harness::answer;
    use lab3_semaphores::Event;
    use labkit::{measure, unit, units};

    use crate::support::{call_graded_within, check_gives_up_after_about, in_units};

    pub fn event_flag_can_be_set_cleared_and_read() {
        let seen = call_graded_within(
            "new / is_set / set / wait / clear on one thread",
            "wait() on a set event must return at once",
            || {
                let event = Event::new();
                let fresh = event.is_set();
                event.set();
                let after_set = event.is_set();
                event.wait();
                let wait_timeout_when_set = event.wait_timeout(Duration::ZERO);
                event.set();
                let after_second_set = event.is_set();
                event.clear();
                let after_clear = event.is_set();
                let wait_timeout_when_clear = event.wait_timeout(Duration::ZERO);
                let default_is_clear = !Event::default().is_set();
                [
                    fresh,
                    after_set,
                    wait_timeout_when_set,
                    after_second_set,
                    after_clear,
                    wait_timeout_when_clear,
                    default_is_clear,
                ]
            },
        );
        let steps = [
            "1. Event::new().is_set()",
            "2. set(), then is_set()",
            "3. wait(), then wait_timeout(0) on the set event",
            "4. set() again, then is_set()",
            "5. clear(), then is_set()",
            "6. wait_timeout(0) on the cleared event",
            "7. Event::default() is cleared: !is_set()",
        ];
        for (step, value) in steps.iter().zip(seen) {
            answer(step, &value);
        }
    }

    pub fn event_wait_timeout_gives_up_after_about_the_timeout() {
        let ratio =
            check_gives_up_after_about("Event::new().wait_timeout(5 units)", units(5), |timeout| {
                Event::new().wait_timeout(timeout)
            });
        grader::harness::metric("wait_timeout_elapsed_over_timeout", ratio);
    }

    pub fn event_wait_timeout_returns_as_soon_as_the_event_is_set() {
        let timeout = units(100);
        let (was_set, elapsed) = call_graded_within(
            "wait_timeout(100 units) while another thread sets the event after 1 unit",
            "set never woke wait_timeout",
            move || {
                let event = Arc::new(Event::new());
                let setter = {
                    let event = Arc::clone(&event);
                    std::thread::spawn(move || {
                        sleep(unit());
                        event.set();
                    })
                };
                let outcome = measure(|| event.wait_timeout(timeout));
                setter.join().unwrap();
                outcome
            },
        );
        answer(
            "wait_timeout(100 units) while another thread sets the event after 1 unit",
            &was_set,
        );
        let ratio = elapsed.div_duration_f64(timeout);
        grader::harness::metric("wait_timeout_woken_after_units", in_units(elapsed));
        assert!(
            ratio < 0.5,
            "wait_timeout was not woken by set: it returned after {:.1} units, though the event \
             was set after 1 unit (timeout 100 units)",
            in_units(elapsed)
        );
    }
}
