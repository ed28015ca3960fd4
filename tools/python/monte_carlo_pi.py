#!/usr/bin/env python3
"""Lab 6's Python baseline: the pi estimate written the lecture's way.

The lecture draws points with ``random.random()`` in a plain loop and
spreads the work over processes with ``multiprocessing.Pool`` (threads would
not help: the interpreter lock runs one thread at a time). This script times
both on this machine so that the lab's Rust numbers have a baseline measured
on the same hardware:

    python3 tools/python/monte_carlo_pi.py
    python3 tools/python/monte_carlo_pi.py --samples 20000000 --processes 2
    python3 tools/python/monte_carlo_pi.py --rust-samples-per-second 9.3e8

It prints samples per second on one core (the serial loop), with the pool
(in all and per process) and the pool's speedup; given the Rust reference's
samples per second per core (from ``cargo xtask bench lab6 --solution``, the
"serial" point), it also prints how many times faster Rust is per core.

Standard library only; nothing here is graded.
"""

import argparse
import math
import multiprocessing
import os
import random
import statistics
import sys
import time


def count_hits(n_samples, seed):
    """Draws n_samples points in the unit square and counts those inside
    the quarter disc, exactly as the lecture's loop does."""
    # Each call reseeds the module's generator. A forked pool worker starts
    # with a copy of its parent's generator state, so without this every
    # worker would draw the same points (the same-seed bug the lab's tests
    # catch in Rust).
    random.seed(seed)
    hits = 0
    for _ in range(n_samples):
        x = random.random()
        y = random.random()
        if x * x + y * y < 1.0:
            hits += 1
    return hits


def count_hits_of_chunk(chunk):
    """Pool entry point: one (n_samples, seed) chunk."""
    n_samples, seed = chunk
    return count_hits(n_samples, seed)


def estimate_serial(n_samples, seed):
    return 4.0 * count_hits(n_samples, seed) / n_samples


def estimate_with_pool(pool, n_samples, seed, n_chunks):
    """Splits the samples into n_chunks chunks with their own seeds (the
    chunk count, not the process count, fixes which points are drawn)."""
    base, remainder = divmod(n_samples, n_chunks)
    chunks = [
        (base + (1 if chunk_idx < remainder else 0), seed * 1_000_003 + chunk_idx)
        for chunk_idx in range(n_chunks)
    ]
    return 4.0 * sum(pool.map(count_hits_of_chunk, chunks)) / n_samples


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def human(rate):
    return f"{rate / 1e6:8.2f} M samples/s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000_000,
                        help="points per estimate (default 10,000,000)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="pool processes (default: the number of cores)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs of each; the median is reported (default 3)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rust-samples-per-second", type=float, default=None,
                        help="the Rust reference's serial samples/s, to print the ratio")
    args = parser.parse_args()
    if args.samples < 1 or args.processes < 1 or args.repeat < 1:
        parser.error("--samples, --processes and --repeat must be at least 1")

    sigma = 4.0 * math.sqrt((math.pi / 4) * (1 - math.pi / 4) / args.samples)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"{args.samples:,} samples per estimate, median of {args.repeat} runs")

    serial_rates = []
    for run in range(args.repeat):
        estimate, seconds = timed(estimate_serial, args.samples, args.seed + run)
        serial_rates.append(args.samples / seconds)
    serial_rate = statistics.median(serial_rates)
    print(f"serial (random.random() loop, 1 core): {human(serial_rate)}"
          f"   last estimate {estimate:.6f} (sigma {sigma:.6f})")

    # Four chunks per process evens out the load without much overhead.
    n_chunks = 4 * args.processes
    pool_rates = []
    with multiprocessing.Pool(processes=args.processes) as pool:
        # One untimed round starts the workers and imports the module there.
        estimate_with_pool(pool, n_chunks * 1000, args.seed, n_chunks)
        for run in range(args.repeat):
            estimate, seconds = timed(estimate_with_pool, pool, args.samples,
                                      args.seed + run, n_chunks)
            pool_rates.append(args.samples / seconds)
    pool_rate = statistics.median(pool_rates)
    print(f"multiprocessing.Pool({args.processes}):             {human(pool_rate)}"
          f"   ({human(pool_rate / args.processes)} per process, "
          f"speedup {pool_rate / serial_rate:.2f}x)   last estimate {estimate:.6f}")

    if args.rust_samples_per_second:
        rust = args.rust_samples_per_second
        print(f"Rust reference (serial, 1 core):         {human(rust)}"
              f"   {rust / serial_rate:.0f}x the Python loop per core")


if __name__ == "__main__":
    main()
