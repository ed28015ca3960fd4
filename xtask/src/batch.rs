//! `cargo xtask grade-batch`: every submission in a folder, and a
//! gradebook. Placeholder while issue 7 is built.

use anyhow::Result;
use grader::course::Course;

#[derive(Debug, clap::Args)]
pub(crate) struct GradeBatchArgs {}

pub(crate) fn run(_course: &Course, _args: GradeBatchArgs) -> Result<u8> {
    anyhow::bail!("`grade-batch` is not built yet")
}
