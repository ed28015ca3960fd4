//! The grader library's typed error. Binaries wrap it in `anyhow` with
//! context; the library never prints or exits.

use std::fmt;
use std::path::PathBuf;

/// An error from the grader library; [`Error::kind`] says which.
#[derive(Debug)]
pub struct Error {
    kind: Box<ErrorKind>,
}

/// What went wrong. New kinds may be added.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a valid course description: {message}", path.display())]
    InvalidCourse { path: PathBuf, message: String },
    #[error("{query} not found; known labs: {}", known.join(", "))]
    UnknownLab { query: String, known: Vec<String> },
    #[error("{lab} has no test named `{query}`; its tests: {}", known.join(", "))]
    UnknownTest {
        lab: String,
        query: String,
        known: Vec<String>,
    },
    #[error("{}: {message}", path.display())]
    InvalidSubmission { path: PathBuf, message: String },
    #[error("could not run the hidden suite {}: {message}", path.display())]
    Suite { path: PathBuf, message: String },
    #[error("could not run the public tests {}: {message}", path.display())]
    PublicTests { path: PathBuf, message: String },
    #[error("{message}")]
    Sandbox { message: String },
}

impl Error {
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind: Box::new(kind),
        }
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&*self.kind)
    }
}
