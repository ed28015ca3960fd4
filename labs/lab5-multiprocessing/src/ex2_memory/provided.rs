//! Exercise 2, provided complete: the global list, its lock and the `append`
//! sub-command around the child's work. One file serves the student crate and
//! the reference solution.

use super::*;

/// The worker program's sub-command that appends to the child's own list.
pub const APPEND_SUBCOMMAND: &str = "append";

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[Subcommand {
    name: APPEND_SUBCOMMAND,
    usage: "[VALUE ...] (whole numbers)",
    run: run_append,
}];

/// The list every process of this program has one copy of, starting empty.
static GLOBAL_LIST: Mutex<Vec<i64>> = Mutex::new(Vec::new());

/// Locks the list even if a thread panicked while holding it: appending
/// never leaves it half changed.
pub(super) fn locked_global_list() -> MutexGuard<'static, Vec<i64>> {
    GLOBAL_LIST.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A copy of this process's global list as it is now.
pub fn global_list() -> Vec<i64> {
    locked_global_list().clone()
}

/// `append VALUE...`: appends the values to this process's global list and
/// prints the whole list, the values separated by single spaces, on one
/// line (an empty line for an empty list).
fn run_append(args: &[String]) -> ExitCode {
    let values: Result<Vec<i64>, _> = args.iter().map(|arg| arg.parse::<i64>()).collect();
    let Ok(values) = values else {
        return usage_error(
            &SUBCOMMANDS[0],
            &format!("{args:?} are not all whole numbers"),
        );
    };
    let list = append_to_global_list(&values);
    let line: Vec<String> = list.iter().map(i64::to_string).collect();
    let mut stdout = io::stdout().lock();
    match writeln!(stdout, "{}", line.join(" ")).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab5 worker append: could not write the list: {error}");
            ExitCode::FAILURE
        }
    }
}
