#!/bin/sh
# Runs a grader command (normally `xtask ... grade lab9 ...` of the
# adversarial suite) with the whole grader as an unprivileged user (uid and
# gid 65534, no groups), as on a CI runner or a student's laptop, where
# drop-user and the cgroup layer are missing.
#
# Run as root:
#   sh tools/adversarial/run-unprivileged.sh [NAME=VALUE...] PROGRAM [ARGS...]
# `xtask/tests/adversarial.rs` does (test
# `the_layers_of_an_unprivileged_grader_hold`) and checks the outcome.
#
# A root-installed toolchain lives in root's home (mode 0700), out of an
# unprivileged user's reach. In a private mount namespace (nothing changes
# on the machine), the script lays a view of that home over it that holds
# only the toolchain and cargo's home, read-only, at their own paths: the
# same paths as root's builds, so cargo finds the course's compiled
# dependencies fresh instead of compiling them again. The course's target
# folder and the output folder must already belong to uid 65534.
# The environment is replaced: PATH, HOME, CARGO, RUSTC, CARGO_HOME,
# RUSTUP_HOME, CARGO_NET_OFFLINE, then the NAME=VALUE arguments.
set -eu
[ "$(id -u)" = 0 ] || { echo "run this as root (it switches to uid 65534 itself)" >&2; exit 2; }
[ $# -ge 1 ] || { echo "usage: $0 [NAME=VALUE...] PROGRAM [ARGS...]" >&2; exit 2; }
cargo=${CARGO:-$(rustup which cargo)}
toolchain_bin=$(dirname "$cargo")
cargo_home=${CARGO_HOME:-$HOME/.cargo}
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}

# The view's folder is made here, outside the namespace, where it stays
# empty (the mounts exist only inside), so that it can be removed after.
view=$(mktemp -d /tmp/unprivileged-home-view.XXXXXX)
chmod 755 "$view"
status=0
unshare --mount --propagation private sh -eu -c '
view=$1 toolchain_bin=$2 cargo_home=$3 rustup_home=$4
shift 4
for shown in "$cargo_home" "$rustup_home"; do
  case $shown in
    "$HOME"/*)
      inside=$view/${shown#"$HOME"/}
      mkdir -p "$inside"
      mount --bind "$shown" "$inside"
      mount -o remount,bind,ro "$inside"
      ;;
  esac
done
mount --rbind "$view" "$HOME"
exec setpriv --reuid=65534 --regid=65534 --clear-groups \
  env -i HOME=/nonexistent PATH="$toolchain_bin:/usr/bin:/bin" \
      CARGO="$toolchain_bin/cargo" RUSTC="$toolchain_bin/rustc" \
      CARGO_HOME="$cargo_home" RUSTUP_HOME="$rustup_home" CARGO_NET_OFFLINE=true \
      "$@"
' sh "$view" "$toolchain_bin" "$cargo_home" "$rustup_home" "$@" || status=$?
rm -r "$view"
exit "$status"
