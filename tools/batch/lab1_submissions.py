#!/usr/bin/env python3
"""Writes a folder of 30 lab 1 submissions for measuring `cargo xtask grade-batch`.

Usage (from the course root):

    python3 tools/batch/lab1_submissions.py /tmp/lab1-batch
    time cargo xtask grade-batch --lab lab1 /tmp/lab1-batch -j 2 --out /tmp/lab1-batch-out

With `--reference-copies N` it writes only N copies of the reference (a
third of them as zips, a third as .tar.gz): every row of their gradebook
must be full marks, which shows that compiling the next submissions beside
a grade's tests costs no verdict:

    python3 tools/batch/lab1_submissions.py /tmp/lab1-refs --reference-copies 20

The mix is what an instructor's folder of downloads looks like: copies of the
reference solution (as folders, zips of a folder and .tar.gz archives), copies
of the untouched stubs (score 0 quickly), the lab 1 fixtures of
grader/fixtures (one that does not compile, one missing a function, one that
deadlocks, loops, exits, aborts and overflows its stack), the reference with
one plausible bug each (a text replacement in one file), and two entries that
cannot be graded (a folder without Cargo.toml, a zip that tries to write
outside its folder).

Every crate gets a standalone Cargo.toml, as a student's crate outside the
course's workspace would have. Standard library only. The folder is replaced
if it exists.
"""

import io
import pathlib
import shutil
import sys
import tarfile
import zipfile

COURSE_ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE_SRC = COURSE_ROOT / "solutions" / "lab1-threads" / "src"
STUBS_SRC = COURSE_ROOT / "labs" / "lab1-threads" / "src"
FIXTURES = COURSE_ROOT / "grader" / "fixtures"

STANDALONE_MANIFEST = """[package]
name = "lab1-threads"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
name = "lab1_threads"

[dependencies]
"""

# (name, file under src/, text to replace, replacement): one bug each.
BUGGY_VARIANTS = [
    (
        "run-both-waits-for-a-before-starting-b",
        "ex1_run_both.rs",
        "    let thread_b = thread::spawn(task_b);",
        "    while !thread_a.is_finished() {\n        thread::yield_now();\n    }\n"
        "    let thread_b = thread::spawn(task_b);",
    ),
    (
        "chunk-ranges-one-longer-chunk-too-many",
        "ex2_chunks.rs",
        "usize::from(chunk_idx < n_longer_chunks)",
        "usize::from(chunk_idx <= n_longer_chunks)",
    ),
    (
        "pool-map-accepts-zero-workers",
        "ex3_pool.rs",
        "    if n_workers == 0 {\n        return Err(PoolError::NoWorkers);\n    }\n",
        "",
    ),
    (
        "stop-flag-checked-after-the-step",
        "ex4_stop_flag.rs",
        "        while !stop.load(Ordering::Acquire) {\n            step();\n            n_steps += 1;\n        }",
        "        loop {\n            step();\n            n_steps += 1;\n"
        "            if stop.load(Ordering::Acquire) {\n                break;\n            }\n        }",
    ),
    (
        "countdown-thread-named-after-the-label-alone",
        "ex5_countdown.rs",
        "            .name(self.thread_name())",
        "            .name(self.label.clone())",
    ),
    (
        "fetch-concurrent-fetches-one-after-another",
        "ex6_fetch.rs",
        "    map_in_chunks(paths, n_threads, |path| fetch_one(server_addr, path))",
        "    fetch_sequential(server_addr, paths)",
    ),
    (
        "sum-of-squares-returns-early-for-long-input",
        "ex7_cpu_bound.rs",
        "pub fn sum_of_squares(numbers: &[u64], n_threads: usize) -> u64 {\n",
        "pub fn sum_of_squares(numbers: &[u64], n_threads: usize) -> u64 {\n"
        "    if numbers.len() > 1000 {\n        return 0;\n    }\n",
    ),
    (
        "count-down-on-threads-forgets-the-remainder",
        "ex7_cpu_bound.rs",
        ".map(|thread_idx| base_share + u64::from(thread_idx < n_larger_shares))",
        ".map(|thread_idx| base_share + 0 * u64::from(thread_idx < n_larger_shares))",
    ),
    (
        "map-in-chunks-returns-early-for-one-chunk",
        "ex2_chunks.rs",
        "    let ranges = chunk_ranges(items.len(), n_chunks);\n",
        "    let ranges = chunk_ranges(items.len(), n_chunks);\n"
        "    if ranges.len() > 3 {\n        return Vec::new();\n    }\n",
    ),
]


def write_crate(folder, src, manifest=STANDALONE_MANIFEST):
    folder.mkdir(parents=True)
    shutil.copytree(src, folder / "src")
    (folder / "Cargo.toml").write_text(manifest)


def zip_folder(folder, archive, top):
    """Zips `folder` with its files under `top/`, as zipping a folder does."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                bundle.write(path, f"{top}/{path.relative_to(folder)}")


def tar_gz_folder(folder, archive):
    """A .tar.gz of the crate's own files, at the archive's top."""
    with tarfile.open(archive, "w:gz") as bundle:
        for path in sorted(folder.rglob("*")):
            bundle.add(path, str(path.relative_to(folder)), recursive=False)


def write_fixture_as_one_crate(fixture, crate):
    """A fixture built on the reference, as one crate a student could upload."""
    shutil.copytree(fixture, crate)
    manifest = crate / "Cargo.toml"
    manifest.write_text(
        "".join(
            line + "\n"
            for line in manifest.read_text().splitlines()
            if not line.startswith("reference =")
        )
    )
    module = crate / "src" / "reference"
    shutil.copytree(REFERENCE_SRC, module)
    (module / "lib.rs").rename(module / "mod.rs")
    for path in module.iterdir():
        path.write_text(path.read_text().replace("crate::", "crate::reference::"))
    lib = (crate / "src" / "lib.rs").read_text().splitlines(keepends=True)
    docs = 0
    while docs < len(lib) and lib[docs].startswith("//!"):
        docs += 1
    lib.insert(docs, "mod reference;\n")
    (crate / "src" / "lib.rs").write_text("".join(lib))


def write_reference_copies(out, scratch, count):
    """`count` reference copies: folders, zips of a folder, .tar.gz."""
    for copy_idx in range(1, count + 1):
        name = f"reference-{copy_idx:02}"
        if copy_idx % 3 == 1:
            write_crate(out / name, REFERENCE_SRC)
        elif copy_idx % 3 == 2:
            write_crate(scratch / name, REFERENCE_SRC)
            zip_folder(scratch / name, out / f"{name}.zip", "lab1-threads")
        else:
            write_crate(scratch / name, REFERENCE_SRC)
            tar_gz_folder(scratch / name, out / f"{name}.tar.gz")


def main():
    args = sys.argv[1:]
    reference_copies = None
    if len(args) == 3 and args[1] == "--reference-copies" and args[2].isdigit():
        reference_copies = int(args[2])
    elif len(args) != 1:
        sys.exit(__doc__)
    out = pathlib.Path(args[0]).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    scratch = out.parent / (out.name + ".scratch")
    if scratch.exists():
        shutil.rmtree(scratch)
    if reference_copies is not None:
        write_reference_copies(out, scratch, reference_copies)
        if scratch.exists():
            shutil.rmtree(scratch)
        print(f"{reference_copies} reference copies in {out}")
        return

    # 13 reference copies: 7 folders, 3 zips of a folder, 3 tar.gz.
    for copy_idx in range(1, 8):
        write_crate(out / f"reference-{copy_idx:02}", REFERENCE_SRC)
    for copy_idx in range(8, 11):
        crate = scratch / f"reference-{copy_idx:02}"
        write_crate(crate, REFERENCE_SRC)
        zip_folder(crate, out / f"reference-{copy_idx:02}.zip", "lab1-threads")
    for copy_idx in range(11, 14):
        crate = scratch / f"reference-{copy_idx:02}"
        write_crate(crate, REFERENCE_SRC)
        tar_gz_folder(crate, out / f"reference-{copy_idx:02}.tar.gz")

    # 3 copies of the untouched stubs.
    for copy_idx in range(1, 4):
        write_crate(out / f"stubs-{copy_idx}", STUBS_SRC)

    # The lab 1 fixtures. The misbehaving one re-exports the reference; an
    # upload is built with the lab's dependencies only, so the reference
    # comes along as a module of the crate instead of a dependency.
    for name in ["lab1-type-error", "lab1-api-mismatch"]:
        shutil.copytree(FIXTURES / name, out / f"fixture-{name}")
    write_fixture_as_one_crate(FIXTURES / "lab1-misbehaving", out / "fixture-lab1-misbehaving")

    # 9 buggy variants of the reference.
    for name, file_name, old, new in BUGGY_VARIANTS:
        crate = out / f"buggy-{name}"
        write_crate(crate, REFERENCE_SRC)
        source = crate / "src" / file_name
        text = source.read_text()
        if old not in text:
            sys.exit(f"{name}: the text to replace is not in {file_name} any more")
        source.write_text(text.replace(old, new, 1))

    # 2 entries that cannot be graded.
    (out / "no-cargo-toml" / "src").mkdir(parents=True)
    shutil.copy(REFERENCE_SRC / "lib.rs", out / "no-cargo-toml" / "src" / "lib.rs")
    with zipfile.ZipFile(out / "path-traversal.zip", "w") as bundle:
        bundle.writestr("Cargo.toml", STANDALONE_MANIFEST)
        bundle.writestr("../evil", "written outside the submission's folder")

    shutil.rmtree(scratch)
    count = sum(1 for _ in out.iterdir())
    print(f"{count} submissions in {out}")


if __name__ == "__main__":
    main()
