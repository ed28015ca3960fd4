//! A course fixture turned into what a student could upload: one crate.
//!
//! The course's fixtures are the reference solution with one item
//! replaced: they depend on the reference by path and re-export it. An
//! upload is built with the lab's dependencies only, so to grade a fixture
//! as an upload, the reference comes along as a module (`src/reference/`)
//! and the dependency goes.

use std::path::Path;

/// Writes fixture `fixture` of the course at `course_root`, built on the
/// reference in `solutions/<lab_crate>`, into `dest` as one crate.
pub fn fixture_as_one_crate(course_root: &Path, fixture: &str, lab_crate: &str, dest: &Path) {
    copy_tree(&course_root.join("grader/fixtures").join(fixture), dest);
    let manifest = std::fs::read_to_string(dest.join("Cargo.toml")).unwrap();
    let manifest: String = manifest
        .lines()
        .filter(|line| !line.starts_with("reference ="))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(dest.join("Cargo.toml"), manifest).unwrap();
    let module = dest.join("src").join("reference");
    copy_tree(
        &course_root.join("solutions").join(lab_crate).join("src"),
        &module,
    );
    std::fs::rename(module.join("lib.rs"), module.join("mod.rs")).unwrap();
    for entry in std::fs::read_dir(&module).unwrap().flatten() {
        if entry.path().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(entry.path(), text.replace("crate::", "crate::reference::")).unwrap();
        }
    }
    // After the crate's inner doc comment, which must come first.
    let lib = std::fs::read_to_string(dest.join("src/lib.rs")).unwrap();
    let docs: String = lib
        .lines()
        .take_while(|line| line.starts_with("//!"))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(
        dest.join("src/lib.rs"),
        format!("{docs}mod reference;\n{}", &lib[docs.len()..]),
    )
    .unwrap();
}

/// Copies a folder recursively.
pub fn copy_tree(source: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).unwrap();
    for entry in std::fs::read_dir(source).unwrap().flatten() {
        let target = dest.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
