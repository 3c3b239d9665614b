"""Benchmarks: scripts that print figures for the speed and memory targets. Run on purpose
(`make bench`, or `python -m benchmarks NAME`), never as timed assertions in the test suite."""

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of `repeat` calls of `fn`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
