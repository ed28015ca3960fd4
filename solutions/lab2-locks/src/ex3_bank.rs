//! Exercise 3: a bank account, and transfers that cannot deadlock.
//!
//! The global lock order is ascending account id, used by every function
//! that holds more than one balance lock ([`transfer`] and
//! [`total_balance`]).

use std::fmt;

use labsync::sync::{Mutex, MutexGuard};

/// Why a bank operation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankError {
    /// Taking `requested` from account `account_id` would leave it below
    /// zero; it held `balance`. Nothing was changed.
    InsufficientFunds {
        account_id: u64,
        balance: i64,
        requested: i64,
    },
    /// A transfer from an account to itself.
    SameAccount { account_id: u64 },
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BankError::InsufficientFunds {
                account_id,
                balance,
                requested,
            } => write!(
                f,
                "account {account_id} holds {balance}, cannot take {requested} from it"
            ),
            BankError::SameAccount { account_id } => {
                write!(f, "cannot transfer from account {account_id} to itself")
            }
        }
    }
}

impl std::error::Error for BankError {}

/// A bank account with a unique id and a balance that never goes below
/// zero.
#[derive(Debug)]
pub struct Account {
    id: u64,
    balance: Mutex<i64>,
}

impl Account {
    /// An account with a unique `id` holding `opening_balance`.
    pub fn new(id: u64, opening_balance: i64) -> Account {
        assert!(
            opening_balance >= 0,
            "an account cannot open with a negative balance"
        );
        Account {
            id,
            balance: Mutex::new(opening_balance),
        }
    }

    /// The account's id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The balance right now.
    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }

    /// Adds `amount` to the balance.
    pub fn deposit(&self, amount: i64) {
        *self.balance.lock().unwrap() += amount;
    }

    /// Takes `amount` if the balance covers it; the check and the
    /// subtraction happen under one guard.
    pub fn withdraw(&self, amount: i64) -> Result<(), BankError> {
        let mut balance = self.balance.lock().unwrap();
        take_from(self.id, &mut balance, amount)
    }
}

/// Subtracts `amount` from a locked balance, or refuses without changing it.
fn take_from(account_id: u64, balance: &mut i64, amount: i64) -> Result<(), BankError> {
    if *balance < amount {
        return Err(BankError::InsufficientFunds {
            account_id,
            balance: *balance,
            requested: amount,
        });
    }
    *balance -= amount;
    Ok(())
}

/// Moves `amount` from `from` to `to`, all or nothing, holding both
/// balance locks, taken in ascending id order.
pub fn transfer(from: &Account, to: &Account, amount: i64) -> Result<(), BankError> {
    if from.id == to.id {
        return Err(BankError::SameAccount {
            account_id: from.id,
        });
    }
    // Lock in id order whatever the direction, then name the guards by
    // role again.
    let (mut from_balance, mut to_balance) = if from.id < to.id {
        let from_balance = from.balance.lock().unwrap();
        (from_balance, to.balance.lock().unwrap())
    } else {
        let to_balance = to.balance.lock().unwrap();
        (from.balance.lock().unwrap(), to_balance)
    };
    take_from(from.id, &mut from_balance, amount)?;
    *to_balance += amount;
    Ok(())
}

/// The sum of the balances at one instant: every account is locked, in
/// ascending id order, before any balance is read.
pub fn total_balance(accounts: &[&Account]) -> i64 {
    let mut in_lock_order: Vec<&Account> = accounts.to_vec();
    in_lock_order.sort_by_key(|account| account.id);
    let guards: Vec<MutexGuard<'_, i64>> = in_lock_order
        .iter()
        .map(|account| account.balance.lock().unwrap())
        .collect();
    guards.iter().map(|balance| **balance).sum()
}
