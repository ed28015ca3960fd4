//! The hidden suite of lab 4 (queues).
//!
//! One module per exercise, most with two halves. `explored` holds the
//! tests that run under the schedule explorer (the suite's `explore`
//! feature, which the grader turns on in a second build): small scenarios
//! of two to five threads built from `labsync` types and the lab's API,
//! run under hundreds of fixed-seed interleavings; the explorer reports
//! deadlocks and lost wake-ups itself, and the tests' assertions name the
//! other bug classes (over capacity, a getter giving up on an open queue,
//! items lost or duplicated, order broken, `join` returning early,
//! backpressure broken) with the evidence. Only the lab's own queue is
//! explored: the explorer cannot see inside crossbeam. `native` holds what
//! exploration cannot check because it does not model time or scale:
//! timeouts, rendezvous that prove threads overlap, stress runs on real
//! threads, and the slow-last-stage pipeline. `ex6_throughput` is the timing
//! experiment, run after the tests and never graded.
//!
//! Values the native tests check (what a call returned, shown as text where
//! it is one of the lab's types; items and counts; the pool's answers) are
//! recorded with `grader::harness::answer` and compared by the grader with
//! what the reference solution records in the same test: no expected value
//! is in this binary, where graded code could read it. Explored scenarios,
//! concurrency probes, items in flight, timing ratios and orders that
//! depend on the schedule are checked here.
//!
//! No test asserts an absolute wall time: timeouts are compared with the
//! requested timeout, overlap is proven with rendezvous, backpressure with
//! a count of items in flight. Test names say what went wrong when they
//! fail. This crate must compile against the student crate, the reference
//! and any submission: it uses only the lab's public API.

mod ex1_queue;
mod ex2_joinable;
mod ex3_producers_consumers;
mod ex4_worker_pool;
mod ex5_pipeline;
#[cfg(not(feature = "explore"))]
mod ex6_throughput;
mod support;

#[cfg(feature = "explore")]
grader::suite! {
    ex1_queue::explored::queue_never_holds_more_items_than_its_capacity_under_any_schedule,
    ex1_queue::explored::get_never_gives_up_on_an_open_queue_under_any_schedule,
    ex1_queue::explored::puts_and_gets_always_wake_each_other_under_any_schedule,
    ex1_queue::explored::close_wakes_every_blocked_putter_and_getter_under_any_schedule,
    ex1_queue::explored::queue_passes_every_item_exactly_once_in_order_under_any_schedule,
    ex2_joinable::explored::join_never_returns_before_every_item_is_marked_done_under_any_schedule,
    ex2_joinable::explored::task_done_wakes_every_joiner_under_any_schedule,
    ex3_producers_consumers::explored::producers_and_consumers_over_the_queue_consume_every_item_once_under_any_schedule,
    ex4_worker_pool::explored::worker_pool_answers_every_task_once_under_any_schedule,
    ex5_pipeline::explored::pipeline_never_holds_more_items_than_its_queues_allow_under_any_schedule,
}

#[cfg(not(feature = "explore"))]
grader::suite! {
    ex1_queue::native::queue_hands_out_items_first_in_first_out_and_reports_its_size,
    ex1_queue::native::try_put_and_try_get_never_wait_and_say_full_empty_or_closed,
    ex1_queue::native::closed_queue_refuses_puts_with_their_item_and_hands_out_what_is_left,
    ex1_queue::native::put_timeout_and_get_timeout_give_up_after_about_the_timeout,
    ex1_queue::native::get_timeout_and_put_timeout_return_as_soon_as_the_queue_changes,
    ex1_queue::native::queue_stress_every_kind_of_call_from_many_threads_loses_nothing,
    ex2_joinable::native::task_done_counts_every_successful_put_and_refuses_one_call_too_many,
    ex3_producers_consumers::native::producers_and_consumers_over_the_queue_consume_every_item_once_and_shut_down,
    ex3_producers_consumers::native::producers_and_consumers_over_crossbeam_consume_every_item_once_and_shut_down,
    ex3_producers_consumers::native::every_consumer_thread_consumes_at_the_same_time_in_both_versions,
    ex4_worker_pool::native::evaluate_multiplication_answers_valid_tasks_and_rejects_the_rest,
    ex4_worker_pool::native::worker_pool_answers_every_task_exactly_once_with_its_product,
    ex4_worker_pool::native::worker_pool_keeps_three_workers_busy_at_once_and_never_more,
    ex4_worker_pool::native::worker_pool_does_not_deadlock_when_results_outnumber_the_result_queue,
    ex5_pipeline::native::pipeline_with_a_slow_last_stage_keeps_items_in_flight_within_the_capacities,
    ex5_pipeline::native::pipeline_passes_every_item_through_every_stage_once_in_order,
    ex5_pipeline::native::pipeline_runs_each_stage_on_its_own_thread_at_the_same_time,
    ex5_pipeline::native::count_words_counts_every_word_of_every_document;
    experiments: ex6_throughput::queue_throughput
}
