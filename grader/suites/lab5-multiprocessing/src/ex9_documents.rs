//! Exercise 9: converting a folder of JSON documents with the pool. The
//! serial version writes each document's text; the pool writes the same
//! files, byte for byte, and reports the same outcomes, for any worker
//! count and chunk size; an unreadable document is an error for itself
//! only, and costs no worker its life.
//!
//! Also the timing experiments of exercises 4 and 9: the conversion's time
//! by chunk size, and what a process costs (one spawn and wait, one pool
//! round trip per task).

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use grader::harness::{
    BenchMode, SUBJECT_UNDER_TEST, bench_mode, call_graded, measure, measure_at,
};
use lab5_multiprocessing::{
    ConversionTask, Document, POOL_WORKER_SUBCOMMAND, Pool, TaskError, convert_documents_serial,
    convert_documents_with_pool, document_to_text, generate_documents, plan_conversion,
};

use crate::ex4_pool::{
    drop_pool_and_check_no_worker_is_left, start_pool, within_limit, worker_program,
};

/// Generates `n_documents` documents into `folder/json` and plans their
/// conversion into `folder/<output_name>`.
fn documents_and_plan(
    folder: &Path,
    n_documents: usize,
    seed: u64,
    output_name: &str,
) -> Vec<ConversionTask> {
    let json = folder.join("json");
    if !json.exists() {
        call_graded("generate_documents(folder, n, seed)", || {
            generate_documents(&json, n_documents, seed)
        })
        .unwrap_or_else(|error| panic!("generate_documents failed: {error}"));
    }
    plan(folder, output_name)
}

fn plan(folder: &Path, output_name: &str) -> Vec<ConversionTask> {
    let (json, output) = (folder.join("json"), folder.join(output_name));
    call_graded("plan_conversion(input, output)", || {
        plan_conversion(&json, &output)
    })
    .unwrap_or_else(|error| panic!("plan_conversion failed: {error}"))
}

fn serial(tasks: &[ConversionTask]) -> Vec<Result<u64, String>> {
    let outcomes = call_graded("convert_documents_serial(tasks)", || {
        convert_documents_serial(tasks)
    });
    assert_eq!(
        outcomes.len(),
        tasks.len(),
        "convert_documents_serial returned {} outcomes for {} tasks",
        outcomes.len(),
        tasks.len()
    );
    outcomes
}

fn with_pool(
    pool: &mut Pool,
    tasks: &[ConversionTask],
    chunk_size: usize,
) -> Vec<Result<u64, String>> {
    let call = format!(
        "convert_documents_with_pool(pool, {} tasks, {chunk_size})",
        tasks.len()
    );
    let outcomes = call_graded(&call, || {
        convert_documents_with_pool(pool, tasks, chunk_size)
    })
    .unwrap_or_else(|error| panic!("{call} failed: {error}"));
    assert_eq!(
        outcomes.len(),
        tasks.len(),
        "documents lost: {call} returned {} outcomes for {} tasks",
        outcomes.len(),
        tasks.len()
    );
    outcomes
}

fn temporary_folder() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|error| panic!("suite: cannot create a folder: {error}"))
}

pub fn documents_convert_to_the_same_text_serially_and_with_any_pool() {
    within_limit(
        "converting 60 documents with pools",
        "a conversion with the pool never returned",
        || {
            let folder = temporary_folder();
            let serial_tasks = documents_and_plan(folder.path(), 60, 99, "serial");
            assert_eq!(
                serial_tasks.len(),
                60,
                "plan_conversion found {} documents",
                serial_tasks.len()
            );
            let serial_outcomes = serial(&serial_tasks);
            for (task, outcome) in serial_tasks.iter().zip(&serial_outcomes) {
                let document: Document = serde_json::from_str(
                    &fs::read_to_string(&task.input).expect("suite: read a generated document"),
                )
                .expect("suite: a generated document parses");
                let expected = document_to_text(&document);
                let written = fs::read_to_string(&task.output).unwrap_or_else(|error| {
                    panic!(
                        "convert_documents_serial returned {outcome:?} for {} but {} cannot be \
                         read: {error}",
                        task.input.display(),
                        task.output.display()
                    )
                });
                assert!(
                    written == expected,
                    "{} holds {} bytes that are not document_to_text of {} ({} bytes)",
                    task.output.display(),
                    written.len(),
                    task.input.display(),
                    expected.len()
                );
                assert!(
                    outcome == &Ok(expected.len() as u64),
                    "convert_documents_serial reported {outcome:?} for {}, which wrote {} bytes",
                    task.input.display(),
                    expected.len()
                );
            }
            for (n_workers, chunk_size) in [(1, 1), (2, 1), (2, 7), (3, 64)] {
                let output_name = format!("pool-{n_workers}-{chunk_size}");
                let pool_tasks = plan(folder.path(), &output_name);
                let mut pool = start_pool(n_workers);
                let pool_outcomes = with_pool(&mut pool, &pool_tasks, chunk_size);
                drop_pool_and_check_no_worker_is_left(pool, "dropping the pool");
                assert!(
                    pool_outcomes == serial_outcomes,
                    "with {n_workers} workers and chunk size {chunk_size}, the outcomes differ \
                     from the serial ones (first difference at document {}); the pool must \
                     report each document's outcome at its index",
                    pool_outcomes
                        .iter()
                        .zip(&serial_outcomes)
                        .position(|(pool, serial)| pool != serial)
                        .unwrap_or(0)
                );
                for (serial_task, pool_task) in serial_tasks.iter().zip(&pool_tasks) {
                    let same =
                        fs::read(&serial_task.output).ok() == fs::read(&pool_task.output).ok();
                    assert!(
                        same,
                        "with {n_workers} workers and chunk size {chunk_size}, {} differs from \
                         the serial version's {}",
                        pool_task.output.display(),
                        serial_task.output.display()
                    );
                }
            }
        },
    );
}

pub fn one_unreadable_document_is_an_error_for_that_document_only() {
    within_limit(
        "converting a folder with a broken document",
        "a conversion with the pool never returned",
        || {
            let folder = temporary_folder();
            let mut tasks = documents_and_plan(folder.path(), 12, 5, "serial");
            fs::write(&tasks[5].input, "{\"title\": \"cut short").expect("suite: break a document");
            tasks.push(ConversionTask {
                input: folder.path().join("json").join("doc-99999.json"),
                output: folder.path().join("serial").join("doc-99999.txt"),
            });
            let broken = [5, 12];
            let serial_outcomes = serial(&tasks);
            for (task_idx, outcome) in serial_outcomes.iter().enumerate() {
                let name = tasks[task_idx]
                    .input
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                if broken.contains(&task_idx) {
                    match outcome {
                        Err(message) if message.contains(&name) => {}
                        other => panic!(
                            "document {task_idx} ({name}) is {}, so its outcome must be an Err \
                             whose message names the file, got {other:?}",
                            if task_idx == 5 {
                                "not valid JSON"
                            } else {
                                "missing"
                            }
                        ),
                    }
                } else {
                    assert!(
                        outcome.is_ok(),
                        "document {task_idx} ({name}) is fine but came back {outcome:?}"
                    );
                }
            }
            let mut pool = start_pool(2);
            let pids_before = pool.worker_pids();
            let mut pool_tasks = plan(folder.path(), "pool");
            pool_tasks.push(ConversionTask {
                input: tasks[12].input.clone(),
                output: folder.path().join("pool").join("doc-99999.txt"),
            });
            let pool_outcomes = with_pool(&mut pool, &pool_tasks, 4);
            let pids_after = pool.worker_pids();
            drop_pool_and_check_no_worker_is_left(pool, "dropping the pool");
            assert!(
                pids_after == pids_before,
                "a broken document killed a pool worker (workers before {pids_before:?}, after \
                 {pids_after:?}); convert_document must return an Err, never panic (unwrap), \
                 or the worker dies with every other document of its chunk"
            );
            for (task_idx, (pool_outcome, serial_outcome)) in
                pool_outcomes.iter().zip(&serial_outcomes).enumerate()
            {
                let same = match (pool_outcome, serial_outcome) {
                    // A message may name the output file, whose folder
                    // differs between the two runs.
                    (Err(pool), Err(serial)) => pool.replace("/pool/", "/serial/") == *serial,
                    (pool, serial) => pool == serial,
                };
                assert!(
                    same,
                    "document {task_idx}: the pool reported {pool_outcome:?}, the serial version \
                     {serial_outcome:?}; one bad document must cost only its own outcome, and \
                     its error is the job's own message (TaskError::JobFailed)"
                );
            }
        },
    );
}

// ---------------------------------------------------------------------------
// Timing experiments.
// ---------------------------------------------------------------------------

/// The conversion of a folder of small documents with 2 workers, by chunk
/// size, in seconds: every chunk size in turn, a few times per run.
///
/// The documents live on a RAM file system (`/dev/shm`) where there is one
/// the test may write (the grader's sandbox may allow only its own scratch
/// folder, `TMPDIR`, which is then used):
/// on a disk, the kernel's writeback of thousands of small files takes
/// longer than converting them and varies from run to run, which hides
/// what the experiment is about, the cost of a round trip per chunk.
pub fn document_conversion_by_chunk_size() {
    let (n_documents, n_repeats, chunk_sizes): (usize, usize, &[usize]) = match bench_mode() {
        BenchMode::Quick => (1000, 1, &[1, 4, 16, 64, 256]),
        BenchMode::Full => (2000, 3, &[1, 2, 4, 8, 16, 32, 64, 128, 256]),
    };
    let ram_folder = Path::new("/dev/shm");
    let folder = if ram_folder.is_dir() {
        tempfile::tempdir_in(ram_folder).or_else(|_| tempfile::tempdir())
    } else {
        tempfile::tempdir()
    }
    .unwrap_or_else(|error| panic!("suite: cannot create a folder: {error}"));
    let tasks = documents_and_plan(folder.path(), n_documents, 2024, "text");
    let mut pool = start_pool(2);
    // One pass first, untimed: it creates the output files and warms the
    // caches and the workers up.
    with_pool(&mut pool, &tasks, 64);
    for _ in 0..n_repeats {
        for &chunk_size in chunk_sizes {
            let started = Instant::now();
            let outcomes = with_pool(&mut pool, &tasks, chunk_size);
            let seconds = started.elapsed().as_secs_f64();
            if let Some(error) = outcomes.iter().find_map(|outcome| outcome.as_ref().err()) {
                panic!("a conversion failed with chunk size {chunk_size}: {error}");
            }
            measure_at(
                SUBJECT_UNDER_TEST,
                &format!("chunk {chunk_size}"),
                chunk_size as f64,
                seconds,
            );
        }
    }
    drop(pool);
}

/// What a process costs, in milliseconds: starting one tiny child and
/// waiting for it, and one task's round trip through a pool of one worker
/// (chunk size 1, a trivial job).
pub fn process_costs() {
    let (n_spawns, n_tasks) = match bench_mode() {
        BenchMode::Quick => (50, 1000),
        BenchMode::Full => (200, 4000),
    };
    let worker = worker_program();
    // The tiny child: a pool worker whose stdin is empty ends at once.
    let spawn_and_wait = || {
        let status = Command::new(&worker)
            .arg(POOL_WORKER_SUBCOMMAND)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", worker.display()));
        assert!(
            status.success(),
            "a pool worker given no work exited with {status}"
        );
    };
    spawn_and_wait();
    let started = Instant::now();
    for _ in 0..n_spawns {
        spawn_and_wait();
    }
    let spawn_ms = started.elapsed().as_secs_f64() * 1e3 / n_spawns as f64;
    measure(SUBJECT_UNDER_TEST, "spawn and wait", spawn_ms);

    let mut pool = start_pool(1);
    let tasks: Vec<u64> = (0..n_tasks).collect();
    let warm_up: Vec<Result<u64, TaskError>> = pool
        .map("square", &tasks[..100], 1)
        .unwrap_or_else(|error| panic!("the warm-up map failed: {error}"));
    assert!(
        warm_up.iter().all(Result::is_ok),
        "the warm-up map failed: {warm_up:?}"
    );
    let started = Instant::now();
    let results: Vec<Result<u64, TaskError>> = pool
        .map("square", &tasks, 1)
        .unwrap_or_else(|error| panic!("the map failed: {error}"));
    let round_trip_ms = started.elapsed().as_secs_f64() * 1e3 / n_tasks as f64;
    assert!(results.iter().all(Result::is_ok), "a square failed");
    measure(
        SUBJECT_UNDER_TEST,
        "pool round trip per task",
        round_trip_ms,
    );
    drop(pool);
}
