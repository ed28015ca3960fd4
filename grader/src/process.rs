//! Starting and supervising one untrusted child process.
//!
//! This module owns the Unix mechanics seen from the grader: pipes moved to
//! fixed descriptors, a scratch folder, an environment cleared down to an
//! allow-list, the sandbox entered between fork and exec
//! ([`crate::sandbox`]), a wall-clock deadline, capped capture of output,
//! and the reaper's report. It knows nothing of tests or verdicts;
//! [`crate::runner`] interprets what it returns.
//!
//! Invariant: when [`supervise`] returns, the child has been reaped and no
//! process it started is left: the reaper inside the sandbox kills them all
//! (as pid 1 of the test's pid namespace, or as a child subreaper that every
//! orphan, `setsid` daemons included, is given to), the test's cgroup is
//! emptied where there is one, and should the reaper itself not finish
//! within [`STOP_GRACE`] after the deadline, the child's process group is
//! killed.
//!
//! When the test ended on its own, the processes the reaper still had
//! after a grace are listed ([`Observed::left_behind`]): a test must not
//! leave work running behind it, and the runner fails one that does.

use std::ffi::OsString;
use std::fs::File;
use std::io::{ErrorKind as IoErrorKind, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::protocol::{REPORT_FD, SECRET_FD};
use crate::sandbox::{self, Policy, Prepared};

/// What a supervised child is given and allowed.
#[derive(Debug, Clone)]
pub struct ChildSpec<'a> {
    pub program: &'a Path,
    pub args: Vec<OsString>,
    /// Added to the grader's environment.
    pub env: Vec<(OsString, OsString)>,
    pub timeout: Duration,
    /// Bytes written to the child's [`SECRET_FD`] before it runs; `None`
    /// gives the child no private channel at all.
    pub secret: Option<&'a [u8]>,
    /// How much of stdout and stderr (merged) to keep.
    pub output_cap: usize,
    /// How much of the report channel to keep.
    pub report_cap: usize,
    /// Keep stdout apart from stderr ([`Observed::stdout`]): a program
    /// whose stdout is machine-readable (cargo's JSON messages), which
    /// stderr's lines must not cut in two.
    pub separate_stdout: bool,
    /// Also copy the child's output (stdout and stderr, merged) to the
    /// grader's stderr as it arrives (a test replayed in the foreground).
    pub echo_output: bool,
    /// What the child may read, write and use (see [`crate::sandbox`]).
    /// A scratch folder of its own, made and removed here, is added to
    /// what it may write; it is the child's working folder and `TMPDIR`.
    pub policy: Policy,
}

/// How the child process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    /// Killed by us at the deadline.
    TimedOut,
    /// Killed by us because the grader was interrupted.
    Interrupted,
}

/// Everything observed of one child.
#[derive(Debug, Clone)]
pub struct Observed {
    pub exit: Exit,
    pub duration: Duration,
    /// Merged stdout and stderr (stderr alone with `separate_stdout`), at
    /// most `output_cap` bytes.
    pub output: Vec<u8>,
    /// Stdout, with `separate_stdout` (at most `output_cap` bytes).
    pub stdout: Vec<u8>,
    /// Bytes of output dropped beyond the cap.
    pub output_dropped: u64,
    /// What arrived on the report channel, at most `report_cap` bytes.
    pub report: Vec<u8>,
    pub report_overflowed: bool,
    /// Processes the test started that were still running (not merely
    /// exited) [`LEFT_BEHIND_GRACE`] after the test process ended on its own: work it
    /// never waited for. The reaper killed them. Empty after a timeout or an
    /// interrupt, when everything is killed mid-run anyway.
    pub left_behind: Vec<LeftBehind>,
    /// The kernel's out-of-memory killer acted in the child's cgroup.
    pub memory_limit_hit: bool,
}

/// A process a test left running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftBehind {
    pub pid: i32,
    /// The program's name as the kernel keeps it (at most 15 bytes).
    pub command: String,
}

/// How long the processes a test started may take to finish after the test
/// process itself ended, before they count as left behind. A child that was
/// told to stop (its input closed) but not waited for gets this long to
/// exit; one that sleeps or loops forever does not make it.
pub const LEFT_BEHIND_GRACE: Duration = Duration::from_millis(100);

/// How long to keep reading output after the child has ended, for what its
/// (now killed) descendants had already written.
const OUTPUT_GRACE: Duration = Duration::from_millis(200);
/// Longest sleep in the supervision loop, so an interrupt is noticed soon.
const POLL_SLICE: Duration = Duration::from_millis(50);

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Marks the run as interrupted: every supervised child is killed at once and
/// reported as [`Exit::Interrupted`]. Safe to call from a signal handler.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

pub fn is_interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Installs SIGINT and SIGTERM handlers that call [`interrupt`], so that
/// Ctrl-C stops the run cleanly, kills the running tests and keeps the
/// results already written.
pub fn install_interrupt_handlers() {
    extern "C" fn on_signal(_signal: libc::c_int) {
        interrupt();
    }
    // SAFETY: the handler only stores to an atomic, which is
    // async-signal-safe.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
        libc::sigaction(libc::SIGTERM, &action, std::ptr::null_mut());
    }
}

/// Starts the child, feeds it the secret, collects its output and report
/// until it exits or the deadline passes, kills its process group and reaps
/// it.
pub fn supervise(spec: &ChildSpec<'_>) -> std::io::Result<Observed> {
    let (output_read, output_write) = pipe()?;
    let stdout_pipe = match spec.separate_stdout {
        true => Some(pipe()?),
        false => None,
    };
    let (report_read, report_write) = pipe()?;
    let (status_read, status_write) = pipe()?;
    let (control_read, control_write) = pipe()?;
    let secret_pipe = match spec.secret {
        Some(_) => Some(pipe()?),
        None => None,
    };
    let mut prepared_policy = spec.policy.clone();
    let scratch = Scratch::new()?;
    prepared_policy.write.push(scratch.path.clone());
    let mut prepared = Prepared::new(&prepared_policy, status_write, control_read)?;
    if let Some((uid, gid)) = prepared.test_user() {
        std::os::unix::fs::chown(&scratch.path, Some(uid), Some(gid))?;
    }

    let mut command = Command::new(spec.program);
    command.env_clear();
    for (name, value) in std::env::vars_os() {
        if name
            .to_str()
            .is_some_and(|name| sandbox::inherits(spec.policy.inherit_env, name))
        {
            command.env(name, value);
        }
    }
    if !sandbox::inherits(spec.policy.inherit_env, "HOME") {
        command.env("HOME", &scratch.path);
    }
    command
        .args(&spec.args)
        .envs(spec.env.iter().map(|(key, value)| (key, value)))
        .env("TMPDIR", &scratch.path)
        .current_dir(&scratch.path)
        .stdin(Stdio::null())
        .stdout(match &stdout_pipe {
            Some((_, stdout_write)) => Stdio::from(stdout_write.try_clone()?),
            None => Stdio::from(output_write.try_clone()?),
        })
        .stderr(Stdio::from(output_write));
    let stdout_read = stdout_pipe.map(|(read, _write)| read);
    let secret_child_end = secret_pipe.as_ref().map(|(read, _)| read.as_raw_fd());
    let report_child_end = report_write.as_raw_fd();
    let plan = prepared.plan.clone();
    // SAFETY: the closure only makes async-signal-safe system calls between
    // fork and exec (see `sandbox::child`).
    unsafe {
        command.pre_exec(move || {
            if let Some(secret_fd) = secret_child_end {
                if libc::dup2(secret_fd, SECRET_FD) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            if libc::dup2(report_child_end, REPORT_FD) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            sandbox::child::enter(&plan)
        });
    }
    become_subreaper();
    let started = Instant::now();
    let child = command.spawn()?;
    // The parent keeps only its own ends; otherwise the pipes never report
    // end-of-file.
    drop(command);
    drop(report_write);
    prepared.release_child_ends();
    // Only the pid is needed: the child is reaped with waitpid below, and
    // dropping a `Child` neither waits for nor kills it.
    let pid = child.id() as libc::pid_t;
    drop(child);
    if let Some((secret_read, secret_write)) = secret_pipe {
        drop(secret_read);
        let mut secret_write = File::from(secret_write);
        // A child that died at once cannot take the secret; its exit status
        // tells the story, so a broken pipe here is not an error.
        let _ = secret_write.write_all(spec.secret.unwrap_or_default());
    }

    let mut supervisor = Supervisor {
        pid,
        exit_watch: ExitWatch::open(pid),
        output: Capture::new(output_read, spec.output_cap)?.echoing(spec.echo_output),
        stdout: match stdout_read {
            Some(read) => Some(Capture::new(read, spec.output_cap)?),
            None => None,
        },
        report: Capture::new(report_read, spec.report_cap)?,
        status: Capture::new(status_read, STATUS_CAP)?,
        control: Some(control_write),
    };
    let deadline = started + spec.timeout;
    let stop = supervisor.wait_until(deadline)?;
    let duration = started.elapsed();
    if let Some(group) = &prepared.cgroup {
        group.kill_all();
    }
    let own_exit = reap(pid);
    reap_group(pid);
    supervisor.status.drain_nonblocking()?;
    let reaper = ReaperReport::parse(&supervisor.status.kept);
    let exit = match (stop, reaper.test_status) {
        (Some(stopped), _) => stopped,
        (None, Some(status)) => decode_status(status),
        // No word from the reaper: it never started (or was killed).
        (None, None) => own_exit,
    };
    // The child is dead (or killed); its descendants were killed with it.
    // Collect what they had written, without waiting on a daemon that
    // escaped and holds the pipe open.
    let grace_end = Instant::now() + OUTPUT_GRACE;
    while !(supervisor.output.closed && supervisor.stdout.as_ref().is_none_or(|out| out.closed))
        && Instant::now() < grace_end
    {
        supervisor.pump(grace_end, false)?;
    }
    supervisor.report.drain_nonblocking()?;
    let memory_limit_hit = prepared
        .cgroup
        .as_ref()
        .is_some_and(sandbox::cgroup::TestGroup::memory_limit_hit);
    drop(prepared);
    drop(scratch);
    Ok(Observed {
        exit,
        duration,
        output_dropped: supervisor.output.dropped,
        output: supervisor.output.kept,
        stdout: supervisor.stdout.map(|out| out.kept).unwrap_or_default(),
        report_overflowed: supervisor.report.dropped > 0,
        report: supervisor.report.kept,
        left_behind: if stop.is_some() {
            Vec::new()
        } else {
            reaper.left_behind
        },
        memory_limit_hit,
    })
}

/// Runs `program` in the foreground, in the sandbox a test gets (allowed to
/// run `programs` too), its output copied to stderr as it comes; whether it
/// exited 0 within `timeout`. For a test replayed by a person.
pub fn run_in_foreground(
    program: &Path,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    timeout: Duration,
    programs: Vec<std::path::PathBuf>,
) -> std::io::Result<bool> {
    let observed = supervise(&ChildSpec {
        program,
        args,
        env,
        timeout,
        secret: None,
        output_cap: 0,
        report_cap: 0,
        separate_stdout: false,
        echo_output: true,
        policy: Policy::for_test(
            timeout,
            std::iter::once(program.to_path_buf())
                .chain(programs)
                .collect(),
        ),
    })?;
    Ok(observed.exit == Exit::Code(0))
}

/// How much of the reaper's status pipe to keep.
const STATUS_CAP: usize = 64 * 1024;
/// How long the reaper gets to stop the test and report, after the grader
/// asked it to, before the grader kills it.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// What the reaper said on the status pipe.
#[derive(Debug, Default)]
struct ReaperReport {
    test_status: Option<libc::c_int>,
    left_behind: Vec<LeftBehind>,
}

impl ReaperReport {
    fn parse(bytes: &[u8]) -> ReaperReport {
        let mut report = ReaperReport::default();
        for line in String::from_utf8_lossy(bytes).lines() {
            if let Some(status) = line.strip_prefix("S ") {
                report.test_status = status.trim().parse().ok();
            } else if let Some(rest) = line.strip_prefix("L ") {
                let (pid, command) = rest.split_once(' ').unwrap_or((rest, ""));
                if let Ok(pid) = pid.parse() {
                    report.left_behind.push(LeftBehind {
                        pid,
                        command: command.to_owned(),
                    });
                }
            }
        }
        report
    }
}

fn decode_status(status: libc::c_int) -> Exit {
    if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    }
}

/// A child's own scratch folder: its working folder and `TMPDIR`, the one
/// place it may write. Removed with everything in it afterwards.
struct Scratch {
    path: std::path::PathBuf,
}

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "grader-scratch-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path)?;
        Ok(Scratch { path })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

struct Supervisor {
    pid: libc::pid_t,
    exit_watch: ExitWatch,
    output: Capture,
    /// Stdout, when kept apart.
    stdout: Option<Capture>,
    report: Capture,
    /// The reaper's reports.
    status: Capture,
    /// Dropping it tells the reaper to stop the test.
    control: Option<OwnedFd>,
}

impl Supervisor {
    /// Pumps the pipes until the child exits, the deadline passes or the run
    /// is interrupted. A stopped run returns how it was stopped: the reaper
    /// is told to kill the test (and, should it not finish within
    /// [`STOP_GRACE`], the child's group is killed).
    fn wait_until(&mut self, deadline: Instant) -> std::io::Result<Option<Exit>> {
        let mut stopped: Option<(Exit, Instant)> = None;
        loop {
            if self.exit_watch.has_exited(self.pid) {
                return Ok(stopped.map(|(exit, _)| exit));
            }
            match stopped {
                None if is_interrupted() => {
                    self.control = None;
                    stopped = Some((Exit::Interrupted, Instant::now() + STOP_GRACE));
                }
                None if Instant::now() >= deadline => {
                    self.control = None;
                    stopped = Some((Exit::TimedOut, Instant::now() + STOP_GRACE));
                }
                Some((exit, give_up)) if Instant::now() >= give_up => {
                    self.kill_group();
                    return Ok(Some(exit));
                }
                _ => {}
            }
            let until = match stopped {
                Some((_, give_up)) => give_up,
                None => deadline,
            };
            self.pump(until, true)?;
        }
    }

    /// Waits (at most until `until`, and at most one poll slice) for output,
    /// a report, or the child's exit, and reads what is ready.
    fn pump(&mut self, until: Instant, watch_exit: bool) -> std::io::Result<()> {
        let mut fds = Vec::with_capacity(4);
        for capture in [&self.output, &self.report, &self.status]
            .into_iter()
            .chain(self.stdout.as_ref())
        {
            if !capture.closed {
                fds.push(pollfd(capture.fd()));
            }
        }
        let exit_fd = if watch_exit {
            self.exit_watch.fd()
        } else {
            None
        };
        if let Some(fd) = exit_fd {
            fds.push(pollfd(fd));
        }
        let mut slice = until
            .saturating_duration_since(Instant::now())
            .min(POLL_SLICE);
        if watch_exit && exit_fd.is_none() {
            // Without a pidfd the exit is found by asking; ask often.
            slice = slice.min(Duration::from_millis(2));
        }
        if fds.is_empty() {
            std::thread::sleep(slice);
            return Ok(());
        }
        let timeout_ms = slice.as_millis().clamp(0, i32::MAX as u128) as libc::c_int;
        // SAFETY: `fds` is a valid, initialised array of pollfd of that length.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) };
        if ready < 0 {
            let err = std::io::Error::last_os_error();
            return if err.kind() == IoErrorKind::Interrupted {
                Ok(())
            } else {
                Err(err)
            };
        }
        for entry in &fds {
            if entry.revents == 0 {
                continue;
            }
            if entry.fd == self.output.fd() {
                self.output.read_available()?;
            } else if let Some(stdout) = self.stdout.as_mut().filter(|out| out.fd() == entry.fd) {
                stdout.read_available()?;
            } else if entry.fd == self.report.fd() {
                self.report.read_available()?;
            } else if entry.fd == self.status.fd() {
                self.status.read_available()?;
            }
        }
        Ok(())
    }

    fn kill_group(&self) {
        // SAFETY: plain syscall. The group leader is not yet reaped, so its
        // process group id cannot have been given to anyone else.
        unsafe {
            libc::kill(-self.pid, libc::SIGKILL);
        }
    }
}

/// Reaps the child and decodes its status.
fn reap(pid: libc::pid_t) -> Exit {
    let mut status: libc::c_int = 0;
    loop {
        // SAFETY: plain syscall on our own child.
        let result = unsafe { libc::waitpid(pid, &mut status, 0) };
        if result == pid {
            break;
        }
        if result < 0 && std::io::Error::last_os_error().kind() != IoErrorKind::Interrupted {
            // Already reaped (impossible here) or not our child: report the
            // strangest possible exit rather than hang.
            return Exit::Signal(0);
        }
    }
    if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    }
}

/// Kills and reaps what is left of the process group `pgid` after its
/// leader was reaped: descendants the test started, which (with the grader as
/// subreaper) are now the grader's children. Gives up after two seconds, a
/// bound no SIGKILLed process should reach.
fn reap_group(pgid: libc::pid_t) {
    let give_up = Instant::now() + Duration::from_secs(2);
    loop {
        // SAFETY: plain syscalls on our own (former) process group.
        unsafe {
            let mut status = 0;
            while libc::waitpid(-pgid, &mut status, libc::WNOHANG) > 0 {}
            if libc::kill(-pgid, 0) != 0 {
                return; // ESRCH: nobody is left in the group.
            }
            libc::kill(-pgid, libc::SIGKILL);
        }
        if Instant::now() >= give_up {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Makes the grader the reaper of its tests' orphans (Linux), so that a
/// test's grandchildren stay within reach after the test process dies.
fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: plain prctl on our own process.
        ONCE.call_once(|| unsafe {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1);
        });
    }
}

/// Notices the child's exit without reaping it, so that the process group
/// can still be killed safely afterwards.
enum ExitWatch {
    /// Linux: a pidfd becomes readable when the process exits.
    PidFd(OwnedFd),
    /// Elsewhere: ask with `waitid(WNOWAIT)`.
    Polling,
}

impl ExitWatch {
    fn open(pid: libc::pid_t) -> ExitWatch {
        #[cfg(target_os = "linux")]
        {
            // SAFETY: plain syscall; a non-negative result is a new fd we own.
            let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
            if fd >= 0 {
                // SAFETY: the kernel just gave us this descriptor.
                return ExitWatch::PidFd(unsafe { OwnedFd::from_raw_fd(fd as RawFd) });
            }
        }
        let _ = pid;
        ExitWatch::Polling
    }

    fn fd(&self) -> Option<RawFd> {
        match self {
            ExitWatch::PidFd(fd) => Some(fd.as_raw_fd()),
            ExitWatch::Polling => None,
        }
    }

    fn has_exited(&self, pid: libc::pid_t) -> bool {
        if let ExitWatch::PidFd(fd) = self {
            let mut entry = [pollfd(fd.as_raw_fd())];
            // SAFETY: a one-element pollfd array; zero timeout.
            let ready = unsafe { libc::poll(entry.as_mut_ptr(), 1, 0) };
            if ready <= 0 || entry[0].revents == 0 {
                return false;
            }
        }
        // SAFETY: `info` is plain data the kernel fills in; WNOWAIT leaves
        // the child waitable.
        unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let result = libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            );
            result == 0 && info.si_pid() != 0
        }
    }
}

/// A pipe read into a capped buffer; bytes past the cap are read and
/// counted but not kept, so a chatty child never blocks on a full pipe.
struct Capture {
    file: File,
    echo: bool,
    kept: Vec<u8>,
    cap: usize,
    dropped: u64,
    closed: bool,
}

impl Capture {
    fn new(fd: OwnedFd, cap: usize) -> std::io::Result<Capture> {
        set_nonblocking(fd.as_raw_fd())?;
        Ok(Capture {
            file: File::from(fd),
            echo: false,
            kept: Vec::new(),
            cap,
            dropped: 0,
            closed: false,
        })
    }

    fn echoing(mut self, echo: bool) -> Capture {
        self.echo = echo;
        self
    }

    fn fd(&self) -> RawFd {
        self.file.as_raw_fd()
    }

    fn read_available(&mut self) -> std::io::Result<()> {
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match self.file.read(&mut buffer) {
                Ok(0) => {
                    self.closed = true;
                    return Ok(());
                }
                Ok(count) => {
                    if self.echo {
                        let mut stderr = std::io::stderr().lock();
                        let _ = stderr.write_all(&buffer[..count]);
                        let _ = stderr.flush();
                    }
                    let room = self.cap.saturating_sub(self.kept.len());
                    let kept = count.min(room);
                    self.kept.extend_from_slice(&buffer[..kept]);
                    self.dropped += (count - kept) as u64;
                }
                Err(err) if err.kind() == IoErrorKind::WouldBlock => return Ok(()),
                Err(err) if err.kind() == IoErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            }
        }
    }

    fn drain_nonblocking(&mut self) -> std::io::Result<()> {
        if self.closed {
            Ok(())
        } else {
            self.read_available()
        }
    }
}

fn pollfd(fd: RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }
}

/// A close-on-exec pipe whose ends sit above the fixed descriptors, so that
/// moving them to [`SECRET_FD`] and [`REPORT_FD`] in the child can never
/// overwrite one with the other.
fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` has room for the two descriptors pipe writes.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: pipe() just created both descriptors and we own them.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((move_high(read)?, move_high(write)?))
}

/// Duplicates `fd` to a number of at least 10, close-on-exec.
fn move_high(fd: OwnedFd) -> std::io::Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC returns a new descriptor that we then own.
    let high = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 10) };
    if high < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: see above.
    Ok(unsafe { OwnedFd::from_raw_fd(high) })
}

fn set_nonblocking(fd: RawFd) -> std::io::Result<()> {
    // SAFETY: plain fcntl calls on a descriptor we own.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// A signal's conventional name, for messages.
pub fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGABRT => "SIGABRT (abort)",
        libc::SIGSEGV => "SIGSEGV (invalid memory access)",
        libc::SIGBUS => "SIGBUS (bus error)",
        libc::SIGILL => "SIGILL (illegal instruction)",
        libc::SIGFPE => "SIGFPE (arithmetic fault)",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGXCPU => "SIGXCPU (CPU time limit)",
        libc::SIGXFSZ => "SIGXFSZ (file size limit)",
        libc::SIGPIPE => "SIGPIPE (broken pipe)",
        _ => return format!("signal {signal}"),
    };
    name.to_owned()
}
