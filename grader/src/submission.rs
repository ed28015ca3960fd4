//! A submitted folder, made buildable wherever it came from.
//!
//! A student's lab crate is written inside the course's workspace: its
//! manifest inherits `edition.workspace = true`, `serde.workspace = true`,
//! `[lints] workspace = true`, and names the course's shared crates by
//! relative paths (`labsync = { path = "../labsync" }`). Handed in alone (an
//! autograder's `/autograder/submission`, one folder of a batch), that
//! manifest means nothing: cargo finds no workspace to inherit from.
//!
//! [`stage`] copies the submission's files into a folder the grader owns,
//! next to the generated suite package, and writes a standalone manifest:
//! everything inherited is filled in from the course's own workspace
//! manifest, relative paths become absolute (a path that does not exist
//! from the submitted folder but names one of the course's own crates under
//! `labs/` points at that crate), and the tables that only a workspace root
//! may hold (`[workspace]`, `[patch]`, `[profile]`, `[replace]`) are
//! dropped, so the grader's profile decides how the code is compiled.
//!
//! The dependencies are the grader's, not the submission's: every
//! dependency table (and `[features]`) is replaced by those of the course's
//! own crate for the lab, so a submission builds with exactly the crates
//! the lab allows, all already fetched (`--offline`), and no build
//! dependency the course did not choose. What the submission asked for
//! beyond that is reported ([`Staged::dropped_dependencies`]), for the
//! message of a build that then fails. Otherwise a submission could name
//! the reference solution by path, or any crate with a build script. The
//! course's own fixtures (`grader/fixtures/`, the instructor's buggy
//! versions of the reference, which depend on it) keep their manifests.
//!
//! This module copies and rewrites files; it builds nothing.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use crate::build::{read_manifest, resolve_dependency, write_if_changed};
use crate::{Error, ErrorKind};

/// Folder and file names never copied: build output, version control and
/// editor files, which are large or irrelevant to compiling the crate.
const NOT_COPIED: [&str; 3] = ["target", "Cargo.lock", "node_modules"];

/// At most this many bytes are copied from one submission.
const MAX_COPIED_BYTES: u64 = 64 * 1024 * 1024;

/// What staging found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Staged {
    /// Dependencies the submission's manifest named that the lab does not
    /// allow, left out of the staged manifest.
    pub dropped_dependencies: Vec<String>,
    /// The submission is one of the course's own fixtures
    /// (`grader/fixtures/`): the instructor's code, which keeps its
    /// manifest.
    pub is_course_fixture: bool,
}

/// Copies `submission` into `staged_dir` (files that did not change keep
/// their modification time, so cargo does not rebuild them) and writes its
/// standalone manifest there, with the dependencies of the course's own
/// crate for the lab (`lab_crate_dir`). A manifest that cannot be made
/// standalone is the submission's fault: the error says what to fix.
pub(crate) fn stage(
    course_root: &Path,
    lab_crate_dir: &Path,
    submission: &Path,
    staged_dir: &Path,
) -> Result<Staged, Error> {
    let fixtures = course_root.join("grader").join("fixtures");
    let is_course_fixture = match (submission.canonicalize(), fixtures.canonicalize()) {
        (Ok(submission), Ok(fixtures)) => submission.starts_with(fixtures),
        _ => false,
    };
    let lab_crate_dir = (!is_course_fixture).then_some(lab_crate_dir);
    let mut copied_bytes = 0;
    let mut kept = Vec::new();
    copy_tree(
        submission,
        staged_dir,
        Path::new(""),
        &mut copied_bytes,
        &mut kept,
    )?;
    remove_stale(staged_dir, Path::new(""), &kept)?;
    let (manifest, mut staged) = standalone_manifest(course_root, lab_crate_dir, submission)?;
    write_if_changed(&staged_dir.join("Cargo.toml"), &manifest)?;
    staged.is_course_fixture = is_course_fixture;
    Ok(staged)
}

/// The tables that say what a crate depends on.
const DEPENDENCY_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// The names of every dependency a manifest declares, in any table.
fn dependency_names(manifest: &Table) -> Vec<String> {
    let mut names = Vec::new();
    let mut collect = |table: &Table| {
        for kind in DEPENDENCY_TABLES {
            if let Some(Value::Table(dependencies)) = table.get(kind) {
                names.extend(dependencies.keys().cloned());
            }
        }
    };
    collect(manifest);
    if let Some(Value::Table(targets)) = manifest.get("target") {
        for target in targets.values().filter_map(Value::as_table) {
            collect(target);
        }
    }
    names.sort();
    names.dedup();
    names
}

fn invalid(submission: &Path, message: String) -> Error {
    Error::new(ErrorKind::InvalidSubmission {
        path: submission.to_path_buf(),
        message,
    })
}

fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> Error {
    Error::new(ErrorKind::Io {
        action,
        path: path.to_path_buf(),
        source,
    })
}

/// Copies regular files and folders; symbolic links and other special
/// files are skipped (a link could point anywhere on the grading machine).
fn copy_tree(
    from_root: &Path,
    to_root: &Path,
    relative: &Path,
    copied_bytes: &mut u64,
    kept: &mut Vec<PathBuf>,
) -> Result<(), Error> {
    let from = from_root.join(relative);
    let entries = std::fs::read_dir(&from).map_err(|source| io_error("list", &from, source))?;
    let mut entries: Vec<_> = entries
        .collect::<Result<_, _>>()
        .map_err(|source| io_error("list", &from, source))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if name_text.starts_with('.') || NOT_COPIED.contains(&name_text.as_ref()) {
            continue;
        }
        let entry_relative = relative.join(&name);
        let file_type = entry
            .file_type()
            .map_err(|source| io_error("inspect", &entry.path(), source))?;
        if file_type.is_dir() {
            let to = to_root.join(&entry_relative);
            std::fs::create_dir_all(&to).map_err(|source| io_error("create", &to, source))?;
            kept.push(entry_relative.clone());
            copy_tree(from_root, to_root, &entry_relative, copied_bytes, kept)?;
        } else if file_type.is_file() {
            let source_path = entry.path();
            let contents = std::fs::read(&source_path)
                .map_err(|source| io_error("read", &source_path, source))?;
            *copied_bytes += contents.len() as u64;
            if *copied_bytes > MAX_COPIED_BYTES {
                return Err(invalid(
                    from_root,
                    format!(
                        "the submission holds more than {} MiB of files (outside target/); \
                         submit the crate's sources only",
                        MAX_COPIED_BYTES / (1024 * 1024)
                    ),
                ));
            }
            let to = to_root.join(&entry_relative);
            if std::fs::read(&to).ok().as_deref() != Some(&contents[..]) {
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|source| io_error("create", parent, source))?;
                }
                std::fs::write(&to, &contents).map_err(|source| io_error("write", &to, source))?;
            }
            kept.push(entry_relative);
        }
    }
    Ok(())
}

/// Removes what an earlier staging copied but the submission no longer
/// holds (a deleted module must not keep compiling).
fn remove_stale(staged_root: &Path, relative: &Path, kept: &[PathBuf]) -> Result<(), Error> {
    let dir = staged_root.join(relative);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let entry_relative = relative.join(entry.file_name());
        if relative.as_os_str().is_empty() && entry.file_name() == "Cargo.toml" {
            continue;
        }
        let path = entry.path();
        if !kept.contains(&entry_relative) {
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(|source| io_error("remove", &path, source))?;
        } else if path.is_dir() {
            remove_stale(staged_root, &entry_relative, kept)?;
        }
    }
    Ok(())
}

/// The submission's manifest with nothing inherited, no relative path, and
/// the lab's own dependencies (those of the crate in `lab_crate_dir`; with
/// `None`, a course fixture, its own).
fn standalone_manifest(
    course_root: &Path,
    lab_crate_dir: Option<&Path>,
    submission: &Path,
) -> Result<(String, Staged), Error> {
    let manifest_path = submission.join("Cargo.toml");
    let mut manifest = read_manifest(&manifest_path)
        .map_err(|err| invalid(submission, format!("its Cargo.toml cannot be read: {err}")))?;
    let mut dropped_dependencies = Vec::new();
    if let Some(lab_crate_dir) = lab_crate_dir {
        let allowed = read_manifest(&lab_crate_dir.join("Cargo.toml"))?;
        let allowed_names = dependency_names(&allowed);
        dropped_dependencies = dependency_names(&manifest)
            .into_iter()
            .filter(|name| !allowed_names.contains(name))
            .collect();
        for kind in DEPENDENCY_TABLES.iter().chain(&["target", "features"]) {
            manifest.remove(*kind);
            // Development dependencies build nothing the grader runs.
            if *kind != "dev-dependencies"
                && let Some(value) = allowed.get(*kind)
            {
                manifest.insert((*kind).to_owned(), value.clone());
            }
        }
    }
    // Relative paths are relative to the manifest the tables came from.
    let dependency_base = lab_crate_dir.unwrap_or(submission);
    let workspace_manifest = read_manifest(&course_root.join("Cargo.toml"))?;
    let workspace = workspace_manifest
        .get("workspace")
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();
    let table_of = |key: &str| {
        workspace
            .get(key)
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default()
    };
    let workspace_package = table_of("package");
    let workspace_dependencies = table_of("dependencies");
    let workspace_lints = table_of("lints");

    for root_only in ["workspace", "patch", "profile", "replace"] {
        manifest.remove(root_only);
    }
    if let Some(Value::Table(package)) = manifest.get_mut("package") {
        for (key, value) in package.iter_mut() {
            if is_inherited(value) {
                *value = workspace_package.get(key).cloned().ok_or_else(|| {
                    invalid(
                        submission,
                        format!(
                            "Cargo.toml inherits `package.{key}` from the workspace, but the \
                             course's workspace does not set it; write the value itself"
                        ),
                    )
                })?;
            }
        }
    }
    if manifest.get("lints").is_some_and(is_inherited) {
        manifest.insert("lints".into(), Value::Table(workspace_lints));
    }
    // The dependencies now are the lab crate's: relative paths are relative
    // to it.
    let resolve_table = |dependencies: &mut Table| -> Result<(), Error> {
        for (name, spec) in dependencies.iter_mut() {
            let resolved = resolve_dependency(
                name,
                spec.clone(),
                dependency_base,
                course_root,
                &workspace_dependencies,
            )
            .map_err(|message| invalid(submission, format!("Cargo.toml: {message}")))?;
            *spec = point_missing_paths_at_course_crates(course_root, name, resolved);
        }
        Ok(())
    };
    for kind in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(Value::Table(dependencies)) = manifest.get_mut(kind) {
            resolve_table(dependencies)?;
        }
    }
    if let Some(Value::Table(targets)) = manifest.get_mut("target") {
        for (_, target) in targets.iter_mut() {
            let Value::Table(target) = target else {
                continue;
            };
            for kind in ["dependencies", "dev-dependencies", "build-dependencies"] {
                if let Some(Value::Table(dependencies)) = target.get_mut(kind) {
                    resolve_table(dependencies)?;
                }
            }
        }
    }
    Ok((
        format!(
            "# Written by the grader from {}: nothing inherited, no relative path, \
             the lab's own dependencies.\n{}",
            manifest_path.display(),
            toml::to_string(&manifest).expect("a TOML table always serializes")
        ),
        Staged {
            dropped_dependencies,
            is_course_fixture: false,
        },
    ))
}

/// `{ workspace = true }` (and `edition.workspace = true`).
fn is_inherited(value: &Value) -> bool {
    value
        .as_table()
        .and_then(|table| table.get("workspace"))
        .and_then(Value::as_bool)
        == Some(true)
}

/// A path dependency that does not exist where the submission says (a
/// student crate handed in without its siblings) but names one of the
/// course's crates in `labs/` (`labsync`, `labkit`) points at the course's.
fn point_missing_paths_at_course_crates(course_root: &Path, name: &str, spec: Value) -> Value {
    let Value::Table(mut table) = spec else {
        return spec;
    };
    let package_name = table
        .get("package")
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_owned();
    if let Some(path) = table.get("path").and_then(Value::as_str)
        && !Path::new(path).join("Cargo.toml").is_file()
    {
        let course_crate = course_root.join("labs").join(&package_name);
        if course_crate.join("Cargo.toml").is_file() {
            table.insert(
                "path".into(),
                Value::String(course_crate.to_string_lossy().into_owned()),
            );
        }
    }
    Value::Table(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn course(root: &Path) {
        write(
            &root.join("Cargo.toml"),
            r#"
[workspace]
members = ["labs/*"]
[workspace.package]
edition = "2024"
license = "MIT"
[workspace.dependencies]
serde = { version = "1", features = ["derive"] }
labkit = { path = "labs/labkit" }
[workspace.lints.clippy]
dbg_macro = "warn"
"#,
        );
        write(
            &root.join("labs/labsync/Cargo.toml"),
            "[package]\nname = \"labsync\"\nversion = \"0.1.0\"\n",
        );
        // The course's own crate for the lab: what a submission may use.
        write(
            &root.join("labs/lab2-locks/Cargo.toml"),
            r#"
[package]
name = "lab2-locks"
version = "0.1.0"
edition.workspace = true

[dependencies]
labsync = { path = "../labsync" }
serde.workspace = true

[dev-dependencies]
labkit.workspace = true
"#,
        );
    }

    fn lab_crate(root: &Path) -> PathBuf {
        root.join("labs/lab2-locks")
    }

    #[test]
    fn a_student_crate_is_made_standalone_with_the_courses_values() {
        let dir = tempfile::tempdir().unwrap();
        let course_root = dir.path().join("course");
        course(&course_root);
        let submission = dir.path().join("upload");
        write(
            &submission.join("Cargo.toml"),
            r#"
[package]
name = "lab2-locks"
version = "0.1.0"
edition.workspace = true
license.workspace = true

[dependencies]
labsync = { path = "../labsync" }
serde = { workspace = true, features = ["rc"] }
reqwest = "0.12"

[build-dependencies]
cc = "1"

[dev-dependencies]
labkit.workspace = true

[lints]
workspace = true

[profile.release]
opt-level = 0

[workspace]
"#,
        );
        write(&submission.join("src/lib.rs"), "pub fn f() {}\n");
        write(&submission.join("target/debug/junk"), "x");
        write(&submission.join(".git/HEAD"), "x");
        let staged = dir.path().join("staged");
        let staged_report =
            stage(&course_root, &lab_crate(&course_root), &submission, &staged).unwrap();
        assert_eq!(staged_report.dropped_dependencies, ["cc", "reqwest"]);

        assert_eq!(
            std::fs::read_to_string(staged.join("src/lib.rs")).unwrap(),
            "pub fn f() {}\n"
        );
        assert!(!staged.join("target").exists());
        assert!(!staged.join(".git").exists());
        let manifest: Table = std::fs::read_to_string(staged.join("Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(manifest["package"]["edition"].as_str(), Some("2024"));
        assert_eq!(manifest["package"]["license"].as_str(), Some("MIT"));
        assert_eq!(
            manifest["dependencies"]["labsync"]["path"].as_str(),
            Some(course_root.join("labs/labsync").to_str().unwrap())
        );
        assert_eq!(
            manifest["dependencies"]["serde"]["version"].as_str(),
            Some("1")
        );
        // The lab's dependencies, not the submission's: serde as the course
        // has it, nothing the lab does not allow, no build dependency.
        let features: Vec<&str> = manifest["dependencies"]["serde"]["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|feature| feature.as_str().unwrap())
            .collect();
        assert_eq!(features, ["derive"]);
        assert!(manifest["dependencies"].get("reqwest").is_none());
        assert!(manifest.get("build-dependencies").is_none());
        assert!(manifest.get("dev-dependencies").is_none());
        assert_eq!(
            manifest["lints"]["clippy"]["dbg_macro"].as_str(),
            Some("warn")
        );
        assert!(manifest.get("profile").is_none());
        assert!(manifest.get("workspace").is_none());

        // A file deleted from the submission disappears from the copy.
        write(&submission.join("src/extra.rs"), "// gone soon\n");
        stage(&course_root, &lab_crate(&course_root), &submission, &staged).unwrap();
        assert!(staged.join("src/extra.rs").is_file());
        std::fs::remove_file(submission.join("src/extra.rs")).unwrap();
        stage(&course_root, &lab_crate(&course_root), &submission, &staged).unwrap();
        assert!(!staged.join("src/extra.rs").exists());
        assert!(staged.join("src/lib.rs").is_file());
    }

    #[test]
    fn a_course_fixture_keeps_its_own_dependencies_and_an_upload_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let course_root = dir.path().join("course");
        course(&course_root);
        let manifest = "[package]\nname = \"lab2-locks\"\nversion = \"0.1.0\"\n\n\
                        [dependencies]\nreference = { package = \"lab2-locks-solution\", \
                        path = \"../../../solutions/lab2-locks\" }\n";
        let fixture = course_root.join("grader/fixtures/lab2-bug");
        write(&fixture.join("Cargo.toml"), manifest);
        write(&fixture.join("src/lib.rs"), "pub use reference::*;\n");
        let upload = course_root.join("uploads/student");
        write(&upload.join("Cargo.toml"), manifest);
        write(&upload.join("src/lib.rs"), "pub use reference::*;\n");

        let staged_fixture = dir.path().join("staged-fixture");
        let report = stage(
            &course_root,
            &lab_crate(&course_root),
            &fixture,
            &staged_fixture,
        )
        .unwrap();
        assert!(report.dropped_dependencies.is_empty());
        let kept: Table = std::fs::read_to_string(staged_fixture.join("Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
        assert!(kept["dependencies"].get("reference").is_some());

        // The same manifest uploaded by a student may not reach the solution.
        let staged_upload = dir.path().join("staged-upload");
        let report = stage(
            &course_root,
            &lab_crate(&course_root),
            &upload,
            &staged_upload,
        )
        .unwrap();
        assert_eq!(report.dropped_dependencies, ["reference"]);
        let replaced: Table = std::fs::read_to_string(staged_upload.join("Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
        assert!(replaced["dependencies"].get("reference").is_none());
    }

    #[test]
    fn inheriting_what_the_course_does_not_set_names_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let course_root = dir.path().join("course");
        course(&course_root);
        let submission = dir.path().join("upload");
        write(
            &submission.join("Cargo.toml"),
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\nrepository.workspace = true\n",
        );
        let err = stage(
            &course_root,
            &lab_crate(&course_root),
            &submission,
            &dir.path().join("staged"),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("inherits `package.repository`"),
            "{err}"
        );
    }
}
