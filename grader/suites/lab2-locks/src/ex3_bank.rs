//! Exercise 3, `Account`, `transfer` and `total_balance`: an exact balance
//! that never goes negative, transfers that neither deadlock nor lose
//! money, and totals that never see money in flight.
//!
//! Under exploration: a deposit and a withdrawal racing (lost update), two
//! withdrawals of the last unit (overdraft), transfers in both directions
//! at once (lock-order deadlock, found by the explorer itself), an auditor
//! summing while transfers run (money in flight, or an auditor locking in
//! its own order), competing transfers out of one account (overdraft,
//! money created), and a transfer to the same account (a thread locking
//! one mutex twice). On real threads: the lecture's 100 + 10,000 - 10,000
//! and thousands of transfers each way with an auditor watching.
//!
//! On real threads, balances and whether each withdrawal went through are
//! recorded with `grader::harness::answer` and compared by the grader with
//! the reference solution's. Kept here: what a refusal says (the lab's own
//! error type), and what the graded code must agree with itself about
//! while transfers run in a schedule-dependent order (the total is
//! conserved, no audit sees money in flight, no balance below zero).

/// Real threads: the lecture's numbers, and many transfers.
#[cfg(not(feature = "explore"))]
pub mod real_threads {
    use grader::harness::{AnswerOptions, answer, answer_with};
    use lab2_locks::{Account, BankError, total_balance, transfer};
    use labsync::sync::atomic::{AtomicBool, Ordering};
    use labsync::sync::{Arc, Barrier};
    use labsync::thread;

    use crate::support::real::{call_graded, call_graded_within};

    pub fn deposit_and_withdraw_keep_the_balance_and_refuse_an_overdraft() {
        let account = Account::new(7, 100);
        call_graded("account.deposit(50)", || account.deposit(50));
        answer(
            "1. Account::new(7, 100), deposit(50): balance",
            &account.balance(),
        );
        let outcome = call_graded("account.withdraw(30)", || account.withdraw(30));
        answer("2. withdraw(30)", ok_or_refused(&outcome));
        answer("2. withdraw(30): balance", &account.balance());
        let outcome = call_graded("account.withdraw(121)", || account.withdraw(121));
        answer_with(
            "3. withdraw(121)",
            &ok_or_refused(&outcome),
            AnswerOptions {
                note: "overdraft? a withdrawal larger than the balance must be refused",
                ..AnswerOptions::default()
            },
        );
        if let Err(refusal) = &outcome {
            // The refusal's contents are the lab's own error type, checked
            // here.
            assert!(
                *refusal
                    == BankError::InsufficientFunds {
                        account_id: 7,
                        balance: 120,
                        requested: 121
                    },
                "wrong result: withdraw(121) from account 7 holding 120 was refused with \
                 {refusal:?}; the refusal must name the account, the balance it saw and the amount"
            );
        }
        answer_with(
            "3. withdraw(121): balance",
            &account.balance(),
            AnswerOptions {
                note: "a refused withdrawal must change nothing",
                ..AnswerOptions::default()
            },
        );
        let outcome = call_graded("account.withdraw(120)", || account.withdraw(120));
        answer(
            "4. withdraw(120), the whole balance",
            ok_or_refused(&outcome),
        );
        answer("4. withdraw(120): balance", &account.balance());
    }

    /// A withdrawal's outcome as the grader compares it: whether it went
    /// through. What a refusal says is the lab's own type, checked in the
    /// test.
    fn ok_or_refused(outcome: &Result<(), BankError>) -> &'static str {
        match outcome {
            Ok(()) => "Ok",
            Err(_) => "refused",
        }
    }

    pub fn balance_is_exactly_100_after_10000_deposits_and_10000_withdrawals() {
        let (balance, refusals) = call_graded_within(
            "10000 x deposit(1) and 10000 x withdraw(1) on two threads",
            "a lock that is never released?",
            || {
                let account = Account::new(1, 100);
                let mut refusals = 0u64;
                thread::scope(|scope| {
                    scope.spawn(|| {
                        for _ in 0..10_000 {
                            account.deposit(1);
                        }
                    });
                    // A withdrawal refused because this thread ran ahead
                    // of the deposits is retried.
                    for _ in 0..10_000 {
                        while account.withdraw(1).is_err() {
                            refusals += 1;
                            thread::yield_now();
                        }
                    }
                });
                (account.balance(), refusals)
            },
        );
        grader::harness::metric("lecture_account_refused_withdrawals", refusals as f64);
        answer_with(
            "Account::new(1, 100), 10000 x deposit(1) and 10000 x withdraw(1) on two threads: \
             balance",
            &balance,
            AnswerOptions {
                note: "lost update? check, read and write the balance under one guard",
                ..AnswerOptions::default()
            },
        );
    }

    pub fn transfers_in_both_directions_on_real_threads_finish_and_keep_the_total() {
        let (balances, audits) = call_graded_within(
            "5000 transfers each way between two accounts on two threads, with an auditor",
            "deadlock: one thread holds account 1 and waits for account 2 while the other holds \
             account 2 and waits for account 1 - lock both accounts in id order",
            || {
                let accounts = Arc::new([Account::new(1, 1000), Account::new(2, 1000)]);
                let done = AtomicBool::new(false);
                // The two movers start together, or the first could be done
                // before the second exists.
                let movers_ready = Barrier::new(2);
                let mut audits = Vec::new();
                thread::scope(|scope| {
                    let movers: Vec<_> = [(0, 1, 7), (1, 0, 5)]
                        .into_iter()
                        .map(|(from, to, amount)| {
                            let (accounts, movers_ready) = (&accounts, &movers_ready);
                            scope.spawn(move || {
                                movers_ready.wait();
                                for _ in 0..5_000 {
                                    let _ = transfer(&accounts[from], &accounts[to], amount);
                                }
                            })
                        })
                        .collect();
                    scope.spawn(|| {
                        while !done.load(Ordering::SeqCst) {
                            audits.push(total_balance(&[&accounts[1], &accounts[0]]));
                            thread::yield_now();
                        }
                    });
                    let joined: Vec<_> = movers.into_iter().map(|mover| mover.join()).collect();
                    // Stop the auditor before passing on a mover's panic,
                    // or the scope would wait for it forever.
                    done.store(true, Ordering::SeqCst);
                    for outcome in joined {
                        if let Err(panic) = outcome {
                            std::panic::resume_unwind(panic);
                        }
                    }
                });
                ([accounts[0].balance(), accounts[1].balance()], audits)
            },
        );
        let total = balances[0] + balances[1];
        assert!(
            total == 2000,
            "money created or lost: after transfers both ways the accounts hold {balances:?} \
             (total {total}), expected a total of 2000"
        );
        assert!(
            balances.iter().all(|balance| *balance >= 0),
            "overdraft: transfers left the balances at {balances:?}"
        );
        if let Some(wrong) = audits.iter().find(|audit| **audit != 2000) {
            panic!(
                "money in flight: total_balance saw {wrong} while transfers ran, expected 2000 - hold \
                 both locks for the whole transfer, and lock every account before summing"
            );
        }
        grader::harness::metric("audits_during_transfers", audits.len() as f64);
    }
}

/// Schedule exploration: two or three threads, one or two operations each.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::Exploration;
    use lab2_locks::{Account, BankError, total_balance, transfer};
    use labsync::sync::Arc;

    use crate::support::explored::{explore, explore_with, spawn_named};

    pub fn deposits_and_withdrawals_lose_no_update_under_any_schedule() {
        explore("a thread panicked inside deposit or withdraw", || {
            let account = Arc::new(Account::new(1, 10));
            let depositor = {
                let account = Arc::clone(&account);
                spawn_named("depositor", move || {
                    account.deposit(1);
                    account.deposit(1);
                })
            };
            let refused = (account.withdraw(1).is_err(), account.withdraw(1).is_err());
            depositor.join().expect("the depositing thread panicked");
            assert!(
                refused == (false, false),
                "wrong result: withdraw(1) from a balance of at least 8 was refused (refused: {refused:?})"
            );
            let balance = account.balance();
            assert!(
                balance == 10,
                "lost update: 10 + 2 deposits of 1 - 2 withdrawals of 1 on two threads left \
                 {balance}, expected 10 - a deposit and a withdrawal read the same balance and one \
                 overwrote the other"
            );
        });
    }

    pub fn withdrawals_never_overdraw_under_any_schedule() {
        explore("a thread panicked inside withdraw", || {
            let account = Arc::new(Account::new(1, 1));
            let other = {
                let account = Arc::clone(&account);
                spawn_named("other-withdrawer", move || account.withdraw(1))
            };
            let mine = account.withdraw(1);
            let theirs = other.join().expect("the withdrawing thread panicked");
            let balance = account.balance();
            assert!(
                balance >= 0 && !(mine.is_ok() && theirs.is_ok()),
                "overdraft: two threads each withdrew 1 from a balance of 1, both were allowed \
                 ({mine:?}, {theirs:?}), and the balance is {balance} - check the balance and \
                 subtract under one guard"
            );
            assert!(
                mine.is_ok() || theirs.is_ok(),
                "wrong result: two withdrawals of 1 from a balance of 1 were both refused"
            );
            let refusal = if mine.is_err() { mine } else { theirs };
            assert!(
                refusal
                    == Err(BankError::InsufficientFunds {
                        account_id: 1,
                        balance: 0,
                        requested: 1
                    }),
                "wrong result: the refused withdrawal must report the balance it saw (0)"
            );
            assert!(
                balance == 0,
                "lost update: one withdrawal of 1 from 1 left {balance}"
            );
        });
    }

    pub fn transfer_in_both_directions_does_not_deadlock() {
        explore("a thread panicked inside transfer", || {
            let accounts = Arc::new([Account::new(1, 100), Account::new(2, 100)]);
            let other = {
                let accounts = Arc::clone(&accounts);
                spawn_named("transfers-2-to-1", move || {
                    let first = transfer(&accounts[1], &accounts[0], 10);
                    let second = transfer(&accounts[1], &accounts[0], 10);
                    (first, second)
                })
            };
            let mine = (
                transfer(&accounts[0], &accounts[1], 10),
                transfer(&accounts[0], &accounts[1], 10),
            );
            let theirs = other.join().expect("the transferring thread panicked");
            assert!(
                mine.0.is_ok() && mine.1.is_ok() && theirs.0.is_ok() && theirs.1.is_ok(),
                "wrong result: transfers of 10 between accounts holding at least 80 were refused: \
                 {mine:?} {theirs:?}"
            );
            let balances = [accounts[0].balance(), accounts[1].balance()];
            assert!(
                balances == [100, 100],
                "money created or lost: two transfers of 10 each way left {balances:?}, expected \
                 [100, 100]"
            );
        });
    }

    pub fn transfer_never_shows_money_in_flight_under_any_schedule() {
        explore("a thread panicked inside transfer or total_balance", || {
            let accounts = Arc::new([Account::new(1, 100), Account::new(2, 100)]);
            let movers: Vec<_> = [(0, 1, 30), (1, 0, 50)]
                .into_iter()
                .map(|(from, to, amount)| {
                    let accounts = Arc::clone(&accounts);
                    let name = format!("transfer-{}-to-{}", from + 1, to + 1);
                    spawn_named(&name, move || {
                        transfer(&accounts[from], &accounts[to], amount)
                    })
                })
                .collect();
            // The auditor lists the accounts in the opposite of id order:
            // total_balance must lock them in id order all the same.
            let audit = total_balance(&[&accounts[1], &accounts[0]]);
            for mover in movers {
                let outcome = mover.join().expect("a transferring thread panicked");
                assert!(
                    outcome == Ok(()),
                    "wrong result: a covered transfer gave {outcome:?}"
                );
            }
            assert!(
                audit == 200,
                "money in flight: total_balance saw {audit} while transfers of 30 and 50 ran \
                 between two accounts of 100 - a transfer must hold both locks from the check to the \
                 deposit, and total_balance must lock every account before reading any"
            );
            let balances = [accounts[0].balance(), accounts[1].balance()];
            assert!(
                balances == [120, 80],
                "money created or lost: 100/100, then 30 from 1 to 2 and 50 from 2 to 1, left \
                 {balances:?}, expected [120, 80]"
            );
        });
    }

    pub fn transfers_never_overdraw_or_create_money_under_any_schedule() {
        explore("a thread panicked inside transfer", || {
            // Account 1 holds 10; two threads try to move that 10 out to
            // accounts 2 and 3, while a third moves 10 from 3 back to 1.
            let accounts = Arc::new([Account::new(1, 10), Account::new(2, 0), Account::new(3, 0)]);
            let moves = [(0, 1, 10), (0, 2, 10), (2, 0, 10)];
            let movers: Vec<_> = moves
                .into_iter()
                .map(|(from, to, amount)| {
                    let accounts = Arc::clone(&accounts);
                    let name = format!("transfer-{}-to-{}", from + 1, to + 1);
                    spawn_named(&name, move || {
                        transfer(&accounts[from], &accounts[to], amount)
                    })
                })
                .collect();
            let outcomes: Vec<Result<(), BankError>> = movers
                .into_iter()
                .map(|mover| mover.join().expect("a transferring thread panicked"))
                .collect();
            let balances: Vec<i64> = accounts.iter().map(Account::balance).collect();
            assert!(
                balances.iter().all(|balance| *balance >= 0),
                "overdraft: transfers of 10 out of an account holding 10 left the balances at \
                 {balances:?} (outcomes {outcomes:?}) - check the balance and move the money under \
                 the same two locks"
            );
            let mut expected = [10, 0, 0];
            for ((from, to, amount), outcome) in moves.iter().zip(&outcomes) {
                if outcome.is_ok() {
                    expected[*from] -= amount;
                    expected[*to] += amount;
                }
            }
            assert!(
                balances == expected,
                "money created or lost: the transfers that succeeded ({outcomes:?}) should have \
                 left {expected:?}, the accounts hold {balances:?}"
            );
        });
    }

    pub fn transfer_to_the_same_account_is_an_error_not_a_deadlock() {
        // One thread, so one schedule says it all.
        explore_with(
            Exploration::default().with_executions(1, 1),
            "transfer(&account, &account, 5) panicked",
            || {
                let account = Account::new(4, 10);
                let outcome = transfer(&account, &account, 5);
                assert!(
                    outcome == Err(BankError::SameAccount { account_id: 4 }),
                    "wrong result: a transfer from account 4 to itself gave {outcome:?}, expected \
                     Err(SameAccount {{ account_id: 4 }})"
                );
                assert!(
                    account.balance() == 10,
                    "money created or lost: a refused transfer changed the balance from 10 to {}",
                    account.balance()
                );
            },
        );
    }
}
