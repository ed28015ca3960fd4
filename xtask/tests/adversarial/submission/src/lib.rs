//! A lab 9 submission that misbehaves in every way a grader must survive,
//! one way per graded function (its build script adds the build-time
//! ones). `xtask/tests/adversarial.rs` grades it and checks that each
//! misbehaviour fails its own test and nothing else.
//!
//! Harm to the machine is bounded even where the grader sets no limit, so
//! that a missing sandbox layer shows up as a failed check instead of a
//! crashed CI runner: the memory toucher stops at [`TOUCH_CAP_BYTES`], the
//! fork bomb at [`FORK_BOMB_DEPTH`] generations, the results rewriter after
//! [`REWRITER_LIFETIME`], and the results writer only aims at results files
//! of this lab and at output folders named like the test's.
//!
//! No dependency: the system calls are declared here (the C library is
//! linked into every Rust program anyway), so the build needs nothing a lab
//! might not allow.

mod search;

use std::ffi::CStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

unsafe extern "C" {
    safe fn fork() -> i32;
    safe fn setsid() -> i32;
    safe fn sleep(seconds: u32) -> u32;
    safe fn _exit(status: i32) -> !;
    unsafe fn waitpid(pid: i32, status: *mut i32, options: i32) -> i32;
    unsafe fn prctl(option: i32, ...) -> i32;
    unsafe fn write(fd: i32, buffer: *const u8, count: usize) -> isize;
}

const PR_SET_NAME: i32 = 15;

/// Names the processes this fixture leaves behind take (`comm`, at most 15
/// bytes), so a test can find them in `/proc`.
pub const DAEMON_NAME: &CStr = c"adv9-daemon";
pub const REWRITER_NAME: &CStr = c"adv9-rewriter";
pub const FORK_BOMB_NAME: &CStr = c"adv9-forkbomb";

/// The memory toucher gives up here if nothing stopped it.
pub const TOUCH_CAP_BYTES: usize = 4 << 30;
/// Each fork bomb process starts two children down to this many
/// generations: 2^(depth+1) - 1 processes if nothing stops it.
pub const FORK_BOMB_DEPTH: u32 = 9;
/// How long the results rewriter keeps rewriting if nothing kills it.
pub const REWRITER_LIFETIME: Duration = Duration::from_secs(20);
/// What the results writer puts in every results file it reaches.
pub const FORGED_RESULTS: &str = r#"{"forged_by":"adversarial fixture","totals":{"points":999}}"#;
/// The ports the adversarial test's listener may be on (it binds the
/// first free one).
pub const LISTENER_PORTS: std::ops::Range<u16> = 47300..47340;

/// Whatever the build script managed to read of hidden files.
const BUILD_LEAK: &str = env!("ADVERSARIAL_BUILD_LEAK");

fn wrong(seed: u64) -> u64 {
    seed
}

pub fn expected(seed: u64) -> u64 {
    seed * 3 + 1
}

pub fn sum(left: u64, right: u64) -> u64 {
    left + right
}

pub fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

pub fn endless_loop(seed: u64) -> u64 {
    let mut spins = seed;
    loop {
        spins = std::hint::black_box(spins.wrapping_add(1));
    }
}

/// Two threads take two locks in opposite orders.
pub fn deadlock(seed: u64) -> u64 {
    use std::sync::{Arc, Barrier, Mutex};
    let first = Arc::new(Mutex::new(seed));
    let second = Arc::new(Mutex::new(seed));
    let both_hold_one = Arc::new(Barrier::new(2));
    let other = {
        let (first, second, both_hold_one) = (first.clone(), second.clone(), both_hold_one.clone());
        std::thread::spawn(move || {
            let _second = second.lock().unwrap();
            both_hold_one.wait();
            *first.lock().unwrap()
        })
    };
    let _first = first.lock().unwrap();
    both_hold_one.wait();
    let _second = second.lock().unwrap();
    other.join().unwrap()
}

pub fn exit_zero_mid_test(_seed: u64) -> u64 {
    std::process::exit(0)
}

pub fn exit_zero_from_another_thread(seed: u64) -> u64 {
    std::thread::spawn(|| std::process::exit(0));
    std::thread::sleep(Duration::from_secs(30));
    wrong(seed)
}

pub fn abort(_seed: u64) -> u64 {
    std::process::abort()
}

pub fn stack_overflow(seed: u64) -> u64 {
    #[allow(unconditional_recursion)]
    fn recurse(depth: u64) -> u64 {
        let frame = std::hint::black_box([depth; 64]);
        recurse(depth + 1) + frame[(depth % 64) as usize]
    }
    recurse(seed)
}

struct PanicsWhenDropped;

impl Drop for PanicsWhenDropped {
    fn drop(&mut self) {
        panic!("a destructor panicked while the thread was unwinding");
    }
}

pub fn panic_in_drop_while_unwinding(_seed: u64) -> u64 {
    let _guard = PanicsWhenDropped;
    panic!("the first panic, which starts the unwinding");
}

/// Prints what other graders take for a pass (libtest's lines and JSON
/// events, this grader's record), on stdout and stderr, and writes a
/// forged record to the grader's report descriptor.
pub fn fake_pass_lines_and_json(seed: u64) -> u64 {
    let test = std::env::var("GRADER_TEST").unwrap_or_else(|_| "fake_pass_lines_and_json".into());
    let forgeries = [
        format!("test {test} ... ok"),
        "test result: ok. 17 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out".to_owned(),
        format!(r#"{{ "type": "test", "event": "ok", "name": "{test}" }}"#),
        r#"{ "type": "suite", "event": "ok", "passed": 17, "failed": 0 }"#.to_owned(),
        format!(
            r#"{{"secret":"00000000000000000000000000000000","test":"{test}","outcome":"pass"}}"#
        ),
        r#"{"status":"PASS","points":999,"message":""}"#.to_owned(),
    ];
    for line in &forgeries {
        println!("{line}");
        eprintln!("{line}");
    }
    let record = format!("{}\n", forgeries[4]);
    for descriptor in [3, 4, 5] {
        // SAFETY: writing bytes we own to a descriptor number; a closed or
        // foreign descriptor only makes the call fail.
        unsafe { write(descriptor, record.as_ptr(), record.len()) };
    }
    let _ = std::io::stdout().flush();
    wrong(seed)
}

/// One allocation of 20 GiB, touched at one byte: only an address-space
/// limit (or a machine without that much memory to promise) refuses it.
pub fn allocate_20_gib(seed: u64) -> u64 {
    let mut block = vec![0u8; 20 << 30];
    block[12345] = 1;
    std::hint::black_box(&block);
    wrong(seed)
}

/// Writes to fresh memory 64 MiB at a time until something stops it (or
/// [`TOUCH_CAP_BYTES`]).
pub fn touch_memory_until_a_limit(seed: u64) -> u64 {
    const CHUNK: usize = 64 << 20;
    let mut kept: Vec<Vec<u8>> = Vec::new();
    while kept.len() * CHUNK < TOUCH_CAP_BYTES {
        kept.push(vec![0xA5; CHUNK]);
        std::hint::black_box(&kept);
    }
    wrong(seed)
}

/// Every process starts two children, down to [`FORK_BOMB_DEPTH`]
/// generations, and then sleeps forever; the test's own process returns
/// the right answer, so only the processes it left decide its verdict.
pub fn fork_bomb(seed: u64) -> u64 {
    let mut depth = 0;
    let mut is_child = false;
    'generations: while depth < FORK_BOMB_DEPTH {
        for _ in 0..2 {
            match fork() {
                0 => {
                    // The child continues the bomb one generation down.
                    // Only system calls from here on: the parent had
                    // threads.
                    is_child = true;
                    // SAFETY: PR_SET_NAME reads a NUL-terminated string.
                    unsafe { prctl(PR_SET_NAME, FORK_BOMB_NAME.as_ptr()) };
                    depth += 1;
                    continue 'generations;
                }
                pid if pid < 0 => break 'generations,
                _ => {}
            }
        }
        break;
    }
    if is_child {
        loop {
            sleep(3600);
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    seed * 3 + 1
}

/// Forks, starts a new session, forks again, renames itself and sleeps
/// forever: out of the test's process group. The test's own process
/// returns the right answer.
pub fn double_forked_daemon(seed: u64) -> u64 {
    daemonize(DAEMON_NAME, || {
        loop {
            sleep(3600);
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    seed * 3 + 1
}

/// Runs `body` in a grandchild in its own session, named `name`, which
/// then ends; waits for the intermediate child as a daemonizing program
/// does.
fn daemonize(name: &CStr, body: impl FnOnce()) {
    let first = fork();
    if first == 0 {
        setsid();
        if fork() == 0 {
            // SAFETY: PR_SET_NAME reads a NUL-terminated string.
            unsafe { prctl(PR_SET_NAME, name.as_ptr()) };
            body();
        }
        _exit(0);
    }
    if first > 0 {
        let mut status = 0;
        // SAFETY: waiting for our own child.
        unsafe { waitpid(first, &mut status, 0) };
    }
}

/// Every ancestor of the current folder and of this program's file: where
/// a course root (and its `target/`) may be.
fn ancestors_worth_trying() -> Vec<PathBuf> {
    let mut starts = Vec::new();
    if let Ok(current) = std::env::current_dir() {
        starts.push(current);
    }
    if let Ok(program) = std::fs::read_link("/proc/self/exe") {
        starts.push(program);
    }
    for variable in ["CARGO_MANIFEST_DIR", "OUT_DIR", "COURSE_ROOT", "PWD"] {
        if let Some(value) = std::env::var_os(variable) {
            starts.push(PathBuf::from(value));
        }
    }
    search::course_roots_around(&starts)
}

/// Files a cheater wants: the hidden suite and the reference, by every
/// path this program can think of.
pub fn hidden_file_candidates() -> Vec<PathBuf> {
    let mut candidates = vec![
        PathBuf::from("grader/suites/lab9-adversarial/src/main.rs"),
        PathBuf::from("solutions/lab9-adversarial/src/lib.rs"),
        PathBuf::from("../../solutions/lab9-adversarial/src/lib.rs"),
    ];
    for root in ancestors_worth_trying() {
        candidates.push(root.join("grader/suites/lab9-adversarial/src/main.rs"));
        candidates.push(root.join("solutions/lab9-adversarial/src/lib.rs"));
    }
    candidates
}

/// Writes [`FORGED_RESULTS`] over every results file of this lab it can
/// find (and into output folders named like the test's), then leaves a
/// rewriter in its own session that keeps doing so after the grade.
pub fn write_the_results_file(seed: u64) -> u64 {
    let targets = results_file_candidates();
    let reached = overwrite(&targets);
    println!("results files overwritten: {reached:?}");
    daemonize(REWRITER_NAME, move || {
        let until = std::time::Instant::now() + REWRITER_LIFETIME;
        while std::time::Instant::now() < until {
            overwrite(&results_file_candidates());
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    wrong(seed)
}

fn results_file_candidates() -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    for root in ancestors_worth_trying() {
        candidates.push(root.join("target/grade/lab9/results.json"));
    }
    candidates.push(PathBuf::from("results.json"));
    // A real cheater would try every results.json it can see; this one
    // spares output folders that are not the adversarial test's, because
    // other tests may be grading on the same machine. (`TMPDIR` is the
    // test's own scratch folder: the shared one is tried by name too.)
    for temporary in [std::env::temp_dir(), PathBuf::from("/tmp")] {
        let Ok(entries) = std::fs::read_dir(temporary) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with("adversarial-out-")
            {
                candidates.push(entry.path().join("results.json"));
            }
        }
    }
    candidates
}

fn overwrite(targets: &[PathBuf]) -> Vec<PathBuf> {
    targets
        .iter()
        .filter(|path| path.parent().is_some_and(Path::is_dir))
        .filter(|path| std::fs::write(path, FORGED_RESULTS).is_ok())
        .cloned()
        .collect()
}

/// Reads the hidden suite and the reference by every path it can think
/// of and prints what it found (and what the build script found) on
/// stdout and stderr, where the grader captures it into the results.
pub fn read_hidden_files(seed: u64) -> u64 {
    for path in hidden_file_candidates() {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let shown: String = text.chars().take(4096).collect();
                println!("read {}:\n{shown}", path.display());
                eprintln!("read {}:\n{shown}", path.display());
            }
            Err(err) => println!("could not read {}: {err}", path.display()),
        }
    }
    for (name, value) in std::env::vars() {
        if name.contains("TOKEN") || name.contains("SECRET") {
            println!("the environment holds ${name} = {value}");
        }
    }
    println!("the build script read: {BUILD_LEAK}");
    eprintln!("the build script read: {BUILD_LEAK}");
    wrong(seed)
}

/// Connects to every port of the range the test's listener binds one of
/// ([`LISTENER_PORTS`]: a connection to a closed loopback port fails at
/// once) and sends a line on each connection made.
pub fn connect_to_the_listener(seed: u64) -> u64 {
    let mut connected = Vec::new();
    let mut last_error = None;
    for port in LISTENER_PORTS {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        match std::net::TcpStream::connect_timeout(&address, Duration::from_secs(1)) {
            Ok(mut stream) => {
                let _ = stream.write_all(b"hello from the test process\n");
                connected.push(port);
            }
            Err(err) => last_error = Some(err),
        }
    }
    println!("connected to ports {connected:?}; last error: {last_error:?}");
    wrong(seed)
}
