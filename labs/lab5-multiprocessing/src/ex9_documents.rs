//! Exercise 9: parallel file work. Convert a folder of JSON documents into
//! plain-text files, serially and with the pool of exercise 4, and measure
//! how the chunk size changes the pool's speed.
//!
//! Each document is small, so converting one takes a few microseconds of
//! work and a few system calls, about as long as one round trip through a
//! pool worker's pipes. With one document per request, the workers spend
//! much of their time waiting for the next request; with bigger chunks,
//! each round trip carries more work. The grader's timing report shows the
//! conversion of a few thousand documents with 2 workers at chunk sizes 1,
//! 2, 4, ..., 256 (the lecture's experiment with `Pool.map(...,
//! chunksize)`).
//!
//! The tasks name files rather than carry documents: a worker reads its
//! input file and writes its output file itself, so only two paths and a
//! byte count cross the pipes per document. The outputs must be the same,
//! byte for byte, whatever the worker count and chunk size.
//!
//! Provided: the documents ([`Document`], [`generate_documents`]), their
//! text ([`document_to_text`]), the list of conversions of a folder
//! ([`plan_conversion`]) and the pool job `convert-document`, which calls
//! your [`convert_document`]. Yours: the three functions at the end.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::worker::Subcommand;
use crate::{Pool, ProcessError};

/// The worker program's sub-commands of this exercise (none: the pool's
/// workers run the `convert-document` job).
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[];

/// The name of the pool job that converts one document.
pub const CONVERT_DOCUMENT_JOB: &str = "convert-document";

// Provided complete, in `ex9_documents/provided.rs`: documents, the
// generator, the rendering, the listing.
mod provided;
pub use provided::*;

// ---------------------------------------------------------------------------
// Converting: yours to write.
// ---------------------------------------------------------------------------

/// Converts one document: reads the JSON file `task.input`, parses it as a
/// [`Document`] (`serde_json::from_str`), writes [`document_to_text`] of it
/// to `task.output`, and returns the number of bytes written.
///
/// Every failure (the file cannot be read, is not a document, the output
/// cannot be written) is an `Err` with a message that names the file and
/// says what went wrong. The error is a `String` because it may have to
/// cross a pipe: in a pool worker, this function's result travels back to
/// the parent as JSON.
///
/// Pitfall: `unwrap()` on the parse. In a pool worker, a panic kills the
/// worker process, and with it every other document of its chunk; one bad
/// document must cost only its own result.
pub fn convert_document(task: &ConversionTask) -> Result<u64, String> {
    let _ = task;
    todo!("exercise 9: convert_document")
}

/// Converts every document in this process, one after another, and returns
/// one outcome per task, in task order.
pub fn convert_documents_serial(tasks: &[ConversionTask]) -> Vec<Result<u64, String>> {
    let _ = tasks;
    todo!("exercise 9: convert_documents_serial")
}

/// Converts every document with the pool's workers, `chunk_size` documents
/// per request (the job [`CONVERT_DOCUMENT_JOB`]), and returns the same
/// outcomes as [`convert_documents_serial`], in task order.
///
/// Same outcomes means the same errors too: a job's error comes back as
/// [`TaskError::JobFailed`](crate::TaskError::JobFailed) holding the message [`convert_document`]
/// returned, which is what the serial version reports; any other
/// [`TaskError`](crate::TaskError) (a worker that died) becomes its text (`to_string()`). The
/// map itself failing (a chunk size of 0) is the `Err` of this function.
pub fn convert_documents_with_pool(
    pool: &mut Pool,
    tasks: &[ConversionTask],
    chunk_size: usize,
) -> Result<Vec<Result<u64, String>>, ProcessError> {
    let _ = (pool, tasks, chunk_size);
    todo!("exercise 9: convert_documents_with_pool")
}
