//! Exercise 5, `Countdown`: started on a thread named `countdown-<label>`,
//! run there (not on the caller's thread), and handed back by `join` in its
//! final state.

use std::thread::JoinHandle;

use lab1_threads::Countdown;
use labkit::unit;

use crate::support::{call_graded, panic_text};

fn start(countdown: Countdown) -> JoinHandle<Countdown> {
    let call = format!(
        "Countdown::new({:?}, {}).start()",
        countdown.label, countdown.start_from
    );
    call_graded(&call, || countdown.start())
        .unwrap_or_else(|error| panic!("{call} returned an error: {error}"))
}

fn join(handle: JoinHandle<Countdown>) -> Countdown {
    handle.join().unwrap_or_else(|payload| {
        panic!(
            "the countdown thread panicked: {}",
            panic_text(payload.as_ref())
        )
    })
}

pub fn countdown_runs_on_a_thread_named_after_its_label() {
    let handles: Vec<JoinHandle<Countdown>> = [("apples", 3), ("bananas", 5)]
        .into_iter()
        .map(|(label, start_from)| start(Countdown::new(label, start_from).with_pause(unit() / 8)))
        .collect();
    for handle in handles {
        let name = handle.thread().name().map(str::to_owned);
        let finished = join(handle);
        let expected_name = format!("countdown-{}", finished.label);
        assert_eq!(
            name.as_deref(),
            Some(expected_name.as_str()),
            "the countdown's thread is misnamed; start() must spawn it with \
             std::thread::Builder::new().name(self.thread_name())"
        );
        assert_eq!(
            finished.ran_on_thread.as_deref(),
            Some(expected_name.as_str()),
            "the countdown ran on the wrong thread ({:?}); run() must happen inside the new \
             thread, not before spawning it",
            finished.ran_on_thread
        );
    }
}

pub fn countdown_join_returns_the_final_state() {
    let finished = join(start(Countdown::new("liftoff", 10)));
    let expected = Countdown {
        label: "liftoff".to_owned(),
        start_from: 10,
        remaining: 0,
        announced: (1..=10).rev().collect(),
        pause_between_ticks: std::time::Duration::ZERO,
        ran_on_thread: Some("countdown-liftoff".to_owned()),
    };
    assert_eq!(
        finished, expected,
        "join did not give back the finished countdown: expected remaining 0, announced \
         [10, 9, ..., 1] and the thread's name in ran_on_thread"
    );

    let finished = join(start(Countdown::new("zero", 0)));
    assert!(
        finished.remaining == 0
            && finished.announced.is_empty()
            && finished.ran_on_thread.as_deref() == Some("countdown-zero"),
        "a countdown from 0 announces nothing but still runs on its thread; got {finished:?}"
    );
}
