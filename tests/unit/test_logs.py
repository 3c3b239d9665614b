"""Records logged while a job is worked on carry it as structured journal fields: JOB_ID always,
JOB_TOKEN only at DEBUG (a JobToken is a capability for the job)."""

from __future__ import annotations

import logging

from kiosk import logs
from kiosk.config import LogSettings
from kiosk.jobs import spool as sp
from kiosk.jobs.worker import Worker
from tests.fixtures.jobs_fakes import FakeServer
from tests.fixtures.jobs_support import settings
from tests.unit.test_jobs_recovery import spooled_job
from tests.unit.test_jobs_worker import RaisingClient


class Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.addFilter(logs.JobFields())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def kept(name: str) -> tuple[logging.Logger, Keep]:
    keep = Keep()
    logger = logging.getLogger(name)
    logger.addHandler(keep)
    logger.setLevel(logging.DEBUG)
    return logger, keep


def test_fields_inside_a_job_and_none_outside():
    log, keep = kept("test.logs.fields")
    try:
        with logs.job_context("job-1", "uuid:secret-token"):
            log.info("info inside")
            log.debug("debug inside")
        log.info("outside")
    finally:
        log.removeHandler(keep)
    inside, debug, outside = keep.records
    assert inside.JOB_ID == "job-1" and not hasattr(inside, "JOB_TOKEN")  # type: ignore[attr-defined]
    assert debug.JOB_ID == "job-1" and debug.JOB_TOKEN == "uuid:secret-token"  # type: ignore[attr-defined]
    assert not hasattr(outside, "JOB_ID")


def test_the_worker_logs_a_delivery_under_its_job(tmp_path):
    cfg = settings(tmp_path, retry_initial_seconds=30, retry_max_seconds=60).spool
    spool = sp.Spool(cfg.directory)
    job_id = spooled_job(spool, tmp_path, pages=1)
    worker = Worker(spool, lambda _repo: RaisingClient(FakeServer(), {"send": 0}, times=1), cfg)
    log, keep = kept("kiosk.jobs")
    try:
        worker.deliver(job_id)
    finally:
        log.removeHandler(keep)
    retry = [r for r in keep.records if r.levelno >= logging.WARNING]
    assert retry and all(r.JOB_ID == job_id for r in retry)  # type: ignore[attr-defined]


def test_setup_gives_every_destination_the_job_fields():
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    try:
        logs.setup(LogSettings(destination="stderr"))
        assert all(any(isinstance(f, logs.JobFields) for f in h.filters) for h in root.handlers)
    finally:
        for h in list(root.handlers):
            root.removeHandler(h)
        for h in saved:
            root.addHandler(h)
        root.setLevel(level)
