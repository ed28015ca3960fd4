//! Exercise 7, `RLock`: another thread is kept out until the owner has
//! released as often as it acquired, and a thread that does not own the
//! lock cannot release it (explored); the owner may acquire again and must
//! release as often, and the errors for an unlocked lock and a stranger
//! (native).

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::explore;
    use lab3_semaphores::{RLock, RLockError};
    use labsync::sync::{Arc, mpsc};
    use labsync::thread;

    use crate::support::{Occupancy, graded};

    pub fn rlock_excludes_other_threads_until_fully_released() {
        // Two threads each take the lock twice (nested) and release it
        // twice. Until the second release the other thread must stay out.
        explore(|| {
            let lock = Arc::new(RLock::new());
            let occupancy = Arc::new(Occupancy::default());
            let threads: Vec<_> = (0..2)
                .map(|_| {
                    let (lock, occupancy) = (Arc::clone(&lock), Arc::clone(&occupancy));
                    thread::spawn(move || {
                        let check = |moment: &str, inside: usize| {
                            assert!(
                                inside <= 1,
                                "mutual exclusion broken: {inside} threads inside the RLock at \
                                 once ({moment}); the lock is free only when its owner has \
                                 released as many times as it acquired"
                            );
                        };
                        graded("RLock::acquire()", || lock.acquire());
                        check("after the first acquire", occupancy.enter());
                        graded("RLock::acquire() by the owner", || lock.acquire());
                        assert_eq!(
                            lock.release(),
                            Ok(()),
                            "the owner's first release of a lock it holds twice"
                        );
                        thread::yield_now();
                        // Still held once: nobody else may have come in.
                        check("after the owner's first of two releases", occupancy.most());
                        occupancy.leave();
                        assert_eq!(lock.release(), Ok(()), "the owner's second release");
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
        });
    }

    pub fn rlock_release_by_a_thread_that_does_not_own_it_is_an_error() {
        // The main thread holds the lock until a stranger has tried to
        // release it; then the stranger waits its turn. The stranger's
        // release must be refused, and the owner must keep the lock.
        explore(|| {
            let lock = Arc::new(RLock::new());
            let occupancy = Arc::new(Occupancy::default());
            let (tried_sender, tried) = mpsc::channel();
            lock.acquire();
            occupancy.enter();
            let stranger = {
                let (lock, occupancy) = (Arc::clone(&lock), Arc::clone(&occupancy));
                thread::spawn(move || {
                    let refused = lock.release();
                    tried_sender.send(()).unwrap();
                    assert_eq!(
                        refused,
                        Err(RLockError::NotOwner),
                        "a thread released an RLock held by another thread: release must check \
                         the owner (labsync::thread::current().id()), not only that the lock \
                         is held"
                    );
                    graded("RLock::acquire() by the stranger", || lock.acquire());
                    let inside = occupancy.enter();
                    assert_eq!(
                        inside, 1,
                        "mutual exclusion broken: the stranger got in while the owner was inside"
                    );
                    occupancy.leave();
                    assert_eq!(
                        lock.release(),
                        Ok(()),
                        "the stranger's release of its own lock"
                    );
                })
            };
            tried.recv().unwrap();
            assert!(
                lock.is_held_by_current_thread(),
                "the owner lost the lock when a stranger tried to release it"
            );
            occupancy.leave();
            assert_eq!(lock.release(), Ok(()), "the owner's release");
            stranger.join().unwrap();
        });
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::sync::Arc;

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
        assert_eq!(
            owner_steps,
            (
                false,
                true,
                [Ok(()), Ok(()), Ok(()), Err(RLockError::NotLocked)],
                false
            ),
            "expected (not held when new, held after 3 acquires, 3 releases Ok then \
             Err(NotLocked), not held at the end)"
        );

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
                        lock.release().unwrap();
                        lock.release().unwrap();
                    })
                };
                done.recv().unwrap();
                let mine = lock.is_held_by_current_thread();
                let refused = lock.release();
                held.send(()).unwrap();
                lock.acquire();
                let mine_now = lock.is_held_by_current_thread();
                let released = lock.release();
                owner.join().unwrap();
                (mine, refused, mine_now, released)
            },
        );
        assert_eq!(
            stranger_view,
            (false, Err(RLockError::NotOwner), true, Ok(())),
            "expected (another thread's lock is not held by me, my release of it is \
             Err(NotOwner), after its owner released it twice I can acquire it, and release it)"
        );
    }
}
