//! Exercise 4, `spawn_until_stopped`: the worker notices the stop flag
//! within a bounded number of steps, reports exactly the steps it ran, runs
//! them on its own thread, and does nothing when stopped before it starts.
//!
//! "Notices quickly" is measured in steps, not time: after the flag is
//! raised, a worker that checks it before every step runs at most one more
//! step, however slow or loaded the machine is. Joins are bounded, so a
//! worker that never stops fails the test instead of hanging it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use lab1_threads::spawn_until_stopped;

use crate::support::{PATIENCE, call_graded_within, panic_text, patience_deadline};

/// Waits until `steps` reaches `target`, or fails the test at the deadline.
fn wait_for_steps(steps: &AtomicU64, target: u64) {
    let deadline = patience_deadline();
    while steps.load(Ordering::SeqCst) < target {
        assert!(
            Instant::now() < deadline,
            "the worker ran only {} steps in {} s; spawn_until_stopped must start a thread \
             that calls step again and again",
            steps.load(Ordering::SeqCst),
            PATIENCE.as_secs()
        );
        thread::sleep(Duration::from_millis(1));
    }
}

/// Calls `spawn_until_stopped` on a helper thread under a time limit, so
/// that an implementation looping on the caller's thread fails instead of
/// hanging. Returns the worker's handle and the id of the calling thread.
fn start_worker(
    stop: &Arc<AtomicBool>,
    step: impl FnMut() + Send + 'static,
) -> (JoinHandle<u64>, ThreadId) {
    let stop = Arc::clone(stop);
    call_graded_within(
        "spawn_until_stopped(stop, step)",
        "it must return the worker's handle at once and leave the looping to the new thread",
        move || (spawn_until_stopped(stop, step), thread::current().id()),
    )
}

/// Joins the worker, failing the test if it has not stopped within
/// [`PATIENCE`] or if it panicked.
fn join_stopped_worker(worker: JoinHandle<u64>, steps: &AtomicU64, steps_at_stop: u64) -> u64 {
    let deadline = patience_deadline();
    while !worker.is_finished() {
        assert!(
            Instant::now() < deadline,
            "never stopped: {} s after the stop flag was raised the worker was still running \
             ({} steps after the flag); read the flag before every step, not once before the \
             loop",
            PATIENCE.as_secs(),
            steps.load(Ordering::SeqCst) - steps_at_stop
        );
        thread::sleep(Duration::from_millis(1));
    }
    worker.join().unwrap_or_else(|payload| {
        panic!(
            "the worker thread panicked: {}",
            panic_text(payload.as_ref())
        )
    })
}

pub fn stop_flag_is_noticed_within_two_steps() {
    let stop = Arc::new(AtomicBool::new(false));
    let steps = Arc::new(AtomicU64::new(0));
    let worker_steps = Arc::clone(&steps);
    let (worker, _) = start_worker(&stop, move || {
        worker_steps.fetch_add(1, Ordering::SeqCst);
    });
    wait_for_steps(&steps, 1_000);
    stop.store(true, Ordering::SeqCst);
    // Every step counted from here on started after the flag was raised,
    // except at most the one that had already checked it.
    let steps_at_stop = steps.load(Ordering::SeqCst);
    join_stopped_worker(worker, &steps, steps_at_stop);
    let steps_after_stop = steps.load(Ordering::SeqCst) - steps_at_stop;
    assert!(
        steps_after_stop <= 2,
        "noticed the stop flag late: the worker ran {steps_after_stop} more steps after the \
         flag was raised; check it before every step"
    );
}

pub fn stopped_worker_reports_exactly_the_steps_it_ran() {
    let stop = Arc::new(AtomicBool::new(false));
    let steps = Arc::new(AtomicU64::new(0));
    let step_threads: Arc<Mutex<Vec<ThreadId>>> = Arc::default();
    let (worker_steps, worker_threads) = (Arc::clone(&steps), Arc::clone(&step_threads));
    let (worker, caller_thread) = start_worker(&stop, move || {
        let this_thread = thread::current().id();
        let mut threads = worker_threads.lock().expect("recording never panics");
        if !threads.contains(&this_thread) {
            threads.push(this_thread);
        }
        drop(threads);
        worker_steps.fetch_add(1, Ordering::SeqCst);
    });
    wait_for_steps(&steps, 500);
    stop.store(true, Ordering::SeqCst);
    let steps_at_stop = steps.load(Ordering::SeqCst);
    let reported = join_stopped_worker(worker, &steps, steps_at_stop);
    let ran = steps.load(Ordering::SeqCst);
    assert_eq!(
        reported, ran,
        "miscounted: the worker reported {reported} steps but step was called {ran} times"
    );
    let step_threads = step_threads.lock().expect("recording never panics").clone();
    assert!(
        step_threads.len() == 1 && step_threads[0] != caller_thread,
        "the steps must all run on the one new thread, not on the caller's: they ran on {} \
         thread(s){}",
        step_threads.len(),
        if step_threads.contains(&caller_thread) {
            ", including the caller's"
        } else {
            ""
        }
    );
}

pub fn stop_flag_raised_before_start_means_no_steps() {
    let stop = Arc::new(AtomicBool::new(true));
    let steps = Arc::new(AtomicU64::new(0));
    let worker_steps = Arc::clone(&steps);
    let (worker, _) = start_worker(&stop, move || {
        worker_steps.fetch_add(1, Ordering::SeqCst);
    });
    let reported = join_stopped_worker(worker, &steps, 0);
    let ran = steps.load(Ordering::SeqCst);
    assert!(
        reported == 0 && ran == 0,
        "the stop flag was raised before the worker started, yet step ran {ran} time(s) and \
         the worker reported {reported}; check the flag before the first step too"
    );
}
