//! Control groups: a process-count and memory limit for one test and all it
//! starts, and a kill that reaches every one of them.
//!
//! Two layouts are met in the wild. cgroup v2 (one unified tree; the grader
//! needs a folder it may write whose `cgroup.controllers` offers `pids` and
//! `memory`) and cgroup v1 (one tree per controller, as on some CI machines
//! and on this project's own: `pids` and `memory` under
//! `/sys/fs/cgroup/<controller>`). Per test the grader makes one group per
//! tree, `grader-<pid>-<n>`, beside its own group, sets the limits, and
//! hands the child an open `cgroup.procs` to join. After the test the group
//! is emptied (`cgroup.kill`, or a kill of each listed process) and removed.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Where the grader may make per-test groups.
#[derive(Debug, Clone)]
pub enum Hierarchy {
    /// One folder in the unified tree.
    V2 { parent: PathBuf },
    /// The grader's own folders in the `pids` and `memory` trees.
    V1 { pids: PathBuf, memory: PathBuf },
}

impl Hierarchy {
    pub fn describe(&self) -> &'static str {
        match self {
            Hierarchy::V2 { .. } => "cgroup v2",
            Hierarchy::V1 { .. } => "cgroup v1 (pids, memory)",
        }
    }
}

/// Finds a hierarchy where this process may make groups with both limits.
pub fn detect() -> Result<Hierarchy, String> {
    let own = std::fs::read_to_string("/proc/self/cgroup")
        .map_err(|error| format!("cannot read /proc/self/cgroup: {error}"))?;
    let mounts = std::fs::read_to_string("/proc/self/mounts")
        .map_err(|error| format!("cannot read /proc/self/mounts: {error}"))?;
    let mut reasons = Vec::new();
    match detect_v2(&own, &mounts) {
        Ok(found) => return Ok(found),
        Err(reason) => reasons.push(reason),
    }
    match detect_v1(&own, &mounts) {
        Ok(found) => return Ok(found),
        Err(reason) => reasons.push(reason),
    }
    Err(reasons.join("; "))
}

fn detect_v2(own: &str, mounts: &str) -> Result<Hierarchy, String> {
    let mount = mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (_, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            (kind == "cgroup2").then(|| PathBuf::from(point))
        })
        .next()
        .ok_or("no cgroup v2 mount")?;
    let path = own
        .lines()
        .find_map(|line| line.strip_prefix("0::"))
        .ok_or("this process has no cgroup v2 group")?;
    let parent = mount.join(path.trim_start_matches('/'));
    let parent = parent.parent().map(Path::to_path_buf).unwrap_or(parent);
    let controllers =
        std::fs::read_to_string(parent.join("cgroup.subtree_control")).unwrap_or_default();
    if !(controllers.contains("pids") && controllers.contains("memory")) {
        return Err(format!(
            "cgroup v2 at {} does not hand the pids and memory controllers to its children",
            parent.display()
        ));
    }
    probe(&parent).map(|()| Hierarchy::V2 { parent })
}

fn detect_v1(own: &str, mounts: &str) -> Result<Hierarchy, String> {
    let tree = |controller: &str| -> Result<PathBuf, String> {
        let mount = mounts
            .lines()
            .filter_map(|line| {
                let mut fields = line.split_whitespace();
                let (_, point, kind, options) = (
                    fields.next()?,
                    fields.next()?,
                    fields.next()?,
                    fields.next()?,
                );
                (kind == "cgroup" && options.split(',').any(|option| option == controller))
                    .then(|| PathBuf::from(point))
            })
            .next()
            .ok_or_else(|| format!("no cgroup v1 {controller} mount"))?;
        let path = own
            .lines()
            .find_map(|line| {
                let mut fields = line.splitn(3, ':');
                let (_, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
                controllers
                    .split(',')
                    .any(|name| name == controller)
                    .then_some(path)
            })
            .ok_or_else(|| format!("this process has no cgroup v1 {controller} group"))?;
        let folder = mount.join(path.trim_start_matches('/'));
        probe(&folder)?;
        Ok(folder)
    };
    Ok(Hierarchy::V1 {
        pids: tree("pids")?,
        memory: tree("memory")?,
    })
}

/// Whether a group can be made (and removed) under `parent`.
fn probe(parent: &Path) -> Result<(), String> {
    let trial = parent.join(format!("grader-{}-probe", std::process::id()));
    std::fs::create_dir(&trial)
        .map_err(|error| format!("cannot make a group under {}: {error}", parent.display()))?;
    let _ = std::fs::remove_dir(&trial);
    Ok(())
}

static NEXT_GROUP: AtomicU64 = AtomicU64::new(0);

/// One test's groups, removed (and emptied) on drop.
#[derive(Debug)]
pub struct TestGroup {
    folders: Vec<PathBuf>,
    memory_folder: PathBuf,
    v2: bool,
    /// Open `cgroup.procs` of each folder, for the child to join.
    procs: Vec<File>,
}

impl TestGroup {
    pub fn new(
        hierarchy: &Hierarchy,
        max_processes: u64,
        max_memory: u64,
    ) -> std::io::Result<TestGroup> {
        let name = format!(
            "grader-{}-{}",
            std::process::id(),
            NEXT_GROUP.fetch_add(1, Ordering::Relaxed)
        );
        let (folders, memory_folder, v2) = match hierarchy {
            Hierarchy::V2 { parent } => {
                let folder = parent.join(&name);
                (vec![folder.clone()], folder, true)
            }
            Hierarchy::V1 { pids, memory } => (
                vec![pids.join(&name), memory.join(&name)],
                memory.join(&name),
                false,
            ),
        };
        let mut group = TestGroup {
            folders: Vec::new(),
            memory_folder,
            v2,
            procs: Vec::new(),
        };
        for folder in folders {
            std::fs::create_dir(&folder)?;
            group.folders.push(folder);
        }
        for folder in &group.folders {
            if folder.join("pids.max").exists() {
                write_value(&folder.join("pids.max"), &max_processes.to_string())?;
            }
            if v2 && folder.join("memory.max").exists() {
                write_value(&folder.join("memory.max"), &max_memory.to_string())?;
                let _ = write_value(&folder.join("memory.swap.max"), "0");
            } else if folder.join("memory.limit_in_bytes").exists() {
                write_value(
                    &folder.join("memory.limit_in_bytes"),
                    &max_memory.to_string(),
                )?;
            }
            let procs = OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_CLOEXEC)
                .open(folder.join("cgroup.procs"))?;
            group.procs.push(procs);
        }
        Ok(group)
    }

    /// The descriptors a child writes its pid to.
    pub fn procs_fds(&self) -> Vec<RawFd> {
        self.procs.iter().map(AsRawFd::as_raw_fd).collect()
    }

    /// Closes the grader's copies of `cgroup.procs` once the child joined.
    pub fn close_procs(&mut self) {
        self.procs.clear();
    }

    /// Whether the kernel's out-of-memory killer acted inside the group.
    pub fn memory_limit_hit(&self) -> bool {
        let events = if self.v2 {
            std::fs::read_to_string(self.memory_folder.join("memory.events"))
        } else {
            std::fs::read_to_string(self.memory_folder.join("memory.oom_control"))
        };
        events.unwrap_or_default().lines().any(|line| {
            line.strip_prefix("oom_kill ")
                .and_then(|count| count.trim().parse::<u64>().ok())
                .is_some_and(|count| count > 0)
        })
    }

    /// Kills every process in the group, until none is left (or a second
    /// has passed).
    pub fn kill_all(&self) {
        for folder in &self.folders {
            if self.v2 && write_value(&folder.join("cgroup.kill"), "1").is_ok() {
                continue;
            }
            let give_up = Instant::now() + Duration::from_secs(1);
            loop {
                let listed =
                    std::fs::read_to_string(folder.join("cgroup.procs")).unwrap_or_default();
                let pids: Vec<libc::pid_t> = listed
                    .lines()
                    .filter_map(|line| line.trim().parse().ok())
                    .collect();
                if pids.is_empty() || Instant::now() >= give_up {
                    break;
                }
                for pid in pids {
                    // SAFETY: plain kill of a process in the test's group.
                    unsafe {
                        libc::kill(pid, libc::SIGKILL);
                    }
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

impl Drop for TestGroup {
    fn drop(&mut self) {
        self.kill_all();
        self.procs.clear();
        for folder in &self.folders {
            // A group empties a moment after its last process is reaped.
            for _ in 0..200 {
                if std::fs::remove_dir(folder).is_ok() || !folder.exists() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

fn write_value(path: &Path, value: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).open(path)?;
    file.write_all(value.as_bytes())
}
