//! Exercise 5: a countdown worker that owns its state and runs on a named
//! thread.

use std::io;
use std::thread::{self, JoinHandle};
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
    /// A countdown from `start_from` that has not run yet and does not pause.
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
    pub fn with_pause(mut self, pause: Duration) -> Countdown {
        self.pause_between_ticks = pause;
        self
    }

    /// The name of the thread [`Countdown::start`] runs it on:
    /// `countdown-<label>`.
    pub fn thread_name(&self) -> String {
        format!("countdown-{}", self.label)
    }

    /// Counts down to zero on the current thread.
    pub fn run(&mut self) {
        self.ran_on_thread = thread::current().name().map(str::to_owned);
        while self.remaining > 0 {
            self.announced.push(self.remaining);
            self.remaining -= 1;
            if !self.pause_between_ticks.is_zero() {
                thread::sleep(self.pause_between_ticks);
            }
        }
    }

    /// Moves the countdown to a new thread named [`Countdown::thread_name`],
    /// runs it there, and hands the finished countdown back through `join`.
    pub fn start(self) -> io::Result<JoinHandle<Countdown>> {
        thread::Builder::new()
            .name(self.thread_name())
            .spawn(move || {
                let mut countdown = self;
                countdown.run();
                countdown
            })
    }
}
