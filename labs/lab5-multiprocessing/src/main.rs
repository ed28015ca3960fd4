//! The lab's worker program. The parent side of every exercise starts it
//! as a child process with a sub-command, `lab5-multiprocessing <sub-command>
//! [arguments]`, much as Python's `spawn` start method starts a fresh
//! interpreter for each child. Provided complete; the dispatch is
//! [`lab5_multiprocessing::worker_main`] and the work is in each exercise.

use std::process::ExitCode;

fn main() -> ExitCode {
    lab5_multiprocessing::worker_main()
}
