//! Exercise 4: a shared log. Many threads write lines into one sink.

use std::io::{self, Write};

use labsync::sync::{Mutex, PoisonError};

/// A log that several threads write lines to at once.
#[derive(Debug, Default)]
pub struct SharedLog<W> {
    sink: Mutex<W>,
}

impl<W: Write> SharedLog<W> {
    /// A log that writes into `sink`.
    pub fn new(sink: W) -> SharedLog<W> {
        SharedLog {
            sink: Mutex::new(sink),
        }
    }

    /// Takes the sink back, with everything written to it (also after a
    /// writer panicked).
    pub fn into_inner(self) -> W {
        self.sink
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `"{source}: {message}\n"` as one unbroken line.
    ///
    /// The line is formatted before locking, so the critical section is
    /// one `write_all`.
    pub fn log(&self, source: &str, message: &str) -> io::Result<()> {
        let line = format!("{source}: {message}\n");
        self.sink.lock().unwrap().write_all(line.as_bytes())
    }
}
