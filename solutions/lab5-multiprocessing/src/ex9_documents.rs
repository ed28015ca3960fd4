//! Exercise 9: converting a folder of JSON documents to text with the pool
//! (reference).
//!
//! One conversion reads a file, parses it, renders it and writes the text,
//! all in whichever process runs it, so the serial version and the pool's
//! workers share [`convert_document`]. The pool version hands the workers
//! only the two paths of each document: the data never crosses a pipe, and
//! each result is a byte count. Results come back in the order of the
//! tasks, so both versions report the same outcomes in the same order.
//!
//! The generator, the text rendering and the listing of a folder are
//! provided to the student complete; they are the same here as in the
//! student crate.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::worker::Subcommand;
use crate::{Pool, ProcessError, TaskError};

/// The worker program's sub-commands of this exercise (none: the pool's
/// workers run the `convert-document` job).
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[];

/// The name of the pool job that converts one document.
pub const CONVERT_DOCUMENT_JOB: &str = "convert-document";

// Provided: documents, the generator, the rendering, the listing; the
// student crate's own file.
#[path = "../../../labs/lab5-multiprocessing/src/ex9_documents/provided.rs"]
mod provided;
pub use provided::*;

// ---------------------------------------------------------------------------
// Converting.
// ---------------------------------------------------------------------------

/// Converts one document: reads the JSON at `task.input`, renders it with
/// [`document_to_text`], writes the text to `task.output`. Returns the
/// number of bytes written, or a message naming the file and what went
/// wrong.
pub fn convert_document(task: &ConversionTask) -> Result<u64, String> {
    let json = fs::read_to_string(&task.input)
        .map_err(|error| format!("cannot read {}: {error}", task.input.display()))?;
    let document: Document = serde_json::from_str(&json)
        .map_err(|error| format!("{} is not a document: {error}", task.input.display()))?;
    let text = document_to_text(&document);
    fs::write(&task.output, &text)
        .map_err(|error| format!("cannot write {}: {error}", task.output.display()))?;
    Ok(text.len() as u64)
}

/// Converts every document in this process, one after another; one outcome
/// per task, in task order.
pub fn convert_documents_serial(tasks: &[ConversionTask]) -> Vec<Result<u64, String>> {
    tasks.iter().map(convert_document).collect()
}

/// Converts every document with the pool's workers, `chunk_size` documents
/// per request; one outcome per task, in task order, the same as
/// [`convert_documents_serial`]'s (a job's error is its message; a task
/// lost with its worker is the [`TaskError`]'s text).
pub fn convert_documents_with_pool(
    pool: &mut Pool,
    tasks: &[ConversionTask],
    chunk_size: usize,
) -> Result<Vec<Result<u64, String>>, ProcessError> {
    let outcomes = pool.map::<ConversionTask, u64>(CONVERT_DOCUMENT_JOB, tasks, chunk_size)?;
    Ok(outcomes
        .into_iter()
        .map(|outcome| {
            outcome.map_err(|error| match error {
                // The job's own message, exactly as the serial version
                // reports it.
                TaskError::JobFailed(message) => message,
                other => other.to_string(),
            })
        })
        .collect())
}
