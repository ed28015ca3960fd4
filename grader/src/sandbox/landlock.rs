//! Landlock: the kernel's unprivileged file-system and network allow-list.
//!
//! The grader builds a ruleset in its own process (a file descriptor holding
//! "these folders may be read, this one written"), and the test process
//! applies it to itself just before `exec` with one system call. Once
//! applied it cannot be lifted, and it is inherited by every process the test
//! starts. Rights not listed in the ruleset's handled set stay unrestricted,
//! so the ruleset handles every right the running kernel knows (its ABI
//! version), and grants back only what a test needs.

use std::ffi::CString;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

const CREATE_RULESET_VERSION: u32 = 1;
const RULE_PATH_BENEATH: libc::c_int = 1;

const EXECUTE: u64 = 1 << 0;
const WRITE_FILE: u64 = 1 << 1;
const READ_FILE: u64 = 1 << 2;
const READ_DIR: u64 = 1 << 3;
/// Every file-system right of ABI 1 (bits 0 to 12).
const ALL_ABI_1: u64 = (1 << 13) - 1;
const REFER: u64 = 1 << 13;
const TRUNCATE: u64 = 1 << 14;
const IOCTL_DEV: u64 = 1 << 15;
/// Rights that make sense on a single file rather than a folder.
const FILE_RIGHTS: u64 = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV;

const NET_BIND_TCP: u64 = 1 << 0;
const NET_CONNECT_TCP: u64 = 1 << 1;
const SCOPE_ABSTRACT_UNIX_SOCKET: u64 = 1 << 0;
const SCOPE_SIGNAL: u64 = 1 << 1;

/// What a path may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read files, list folders, run programs.
    Read,
    /// Everything: create, write, remove, run.
    ReadWrite,
    /// Read and write existing files (a device such as `/dev/null`).
    ReadWriteFiles,
}

#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// The kernel's Landlock ABI version, or why there is none.
pub fn abi_version() -> Result<u32, String> {
    // SAFETY: the documented way to ask for the version: no attribute, size
    // 0, the version flag.
    let version = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<RulesetAttr>(),
            0usize,
            CREATE_RULESET_VERSION,
        )
    };
    if version < 1 {
        let error = std::io::Error::last_os_error();
        return Err(match error.raw_os_error() {
            Some(libc::ENOSYS) => "the kernel was built without Landlock".to_owned(),
            Some(libc::EOPNOTSUPP) => "Landlock is not enabled at boot (lsm=)".to_owned(),
            _ => format!("Landlock is not available: {error}"),
        });
    }
    Ok(version as u32)
}

/// A ruleset ready to be applied in a child.
#[derive(Debug)]
pub struct Ruleset {
    fd: OwnedFd,
}

impl Ruleset {
    /// A ruleset allowing `paths` (missing paths are skipped) and, when
    /// `deny_tcp`, no TCP bind or connect at all. Signals and abstract
    /// Unix sockets are scoped to the test's own processes where the
    /// kernel can (ABI 6).
    pub fn new(abi: u32, paths: &[(&Path, Access)], deny_tcp: bool) -> std::io::Result<Ruleset> {
        let mut handled_fs = ALL_ABI_1;
        if abi >= 2 {
            handled_fs |= REFER;
        }
        if abi >= 3 {
            handled_fs |= TRUNCATE;
        }
        if abi >= 5 {
            handled_fs |= IOCTL_DEV;
        }
        let attr = RulesetAttr {
            handled_access_fs: handled_fs,
            handled_access_net: if abi >= 4 && deny_tcp {
                NET_BIND_TCP | NET_CONNECT_TCP
            } else {
                0
            },
            scoped: if abi >= 6 {
                SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
            } else {
                0
            },
        };
        let size = match abi {
            1..=3 => 8,
            4 | 5 => 16,
            _ => std::mem::size_of::<RulesetAttr>(),
        };
        // SAFETY: `attr` is a valid attribute of at least `size` bytes.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                &attr as *const RulesetAttr,
                size,
                0u32,
            )
        };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: the kernel just gave us this descriptor (close-on-exec).
        let fd = unsafe { OwnedFd::from_raw_fd(fd as RawFd) };
        let ruleset = Ruleset { fd };
        for &(path, access) in paths {
            ruleset.allow(path, access, handled_fs)?;
        }
        Ok(ruleset)
    }

    fn allow(&self, path: &Path, access: Access, handled: u64) -> std::io::Result<()> {
        let Ok(c_path) = CString::new(path.as_os_str().as_bytes()) else {
            return Ok(());
        };
        // SAFETY: O_PATH open of a NUL-terminated path.
        let raw = unsafe { libc::open(c_path.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
        if raw < 0 {
            // A folder this machine does not have (say /lib64) needs no rule.
            return Ok(());
        }
        // SAFETY: we own the descriptor just opened.
        let target = unsafe { OwnedFd::from_raw_fd(raw) };
        let mut allowed = match access {
            Access::Read => EXECUTE | READ_FILE | READ_DIR,
            Access::ReadWrite => handled,
            Access::ReadWriteFiles => READ_FILE | WRITE_FILE | TRUNCATE | IOCTL_DEV,
        } & handled;
        if !path.is_dir() {
            allowed &= FILE_RIGHTS;
        }
        let rule = PathBeneathAttr {
            allowed_access: allowed,
            parent_fd: target.as_raw_fd(),
        };
        // SAFETY: a valid rule for our ruleset descriptor.
        let result = unsafe {
            libc::syscall(
                libc::SYS_landlock_add_rule,
                self.fd.as_raw_fd(),
                RULE_PATH_BENEATH,
                &rule as *const PathBeneathAttr,
                0u32,
            )
        };
        if result != 0 {
            let error = std::io::Error::last_os_error();
            return Err(std::io::Error::new(
                error.kind(),
                format!("Landlock refused a rule for {}: {error}", path.display()),
            ));
        }
        Ok(())
    }

    pub fn raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// In the test process, after `PR_SET_NO_NEW_PRIVS`: applies the ruleset.
///
/// # Safety
/// Plain system call; safe between fork and exec.
pub(crate) unsafe fn restrict_self(ruleset: RawFd) -> std::io::Result<()> {
    // SAFETY: plain system call on a ruleset descriptor.
    if unsafe { libc::syscall(libc::SYS_landlock_restrict_self, ruleset, 0u32) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}
