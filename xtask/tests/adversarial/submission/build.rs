//! The fixture's build script misbehaves at build time, as a submission's
//! build script or procedural macro can: it reads the hidden suite and the
//! reference by every path it can think of, and every environment variable
//! that looks like a secret, and hands what it found to the library
//! (`ADVERSARIAL_BUILD_LEAK`, printed by `read_hidden_files`); it writes a
//! canary file into every folder above its own and into the temporary
//! folders; and it connects to every port of the test's listener range.
//!
//! It runs again whenever `grade-nonce.txt` changes: the adversarial test
//! writes a new one before each grade, so every grade (first step, the
//! submission alone) tries again, and the second step (with the suite)
//! finds it compiled. (Watching a file that never exists would rerun it in
//! every build, also beside the suite; the grader refuses that build, which
//! `../submission-rerun` checks.)

#[path = "src/search.rs"]
mod search;

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// The file the build script tries to leave outside its folder.
const CANARY_FILE_NAME: &str = "adversarial-build-canary.txt";
/// The ports the adversarial test's listener may be on.
const LISTENER_PORTS: std::ops::Range<u16> = 47300..47340;

fn main() {
    println!("cargo:rerun-if-changed=grade-nonce.txt");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut starts = vec![manifest_dir.clone()];
    if let Ok(current) = std::env::current_dir() {
        starts.push(current);
    }
    let roots = search::course_roots_around(&starts);

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
    for (name, value) in std::env::vars() {
        if name.contains("TOKEN") || name.contains("SECRET") {
            leak.push_str(&format!("[${name}] {value} "));
        }
    }
    if leak.is_empty() {
        leak.push_str("nothing");
    }
    println!("cargo:rustc-env=ADVERSARIAL_BUILD_LEAK={leak}");

    let mut written = Vec::new();
    // Every folder above its own up to the course's root (the first that
    // holds a `course.toml`), and the temporary folders: a real attacker
    // would go on to `/`; this one spares the machine.
    let mut places: Vec<PathBuf> = Vec::new();
    for place in manifest_dir.ancestors().skip(1) {
        places.push(place.to_path_buf());
        if place.join("course.toml").is_file() {
            break;
        }
    }
    places.push(std::env::temp_dir());
    places.push(PathBuf::from("/tmp"));
    for place in places {
        let path = place.join(CANARY_FILE_NAME);
        if std::fs::write(&path, "written by the adversarial fixture's build script\n").is_ok() {
            written.push(path);
        }
    }
    println!("cargo:warning=canary files written: {written:?}");

    // A connection to a closed port of the loopback fails at once, so the
    // whole range costs nothing where nothing listens.
    for port in LISTENER_PORTS {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        if let Ok(mut stream) =
            std::net::TcpStream::connect_timeout(&address, Duration::from_secs(1))
        {
            let _ = stream.write_all(b"hello from the build script\n");
            println!("cargo:warning=connected to {address}");
        }
    }
}
