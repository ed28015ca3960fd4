//! A seccomp deny-list: system calls a test has no business making, which
//! would let it inspect or tamper with other processes or reach kernel
//! surfaces far from the course (tracing, other processes' memory, eBPF,
//! performance counters, userfaultfd, the kernel keyring, io_uring).
//!
//! The filter is a classic BPF program built once in the grader and
//! installed by the test process just before `exec`. A denied call fails
//! with `EPERM`, as it would for an unprivileged user, rather than killing
//! the process; a call through another architecture's numbering (x32 on
//! x86_64) is refused too, and a process of an unexpected architecture is
//! killed.

/// The denied system calls, by name, for messages and the results file.
pub const DENIED: &[(&str, libc::c_long)] = &[
    ("ptrace", libc::SYS_ptrace),
    ("process_vm_readv", libc::SYS_process_vm_readv),
    ("process_vm_writev", libc::SYS_process_vm_writev),
    ("bpf", libc::SYS_bpf),
    ("perf_event_open", libc::SYS_perf_event_open),
    ("userfaultfd", libc::SYS_userfaultfd),
    ("keyctl", libc::SYS_keyctl),
    ("add_key", libc::SYS_add_key),
    ("request_key", libc::SYS_request_key),
    ("io_uring_setup", libc::SYS_io_uring_setup),
    ("io_uring_enter", libc::SYS_io_uring_enter),
    ("io_uring_register", libc::SYS_io_uring_register),
];

#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 0xC000_003E;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 0xC000_00B7;
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
const AUDIT_ARCH: u32 = 0;

/// System call numbers at or above this belong to x86_64's x32 ABI.
const X32_SYSCALL_BIT: u32 = 0x4000_0000;

const LOAD_WORD_ABSOLUTE: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JUMP_IF_EQUAL: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JUMP_IF_AT_LEAST: u16 = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const RETURN: u16 = 0x06; // BPF_RET | BPF_K

const RETURN_ALLOW: u32 = 0x7fff_0000;
const RETURN_ERRNO: u32 = 0x0005_0000;
const RETURN_KILL_PROCESS: u32 = 0x8000_0000;

/// Offsets in `struct seccomp_data`.
const OFFSET_NR: u32 = 0;
const OFFSET_ARCH: u32 = 4;

/// Whether this build knows the architecture's audit number (the filter is
/// only built where it does).
pub fn supported() -> bool {
    AUDIT_ARCH != 0
}

/// The deny-list as a BPF program.
pub fn deny_list_program() -> Vec<libc::sock_filter> {
    let statement = |code, k| libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    };
    let jump = |code, k, jt, jf| libc::sock_filter { code, jt, jf, k };
    let count = DENIED.len() as u8;
    let mut program = vec![
        statement(LOAD_WORD_ABSOLUTE, OFFSET_ARCH),
        // Same architecture: go on; otherwise to the last instruction, kill.
        jump(JUMP_IF_EQUAL, AUDIT_ARCH, 0, count + 4),
        statement(LOAD_WORD_ABSOLUTE, OFFSET_NR),
        // x32 numbers: to the errno return.
        jump(JUMP_IF_AT_LEAST, X32_SYSCALL_BIT, count + 1, 0),
    ];
    for (index, &(_, number)) in DENIED.iter().enumerate() {
        // From instruction i of the list, the errno return is count - i
        // instructions ahead, past the remaining checks and the allow.
        program.push(jump(JUMP_IF_EQUAL, number as u32, count - index as u8, 0));
    }
    program.push(statement(RETURN, RETURN_ALLOW));
    program.push(statement(RETURN, RETURN_ERRNO | libc::EPERM as u32));
    program.push(statement(RETURN, RETURN_KILL_PROCESS));
    program
}

/// In the test process, after `PR_SET_NO_NEW_PRIVS`: installs the filter.
///
/// # Safety
/// Plain system call; safe between fork and exec.
pub(crate) unsafe fn install(program: &[libc::sock_filter]) -> std::io::Result<()> {
    let prog = libc::sock_fprog {
        len: program.len() as u16,
        filter: program.as_ptr() as *mut libc::sock_filter,
    };
    // SAFETY: a valid program that outlives the call.
    let result = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            0,
            &prog as *const libc::sock_fprog,
        )
    };
    if result != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the program as the kernel would on one system call.
    fn verdict(program: &[libc::sock_filter], arch: u32, number: u32) -> u32 {
        let mut accumulator = 0u32;
        let mut pc = 0usize;
        loop {
            let instruction = program[pc];
            match instruction.code {
                LOAD_WORD_ABSOLUTE => {
                    accumulator = if instruction.k == OFFSET_ARCH {
                        arch
                    } else {
                        number
                    };
                    pc += 1;
                }
                JUMP_IF_EQUAL | JUMP_IF_AT_LEAST => {
                    let taken = if instruction.code == JUMP_IF_EQUAL {
                        accumulator == instruction.k
                    } else {
                        accumulator >= instruction.k
                    };
                    let offset = if taken {
                        instruction.jt
                    } else {
                        instruction.jf
                    };
                    pc += 1 + offset as usize;
                }
                RETURN => return instruction.k,
                other => panic!("unexpected instruction {other:#x}"),
            }
        }
    }

    #[test]
    fn every_denied_call_gets_eperm_and_others_pass() {
        let program = deny_list_program();
        for &(name, number) in DENIED {
            assert_eq!(
                verdict(&program, AUDIT_ARCH, number as u32),
                RETURN_ERRNO | libc::EPERM as u32,
                "{name} must be denied"
            );
        }
        for allowed in [
            libc::SYS_read,
            libc::SYS_write,
            libc::SYS_clone,
            libc::SYS_futex,
        ] {
            assert_eq!(verdict(&program, AUDIT_ARCH, allowed as u32), RETURN_ALLOW);
        }
        assert_eq!(
            verdict(
                &program,
                AUDIT_ARCH,
                X32_SYSCALL_BIT | libc::SYS_read as u32
            ),
            RETURN_ERRNO | libc::EPERM as u32
        );
        assert_eq!(
            verdict(&program, AUDIT_ARCH ^ 1, libc::SYS_read as u32),
            RETURN_KILL_PROCESS
        );
    }
}
