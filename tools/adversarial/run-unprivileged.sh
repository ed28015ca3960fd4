#!/bin/sh
# Grades the adversarial fixture (xtask/tests/adversarial) with the whole
# grader running as an unprivileged user (uid and gid 65534, no groups), as
# a CI runner or a student's laptop runs it, and prints each test's verdict
# and what the fixture managed (canaries, leftovers, build canary files).
#
# Run as root: the toolchain of a root-installed rustup lives under /root
# (mode 0700), out of an unprivileged user's reach, so the script gives it
# to that user through bind mounts in a private mount namespace (nothing
# changes on the machine) and works on a copy of the course the user owns:
#   sh tools/adversarial/run-unprivileged.sh [WORK_DIR] [-- extra grade args]
# WORK_DIR defaults to /tmp/adversarial-unprivileged and is replaced.
set -eu
main=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/adversarial-unprivileged}
[ "$(id -u)" = 0 ] || { echo "run this as root (it switches to uid 65534 itself)" >&2; exit 2; }
toolchain=$(dirname "$(dirname "$(rustup which rustc)")")
cargo_home=${CARGO_HOME:-$HOME/.cargo}

rm -rf "$work"
mkdir -p "$work/course/xtask/tests" "$work/toolchain" "$work/registry" "$work/cargo-home" "$work/out"
# The tiny course with the grader it depends on by relative path, and the
# workspace manifest the grader inherits from (its members need not exist).
cp -r "$main/grader" "$work/course/grader"
cp "$main/Cargo.toml" "$main/Cargo.lock" "$work/course/"
tar -C "$main/xtask/tests" --exclude=adversarial/target -cf - adversarial | tar -C "$work/course/xtask/tests" -xf -
cp "$main/target/debug/xtask" "$work/xtask"
chown -R 65534:65534 "$work"

exec unshare --mount --propagation private sh -eu -c '
work=$1 toolchain=$2 cargo_home=$3
mount --bind -o ro "$toolchain" "$work/toolchain"
mount --bind -o ro "$cargo_home/registry" "$work/registry"
ln -s "$work/registry" "$work/cargo-home/registry"
chown -h 65534:65534 "$work/cargo-home/registry"
setpriv --reuid=65534 --regid=65534 --clear-groups \
  env -i HOME="$work" PATH="$work/toolchain/bin:/usr/bin:/bin" \
      CARGO="$work/toolchain/bin/cargo" RUSTC="$work/toolchain/bin/rustc" \
      CARGO_HOME="$work/cargo-home" CARGO_NET_OFFLINE=true \
  "$work/xtask" --course-root "$work/course/xtask/tests/adversarial" \
      grade lab9 --submission "$work/course/xtask/tests/adversarial/submission" \
      --bench off --format json -j 2 --out "$work/out" > "$work/out/stdout.json" \
      2> "$work/out/stderr.txt" || echo "xtask exited with status $?"
sleep 1.5
' sh "$work" "$toolchain" "$cargo_home" &
wait $! || true
python3 - "$work" <<'PYTHON'
import json, os, sys
work = sys.argv[1]
results_text = open(os.path.join(work, "out", "results.json")).read()
results = json.loads(results_text)
print("sandbox:", json.dumps(results.get("sandbox")))
print("build ok:", results["build"]["ok"], results["build"].get("message", "")[:2000])
for test in results["tests"]:
    print(f'{test["status"]:8} {test["name"]:36} {test["message"][:90]!r}')
course = os.path.join(work, "course", "xtask", "tests", "adversarial")
canaries = []
for hidden in ["grader/suites/lab9-adversarial/src/main.rs", "solutions/lab9-adversarial/src/lib.rs"]:
    words = open(os.path.join(course, hidden)).read().split()
    canaries += [word for word in words if word.startswith("ADVERSARIAL-CANARY-")]
outputs = results_text + open(os.path.join(work, "out", "stderr.txt")).read()
print("canaries seen:", [canary for canary in canaries if canary in outputs])
print("results forged:", "forged_by" in results_text)
left = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        name = open(f"/proc/{pid}/comm").read().strip()
    except OSError:
        continue
    if name.startswith("adv9-"):
        left.append((pid, name))
print("fixture processes left:", left)
places = [os.path.join(course, "target", "grader", "staged")]
while places[-1] != "/":
    places.append(os.path.dirname(places[-1]))
if "/tmp" not in places:
    places.append("/tmp")
print("build canary files:", [p for p in places if os.path.exists(os.path.join(p, "adversarial-build-canary.txt"))])
PYTHON
