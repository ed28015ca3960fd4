//! Fake programs for tests of code that starts processes: small `/bin/sh`
//! scripts written into a temporary folder, to stand in for a worker that
//! fails, crashes, prints nonsense or logs when it starts.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A folder of fake programs, removed with everything in it when dropped.
#[derive(Debug)]
pub struct ScriptFolder {
    path: PathBuf,
}

impl ScriptFolder {
    /// A fresh folder under the system's temporary folder, named after this
    /// process and `purpose`, so that tests running at once never share
    /// one.
    pub fn new(purpose: &str) -> ScriptFolder {
        let path =
            std::env::temp_dir().join(format!("labkit-scripts-{}-{purpose}", std::process::id()));
        // A leftover from an earlier process with the same id is stale.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", path.display()));
        ScriptFolder { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes an executable `/bin/sh` script named `name` with `body` and
    /// returns its path.
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        let script = self.path.join(name);
        std::fs::write(&script, format!("#!/bin/sh\n{body}\n"))
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", script.display()));
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|error| panic!("cannot make {} executable: {error}", script.display()));
        script
    }
}

impl Drop for ScriptFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// `text` (a path or any string) quoted for `/bin/sh`: in single quotes,
/// with each single quote in it closed, escaped and reopened.
pub fn shell_quoted(text: impl AsRef<OsStr>) -> String {
    let text = text.as_ref().to_string_lossy();
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_runs_and_its_folder_goes_away() {
        let folder = ScriptFolder::new("selftest");
        let script = folder.script("it's", "echo \"$1\"");
        let output = std::process::Command::new(&script)
            .arg("hello")
            .output()
            .expect("run the script");
        assert_eq!(String::from_utf8_lossy(&output.stdout), "hello\n");
        let quoted_run = std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(format!("{} quoted", shell_quoted(&script)))
            .output()
            .expect("run the script through sh");
        assert_eq!(String::from_utf8_lossy(&quoted_run.stdout), "quoted\n");
        let path = folder.path().to_path_buf();
        drop(folder);
        assert!(!path.exists(), "{} is still there", path.display());
    }
}
