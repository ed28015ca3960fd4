//! Exercise 4: a worker that runs until another thread raises a stop flag.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};

/// Starts a thread that calls `step` again and again until `stop` is raised,
/// checking the flag before every step, and returns how many steps it ran.
pub fn spawn_until_stopped<Step>(stop: Arc<AtomicBool>, mut step: Step) -> JoinHandle<u64>
where
    Step: FnMut() + Send + 'static,
{
    thread::spawn(move || {
        let mut n_steps = 0;
        // Acquire pairs with the Release (or stronger) store of whoever
        // raises the flag, so anything they wrote before is visible here.
        while !stop.load(Ordering::Acquire) {
            step();
            n_steps += 1;
        }
        n_steps
    })
}
