"""Exactly-once recovery: a delivery stopped dead at every crash point, then resumed by a fresh
worker on the same spool, leaves every document exactly once in one Completed server job."""

from __future__ import annotations

import errno

import pytest

from kiosk.jobs import spool as sp
from kiosk.jobs.worker import Worker
from tests.fixtures.jobs_fakes import FakeServer
from tests.fixtures.jobs_support import settings


class SimulatedCrash(BaseException):
    """Raised by a crash hook to stop a delivery dead at a named point (a BaseException, as a
    killed process is not an error the worker could record)."""


#: (crash point, which occurrence): SendImage happens once per document, the others once per job.
CASES = [(p, 1) for p in ("before_create", "after_create", "before_end", "after_end")] + [
    (p, hit) for p in ("before_send", "after_send") for hit in (1, 2, 3)
]


def spooled_job(spool: sp.Spool, tmp_path, pages: int = 3) -> str:
    job_id = spool.create_job(
        user_sid="S-1-5-21-1",
        user_login="alice",
        job_name="J",
        process_name="P",
        psp_identifier="c4f199c7-6876-4549-a86e-a85035952448",
        scan_repository="srv",
        instructions_xml="<i/>",
        ticket={},
        format="jfif",
    )
    for n in range(1, pages + 1):
        src = spool.work_dir(job_id) / f"p{n}"
        src.write_bytes(f"document {n}".encode())
        spool.add_document(job_id, src, format="jfif", pages=1)
    spool.finish_scan(job_id)
    return job_id


def run_to_end(worker: Worker, job_id: str) -> sp.JobRecord:
    for _ in range(50):
        worker.deliver(job_id)
        job = worker.spool.job(job_id)
        if job.final:
            return job
    raise AssertionError(f"job stuck in {job.state}")


def assert_exactly_once(server: FakeServer, pages: int) -> None:
    completed = [j for j in server.jobs.values() if j.state == "Completed"]
    assert len(completed) == 1
    assert sorted(completed[0].images) == list(range(1, pages + 1))
    assert completed[0].duplicates == 0
    assert sorted(server.completed_documents()) == sorted(f"document {n}".encode() for n in range(1, pages + 1))


@pytest.mark.parametrize(("point", "hit"), CASES)
def test_crash_at_each_point_then_resume(tmp_path, point, hit):
    server = FakeServer()
    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path)
    seen = {"n": 0}

    def crash(name, _job):
        if name == point:
            seen["n"] += 1
            if seen["n"] == hit:
                raise SimulatedCrash(name)

    with pytest.raises(SimulatedCrash):
        run_to_end(Worker(spool, server.client, cfg, crash=crash), job_id)
    spool.close()
    # The process is gone: a fresh spool handle and worker pick up from the manifest alone.
    spool = sp.Spool(cfg.directory)
    job = run_to_end(Worker(spool, server.client, cfg), job_id)
    assert job.state == sp.COMPLETED
    assert_exactly_once(server, 3)
    if point == "after_create":  # the unknown token's job holds nothing; a new one is used
        assert len(server.jobs) == 2
    else:
        assert len(server.jobs) == 1


def test_server_forgets_the_job_then_everything_goes_again_under_a_new_token(tmp_path):
    server = FakeServer()
    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path)

    def crash(name, _job):
        if name == "after_send":
            raise SimulatedCrash(name)

    with pytest.raises(SimulatedCrash):
        run_to_end(Worker(spool, server.client, cfg, crash=crash), job_id)
    server.jobs.clear()  # the server restarted and lost its open jobs
    job = run_to_end(Worker(spool, server.client, cfg), job_id)
    assert job.state == sp.COMPLETED and job.tokens_used == 2
    assert_exactly_once(server, 3)


def test_job_timed_out_on_the_server_during_an_outage_is_sent_again(tmp_path):
    server = FakeServer()
    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path)
    calls = {"n": 0}

    def crash(name, _job):
        if name == "after_send":
            calls["n"] += 1
            if calls["n"] == 2:
                raise SimulatedCrash(name)

    with pytest.raises(SimulatedCrash):
        run_to_end(Worker(spool, server.client, cfg, crash=crash), job_id)
    (old,) = server.jobs.values()
    old.state = "Aborted"
    job = run_to_end(Worker(spool, server.client, cfg), job_id)
    assert job.state == sp.COMPLETED
    assert_exactly_once(server, 3)
    assert old.state == "Aborted" and len(old.images) == 2  # never in a Completed job


def test_a_document_renamed_into_place_without_its_row_is_adopted(tmp_path):
    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    job_id = spool.create_job(
        user_sid="S",
        user_login="a",
        job_name="J",
        process_name="P",
        psp_identifier="x",
        scan_repository="srv",
        instructions_xml="<i/>",
        ticket={},
        format="jfif",
    )
    src = spool.work_dir(job_id) / "p1"
    src.write_bytes(b"one")
    spool.add_document(job_id, src, format="jfif", pages=1)
    (spool.job_dir(job_id) / "2.jpg").write_bytes(b"two")  # crash after the rename, before the row
    (spool.job_dir(job_id) / "work" / "3.part").write_bytes(b"half")  # crash mid-write: not a document
    # What the delivering process does with a Scanning job whose scan.lock nobody holds.
    assert Worker(spool, FakeServer().client, settings(tmp_path).spool)._scan_abandoned(job_id)
    docs = spool.documents(job_id)
    assert [(d.document_id, d.path.read_bytes()) for d in docs] == [(1, b"one"), (2, b"two")]
    job = spool.job(job_id)
    assert job.state == sp.QUEUED and "interrupted" in job.reason
    assert not (spool.job_dir(job_id) / "work").exists()


def test_a_sendimage_that_lands_after_the_check_is_not_a_failure(tmp_path):
    server = FakeServer()
    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path)

    def crash(name, _job):
        if name == "before_send":
            raise SimulatedCrash(name)

    with pytest.raises(SimulatedCrash):
        run_to_end(Worker(spool, server.client, cfg, crash=crash), job_id)
    landed = {"done": False}

    def late(name, _job):  # the dead process's upload is committed only now, after the check
        if name == "before_send" and not landed["done"]:
            landed["done"] = True
            (sjob,) = server.jobs.values()
            sjob.images[1] = b"document 1"

    job = run_to_end(Worker(spool, server.client, cfg, crash=late), job_id)
    (sjob,) = server.jobs.values()
    assert job.state == sp.COMPLETED and sjob.state == "Completed"
    assert sjob.images == {n: f"document {n}".encode() for n in (1, 2, 3)} and sjob.duplicates == 1


def test_a_cancel_at_the_device_wins_over_a_delivery_step_in_flight(tmp_path):
    from kiosk.errors import DeliveryError

    server = FakeServer()
    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path)

    def cancel_meanwhile(name, _job):
        if name == "before_end":  # the user cancels; the server then refuses our EndPostScanJob
            spool.set_final(job_id, sp.CANCELED, "canceled at the device")
            server.fail_next["end"] = DeliveryError("job already canceled", retryable=False)

    Worker(spool, server.client, cfg, crash=cancel_meanwhile).deliver(job_id)
    job = spool.job(job_id)
    assert job.state == sp.CANCELED and job.reason == "canceled at the device"


def test_a_document_removed_by_hand_fails_the_job_instead_of_retrying_forever(tmp_path):
    server = FakeServer()
    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path)
    spool.documents(job_id)[1].path.unlink()
    job = run_to_end(Worker(spool, server.client, cfg), job_id)
    assert job.state == sp.FAILED and "document 2" in job.reason and "missing" in job.reason


@pytest.mark.parametrize(
    ("failure", "free", "waits"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), None, True),
        (RuntimeError("tiff codec initialization failed"), 1024, True),  # no errno: by free space
        (OSError("encoder error -9 when writing image file"), 1024, True),
        (OSError(errno.EIO, "Input/output error"), None, False),
        (RuntimeError("tiff codec initialization failed"), 1 << 40, False),
    ],
)
def test_an_interrupted_scan_on_a_full_disk_waits_instead_of_setting_its_pages_aside(
    tmp_path, monkeypatch, failure, free, waits
):
    """Completing an interrupted scan runs out of space (an errno says so, or a codec fails
    without one while the disk has no room for a page): the work folder stays for the next
    attempt, the job is not finished without its pages. Other failures still set it aside."""
    import shutil

    from kiosk import imaging

    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path, pages=1)
    spool._update(job_id, scan_done=0, state=sp.SCANNING)  # its scanning process died
    work = spool.work_dir(job_id)
    (work / "page-0002.pnm").write_bytes(b"P5\n1 1\n255\n\0")

    def recover(*args, **kwargs):
        raise failure

    monkeypatch.setattr(imaging, "recover", recover)
    if free is not None:
        usage = shutil.disk_usage(work)
        monkeypatch.setattr(sp.shutil, "disk_usage", lambda path: usage._replace(free=free))
    worker = Worker(spool, FakeServer().client, cfg)
    abandoned = worker._scan_abandoned(job_id)
    job = spool.job(job_id)
    kept = (spool.job_dir(job_id) / "unrecovered-work" / "page-0002.pnm").exists()
    if waits:
        assert not abandoned and job.state == sp.SCANNING and (work / "page-0002.pnm").exists() and not kept
    else:
        assert abandoned and job.state == sp.QUEUED and kept
