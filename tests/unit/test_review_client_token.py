"""Second reading of the kiosk's delivery: no JobToken in messages that reach the log above DEBUG,
and a growing document renamed into place just before its SendImage is a stopped stream, not a
spool error with a back-off (review)."""

from __future__ import annotations

import uuid

import pytest

from kiosk.config import ScanServerSettings
from kiosk.dsm import protocol as p
from kiosk.dsm.client import WsdspClient
from kiosk.errors import KioskError


def test_a_missing_document_is_reported_without_the_job_token(tmp_path):
    token = str(uuid.uuid4())
    with WsdspClient("http://127.0.0.1:9/dsp", ScanServerSettings(allow_http=True)) as c:
        with pytest.raises(KioskError) as info:
            c.send_image(token, 1, "pdf-a", tmp_path / "gone.pdf")
        assert token not in str(info.value)
        growing = p.GrowingFile(tmp_path / ".1.pdf.part", lambda fd: False)
        with pytest.raises(p.StreamStopped) as stopped:  # renamed into place meanwhile: send the finished file
            c.send_image(token, 1, "pdf-a", None, growing=growing)
        assert token not in str(stopped.value)


def test_a_forgotten_job_token_is_not_logged(tmp_path, caplog):
    import logging

    from kiosk.jobs import spool as sp
    from kiosk.jobs.worker import Worker
    from tests.fixtures.jobs_fakes import FakeServer
    from tests.fixtures.jobs_support import settings
    from tests.unit.test_jobs_recovery import SimulatedCrash, run_to_end, spooled_job

    server = FakeServer()
    cfg = settings(tmp_path).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path)

    def crash(name, _job):
        if name == "after_send":
            raise SimulatedCrash(name)

    with pytest.raises(SimulatedCrash):
        run_to_end(Worker(spool, server.client, cfg, crash=crash), job_id)
    token = spool.job(job_id).job_token
    server.jobs.clear()
    caplog.set_level(logging.DEBUG)
    run_to_end(Worker(spool, server.client, cfg), job_id)
    assert any("no longer knows" in r.getMessage() for r in caplog.records)
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO and token in r.getMessage()]
