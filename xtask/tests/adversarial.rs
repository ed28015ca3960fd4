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
//! forged; that no canary (of the hidden suite, the reference, or a secret
//! in the grader's environment) shows up in anything the grade wrote or
//! printed; that the test's listener on 127.0.0.1 (on the first free port
//! of [`LISTENER_PORTS`], all of which the fixture tries) saw no
//! connection; and that the build script left no file outside its folder.
//! Before each grade the fixture's `grade-nonce.txt` changes, so its build
//! script runs (and misbehaves) in every grade.
//!
//! What is checked depends on the sandbox layers the grade reports active
//! (`results.json`'s `environment.sandbox`): a layer switched off with
//! `GRADER_SANDBOX_DISABLE`, or missing because the grader is not root,
//! must not take down what the others stop. [`BEHAVIOURS`] says which
//! layer stops which misbehaviour. A second fixture,
//! `tests/adversarial/submission-rerun`, has a build script that asks to
//! run in every build: its build must be refused, leaving nothing of the
//! suite anywhere.
//!
//! Each grade prints a table of behaviours and outcomes (run with
//! `--nocapture` to see it). Problems are collected and reported together,
//! after the table, so that one run shows everything that is wrong.
//!
//! Grades hold [`SERIAL`]: they share one build folder and one listener
//! port range.

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
#[path = "support/layers.rs"]
mod layers;
use course::{course_root, xtask};
use layers::LAYERS;

static SERIAL: Mutex<()> = Mutex::new(());

/// What each `GRADER_SANDBOX_DISABLE` name switches off.
const SWITCHES: [(&str, &[&str]); 6] = [
    ("rlimits", &["rlimits", "process-limit"]),
    (
        "namespaces",
        &["user-namespace", "network-namespace", "pid-namespace"],
    ),
    ("drop-user", &["drop-user"]),
    ("landlock", &["landlock", "landlock-no-tcp"]),
    ("seccomp", &["seccomp"]),
    ("cgroup", &["cgroup"]),
];

/// The environment variable that switches sandbox layers off.
const DISABLE_ENV: &str = "GRADER_SANDBOX_DISABLE";
/// The listener binds the first free port of these; the fixture (tests and
/// build script) tries them all, since nothing of the grader's environment
/// beyond an allow-list reaches it.
const LISTENER_PORTS: std::ops::Range<u16> = 47300..47340;
/// The file of the fixture its build script watches; changed before each
/// grade so that the build script runs in each.
const NONCE_FILE: &str = "grade-nonce.txt";
/// Secrets a CI machine holds in its environment, given to the grader:
/// neither a build nor a test may see them.
const SECRET_ENV: [(&str, &str); 2] = [
    (
        "CARGO_REGISTRY_TOKEN",
        "ADVERSARIAL-CANARY-registry-token-5d1c",
    ),
    ("GITHUB_TOKEN", "ADVERSARIAL-CANARY-github-token-93fe"),
];
/// What the rerunning fixture's build script leaves in every folder of the
/// build it can write.
const STASH_FILE: &str = "adversarial-stash.txt";
/// What the rerunning fixture's build script puts before what it read.
const RERUN_LEAK_MARKER: &str = "ADVERSARIAL-RERUN-LEAK";
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
        stopped_by: "cgroup (memory); else the fixture's own 4 GiB cap",
    },
    Behaviour {
        test: "fork_bomb",
        does: "2 children per process, 9 generations (1023 processes)",
        always: Verdict::FailOrCrash,
        strict: None,
        stopped_by: "always (reaper kills all); process-limit, cgroup (pids)",
    },
    Behaviour {
        test: "double_forked_daemon",
        does: "fork, setsid, fork, sleep forever as adv9-daemon",
        always: Verdict::Fail,
        strict: None,
        stopped_by: "always (subreaper or pid-namespace reaper); cgroup (kill)",
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
        stopped_by: "network-namespace; else landlock-no-tcp",
    },
];

/// The tiny course's root.
fn tiny_course_root() -> PathBuf {
    course_root()
        .join("xtask")
        .join("tests")
        .join("adversarial")
}

/// The submissions of the tiny course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fixture {
    /// `submission/`: one misbehaviour per graded function, and a build
    /// script that misbehaves in the first build step.
    Misbehaving,
    /// `submission-rerun/`: right answers, and a build script that runs in
    /// every build, also beside the suite.
    Rerunning,
}

impl Fixture {
    fn dir(self) -> PathBuf {
        tiny_course_root().join(match self {
            Fixture::Misbehaving => "submission",
            Fixture::Rerunning => "submission-rerun",
        })
    }
}

fn fixture_dir() -> PathBuf {
    Fixture::Misbehaving.dir()
}

/// The tiny course's target folder (every grade's builds).
fn tiny_target_dir() -> PathBuf {
    tiny_course_root().join("target")
}

/// The canary strings planted in the hidden suite and the reference, and
/// the secrets of [`SECRET_ENV`].
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
    found.extend(SECRET_ENV.iter().map(|(_, secret)| (*secret).to_owned()));
    found
}

/// Every place the fixture's build script tries to leave its canary file:
/// each folder above the staged copy of the fixture up to the tiny course's
/// root, and the temporary folder.
fn build_canary_places() -> Vec<PathBuf> {
    let root = tiny_course_root();
    let staged = tiny_target_dir().join("grader").join("staged");
    let mut places: Vec<PathBuf> = staged
        .ancestors()
        .take_while(|place| place.starts_with(&root))
        .map(|place| place.join(BUILD_CANARY_FILE))
        .collect();
    places.push(std::env::temp_dir().join(BUILD_CANARY_FILE));
    places.push(PathBuf::from("/tmp").join(BUILD_CANARY_FILE));
    places.dedup();
    places
}

/// Files of the tiny course's build folders (those a submission's build
/// can write) that hold what the rerunning fixture's build script read,
/// marked [`RERUN_LEAK_MARKER`], with a canary in it (any such file when
/// `with_canary` is false): its `adversarial-stash.txt` copies, and what
/// cargo kept of the build (the build script's output, the library and
/// the suite binary compiled with it).
fn rerun_leaks(with_canary: bool) -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, canaries: &[String], found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                walk(&path, canaries, found);
                continue;
            }
            // Only the fixture's own artifacts (named after lab 9) and its
            // stash files can hold it; reading all of the build would cost
            // seconds.
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.contains("lab9")
                && name != STASH_FILE
                && !path.to_string_lossy().contains("lab9-adversarial-")
            {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            // `str::contains` is std's (optimized) substring search.
            let text = String::from_utf8_lossy(&bytes);
            if text.contains(RERUN_LEAK_MARKER)
                && (canaries.is_empty()
                    || canaries.iter().any(|canary| text.contains(canary.as_str())))
            {
                found.push(path);
            }
        }
    }
    let canaries = if with_canary { canaries() } else { Vec::new() };
    let mut found = Vec::new();
    for folder in ["submissions-target", "build", "staged"] {
        walk(
            &tiny_target_dir().join("grader").join(folder),
            &canaries,
            &mut found,
        );
    }
    found
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
    // Cargo compiles whatever of the build it misses again.
    for leak in rerun_leaks(false) {
        let _ = std::fs::remove_file(leak);
    }
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
    stop: Arc<AtomicBool>,
    received: Arc<Mutex<Vec<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Listener {
    /// Binds the first free port of [`LISTENER_PORTS`].
    fn start() -> Listener {
        let socket = LISTENER_PORTS
            .clone()
            .find_map(|port| TcpListener::bind(("127.0.0.1", port)).ok())
            .unwrap_or_else(|| panic!("every port of {LISTENER_PORTS:?} is taken on 127.0.0.1"));
        socket.set_nonblocking(true).unwrap();
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
    fixture: Fixture,
    /// Layers switched off with `GRADER_SANDBOX_DISABLE`.
    disabled: &'static [&'static str],
    /// Hidden tests run (all when empty), by `--filter`.
    filters: &'static [&'static str],
    /// The whole grader runs as uid 65534
    /// (`tools/adversarial/run-unprivileged.sh`).
    unprivileged: bool,
}

impl GradeSetup {
    const EVERYTHING: GradeSetup = GradeSetup {
        fixture: Fixture::Misbehaving,
        disabled: &[],
        filters: &[],
        unprivileged: false,
    };
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
    /// Copies of hidden files a build script left in the build folders.
    stashed: Vec<PathBuf>,
}

/// The user and group an unprivileged grade runs as.
const UNPRIVILEGED_ID: (u32, u32) = (65534, 65534);

/// Gives `path` and everything under it to `(uid, gid)` (links
/// themselves, not what they point at).
fn give_to(path: &std::path::Path, (uid, gid): (u32, u32)) {
    let _ = std::fs::create_dir_all(path);
    let _ = std::os::unix::fs::lchown(path, Some(uid), Some(gid));
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                give_to(&entry.path(), (uid, gid));
            } else {
                let _ = std::os::unix::fs::lchown(entry.path(), Some(uid), Some(gid));
            }
        }
    }
}

fn grade_fixture(setup: &GradeSetup) -> GradeRun {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    clean_up_after_fixture();
    let nonce = format!("{:?}\n", std::time::SystemTime::now());
    std::fs::write(fixture_dir().join(NONCE_FILE), nonce).unwrap();
    let out = tempfile::Builder::new()
        .prefix("adversarial-out-")
        .tempdir()
        .unwrap();
    let listener = Listener::start();
    let mut grade_args: Vec<std::ffi::OsString> = vec![
        "--course-root".into(),
        tiny_course_root().into(),
        "grade".into(),
        "lab9".into(),
        "--bench".into(),
        "off".into(),
        "--format".into(),
        "json".into(),
        "-j".into(),
        "2".into(),
        "--submission".into(),
        setup.fixture.dir().into(),
        "--out".into(),
        out.path().into(),
    ];
    for filter in setup.filters {
        grade_args.extend(["--filter".into(), (*filter).into()]);
    }
    let mut environment: Vec<(&str, String)> = SECRET_ENV
        .iter()
        .map(|(name, secret)| (*name, (*secret).to_owned()))
        .collect();
    if !setup.disabled.is_empty() {
        environment.push((DISABLE_ENV, setup.disabled.join(",")));
    }
    let mut command = if setup.unprivileged {
        // The grader writes the course's target folder and the output
        // folder: they become the unprivileged user's for the grade.
        give_to(&tiny_target_dir(), UNPRIVILEGED_ID);
        give_to(out.path(), UNPRIVILEGED_ID);
        let mut script = std::process::Command::new("sh");
        script
            .arg(course_root().join("tools/adversarial/run-unprivileged.sh"))
            .args(
                environment
                    .iter()
                    .map(|(name, value)| format!("{name}={value}")),
            )
            .arg(assert_cmd::cargo::cargo_bin("xtask"))
            .args(&grade_args);
        assert_cmd::Command::from_std(script)
    } else {
        let mut command = xtask();
        command
            .env_remove(DISABLE_ENV)
            .envs(environment)
            .args(&grade_args);
        command
    };
    command.current_dir(tiny_course_root());
    // Generous: the first grade on a fresh clone builds the grader's
    // dependencies; a grader that hangs is still caught.
    let output = command.timeout(Duration::from_secs(600)).output().unwrap();
    if setup.unprivileged {
        // SAFETY: plain getters.
        let own_ids = unsafe { (libc::geteuid(), libc::getegid()) };
        give_to(&tiny_target_dir(), own_ids);
    }
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
    let stashed = if setup.fixture == Fixture::Rerunning {
        rerun_leaks(true)
    } else {
        Vec::new()
    };

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
        stashed,
    }
}

/// The layers a grade reports active and missing (with reasons), from
/// `environment.sandbox`.
fn sandbox_layers(results: &Value, problems: &mut Vec<String>) -> (BTreeSet<String>, Vec<String>) {
    let sandbox = &results["environment"]["sandbox"];
    if !sandbox.is_object() {
        problems.push(
            "results.json has no `environment.sandbox` saying which layers were active".to_owned(),
        );
        return (BTreeSet::new(), Vec::new());
    }
    let active: BTreeSet<String> = sandbox["active"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|layer| layer.as_str().map(str::to_owned))
        .collect();
    let missing: Vec<String> = sandbox["missing"]
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
        let times = usize::from(active.contains(layer))
            + missing.iter().filter(|name| *name == layer).count();
        if times != 1 {
            problems.push(format!(
                "layer `{layer}` is named {times} times among the active and missing layers of \
                 results.json (once expected)"
            ));
        }
    }
    (active, missing)
}

/// The checks every grade shares: the grader's exit status, the results
/// document, the layers, leftovers and secrets. Returns the active layers.
fn check_common(
    setup: &GradeSetup,
    run: &GradeRun,
    expected_exit: i32,
    problems: &mut Vec<String>,
) -> Option<(Value, BTreeSet<String>, Vec<String>)> {
    if run.output.status.code() != Some(expected_exit) {
        problems.push(format!(
            "xtask exited with {:?}, not {expected_exit}; stderr:\n{}",
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
    let Some(results) = printed.or_else(|| run.results.clone()) else {
        problems.push("the grader printed no results document and wrote none".to_owned());
        return None;
    };
    if results["complete"] != true {
        problems.push("the results say the grade is not complete".to_owned());
    }
    let (active, missing) = sandbox_layers(&results, problems);
    for disabled in setup.disabled {
        let layers = SWITCHES
            .iter()
            .find(|(switch, _)| switch == disabled)
            .map_or(&[][..], |(_, layers)| *layers);
        for layer in layers {
            if active.contains(*layer) {
                problems.push(format!(
                    "layer `{layer}` is active although {DISABLE_ENV} switched `{disabled}` off"
                ));
            }
        }
    }
    if !run.leftovers.is_empty() {
        problems.push(format!(
            "processes of the fixture outlived the grade: {:?}",
            run.leftovers
        ));
    }
    // No layer can be switched off that lets a secret of the grader's
    // environment through: builds and tests inherit an allow-list.
    for (name, secret) in SECRET_ENV {
        for seen in run
            .canaries_seen
            .iter()
            .filter(|seen| seen.contains(secret))
        {
            problems.push(format!(
                "the grader's ${name} reached the submission: {seen} (builds and tests must not \
                 inherit it)"
            ));
        }
    }
    Some((results, active, missing))
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

/// Connections the listener saw, by who made them.
fn connections_from<'a>(run: &'a GradeRun, greeting: &str) -> Vec<&'a String> {
    run.connections
        .iter()
        .filter(|line| line.contains(greeting))
        .collect()
}

/// The hidden suite's and the reference's canaries (not the secrets) seen.
fn hidden_canaries_seen(run: &GradeRun) -> Vec<&String> {
    run.canaries_seen
        .iter()
        .filter(|seen| !SECRET_ENV.iter().any(|(_, secret)| seen.contains(secret)))
        .collect()
}

fn table_heading(
    title: &str,
    setup: &GradeSetup,
    active: &BTreeSet<String>,
    missing: &[String],
) -> Vec<String> {
    vec![
        format!(
            "{title}: active layers {active:?}; missing {missing:?}; switched off {:?}",
            setup.disabled
        ),
        "| behaviour | does | verdict | message | stopped by | contained |".to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ]
}

/// Checks one grade of the misbehaving fixture against what its active
/// layers must stop; prints the table of behaviours and outcomes; returns
/// the problems found.
fn check(title: &str, setup: &GradeSetup, run: &GradeRun) -> Vec<String> {
    let mut problems = Vec::new();
    let Some((results, active, missing)) = check_common(setup, run, 1, &mut problems) else {
        return problems;
    };
    if results["build"]["ok"] != true {
        problems.push(format!(
            "the fixture did not build: {}",
            results["build"]["message"]
        ));
    }
    let any_active = |layers: &[&str]| layers.iter().any(|layer| active.contains(*layer));
    let selected = |test: &str| {
        setup.filters.is_empty() || setup.filters.iter().any(|filter| test.contains(filter))
    };
    let mut table = table_heading(title, setup, &active, &missing);
    let test_connections = connections_from(run, "from the test process");
    let build_connections = connections_from(run, "from the build script");
    let hidden_seen = hidden_canaries_seen(run);
    for behaviour in BEHAVIOURS
        .iter()
        .filter(|behaviour| selected(behaviour.test))
    {
        let (status, message) = status_and_message(&results, behaviour.test);
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
        match behaviour.test {
            "touch_memory_until_a_limit"
                if any_active(&["cgroup"])
                    && !message.contains("used more memory than a test may") =>
            {
                problems.push(format!(
                    "touch_memory_until_a_limit: the cgroup was active, yet the message does not \
                     say the test used more memory than a test may: {message:.200}"
                ));
                notes.push("NO: not told it was the memory limit".to_owned());
            }
            "read_hidden_files" if !hidden_seen.is_empty() => {
                notes.push("NO: hidden files read".to_owned());
                if any_active(&["landlock"]) {
                    problems.push(format!(
                        "hidden files were read although landlock was active: {hidden_seen:?}"
                    ));
                }
            }
            "connect_to_the_listener" if !test_connections.is_empty() => {
                notes.push("NO: connected".to_owned());
                if any_active(&["network-namespace", "landlock-no-tcp"]) {
                    problems.push(format!(
                        "the test process connected to 127.0.0.1 although network-namespace or \
                         landlock-no-tcp was active: {test_connections:?}"
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
        table.push(format!(
            "| {} | {} | {status} | {} | {} | {contained} |",
            behaviour.test,
            behaviour.does,
            table_cell(message),
            behaviour.stopped_by
        ));
    }
    let build_notes = [
        (!run.build_canary_files.is_empty()).then(|| format!("wrote {:?}", run.build_canary_files)),
        (!build_connections.is_empty()).then(|| format!("connected: {build_connections:?}")),
        (!hidden_seen.is_empty() && !selected("read_hidden_files"))
            .then(|| format!("hidden files read: {hidden_seen:?}")),
        (hidden_seen.len() != run.canaries_seen.len())
            .then(|| "a secret of the grader's environment read".to_owned()),
    ];
    let build_notes: Vec<String> = build_notes.into_iter().flatten().collect();
    table.push(format!(
        "| build script | reads hidden files and secrets, writes above its folder, connects out \
         | - | - | landlock (files), network-namespace or landlock-no-tcp (TCP), environment \
         allow-list (secrets) | {} |",
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
    if !build_connections.is_empty() && any_active(&["network-namespace", "landlock-no-tcp"]) {
        problems.push(format!(
            "the build script connected to 127.0.0.1 although network-namespace or \
             landlock-no-tcp was active: {build_connections:?}"
        ));
    }
    if !hidden_seen.is_empty() && any_active(&["landlock"]) && !selected("read_hidden_files") {
        problems.push(format!(
            "hidden files were read although landlock was active: {hidden_seen:?}"
        ));
    }
    if run.default_results_forged && !selected("write_the_results_file") {
        problems.push("target/grade/lab9/results.json was forged".to_owned());
    }
    println!("{}\n", table.join("\n"));
    problems
}

/// Checks the grade of the rerunning fixture: a failed build with the
/// grader's reason, every test failed as not graded, and nothing of the
/// suite anywhere (printed, written, or left in the build folders).
fn check_refused_build(title: &str, setup: &GradeSetup, run: &GradeRun) -> Vec<String> {
    let mut problems = Vec::new();
    let Some((results, active, missing)) = check_common(setup, run, 2, &mut problems) else {
        return problems;
    };
    let build_message = results["build"]["message"].as_str().unwrap_or_default();
    // Refused either beside the suite (its build script ran again there) or
    // already in the first step, when what it stashed in the build folder
    // gave it away.
    let refused = build_message
        .contains("compiled a second time once the hidden suite was in the build")
        || build_message.contains("belong to no crate cargo compiled were changed");
    if results["build"]["ok"] != false || !refused {
        problems.push(format!(
            "the rerunning fixture's build was not refused: ok = \
             {}, message: {build_message:.300}",
            results["build"]["ok"]
        ));
    }
    let graded: Vec<&str> = results["tests"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| {
            entry["status"] != "FAIL"
                || !entry["message"]
                    .as_str()
                    .is_some_and(|message| message.starts_with("not graded"))
        })
        .filter_map(|entry| entry["name"].as_str())
        .collect();
    if !graded.is_empty() || results["tests"].as_array().is_none_or(Vec::is_empty) {
        problems.push(format!(
            "after a refused build every test must fail as not graded; these did not: {graded:?}"
        ));
    }
    let hidden_seen = hidden_canaries_seen(run);
    if !hidden_seen.is_empty() {
        problems.push(format!(
            "the refused build's reading of the suite shows in the grade: {hidden_seen:?}"
        ));
    }
    if !run.stashed.is_empty() {
        problems.push(format!(
            "the refused build left what it read of the hidden suite in the build folders, where \
             the next submission's build script can read it: {:?}",
            run.stashed
        ));
    }
    let build_connections = connections_from(run, "from the rerunning build script");
    if !build_connections.is_empty()
        && active
            .iter()
            .any(|layer| layer == "network-namespace" || layer == "landlock-no-tcp")
    {
        problems.push(format!(
            "the rerunning build script connected to 127.0.0.1 although network-namespace or \
             landlock-no-tcp was active: {build_connections:?}"
        ));
    }
    let mut table = table_heading(title, setup, &active, &missing);
    let notes: Vec<String> = [
        (!hidden_seen.is_empty()).then(|| "suite shown in the grade".to_owned()),
        (!run.stashed.is_empty())
            .then(|| format!("{} copies of the suite left in target/", run.stashed.len())),
        (!build_connections.is_empty()).then(|| "connected".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect();
    table.push(format!(
        "| build script rerun beside the suite | rerun-if-changed on a missing file; reads the \
         suite, stashes it in target/, connects out | build failed | {} | two-step build \
         (refused), landlock, network-namespace | {} |",
        table_cell(build_message),
        if notes.is_empty() {
            "yes".to_owned()
        } else {
            format!("NO: {}", notes.join("; "))
        }
    ));
    println!("{}\n", table.join("\n"));
    problems
}

/// `text` shortened to one table cell.
fn table_cell(text: &str) -> String {
    text.chars()
        .take(70)
        .map(|ch| if ch == '\n' || ch == '|' { ' ' } else { ch })
        .collect()
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
    let setup = GradeSetup::EVERYTHING;
    let run = grade_fixture(&setup);
    let problems = check("every layer", &setup, &run);
    assert_no_problems("every layer", &problems);
}

/// With some layers switched off, the others still stop what they stop.
/// Two grades, each of the misbehaviours the remaining layers answer for,
/// a benign test, and what the switched-off layers let through (shown in
/// the table as not contained).
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
            "touch_memory_until_a_limit",
            "fork_bomb",
            "double_forked_daemon",
            "write_the_results_file",
            "connect_to_the_listener",
        ],
        ..GradeSetup::EVERYTHING
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
            "allocate_20_gib",
            "touch_memory_until_a_limit",
            "fork_bomb",
            "read_hidden_files",
            "connect_to_the_listener",
            "write_the_results_file",
            "double_forked_daemon",
        ],
        ..GradeSetup::EVERYTHING
    };
    let run = grade_fixture(&isolation_only);
    problems.extend(check(
        "without rlimits, drop-user, seccomp",
        &isolation_only,
        &run,
    ));
    assert_no_problems("layers switched off", &problems);
}

/// A build script that runs again beside the hidden suite gets the build
/// refused, and nothing it read there reaches anyone.
#[test]
fn a_build_script_that_reruns_beside_the_suite_is_refused() {
    let _clean_up = CleanUpGuard;
    let setup = GradeSetup {
        fixture: Fixture::Rerunning,
        ..GradeSetup::EVERYTHING
    };
    let run = grade_fixture(&setup);
    let problems = check_refused_build("build script rerunning beside the suite", &setup, &run);
    assert_no_problems("rerunning build script", &problems);
}

/// Why an unprivileged grade cannot run here, if it cannot.
fn unprivileged_grade_unavailable() -> Option<String> {
    // SAFETY: plain getter.
    if unsafe { libc::geteuid() } != 0 {
        return Some("the tests do not run as root (needed to switch to uid 65534)".to_owned());
    }
    let works = |program: &str, args: &[&str]| {
        std::process::Command::new(program)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    let xtask = assert_cmd::cargo::cargo_bin("xtask");
    if let Err(reason) = grader::sandbox::reachable_by_others(&xtask) {
        return Some(format!(
            "uid 65534 cannot run the grader here: {reason} (a checkout in a private folder)"
        ));
    }
    if !works("unshare", &["--mount", "--propagation", "private", "true"]) {
        return Some("`unshare --mount` does not work here".to_owned());
    }
    if !works(
        "setpriv",
        &["--reuid=65534", "--regid=65534", "--clear-groups", "true"],
    ) {
        return Some("`setpriv` cannot switch to uid 65534 here".to_owned());
    }
    None
}

/// The whole grader as an unprivileged user (drop-user and the cgroup
/// missing, as on a CI runner or a laptop): every misbehaviour again.
/// Where the tests do not run as root, says why it checked nothing.
#[test]
fn the_layers_of_an_unprivileged_grader_hold() {
    if let Some(reason) = unprivileged_grade_unavailable() {
        println!("unprivileged grade not run: {reason}");
        return;
    }
    let _clean_up = CleanUpGuard;
    let setup = GradeSetup {
        unprivileged: true,
        ..GradeSetup::EVERYTHING
    };
    let run = grade_fixture(&setup);
    let problems = check("unprivileged grader (uid 65534)", &setup, &run);
    assert_no_problems("unprivileged grader", &problems);
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
    let ports = format!("{}..{}", LISTENER_PORTS.start, LISTENER_PORTS.end);
    for name in [
        "adv9-daemon",
        "adv9-rewriter",
        "adv9-forkbomb",
        FORGED_MARKER,
        ports.as_str(),
    ] {
        assert!(fixture.contains(name), "the fixture no longer uses {name}");
    }
    let build_script = std::fs::read_to_string(fixture_dir().join("build.rs")).unwrap();
    assert!(build_script.contains(BUILD_CANARY_FILE));
    assert!(build_script.contains(&ports));
    assert!(build_script.contains(&format!("rerun-if-changed={NONCE_FILE}")));
    let rerunning = std::fs::read_to_string(Fixture::Rerunning.dir().join("build.rs")).unwrap();
    assert!(rerunning.contains(STASH_FILE));
    assert!(rerunning.contains(RERUN_LEAK_MARKER));
    assert!(rerunning.contains(&ports));
    assert!(!fixture.contains("ADVERSARIAL-CANARY-"));
    assert_eq!(canaries().len(), 2 + SECRET_ENV.len());
}
