#!/usr/bin/env python3
"""Lab 5's Python baseline: what a process costs, measured the lecture's way.

Lab 5's timing experiment `process_costs` measures two numbers for the Rust
reference: starting one tiny child process and waiting for it ("spawn and
wait"), and one task's round trip through a pool of one worker with a chunk
size of 1 ("pool round trip per task"). This script measures the same two
numbers for Python on this machine, so that the timing report can be read
next to them:

    python3 tools/python/pool_round_trip.py
    python3 tools/python/pool_round_trip.py --spawns 100 --tasks 20000
    python3 tools/python/pool_round_trip.py --rust-spawn-ms 0.9 --rust-round-trip-ms 0.03

It prints, in milliseconds:
- spawn and wait of `python3 -c pass` with `subprocess.run` (a fresh
  interpreter, as the `spawn` start method starts one per worker), and of a
  forked `multiprocessing.Process` that does nothing (the `fork` start
  method: a copy of this interpreter, no start-up);
- the round trip per task of `Pool(1).map(square, range(N), chunksize=1)`,
  with the `fork` start method and, unless `--no-spawn-start`, with `spawn`
  (whose pool also takes longer to start: printed apart, not counted in the
  round trip).

Given the Rust reference's figures (from `cargo xtask bench lab5 --solution
--filter process_costs`), it also prints how many times more each costs in
Python.

Standard library only; nothing here is graded.
"""

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import time


def square(number):
    """The pool's trivial job, as the Rust pool's `square`."""
    return number * number


def do_nothing():
    """The body of a forked child that only starts and exits."""


def median_ms_per_call(action, n_calls, n_rounds):
    """The median over n_rounds of the mean time of one call, in ms."""
    per_call = []
    for _ in range(n_rounds):
        started = time.perf_counter()
        for _ in range(n_calls):
            action()
        per_call.append((time.perf_counter() - started) * 1e3 / n_calls)
    return statistics.median(per_call)


def spawn_python_and_wait():
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def fork_process_and_join():
    child = multiprocessing.get_context("fork").Process(target=do_nothing)
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"a forked child exited with {child.exitcode}")


def pool_round_trip_ms(start_method, n_tasks, n_rounds):
    """(seconds to start the pool, median ms per task over n_rounds)."""
    context = multiprocessing.get_context(start_method)
    started = time.perf_counter()
    with context.Pool(1) as pool:
        # The first map waits for the worker to be ready; it is not timed.
        pool.map(square, range(100), chunksize=1)
        start_seconds = time.perf_counter() - started
        per_task = []
        for _ in range(n_rounds):
            started = time.perf_counter()
            results = pool.map(square, range(n_tasks), chunksize=1)
            per_task.append((time.perf_counter() - started) * 1e3 / n_tasks)
            if results[-1] != (n_tasks - 1) ** 2:
                raise RuntimeError("the pool returned a wrong square")
    return start_seconds, statistics.median(per_task)


def compared(python_ms, rust_ms):
    if rust_ms is None or rust_ms <= 0:
        return ""
    return f"  ({python_ms / rust_ms:.1f}x the Rust reference's {rust_ms:.3f} ms)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spawns", type=int, default=50,
                        help="children started per round (default 50)")
    parser.add_argument("--tasks", type=int, default=5000,
                        help="tasks per map (default 5000)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds; the median is printed (default 5)")
    parser.add_argument("--no-spawn-start", action="store_true",
                        help="skip the pool with the spawn start method")
    parser.add_argument("--rust-spawn-ms", type=float,
                        help="the Rust reference's 'spawn and wait', in ms")
    parser.add_argument("--rust-round-trip-ms", type=float,
                        help="the Rust reference's 'pool round trip per task', in ms")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]} on {sys.platform}; medians of "
          f"{args.rounds} rounds")
    spawn_ms = median_ms_per_call(spawn_python_and_wait, args.spawns, args.rounds)
    print(f"spawn and wait, `python3 -c pass` (subprocess.run): {spawn_ms:.3f} ms"
          + compared(spawn_ms, args.rust_spawn_ms))
    fork_ms = median_ms_per_call(fork_process_and_join, args.spawns, args.rounds)
    print(f"spawn and wait, forked multiprocessing.Process:    {fork_ms:.3f} ms"
          + compared(fork_ms, args.rust_spawn_ms))

    _, fork_round_trip = pool_round_trip_ms("fork", args.tasks, args.rounds)
    print(f"pool round trip per task, fork Pool(1), chunksize=1:  "
          f"{fork_round_trip:.4f} ms" + compared(fork_round_trip, args.rust_round_trip_ms))
    if not args.no_spawn_start:
        start_seconds, spawn_round_trip = pool_round_trip_ms(
            "spawn", args.tasks, args.rounds)
        print(f"pool round trip per task, spawn Pool(1), chunksize=1: "
              f"{spawn_round_trip:.4f} ms"
              + compared(spawn_round_trip, args.rust_round_trip_ms))
        print(f"  (starting that spawn pool and its first map: "
              f"{start_seconds * 1e3:.1f} ms)")


if __name__ == "__main__":
    main()
