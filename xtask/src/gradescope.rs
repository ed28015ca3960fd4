//! `cargo xtask gradescope`: a Gradescope autograder bundle for one lab.
//!
//! The bundle is a zip that Gradescope unzips into `/autograder/source`.
//! At its root are `setup.sh`, run once when Gradescope builds the
//! autograder's image (it installs Rust if needed, builds this tool and
//! grades the reference once to fill the build cache), and
//! `run_autograder`, run for each submission (it grades the submitted crate
//! and leaves `/autograder/results/results.json`, whatever happens). Both
//! are templates in `xtask/templates/gradescope/`.
//!
//! Next to them is what grading the lab needs and nothing else: the
//! workspace manifest reduced to the crates grading needs (this tool, the
//! grader, the lab's hidden suite and reference solution, and every crate
//! one of them depends on by path, found by reading their manifests), the
//! lock file, cargo's configuration, and a course description holding only
//! this lab. Of each crate it ships what a build reads: the manifest,
//! `src/`, the build script, declared targets' files and the files its
//! sources include by path (`#[path = ...]`, `include_str!`); so never
//! `target/`, other labs, fixtures, or this tool's tests (their snapshots
//! name other labs' hidden tests).
//!
//! Before the zip is written, the bundle is staged in a folder and checked:
//! its workspace must load (`cargo metadata`) and its course description
//! must hold the lab. This module does not grade anything itself.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use grader::course::{COURSE_FILE, Course, Lab};
use toml::{Table, Value};

const SETUP_TEMPLATE: &str = include_str!("../templates/gradescope/setup.sh");
const RUN_AUTOGRADER_TEMPLATE: &str = include_str!("../templates/gradescope/run_autograder");

/// Permissions of the files in the zip: Gradescope runs the two scripts
/// directly.
const EXECUTABLE_MODE: u32 = 0o755;
const REGULAR_MODE: u32 = 0o644;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Upload the zip as the assignment's autograder on Gradescope (Ubuntu \
                        base image) and set the assignment's autograder timeout above the grade \
                        time limit. The zip holds the lab's hidden suite and reference solution: \
                        keep it away from students."
)]
pub(crate) struct GradescopeArgs {
    /// The lab the autograder grades (lab4, 4, queues or lab4-queues).
    #[arg(long, value_name = "LAB")]
    lab: String,
    /// Where to write the zip [default: target/gradescope/<lab>-autograder.zip].
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The Rust toolchain setup.sh installs when the image has no cargo
    /// [default: the version of this machine's rustc, which built and
    /// verified the course; the workspace's rust-version if that is not a
    /// stable release].
    #[arg(long, value_name = "VERSION")]
    rust_version: Option<String>,
    /// Stop grading a submission after this many seconds (the results of
    /// every finished test are kept); keep it below the assignment's
    /// autograder timeout on Gradescope.
    #[arg(long, value_name = "SECONDS", default_value_t = 540, value_parser = clap::value_parser!(u32).range(10..))]
    time_limit_secs: u32,
    /// Multiply every test's timeout by FACTOR on Gradescope's machines.
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0)]
    timeout_scale: f64,
}

/// One file of the bundle.
#[derive(Debug)]
struct BundleEntry {
    /// Its path in the zip, with `/` separators.
    path_in_zip: String,
    contents: Contents,
    mode: u32,
}

#[derive(Debug)]
enum Contents {
    /// A file of the course, copied.
    Copied(PathBuf),
    /// A file written for the bundle.
    Generated(String),
}

pub(crate) fn run(course: &Course, args: GradescopeArgs) -> Result<u8> {
    crate::dist::require_instructor_repository(course)?;
    let lab = course.find_lab(&args.lab)?;
    if !(args.timeout_scale.is_finite() && args.timeout_scale > 0.0) {
        bail!(
            "--timeout-scale must be a positive number, got {}",
            args.timeout_scale
        );
    }
    let course_root = course
        .root
        .canonicalize()
        .with_context(|| format!("could not find the course folder {}", course.root.display()))?;
    for (what, dir) in [
        ("hidden suite", lab.suite_dir(&course_root)),
        ("reference solution", lab.solution_dir(&course_root)),
    ] {
        if !dir.join("Cargo.toml").is_file() {
            bail!(
                "the {what} of {lab} is not in this repository ({} has no Cargo.toml); build \
                 the autograder from the instructors' repository, not from a student export",
                dir.display()
            );
        }
    }
    let rust_version = toolchain_version(args.rust_version.as_deref(), &course_root)?;
    let out = args.out.clone().unwrap_or_else(|| {
        course_root
            .join("target")
            .join("gradescope")
            .join(format!("{}-autograder.zip", lab.id()))
    });

    let members = package_closure(
        &course_root,
        &[
            course_root.join("xtask"),
            course_root.join("grader"),
            lab.suite_dir(&course_root),
            lab.solution_dir(&course_root),
            // The student crate: its manifest lists the dependencies a
            // submission is built with, and `setup.sh` grades its stubs as a
            // submission to compile them into the submissions' build folder.
            lab.student_dir(&course_root),
        ],
    )?;
    let substitutions = [
        ("{{LAB}}", lab.id()),
        ("{{LAB_CRATE}}", lab.crate_name.clone()),
        ("{{RUST_VERSION}}", rust_version.clone()),
        ("{{TIME_LIMIT_SECS}}", args.time_limit_secs.to_string()),
        ("{{TIMEOUT_SCALE}}", args.timeout_scale.to_string()),
    ];
    let entries = bundle_entries(&course_root, lab, &members, &substitutions)?;

    let staging_dir = out.with_file_name(format!(".{}-staging-{}", lab.id(), std::process::id()));
    let checked = stage_and_check(&entries, &staging_dir, lab);
    let _ = std::fs::remove_dir_all(&staging_dir);
    checked?;
    let zip_bytes = write_zip(&entries, &out)?;

    let member_list: Vec<String> = members
        .iter()
        .map(|member| relative_slash_path(&course_root, member))
        .collect::<Result<_>>()?;
    println!(
        "wrote {}: the Gradescope autograder of {lab}, {} files, {} KiB",
        out.display(),
        entries.len(),
        zip_bytes.div_ceil(1024)
    );
    println!("  crates: {}", member_list.join(", "));
    println!(
        "  setup.sh installs Rust {rust_version} if the image has no cargo; a grade stops after {} \
         s",
        args.time_limit_secs
    );
    println!(
        "Upload it as the assignment's autograder (Ubuntu base image) and set the autograder \
         timeout above {} s. It holds the hidden suite and the reference: keep it from students.",
        args.time_limit_secs
    );
    Ok(crate::EXIT_ALL_PASSED)
}

/// The toolchain `setup.sh` installs: the one asked for, or this machine's
/// stable rustc (the one that built and verified the course), or the
/// workspace's `rust-version`. Never older than `rust-version`.
fn toolchain_version(requested: Option<&str>, course_root: &Path) -> Result<String> {
    let minimum = workspace_rust_version(course_root)?;
    let version = match requested {
        Some(requested) => requested.trim().to_owned(),
        None => installed_stable_rustc().unwrap_or_else(|| minimum.clone()),
    };
    let is_release = !version.is_empty()
        && version.split('.').count() <= 3
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()));
    let is_channel = ["stable", "beta", "nightly"].contains(&version.as_str());
    if !(is_release || is_channel) {
        bail!(
            "--rust-version {version:?} is not a Rust release (like 1.85.0) or a channel (stable)"
        );
    }
    if is_release && version_numbers(&version) < version_numbers(&minimum) {
        bail!("--rust-version {version} is older than the workspace's rust-version {minimum}");
    }
    Ok(version)
}

fn workspace_rust_version(course_root: &Path) -> Result<String> {
    let manifest = read_manifest(&course_root.join("Cargo.toml"))?;
    manifest
        .get("workspace")
        .and_then(|workspace| workspace.get("package"))
        .and_then(|package| package.get("rust-version"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .context("the workspace's Cargo.toml declares no [workspace.package] rust-version")
}

/// `1.95.0` from `rustc 1.95.0 (59807616e 2026-04-14)`; nothing for a
/// nightly or beta compiler, or without rustc.
fn installed_stable_rustc() -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc).arg("--version").output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let version = text.split_whitespace().nth(1)?;
    version
        .bytes()
        .all(|byte| byte.is_ascii_digit() || byte == b'.')
        .then(|| version.to_owned())
}

fn version_numbers(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

/// `roots` and every package they depend on by path (normal, dev and build
/// dependencies, also through `workspace = true`), as canonical folders in
/// a stable order.
fn package_closure(course_root: &Path, roots: &[PathBuf]) -> Result<BTreeSet<PathBuf>> {
    let workspace_manifest = read_manifest(&course_root.join("Cargo.toml"))?;
    let workspace_dependencies = workspace_manifest
        .get("workspace")
        .and_then(|workspace| workspace.get("dependencies"))
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();
    let mut packages = BTreeSet::new();
    let mut to_visit: Vec<PathBuf> = roots.to_vec();
    while let Some(package_dir) = to_visit.pop() {
        let package_dir = package_dir
            .canonicalize()
            .with_context(|| format!("could not find the crate {}", package_dir.display()))?;
        if !package_dir.starts_with(course_root) {
            bail!(
                "{} is outside the course folder {}; the bundle can only hold the course's own \
                 crates",
                package_dir.display(),
                course_root.display()
            );
        }
        if !packages.insert(package_dir.clone()) {
            continue;
        }
        let manifest = read_manifest(&package_dir.join("Cargo.toml"))?;
        for (name, spec) in dependency_specs(&manifest) {
            let path = match spec.get("path").and_then(Value::as_str) {
                Some(path) => Some(package_dir.join(path)),
                None if spec.get("workspace").and_then(Value::as_bool) == Some(true) => {
                    workspace_dependencies
                        .get(&name)
                        .and_then(|inherited| inherited.get("path"))
                        .and_then(Value::as_str)
                        .map(|path| course_root.join(path))
                }
                None => None,
            };
            to_visit.extend(path);
        }
    }
    Ok(packages)
}

/// Every dependency declaration of a manifest, as (name, table); a plain
/// version string has no path and is left out.
fn dependency_specs(manifest: &Table) -> Vec<(String, Table)> {
    const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&Table> = KINDS
        .iter()
        .filter_map(|kind| manifest.get(*kind).and_then(Value::as_table))
        .collect();
    if let Some(targets) = manifest.get("target").and_then(Value::as_table) {
        for target in targets.values().filter_map(Value::as_table) {
            tables.extend(
                KINDS
                    .iter()
                    .filter_map(|kind| target.get(*kind).and_then(Value::as_table)),
            );
        }
    }
    tables
        .into_iter()
        .flat_map(|table| table.iter())
        .filter_map(|(name, spec)| Some((name.clone(), spec.as_table()?.clone())))
        .collect()
}

/// The bundle's files, sorted by their path in the zip.
fn bundle_entries(
    course_root: &Path,
    lab: &Lab,
    members: &BTreeSet<PathBuf>,
    substitutions: &[(&str, String)],
) -> Result<Vec<BundleEntry>> {
    let mut copied: BTreeSet<PathBuf> = BTreeSet::new();
    for member in members {
        copied.extend(package_files(course_root, member)?);
    }
    for root_file in ["Cargo.lock", ".cargo/config.toml", "rust-toolchain.toml"] {
        let path = course_root.join(root_file);
        if path.is_file() {
            copied.insert(path);
        }
    }
    let mut entries = Vec::new();
    for path in copied {
        entries.push(BundleEntry {
            path_in_zip: relative_slash_path(course_root, &path)?,
            mode: if is_executable(&path)? {
                EXECUTABLE_MODE
            } else {
                REGULAR_MODE
            },
            contents: Contents::Copied(path),
        });
    }
    let member_paths: Vec<String> = members
        .iter()
        .map(|member| relative_slash_path(course_root, member))
        .collect::<Result<_>>()?;
    let generated = [
        (
            "Cargo.toml",
            reduced_workspace_manifest(course_root, lab, &member_paths)?,
            REGULAR_MODE,
        ),
        (
            COURSE_FILE,
            single_lab_course(course_root, lab)?,
            REGULAR_MODE,
        ),
        (
            "setup.sh",
            fill_template("setup.sh", SETUP_TEMPLATE, substitutions)?,
            EXECUTABLE_MODE,
        ),
        (
            "run_autograder",
            fill_template("run_autograder", RUN_AUTOGRADER_TEMPLATE, substitutions)?,
            EXECUTABLE_MODE,
        ),
    ];
    for (path_in_zip, text, mode) in generated {
        entries.push(BundleEntry {
            path_in_zip: path_in_zip.to_owned(),
            contents: Contents::Generated(text),
            mode,
        });
    }
    entries.sort_by(|left, right| left.path_in_zip.cmp(&right.path_in_zip));
    Ok(entries)
}

/// What building the package reads: its manifest, `src/`, its build script,
/// its declared targets' files, and what its sources include by path.
fn package_files(course_root: &Path, package_dir: &Path) -> Result<BTreeSet<PathBuf>> {
    let manifest_path = package_dir.join("Cargo.toml");
    let manifest = read_manifest(&manifest_path)?;
    let mut files = BTreeSet::from([manifest_path]);
    // Paths are made canonical, so that `..` never reaches a zip path.
    let add_existing = |files: &mut BTreeSet<PathBuf>, path: PathBuf| -> Result<()> {
        let Ok(path) = path.canonicalize() else {
            return Ok(());
        };
        if !path.starts_with(course_root) {
            bail!(
                "{} needs {}, outside the course folder",
                package_dir.display(),
                path.display()
            );
        }
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else if path.is_file() {
            files.insert(path);
        }
        Ok(())
    };
    add_existing(&mut files, package_dir.join("src"))?;
    let build_script = manifest
        .get("package")
        .and_then(|package| package.get("build"))
        .and_then(Value::as_str)
        .unwrap_or("build.rs");
    add_existing(&mut files, package_dir.join(build_script))?;
    for (kind, default_dir) in [
        ("lib", "src"),
        ("bin", "src/bin"),
        ("test", "tests"),
        ("bench", "benches"),
        ("example", "examples"),
    ] {
        let targets: Vec<&Table> = match manifest.get(kind) {
            Some(Value::Table(target)) => vec![target],
            Some(Value::Array(targets)) => targets.iter().filter_map(Value::as_table).collect(),
            _ => Vec::new(),
        };
        for target in targets {
            if let Some(path) = target.get("path").and_then(Value::as_str) {
                add_existing(&mut files, package_dir.join(path))?;
            } else if let Some(name) = target.get("name").and_then(Value::as_str) {
                // Cargo infers the file from the name: NAME.rs or NAME/main.rs.
                add_existing(
                    &mut files,
                    package_dir.join(default_dir).join(format!("{name}.rs")),
                )?;
                add_existing(&mut files, package_dir.join(default_dir).join(name))?;
            }
        }
    }

    // Files the sources include by path, which may lie outside the package
    // (a reference solution includes the files handed to students complete).
    let mut to_scan: Vec<PathBuf> = files
        .iter()
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .cloned()
        .collect();
    while let Some(source) = to_scan.pop() {
        let text = std::fs::read_to_string(&source)
            .with_context(|| format!("could not read {}", source.display()))?;
        let source_dir = source.parent().unwrap_or(package_dir);
        for included in paths_included_by(&text) {
            let included = source_dir.join(included);
            let included = included.canonicalize().with_context(|| {
                format!(
                    "{} includes {}, which does not exist",
                    source.display(),
                    included.display()
                )
            })?;
            if !included.starts_with(course_root) {
                bail!(
                    "{} includes {}, outside the course folder",
                    source.display(),
                    included.display()
                );
            }
            if files.insert(included.clone())
                && included
                    .extension()
                    .is_some_and(|extension| extension == "rs")
            {
                to_scan.push(included);
            }
        }
    }
    Ok(files)
}

/// The relative paths named by `#[path = "..."]` (at the start of a line),
/// `include_str!("...")` and `include_bytes!("...")` in Rust source text.
/// A plain text scan: a false find inside a string literal names a file
/// that must then exist, and the bundle check reports it.
fn paths_included_by(source: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for line in source.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("#[path = \"") {
            if let Some(end) = rest.find('"') {
                paths.push(rest[..end].to_owned());
            }
        }
        for opening in ["include_str!(\"", "include_bytes!(\""] {
            let mut rest = line;
            while let Some(start) = rest.find(opening) {
                rest = &rest[start + opening.len()..];
                if let Some(end) = rest.find('"') {
                    paths.push(rest[..end].to_owned());
                    rest = &rest[end..];
                }
            }
        }
    }
    paths
}

/// Every file under `dir`, skipping hidden entries and `target` folders.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut to_visit = vec![dir.to_path_buf()];
    while let Some(dir) = to_visit.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("could not list {}", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("could not list {}", dir.display()))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            let path = entry.path();
            let file_type = entry
                .file_type()
                .with_context(|| format!("could not inspect {}", path.display()))?;
            if file_type.is_dir() {
                to_visit.push(path);
            } else if file_type.is_file() {
                files.push(path);
            }
        }
    }
    Ok(files)
}

/// The course's workspace manifest with only the bundle's crates as
/// members (and no `default-members` or `exclude`, which name other
/// folders); dependencies, lints and profiles unchanged.
fn reduced_workspace_manifest(course_root: &Path, lab: &Lab, members: &[String]) -> Result<String> {
    let path = course_root.join("Cargo.toml");
    let mut manifest = read_manifest(&path)?;
    let workspace = manifest
        .get_mut("workspace")
        .and_then(Value::as_table_mut)
        .with_context(|| format!("{} has no [workspace] table", path.display()))?;
    workspace.insert(
        "members".to_owned(),
        Value::Array(members.iter().cloned().map(Value::String).collect()),
    );
    workspace.remove("default-members");
    workspace.remove("exclude");
    Ok(format!(
        "# The course's workspace, reduced by `cargo xtask gradescope --lab {}` to the crates that \
         grading it needs.\n{}",
        lab.id(),
        toml::to_string(&manifest).context("could not write the reduced workspace manifest")?
    ))
}

/// `course.toml` with only this lab.
fn single_lab_course(course_root: &Path, lab: &Lab) -> Result<String> {
    let path = course_root.join(COURSE_FILE);
    let mut description = read_manifest(&path)?;
    let labs = description
        .get_mut("labs")
        .and_then(Value::as_array_mut)
        .with_context(|| format!("{} has no [[labs]]", path.display()))?;
    labs.retain(|entry| {
        entry.get("number").and_then(Value::as_integer) == Some(i64::from(lab.number))
    });
    let text = format!(
        "# The course description, reduced by `cargo xtask gradescope --lab {}` to this lab.\n{}",
        lab.id(),
        toml::to_string(&description).context("could not write the reduced course description")?
    );
    let reduced = Course::parse(&text).map_err(|message| {
        anyhow::anyhow!("the reduced course description is not valid: {message}")
    })?;
    if reduced.labs.len() != 1 || reduced.labs[0].tests.len() != lab.tests.len() {
        bail!("the reduced course description lost {lab}");
    }
    Ok(text)
}

fn fill_template(name: &str, template: &str, substitutions: &[(&str, String)]) -> Result<String> {
    let mut text = template.to_owned();
    for (placeholder, value) in substitutions {
        text = text.replace(placeholder, value);
    }
    if let Some(start) = text.find("{{") {
        let placeholder: String = text[start..].chars().take(30).collect();
        bail!("the {name} template has an unknown placeholder: {placeholder}...");
    }
    Ok(text)
}

/// Writes the bundle into `staging_dir` and checks that its workspace loads
/// and its course description holds the lab.
fn stage_and_check(entries: &[BundleEntry], staging_dir: &Path, lab: &Lab) -> Result<()> {
    if staging_dir.exists() {
        std::fs::remove_dir_all(staging_dir)
            .with_context(|| format!("could not empty {}", staging_dir.display()))?;
    }
    for entry in entries {
        let path = staging_dir.join(&entry.path_in_zip);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("could not create {}", parent.display()))?;
        }
        match &entry.contents {
            Contents::Copied(source) => std::fs::copy(source, &path).map(|_| ()),
            Contents::Generated(text) => std::fs::write(&path, text),
        }
        .with_context(|| format!("could not write {}", path.display()))?;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--offline",
            "--no-deps",
            "--format-version",
            "1",
        ])
        .arg("--manifest-path")
        .arg(staging_dir.join("Cargo.toml"))
        .stdin(Stdio::null())
        .output()
        .context("could not run cargo metadata to check the bundle's workspace")?;
    if !output.status.success() {
        bail!(
            "the bundle's workspace does not load (a crate it needs is missing?):\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let staged_course = Course::load(staging_dir).context("the bundle's course.toml")?;
    let staged_lab = staged_course.find_lab(&lab.id())?;
    for dir in [
        staged_lab.suite_dir(staging_dir),
        staged_lab.solution_dir(staging_dir),
        staged_lab.student_dir(staging_dir),
    ] {
        if !dir.join("Cargo.toml").is_file() {
            bail!("the bundle lacks {}", dir.display());
        }
    }
    Ok(())
}

/// Writes the zip through a temporary file and a rename; returns its size.
fn write_zip(entries: &[BundleEntry], out: &Path) -> Result<u64> {
    if let Some(parent) = out.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    let temporary = out.with_file_name(format!(
        ".{}.{}.tmp",
        out.file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let file = File::create(&temporary)
        .with_context(|| format!("could not create {}", temporary.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    for entry in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(entry.mode);
        zip.start_file(entry.path_in_zip.as_str(), options)
            .with_context(|| format!("could not add {} to the zip", entry.path_in_zip))?;
        let bytes = match &entry.contents {
            Contents::Copied(source) => std::fs::read(source)
                .with_context(|| format!("could not read {}", source.display()))?,
            Contents::Generated(text) => text.clone().into_bytes(),
        };
        zip.write_all(&bytes)
            .with_context(|| format!("could not add {} to the zip", entry.path_in_zip))?;
    }
    zip.finish()
        .with_context(|| format!("could not finish {}", temporary.display()))?;
    std::fs::rename(&temporary, out)
        .with_context(|| format!("could not move the zip to {}", out.display()))?;
    let size = std::fs::metadata(out)
        .with_context(|| format!("could not inspect {}", out.display()))?
        .len();
    Ok(size)
}

fn read_manifest(path: &Path) -> Result<Table> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read {}", path.display()))?;
    text.parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))
}

/// `path` relative to `root`, with `/` separators (zip paths and manifest
/// member paths use them on every system).
fn relative_slash_path(root: &Path, path: &Path) -> Result<String> {
    let relative = path
        .strip_prefix(root)
        .with_context(|| format!("{} is outside {}", path.display(), root.display()))?;
    Ok(relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

fn is_executable(path: &Path) -> Result<bool> {
    use std::os::unix::fs::PermissionsExt as _;
    let metadata =
        std::fs::metadata(path).with_context(|| format!("could not inspect {}", path.display()))?;
    Ok(metadata.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_paths_included_by_attributes_and_macros() {
        // Written with placeholders, so that the bundle's own scan of this
        // file finds nothing here.
        let source = r#"
            PATH_ATTRIBUTE"../../../labs/lab5/src/worker.rs"]
            mod worker;
            // PATH_ATTRIBUTE"commented/out.rs"]
            const README: &str = INCLUDE_STR"../templates/README.md");
            static BYTES: &[u8] = INCLUDE_BYTES"data.bin"); const X: &str = INCLUDE_STR"b.txt");
        "#
        .replace("PATH_ATTRIBUTE", concat!("#[pa", "th = "))
        .replace("INCLUDE_STR", concat!("include_", "str!("))
        .replace("INCLUDE_BYTES", concat!("include_", "bytes!("));
        assert_eq!(
            paths_included_by(&source),
            [
                "../../../labs/lab5/src/worker.rs",
                "../templates/README.md",
                "b.txt",
                "data.bin"
            ]
        );
    }

    #[test]
    fn templates_have_no_placeholder_left_once_filled() {
        let substitutions = [
            ("{{LAB}}", "lab1".to_owned()),
            ("{{LAB_CRATE}}", "lab1-threads".to_owned()),
            ("{{RUST_VERSION}}", "1.95.0".to_owned()),
            ("{{TIME_LIMIT_SECS}}", "540".to_owned()),
            ("{{TIMEOUT_SCALE}}", "1".to_owned()),
        ];
        for (name, template) in [
            ("setup.sh", SETUP_TEMPLATE),
            ("run_autograder", RUN_AUTOGRADER_TEMPLATE),
        ] {
            let filled = fill_template(name, template, &substitutions).unwrap();
            assert!(filled.starts_with("#!/usr/bin/env bash\n"));
            assert!(filled.contains("lab1"));
        }
        assert!(fill_template("x", "{{UNKNOWN}}", &substitutions).is_err());
    }
}
