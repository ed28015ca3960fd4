//! Where the course is, and the real `cargo xtask` binary pointed at it:
//! shared by the end-to-end test files (each includes this file with
//! `#[path]`).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The course's root folder: the workspace holding this xtask crate.
pub fn course_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The real binary, run in the course's root (whatever `COURSE_ROOT` the
/// test's environment holds).
pub fn xtask() -> Command {
    let mut command = Command::cargo_bin("xtask").unwrap();
    command.current_dir(course_root()).env_remove("COURSE_ROOT");
    command
}
