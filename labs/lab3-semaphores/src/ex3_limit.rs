//! Exercise 3: limiting concurrency with a semaphore.
//!
//! The lecture runs jobs of 1, 2 and 3 time units, each on its own thread,
//! and lets them in through a semaphore. With 2 permits, jobs 1 and 2
//! start at once; job 3 starts when job 1 ends (after 1 unit) and ends 3
//! units later: 4 units in all. With 1 permit the semaphore is a mutex and
//! the jobs run one after another: 1 + 2 + 3 = 6 units. With 3 permits,
//! 3 units. The number of permits is a dial between "all at once" and "one
//! at a time".

/// Runs `work` on every job, each on its own thread, with at most
/// `max_at_once` jobs running at the same time, and returns the outputs in
/// input order.
///
/// What to build:
/// - Make a [`crate::Semaphore`] with `max_at_once` permits.
/// - In a `labsync::thread::scope`, go through the jobs in order. For each,
///   take a permit *in the calling thread* with [`crate::Semaphore::permit`],
///   then spawn a scoped thread and move the permit into it together with
///   the job; the thread runs `work(job)` and drops the permit when it is
///   done.
/// - Join the threads in input order and collect their outputs.
///
/// The idea: the semaphore's count is the number of free slots. Taking the
/// permit before spawning means the jobs start in input order and never
/// more than `max_at_once` job threads exist at once: the loop itself waits
/// for a free slot.
///
/// Pitfall: starting every thread first and letting each take its permit
/// inside. The limit still holds, but the threads race for the permits, so
/// the jobs start in whatever order the threads happen to run (the lecture's
/// 4 units may become 3 or 4), and all the threads exist from the start.
///
/// # Panics
///
/// If `max_at_once` is zero (no job could ever start). You may assume
/// `work` does not panic.
///
/// ```no_run
/// use lab3_semaphores::run_limited;
///
/// let doubled = run_limited(vec![1, 2, 3], 2, |job| job * 2);
/// assert_eq!(doubled, vec![2, 4, 6]);
/// ```
pub fn run_limited<Job, Output, Work>(jobs: Vec<Job>, max_at_once: usize, work: Work) -> Vec<Output>
where
    Job: Send,
    Output: Send,
    Work: Fn(Job) -> Output + Sync,
{
    let _ = (jobs, max_at_once, work);
    todo!("exercise 3: run_limited")
}
