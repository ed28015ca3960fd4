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

// Provided complete, in `ex1_spawn/provided.rs`: the sub-command, the
// greeting a child prints and the report the parent returns.
mod provided;
pub use provided::*;

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
