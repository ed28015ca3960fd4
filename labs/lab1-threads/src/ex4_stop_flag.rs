//! Exercise 4: a worker that runs until another thread raises a stop flag.
//!
//! The lecture's bananas keep being picked until the apples are done: one
//! thread loops, another decides when it should stop. Rust has no way to
//! kill a thread from outside, and that is a good thing: a thread killed in
//! the middle of its work could leave a lock held or data half written.
//! Instead the threads cooperate: they share an `AtomicBool`, the deciding
//! thread sets it, and the worker checks it often and stops at a point of
//! its own choosing.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::thread::JoinHandle;

/// Starts a thread that calls `step` again and again until `stop` becomes
/// `true`, and returns its handle; `join` gives the number of steps run.
///
/// Check the flag before every step (`stop.load(Ordering::Acquire)`), so
/// that the worker does at most one more step after the flag is raised and
/// does no step at all if the flag is already raised when it starts. Count
/// the steps it really ran.
///
/// The idea: an atomic can be read and written by several threads at once
/// without a lock. Sharing it needs an `Arc` (the worker thread owns one
/// handle, the caller keeps another), and `step` must be `Send + 'static`
/// to move into the new thread. Add `mut` to the `step` parameter: an
/// `FnMut` changes its own captured state when called.
///
/// Pitfall: reading the flag once before the loop (`if !stop.load(..) {
/// loop { step() } }`) never sees it change, and the worker runs forever.
/// Checking it only every thousand steps makes the worker late to stop.
///
/// ```no_run
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicBool, Ordering};
///
/// let stop = Arc::new(AtomicBool::new(false));
/// let worker = lab1_threads::spawn_until_stopped(Arc::clone(&stop), || {
///     std::thread::sleep(std::time::Duration::from_millis(1));
/// });
/// std::thread::sleep(std::time::Duration::from_millis(50));
/// stop.store(true, Ordering::Release);
/// let n_steps = worker.join().unwrap();
/// assert!(n_steps > 0);
/// ```
pub fn spawn_until_stopped<Step>(stop: Arc<AtomicBool>, step: Step) -> JoinHandle<u64>
where
    Step: FnMut() + Send + 'static,
{
    let _ = (stop, step);
    todo!("exercise 4: spawn_until_stopped")
}
