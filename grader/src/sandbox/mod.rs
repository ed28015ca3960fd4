//! The sandbox around every untrusted process: tests, listings, and the
//! build of a submission.
//!
//! Layers are found at run time ([`host`]) and applied where the machine
//! has them; which ones were active is recorded in the results
//! ([`SandboxReport`]), and any can be switched off for a run with
//! `GRADER_SANDBOX_DISABLE` (a comma list of [`Switch`] names), to show
//! what the others still hold.
//!
//! | layer | where | what it stops |
//! |---|---|---|
//! | session, subreaper, death signal, wall timeout | always | a test outliving its run or the grader |
//! | rlimits: CPU, address space, file size, open files, core | always | runaway CPU, huge allocations, huge files, fd leaks |
//! | user + network + pid namespaces, reaper as pid 1, process limit | unprivileged user namespaces | the network, other processes, daemons, fork bombs |
//! | drop to `nobody` | the grader runs as root | root's powers |
//! | Landlock | Linux 5.13+ with Landlock on | reading the course, writing outside the scratch folder, TCP outside the namespace |
//! | seccomp deny-list | Linux | ptrace, other processes' memory, bpf, perf, userfaultfd, keyrings, io_uring |
//! | cgroup | a writable cgroup (v2 or v1) | memory use, fork bombs; kills every process |
//!
//! The child-side mechanics (three processes: C, the reaper R, the test T)
//! are in [`child`]; what runs there is prepared here, in the grader, so
//! that the child only makes system calls.

pub(crate) mod cgroup;
pub(crate) mod child;
pub(crate) mod landlock;
pub(crate) mod seccomp;

use std::collections::BTreeSet;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The environment variable naming layers to switch off for a run.
pub const DISABLE_ENV: &str = "GRADER_SANDBOX_DISABLE";

/// The unprivileged user a root grader runs tests as.
const NOBODY: (u32, u32) = (65534, 65534);

/// Layers that can be switched off, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Switch {
    Rlimits,
    Namespaces,
    DropUser,
    Landlock,
    Seccomp,
    Cgroup,
}

impl Switch {
    pub const ALL: [Switch; 6] = [
        Switch::Rlimits,
        Switch::Namespaces,
        Switch::DropUser,
        Switch::Landlock,
        Switch::Seccomp,
        Switch::Cgroup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Switch::Rlimits => "rlimits",
            Switch::Namespaces => "namespaces",
            Switch::DropUser => "drop-user",
            Switch::Landlock => "landlock",
            Switch::Seccomp => "seccomp",
            Switch::Cgroup => "cgroup",
        }
    }
}

/// Which layers a run had, for the results file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxReport {
    /// Layer names, in the order of the module's table.
    pub active: Vec<String>,
    pub missing: Vec<MissingLayer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingLayer {
    pub layer: String,
    pub reason: String,
}

/// What this machine offers, found once per grader process.
#[derive(Debug)]
pub struct Host {
    pub namespaces: Result<(), String>,
    pub drop_user: Result<(), String>,
    pub landlock_abi: Result<u32, String>,
    pub seccomp: Result<(), String>,
    pub cgroup: Result<cgroup::Hierarchy, String>,
    pub rlimits: Result<(), String>,
    unknown_switches: Vec<String>,
}

/// Whether `nobody` could run `path`: every folder above it open to others
/// for passing through, the file itself readable and runnable by others.
/// A course kept in a folder closed to other users (`mktemp -d` makes such
/// folders, `/root` is one) cannot be graded as `nobody`.
pub fn reachable_by_others(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    for folder in path.ancestors().skip(1) {
        if let Ok(metadata) = std::fs::metadata(folder)
            && metadata.permissions().mode() & 0o001 == 0
        {
            return Err(format!(
                "{} is closed to other users (mode {:o})",
                folder.display(),
                metadata.permissions().mode() & 0o777
            ));
        }
    }
    if let Ok(metadata) = std::fs::metadata(&path)
        && !metadata.is_dir()
        && metadata.permissions().mode() & 0o005 != 0o005
    {
        return Err(format!("{} cannot be run by other users", path.display()));
    }
    Ok(())
}

/// Refuses a `GRADER_SANDBOX_DISABLE` that names no layer: a typo must not
/// leave a layer on while the person believes it off (or the reverse).
pub fn check_switches() -> Result<(), crate::Error> {
    let unknown = host().unknown_switches();
    if unknown.is_empty() {
        return Ok(());
    }
    let known: Vec<&str> = Switch::ALL.iter().map(|switch| switch.name()).collect();
    Err(crate::Error::new(crate::error::ErrorKind::Sandbox {
        message: format!(
            "{DISABLE_ENV} names no sandbox layer: {}; the layers that can be switched off are: {}",
            unknown.join(", "),
            known.join(", ")
        ),
    }))
}

/// The machine's layers (probed on first use).
pub fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(Host::probe)
}

impl Host {
    fn probe() -> Host {
        let mut disabled = BTreeSet::new();
        let mut unknown_switches = Vec::new();
        let requested = std::env::var(DISABLE_ENV).unwrap_or_default();
        for name in requested
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            match Switch::ALL.iter().find(|switch| switch.name() == name) {
                Some(&switch) => {
                    disabled.insert(switch);
                }
                None => unknown_switches.push(name.to_owned()),
            }
        }
        let off = |switch: Switch| -> Result<(), String> {
            if disabled.contains(&switch) {
                Err(format!("switched off by {DISABLE_ENV}"))
            } else {
                Ok(())
            }
        };
        #[cfg(target_os = "linux")]
        let host = Host {
            namespaces: off(Switch::Namespaces).and_then(|()| {
                // SAFETY: plain getter.
                let root = unsafe { libc::geteuid() } == 0;
                probe_namespaces((root && !disabled.contains(&Switch::DropUser)).then_some(NOBODY))
            }),
            drop_user: off(Switch::DropUser).and_then(|()| {
                // SAFETY: plain getter.
                if unsafe { libc::geteuid() } == 0 {
                    Ok(())
                } else {
                    Err("the grader is not root: tests already run as its own user".to_owned())
                }
            }),
            landlock_abi: off(Switch::Landlock).and_then(|()| landlock::abi_version()),
            seccomp: off(Switch::Seccomp).and_then(|()| {
                if seccomp::supported() {
                    Ok(())
                } else {
                    Err("no seccomp filter for this architecture".to_owned())
                }
            }),
            cgroup: off(Switch::Cgroup).and_then(|()| cgroup::detect()),
            rlimits: off(Switch::Rlimits),
            unknown_switches,
        };
        #[cfg(not(target_os = "linux"))]
        let host = {
            let linux_only = || Err("only on Linux".to_owned());
            Host {
                namespaces: linux_only(),
                drop_user: linux_only(),
                landlock_abi: linux_only().map(|()| 0),
                seccomp: linux_only(),
                cgroup: Err("only on Linux".to_owned()),
                rlimits: off(Switch::Rlimits),
                unknown_switches,
            }
        };
        host
    }

    /// Names in `GRADER_SANDBOX_DISABLE` that are no layer (a typo would
    /// otherwise leave a layer on without a word).
    pub fn unknown_switches(&self) -> &[String] {
        &self.unknown_switches
    }

    /// The report of a run of the course in `course_root`: as
    /// [`Host::report`], but `drop-user` is missing when the course sits in
    /// a folder `nobody` cannot pass through (its tests then run as the
    /// grader's own user, confined by the other layers).
    pub fn report_for(&self, course_root: &Path) -> SandboxReport {
        let mut report = self.report();
        if self.drop_user.is_ok()
            && let Err(reason) = reachable_by_others(&course_root.join("target"))
        {
            report.active.retain(|layer| layer != "drop-user");
            report.missing.push(MissingLayer {
                layer: "drop-user".to_owned(),
                reason: format!(
                    "{reason}, so tests run as the grader's own user; open it to others \
                     (chmod o+x) to run them as nobody"
                ),
            });
        }
        report
    }

    /// The layers this machine gives (for any course).
    pub fn report(&self) -> SandboxReport {
        let mut report = SandboxReport::default();
        for always in ["session", "subreaper", "death-signal", "wall-timeout"] {
            report.active.push(always.to_owned());
        }
        let mut note = |layer: &str, state: Result<(), String>| match state {
            Ok(()) => report.active.push(layer.to_owned()),
            Err(reason) => report.missing.push(MissingLayer {
                layer: layer.to_owned(),
                reason,
            }),
        };
        note("rlimits", self.rlimits.clone());
        for layer in ["user-namespace", "network-namespace", "pid-namespace"] {
            note(layer, self.namespaces.clone());
        }
        // RLIMIT_NPROC counts every process of the user: set only where
        // the test's user runs nothing else.
        let process_limit = match (&self.rlimits, &self.namespaces, &self.drop_user) {
            (Err(reason), _, _) => Err(reason.clone()),
            (Ok(()), Ok(()), _) | (Ok(()), _, Ok(())) => Ok(()),
            (Ok(()), Err(_), Err(_)) => Err(
                "no user namespace, and the grader is not root: a process limit would count \
                 every process of the grader's own user"
                    .to_owned(),
            ),
        };
        note("process-limit", process_limit);
        note("drop-user", self.drop_user.clone());
        note("landlock", self.landlock_abi.clone().map(|_| ()));
        if let Ok(abi) = &self.landlock_abi {
            // Inside a network namespace TCP reaches only the test's own
            // loopback; without one, Landlock (ABI 4+) forbids TCP instead.
            if self.namespaces.is_err() {
                let state = if *abi >= 4 {
                    Ok(())
                } else {
                    Err(format!("Landlock ABI {abi} cannot restrict TCP (needs 4)"))
                };
                note("landlock-no-tcp", state);
            }
        }
        note("seccomp", self.seccomp.clone());
        note(
            "cgroup",
            self.cgroup.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        report
    }

    /// The name of the cgroup layout in use, for messages.
    pub fn cgroup_layout(&self) -> Option<&'static str> {
        self.cgroup.as_ref().ok().map(cgroup::Hierarchy::describe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_in_a_folder_closed_to_others_is_not_reachable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let program = open.join("suite");
        std::fs::write(&program, "").unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(reachable_by_others(&program), Ok(()));
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o700)).unwrap();
        let closed = reachable_by_others(&program).unwrap_err();
        assert!(
            closed.contains("is closed to other users (mode 700)"),
            "{closed}"
        );
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(reachable_by_others(&program).is_err());
    }

    #[test]
    fn secrets_are_never_inherited_and_only_listed_names_are() {
        assert!(inherits(BUILD_ENV, "CARGO_HOME"));
        assert!(inherits(BUILD_ENV, "LC_ALL"));
        assert!(inherits(TEST_ENV, "PATH"));
        assert!(!inherits(TEST_ENV, "HOME"));
        assert!(!inherits(BUILD_ENV, "CARGO_REGISTRY_TOKEN"));
        assert!(!inherits(BUILD_ENV, "CARGO_REGISTRIES_CRATES_IO_TOKEN"));
        assert!(!inherits(BUILD_ENV, "CARGO_TERM_SECRET"));
        assert!(!inherits(TEST_ENV, "GITHUB_TOKEN"));
        assert!(!inherits(TEST_ENV, "AWS_SECRET_ACCESS_KEY"));
    }
}

#[cfg(target_os = "linux")]
fn probe_namespaces(as_user: Option<(u32, u32)>) -> Result<(), String> {
    // A child that becomes the test's user (as a test would) and enters
    // the namespaces.
    // SAFETY: the child only makes plain system calls and _exits.
    unsafe {
        let pid = libc::fork();
        if pid < 0 {
            return Err(format!("cannot fork: {}", std::io::Error::last_os_error()));
        }
        if pid == 0 {
            if let Some((uid, gid)) = as_user {
                if libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setresgid(gid, gid, gid) != 0
                    || libc::setresuid(uid, uid, uid) != 0
                {
                    libc::_exit(1);
                }
            }
            let flags = libc::CLONE_NEWUSER | libc::CLONE_NEWNET | libc::CLONE_NEWPID;
            libc::_exit(if libc::unshare(flags) == 0 { 0 } else { 1 });
        }
        let mut status = 0;
        libc::waitpid(pid, &mut status, 0);
        if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
            Ok(())
        } else {
            Err("this machine does not allow user namespaces to this user \
                 (kernel.unprivileged_userns_clone, user.max_user_namespaces, or an AppArmor rule)"
                .to_owned())
        }
    }
}

/// The resource limits of one child.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// CPU seconds (all threads together), after which SIGXCPU, then SIGKILL.
    pub cpu_seconds: u64,
    /// Address space: generous, since every thread's stack counts.
    pub address_space: u64,
    pub file_size: u64,
    pub open_files: u64,
    /// Processes and threads, inside the user namespace (or cgroup).
    pub processes: u64,
    /// Memory actually used, where a cgroup can bound it.
    pub memory: u64,
}

impl Limits {
    /// The limits of a test that may run for `timeout`.
    pub fn for_test(timeout: Duration) -> Limits {
        let cores = std::thread::available_parallelism().map_or(1, |count| count.get()) as u64;
        Limits {
            cpu_seconds: (timeout.as_secs() + 1) * cores + 1,
            address_space: 8 << 30,
            file_size: 64 << 20,
            open_files: 1024,
            processes: 512,
            memory: 2 << 30,
        }
    }

    /// The limits of a build (compilers are big and many).
    pub fn for_build(timeout: Duration) -> Limits {
        Limits {
            address_space: 64 << 30,
            file_size: 1 << 30,
            open_files: 4096,
            processes: 2048,
            memory: 8 << 30,
            ..Limits::for_test(timeout)
        }
    }
}

/// What one child may touch.
#[derive(Debug, Clone)]
pub struct Policy {
    pub limits: Limits,
    /// Paths (files or folders) the child may read and run, beyond the
    /// system's own folders.
    pub read: Vec<PathBuf>,
    /// Folders the child may write.
    pub write: Vec<PathBuf>,
    /// Run as `nobody` when the grader is root. Tests do; builds do not,
    /// since the toolchain usually lives in root's own home, which
    /// `nobody` cannot enter (Landlock and the namespaces confine them).
    pub run_as_nobody: bool,
    /// The grader's environment variables the child inherits (a name
    /// ending in `*` is a prefix); the rest, which on a CI machine may hold
    /// tokens, never reach it. Its own variables come on top.
    pub inherit_env: &'static [&'static str],
}

/// What a test inherits of the grader's environment.
pub const TEST_ENV: &[&str] = &["PATH", "LANG", "LC_*", "TZ", "TERM"];

/// What a build inherits: what cargo and rustup need to find the toolchain
/// and the course's build settings. Not `CARGO_*` as a whole: it holds
/// registry tokens.
pub const BUILD_ENV: &[&str] = &[
    "PATH",
    "LANG",
    "LC_*",
    "TZ",
    "TERM",
    "HOME",
    "USER",
    "CARGO",
    "CARGO_HOME",
    "CARGO_NET_OFFLINE",
    "CARGO_BUILD_JOBS",
    "CARGO_BUILD_RUSTC",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_INCREMENTAL",
    "CARGO_TERM_*",
    "RUSTUP_HOME",
    "RUSTUP_TOOLCHAIN",
    "RUSTC",
    "RUSTFLAGS",
];

/// Words that mark a variable as a secret: never inherited, whatever the
/// allow-list says.
const SECRET_WORDS: [&str; 5] = ["TOKEN", "SECRET", "PASSWORD", "CREDENTIAL", "PRIVATE"];

/// Whether `name` is one of `allowed` (names, or prefixes ending in `*`)
/// and names no secret.
pub fn inherits(allowed: &[&str], name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if SECRET_WORDS.iter().any(|word| upper.contains(word)) {
        return false;
    }
    allowed
        .iter()
        .any(|pattern| match pattern.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == *pattern,
        })
}

impl Policy {
    /// A test's policy: read the system and run `programs` (its own
    /// scratch folder is added by [`crate::process::supervise`]).
    pub fn for_test(timeout: Duration, programs: Vec<PathBuf>) -> Policy {
        Policy {
            limits: Limits::for_test(timeout),
            read: programs,
            write: Vec::new(),
            run_as_nobody: true,
            inherit_env: TEST_ENV,
        }
    }

    /// The system folders every child may read (and run from).
    fn system_paths() -> Vec<PathBuf> {
        [
            "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/opt",
        ]
        .into_iter()
        .map(PathBuf::from)
        .collect()
    }
}

/// Everything the child-side code needs, as plain data: descriptor
/// numbers, id maps, limits and the seccomp program. Moved into the
/// `pre_exec` closure.
#[derive(Debug, Clone)]
pub(crate) struct ChildPlan {
    pub grader_pid: libc::pid_t,
    pub namespaces: bool,
    pub drop_user: Option<(u32, u32)>,
    pub uid_map: String,
    pub gid_map: String,
    pub rlimits: Vec<(libc::__rlimit_resource_t, libc::rlim_t, libc::rlim_t)>,
    pub landlock_ruleset: Option<RawFd>,
    pub seccomp: Option<Vec<libc::sock_filter>>,
    pub cgroup_procs_fds: Vec<RawFd>,
    /// Write end of the status pipe (R's reports), read end of the control
    /// pipe (the grader's stop word).
    pub status_write: RawFd,
    pub control_read: RawFd,
}

/// A child made ready in the grader: the plan for the child, the
/// descriptors the plan names (held open until the child has started), and
/// the test's cgroup (kept until the run ends).
#[derive(Debug)]
pub(crate) struct Prepared {
    pub plan: ChildPlan,
    child_ends: Vec<OwnedFd>,
    ruleset: Option<landlock::Ruleset>,
    pub cgroup: Option<cgroup::TestGroup>,
}

impl Prepared {
    /// Prepares a child under `policy`; `status_write` and `control_read`
    /// are the child's ends of the two sandbox pipes.
    pub(crate) fn new(
        policy: &Policy,
        status_write: OwnedFd,
        control_read: OwnedFd,
    ) -> std::io::Result<Prepared> {
        let host = host();
        // SAFETY: plain getters.
        let (uid, gid, grader_pid) = unsafe { (libc::getuid(), libc::getgid(), libc::getpid()) };
        let namespaces = host.namespaces.is_ok();
        // As `nobody` only where `nobody` can run the programs at all.
        let drop_user = (host.drop_user.is_ok()
            && policy.run_as_nobody
            && policy
                .read
                .iter()
                .all(|program| reachable_by_others(program).is_ok()))
        .then_some(NOBODY);
        let (inner_uid, inner_gid) = drop_user.unwrap_or((uid, gid));
        let mut rlimits = Vec::new();
        if host.rlimits.is_ok() {
            let limits = policy.limits;
            rlimits.push((libc::RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1));
            rlimits.push((libc::RLIMIT_AS, limits.address_space, limits.address_space));
            rlimits.push((libc::RLIMIT_FSIZE, limits.file_size, limits.file_size));
            rlimits.push((libc::RLIMIT_NOFILE, limits.open_files, limits.open_files));
            rlimits.push((libc::RLIMIT_CORE, 0, 0));
            if namespaces || drop_user.is_some() {
                // Counted per user: only safe where the test's user runs
                // nothing else (its own namespace, or `nobody`).
                rlimits.push((libc::RLIMIT_NPROC, limits.processes, limits.processes));
            }
        }
        let ruleset = match &host.landlock_abi {
            Ok(abi) => {
                let mut paths: Vec<(PathBuf, landlock::Access)> = Policy::system_paths()
                    .into_iter()
                    .map(|path| (path, landlock::Access::Read))
                    .collect();
                for device in [
                    "/dev/null",
                    "/dev/zero",
                    "/dev/full",
                    "/dev/urandom",
                    "/dev/random",
                ] {
                    paths.push((device.into(), landlock::Access::ReadWriteFiles));
                }
                paths.extend(
                    policy
                        .read
                        .iter()
                        .map(|path| (path.clone(), landlock::Access::Read)),
                );
                paths.extend(
                    policy
                        .write
                        .iter()
                        .map(|path| (path.clone(), landlock::Access::ReadWrite)),
                );
                let borrowed: Vec<(&Path, landlock::Access)> = paths
                    .iter()
                    .map(|(path, access)| (path.as_path(), *access))
                    .collect();
                Some(landlock::Ruleset::new(*abi, &borrowed, !namespaces)?)
            }
            Err(_) => None,
        };
        let cgroup = match &host.cgroup {
            Ok(hierarchy) => Some(cgroup::TestGroup::new(
                hierarchy,
                policy.limits.processes,
                policy.limits.memory,
            )?),
            Err(_) => None,
        };
        // Every descriptor the child uses after moving its pipes to their
        // fixed numbers must sit above them.
        let mut child_ends = Vec::new();
        let mut high = |fd: RawFd| -> std::io::Result<RawFd> {
            let moved = move_high(fd)?;
            let raw = moved.as_raw_fd();
            child_ends.push(moved);
            Ok(raw)
        };
        let landlock_ruleset = match &ruleset {
            Some(ruleset) => Some(high(ruleset.raw_fd())?),
            None => None,
        };
        let cgroup_procs_fds = match &cgroup {
            Some(group) => group
                .procs_fds()
                .into_iter()
                .map(&mut high)
                .collect::<std::io::Result<Vec<_>>>()?,
            None => Vec::new(),
        };
        let plan = ChildPlan {
            grader_pid,
            namespaces,
            drop_user,
            uid_map: format!("{inner_uid} {inner_uid} 1\n"),
            gid_map: format!("{inner_gid} {inner_gid} 1\n"),
            rlimits,
            landlock_ruleset,
            seccomp: host.seccomp.is_ok().then(seccomp::deny_list_program),
            cgroup_procs_fds,
            status_write: status_write.as_raw_fd(),
            control_read: control_read.as_raw_fd(),
        };
        child_ends.push(status_write);
        child_ends.push(control_read);
        Ok(Prepared {
            plan,
            child_ends,
            ruleset,
            cgroup,
        })
    }

    /// Closes the grader's copies of the child's descriptors once it has
    /// started, so that the pipes report end-of-file when it ends.
    pub(crate) fn release_child_ends(&mut self) {
        self.child_ends.clear();
        self.ruleset = None;
        if let Some(group) = &mut self.cgroup {
            group.close_procs();
        }
    }

    /// The user a test runs as (to give it its scratch folder).
    pub(crate) fn test_user(&self) -> Option<(u32, u32)> {
        self.plan.drop_user
    }
}

/// Duplicates `fd` to a number of at least 10, close-on-exec.
fn move_high(fd: RawFd) -> std::io::Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC returns a new descriptor that we then own.
    let high = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
    if high < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: see above.
    Ok(unsafe { OwnedFd::from_raw_fd(high) })
}
