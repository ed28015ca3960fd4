//! `cargo xtask verify`: the instructor's proof that the course is sound.
//! Placeholder while issue 7 is built.

use anyhow::Result;
use grader::course::Course;

#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {}

pub(crate) fn run(_course: &Course, _args: VerifyArgs) -> Result<u8> {
    anyhow::bail!("`verify` is not built yet")
}
