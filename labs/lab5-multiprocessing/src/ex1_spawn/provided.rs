//! Exercise 1, provided complete: the `hello` sub-command around the
//! child's work, the greeting a child prints and the report the parent
//! returns. One file serves the student crate and the reference solution.

use super::*;

/// The worker program's sub-command of a child that says hello.
pub const HELLO_SUBCOMMAND: &str = "hello";

/// The most children [`spawn_children`] starts: a child's exit status is
/// its index, and exit statuses are small numbers (0 to 255).
pub const MAX_CHILDREN: usize = 100;

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: HELLO_SUBCOMMAND,
    usage: "CHILD_IDX (a whole number below 100)",
    run: run_hello,
}];

/// `hello CHILD_IDX`: reads the index and says hello.
fn run_hello(args: &[String]) -> ExitCode {
    let [child_idx] = args else {
        return usage_error(&SUBCOMMANDS[0], "expected exactly one argument");
    };
    match child_idx.parse::<usize>() {
        Ok(child_idx) if child_idx < MAX_CHILDREN => say_hello(child_idx),
        _ => usage_error(
            &SUBCOMMANDS[0],
            &format!("`{child_idx}` is not a child index below {MAX_CHILDREN}"),
        ),
    }
}

/// What a `hello` child prints on its standard output, one line:
/// `child 3: pid 4242, parent 4200`: `to_string()` writes the line
/// (without a newline) and `parse()` reads it back.
///
/// ```
/// use lab5_multiprocessing::Greeting;
///
/// let greeting = Greeting { child_idx: 3, pid: 4242, parent_pid: 4200 };
/// assert_eq!(greeting.to_string(), "child 3: pid 4242, parent 4200");
/// assert_eq!("child 3: pid 4242, parent 4200".parse(), Ok(greeting));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Greeting {
    pub child_idx: usize,
    /// The child's own process id, as the child sees it.
    pub pid: u32,
    /// The process id of the child's parent, as the child sees it.
    pub parent_pid: u32,
}

impl fmt::Display for Greeting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "child {}: pid {}, parent {}",
            self.child_idx, self.pid, self.parent_pid
        )
    }
}

impl FromStr for Greeting {
    type Err = String;

    /// Reads one greeting line (without its newline).
    fn from_str(line: &str) -> Result<Greeting, String> {
        let not_a_greeting =
            || format!("{line:?} is not a greeting like \"child 3: pid 4242, parent 4200\"");
        let rest = line.strip_prefix("child ").ok_or_else(not_a_greeting)?;
        let (child_idx, rest) = rest.split_once(": pid ").ok_or_else(not_a_greeting)?;
        let (pid, parent_pid) = rest.split_once(", parent ").ok_or_else(not_a_greeting)?;
        Ok(Greeting {
            child_idx: child_idx.parse().map_err(|_| not_a_greeting())?,
            pid: pid.parse().map_err(|_| not_a_greeting())?,
            parent_pid: parent_pid.parse().map_err(|_| not_a_greeting())?,
        })
    }
}

/// What the parent learned about one child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildReport {
    pub child_idx: usize,
    /// The child's process id (the child said so, and `Child::id` agrees).
    pub pid: u32,
    /// The child's parent's process id, as the child saw it: the caller's
    /// own `std::process::id()`.
    pub parent_pid: u32,
    /// How the child ended: exit code `child_idx`.
    pub exit_status: ExitStatus,
}
