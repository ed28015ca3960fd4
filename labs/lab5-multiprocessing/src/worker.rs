//! The worker program's dispatch: one table of sub-commands per exercise.
//! Provided complete (the reference solution uses this same file).
//!
//! Python's `multiprocessing` can run a function in a child because the
//! child is a copy of the parent (fork) or a fresh interpreter that imports
//! the parent's module (spawn). A Rust program has neither: a child process
//! runs a *program*, from its `main`. So this crate ships one program, the
//! worker (`src/main.rs`), and the parent names what the child should do
//! with a sub-command, as in `lab5-multiprocessing leibniz`. Arguments
//! travel on the command line; data travels through pipes (stdin, stdout)
//! or shared memory. Nothing else is shared: the child starts with its own
//! fresh memory.

use std::process::ExitCode;

/// One sub-command of the worker program.
#[derive(Debug, Clone, Copy)]
pub struct Subcommand {
    /// The first argument that selects it, such as `leibniz`.
    pub name: &'static str,
    /// The rest of its command line, for the usage message.
    pub usage: &'static str,
    /// Runs it with the arguments after its name.
    pub run: fn(&[String]) -> ExitCode,
}

/// The exit status of a worker given arguments it cannot use.
pub const USAGE_EXIT_CODE: u8 = 2;

/// Every sub-command, exercise by exercise.
fn subcommand_tables() -> [&'static [Subcommand]; 9] {
    [
        crate::ex1_spawn::SUBCOMMANDS,
        crate::ex2_memory::SUBCOMMANDS,
        crate::ex3_pipes::SUBCOMMANDS,
        crate::ex4_pool::SUBCOMMANDS,
        crate::ex5_producer_consumer::SUBCOMMANDS,
        crate::ex6_shared_memory::SUBCOMMANDS,
        crate::ex7_factorize::SUBCOMMANDS,
        crate::ex8_primes::SUBCOMMANDS,
        crate::ex9_documents::SUBCOMMANDS,
    ]
}

/// The `main` of the worker program: runs the sub-command named by its
/// first argument. A missing or unknown sub-command prints the list of
/// sub-commands on standard error and exits with [`USAGE_EXIT_CODE`].
pub fn worker_main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let subcommands = subcommand_tables().into_iter().flatten();
    if let Some((name, rest)) = args.split_first() {
        if let Some(subcommand) = subcommands.clone().find(|sub| sub.name == name) {
            return (subcommand.run)(rest);
        }
        eprintln!("lab5 worker: unknown sub-command `{name}`");
    } else {
        eprintln!("lab5 worker: no sub-command given");
    }
    eprintln!("usage: lab5-multiprocessing <sub-command> [arguments]; sub-commands:");
    for subcommand in subcommands {
        eprintln!("  {} {}", subcommand.name, subcommand.usage);
    }
    ExitCode::from(USAGE_EXIT_CODE)
}

/// Reports bad arguments the way every sub-command does: a message on
/// standard error and [`USAGE_EXIT_CODE`].
pub fn usage_error(subcommand: &Subcommand, message: &str) -> ExitCode {
    eprintln!(
        "lab5 worker {}: {message}; usage: {} {}",
        subcommand.name, subcommand.name, subcommand.usage
    );
    ExitCode::from(USAGE_EXIT_CODE)
}
