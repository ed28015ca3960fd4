//! Exercise 5: a countdown worker that owns its state and runs on a named
//! thread.
//!
//! In Python one subclasses `Thread` and overrides `run`. In Rust the usual
//! shape is a plain struct that owns its state and a method that moves the
//! struct into a new thread. The thread's closure returns the struct when
//! it is done, so `join` hands the final state back to whoever started it:
//! ownership travels to the thread and back, and no lock is needed.
//!
//! Naming threads pays off when something goes wrong: panic messages,
//! debuggers and `top -H` show the name instead of `<unnamed>`.

use std::io;
use std::thread::JoinHandle;
use std::time::Duration;

/// A countdown from `start_from` to zero that announces every number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Countdown {
    /// Names the countdown and its thread: `countdown-<label>`.
    pub label: String,
    /// The number the countdown started from.
    pub start_from: u64,
    /// The numbers still to announce; zero when the countdown is over.
    pub remaining: u64,
    /// Every number announced so far, in order: `start_from` down to 1.
    pub announced: Vec<u64>,
    /// How long to wait after each announcement.
    pub pause_between_ticks: Duration,
    /// The name of the thread that ran the countdown, once it has run.
    pub ran_on_thread: Option<String>,
}

impl Countdown {
    /// A countdown from `start_from` that has not run yet and does not
    /// pause. Provided complete.
    pub fn new(label: impl Into<String>, start_from: u64) -> Countdown {
        Countdown {
            label: label.into(),
            start_from,
            remaining: start_from,
            announced: Vec::new(),
            pause_between_ticks: Duration::ZERO,
            ran_on_thread: None,
        }
    }

    /// The same countdown, waiting `pause` after each announcement.
    /// Provided complete.
    pub fn with_pause(mut self, pause: Duration) -> Countdown {
        self.pause_between_ticks = pause;
        self
    }

    /// The name of the thread [`Countdown::start`] runs it on:
    /// `countdown-<label>`. Provided complete.
    pub fn thread_name(&self) -> String {
        format!("countdown-{}", self.label)
    }

    /// Counts down to zero on the current thread.
    ///
    /// First record the current thread's name in `ran_on_thread`
    /// (`std::thread::current().name()`). Then, while `remaining` is above
    /// zero: push `remaining` onto `announced`, decrease `remaining` by one,
    /// and sleep `pause_between_ticks` if it is not zero. A countdown from 3
    /// announces `[3, 2, 1]` and ends with `remaining == 0`.
    pub fn run(&mut self) {
        todo!("exercise 5: Countdown::run")
    }

    /// Moves the countdown to a new thread named [`Countdown::thread_name`],
    /// runs it there with [`Countdown::run`], and returns the thread's
    /// handle; `join` gives back the finished countdown.
    ///
    /// `std::thread::spawn` cannot name a thread; `std::thread::Builder`
    /// can (`Builder::new().name(...).spawn(...)`). Its `spawn` returns an
    /// `io::Result`, because the system may refuse to start a thread; pass
    /// that error on.
    ///
    /// The idea: `self` is moved into the closure, so while the thread runs
    /// nobody else can touch the countdown, and the closure returns it so
    /// that `join` gives it back.
    ///
    /// Pitfall: calling `self.run()` before spawning (and spawning a thread
    /// that only returns `self`) gets the right final state on the wrong
    /// thread: the caller waits for the whole countdown, and
    /// `ran_on_thread` shows it.
    pub fn start(self) -> io::Result<JoinHandle<Countdown>> {
        let _ = self;
        todo!("exercise 5: Countdown::start")
    }
}
