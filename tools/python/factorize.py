#!/usr/bin/env python3
"""Lab 5's Python baseline: the lecture's factorization benchmark.

The lecture factorizes the 300 odd numbers from 9,999,999,999,999 on (each
the previous plus 2) by naive trial division, serially, with threads and
with processes. Its lesson: threads make this CPU-bound work slower in
Python (one interpreter lock, one thread running at a time, plus the cost
of passing it around), processes make it faster. This script times the
three on this machine, so that lab 5's Rust figures
(``cargo xtask bench lab5 --solution --filter factorization_seconds``) have
a baseline measured on the same hardware:

    python3 tools/python/factorize.py
    python3 tools/python/factorize.py --workers 4 --repeat 3
    python3 tools/python/factorize.py --count 60

It prints the seconds of each way (the median of --repeat runs) and its
speedup over the serial run, and checks that all three found the same
factor lists. Standard library only; nothing here is graded.
"""

import argparse
import concurrent.futures
import os
import statistics
import sys
import time

FIRST_NUMBER = 9_999_999_999_999


def factorize(n):
    """The prime factors of n in ascending order, by trial division: 2,
    then every odd divisor while divisor * divisor <= what is left."""
    factors = []
    while n % 2 == 0 and n > 1:
        factors.append(2)
        n //= 2
    divisor = 3
    while divisor * divisor <= n:
        while n % divisor == 0:
            factors.append(divisor)
            n //= divisor
        divisor += 2
    if n > 1:
        factors.append(n)
    return factors


def factorize_serial(numbers):
    return [factorize(number) for number in numbers]


def factorize_with(executor_class, numbers, n_workers):
    """The numbers split into n_workers contiguous chunks, one per worker,
    as the lecture does; results in input order."""
    chunk_len = -(-len(numbers) // n_workers)
    chunks = [numbers[start:start + chunk_len]
              for start in range(0, len(numbers), chunk_len)]
    with executor_class(max_workers=n_workers) as executor:
        return [factors
                for chunk_factors in executor.map(factorize_serial, chunks)
                for factors in chunk_factors]


def median_seconds(repeat, function, *args):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300,
                        help="how many odd numbers from 9,999,999,999,999 (default 300)")
    parser.add_argument("--workers", type=int, default=2,
                        help="threads and processes (default 2)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="timed runs of each; the median is reported (default 1)")
    args = parser.parse_args()
    if args.count < 1 or args.workers < 1 or args.repeat < 1:
        parser.error("--count, --workers and --repeat must be at least 1")

    numbers = [FIRST_NUMBER + 2 * step for step in range(args.count)]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"{args.count} numbers from {FIRST_NUMBER:,}, median of {args.repeat} run(s)")

    serial, serial_seconds = median_seconds(args.repeat, factorize_serial, numbers)
    print(f"serial:                {serial_seconds:7.2f} s")
    ways = [
        (f"{args.workers} threads:", concurrent.futures.ThreadPoolExecutor),
        (f"{args.workers} processes:", concurrent.futures.ProcessPoolExecutor),
    ]
    for label, executor_class in ways:
        result, seconds = median_seconds(
            args.repeat, factorize_with, executor_class, numbers, args.workers)
        if result != serial:
            sys.exit(f"{label} different factor lists than the serial run")
        print(f"{label:<22} {seconds:7.2f} s   speedup {serial_seconds / seconds:.2f}x")


if __name__ == "__main__":
    main()
