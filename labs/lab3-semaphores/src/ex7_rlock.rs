//! Exercise 7: a reentrant lock (Python's `RLock`).
//!
//! An ordinary lock deadlocks when the thread holding it tries to take it
//! again: it waits for itself. A *reentrant* lock remembers which thread
//! owns it and how many times that thread has acquired it. The owner may
//! acquire again (a recursive function, or a method that calls another
//! method that also locks); every acquire needs a matching release, and
//! the lock is free for others only when the count is back to zero.
//! Releasing a lock one does not own is a bug, reported as an error.

use std::fmt;

/// Why [`RLock::release`] refused. Provided complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RLockError {
    /// Nobody holds the lock.
    NotLocked,
    /// Another thread holds the lock; only the owner may release it.
    NotOwner,
}

impl fmt::Display for RLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RLockError::NotLocked => write!(f, "cannot release an RLock that nobody holds"),
            RLockError::NotOwner => {
                write!(
                    f,
                    "cannot release an RLock held by another thread; only its owner may"
                )
            }
        }
    }
}

impl std::error::Error for RLockError {}

/// A lock that the thread holding it may acquire again.
///
/// Suggested state: a `Mutex<Option<(ThreadId, usize)>>` (the owner and
/// how many times it holds the lock; `None` when free) and a `Condvar` for
/// threads waiting for the lock to become free. A thread knows itself by
/// `labsync::thread::current().id()` (a `labsync::thread::ThreadId`).
///
/// Unlike `Mutex<T>`, this lock guards no data of its own, like Python's:
/// it protects whatever the threads agree it protects.
#[derive(Debug)]
pub struct RLock {
    // Your fields.
}

impl Default for RLock {
    /// A free lock, like [`RLock::new`]. Provided complete.
    fn default() -> RLock {
        RLock::new()
    }
}

impl RLock {
    /// A lock that nobody holds.
    pub fn new() -> RLock {
        todo!("exercise 7: RLock::new")
    }

    /// Takes the lock. If the calling thread already holds it, counts one
    /// more acquisition and returns at once; if another thread holds it,
    /// waits until that thread has released it completely.
    pub fn acquire(&self) {
        todo!("exercise 7: RLock::acquire")
    }

    /// Gives back one acquisition. When the owner has released as many
    /// times as it acquired, the lock is free and one waiting thread is
    /// woken.
    ///
    /// Errors: [`RLockError::NotLocked`] if nobody holds the lock,
    /// [`RLockError::NotOwner`] if another thread holds it. Either way
    /// nothing changes.
    ///
    /// Pitfall: checking only that the lock is held, not *who* holds it.
    /// Then any thread can release the owner's lock, and a third thread
    /// walks into the owner's critical section.
    pub fn release(&self) -> Result<(), RLockError> {
        todo!("exercise 7: RLock::release")
    }

    /// Whether the calling thread holds the lock.
    pub fn is_held_by_current_thread(&self) -> bool {
        todo!("exercise 7: RLock::is_held_by_current_thread")
    }
}
