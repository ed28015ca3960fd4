//! Exercise 4, `run_in_order`: the second step never starts before the
//! first has finished, whatever the interleaving (explored; the order is
//! checked, not timed), and each step runs on a thread of its own (native).

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::explore;
    use lab3_semaphores::run_in_order;
    use labsync::sync::Mutex;
    use labsync::thread;

    use crate::support::graded;

    pub fn run_in_order_second_step_never_starts_before_the_first_has_finished() {
        explore(|| {
            let log = Mutex::new(Vec::new());
            let note = |event: &'static str| log.lock().unwrap().push(event);
            let outputs = graded("run_in_order(first, second)", || {
                run_in_order(
                    || {
                        note("first step starts");
                        thread::yield_now();
                        note("first step ends");
                        "first"
                    },
                    || {
                        note("second step starts");
                        "second"
                    },
                )
            });
            assert_eq!(
                outputs,
                ("first", "second"),
                "run_in_order must return (first's output, second's output)"
            );
            let log = log.into_inner().unwrap();
            assert_eq!(
                log,
                ["first step starts", "first step ends", "second step starts"],
                "signalling order broken: the second step started before the first had finished \
                 (log: {log:?}); the second thread must acquire a permit of a Semaphore::new(0) \
                 before its step, and the first must release it only after its step"
            );
        });
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use std::thread;

    use lab3_semaphores::run_in_order;

    use crate::support::call_graded_within;

    pub fn run_in_order_runs_each_step_on_its_own_thread() {
        let (first, second, graded_caller) = call_graded_within(
            "run_in_order(|| thread id, || thread id)",
            "the second step waited forever: was the first step's signal sent?",
            || {
                let graded_caller = thread::current().id();
                let (first, second) =
                    run_in_order(|| thread::current().id(), || thread::current().id());
                (first, second, graded_caller)
            },
        );
        assert!(
            first != graded_caller && second != graded_caller,
            "a step ran on the calling thread: run_in_order must start a thread for each step \
             (the lesson is signalling between two threads)"
        );
        assert_ne!(
            first, second,
            "both steps ran on the same thread; each needs its own"
        );
    }
}
