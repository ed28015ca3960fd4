//! `cargo xtask dist` and `publish`: the repository students receive, and
//! the release of reference solutions into it after a deadline.
//!
//! What ships: every crate under `labs/` (stubs with public tests, `labkit`,
//! `labsync`), the grader library with its own tests and examples, this
//! tool (sources and templates), the Python baselines in `tools/python/`
//! that the labs' docs refer to, and files written for the export: the
//! root `Cargo.toml` (the course's workspace without what does not ship),
//! `Cargo.lock`, `.cargo/config.toml`, a `course.toml` with each lab's
//! settings and hidden points but not its hidden tests' names or timing
//! experiments, `README.md` and a GitHub Actions workflow from
//! `xtask/templates/student/`, and `.gitignore`.
//!
//! What never ships: `solutions/` (unless released), `grader/suites/`,
//! `grader/fixtures/`, `grader/explorer/` and `xtask/tests/` (its snapshots
//! hold hidden test names and outputs). Nothing is copied from a folder
//! that is not listed here, so a new folder of the course stays private
//! until it is added on purpose; `xtask/tests/dist.rs` proves no file or
//! line of the private folders reaches the export.
//!
//! This module also owns [`require_instructor_repository`], the check that
//! instructor commands (verify, gradescope, grade-batch, dist, publish) run
//! in the course's own repository rather than in an export.

use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use grader::course::{Course, Lab};
use toml::{Table, Value};

use crate::EXIT_ALL_PASSED;

/// The student README; `@@NAME@@` placeholders are filled in by
/// [`render_template`].
const README_TEMPLATE: &str = include_str!("../templates/student/README.md");
/// The GitHub Actions workflow that grades every lab on push.
const WORKFLOW_TEMPLATE: &str = include_str!("../templates/student/grade.yml");
/// Where the workflow goes in the export.
pub(crate) const WORKFLOW_PATH: &str = ".github/workflows/grade.yml";

/// Folders copied whole from the course (relative to its root), apart from
/// build output and editor leftovers. Solutions are copied per lab.
const SHIPPED_FOLDERS: &[&str] = &[
    "labs",
    "grader/src",
    "grader/tests",
    "grader/examples",
    "xtask/src",
    "xtask/templates",
    "tools/python",
];
/// Single files copied as they are.
const SHIPPED_FILES: &[&str] = &["grader/Cargo.toml", ".cargo/config.toml"];

#[derive(Debug, clap::Args)]
pub(crate) struct DistArgs {
    /// The folder to write the students' repository into (created if
    /// missing; it must be empty unless --force).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also release these labs' reference solutions, comma-separated
    /// (lab1,lab2; any form `grade` accepts).
    #[arg(long, value_name = "LABS", value_delimiter = ',')]
    with_solutions: Vec<String>,
    /// Replace whatever DIR holds (all of it except a .git folder, so DIR
    /// may be a clone of the students' repository).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct PublishArgs {
    /// The labs whose reference solutions to release, comma-separated
    /// (lab1,lab2; any form `grade` accepts).
    #[arg(value_name = "LABS", value_delimiter = ',', required = true)]
    labs: Vec<String>,
    /// The students' repository, as written by `cargo xtask dist`.
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
}

/// Fails with a clear message when the course is a students' repository
/// (no hidden suites), where instructor commands cannot work. Call it first
/// thing in such a command.
pub(crate) fn require_instructor_repository(course: &Course) -> Result<()> {
    if is_instructor_repository(course) {
        return Ok(());
    }
    bail!(
        "this command is for instructors: it needs the course's own repository, with the hidden \
         suites (grader/suites/), the reference solutions and the known-buggy fixtures. {} is a \
         students' repository (written by `cargo xtask dist`), where `cargo xtask grade LAB` \
         grades a lab's public tests",
        course.root.display()
    )
}

/// Whether the course holds its hidden suites (an export never does).
fn is_instructor_repository(course: &Course) -> bool {
    grader::public::holds_hidden_suites(course)
}

pub(crate) fn run_dist(course: &Course, args: DistArgs) -> Result<u8> {
    require_instructor_repository(course)?;
    let released = find_labs(course, &args.with_solutions)?;
    let out_dir = resolved_path(&args.out)?;
    refuse_course_folders(course, &out_dir)?;
    prepare_out_dir(&out_dir, args.force)?;

    for folder in SHIPPED_FOLDERS {
        let source = course.root.join(folder);
        if source.is_dir() {
            copy_tree(&source, &out_dir.join(folder))?;
        }
    }
    for file in SHIPPED_FILES {
        copy_file(&course.root.join(file), &out_dir.join(file))?;
    }
    write_file(
        &out_dir.join("xtask").join("Cargo.toml"),
        &exported_xtask_manifest(course)?,
    )?;
    for lab in &released {
        copy_tree(
            &lab.solution_dir(&course.root),
            &solution_dir_in(&out_dir, lab),
        )?;
    }
    let lock_file = course.root.join("Cargo.lock");
    if lock_file.is_file() {
        copy_file(&lock_file, &out_dir.join("Cargo.lock"))?;
    }
    write_file(
        &out_dir.join("course.toml"),
        &student_course_description(course)?,
    )?;
    write_file(
        &out_dir.join("README.md"),
        &render_template(README_TEMPLATE, &readme_values(course))?,
    )?;
    write_file(
        &out_dir.join(WORKFLOW_PATH),
        &render_template(WORKFLOW_TEMPLATE, &workflow_values(course))?,
    )?;
    write_file(
        &out_dir.join(".gitignore"),
        "# Build output, and the results of `cargo xtask grade`.\n/target\n",
    )?;
    write_workspace_manifest(course, &out_dir)?;
    refresh_lock_file(&out_dir);

    println!(
        "wrote the students' repository to {}: {} labs (stubs and public tests), the grader \
         harness and `cargo xtask`; no hidden suites or fixtures",
        out_dir.display(),
        course.labs.len()
    );
    if released.is_empty() {
        println!(
            "no reference solution released (after a deadline: cargo xtask publish LAB --to {})",
            out_dir.display()
        );
    } else {
        println!("reference solutions released: {}", lab_ids(&released));
    }
    println!(
        "check it: cd {} && cargo test && cargo xtask grade lab{}",
        out_dir.display(),
        course.labs.first().map_or(1, |lab| lab.number)
    );
    Ok(EXIT_ALL_PASSED)
}

pub(crate) fn run_publish(course: &Course, args: PublishArgs) -> Result<u8> {
    require_instructor_repository(course)?;
    let labs = find_labs(course, &args.labs)?;
    let export_dir = resolved_path(&args.to)?;
    refuse_course_folders(course, &export_dir)?;
    let export_course = Course::load(&export_dir).with_context(|| {
        format!(
            "{} is not a students' repository written by `cargo xtask dist` (write one with \
             cargo xtask dist --out {})",
            export_dir.display(),
            export_dir.display()
        )
    })?;
    if is_instructor_repository(&export_course) {
        bail!(
            "{} holds hidden suites: it is a course repository, not a students' repository \
             written by `cargo xtask dist`",
            export_dir.display()
        );
    }
    for lab in &labs {
        if !lab.student_dir(&export_dir).join("Cargo.toml").is_file() {
            bail!(
                "{} has no {} (labs/{}): write the students' repository again with `cargo xtask \
                 dist --force --out {}` first",
                export_dir.display(),
                lab.id(),
                lab.crate_name,
                export_dir.display()
            );
        }
    }
    for lab in &labs {
        let destination = solution_dir_in(&export_dir, lab);
        if destination.exists() {
            std::fs::remove_dir_all(&destination).with_context(|| {
                format!("could not remove the old copy {}", destination.display())
            })?;
        }
        copy_tree(&lab.solution_dir(&course.root), &destination)?;
    }
    write_workspace_manifest(course, &export_dir)?;
    refresh_lock_file(&export_dir);
    for lab in &labs {
        println!(
            "released {lab}'s reference solution into {}; students grade it with `cargo xtask \
             grade {} --solution`",
            solution_dir_in(&export_dir, lab).display(),
            lab.id()
        );
    }
    Ok(EXIT_ALL_PASSED)
}

/// The labs named on the command line, each once, in the course's order.
fn find_labs<'a>(course: &'a Course, queries: &[String]) -> Result<Vec<&'a Lab>> {
    let mut found: Vec<&Lab> = Vec::new();
    for query in queries.iter().filter(|query| !query.trim().is_empty()) {
        let lab = course.find_lab(query)?;
        if !lab.solution_dir(&course.root).join("Cargo.toml").is_file() {
            bail!(
                "{lab} has no reference solution in {}",
                lab.solution_dir(&course.root).display()
            );
        }
        if !found.iter().any(|known| known.number == lab.number) {
            found.push(lab);
        }
    }
    found.sort_by_key(|lab| lab.number);
    Ok(found)
}

fn lab_ids(labs: &[&Lab]) -> String {
    labs.iter()
        .map(|lab| lab.id())
        .collect::<Vec<_>>()
        .join(", ")
}

fn solution_dir_in(repository: &Path, lab: &Lab) -> PathBuf {
    lab.solution_dir(repository)
}

/// `path` made absolute, with `..` and symbolic links of its existing part
/// resolved, so that it can be compared with the course's folder before
/// anything is created.
fn resolved_path(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path)
        .with_context(|| format!("could not make {} an absolute path", path.display()))?;
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .with_context(|| format!("could not resolve {}", existing.display()))?;
    for name in missing.iter().rev() {
        if Path::new(name)
            .components()
            .any(|part| part == Component::ParentDir)
        {
            bail!("{}: `..` after a missing folder", path.display());
        }
        resolved.push(name);
    }
    Ok(resolved)
}

/// Refuses an output folder that would overwrite the course: the course's
/// folder itself, a folder holding it, or a folder inside it other than
/// build output (`target/`).
fn refuse_course_folders(course: &Course, out_dir: &Path) -> Result<()> {
    let course_root = course
        .root
        .canonicalize()
        .with_context(|| format!("could not resolve {}", course.root.display()))?;
    let inside_course = out_dir.starts_with(&course_root);
    let build_output = course_root.join("target");
    let inside_build_output = out_dir.starts_with(&build_output) && out_dir != build_output;
    if course_root.starts_with(out_dir) || (inside_course && !inside_build_output) {
        bail!(
            "{} is the course's folder or overlaps it; write the students' repository somewhere \
             else (for example ../students)",
            out_dir.display()
        );
    }
    Ok(())
}

/// Creates the output folder, or empties it with `force` (keeping `.git`).
fn prepare_out_dir(out_dir: &Path, force: bool) -> Result<()> {
    if out_dir.exists() {
        let entries: Vec<PathBuf> = std::fs::read_dir(out_dir)
            .with_context(|| format!("could not read {}", out_dir.display()))?
            .map(|entry| entry.map(|entry| entry.path()))
            .collect::<std::io::Result<_>>()
            .with_context(|| format!("could not read {}", out_dir.display()))?;
        if !entries.is_empty() && !force {
            bail!(
                "{} is not empty; pass --force to replace what it holds (a .git folder is kept)",
                out_dir.display()
            );
        }
        for entry in entries {
            if entry.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            let removed = if entry.is_dir() && !entry.is_symlink() {
                std::fs::remove_dir_all(&entry)
            } else {
                std::fs::remove_file(&entry)
            };
            removed.with_context(|| format!("could not remove {}", entry.display()))?;
        }
    }
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("could not create {}", out_dir.display()))
}

/// Whether a file or folder met while copying is build output or an
/// editor's or tool's leftover, which never ships.
fn is_leftover(name: &str) -> bool {
    matches!(name, "target" | ".git" | ".DS_Store")
        || name.ends_with(".pending-snap")
        || name.ends_with(".snap.new")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".orig")
        || name.ends_with(".rej")
}

/// Copies a folder's files (not its leftovers) to `destination`.
fn copy_tree(source: &Path, destination: &Path) -> Result<()> {
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(source)
        .with_context(|| format!("could not read {}", source.display()))?
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("could not read {}", source.display()))?;
    entries.sort_by_key(|entry| entry.file_name());
    std::fs::create_dir_all(destination)
        .with_context(|| format!("could not create {}", destination.display()))?;
    for entry in entries {
        let name = entry.file_name();
        if is_leftover(&name.to_string_lossy()) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &destination.join(&name))?;
        } else {
            copy_file(&path, &destination.join(&name))?;
        }
    }
    Ok(())
}

fn copy_file(source: &Path, destination: &Path) -> Result<()> {
    if let Some(folder) = destination.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("could not create {}", folder.display()))?;
    }
    std::fs::copy(source, destination).with_context(|| {
        format!(
            "could not copy {} to {}",
            source.display(),
            destination.display()
        )
    })?;
    Ok(())
}

fn write_file(path: &Path, contents: &str) -> Result<()> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("could not create {}", folder.display()))?;
    }
    std::fs::write(path, contents).with_context(|| format!("could not write {}", path.display()))
}

/// This tool's manifest for the export: as in the course, except that its
/// dev-dependencies are only those its unit tests use. The integration
/// tests (`xtask/tests/`) do not ship, and the crates only they need
/// (snapshot and command-line test tools) would take about a third of a
/// student's first `cargo test`. A dependency counts as used when some
/// file of `xtask/src` names its crate (`tempfile::`).
fn exported_xtask_manifest(course: &Course) -> Result<String> {
    let manifest_path = course.root.join("xtask").join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("could not read {}", manifest_path.display()))?;
    let sources_dir = course.root.join("xtask").join("src");
    let mut sources = String::new();
    for entry in std::fs::read_dir(&sources_dir)
        .with_context(|| format!("could not read {}", sources_dir.display()))?
    {
        let path = entry
            .with_context(|| format!("could not read {}", sources_dir.display()))?
            .path();
        if path.extension().is_some_and(|extension| extension == "rs") {
            sources.push_str(
                &std::fs::read_to_string(&path)
                    .with_context(|| format!("could not read {}", path.display()))?,
            );
        }
    }
    let mut exported = String::new();
    let mut in_dev_dependencies = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_dev_dependencies = trimmed == "[dev-dependencies]";
            exported.push_str(line);
            exported.push('\n');
            if in_dev_dependencies {
                exported.push_str(
                    "# Only what the unit tests in src/ use: the integration tests (xtask/tests)\n\
                     # are not part of this repository.\n",
                );
            }
            continue;
        }
        let dependency = trimmed
            .split(['.', '=', ' '])
            .next()
            .unwrap_or_default()
            .replace('-', "_");
        let unused = in_dev_dependencies
            && !dependency.is_empty()
            && !trimmed.starts_with('#')
            && !sources.contains(&format!("{dependency}::"));
        if !unused {
            exported.push_str(line);
            exported.push('\n');
        }
    }
    Ok(exported)
}

/// The export's `course.toml`: each lab's settings and what its hidden
/// tests are worth, without their names or the timing experiments. Written
/// by hand, in the course file's own key order, for the person who reads
/// it; strings are quoted by `toml`.
fn student_course_description(course: &Course) -> Result<String> {
    use std::fmt::Write as _;
    let quoted = |text: &str| Value::String(text.to_owned()).to_string();
    let mut text = String::from(
        "# The course description of this repository, written by `cargo xtask dist`.\n\
         #\n\
         # Each lab's crate (labs/<crate>), its settings, and what its hidden tests\n\
         # are worth in all (hidden_points). The hidden tests themselves are not\n\
         # here: the course's autograder runs them. `cargo xtask grade LAB` grades\n\
         # a lab's public tests; `cargo xtask list` shows this file as a table.\n\n",
    );
    let _ = writeln!(text, "title = {}", quoted(&course.title));
    for lab in &course.labs {
        let _ = writeln!(text, "\n[[labs]]");
        let _ = writeln!(text, "number = {}", lab.number);
        let _ = writeln!(text, "slug = {}", quoted(&lab.slug));
        let _ = writeln!(text, "crate = {}", quoted(&lab.crate_name));
        let _ = writeln!(
            text,
            "default_timeout_secs = {}",
            Value::Float(lab.default_timeout_secs)
        );
        if let Some(facade) = &lab.facade {
            let _ = writeln!(text, "facade = {}", quoted(facade));
        }
        if let Some(worker_main) = &lab.worker_main {
            let _ = writeln!(text, "worker_main = {}", quoted(worker_main));
        }
        let _ = writeln!(text, "hidden_points = {}", lab.max_points());
    }
    // What students receive must load as a course, or every command fails.
    Course::parse(&text).map_err(|message| {
        anyhow::anyhow!("the students' course.toml would not load ({message}); this is a bug")
    })?;
    Ok(text)
}

/// The export's root `Cargo.toml`: the course's workspace manifest with
/// its members limited to what ships, plus the released solutions found in
/// `repository`.
fn write_workspace_manifest(course: &Course, repository: &Path) -> Result<()> {
    let course_manifest_path = course.root.join("Cargo.toml");
    let mut manifest: Table = std::fs::read_to_string(&course_manifest_path)
        .with_context(|| format!("could not read {}", course_manifest_path.display()))?
        .parse()
        .with_context(|| format!("{} is not valid TOML", course_manifest_path.display()))?;
    let released: Vec<String> = course
        .labs
        .iter()
        .filter(|lab| {
            solution_dir_in(repository, lab)
                .join("Cargo.toml")
                .is_file()
        })
        .map(|lab| format!("solutions/{}", lab.crate_name))
        .collect();
    let workspace = manifest
        .get_mut("workspace")
        .and_then(Value::as_table_mut)
        .with_context(|| format!("{} has no [workspace]", course_manifest_path.display()))?;
    for key in ["members", "default-members"] {
        let Some(Value::Array(course_members)) = workspace.get(key) else {
            continue;
        };
        let mut members: Vec<Value> = course_members
            .iter()
            .filter_map(Value::as_str)
            .filter(|member| !member.starts_with("solutions/") && ships(repository, member))
            .map(Value::from)
            .collect();
        members.extend(released.iter().map(|member| Value::from(member.as_str())));
        workspace.insert(key.into(), Value::Array(members));
    }
    // Only the course excludes folders (its fixtures); none ship.
    workspace.remove("exclude");
    let text = format!(
        "# The workspace of this repository, written by `cargo xtask dist` from the\n\
         # course's own (`cargo xtask publish` adds released solutions to it).\n\
         #\n\
         # A bare `cargo test` builds and tests the shared crates (and released\n\
         # solutions) but not the lab crates, whose public tests fail until you\n\
         # solve them: run those with `cargo test -p lab1-threads` (and so on).\n\n{}",
        toml::to_string(&manifest).context("could not write the workspace manifest")?
    );
    write_file(&repository.join("Cargo.toml"), &text)
}

/// Whether a workspace member (a path, or a folder followed by `/*`) is
/// in the export.
fn ships(repository: &Path, member: &str) -> bool {
    let folder = member.strip_suffix("/*").unwrap_or(member);
    repository.join(folder).is_dir()
}

/// Brings the copied `Cargo.lock` in line with the export's smaller
/// workspace, as the first build would, so a fresh clone's first build
/// leaves the repository unchanged. Works offline from cargo's cache; if
/// cargo cannot, the lock file stays as copied and the first build trims
/// it.
fn refresh_lock_file(repository: &Path) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let refreshed = Command::new(cargo)
        .args(["metadata", "--offline", "--format-version", "1", "--quiet"])
        .arg("--manifest-path")
        .arg(repository.join("Cargo.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    match refreshed {
        Ok(output) if output.status.success() => {}
        Ok(output) => eprintln!(
            "warning: could not bring Cargo.lock up to date offline (the first build will): {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ),
        Err(err) => eprintln!(
            "warning: could not run cargo to bring Cargo.lock up to date (the first build will): \
             {err}"
        ),
    }
}

/// Fills `@@NAME@@` placeholders; a placeholder without a value is an
/// error, so a template never ships half filled.
fn render_template(template: &str, values: &[(&str, String)]) -> Result<String> {
    let mut text = template.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("@@{name}@@"), value);
    }
    if let Some(start) = text.find("@@") {
        let rest = &text[start..];
        let placeholder = rest.lines().next().unwrap_or(rest);
        bail!("a template has a placeholder with no value: {placeholder}");
    }
    Ok(text)
}

fn readme_values(course: &Course) -> Vec<(&'static str, String)> {
    let mut lab_table = String::from(
        "| Lab | Crate | Public tests | Hidden tests |\n|-----|-------|--------------|--------------|\n",
    );
    for lab in &course.labs {
        lab_table.push_str(&format!(
            "| `{}` {} | `labs/{}` | `cargo test -p {}` | {} points |\n",
            lab.id(),
            lab.slug,
            lab.crate_name,
            lab.crate_name,
            lab.max_points()
        ));
    }
    let first_lab = course.labs.first();
    vec![
        ("COURSE_TITLE", course.title.clone()),
        ("LAB_TABLE", lab_table.trim_end().to_owned()),
        (
            "FIRST_LAB",
            first_lab.map_or_else(|| "lab1".to_owned(), Lab::id),
        ),
        (
            "FIRST_CRATE",
            first_lab.map_or_else(|| "lab1-threads".to_owned(), |lab| lab.crate_name.clone()),
        ),
    ]
}

fn workflow_values(course: &Course) -> Vec<(&'static str, String)> {
    let lab_ids: Vec<String> = course.labs.iter().map(Lab::id).collect();
    vec![("LABS", lab_ids.join(" "))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_with_an_unfilled_placeholder_is_an_error() {
        let filled = render_template("grade @@LABS@@ now", &[("LABS", "lab1 lab2".into())]);
        assert_eq!(filled.unwrap(), "grade lab1 lab2 now");
        let unfilled = render_template("a @@TITLE@@ b", &[]).unwrap_err();
        assert!(unfilled.to_string().contains("@@TITLE@@"), "{unfilled}");
    }

    #[test]
    fn the_shipped_templates_have_a_value_for_every_placeholder() {
        let course = Course::load(&crate::default_course_root()).unwrap();
        render_template(README_TEMPLATE, &readme_values(&course)).unwrap();
        render_template(WORKFLOW_TEMPLATE, &workflow_values(&course)).unwrap();
    }

    #[test]
    fn build_output_and_editor_leftovers_never_ship() {
        for leftover in ["target", ".git", "lib.rs~", "x.snap.new", "a.pending-snap"] {
            assert!(is_leftover(leftover), "{leftover}");
        }
        for kept in ["lib.rs", "public.rs", "Cargo.toml", "README.md"] {
            assert!(!is_leftover(kept), "{kept}");
        }
    }
}
