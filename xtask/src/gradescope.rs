//! `cargo xtask gradescope`: a Gradescope autograder bundle for one lab.
//! Placeholder while issue 7 is built.

use anyhow::Result;
use grader::course::Course;

#[derive(Debug, clap::Args)]
pub(crate) struct GradescopeArgs {}

pub(crate) fn run(_course: &Course, _args: GradescopeArgs) -> Result<u8> {
    anyhow::bail!("`gradescope` is not built yet")
}
