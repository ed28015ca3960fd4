//! The error type shared by every function that starts worker processes.
//! Provided complete (the reference solution uses this same file).

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;

/// Why work handed to child processes failed. Every variant says which
/// child and what was seen, so a caller can print it as it is.
#[derive(Debug)]
#[non_exhaustive]
pub enum ProcessError {
    /// The request itself is impossible (no children, an empty range...);
    /// no process was started.
    InvalidRequest(String),
    /// The worker program could not be started (it does not exist, or is
    /// not executable).
    CouldNotStart { program: PathBuf, source: io::Error },
    /// Talking to a child (writing its input, reading its output, waiting
    /// for it) failed.
    Io {
        child_idx: usize,
        action: &'static str,
        source: io::Error,
    },
    /// A child exited with a failure status or was killed by a signal;
    /// `stderr` is what it wrote to its standard error.
    ChildFailed {
        child_idx: usize,
        status: ExitStatus,
        stderr: String,
    },
    /// A child exited successfully but its output was not what it should
    /// have printed.
    UnreadableOutput { child_idx: usize, output: String },
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProcessError::InvalidRequest(reason) => write!(f, "invalid request: {reason}"),
            ProcessError::CouldNotStart { program, source } => write!(
                f,
                "could not start the worker program {}: {source}",
                program.display()
            ),
            ProcessError::Io {
                child_idx,
                action,
                source,
            } => write!(f, "could not {action} child {child_idx}: {source}"),
            ProcessError::ChildFailed {
                child_idx,
                status,
                stderr,
            } => write!(
                f,
                "child {child_idx} failed ({status}); its standard error: {:?}",
                stderr.trim_end()
            ),
            ProcessError::UnreadableOutput { child_idx, output } => {
                write!(
                    f,
                    "child {child_idx} printed {output:?}, which is not a valid answer"
                )
            }
        }
    }
}

impl std::error::Error for ProcessError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ProcessError::CouldNotStart { source, .. } | ProcessError::Io { source, .. } => {
                Some(source)
            }
            _ => None,
        }
    }
}

/// A child's output as text for an error message, cut to a readable length.
pub fn shortened(bytes: &[u8]) -> String {
    const MAX_CHARS: usize = 300;
    let text = String::from_utf8_lossy(bytes);
    if text.chars().count() <= MAX_CHARS {
        text.into_owned()
    } else {
        let mut cut: String = text.chars().take(MAX_CHARS).collect();
        cut.push_str("...");
        cut
    }
}
