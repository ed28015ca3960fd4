//! Exercise 7: a reentrant lock (Python's `RLock`).
//!
//! The state is "who owns the lock and how many times": `None` when free,
//! `Some(Ownership)` when held. A thread is recognised by
//! `labsync::thread::current().id()`. Only the owner may release, and the
//! lock becomes free (and a waiter is woken) only when the owner has
//! released as many times as it acquired.

use std::fmt;

use labsync::sync::{Condvar, Mutex};
use labsync::thread::{self, ThreadId};

use crate::ignore_poison;

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
#[derive(Debug)]
pub struct RLock {
    owner: Mutex<Option<Ownership>>,
    freed: Condvar,
}

#[derive(Debug)]
struct Ownership {
    thread: ThreadId,
    /// Acquisitions not yet matched by a release; at least 1.
    depth: usize,
}

impl Default for RLock {
    /// A free lock, like [`RLock::new`].
    fn default() -> RLock {
        RLock::new()
    }
}

impl RLock {
    /// A lock that nobody holds.
    pub fn new() -> RLock {
        RLock {
            owner: Mutex::new(None),
            freed: Condvar::new(),
        }
    }

    /// Takes the lock, or takes it once more if this thread already holds
    /// it; waits while another thread holds it.
    pub fn acquire(&self) {
        let me = thread::current().id();
        let mut owner = ignore_poison(self.owner.lock());
        loop {
            match owner.as_mut() {
                None => {
                    *owner = Some(Ownership {
                        thread: me,
                        depth: 1,
                    });
                    return;
                }
                Some(ownership) if ownership.thread == me => {
                    ownership.depth += 1;
                    return;
                }
                Some(_) => owner = ignore_poison(self.freed.wait(owner)),
            }
        }
    }

    /// Gives back one acquisition; the lock is free once the owner has
    /// released as often as it acquired. Only the owner may release.
    pub fn release(&self) -> Result<(), RLockError> {
        let me = thread::current().id();
        let mut owner = ignore_poison(self.owner.lock());
        let ownership = owner.as_mut().ok_or(RLockError::NotLocked)?;
        if ownership.thread != me {
            return Err(RLockError::NotOwner);
        }
        ownership.depth -= 1;
        if ownership.depth == 0 {
            *owner = None;
            drop(owner);
            // The lock is free: one waiter can take it, and any one will do.
            self.freed.notify_one();
        }
        Ok(())
    }

    /// Whether the calling thread holds the lock.
    pub fn is_held_by_current_thread(&self) -> bool {
        let me = thread::current().id();
        ignore_poison(self.owner.lock())
            .as_ref()
            .is_some_and(|ownership| ownership.thread == me)
    }
}
