"""Benchmarks: scripts that print figures for the speed and memory targets. Run on purpose
(`make bench`, or `python -m benchmarks NAME`), never as timed assertions in the test suite."""
