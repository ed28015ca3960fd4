//! Which child processes of this process still exist (Linux).
//!
//! A parent must wait for every child it starts. A child nobody waits for
//! either keeps running after the work is done or, once it exits, lingers
//! as a zombie (state `Z`) in the process table until its parent exits.
//! Tests of process code call [`children_of_this_process`] after a lab
//! function returns: a correct function leaves the list empty.
//!
//! Reads `/proc`; on a system without it the list is always empty, so the
//! check passes vacuously rather than failing a correct submission.

use std::fmt;

/// One child process of this process, as `/proc/<pid>/stat` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildProcess {
    pub pid: u32,
    /// The kernel's one-letter state: `R` running, `S` sleeping, `Z` zombie
    /// (exited, not yet waited for), ...
    pub state: char,
    /// The program's name, as the kernel keeps it (at most 15 bytes).
    pub command: String,
}

impl ChildProcess {
    /// Whether the child has exited and only waits to be reaped.
    pub fn is_zombie(&self) -> bool {
        self.state == 'Z'
    }
}

impl fmt::Display for ChildProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.is_zombie() {
            "exited but never waited for (a zombie)"
        } else {
            "still running"
        };
        write!(f, "{} (pid {}) {what}", self.command, self.pid)
    }
}

/// The child processes of this process that still exist, running or
/// zombie, sorted by pid.
pub fn children_of_this_process() -> Vec<ChildProcess> {
    // The number `/proc` knows this process by: in a pid namespace (as the
    // grader runs tests) `std::process::id()` is the namespace's own number,
    // while `/proc`, mounted outside it, lists the outer ones.
    let own_pid = std::fs::read_link("/proc/self")
        .ok()
        .and_then(|link| link.to_str()?.parse::<u32>().ok())
        .unwrap_or_else(std::process::id);
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut children: Vec<ChildProcess> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (command, state, parent_pid) = parse_stat(&stat)?;
            (parent_pid == own_pid).then_some(ChildProcess {
                pid,
                state,
                command,
            })
        })
        .collect();
    children.sort_by_key(|child| child.pid);
    children
}

/// Reads `(command, state, parent pid)` from a `/proc/<pid>/stat` line:
/// `pid (command) state ppid ...`. The command may itself hold spaces and
/// parentheses, so it is everything between the first `(` and the last `)`.
fn parse_stat(stat: &str) -> Option<(String, char, u32)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let command = stat.get(open + 1..close)?.to_owned();
    let mut fields = stat.get(close + 1..)?.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let parent_pid = fields.next()?.parse().ok()?;
    Some((command, state, parent_pid))
}

/// Fails with a message naming every child of this process that still
/// exists; `after` says what the caller just did ("estimate_pi_processes
/// returned").
///
/// The check sees every child of the process, whoever started it. A hidden
/// test runs alone in its own process, so there it is exact; `cargo test`
/// runs a crate's tests as threads of one process, where another test's
/// children would show up too, so public tests that use it must run with
/// `--test-threads=1` (or not use it).
pub fn assert_no_children_left(after: &str) {
    let children = children_of_this_process();
    assert!(
        children.is_empty(),
        "processes left behind after {after}: {}; a parent must wait for every child it \
         starts (Child::wait or wait_with_output), on success and on failure alike",
        children
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_with_spaces_and_parentheses_is_read_whole() {
        assert_eq!(
            parse_stat("4242 (my (odd) prog) S 17 4242 4242 0 -1"),
            Some(("my (odd) prog".to_owned(), 'S', 17))
        );
    }

    #[test]
    fn a_child_is_listed_until_it_is_waited_for() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .expect("start sleep");
        let listed = children_of_this_process();
        assert!(
            listed.iter().any(|listed| listed.pid == child.id()),
            "the running child {} is not in {listed:?}",
            child.id()
        );
        child.kill().expect("kill sleep");
        // Killed but not yet waited for: a zombie, still listed. The kill
        // takes effect asynchronously, so allow it a moment.
        let give_up = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let zombie = loop {
            let listed = children_of_this_process()
                .into_iter()
                .find(|listed| listed.pid == child.id())
                .expect("a killed child is listed until it is waited for");
            if listed.is_zombie() || std::time::Instant::now() > give_up {
                break listed;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert!(zombie.is_zombie(), "{zombie:?} should be a zombie");
        child.wait().expect("wait for sleep");
        assert!(
            children_of_this_process()
                .iter()
                .all(|listed| listed.pid != child.id()),
            "a child that was waited for is no longer listed"
        );
    }
}
