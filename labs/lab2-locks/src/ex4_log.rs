//! Exercise 4: a shared log. Many threads write lines into one sink.
//!
//! In the lecture, threads that print at the same time produce garbled
//! output: one thread's text lands in the middle of another's line. A line
//! is written in pieces (the prefix, the message, the newline), and the
//! output is shared. The lines come out whole only if each thread holds
//! the sink for the whole line, and no line may be dropped because the
//! sink happened to be busy.
//!
//! [`SharedLog`] owns a sink (anything that implements `std::io::Write`: a
//! file, a `Vec<u8>`, a socket) behind a `Mutex`. You write
//! [`SharedLog::log`].

use std::io::{self, Write};

use labsync::sync::{Mutex, PoisonError};

/// A log that several threads write lines to at once.
#[derive(Debug, Default)]
pub struct SharedLog<W> {
    sink: Mutex<W>,
}

impl<W: Write> SharedLog<W> {
    /// A log that writes into `sink`. Provided complete.
    pub fn new(sink: W) -> SharedLog<W> {
        SharedLog {
            sink: Mutex::new(sink),
        }
    }

    /// Takes the sink back, with everything written to it. Provided
    /// complete.
    ///
    /// A writer that panicked mid-line poisons the lock; the lines written
    /// before are still worth having, so a poisoned sink is returned as it
    /// is.
    pub fn into_inner(self) -> W {
        self.sink
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes the line `"{source}: {message}\n"` to the sink, as one
    /// unbroken line: no other thread's text may appear inside it, and it
    /// must never be skipped. Returns the sink's error, if any.
    ///
    /// What to build: lock the sink once, write the whole line while
    /// holding the guard (`writeln!(guard, "{source}: {message}")` writes
    /// it in several pieces, which is fine under one guard), and only then
    /// let the guard go. Formatting the line into a `String` *before*
    /// locking keeps the critical section short: other threads wait only
    /// for the write itself.
    ///
    /// The idea: the lock's job here is to make a sequence of writes look
    /// like one to everyone else. What must stay together decides how long
    /// the lock is held.
    ///
    /// Pitfall: writing the prefix under one lock and the rest under
    /// another (or dropping the guard between two `write!` calls) lets
    /// another thread's line in between: `"a: b: hello\nworld\n"`. And
    /// `try_lock` that gives up when the sink is busy loses lines.
    pub fn log(&self, source: &str, message: &str) -> io::Result<()> {
        let _ = (&self.sink, source, message);
        todo!("exercise 4: SharedLog::log")
    }
}
