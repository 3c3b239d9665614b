"""hardware.sane_stream.BackendThreads: which threads are the SANE backend's, and how long a
page's last read waits for them (the integration test runs it against the test backend)."""

from __future__ import annotations

import threading
import time

from hardware.sane_stream import BackendThreads


def test_a_python_thread_started_during_sane_start_is_not_waited_for():
    gate = threading.Event()
    ours = threading.Thread(target=gate.wait)
    ours.start()
    try:
        threads = BackendThreads(patience=5)
        threads.started = {ours.native_id}  # as if it appeared in /proc before Python knew it
        start = time.monotonic()
        threads.wait_ended()
        assert time.monotonic() - start < 1 and threads.started == set()
    finally:
        gate.set()
        ours.join()


def test_a_backend_whose_threads_outlive_their_pages_is_not_waited_for_after_three(monkeypatch):
    threads = BackendThreads(patience=0.05)
    monkeypatch.setattr(threads, "_state", lambda tid: "S")  # a parked thread that never ends
    waits = []
    for _ in range(5):
        threads.started = {999_999}
        start = time.monotonic()
        threads.wait_ended()
        waits.append(time.monotonic() - start)
    assert all(w >= 0.05 for w in waits[:3]) and all(w < 0.04 for w in waits[3:])


def test_a_thread_that_ends_resets_the_count(monkeypatch):
    threads = BackendThreads(patience=0.05)
    alive = {"state": "R"}
    monkeypatch.setattr(threads, "_state", lambda tid: alive["state"])
    for _ in range(2):
        threads.started = {999_999}
        threads.wait_ended()
    alive["state"] = ""  # ended
    threads.started = {999_999}
    threads.wait_ended()
    assert threads.outlived == 0


def test_parked_means_asleep_or_gone(monkeypatch):
    threads = BackendThreads(patience=0.2)
    threads.started = {999_999}
    states = iter(["R", "R", "S", "S"])
    monkeypatch.setattr(threads, "_state", lambda tid: next(states, "S"))
    threads.wait_parked()
    assert next(states, None) is None  # it looked until it saw the thread asleep twice
