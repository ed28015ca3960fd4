//! The hidden suite of lab 2 (locks).
//!
//! One module per exercise; each has two halves. `real_threads` tests run
//! in the native build, on real threads: the lecture's numbers (200,000
//! increments, a balance of exactly 100), poisoning (which needs real
//! panics), hang limits, and the reported metrics. `explored` tests run in
//! the exploring build, where every `labsync` type belongs to the schedule
//! explorer: small scenarios (2-3 threads, a few operations) tried under
//! hundreds of interleavings with fixed seeds, so a race is found on the
//! same explored execution every run. Test names say what went wrong when
//! they fail; failure messages start with the bug class ("lost update",
//! "check-then-act", "overdraft", "money in flight", "interleaved line",
//! "deadlock or lost wake-up", ...) and give the evidence.
//!
//! No test asserts a wall time, and none runs the naive philosophers of
//! exercise 6 (they deadlock by design). Measured numbers (times, lost
//! updates of the racy counter, meals per philosopher and their spread)
//! are reported with `grader::harness::metric` and never graded.
//!
//! Values the real-thread tests check (totals, balances, lines, meals) are
//! recorded with `grader::harness::answer` and compared by the grader with
//! what the reference solution records in the same test: no expected value
//! is in this binary, where graded code could read it. What can only be
//! seen in the test process stays here: every explored scenario's checks,
//! concurrency probes, the graded code's agreement with itself while the
//! schedule varies, poisoning, and the lab's own error values.
//!
//! This crate must compile against both the student crate and the reference
//! solution: it uses only their public API.

mod ex1_counters;
mod ex2_drain;
mod ex3_bank;
mod ex4_log;
mod ex5_poison;
mod ex6_philosophers;
mod support;
#[cfg(not(feature = "explore"))]
mod timing;

#[cfg(not(feature = "explore"))]
grader::suite! {
    ex1_counters::real_threads::mutex_counter_counts_200000_increments_from_two_threads_exactly,
    ex1_counters::real_threads::atomic_counter_counts_200000_increments_from_two_threads_exactly,
    ex2_drain::real_threads::drain_on_four_workers_handles_10000_items_exactly_once,
    ex2_drain::real_threads::drain_workers_handle_items_at_the_same_time,
    ex3_bank::real_threads::deposit_and_withdraw_keep_the_balance_and_refuse_an_overdraft,
    ex3_bank::real_threads::balance_is_exactly_100_after_10000_deposits_and_10000_withdrawals,
    ex3_bank::real_threads::transfers_in_both_directions_on_real_threads_finish_and_keep_the_total,
    ex4_log::real_threads::log_from_eight_threads_keeps_all_4000_lines_whole,
    ex5_poison::real_threads::update_still_works_after_another_update_panicked,
    ex5_poison::real_threads::a_panicking_update_leaves_no_half_done_change,
    ex5_poison::real_threads::threads_keep_updating_while_others_panic_inside_the_lock,
    ex6_philosophers::real_threads::five_philosophers_eat_every_meal_with_each_strategy_on_real_threads;
    experiments: timing::counter_increments_per_second
}

#[cfg(feature = "explore")]
grader::suite! {
    ex1_counters::explored::mutex_counter_loses_no_update_under_any_schedule,
    ex1_counters::explored::atomic_counter_loses_no_update_under_any_schedule,
    ex2_drain::explored::take_hands_out_each_item_exactly_once_under_any_schedule,
    ex2_drain::explored::drain_never_finds_the_list_empty_after_checking_under_any_schedule,
    ex3_bank::explored::deposits_and_withdrawals_lose_no_update_under_any_schedule,
    ex3_bank::explored::withdrawals_never_overdraw_under_any_schedule,
    ex3_bank::explored::transfer_in_both_directions_does_not_deadlock,
    ex3_bank::explored::transfer_never_shows_money_in_flight_under_any_schedule,
    ex3_bank::explored::transfers_never_overdraw_or_create_money_under_any_schedule,
    ex3_bank::explored::transfer_to_the_same_account_is_an_error_not_a_deadlock,
    ex4_log::explored::log_lines_are_never_interleaved_under_any_schedule,
    ex4_log::explored::log_loses_no_line_under_any_schedule,
    ex5_poison::explored::updates_from_two_threads_are_all_kept_under_any_schedule,
    ex6_philosophers::explored::ordered_forks_dinner_never_deadlocks_under_any_schedule,
    ex6_philosophers::explored::waiter_dinner_never_deadlocks_under_any_schedule,
    ex6_philosophers::explored::waiter_never_seats_more_philosophers_than_it_has_seats,
}
