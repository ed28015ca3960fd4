//! Exercise 7, `RLock`: another thread is kept out until the owner has
//! released as often as it acquired, and a thread that does not own the
//! lock cannot release it (explored); the owner may acquire again and must
//! release as often, and the errors for an unlocked lock and a stranger
//! (native).
//!
//! The native test records what each call returned (whether a release went
//! through) with `grader::harness::answer`, for the grader to compare with
//! the reference solution's; which error a refusal carries (the lab's own
//! `RLockError`) is checked here.

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::explore;
    use lab3_semaphores::{RLock, RLockError};
    use labsync::sync::{Arc, mpsc};
    use labsync::thread;

    use crate::support::{Occupancy, Problems, graded};

    const EXCLUSION_BROKEN: &str = "the lock is free only when its owner has released as many \
                                    times as it acquired, and only the owner may release it";

    pub fn rlock_excludes_other_threads_until_fully_released() {
        // Two threads each take the lock twice (nested) and release it
        // twice. Until the second release the other thread must stay out.
        explore(|| {
            let lock = Arc::new(RLock::new());
            let occupancy = Arc::new(Occupancy::default());
            let problems = Arc::new(Problems::default());
            let threads: Vec<_> = (0..2)
                .map(|_| {
                    let (lock, occupancy, problems) = (
                        Arc::clone(&lock),
                        Arc::clone(&occupancy),
                        Arc::clone(&problems),
                    );
                    thread::spawn(move || {
                        graded("RLock::acquire()", || lock.acquire());
                        let inside = occupancy.enter();
                        if inside > 1 {
                            problems.report(|| {
                                format!(
                                    "mutual exclusion broken: {inside} threads inside the RLock \
                                     at once; {EXCLUSION_BROKEN}"
                                )
                            });
                        }
                        graded("RLock::acquire() by its owner", || lock.acquire());
                        let first_release = lock.release();
                        // Still held once: the other thread must not get in
                        // here.
                        thread::yield_now();
                        occupancy.leave();
                        let second_release = lock.release();
                        [first_release, second_release]
                    })
                })
                .collect();
            for thread in threads {
                let releases = thread.join().unwrap();
                assert_eq!(
                    releases,
                    [Ok(()), Ok(())],
                    "the owner of a lock acquired twice must be able to release it twice"
                );
            }
            problems.fail_on_first();
        });
    }

    pub fn rlock_release_by_a_thread_that_does_not_own_it_is_an_error() {
        // The main thread holds the lock until a stranger has tried to
        // release it; then the stranger waits its turn. The stranger's
        // release must be refused, and the owner must keep the lock.
        explore(|| {
            let lock = Arc::new(RLock::new());
            let occupancy = Arc::new(Occupancy::default());
            let problems = Arc::new(Problems::default());
            let (tried_sender, tried) = mpsc::channel();
            lock.acquire();
            occupancy.enter();
            let stranger = {
                let (lock, occupancy, problems) = (
                    Arc::clone(&lock),
                    Arc::clone(&occupancy),
                    Arc::clone(&problems),
                );
                thread::spawn(move || {
                    let refused = lock.release();
                    tried_sender.send(refused).unwrap();
                    if refused.is_ok() {
                        // The main thread reports it.
                        return Ok(());
                    }
                    graded("RLock::acquire() by the stranger", || lock.acquire());
                    let inside = occupancy.enter();
                    if inside > 1 {
                        problems.report(|| {
                            format!(
                                "mutual exclusion broken: the stranger got into the RLock while \
                                 its owner was inside; {EXCLUSION_BROKEN}"
                            )
                        });
                    }
                    occupancy.leave();
                    lock.release()
                })
            };
            let refused = tried.recv().unwrap();
            assert_eq!(
                refused,
                Err(RLockError::NotOwner),
                "a thread released an RLock held by another thread: release must check the owner \
                 (labsync::thread::current().id()), not only that the lock is held"
            );
            assert!(
                lock.is_held_by_current_thread(),
                "the owner lost the lock when a stranger tried to release it"
            );
            occupancy.leave();
            assert_eq!(lock.release(), Ok(()), "the owner's release");
            let stranger_release = stranger.join().unwrap();
            problems.fail_on_first();
            assert_eq!(
                stranger_release,
                Ok(()),
                "the stranger, once it owned the lock, could not release it"
            );
        });
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::sync::Arc;

    use grader::harness::{AnswerOptions, answer, answer_with};
    use lab3_semaphores::{RLock, RLockError};

    use crate::support::call_graded_within;

    pub fn rlock_owner_can_acquire_again_and_must_release_as_often() {
        let owner_steps = call_graded_within(
            "acquire x3 then release x4 on one thread",
            "the owner blocked on its own lock: a reentrant lock must let its owner acquire again",
            || {
                let lock = RLock::new();
                let fresh = lock.is_held_by_current_thread();
                lock.acquire();
                lock.acquire();
                lock.acquire();
                let held = lock.is_held_by_current_thread();
                let releases = [
                    lock.release(),
                    lock.release(),
                    lock.release(),
                    lock.release(),
                ];
                (fresh, held, releases, lock.is_held_by_current_thread())
            },
        );
        let (fresh, held, releases, held_at_end) = owner_steps;
        // What a refusal says is the lab's own error type, checked here:
        // the owner of a lock is never refused as a stranger.
        for refusal in releases.iter().filter_map(|outcome| outcome.as_ref().err()) {
            assert_eq!(
                *refusal,
                RLockError::NotLocked,
                "the owner's release of a lock it no longer holds must be refused as NotLocked"
            );
        }
        answer("1. RLock::new(): is_held_by_current_thread()", &fresh);
        answer("2. acquire() x3: is_held_by_current_thread()", &held);
        answer_with(
            "3. release() x4 by the owner",
            &releases.each_ref().map(ok_or_refused),
            AnswerOptions {
                note: "the owner must release as often as it acquired, and a release too many is \
                       refused",
                ..AnswerOptions::default()
            },
        );
        answer("4. then is_held_by_current_thread()", &held_at_end);

        // While another thread holds it: not ours, and not ours to release;
        // once it is fully released, ours to take.
        let stranger_view = call_graded_within(
            "another thread holds the lock twice, then releases it twice",
            "the lock was never free again (did the owner's releases not wake the waiter?)",
            || {
                let lock = Arc::new(RLock::new());
                let (held, release) = std::sync::mpsc::channel::<()>();
                let (done_sender, done) = std::sync::mpsc::channel::<()>();
                let owner = {
                    let lock = Arc::clone(&lock);
                    std::thread::spawn(move || {
                        lock.acquire();
                        lock.acquire();
                        done_sender.send(()).unwrap();
                        release.recv().unwrap();
                        // Returned, not unwrapped: if a stranger's release
                        // was accepted, the test reports that instead.
                        [lock.release(), lock.release()]
                    })
                };
                done.recv().unwrap();
                let mine = lock.is_held_by_current_thread();
                let refused = lock.release();
                held.send(()).unwrap();
                if refused.is_ok() {
                    // The stranger's release was accepted; acquiring now
                    // could wait forever, and the verdict is known.
                    return (mine, refused, None);
                }
                lock.acquire();
                let mine_now = lock.is_held_by_current_thread();
                let released = lock.release();
                let owner_releases = owner.join().unwrap();
                (mine, refused, Some((owner_releases, mine_now, released)))
            },
        );
        let (mine, refused, afterwards) = stranger_view;
        if let Err(refusal) = &refused {
            assert_eq!(
                *refusal,
                RLockError::NotOwner,
                "a release by a thread that does not own the lock must be refused as NotOwner"
            );
        }
        answer(
            "another thread holds the lock: is_held_by_current_thread() here",
            &mine,
        );
        answer_with(
            "another thread holds the lock: release() here",
            &ok_or_refused(&refused),
            AnswerOptions {
                note: "release must check the owner (thread::current().id()), not only that the \
                       lock is held",
                ..AnswerOptions::default()
            },
        );
        answer(
            "then [the owner's release() x2, acquire() here and is_held_by_current_thread(), \
             release() here]",
            &afterwards.map(|(owner_releases, mine_now, released)| {
                (
                    owner_releases.each_ref().map(ok_or_refused),
                    mine_now,
                    ok_or_refused(&released),
                )
            }),
        );
    }

    /// A release's outcome as the grader compares it: whether it went
    /// through. What a refusal says is the lab's own type, checked in the
    /// test.
    fn ok_or_refused(outcome: &Result<(), RLockError>) -> &'static str {
        match outcome {
            Ok(()) => "Ok",
            Err(_) => "refused",
        }
    }
}
