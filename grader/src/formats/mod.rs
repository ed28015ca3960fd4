//! The results in other tools' formats: Gradescope's `results.json`
//! schema, JUnit XML for CI test reporters, and Markdown for a CI job
//! summary.
//!
//! Each format is a pure function of a [`LabResults`]: it decides nothing
//! and reads no file, so that every format says the same thing as the
//! project's own `results.json`. The grader rewrites the requested files
//! next to `results.json` after every finished test, so an interrupted run
//! leaves every format as complete as the results themselves.

mod gradescope;
mod junit;
mod markdown;

use std::path::Path;

use crate::Error;
use crate::results::{LabResults, write_atomically};

/// A results format written to a file next to `results.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Gradescope's autograder `results.json` schema, as `gradescope.json`.
    Gradescope,
    /// JUnit XML, as `junit.xml`.
    Junit,
    /// The score table and timing summary, as `summary.md`.
    Markdown,
}

impl FileFormat {
    /// Every format, in the order they are documented.
    pub const ALL: [FileFormat; 3] = [
        FileFormat::Gradescope,
        FileFormat::Junit,
        FileFormat::Markdown,
    ];

    /// The file's name in the results folder.
    pub fn file_name(self) -> &'static str {
        match self {
            FileFormat::Gradescope => "gradescope.json",
            FileFormat::Junit => "junit.xml",
            FileFormat::Markdown => "summary.md",
        }
    }

    /// The document for `results`.
    pub fn render(self, results: &LabResults) -> String {
        match self {
            FileFormat::Gradescope => gradescope::render(results),
            FileFormat::Junit => junit::render(results),
            FileFormat::Markdown => markdown::render(results),
        }
    }
}

/// Writes each format's file into `out_dir`, each atomically.
pub fn write_files(
    results: &LabResults,
    out_dir: &Path,
    formats: &[FileFormat],
) -> Result<(), Error> {
    for format in formats {
        write_atomically(
            &out_dir.join(format.file_name()),
            format.render(results).as_bytes(),
        )?;
    }
    Ok(())
}
