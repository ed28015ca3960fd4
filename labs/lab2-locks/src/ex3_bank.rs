//! Exercise 3: a bank account, and transfers that cannot deadlock.
//!
//! The lecture's account starts at 100; one thread deposits 1 ten thousand
//! times while another withdraws 1 ten thousand times. Without a lock the
//! balance ends anywhere, even negative; with one it ends at exactly 100.
//!
//! Two lessons live here. First, a rule that involves the current value
//! ("refuse a withdrawal larger than the balance") must be checked and
//! applied in the same critical section, or two withdrawals can both pass
//! the check and overdraw the account. Second, an operation that needs two
//! locks can deadlock: thread 1 transfers a -> b and locks a, thread 2
//! transfers b -> a and locks b, and each waits forever for the lock the
//! other holds. The cure is a *global lock order*: every thread that needs
//! several accounts locks them in the same order, here by account id, so
//! no cycle of waiting threads can form.

use std::fmt;

use labsync::sync::Mutex;

/// Why a bank operation was refused. Provided complete.
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

/// A bank account: an id that no other account shares, and a balance that
/// must never go below zero. Amounts passed to its methods are never
/// negative.
#[derive(Debug)]
pub struct Account {
    id: u64,
    balance: Mutex<i64>,
}

impl Account {
    /// An account with a unique `id` holding `opening_balance` (not
    /// negative). Provided complete.
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

    /// The account's id. Provided complete.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The balance right now. Provided complete.
    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }

    /// Adds `amount` to the balance.
    ///
    /// What to build: lock the balance and add to it through the guard,
    /// like `MutexCounter::increment` in exercise 1.
    pub fn deposit(&self, amount: i64) {
        let _ = amount;
        todo!("exercise 3: Account::deposit")
    }

    /// Takes `amount` from the balance if the balance covers it; otherwise
    /// changes nothing and returns [`BankError::InsufficientFunds`] with the
    /// balance it saw.
    ///
    /// What to build: lock once; under that one guard, compare the balance
    /// with `amount` and either subtract or refuse.
    ///
    /// The idea: the check protects an invariant (never below zero) only if
    /// nothing can change the balance between the check and the
    /// subtraction.
    ///
    /// Pitfall: `if self.balance() >= amount { *self.balance.lock().unwrap() -= amount }`
    /// reads under one lock and writes under another. Two threads
    /// withdrawing 1 from a balance of 1 can both see 1, both subtract, and
    /// leave -1.
    pub fn withdraw(&self, amount: i64) -> Result<(), BankError> {
        let _ = amount;
        todo!("exercise 3: Account::withdraw")
    }
}

/// Moves `amount` from `from` to `to`, all or nothing.
///
/// What to build:
/// - If both are the same account (same id), return
///   [`BankError::SameAccount`] before locking anything: locking one mutex
///   twice on one thread never returns.
/// - Lock both balances, the account with the *smaller id first*, whatever
///   the direction of the transfer. Hold both guards while you check that
///   `from` covers `amount` (else [`BankError::InsufficientFunds`] for
///   `from`, nothing changed) and move the money.
///
/// The idea: with one global order, a thread holding account 1 may wait
/// for account 2, but a thread holding account 2 never waits for account
/// 1, so no two threads can wait for each other. Holding both locks also
/// means no other thread ever sees the money gone from `from` but not yet
/// arrived in `to`.
///
/// Pitfall: locking `from` first and then `to` looks natural and passes
/// every test with one thread. With a second thread transferring the other
/// way it deadlocks, sooner or later. A withdraw from one account followed
/// by a deposit into the other cannot deadlock, but for a moment the money
/// is in neither account, and [`total_balance`] would see it missing.
pub fn transfer(from: &Account, to: &Account, amount: i64) -> Result<(), BankError> {
    let _ = (from, to, amount);
    todo!("exercise 3: transfer")
}

/// The sum of the balances of `accounts`, taken at one instant: no
/// transfer between them may be half done in the sum. Each account appears
/// at most once.
///
/// What to build: sort references to the accounts by id, lock them all in
/// that order, keeping every guard (a `Vec` of guards), and add up the
/// balances before any guard is dropped.
///
/// Pitfall: locking in the order the caller happened to list the accounts
/// breaks the global order, and deadlocks against a transfer that locks
/// the same accounts in id order. Summing `account.balance()` one account
/// at a time never deadlocks, but it can count money twice or not at all
/// while a transfer is moving it.
pub fn total_balance(accounts: &[&Account]) -> i64 {
    let _ = accounts;
    todo!("exercise 3: total_balance")
}
