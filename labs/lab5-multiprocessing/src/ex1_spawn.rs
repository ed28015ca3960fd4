//! Exercise 1: father and sons.
//!
//! The lecture's first program starts a few children; each prints its own
//! process id and its parent's, and the parent waits for them. Here the
//! children are copies of this crate's worker program started with the
//! `hello` sub-command:
//!
//! ```text
//! parent:  lab5-multiprocessing hello 3
//! child:   prints "child 3: pid 4242, parent 4200" and exits with status 3
//! ```
//!
//! You write both sides: [`say_hello`] (what the child does) and
//! [`spawn_children`] (what the parent does). The command line of `hello`,
//! the [`Greeting`] line and the [`ChildReport`] type are provided.

use std::fmt;
use std::path::Path;
use std::process::{ExitCode, ExitStatus};
use std::str::FromStr;

use crate::ProcessError;
use crate::worker::{Subcommand, usage_error};

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

/// `hello CHILD_IDX`: reads the index and says hello. Provided complete.
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
/// `child 3: pid 4242, parent 4200`. Provided complete: `to_string()`
/// writes the line (without a newline) and `parse()` reads it back.
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

/// The child side of `hello CHILD_IDX` (the worker program calls it with
/// the index from its command line).
///
/// What to build:
/// - Print one [`Greeting`] line on standard output with the child's own
///   process id (`std::process::id()`) and its parent's
///   (`std::os::unix::process::parent_id()`).
/// - Return `ExitCode::from(child_idx as u8)`: the exit status is the
///   child's index (it is always below [`MAX_CHILDREN`], so it fits).
///
/// The idea: a child has its own process id, given by the operating
/// system when the parent starts it; the parent gets the same number from
/// `Child::id()`. The exit status is a small number that outlives the
/// process: its parent reads it when it waits.
///
/// Pitfall: `println!` panics if the parent has closed the pipe. Write
/// with `writeln!(std::io::stdout().lock(), ...)` and, if that fails,
/// report it on standard error and return a status that is not the index
/// (255, say): the parent then sees that something went wrong.
pub fn say_hello(child_idx: usize) -> ExitCode {
    let _ = child_idx;
    todo!("exercise 1: say_hello")
}

/// What the parent learned about one child. Provided complete.
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

/// Starts `n_children` children of `worker_program` with the arguments
/// `hello 0`, `hello 1`, ..., waits for all of them, and returns one
/// [`ChildReport`] per child in index order.
///
/// What to build:
/// - More than [`MAX_CHILDREN`] is [`ProcessError::InvalidRequest`]
///   (before any child starts); no children is an empty list.
/// - Start *every* child first: `Command::new(worker_program)` with the
///   two arguments, standard output and standard error piped
///   (`Stdio::piped()`), standard input `Stdio::null()`, then `.spawn()`.
///   Remember each child's `Child::id()`. A spawn error is
///   [`ProcessError::CouldNotStart`]; kill and wait for the children
///   already started before returning it.
/// - Then wait for each child (`Child::wait_with_output`), in index order.
///   An exit status whose code is not the child's index (or no code: a
///   signal killed it) is [`ProcessError::ChildFailed`]. Otherwise its
///   standard output must be exactly one greeting line (a `\n` at its end)
///   with the child's index, a pid equal to `Child::id()` and a parent pid
///   equal to the parent's `std::process::id()`; anything else is
///   [`ProcessError::UnreadableOutput`].
/// - Wait for every child even after one failed, then return the first
///   error.
///
/// The idea: starting every child before waiting for any is what lets
/// them run at the same time; each has its own pid, and all of them have
/// the same parent.
///
/// Pitfalls: `Command::output()` in a loop (it waits for each child before
/// the next one starts: the children run one after another); returning at
/// the first error without waiting for the others (they are left behind);
/// `.unwrap()` on what a child printed (a misbehaving child becomes a panic
/// of the parent).
pub fn spawn_children(
    n_children: usize,
    worker_program: &Path,
) -> Result<Vec<ChildReport>, ProcessError> {
    let _ = (n_children, worker_program);
    todo!("exercise 1: spawn_children")
}
