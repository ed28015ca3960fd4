//! Where a cheater looks for the course: shared by the library and the
//! build script (which includes this file by path).

use std::path::PathBuf;

/// Every ancestor of each of `starts`, and the tiny course's root below
/// each (the test course lives in `xtask/tests/adversarial`), once each.
pub fn course_roots_around(starts: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    for start in starts {
        for ancestor in start.ancestors() {
            for root in [
                ancestor.to_path_buf(),
                ancestor.join("xtask/tests/adversarial"),
            ] {
                if !roots.contains(&root) {
                    roots.push(root);
                }
            }
        }
    }
    roots
}
