//! Helpers shared by the modules of this suite: fake worker programs
//! written as shell scripts (from labkit), a guard that kills and reaps a child the suite
//! starts itself on every path, and the names of `ProcessError` variants
//! for messages.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use grader::harness::worker_program;
use lab5_multiprocessing::ProcessError;
pub use labkit::{ScriptFolder, shell_quoted};

/// A child the suite started itself: killed and reaped when dropped, so a
/// failing assertion never leaves it behind.
pub struct ChildGuard {
    pub child: Child,
}

impl ChildGuard {
    /// Starts the graded worker program with `args`, every standard stream
    /// piped.
    pub fn start_worker(args: &[&str]) -> ChildGuard {
        let worker = worker_program();
        let child = Command::new(&worker)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("suite: cannot start {}: {error}", worker.display()));
        ChildGuard { child }
    }

    /// Everything the child wrote on its standard output and standard
    /// error, as text; call it once the child has exited.
    pub fn read_output(&mut self) -> (String, String) {
        let read_all = |pipe: Option<&mut dyn Read>| {
            let mut bytes = Vec::new();
            if let Some(pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        };
        let stdout = read_all(self.child.stdout.as_mut().map(|pipe| pipe as &mut dyn Read));
        let stderr = read_all(self.child.stderr.as_mut().map(|pipe| pipe as &mut dyn Read));
        (stdout, stderr)
    }

    /// How the child ended, once it has.
    pub fn exit_status(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits until the child exits, at most `limit`; whether it did.
    pub fn exited_within(&mut self, limit: Duration) -> bool {
        let give_up = Instant::now() + limit;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => return true,
                Ok(None) if Instant::now() < give_up => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => return false,
            }
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The name of a `ProcessError` variant, for messages and comparisons.
pub fn variant_name<T: std::fmt::Debug>(result: &Result<T, ProcessError>) -> String {
    match result {
        Ok(value) => format!("Ok({value:?})"),
        Err(ProcessError::InvalidRequest(_)) => "InvalidRequest".to_owned(),
        Err(ProcessError::CouldNotStart { .. }) => "CouldNotStart".to_owned(),
        Err(ProcessError::Io { .. }) => "Io".to_owned(),
        Err(ProcessError::ChildFailed { .. }) => "ChildFailed".to_owned(),
        Err(ProcessError::UnreadableOutput { .. }) => "UnreadableOutput".to_owned(),
        Err(_) => "another error".to_owned(),
    }
}
