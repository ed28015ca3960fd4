//! Exercise 2, `BoundedSemaphore`: a release above the initial count is a
//! typed error that changes nothing (native); never more holders than
//! permits, and two racing extra releases cannot both succeed (explored).
//!
//! The native test records whether each release went through, the counts
//! and `try_acquire`'s results with `grader::harness::answer`, for the
//! grader to compare with the reference solution's; what a refusal says
//! (the lab's own `TooManyReleases`) is checked here.

/// Under the schedule explorer.
#[cfg(feature = "explore")]
pub mod explored {
    use explorer::explore;
    use lab3_semaphores::BoundedSemaphore;
    use labsync::sync::Arc;
    use labsync::thread;

    use crate::support::{Occupancy, Problems, graded};

    pub fn bounded_semaphore_never_admits_more_threads_than_permits() {
        explore(|| {
            const PERMITS: usize = 1;
            let semaphore = Arc::new(BoundedSemaphore::new(PERMITS));
            let occupancy = Arc::new(Occupancy::default());
            let problems = Arc::new(Problems::default());
            let threads: Vec<_> = (0..3)
                .map(|thread_idx| {
                    let (semaphore, occupancy, problems) = (
                        Arc::clone(&semaphore),
                        Arc::clone(&occupancy),
                        Arc::clone(&problems),
                    );
                    thread::spawn(move || {
                        for _ in 0..2 {
                            let got_in = if thread_idx == 2 {
                                graded("BoundedSemaphore::try_acquire()", || {
                                    semaphore.try_acquire()
                                })
                            } else {
                                graded("BoundedSemaphore::acquire()", || semaphore.acquire());
                                true
                            };
                            if !got_in {
                                continue;
                            }
                            let inside = occupancy.enter();
                            if inside > PERMITS {
                                problems.report(|| {
                                    format!(
                                        "over-admission: {inside} threads held a permit at once \
                                         of a bounded semaphore with {PERMITS}; re-check the \
                                         count in a `while` after every wake-up, under the lock"
                                    )
                                });
                            }
                            thread::yield_now();
                            occupancy.leave();
                            if let Err(refused) = semaphore.release() {
                                problems.report(|| {
                                    format!(
                                        "a thread that had acquired a permit could not give it \
                                         back: {refused}"
                                    )
                                });
                            }
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
            problems.fail_on_first();
            let left = semaphore.available_permits();
            assert_eq!(
                left, PERMITS,
                "permits lost or created: {left} free at the end instead of {PERMITS}"
            );
        });
    }

    pub fn bounded_semaphore_two_racing_extra_releases_cannot_both_succeed() {
        // One permit, taken; two threads give it back at the same time. Only
        // one release is legitimate. Checking "is there room?" and adding
        // the permit under separate locks lets both through on some
        // interleaving.
        explore(|| {
            let semaphore = Arc::new(BoundedSemaphore::new(1));
            semaphore.acquire();
            let releasers: Vec<_> = (0..2)
                .map(|_| {
                    let semaphore = Arc::clone(&semaphore);
                    thread::spawn(move || semaphore.release().is_ok())
                })
                .collect();
            let succeeded = releasers
                .into_iter()
                .map(|releaser| releaser.join().unwrap())
                .filter(|ok| *ok)
                .count();
            let left = semaphore.available_permits();
            assert!(
                succeeded == 1 && left == 1,
                "check-then-act on release: one permit was taken and two threads released it at \
                 once; {succeeded} releases succeeded and {left} permits are free (expected 1 and \
                 1) - the check against the initial count and the increment must happen under \
                 one lock"
            );
        });
    }
}

/// Real threads.
#[cfg(not(feature = "explore"))]
pub mod native {
    use grader::harness::{AnswerOptions, answer, answer_with};
    use lab3_semaphores::{BoundedSemaphore, TooManyReleases};

    use crate::support::call_graded_within;

    pub fn bounded_semaphore_refuses_a_release_above_its_initial_count() {
        let steps = call_graded_within(
            "release/acquire sequence on BoundedSemaphore::new(2)",
            "a single thread never needs to wait here",
            || {
                let semaphore = BoundedSemaphore::new(2);
                let extra_at_start = semaphore.release();
                let left_after_refusal = semaphore.available_permits();
                semaphore.acquire();
                semaphore.acquire();
                let back_one = semaphore.release();
                let back_two = semaphore.release();
                let one_too_many = semaphore.release();
                let left_at_end = semaphore.available_permits();
                let third_try = [
                    semaphore.try_acquire(),
                    semaphore.try_acquire(),
                    semaphore.try_acquire(),
                ];
                (
                    extra_at_start,
                    left_after_refusal,
                    back_one,
                    back_two,
                    one_too_many,
                    left_at_end,
                    third_try,
                )
            },
        );
        let (
            extra_at_start,
            left_after_refusal,
            back_one,
            back_two,
            one_too_many,
            left_at_end,
            tries,
        ) = steps;
        // What a refusal says is the lab's own error type: checked here.
        for (call, outcome) in [
            ("1. release() with both permits free", &extra_at_start),
            ("4. release() a third time", &one_too_many),
        ] {
            if let Err(refusal) = outcome {
                assert_eq!(
                    *refusal,
                    TooManyReleases { permits: 2 },
                    "BoundedSemaphore::new(2): {call} was refused with the wrong error; it must \
                     name the initial count"
                );
            }
        }
        answer_with(
            "BoundedSemaphore::new(2): 1. release() with both permits free",
            &ok_or_refused(&extra_at_start),
            AnswerOptions {
                note: "releasing above the initial count must be refused",
                ..AnswerOptions::default()
            },
        );
        answer_with(
            "BoundedSemaphore::new(2): 2. available_permits() after the refused release",
            &left_after_refusal,
            AnswerOptions {
                note: "a refused release must not change the count",
                ..AnswerOptions::default()
            },
        );
        answer(
            "BoundedSemaphore::new(2): 3. acquire() x2, then release() x2",
            &[ok_or_refused(&back_one), ok_or_refused(&back_two)],
        );
        answer_with(
            "BoundedSemaphore::new(2): 4. release() a third time",
            &ok_or_refused(&one_too_many),
            AnswerOptions {
                note: "released more often than acquired: the third release must be refused",
                ..AnswerOptions::default()
            },
        );
        answer_with(
            "BoundedSemaphore::new(2): 5. available_permits() at the end",
            &left_at_end,
            AnswerOptions {
                note: "the count must never go above the initial count",
                ..AnswerOptions::default()
            },
        );
        answer(
            "BoundedSemaphore::new(2): 6. try_acquire() x3 at the end",
            &tries,
        );

        let (release_on_empty, try_on_empty) = call_graded_within(
            "BoundedSemaphore::new(0).release()",
            "a single thread never needs to wait here",
            || {
                (
                    BoundedSemaphore::new(0).release(),
                    BoundedSemaphore::new(0).try_acquire(),
                )
            },
        );
        if let Err(refusal) = &release_on_empty {
            assert_eq!(
                *refusal,
                TooManyReleases { permits: 0 },
                "BoundedSemaphore::new(0).release() was refused with the wrong error; it must \
                 name the initial count"
            );
        }
        answer_with(
            "BoundedSemaphore::new(0): release(); try_acquire()",
            &(ok_or_refused(&release_on_empty), try_on_empty),
            AnswerOptions {
                note: "a bounded semaphore of 0 permits can never be released or acquired",
                ..AnswerOptions::default()
            },
        );
    }

    /// A release's outcome as the grader compares it: whether it went
    /// through. What a refusal says is the lab's own type, checked in the
    /// test.
    fn ok_or_refused(outcome: &Result<(), TooManyReleases>) -> &'static str {
        match outcome {
            Ok(()) => "Ok",
            Err(_) => "refused",
        }
    }
}
