//! Exercise 5: poisoning. A thread panics inside a critical section.
//!
//! Policy: a change is all or nothing. [`Ledger::update`] runs the
//! caller's change on a copy and publishes it with one assignment that
//! cannot panic, so the balances behind the lock are never half changed.
//! A poisoned lock therefore still guards consistent data, and every
//! method takes the guard from the `PoisonError` and carries on.

use labsync::sync::{Mutex, MutexGuard, PoisonError};

/// Account balances that many threads change together.
#[derive(Debug, Default)]
pub struct Ledger {
    balances: Mutex<Vec<i64>>,
}

impl Ledger {
    /// A ledger holding `balances`.
    pub fn new(balances: Vec<i64>) -> Ledger {
        Ledger {
            balances: Mutex::new(balances),
        }
    }

    /// Runs `change` on a copy of the balances while holding the lock and
    /// stores the copy if `change` returns. If `change` panics, the copy is
    /// dropped during unwinding and the panic continues to the caller.
    pub fn update<R>(&self, change: impl FnOnce(&mut Vec<i64>) -> R) -> R {
        let mut balances = self.lock_recovering();
        let mut draft = balances.clone();
        let result = change(&mut draft);
        *balances = draft;
        result
    }

    /// A copy of the balances.
    pub fn balances(&self) -> Vec<i64> {
        self.lock_recovering().clone()
    }

    /// Locks, ignoring poison: under this ledger's policy a panic never
    /// leaves the balances half changed. The mark is cleared, so that the
    /// next caller does not have to decide again.
    fn lock_recovering(&self) -> MutexGuard<'_, Vec<i64>> {
        self.balances.lock().unwrap_or_else(|poisoned| {
            self.balances.clear_poison();
            PoisonError::into_inner(poisoned)
        })
    }
}
