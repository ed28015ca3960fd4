//! Exercise 3: limiting how many jobs run at once with a semaphore.
//!
//! The calling thread takes a permit before it starts each job's thread and
//! moves the permit into that thread, which drops it when the job is done.
//! Jobs therefore start in input order, the calling thread waits whenever
//! `max_at_once` jobs are running, and at most `max_at_once` job threads
//! exist at any moment.

use std::panic;

use labsync::thread;

use crate::Semaphore;

/// Runs `work` on every job, each on its own thread, with at most
/// `max_at_once` jobs running at a time; returns the outputs in input order.
///
/// # Panics
///
/// If `max_at_once` is zero (no job could ever start), or if `work` panics
/// for some job (after every other job has finished).
pub fn run_limited<Job, Output, Work>(jobs: Vec<Job>, max_at_once: usize, work: Work) -> Vec<Output>
where
    Job: Send,
    Output: Send,
    Work: Fn(Job) -> Output + Sync,
{
    assert!(
        max_at_once > 0,
        "run_limited needs max_at_once >= 1: with no permits no job could ever start"
    );
    let slots = Semaphore::new(max_at_once);
    let work = &work;
    thread::scope(|scope| {
        // Collecting runs the loop now: each job's permit is taken in this
        // thread, before its thread starts.
        let running: Vec<_> = jobs
            .into_iter()
            .map(|job| {
                let permit = slots.permit();
                scope.spawn(move || {
                    // Dropped when the job ends, even if it panics, so a
                    // failing job never keeps a slot.
                    let _permit = permit;
                    work(job)
                })
            })
            .collect();
        running
            .into_iter()
            .map(|job_thread| {
                job_thread
                    .join()
                    .unwrap_or_else(|payload| panic::resume_unwind(payload))
            })
            .collect()
    })
}
