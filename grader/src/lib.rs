//! The course's grader.
//!
//! Two halves live here. [`harness`] and the [`suite!`] macro run inside a
//! hidden-suite binary, next to the graded code. Everything else runs in the
//! grader process, which never trusts the test process: [`course`] reads the
//! course description, [`build`] compiles a hidden suite against a chosen
//! implementation, [`runner`] runs each test in its own process group and
//! decides its verdict (with the Unix mechanics in [`process`]), [`results`]
//! writes and renders the results, and [`grade`] strings them together;
//! [`public`] grades a lab's public tests through the same runner (a
//! student repository has no hidden suites).

pub mod answers;
pub mod build;
pub mod course;
mod error;
pub mod experiment;
pub mod facade;
pub mod formats;
pub mod grade;
pub mod harness;
pub mod process;
pub mod protocol;
pub mod public;
pub mod report;
pub mod results;
pub mod runner;
pub mod sandbox;
mod submission;

pub use error::{Error, ErrorKind};
