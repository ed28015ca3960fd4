//! Starting a group of worker children, all or none (the reference's own
//! helper; the student crate has no counterpart, each exercise there
//! starts its children in its own words).

use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::ProcessError;

/// Starts one child of `worker_program` per argument list, all before any
/// is waited for, with standard output and error piped and standard input
/// piped if `pipe_stdin` (closed otherwise). If one cannot start, the
/// children already started would run for nobody: they are killed and
/// reaped before the error is returned.
pub(crate) fn start_children(
    worker_program: &Path,
    args_per_child: impl IntoIterator<Item = Vec<String>>,
    pipe_stdin: bool,
) -> Result<Vec<Child>, ProcessError> {
    let mut children = Vec::new();
    for args in args_per_child {
        let spawned = Command::new(worker_program)
            .args(args)
            .stdin(if pipe_stdin {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => children.push(child),
            Err(source) => {
                for mut started in children {
                    let _ = started.kill();
                    let _ = started.wait();
                }
                return Err(ProcessError::CouldNotStart {
                    program: worker_program.to_path_buf(),
                    source,
                });
            }
        }
    }
    Ok(children)
}
