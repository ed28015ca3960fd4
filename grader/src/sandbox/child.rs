//! The code that runs in the forked child, between `fork` and `exec`.
//!
//! Three processes take part in every sandboxed run:
//!
//! - **C**, the process the grader spawned (its pid is what the grader
//!   watches): it leaves the grader's session, joins the test's cgroups,
//!   enters the new namespaces, then forks **R** and waits for it.
//! - **R**, the reaper: pid 1 of the new pid namespace (or, without one, a
//!   child subreaper), so that every orphan of the test becomes its child.
//!   It forks **T**, waits for T to end (or for the grader's stop word on
//!   the control pipe), lists what T left running, kills all of it, and
//!   reports on the status pipe: `L <pid> <name>` per process left
//!   running, then `S <wait status>` for T, or `K` when it was stopped.
//! - **T**, the test: it takes on the resource limits, Landlock and
//!   seccomp, and returns, so that `std` execs the test program.
//!
//! C and R run the grader's own code, never the student's: they are copies
//! of the grader made by `fork` and never exec. Everything here runs after
//! `fork` in a multi-threaded program, so it calls only async-signal-safe
//! system calls: no allocation, no locks, no formatting through `std`. New
//! processes are made with the raw `clone` system call rather than glibc's
//! `fork`, whose atfork handlers take locks another grader thread may have
//! held at the moment of the first fork.

use std::os::fd::RawFd;

use super::ChildPlan;

/// The status pipe's descriptor in C and R.
pub(crate) const STATUS_FD: RawFd = 5;
/// The control pipe's descriptor in C and R (readable end).
pub(crate) const CONTROL_FD: RawFd = 6;

/// How long R lets the test's other processes finish after the test process
/// ended, before they count as left behind.
const LEFT_BEHIND_GRACE_NS: i64 = crate::process::LEFT_BEHIND_GRACE.as_nanos() as i64;

/// Runs in C. Returns only in T (with `Ok`), which then execs the test
/// program; C and R end with `_exit` inside.
///
/// # Safety
/// Must be called in a child between `fork` and `exec`.
pub(crate) unsafe fn enter(prepared: &ChildPlan) -> std::io::Result<()> {
    // SAFETY: the caller promises the fork-to-exec context; every call
    // below is a plain system call.
    unsafe {
        // C: a session of its own (and so a process group), never the
        // grader's terminal's signals.
        if libc::setsid() < 0 {
            return Err(std::io::Error::last_os_error());
        }
        die_with(prepared.grader_pid);
        for &fd in &prepared.cgroup_procs_fds {
            join_cgroup(fd)?;
        }
        move_fd(prepared.status_write, STATUS_FD)?;
        move_fd(prepared.control_read, CONTROL_FD)?;
        if let Some((uid, gid)) = prepared.drop_user {
            // Root becomes the unprivileged user first; the namespaces are
            // then made as that user, who may map only its own ids.
            check(libc::setgroups(0, std::ptr::null()))?;
            check(libc::setresgid(gid, gid, gid))?;
            check(libc::setresuid(uid, uid, uid))?;
            // Changing ids made the process non-dumpable, which would leave
            // its /proc files (the id maps) owned by root.
            check(libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0))?;
        }
        if prepared.namespaces {
            check(libc::unshare(
                libc::CLONE_NEWUSER | libc::CLONE_NEWNET | libc::CLONE_NEWPID,
            ))?;
            write_file(c"/proc/self/setgroups", b"deny")?;
            write_file(c"/proc/self/uid_map", prepared.uid_map.as_bytes())?;
            write_file(c"/proc/self/gid_map", prepared.gid_map.as_bytes())?;
            loopback_up()?;
        }

        let reaper = raw_fork()?;
        if reaper != 0 {
            // C: nothing left to do but wait for R.
            close_all_from(0);
            let mut status = 0;
            loop {
                let result = libc::waitpid(reaper, &mut status, 0);
                if result == reaper || (result < 0 && errno() != libc::EINTR) {
                    break;
                }
            }
            libc::_exit(0);
        }

        // R.
        die_with_parent_of_self();
        if !prepared.namespaces {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        }
        let test = raw_fork()?;
        if test == 0 {
            // T.
            die_with_parent_of_self();
            // Its own process group, so that R can kill T's group without
            // killing itself.
            libc::setpgid(0, 0);
            libc::close(STATUS_FD);
            libc::close(CONTROL_FD);
            for &(resource, soft, hard) in &prepared.rlimits {
                let limit = libc::rlimit {
                    rlim_cur: soft,
                    rlim_max: hard,
                };
                check(libc::setrlimit(resource, &limit))?;
            }
            if let Some(fd) = prepared.landlock_ruleset {
                no_new_privileges()?;
                super::landlock::restrict_self(fd)?;
            }
            if let Some(program) = &prepared.seccomp {
                no_new_privileges()?;
                super::seccomp::install(program)?;
            }
            return Ok(());
        }
        reap_test(test, prepared.namespaces)
    }
}

/// R's whole life after starting T. Never returns.
unsafe fn reap_test(test: libc::pid_t, pid_namespace: bool) -> ! {
    // SAFETY: plain system calls on R's own descriptors and children.
    unsafe {
        libc::close(0);
        libc::close(1);
        libc::close(2);
        libc::close(crate::protocol::SECRET_FD);
        libc::close(crate::protocol::REPORT_FD);
        close_all_from(CONTROL_FD + 1);
        let test_exit = libc::syscall(libc::SYS_pidfd_open, test, 0) as RawFd;

        let mut test_status: Option<i32> = None;
        let mut stopped = false;
        while test_status.is_none() && !stopped {
            reap_available(test, &mut test_status);
            if test_status.is_some() {
                break;
            }
            let mut fds = [
                libc::pollfd {
                    fd: CONTROL_FD,
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: test_exit,
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            // Without a pidfd, ask for T's exit every few milliseconds.
            let (count, timeout) = if test_exit >= 0 { (2, -1) } else { (1, 5) };
            let ready = libc::poll(fds.as_mut_ptr(), count, timeout);
            if ready > 0 && fds[0].revents != 0 {
                stopped = true;
            }
        }

        if !stopped {
            // Give the test's other processes a moment to finish on their
            // own; those still running after it were left behind.
            let give_up = now_ns() + LEFT_BEHIND_GRACE_NS;
            loop {
                reap_available(test, &mut test_status);
                if no_children() || now_ns() >= give_up {
                    break;
                }
                sleep_ns(2_000_000);
            }
            report_children_left();
        }
        kill_everything(test, pid_namespace);
        match (stopped, test_status) {
            (false, Some(status)) => {
                let mut line = LineBuffer::new();
                line.push(b"S ");
                line.push_number(status as i64);
                line.push(b"\n");
                line.write_to(STATUS_FD);
            }
            _ => {
                let _ = libc::write(STATUS_FD, b"K\n".as_ptr().cast(), 2);
            }
        }
        libc::_exit(0)
    }
}

/// Reaps every child that has ended, noting T's status.
unsafe fn reap_available(test: libc::pid_t, test_status: &mut Option<i32>) {
    loop {
        let mut status = 0;
        // SAFETY: plain system call.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid <= 0 {
            return;
        }
        if pid == test {
            *test_status = Some(status);
        }
    }
}

/// Whether R has no child at all, running or ended.
unsafe fn no_children() -> bool {
    // SAFETY: `info` is plain data; WNOWAIT leaves any child waitable.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let result = libc::waitid(
            libc::P_ALL,
            0,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        );
        result < 0 && errno() == libc::ECHILD
    }
}

/// Kills T's group and every process left, and reaps them all. In a pid
/// namespace R is its init, and `kill(-1)` reaches exactly the test's
/// processes; otherwise R, a subreaper, kills its children round by round
/// (orphans of a killed child become its children) until none is left.
unsafe fn kill_everything(test: libc::pid_t, pid_namespace: bool) {
    // SAFETY: plain system calls; outside a pid namespace only R's own
    // children and T's group are signalled, never `-1`.
    unsafe {
        libc::kill(-test, libc::SIGKILL);
        let give_up = now_ns() + 2_000_000_000;
        loop {
            if pid_namespace {
                libc::kill(-1, libc::SIGKILL);
            } else {
                for_each_child(|pid| {
                    libc::kill(pid, libc::SIGKILL);
                });
            }
            let mut status = 0;
            while libc::waitpid(-1, &mut status, libc::WNOHANG) > 0 {}
            if no_children() || now_ns() >= give_up {
                return;
            }
            sleep_ns(1_000_000);
        }
    }
}

/// Writes `L <pid> <name>` to the status pipe for each child of R still
/// running.
unsafe fn report_children_left() {
    for_each_child(|pid| {
        let mut path = LineBuffer::new();
        path.push(b"/proc/");
        path.push_number(pid as i64);
        path.push(b"/stat\0");
        let mut stat = [0u8; 512];
        // SAFETY: plain system calls on a NUL-terminated path in a stack
        // buffer.
        let read = unsafe { read_file(path.bytes().as_ptr().cast(), &mut stat) };
        let stat = &stat[..read];
        // `pid (name) state ...`; the name runs to the last ')'.
        let Some(open) = stat.iter().position(|&byte| byte == b'(') else {
            return;
        };
        let Some(close) = stat.iter().rposition(|&byte| byte == b')') else {
            return;
        };
        let state = stat.get(close + 2).copied().unwrap_or(b'?');
        if state == b'Z' || state == b'X' {
            return;
        }
        let mut line = LineBuffer::new();
        line.push(b"L ");
        line.push_number(pid as i64);
        line.push(b" ");
        line.push(&stat[open + 1..close]);
        line.push(b"\n");
        line.write_to(STATUS_FD);
    });
}

/// Calls `visit` with the pid (as `/proc` shows it) of each child of R.
fn for_each_child(mut visit: impl FnMut(libc::pid_t)) {
    let mut list = [0u8; 4096];
    // SAFETY: plain system calls on a NUL-terminated literal path.
    let read = unsafe { read_file(c"/proc/thread-self/children".as_ptr(), &mut list) };
    let mut current: Option<libc::pid_t> = None;
    for &byte in &list[..read] {
        if byte.is_ascii_digit() {
            current = Some(current.unwrap_or(0) * 10 + (byte - b'0') as libc::pid_t);
        } else if let Some(pid) = current.take() {
            visit(pid);
        }
    }
    if let Some(pid) = current {
        visit(pid);
    }
}

/// Reads up to `buffer.len()` bytes of a file; 0 when it cannot be read.
unsafe fn read_file(path: *const libc::c_char, buffer: &mut [u8]) -> usize {
    // SAFETY: plain system calls; `path` is NUL-terminated.
    unsafe {
        let fd = libc::open(path, libc::O_RDONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return 0;
        }
        let mut total = 0;
        while total < buffer.len() {
            let read = libc::read(
                fd,
                buffer[total..].as_mut_ptr().cast(),
                buffer.len() - total,
            );
            if read <= 0 {
                break;
            }
            total += read as usize;
        }
        libc::close(fd);
        total
    }
}

unsafe fn write_file(path: &std::ffi::CStr, contents: &[u8]) -> std::io::Result<()> {
    // SAFETY: plain system calls on a NUL-terminated path.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let written = libc::write(fd, contents.as_ptr().cast(), contents.len());
        let error = std::io::Error::last_os_error();
        libc::close(fd);
        if written != contents.len() as isize {
            return Err(error);
        }
        Ok(())
    }
}

/// Moves this process into a cgroup through its open `cgroup.procs`.
unsafe fn join_cgroup(procs_fd: RawFd) -> std::io::Result<()> {
    let mut pid = LineBuffer::new();
    // SAFETY: plain system calls.
    unsafe {
        pid.push_number(libc::getpid() as i64);
        if libc::write(procs_fd, pid.bytes().as_ptr().cast(), pid.len) < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Brings up the loopback interface of the new network namespace, so that a
/// test may serve and connect on 127.0.0.1 inside it.
unsafe fn loopback_up() -> std::io::Result<()> {
    // SAFETY: plain system calls on a socket we own and a zeroed ifreq.
    unsafe {
        let socket = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if socket < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let mut request: libc::ifreq = std::mem::zeroed();
        for (slot, byte) in request.ifr_name.iter_mut().zip(b"lo\0") {
            *slot = *byte as libc::c_char;
        }
        let mut result = libc::ioctl(socket, libc::SIOCGIFFLAGS, &mut request);
        if result == 0 {
            request.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            result = libc::ioctl(socket, libc::SIOCSIFFLAGS, &request);
        }
        let error = std::io::Error::last_os_error();
        libc::close(socket);
        if result != 0 {
            return Err(error);
        }
        Ok(())
    }
}

unsafe fn no_new_privileges() -> std::io::Result<()> {
    // SAFETY: plain prctl.
    check(unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) })
}

/// Be killed when the grader dies; the grader may already have died
/// between fork and here.
unsafe fn die_with(grader_pid: libc::pid_t) {
    // SAFETY: plain system calls.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        if libc::getppid() != grader_pid {
            libc::_exit(1);
        }
    }
}

/// The death signal is cleared by fork: set it again in R and T. Had the
/// parent died between the fork and the `prctl`, the process was
/// re-parented and its parent pid changed. (R, init of a new pid
/// namespace, sees 0 as its parent both times.)
unsafe fn die_with_parent_of_self() {
    // SAFETY: plain system calls.
    unsafe {
        let parent = libc::getppid();
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        if libc::getppid() != parent {
            libc::_exit(1);
        }
    }
}

/// `fork` without glibc's atfork handlers: returns 0 in the child.
unsafe fn raw_fork() -> std::io::Result<libc::pid_t> {
    // SAFETY: clone with only SIGCHLD and no new stack is fork.
    let pid = unsafe { libc::syscall(libc::SYS_clone, libc::SIGCHLD as libc::c_long, 0, 0, 0, 0) };
    if pid < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(pid as libc::pid_t)
}

unsafe fn move_fd(from: RawFd, to: RawFd) -> std::io::Result<()> {
    // SAFETY: plain dup2; the target descriptor loses close-on-exec, which
    // T takes care of by closing it.
    check(unsafe { libc::dup2(from, to) })
}

unsafe fn close_all_from(first: RawFd) {
    // SAFETY: plain system calls.
    unsafe {
        if libc::syscall(
            libc::SYS_close_range,
            first as libc::c_uint,
            libc::c_uint::MAX,
            0,
        ) != 0
        {
            for fd in first..1024 {
                libc::close(fd);
            }
        }
    }
}

fn now_ns() -> i64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: plain system call filling a timespec.
    unsafe {
        libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now);
    }
    now.tv_sec * 1_000_000_000 + now.tv_nsec
}

fn sleep_ns(nanoseconds: i64) {
    let pause = libc::timespec {
        tv_sec: 0,
        tv_nsec: nanoseconds,
    };
    // SAFETY: plain system call.
    unsafe {
        libc::nanosleep(&pause, std::ptr::null_mut());
    }
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn check(result: libc::c_int) -> std::io::Result<()> {
    if result < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// A line built on the stack, without allocating.
struct LineBuffer {
    bytes: [u8; 160],
    len: usize,
}

impl LineBuffer {
    fn new() -> LineBuffer {
        LineBuffer {
            bytes: [0; 160],
            len: 0,
        }
    }

    fn push(&mut self, text: &[u8]) {
        let room = self.bytes.len() - self.len;
        let taken = text.len().min(room);
        self.bytes[self.len..self.len + taken].copy_from_slice(&text[..taken]);
        self.len += taken;
    }

    fn push_number(&mut self, number: i64) {
        if number < 0 {
            self.push(b"-");
        }
        let mut digits = [0u8; 20];
        let mut rest = number.unsigned_abs();
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.push(&digits[start..]);
    }

    fn bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn write_to(&self, fd: RawFd) {
        // SAFETY: plain write of a stack buffer.
        unsafe {
            libc::write(fd, self.bytes.as_ptr().cast(), self.len);
        }
    }
}
