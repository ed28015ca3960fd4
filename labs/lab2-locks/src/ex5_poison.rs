//! Exercise 5: poisoning. A thread panics inside a critical section.
//!
//! When a thread panics while holding a `Mutex`, the guard is dropped as
//! the panic unwinds, so the lock is released, but the mutex is marked
//! *poisoned*: the data may be half-way through a change. From then on
//! every `lock()` returns `Err(PoisonError)`. Code that does
//! `lock().unwrap()` everywhere then panics in every thread that touches
//! the mutex: one crash becomes many.
//!
//! Poisoning is a warning, not a verdict. `PoisonError::into_inner` hands
//! you the guard anyway, and `Mutex::clear_poison` removes the mark. Whether
//! that is *sensible* depends on the data: using it after a half-done
//! change spreads the damage. So the sensible recovery is a policy, and
//! this exercise's policy is:
//!
//! **A change to the ledger is all or nothing. A change that panics leaves
//! no trace; the panic still reaches the caller who made it; and the
//! ledger goes on working for everyone else, with the balances as they
//! were before the failed change.**
//!
//! The policy makes recovery safe: if a panic can never leave the data
//! half changed, a poisoned lock guards consistent data, and ignoring the
//! poison is correct.

use labsync::sync::Mutex;

/// Account balances that many threads change together. The sum of the
/// balances only changes when a caller means it to (a transfer between two
/// entries keeps it).
#[derive(Debug, Default)]
pub struct Ledger {
    balances: Mutex<Vec<i64>>,
}

impl Ledger {
    /// A ledger holding `balances`. Provided complete.
    pub fn new(balances: Vec<i64>) -> Ledger {
        Ledger {
            balances: Mutex::new(balances),
        }
    }

    /// Runs `change` on the balances, under the lock, all or nothing, and
    /// returns what `change` returns.
    ///
    /// `change` is the caller's code and may panic part-way, for example
    /// after taking money out of one entry and before putting it into
    /// another. Then none of its edits may be kept, and the panic goes on
    /// to the caller of `update` (there is no `R` to return anyway).
    ///
    /// What to build:
    /// 1. Lock. If the lock is poisoned, take the guard anyway
    ///    (`.unwrap_or_else(PoisonError::into_inner)`, with `PoisonError`
    ///    from `labsync::sync`): under this policy the data behind a
    ///    poisoned lock is never half changed.
    /// 2. Let `change` work on a *copy* of the balances (`guard.clone()`),
    ///    still holding the lock.
    /// 3. If `change` returns, store the copy with one assignment that
    ///    cannot panic (`*guard = draft`) and return the result. If it
    ///    panics, the copy is dropped while the panic unwinds, and the
    ///    balances behind the lock are untouched.
    ///
    /// The idea: make the moment a change becomes visible a single step
    /// that cannot fail, and recovering from poisoning is trivially safe.
    ///
    /// Pitfalls: `lock().unwrap()` turns one panicking caller into a panic
    /// for every later caller. Taking the guard with `into_inner` but
    /// editing the real balances keeps a half-done change. And copying the
    /// balances under one lock, changing them with no lock held, and
    /// storing them back under another lock loses other threads' updates
    /// (exercise 1's bug, one level up): hold the lock from the copy to the
    /// store.
    pub fn update<R>(&self, change: impl FnOnce(&mut Vec<i64>) -> R) -> R {
        let _ = (&self.balances, change);
        todo!("exercise 5: Ledger::update")
    }

    /// A copy of the balances, even after a change panicked.
    ///
    /// Pitfall: `self.balances.lock().unwrap().clone()` works until the
    /// first panic, and then never again.
    pub fn balances(&self) -> Vec<i64> {
        todo!("exercise 5: Ledger::balances")
    }
}
