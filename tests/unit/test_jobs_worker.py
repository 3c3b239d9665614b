"""The delivery worker's own rules: unexpected errors are backed off, recorded, shown and bounded;
the set of jobs scanning in this process is the worker's to keep."""

from __future__ import annotations

import time

from kiosk.jobs import Engine
from kiosk.jobs import events as ev
from kiosk.jobs import spool as sp
from kiosk.jobs.worker import MAX_UNEXPECTED_ERRORS, Worker
from tests.fixtures.jobs_fakes import FakeClient, FakeEncoder, FakeScanner, FakeServer
from tests.fixtures.jobs_support import User, process, settings
from tests.unit.test_jobs_recovery import spooled_job


class RaisingClient(FakeClient):
    """A client with a bug: SendImage raises KeyError the first `times` calls."""

    def __init__(self, server: FakeServer, counter: dict[str, int], times: int) -> None:
        super().__init__(server)
        self.counter = counter
        self.times = times

    def send_image(self, job_token, document_id, fmt, path):
        self.counter["send"] += 1
        if self.counter["send"] <= self.times:
            raise KeyError("surprise")
        super().send_image(job_token, document_id, fmt, path)


def test_an_unexpected_error_is_recorded_backed_off_and_announced(tmp_path):
    server = FakeServer()
    counter = {"send": 0}
    cfg = settings(tmp_path, retry_initial_seconds=30, retry_max_seconds=60).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path, pages=1)
    worker = Worker(spool, lambda _repo: RaisingClient(server, counter, times=100), cfg)
    seen: list[ev.JobEvent] = []
    worker.hub.subscribe(seen.append)
    before = time.time()
    worker.deliver(job_id)
    job = spool.job(job_id)
    assert counter["send"] == 1  # one call, not a hot loop
    assert job.attempts == 1 and job.state == sp.QUEUED
    assert job.last_error is not None and "KeyError" in job.last_error
    assert job.next_attempt >= before + 15  # the retry backoff (30 s, jitter down to half)
    assert [e.kind for e in seen][-1] == ev.RETRY and seen[-1].message


def test_unexpected_errors_fail_the_job_after_a_bound_and_it_stays_resendable(tmp_path):
    server = FakeServer()
    counter = {"send": 0}
    engine = Engine(
        settings(tmp_path),
        FakeScanner([2]),
        clients=lambda _repo: RaisingClient(server, counter, times=MAX_UNEXPECTED_ERRORS),
        encoder_factory=FakeEncoder,
    )
    errors: list[ev.JobEvent] = []
    engine.subscribe(lambda e: errors.append(e) if e.kind == ev.ERROR else None)
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    failed = job.wait(20)
    assert failed.state == sp.FAILED
    assert counter["send"] == MAX_UNEXPECTED_ERRORS
    assert "KeyError" in (failed.reason or "") and failed.documents == 2
    assert len(errors) == 1 and errors[0].message
    engine.resend(job.job_id)  # the client works now
    final = job.wait(20)
    engine.close()
    assert final.state == sp.COMPLETED and len(server.completed_documents()) == 2


def test_scanning_jobs_are_kept_by_the_worker(tmp_path):
    cfg = settings(tmp_path).spool
    worker = Worker(sp.Spool(cfg.directory), FakeServer().client, cfg)
    worker.scanning("a")
    assert worker.is_scanning("a") and not worker.is_scanning("b")
    worker.scan_ended("a")
    assert not worker.is_scanning("a")


def test_progress_resets_the_count_of_unexpected_errors(tmp_path):
    """Every other SendImage raises: the job makes progress between the errors, so it is never
    failed for them and every document arrives once."""
    server = FakeServer()
    calls = {"send": 0}

    class Flaky(FakeClient):
        def send_image(self, job_token, document_id, fmt, path):
            calls["send"] += 1
            if calls["send"] % 2:
                raise KeyError("every other call")
            super().send_image(job_token, document_id, fmt, path)

    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    pages = MAX_UNEXPECTED_ERRORS + 2
    job_id = spooled_job(spool, tmp_path, pages=pages)
    worker = Worker(spool, lambda _repo: Flaky(server), cfg)
    for _ in range(4 * pages):
        worker.deliver(job_id)
        spool.schedule(job_id, attempts=spool.job(job_id).attempts, at=0)  # no waiting in a test
        if spool.job(job_id).final:
            break
    assert spool.job(job_id).state == sp.COMPLETED
    assert sorted(server.completed_documents()) == sorted(f"document {n}".encode() for n in range(1, pages + 1))


def test_a_scan_job_releases_its_scan_lock_once_whichever_threads_close_it(tmp_path, monkeypatch):
    import os
    import threading

    from kiosk.jobs import engine as engine_mod

    engine = Engine(settings(tmp_path), FakeScanner([1]), clients=FakeServer().client, encoder_factory=FakeEncoder)
    job = engine.start(User(), process())
    job.scan_load()
    closed: list[int] = []
    real_close = os.close
    monkeypatch.setattr(engine_mod.os, "close", lambda fd: (closed.append(fd), real_close(fd))[1])
    start = threading.Barrier(4)

    def close_it():
        start.wait()
        job._close()

    threads = [threading.Thread(target=close_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    monkeypatch.undo()
    job.finish()
    engine.close()
    assert closed.count(job._scan_lock) == 1
