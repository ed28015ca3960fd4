//! `cargo xtask dist` and `publish`: the student export and solution
//! releases. Placeholder while issue 7 is built.

use anyhow::Result;
use grader::course::Course;

#[derive(Debug, clap::Args)]
pub(crate) struct DistArgs {}

#[derive(Debug, clap::Args)]
pub(crate) struct PublishArgs {}

pub(crate) fn run_dist(_course: &Course, _args: DistArgs) -> Result<u8> {
    anyhow::bail!("`dist` is not built yet")
}

pub(crate) fn run_publish(_course: &Course, _args: PublishArgs) -> Result<u8> {
    anyhow::bail!("`publish` is not built yet")
}
