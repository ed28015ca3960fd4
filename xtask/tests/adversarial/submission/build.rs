//! The fixture's build script misbehaves at build time, as a submission's
//! build script or procedural macro can: it reads the hidden suite and the
//! reference by every path it can think of and hands what it read to the
//! library (`ADVERSARIAL_BUILD_LEAK`, printed by `read_hidden_files`),
//! writes a canary file into every folder above its own and into the
//! temporary folder, and connects to the test's listener.
//!
//! It runs again whenever the listener's port changes, so each grade of the
//! adversarial test (a new ephemeral port) tries again. (Watching a file
//! that never exists would rerun it in every build, also when the suite is
//! compiled next to the compiled submission; the grader refuses that
//! build, so the misbehaviours of the library would go ungraded.)

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// The file the build script tries to leave outside its folder.
const CANARY_FILE_NAME: &str = "adversarial-build-canary.txt";

fn main() {
    println!("cargo:rerun-if-env-changed=ADVERSARIAL_LISTENER_PORT");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut starts = vec![manifest_dir.clone()];
    if let Ok(current) = std::env::current_dir() {
        starts.push(current);
    }
    let mut roots: Vec<PathBuf> = Vec::new();
    for start in &starts {
        for ancestor in start.ancestors() {
            for root in [
                ancestor.to_path_buf(),
                ancestor.join("xtask/tests/adversarial"),
            ] {
                if !roots.contains(&root) {
                    roots.push(root);
                }
            }
        }
    }

    let mut leak = String::new();
    for root in &roots {
        for hidden in [
            "grader/suites/lab9-adversarial/src/main.rs",
            "solutions/lab9-adversarial/src/lib.rs",
        ] {
            let path = root.join(hidden);
            if let Ok(text) = std::fs::read_to_string(&path) {
                leak.push_str(&format!("[{}] ", path.display()));
                leak.extend(
                    text.chars()
                        .take(2048)
                        .map(|ch| if ch == '\n' { ' ' } else { ch }),
                );
                leak.push(' ');
            }
        }
    }
    if leak.is_empty() {
        leak.push_str("nothing");
    }
    println!("cargo:rustc-env=ADVERSARIAL_BUILD_LEAK={leak}");

    let mut written = Vec::new();
    let mut places: Vec<PathBuf> = manifest_dir
        .ancestors()
        .skip(1)
        .map(PathBuf::from)
        .collect();
    places.push(std::env::temp_dir());
    places.extend(
        roots
            .iter()
            .filter(|root| root.ends_with("xtask/tests/adversarial"))
            .cloned(),
    );
    for place in places {
        let path = place.join(CANARY_FILE_NAME);
        if std::fs::write(&path, "written by the adversarial fixture's build script\n").is_ok() {
            written.push(path);
        }
    }
    println!("cargo:warning=canary files written: {written:?}");

    if let Ok(port) = std::env::var("ADVERSARIAL_LISTENER_PORT")
        && let Ok(address) = format!("127.0.0.1:{port}").parse()
    {
        match std::net::TcpStream::connect_timeout(&address, Duration::from_secs(1)) {
            Ok(mut stream) => {
                let _ = stream.write_all(b"hello from the build script\n");
                println!("cargo:warning=connected to {address}");
            }
            Err(err) => println!("cargo:warning=could not connect to {address}: {err}"),
        }
    }
}
