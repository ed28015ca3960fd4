//! Exercise 2, `BoundedSemaphore`: a release above the initial count is a
//! typed error that changes nothing (native); never more holders than
//! permits, and two racing extra releases cannot both succeed (explored).

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
        let refused = Err(TooManyReleases { permits: 2 });
        assert_eq!(
            extra_at_start, refused,
            "a release on a fresh BoundedSemaphore::new(2) (both permits free) must be refused"
        );
        assert_eq!(
            left_after_refusal, 2,
            "a refused release must not change the count"
        );
        assert_eq!(
            (back_one, back_two),
            (Ok(()), Ok(())),
            "two permits were acquired; giving both back must succeed"
        );
        assert_eq!(
            one_too_many, refused,
            "released more often than acquired: the third release must be refused"
        );
        assert_eq!(
            left_at_end, 2,
            "the count must never go above the initial 2"
        );
        assert_eq!(
            tries,
            [true, true, false],
            "after the refused releases, exactly 2 permits may be taken"
        );

        let empty = call_graded_within(
            "BoundedSemaphore::new(0).release()",
            "a single thread never needs to wait here",
            || {
                (
                    BoundedSemaphore::new(0).release(),
                    BoundedSemaphore::new(0).try_acquire(),
                )
            },
        );
        assert_eq!(
            empty,
            (Err(TooManyReleases { permits: 0 }), false),
            "a bounded semaphore of 0 permits can never be released or acquired"
        );
    }
}
