//! The adversarial suite: the real `cargo xtask grade` on a submission that
//! misbehaves in every way an autograder must survive, in a tiny course of
//! its own (`tests/adversarial/`: one lab, number 9, whose hidden suite has
//! one test per misbehaviour of the fixture in `tests/adversarial/submission`
//! and two benign tests).
//!
//! Every grade checks, per misbehaviour, the test's verdict; that the
//! benign tests pass in the same run; that the grader ends (exit status 1);
//! that no process of the fixture is left (found in `/proc` by the names it
//! gives itself and by its program); that `results.json` is whole and not
//! forged; that no canary of the hidden suite or the reference shows up in
//! anything the grade wrote or printed; that the test's listener on
//! 127.0.0.1 saw no connection; and that the build script left no file
//! outside its folder. What is checked depends on the sandbox layers the
//! grade reports active (`results.json`'s `sandbox`): a layer switched off
//! with `GRADER_SANDBOX_DISABLE` must not take down what the others stop.
//! [`BEHAVIOURS`] says which layer stops which misbehaviour.
//!
//! Each grade prints a table of behaviours and outcomes (run with
//! `--nocapture` to see it). Problems are collected and reported together,
//! after the table, so that one run shows everything that is wrong.
//!
//! Grades hold [`SERIAL`]: they share one build of the fixture.

use std::collections::BTreeSet;
use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

#[path = "support/course.rs"]
mod course;
use course::{course_root, xtask};

static SERIAL: Mutex<()> = Mutex::new(());

/// The sandbox layers the grader knows (`GRADER_SANDBOX_DISABLE` names).
const LAYERS: [&str; 6] = [
    "namespaces",
    "landlock",
    "seccomp",
    "cgroup",
    "drop-user",
    "rlimits",
];

/// The environment variable that switches sandbox layers off.
const DISABLE_ENV: &str = "GRADER_SANDBOX_DISABLE";
/// The fixture reads its listener's port here (tests and build script).
const LISTENER_PORT_ENV: &str = "ADVERSARIAL_LISTENER_PORT";
/// What the fixture writes into every results file it reaches.
const FORGED_MARKER: &str = "forged_by";
/// The file the fixture's build script tries to leave outside its folder.
const BUILD_CANARY_FILE: &str = "adversarial-build-canary.txt";
/// Names (`comm`) the fixture gives the processes it leaves.
const FIXTURE_PROCESS_PREFIX: &str = "adv9-";
/// Suite binaries of lab 9 (and every fork of one) run this program.
const SUITE_PROGRAM_PREFIX: &str = "lab9-suite-";

/// Which verdicts are right for a misbehaviour.
#[derive(Debug, Clone, Copy)]
enum Verdict {
    Pass,
    Fail,
    Crash,
    Timeout,
    /// A hang the wall clock or the CPU-time limit ends.
    TimeoutOrCrash,
    FailOrCrash,
    /// Anything that is not a pass.
    NotPass,
}

impl Verdict {
    fn accepts(self, status: &str) -> bool {
        match self {
            Verdict::Pass => status == "PASS",
            Verdict::Fail => status == "FAIL",
            Verdict::Crash => status == "CRASH",
            Verdict::Timeout => status == "TIMEOUT",
            Verdict::TimeoutOrCrash => status == "TIMEOUT" || status == "CRASH",
            Verdict::FailOrCrash => status == "FAIL" || status == "CRASH",
            Verdict::NotPass => status != "PASS" && status != "NOT_RUN",
        }
    }
}

/// One misbehaviour (or benign function): its hidden test, what it does,
/// the verdict it must get whatever layers are active, and the stronger
/// verdict it must get when one of `strict_with` is active.
struct Behaviour {
    test: &'static str,
    does: &'static str,
    always: Verdict,
    strict: Option<(Verdict, &'static [&'static str])>,
    /// Layers that stop its harm (shown in the table).
    stopped_by: &'static str,
}

const BEHAVIOURS: &[Behaviour] = &[
    Behaviour {
        test: "benign_sum_adds_its_inputs",
        does: "benign",
        always: Verdict::Pass,
        strict: None,
        stopped_by: "-",
    },
    Behaviour {
        test: "benign_greeting_names_the_person",
        does: "benign",
        always: Verdict::Pass,
        strict: None,
        stopped_by: "-",
    },
    Behaviour {
        test: "endless_loop",
        does: "spins forever",
        always: Verdict::TimeoutOrCrash,
        strict: None,
        stopped_by: "always (wall clock; CPU time: rlimits)",
    },
    Behaviour {
        test: "deadlock",
        does: "two threads, two locks, opposite orders",
        always: Verdict::Timeout,
        strict: None,
        stopped_by: "always (wall clock)",
    },
    Behaviour {
        test: "exit_zero_mid_test",
        does: "process::exit(0)",
        always: Verdict::Fail,
        strict: None,
        stopped_by: "always (no record)",
    },
    Behaviour {
        test: "exit_zero_from_another_thread",
        does: "process::exit(0) on another thread",
        always: Verdict::Fail,
        strict: None,
        stopped_by: "always (no record)",
    },
    Behaviour {
        test: "abort",
        does: "process::abort()",
        always: Verdict::Crash,
        strict: None,
        stopped_by: "always (signal)",
    },
    Behaviour {
        test: "stack_overflow",
        does: "endless recursion",
        always: Verdict::Crash,
        strict: None,
        stopped_by: "always (signal)",
    },
    Behaviour {
        test: "panic_in_drop_while_unwinding",
        does: "a destructor panics during unwinding",
        always: Verdict::Crash,
        strict: None,
        stopped_by: "always (signal)",
    },
    Behaviour {
        test: "fake_pass_lines_and_json",
        does: "libtest lines and JSON, forged records on stdout, stderr, fds 3-5",
        always: Verdict::Fail,
        strict: None,
        stopped_by: "always (secret record)",
    },
    Behaviour {
        test: "allocate_20_gib",
        does: "one 20 GiB allocation",
        always: Verdict::NotPass,
        strict: Some((Verdict::Crash, &["rlimits"])),
        stopped_by: "rlimits (address space)",
    },
    Behaviour {
        test: "touch_memory_until_a_limit",
        does: "writes 64 MiB chunks (gives up at 4 GiB)",
        always: Verdict::NotPass,
        strict: Some((Verdict::Crash, &["cgroup"])),
        stopped_by: "cgroup (memory); rlimits if below 4 GiB",
    },
    Behaviour {
        test: "fork_bomb",
        does: "2 children per process, 9 generations (1023 processes)",
        always: Verdict::FailOrCrash,
        strict: None,
        stopped_by: "always (group kill); cgroup/namespaces (pids)",
    },
    Behaviour {
        test: "double_forked_daemon",
        does: "fork, setsid, fork, sleep forever as adv9-daemon",
        always: Verdict::Fail,
        strict: None,
        stopped_by: "always (orphans of the subreaper); namespaces (pid 1); cgroup (kill)",
    },
    Behaviour {
        test: "write_the_results_file",
        does: "overwrites results.json, leaves a rewriter in its own session",
        always: Verdict::Fail,
        strict: None,
        stopped_by: "landlock, drop-user (writes); always (rewriter killed, rewritten after)",
    },
    Behaviour {
        test: "read_hidden_files",
        does: "reads the suite and the reference by many paths, prints them",
        always: Verdict::Fail,
        strict: None,
        stopped_by: "landlock",
    },
    Behaviour {
        test: "connect_to_the_listener",
        does: "TCP connection to the test's listener on 127.0.0.1",
        always: Verdict::Fail,
        strict: None,
        stopped_by: "namespaces (network), landlock (TCP connect)",
    },
];

/// The tiny course's root.
fn tiny_course_root() -> PathBuf {
    course_root()
        .join("xtask")
        .join("tests")
        .join("adversarial")
}

fn fixture_dir() -> PathBuf {
    tiny_course_root().join("submission")
}

/// The canary strings planted in the hidden suite and the reference.
fn canaries() -> Vec<String> {
    let root = tiny_course_root();
    let mut found = Vec::new();
    for hidden in [
        "grader/suites/lab9-adversarial/src/main.rs",
        "solutions/lab9-adversarial/src/lib.rs",
    ] {
        let text = std::fs::read_to_string(root.join(hidden)).unwrap();
        let canary = text
            .split_whitespace()
            .find(|word| word.starts_with("ADVERSARIAL-CANARY-"))
            .unwrap_or_else(|| panic!("{hidden} lost its canary line"));
        found.push(canary.to_owned());
    }
    found
}

/// Every place the fixture's build script tries to leave its canary file:
/// each folder above the staged copy of the fixture, and the temporary
/// folder.
fn build_canary_places() -> Vec<PathBuf> {
    let staged = tiny_course_root()
        .join("target")
        .join("grader")
        .join("staged");
    let mut places: Vec<PathBuf> = staged
        .ancestors()
        .map(|place| place.join(BUILD_CANARY_FILE))
        .collect();
    places.push(std::env::temp_dir().join(BUILD_CANARY_FILE));
    places
}

/// Where the fixture's results writer aims besides the run's own folder.
fn default_results_file() -> PathBuf {
    tiny_course_root()
        .join("target")
        .join("grade")
        .join("lab9")
        .join("results.json")
}

/// A process of the fixture still running.
#[derive(Debug)]
struct Leftover {
    pid: i32,
    name: String,
}

/// Processes named like the fixture's or running a lab 9 suite binary.
fn fixture_processes() -> Vec<Leftover> {
    let own_pid = std::process::id() as i32;
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if pid == own_pid {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ...`: a zombie is dead, only not yet reaped.
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next());
        if state == Some("Z") {
            continue;
        }
        let name = std::fs::read_to_string(entry.path().join("comm"))
            .unwrap_or_default()
            .trim()
            .to_owned();
        let program = std::fs::read_link(entry.path().join("exe"))
            .ok()
            .and_then(|path| {
                path.file_name()
                    .map(|name| name.to_string_lossy().into_owned())
            })
            .unwrap_or_default();
        if name.starts_with(FIXTURE_PROCESS_PREFIX) || program.starts_with(SUITE_PROGRAM_PREFIX) {
            found.push(Leftover {
                pid,
                name: format!("{name} ({program})"),
            });
        }
    }
    found
}

/// Kills the processes a grade left, by pid, so that the next grade (and
/// the machine) starts clean.
fn kill_leftovers(leftovers: &[Leftover]) {
    for leftover in leftovers {
        // SAFETY: sending a signal to a process this test's grade started.
        unsafe { libc::kill(leftover.pid, libc::SIGKILL) };
    }
}

/// Removes what an earlier grade of the fixture may have left (canary
/// files, a forged default results file, processes).
fn clean_up_after_fixture() {
    for place in build_canary_places() {
        let _ = std::fs::remove_file(place);
    }
    let _ = std::fs::remove_file(default_results_file());
    kill_leftovers(&fixture_processes());
}

/// Removes the fixture's traces when a grade's checks are done, also when
/// they panic.
struct CleanUpGuard;

impl Drop for CleanUpGuard {
    fn drop(&mut self) {
        clean_up_after_fixture();
    }
}

/// A listener on 127.0.0.1 that records the first line of every
/// connection it accepts.
struct Listener {
    port: u16,
    stop: Arc<AtomicBool>,
    received: Arc<Mutex<Vec<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Listener {
    fn start() -> Listener {
        let socket = TcpListener::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let port = socket.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let received = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, received) = (stop.clone(), received.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match socket.accept() {
                        Ok((mut stream, peer)) => {
                            let _ = stream.set_nonblocking(false);
                            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                            let mut first_bytes = [0u8; 200];
                            let length = stream.read(&mut first_bytes).unwrap_or(0);
                            received.lock().unwrap().push(format!(
                                "{peer}: {}",
                                String::from_utf8_lossy(&first_bytes[..length]).trim()
                            ));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            })
        };
        Listener {
            port,
            stop,
            received,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
        self.received.lock().unwrap().clone()
    }
}

/// How one grade of the fixture is run.
struct GradeSetup {
    /// Layers switched off with `GRADER_SANDBOX_DISABLE`.
    disabled: &'static [&'static str],
    /// Hidden tests run (all when empty), by `--filter`.
    filters: &'static [&'static str],
}

/// What one grade of the fixture left.
struct GradeRun {
    output: Output,
    /// `results.json` as read right after the grade and again a second
    /// later (a process left behind could still be writing).
    results_text: String,
    results: Option<Value>,
    leftovers: Vec<Leftover>,
    connections: Vec<String>,
    build_canary_files: Vec<PathBuf>,
    default_results_forged: bool,
    /// Canary strings found, and where.
    canaries_seen: Vec<String>,
}

fn grade_fixture(setup: &GradeSetup) -> GradeRun {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    clean_up_after_fixture();
    let out = tempfile::Builder::new()
        .prefix("adversarial-out-")
        .tempdir()
        .unwrap();
    let listener = Listener::start();
    let mut command = xtask();
    command
        .current_dir(tiny_course_root())
        .env_remove(DISABLE_ENV)
        .env(LISTENER_PORT_ENV, listener.port.to_string())
        .arg("--course-root")
        .arg(tiny_course_root())
        .args([
            "grade", "lab9", "--bench", "off", "--format", "json", "-j", "2",
        ])
        .arg("--submission")
        .arg(fixture_dir())
        .arg("--out")
        .arg(out.path());
    for filter in setup.filters {
        command.args(["--filter", filter]);
    }
    if !setup.disabled.is_empty() {
        command.env(DISABLE_ENV, setup.disabled.join(","));
    }
    // Generous: the first grade on a fresh clone builds the grader's
    // dependencies; a grader that hangs is still caught.
    let output = command.timeout(Duration::from_secs(600)).output().unwrap();
    // Anything the fixture left running gets a moment to do harm.
    std::thread::sleep(Duration::from_millis(1500));
    let connections = listener.finish();
    let results_text = std::fs::read_to_string(out.path().join("results.json")).unwrap_or_default();
    let results = serde_json::from_str(&results_text).ok();
    let leftovers = fixture_processes();
    let build_canary_files = build_canary_places()
        .into_iter()
        .filter(|place| place.exists())
        .collect();
    let default_results_forged = std::fs::read_to_string(default_results_file())
        .is_ok_and(|text| text.contains(FORGED_MARKER));

    let mut haystacks = vec![
        (
            "xtask's stdout".to_owned(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        ),
        (
            "xtask's stderr".to_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ),
    ];
    for entry in std::fs::read_dir(out.path()).unwrap().flatten() {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            haystacks.push((entry.file_name().to_string_lossy().into_owned(), text));
        }
    }
    let mut canaries_seen = Vec::new();
    for canary in canaries() {
        for (place, text) in &haystacks {
            if text.contains(&canary) {
                canaries_seen.push(format!("{canary} in {place}"));
            }
        }
    }
    GradeRun {
        output,
        results_text,
        results,
        leftovers,
        connections,
        build_canary_files,
        default_results_forged,
        canaries_seen,
    }
}

/// The layers a grade reports active and missing (with reasons).
fn sandbox_layers(results: &Value, problems: &mut Vec<String>) -> BTreeSet<String> {
    let sandbox = &results["sandbox"];
    if !sandbox.is_object() {
        problems.push(
            "results.json has no `sandbox` object saying which layers were active".to_owned(),
        );
        return BTreeSet::new();
    }
    let active: BTreeSet<String> = sandbox["active"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|layer| layer.as_str().map(str::to_owned))
        .collect();
    let missing: BTreeSet<String> = sandbox["missing"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let reason = entry["reason"].as_str().unwrap_or_default();
            if reason.trim().is_empty() {
                problems.push(format!("a missing layer without a reason: {entry}"));
            }
            entry["layer"].as_str().map(str::to_owned)
        })
        .collect();
    for layer in LAYERS {
        if !active.contains(layer) && !missing.contains(layer) {
            problems.push(format!(
                "layer `{layer}` is neither active nor missing in results.json's sandbox"
            ));
        }
    }
    active
}

fn status_and_message<'a>(results: &'a Value, test: &str) -> (&'a str, &'a str) {
    let entry = results["tests"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|entry| entry["name"] == test);
    match entry {
        Some(entry) => (
            entry["status"].as_str().unwrap_or("?"),
            entry["message"].as_str().unwrap_or(""),
        ),
        None => ("ABSENT", ""),
    }
}

/// Checks one grade against what its active layers must stop; prints the
/// table of behaviours and outcomes; returns the problems found.
fn check(title: &str, setup: &GradeSetup, run: &GradeRun) -> Vec<String> {
    let mut problems = Vec::new();
    if run.output.status.code() != Some(1) {
        problems.push(format!(
            "xtask exited with {:?}, not 1 (some test failed); stderr:\n{}",
            run.output.status.code(),
            String::from_utf8_lossy(&run.output.stderr)
        ));
    }
    // The grader's own view: the document it printed (`--format json`),
    // from its memory. The file on disk must say the same.
    let printed: Option<Value> = serde_json::from_slice(&run.output.stdout).ok();
    if run.results.is_none() || run.results != printed {
        problems.push(format!(
            "results.json on disk is not the document the grader printed (forged, torn or \
             missing): {:.300}",
            run.results_text
        ));
    }
    let Some(results) = printed.as_ref().or(run.results.as_ref()) else {
        problems.push("the grader printed no results document and wrote none".to_owned());
        return problems;
    };
    if results["complete"] != true {
        problems.push("the results say the grade is not complete".to_owned());
    }
    if results["build"]["ok"] != true {
        problems.push(format!(
            "the fixture did not build: {}",
            results["build"]["message"]
        ));
    }
    let active = sandbox_layers(results, &mut problems);
    for disabled in setup.disabled {
        if active.contains(*disabled) {
            problems.push(format!(
                "layer `{disabled}` is active although {DISABLE_ENV} switched it off"
            ));
        }
    }
    let any_active = |layers: &[&str]| layers.iter().any(|layer| active.contains(*layer));

    let selected = |test: &str| {
        setup.filters.is_empty() || setup.filters.iter().any(|filter| test.contains(filter))
    };
    let mut table = vec![
        format!(
            "{title}: active layers {active:?}, switched off {:?}",
            setup.disabled
        ),
        "| behaviour | does | verdict | message | stopped by | contained |".to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ];
    let test_connections: Vec<&String> = run
        .connections
        .iter()
        .filter(|line| line.contains("test process"))
        .collect();
    let build_connections: Vec<&String> = run
        .connections
        .iter()
        .filter(|line| !line.contains("test process"))
        .collect();
    for behaviour in BEHAVIOURS
        .iter()
        .filter(|behaviour| selected(behaviour.test))
    {
        let (status, message) = status_and_message(results, behaviour.test);
        let wanted = match behaviour.strict {
            Some((strict, layers)) if any_active(layers) => strict,
            _ => behaviour.always,
        };
        let mut notes = Vec::new();
        if !wanted.accepts(status) {
            problems.push(format!(
                "{}: {status} ({message:.200}), expected {wanted:?}",
                behaviour.test
            ));
            notes.push(format!("NO: {wanted:?} expected"));
        }
        let own_leftover_name = match behaviour.test {
            "double_forked_daemon" => Some("adv9-daemon"),
            "write_the_results_file" => Some("adv9-rewriter"),
            "fork_bomb" => Some("adv9-forkbomb"),
            _ => None,
        };
        if let Some(own_leftover_name) = own_leftover_name {
            let left = run
                .leftovers
                .iter()
                .filter(|leftover| leftover.name.contains(own_leftover_name))
                .count();
            if left > 0 {
                notes.push(format!("NO: {left} left running"));
            }
        }
        let output = results["tests"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|entry| entry["name"] == behaviour.test)
            .and_then(|entry| entry["output"].as_str())
            .unwrap_or_default();
        if behaviour.test == "connect_to_the_listener" && output.contains(LISTENER_PORT_ENV) {
            // The grader cleared the environment: the check proves less.
            notes.push("not attempted: the port did not reach the test process".to_owned());
        }
        match behaviour.test {
            "read_hidden_files" if !run.canaries_seen.is_empty() => {
                notes.push("NO: hidden files read".to_owned());
                if any_active(&["landlock"]) {
                    problems.push(format!(
                        "hidden files were read although landlock was active: {:?}",
                        run.canaries_seen
                    ));
                }
            }
            "connect_to_the_listener" if !test_connections.is_empty() => {
                notes.push("NO: connected".to_owned());
                if any_active(&["namespaces", "landlock"]) {
                    problems.push(format!(
                        "the test process connected to 127.0.0.1 although namespaces or landlock \
                         was active: {test_connections:?}"
                    ));
                }
            }
            "write_the_results_file" if run.default_results_forged => {
                notes.push("NO: target/grade/lab9/results.json forged".to_owned());
                if any_active(&["landlock", "drop-user"]) {
                    problems.push(
                        "the test process wrote target/grade/lab9/results.json although landlock \
                         or drop-user was active"
                            .to_owned(),
                    );
                }
            }
            _ => {}
        }
        let contained = if notes.is_empty() {
            "yes".to_owned()
        } else {
            notes.join("; ")
        };
        let message: String = message
            .chars()
            .take(70)
            .map(|ch| if ch == '\n' || ch == '|' { ' ' } else { ch })
            .collect();
        table.push(format!(
            "| {} | {} | {status} | {message} | {} | {contained} |",
            behaviour.test, behaviour.does, behaviour.stopped_by
        ));
    }
    let build_notes = [
        (!run.build_canary_files.is_empty()).then(|| format!("wrote {:?}", run.build_canary_files)),
        (!build_connections.is_empty()).then(|| format!("connected: {build_connections:?}")),
    ];
    let build_notes: Vec<String> = build_notes.into_iter().flatten().collect();
    table.push(format!(
        "| build script | reads hidden files, writes above its folder, connects out | - | - | \
         landlock (files, TCP), namespaces (network) | {} |",
        if build_notes.is_empty() {
            "yes".to_owned()
        } else {
            format!("NO: {}", build_notes.join("; "))
        }
    ));
    if !run.build_canary_files.is_empty() && any_active(&["landlock"]) {
        problems.push(format!(
            "the build script wrote outside its folder although landlock was active: {:?}",
            run.build_canary_files
        ));
    }
    if !build_connections.is_empty() && any_active(&["namespaces", "landlock"]) {
        problems.push(format!(
            "the build script connected to 127.0.0.1 although namespaces or landlock was active: \
             {build_connections:?}"
        ));
    }
    if !run.leftovers.is_empty() {
        problems.push(format!(
            "processes of the fixture outlived the grade: {:?}",
            run.leftovers
        ));
    }
    if run.default_results_forged && !selected("write_the_results_file") {
        problems.push("target/grade/lab9/results.json was forged".to_owned());
    }
    println!("{}\n", table.join("\n"));
    problems
}

fn assert_no_problems(title: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{title}: {} problem(s):\n- {}",
        problems.len(),
        problems.join("\n- ")
    );
}

/// Every misbehaviour at once, with every layer the machine offers.
#[test]
fn every_misbehaviour_fails_only_its_own_test_with_every_available_layer() {
    let _clean_up = CleanUpGuard;
    let setup = GradeSetup {
        disabled: &[],
        filters: &[],
    };
    let run = grade_fixture(&setup);
    let problems = check("every layer", &setup, &run);
    assert_no_problems("every layer", &problems);
}

/// With some layers switched off, the others still stop what they stop.
/// Two grades, each of the misbehaviours the remaining layers answer for
/// (and a benign test).
#[test]
fn the_remaining_layers_hold_when_some_are_switched_off() {
    let _clean_up = CleanUpGuard;
    let mut problems = Vec::new();
    // Without the kernel's isolation features: what is left is limits,
    // the unprivileged user, seccomp and the process-group mechanics.
    let limits_only = GradeSetup {
        disabled: &["namespaces", "landlock", "cgroup"],
        filters: &[
            "benign_sum",
            "allocate_20_gib",
            "fork_bomb",
            "double_forked_daemon",
            "write_the_results_file",
        ],
    };
    let run = grade_fixture(&limits_only);
    problems.extend(check(
        "without namespaces, landlock, cgroup",
        &limits_only,
        &run,
    ));
    // Without limits and the user switch: isolation must hold on its own.
    let isolation_only = GradeSetup {
        disabled: &["rlimits", "drop-user", "seccomp"],
        filters: &[
            "benign_greeting",
            "touch_memory_until_a_limit",
            "read_hidden_files",
            "connect_to_the_listener",
            "write_the_results_file",
            "double_forked_daemon",
        ],
    };
    let run = grade_fixture(&isolation_only);
    problems.extend(check(
        "without rlimits, drop-user, seccomp",
        &isolation_only,
        &run,
    ));
    assert_no_problems("layers switched off", &problems);
}

#[test]
fn the_fixture_and_the_tests_agree_on_the_behaviours() {
    let course = std::fs::read_to_string(tiny_course_root().join("course.toml")).unwrap();
    for behaviour in BEHAVIOURS {
        assert!(
            course.contains(&format!("\"{}\"", behaviour.test)),
            "{} is not in the tiny course.toml",
            behaviour.test
        );
    }
    let fixture = std::fs::read_to_string(fixture_dir().join("src").join("lib.rs")).unwrap();
    for name in [
        "adv9-daemon",
        "adv9-rewriter",
        "adv9-forkbomb",
        FORGED_MARKER,
    ] {
        assert!(fixture.contains(name), "the fixture no longer uses {name}");
    }
    let build_script = std::fs::read_to_string(fixture_dir().join("build.rs")).unwrap();
    assert!(build_script.contains(BUILD_CANARY_FILE));
    assert!(build_script.contains(LISTENER_PORT_ENV));
    assert!(!fixture.contains("ADVERSARIAL-CANARY-"));
    assert_eq!(canaries().len(), 2);
}
