//! The hidden suite of lab 3 (semaphores, events and condition variables).
//!
//! One module per exercise, each with two halves. `explored` holds the
//! tests that run under the schedule explorer (the suite's `explore`
//! feature, which the grader turns on in a second build): they build a
//! small scenario from `labsync` types and the lab's API, and the explorer
//! runs it under hundreds of fixed-seed interleavings, reporting deadlocks
//! and lost wake-ups itself; the tests' assertions name the other bug
//! classes (over-admission, order broken, mutual exclusion broken, a
//! barrier that lets threads through early) with the evidence. `native`
//! holds what exploration cannot check because it does not model time:
//! timeouts, the 4-versus-6-units lesson, and stress runs on real threads.
//!
//! Values the native tests check (what a call returned, counts, outputs)
//! are recorded with `grader::harness::answer` and compared by the grader
//! with what the reference solution records in the same test: no expected
//! value is in this binary, where graded code could read it. Explored
//! scenarios, concurrency probes and counters, timing ratios, orders that
//! depend on the schedule and the lab's own error values are checked here.
//!
//! No test asserts an absolute wall time: timeouts are compared with the
//! requested timeout, the timing lesson with a calibration sleep measured
//! in the same run (and `alone` in `course.toml`). Test names say what went
//! wrong when they fail. This crate must compile against the student crate,
//! the reference and any submission: it uses only the lab's public API.

mod ex1_semaphore;
mod ex2_bounded;
mod ex3_limit;
mod ex4_signal;
mod ex5_event;
mod ex6_shared_list;
mod ex7_rlock;
mod ex8_barrier;
mod support;
#[cfg(not(feature = "explore"))]
mod timing;

#[cfg(feature = "explore")]
grader::suite! {
    ex1_semaphore::explored::semaphore_never_admits_more_threads_than_permits,
    ex1_semaphore::explored::semaphore_release_wakes_threads_blocked_in_acquire,
    ex2_bounded::explored::bounded_semaphore_never_admits_more_threads_than_permits,
    ex2_bounded::explored::bounded_semaphore_two_racing_extra_releases_cannot_both_succeed,
    ex3_limit::explored::run_limited_never_runs_more_jobs_at_once_than_permits,
    ex4_signal::explored::run_in_order_second_step_never_starts_before_the_first_has_finished,
    ex5_event::explored::event_set_wakes_every_waiting_thread,
    ex6_shared_list::explored::shared_list_consumers_take_every_item_exactly_once,
    ex6_shared_list::explored::shared_list_close_wakes_every_waiting_consumer,
    ex7_rlock::explored::rlock_excludes_other_threads_until_fully_released,
    ex7_rlock::explored::rlock_release_by_a_thread_that_does_not_own_it_is_an_error,
    ex8_barrier::explored::barrier_holds_every_thread_until_all_have_arrived,
    ex8_barrier::explored::barrier_can_be_reused_round_after_round,
    ex8_barrier::explored::barrier_names_exactly_one_leader_per_round,
}

#[cfg(not(feature = "explore"))]
grader::suite! {
    ex1_semaphore::native::semaphore_try_acquire_takes_free_permits_and_never_blocks,
    ex1_semaphore::native::semaphore_acquire_timeout_gives_up_after_about_the_timeout,
    ex1_semaphore::native::semaphore_acquire_timeout_returns_as_soon_as_a_permit_comes_back,
    ex1_semaphore::native::semaphore_permit_guard_gives_the_permit_back_even_when_its_holder_panics,
    ex1_semaphore::native::semaphore_stress_never_exceeds_permits_and_loses_none,
    ex2_bounded::native::bounded_semaphore_refuses_a_release_above_its_initial_count,
    ex3_limit::native::run_limited_returns_every_output_in_input_order,
    ex3_limit::native::run_limited_keeps_as_many_jobs_running_as_permits,
    ex3_limit::native::run_limited_jobs_of_1_2_3_units_take_4_units_with_2_permits_and_6_with_1,
    ex4_signal::native::run_in_order_runs_each_step_on_its_own_thread,
    ex5_event::native::event_flag_can_be_set_cleared_and_read,
    ex5_event::native::event_wait_timeout_gives_up_after_about_the_timeout,
    ex5_event::native::event_wait_timeout_returns_as_soon_as_the_event_is_set,
    ex6_shared_list::native::shared_list_hands_out_items_first_in_first_out,
    ex6_shared_list::native::shared_list_stress_many_producers_and_consumers,
    ex7_rlock::native::rlock_owner_can_acquire_again_and_must_release_as_often,
    ex8_barrier::native::barrier_stress_many_rounds_with_many_threads;
    experiments: timing::semaphore_pairs_per_second
}
