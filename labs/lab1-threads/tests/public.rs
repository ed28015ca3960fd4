//! The public tests of lab 1: `cargo test -p lab1-threads`.
//!
//! One module per exercise. Each test shows how a function is meant to be
//! used and checks the basics; the graded tests check more of the same
//! behaviour (how many threads, how much overlap, what happens on a
//! panic). Until you write a function, its tests fail with "not yet
//! implemented".
//!
//! Some tests print what they measured. Run
//! `cargo test -p lab1-threads -- --nocapture` to see it, and
//! `cargo test -p lab1-threads --release -- --nocapture --test-threads 1`
//! for timings that mean something. The tests themselves never depend on
//! how fast your machine is: they count threads and overlaps rather than
//! milliseconds.
//!
//! Time in these tests is counted in units (`labkit::units`): 40 ms each,
//! or `LABKIT_UNIT_MS` milliseconds if you set that variable.

use std::time::{Duration, Instant};

use labkit::{ConcurrencyProbe, Flag, SlowHttpServer, measure, unit, units};

/// How long a test waits for something that should happen almost at once.
/// Only a wrong implementation ever waits this long.
const PATIENCE: Duration = Duration::from_secs(5);

fn in_units(duration: Duration) -> f64 {
    duration.div_duration_f64(unit())
}

mod exercise1_run_both {
    use super::*;
    use lab1_threads::run_both;

    #[test]
    fn run_both_returns_the_result_of_each_task_in_its_place() {
        let (apples, bananas) = run_both(
            || {
                std::thread::sleep(units(5));
                "apples"
            },
            || {
                std::thread::sleep(units(8));
                "bananas"
            },
        );
        assert_eq!((apples, bananas), ("apples", "bananas"));
    }

    #[test]
    fn run_both_runs_the_two_tasks_at_the_same_time() {
        // Each task announces that it started, then waits for the other to
        // do the same. That only works if both run at once: run one after
        // the other, the first would wait for a task that has not started.
        let a_started = Flag::new();
        let b_started = Flag::new();
        let deadline = Instant::now() + PATIENCE;
        let (a_met_b, b_met_a) = run_both(
            {
                let (a_started, b_started) = (a_started.clone(), b_started.clone());
                move || {
                    a_started.raise();
                    b_started.wait_until_raised(deadline)
                }
            },
            move || {
                b_started.raise();
                a_started.wait_until_raised(deadline)
            },
        );
        assert!(
            a_met_b && b_met_a,
            "the tasks did not overlap: task A waited in vain for task B to start; \
             start both threads before joining either"
        );
    }

    #[test]
    fn apples_and_bananas_take_the_longer_time_not_the_sum() {
        let (_, elapsed) = measure(|| {
            run_both(
                || std::thread::sleep(units(5)),
                || std::thread::sleep(units(8)),
            )
        });
        println!(
            "apples (5 units) and bananas (8 units) took {:.1} units; \
             one after the other they take 13",
            in_units(elapsed)
        );
    }
}

mod exercise2_chunks {
    use super::*;
    use lab1_threads::{chunk_ranges, map_in_chunks, square_in_chunks};

    #[test]
    fn chunk_ranges_are_contiguous_and_as_even_as_possible() {
        assert_eq!(chunk_ranges(10, 3), vec![0..4, 4..7, 7..10]);
        assert_eq!(chunk_ranges(9, 4), vec![0..3, 3..5, 5..7, 7..9]);
        assert_eq!(chunk_ranges(6, 1), vec![0..6]);
    }

    #[test]
    fn chunk_ranges_with_more_chunks_than_items_gives_one_item_per_chunk() {
        assert_eq!(chunk_ranges(2, 5), vec![0..1, 1..2]);
        assert_eq!(chunk_ranges(0, 4), vec![]);
    }

    #[test]
    fn square_in_chunks_returns_the_squares_in_input_order() {
        let numbers: Vec<u64> = (1..=10).collect();
        let squares: Vec<u64> = numbers.iter().map(|n| n * n).collect();
        for n_chunks in [1, 2, 3, 10, 25] {
            assert_eq!(
                square_in_chunks(&numbers, n_chunks),
                squares,
                "{n_chunks} chunks"
            );
        }
        assert_eq!(square_in_chunks(&[], 3), Vec::<u64>::new());
    }

    #[test]
    fn map_in_chunks_gives_each_chunk_its_own_thread() {
        let words = ["one", "two", "three", "four", "five", "six", "seven"];
        let probe = ConcurrencyProbe::new();
        let lengths = map_in_chunks(&words, 3, |word| {
            let _inside = probe.enter();
            word.len()
        });
        assert_eq!(lengths, [3, 3, 5, 4, 4, 3, 5]);
        assert_eq!(
            probe.distinct_threads(),
            3,
            "3 chunks should run on 3 threads"
        );
    }
}

mod exercise3_pool {
    use super::*;
    use lab1_threads::{PoolError, pool_map};

    #[test]
    fn pool_map_returns_the_outputs_in_input_order() {
        // The first jobs are the slowest, so they finish last; the outputs
        // must still come back in the order of the input.
        let jobs_in_units: Vec<u32> = vec![3, 2, 1, 1];
        let outputs = pool_map(jobs_in_units, 3, |job_units| {
            std::thread::sleep(units(job_units));
            format!("slept {job_units} units")
        });
        assert_eq!(
            outputs.unwrap(),
            [
                "slept 3 units",
                "slept 2 units",
                "slept 1 units",
                "slept 1 units"
            ]
        );
    }

    #[test]
    fn pool_map_never_uses_more_than_its_workers() {
        let probe = ConcurrencyProbe::new();
        let outputs = pool_map((0..12).collect(), 2, |item: u32| {
            let _inside = probe.enter();
            std::thread::sleep(unit() / 8);
            item * 2
        });
        assert_eq!(
            outputs.unwrap(),
            (0..12).map(|item| item * 2).collect::<Vec<_>>()
        );
        assert!(
            probe.max_inside() <= 2,
            "{} jobs ran at once on 2 workers",
            probe.max_inside()
        );
        assert!(
            probe.distinct_threads() <= 2,
            "the jobs ran on {} different threads; a pool of 2 reuses its 2 workers",
            probe.distinct_threads()
        );
    }

    #[test]
    fn a_panicking_job_becomes_an_error_naming_its_item() {
        let outcome = pool_map(vec!["ok", "ok", "boom", "ok"], 2, |word| {
            if word == "boom" {
                panic!("cannot handle {word}");
            }
            word.len()
        });
        assert_eq!(
            outcome,
            Err(PoolError::TaskPanicked {
                item_idx: 2,
                message: "cannot handle boom".to_owned()
            })
        );
    }

    #[test]
    fn a_pool_without_workers_is_an_error() {
        assert_eq!(
            pool_map(vec![1, 2, 3], 0, |n: i32| n),
            Err(PoolError::NoWorkers)
        );
    }
}

mod exercise4_stop_flag {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;
    use lab1_threads::spawn_until_stopped;

    #[test]
    fn bananas_are_picked_until_the_apples_are_done() {
        let apples_done = Arc::new(AtomicBool::new(false));
        let banana_picker = spawn_until_stopped(Arc::clone(&apples_done), || {
            std::thread::sleep(unit() / 4);
        });
        // Meanwhile this thread picks apples for 3 units.
        std::thread::sleep(units(3));
        apples_done.store(true, Ordering::Release);
        let bananas = banana_picker
            .join()
            .expect("the banana picker does not panic");
        println!("{bananas} bananas were picked while the apples took 3 units");
        assert!(bananas > 0, "the banana picker never took a step");
    }

    #[test]
    fn a_worker_stopped_before_it_starts_takes_no_step() {
        let stop = Arc::new(AtomicBool::new(true));
        let worker = spawn_until_stopped(stop, || panic!("no step should run"));
        assert_eq!(worker.join().expect("no step ran, so nothing panicked"), 0);
    }
}

mod exercise5_countdown {
    use lab1_threads::Countdown;

    #[test]
    fn a_countdown_runs_on_its_named_thread_and_comes_back_finished() {
        let handle = Countdown::new("launch", 3)
            .start()
            .expect("the system can start a thread");
        assert_eq!(handle.thread().name(), Some("countdown-launch"));
        let finished = handle.join().expect("the countdown does not panic");
        assert_eq!(finished.remaining, 0);
        assert_eq!(finished.announced, [3, 2, 1]);
        assert_eq!(finished.ran_on_thread.as_deref(), Some("countdown-launch"));
    }

    #[test]
    fn run_counts_down_on_the_current_thread() {
        let mut countdown = Countdown::new("here", 2);
        countdown.run();
        assert_eq!(countdown.announced, [2, 1]);
        assert_eq!(
            countdown.ran_on_thread,
            std::thread::current().name().map(str::to_owned)
        );
    }
}

mod exercise6_fetch {
    use super::*;
    use lab1_threads::{fetch_concurrent, fetch_one, fetch_sequential};

    fn image_paths(n_images: u64) -> Vec<String> {
        (1..=n_images).map(SlowHttpServer::image_path).collect()
    }

    #[test]
    fn fetch_one_downloads_the_exact_bytes() {
        let server = SlowHttpServer::start(Duration::ZERO).unwrap();
        let body = fetch_one(server.addr(), "/image-1").unwrap();
        assert_eq!(body, SlowHttpServer::body_for("/image-1").unwrap());
    }

    #[test]
    fn five_images_concurrently_are_the_same_bytes_as_one_after_another() {
        let paths = image_paths(5);
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();

        let sequential_server = SlowHttpServer::start(unit()).unwrap();
        let (one_by_one, sequential_time) =
            measure(|| fetch_sequential(sequential_server.addr(), &paths));
        let concurrent_server = SlowHttpServer::start(unit()).unwrap();
        let (concurrently, concurrent_time) =
            measure(|| fetch_concurrent(concurrent_server.addr(), &paths, 5));

        for (path, (sequential_body, concurrent_body)) in
            paths.iter().zip(one_by_one.iter().zip(&concurrently))
        {
            let expected = SlowHttpServer::body_for(path).unwrap();
            assert_eq!(
                sequential_body.as_ref().unwrap(),
                &expected,
                "{path} one by one"
            );
            assert_eq!(
                concurrent_body.as_ref().unwrap(),
                &expected,
                "{path} concurrently"
            );
        }
        assert_eq!(sequential_server.max_in_flight(), 1);
        assert!(
            concurrent_server.max_in_flight() > 1,
            "fetch_concurrent sent one request at a time"
        );
        println!(
            "5 images, each held 1 unit by the server: one after another {:.1} units, \
             on 5 threads {:.1} units",
            in_units(sequential_time),
            in_units(concurrent_time)
        );
    }

    #[test]
    fn a_missing_image_is_an_error_in_its_place() {
        let server = SlowHttpServer::start(Duration::ZERO).unwrap();
        let results = fetch_concurrent(
            server.addr(),
            &["/image-1", "/no-such-image", "/image-2"],
            2,
        );
        assert_eq!(results.len(), 3);
        assert!(results[0].is_ok());
        assert_eq!(
            results[1].as_ref().unwrap_err().kind(),
            std::io::ErrorKind::NotFound
        );
        assert!(results[2].is_ok());
    }
}

mod exercise7_cpu_bound {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use lab1_threads::{count_down_on_threads, sum_of_squares};

    #[test]
    fn count_down_on_threads_takes_exactly_total_steps() {
        assert_eq!(count_down_on_threads(10, 3), 10);
        assert_eq!(count_down_on_threads(1_000_001, 2), 1_000_001);
        assert_eq!(count_down_on_threads(2, 4), 2);
        assert_eq!(count_down_on_threads(0, 2), 0);
    }

    #[test]
    fn sum_of_squares_is_the_same_on_any_number_of_threads() {
        let mut rng = StdRng::seed_from_u64(1);
        let numbers: Vec<u64> = (0..10_001)
            .map(|_| rng.random_range(0..1_000_000))
            .collect();
        let expected = numbers.iter().map(|n| n * n).sum::<u64>();
        for n_threads in [1, 2, 3, 8] {
            assert_eq!(
                sum_of_squares(&numbers, n_threads),
                expected,
                "{n_threads} threads"
            );
        }
        assert_eq!(sum_of_squares(&[], 2), 0);
    }

    #[test]
    fn two_threads_count_down_faster_than_one() {
        // Python: two threads are slower than one. Rust: see for yourself.
        const TOTAL: u64 = 20_000_000;
        let (_, one_thread) = measure(|| count_down_on_threads(TOTAL, 1));
        let (_, two_threads) = measure(|| count_down_on_threads(TOTAL, 2));
        println!(
            "counting down {TOTAL}: 1 thread {one_thread:?}, 2 threads {two_threads:?}, \
             speedup {:.2}x",
            one_thread.div_duration_f64(two_threads)
        );
    }
}
