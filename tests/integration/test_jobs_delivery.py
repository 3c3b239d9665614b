"""Delivery through the real reference scan server (a subprocess): the kill test (a worker
process SIGKILLed at random points, seeded and bounded) and the outage test."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.config import parse
from kiosk.jobs import Engine
from kiosk.jobs import spool as sp
from tests.fixtures.jobs_fakes import FakeEncoder, FakeScanner, write_jpeg
from tests.fixtures.jobs_support import User, process


def config(tmp_path: Path, server) -> tuple[Path, object]:
    data = {
        "scan_server": {
            "endpoints": {"localhost": server.endpoint},
            "allow_http": True,
            "connect_timeout": 2.0,
            "read_timeout": 10.0,
        },
        "spool": {
            "directory": str(tmp_path / "spool"),
            "state_directory": str(tmp_path / "state"),
            "min_free_mb": 0,
            "retry_initial_seconds": 0.05,
            "retry_max_seconds": 0.5,
            "max_parallel_deliveries": 2,
        },
    }
    path = tmp_path / "kiosk.toml"
    lines = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            if isinstance(value, dict):
                continue
            lines.append(f"{key} = {value!r}".replace("True", "true").replace("'", '"'))
        for key, value in values.items():
            if isinstance(value, dict):
                lines.append(f"[{section}.{key}]")
                lines.extend(f'"{k}" = "{v}"' for k, v in value.items())
    path.write_text("\n".join(lines) + "\n")
    return path, parse(data, str(path))


def spool_jobs(spool: sp.Spool, jobs: int, pages: int) -> dict[str, str]:
    """Scanned jobs waiting in the spool; returns sha256 → job id of every document."""
    proc = process(repository="localhost")
    digests = {}
    n = 0
    for _ in range(jobs):
        job_id = spool.create_job(
            user_sid=User().sid,
            user_login="alice",
            job_name="J",
            process_name=proc.display_name,
            psp_identifier=proc.identifier,
            scan_repository="localhost",
            instructions_xml=PSP_INSTRUCTIONS,
            ticket={},
            format="jfif",
        )
        for _ in range(pages):
            n += 1
            src = spool.work_dir(job_id) / f"p{n}.jpg"
            write_jpeg(src, n)
            digests[hashlib.sha256(src.read_bytes()).hexdigest()] = job_id
            spool.add_document(job_id, src, format="jfif", pages=1)
        spool.finish_scan(job_id)
    return digests


PSP_INSTRUCTIONS = (
    '<psp:PostScanInstructions xmlns:psp="http://schemas.microsoft.com/windows/2008/02/imaging/postscan/psp">'
    "<psp:DocumentRootName>Kill</psp:DocumentRootName><psp:FiltersToProcess><psp:Filter>"
    "<psp:Dialect>http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/fileshare</psp:Dialect>"
    '<psp:Instructions><fsf:FileShareConfig xmlns:fsf="http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/fileshare">'
    "<fsf:FileShares><fsf:ShareUNC>\\\\localhost\\scans</fsf:ShareUNC></fsf:FileShares></fsf:FileShareConfig>"
    "</psp:Instructions></psp:Filter></psp:FiltersToProcess></psp:PostScanInstructions>"
)


def assert_each_document_once_in_a_completed_job(server, digests: dict[str, str]) -> None:
    seen: dict[str, int] = {}
    for record in server.records():
        if record["state"] == "Completed":
            for doc in record["documents"]:
                seen[doc["sha256"]] = seen.get(doc["sha256"], 0) + 1
    assert seen == {d: 1 for d in digests}


def worker(conf: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(conf), "run-worker", "--exit-when-idle"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_kill_test_sigkill_the_worker_at_random_points(tmp_path, scan_server):
    rng = random.Random(20261125)
    # Slow answers stretch every request, so the kills land inside them as well as between.
    # Strict: a document sent twice is refused and counted, not silently taken as a lost reply.
    scan_server.restart(delay_seconds=0.08, strict_resends=True)
    conf, settings = config(tmp_path, scan_server)
    spool = sp.Spool(settings.spool.directory)
    digests = spool_jobs(spool, jobs=5, pages=4)
    kills = 0
    progress = []  # documents acknowledged at each kill
    acked = lambda: sum(j.acked for j in spool.jobs())  # noqa: E731
    for _ in range(8):  # bounded: 8 kills at most, then a run to the end
        before = acked()
        proc = worker(conf)
        # Until this worker has made progress (its start-up time depends on the machine's load),
        # then a random moment later: inside a request or between two.
        deadline = time.monotonic() + 120
        while proc.poll() is None and acked() == before and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        progress.append(sum(j.acked for j in spool.jobs()))
    proc = worker(conf)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert kills >= 3 and any(0 < p < len(digests) for p in progress), progress  # killed mid-delivery
    jobs = spool.jobs()
    assert [j.state for j in jobs] == [sp.COMPLETED] * 5
    assert_each_document_once_in_a_completed_job(scan_server, digests)
    assert {j.job_token for j in jobs} <= {r["token"] for r in scan_server.records() if r["state"] == "Completed"}
    assert [r["resends"] for r in scan_server.records()] == [0] * len(scan_server.records())
    # And what reached the share: every document exactly once, nothing else.
    shared = sorted(hashlib.sha256(f.read_bytes()).hexdigest() for f in scan_server.shared_files())
    assert shared == sorted(digests)


def test_outage_jobs_scanned_while_the_server_is_down_are_all_delivered(tmp_path, scan_server):
    conf, settings = config(tmp_path, scan_server)
    scan_server.stop()
    engine = Engine(settings, FakeScanner([2, 3, 1]), encoder_factory=FakeEncoder)
    proc = process(repository="localhost")
    proc = type(proc)(
        **{
            **proc.__dict__,
            "instructions": type(proc.instructions)(document_root_name="Outage", filters=(), xml=PSP_INSTRUCTIONS),
        }
    )
    retries = []
    every_job_retried = threading.Event()

    def on_event(event):
        if event.kind == "retry":
            retries.append(event)
            if len({r.job_id for r in retries}) == 3:
                every_job_retried.set()

    engine.subscribe(on_event)
    jobs = []
    for _ in range(3):
        job = engine.start(User(), proc)
        job.scan_load()
        job.finish()
        jobs.append(job)
    assert every_job_retried.wait(10)
    assert all(j.record.state == sp.QUEUED for j in jobs)
    assert retries[0].message == "The scan server could not be reached."
    scan_server.start()
    finals = [j.wait(60) for j in jobs]
    engine.close()
    assert [f.state for f in finals] == [sp.COMPLETED] * 3
    completed = [r for r in scan_server.records() if r["state"] == "Completed"]
    assert sorted(len(r["documents"]) for r in completed) == [1, 2, 3]
    assert len({d["sha256"] for r in completed for d in r["documents"]}) == 6
    assert scan_server.shared_files()  # the file-share filter ran


def test_a_running_worker_process_delivers_what_another_process_scans(tmp_path, scan_server):
    import fcntl

    conf, settings = config(tmp_path, scan_server)
    sp.Spool(settings.spool.directory).close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(conf), "run-worker"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lock = Path(settings.spool.directory) / "worker.lock"
    deadline = time.monotonic() + 30
    while True:  # until the worker holds the delivery lock
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
        except BlockingIOError:
            break
        finally:
            os.close(fd)
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    try:
        engine = Engine(settings, FakeScanner([2, 1]), encoder_factory=FakeEncoder)
        assert not engine.delivering
        proc_ = process(repository="localhost")
        proc_ = type(proc_)(
            **{
                **proc_.__dict__,
                "instructions": type(proc_.instructions)(document_root_name="Two", filters=(), xml=PSP_INSTRUCTIONS),
            }
        )
        job = engine.start(User(), proc_)
        job.scan_load()
        # A later job, finished here, is delivered by the worker: every dispatch pass that took
        # it went over the older job first (jobs are listed oldest first), which is left alone
        # while it is still scanning in this process.
        later = engine.start(User(), proc_)
        later.scan_load()
        later.finish()
        assert later.wait(30).state == sp.COMPLETED
        assert [r["token"] for r in scan_server.records()] == [later.record.job_token]
        assert job.record.state == sp.SCANNING and job.record.job_token is None
        job.finish()
        final = job.wait(30)
        engine.close()
        assert final.state == sp.COMPLETED
        assert len(scan_server.record(final.job_token)["documents"]) == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0, proc.stderr.read().decode()[-2000:]


def test_strict_server_refuses_and_counts_an_identical_resend(tmp_path, scan_server):
    """The kill test's zero means something: the strict server does see a document sent twice,
    and the worker's duplicate rule still acknowledges it."""
    from kiosk.dsm.client import WsdspClient
    from kiosk.dsm.errors import InvalidArgs
    from tests.fixtures.scan_server import scan_server_settings
    from tests.integration.test_dsm_flow import PSP_ID, SID, instructions

    scan_server.restart(strict_resends=True)
    doc = tmp_path / "1.jpg"
    write_jpeg(doc, 1)
    with WsdspClient(scan_server.endpoint, scan_server_settings(scan_server)) as client:
        token = client.create_post_scan_job(SID, PSP_ID, instructions())
        client.send_image(token, 1, "jfif", doc)
        with pytest.raises(InvalidArgs):
            client.send_image(token, 1, "jfif", doc)
    record = scan_server.record(token)
    assert record["resends"] == 1 and len(record["documents"]) == 1


def test_sigterm_stops_run_worker_between_steps_and_the_next_worker_finishes_exactly_once(tmp_path, scan_server):
    scan_server.restart(delay_seconds=0.05, strict_resends=True)
    conf, settings = config(tmp_path, scan_server)
    spool = sp.Spool(settings.spool.directory)
    digests = spool_jobs(spool, jobs=3, pages=6)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(conf), "run-worker"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while sum(j.acked for j in spool.jobs()) == 0:  # until delivery is under way
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)  # as systemd stops it
        assert proc.wait(30) == 0, proc.stderr.read().decode()[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
    stopped = {j.job_id: j for j in spool.jobs()}
    assert any(not j.final for j in stopped.values())  # it stopped mid-way, not at the end
    for job in stopped.values():  # what the spool says was acknowledged is on the server
        if job.job_token:
            assert len(scan_server.record(job.job_token)["documents"]) >= job.acked
    again = worker(conf)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()[-2000:]
    assert [j.state for j in spool.jobs()] == [sp.COMPLETED] * 3
    assert_each_document_once_in_a_completed_job(scan_server, digests)
    assert sum(r["resends"] for r in scan_server.records()) == 0
