"""Logging set-up. Logs go to stderr or journald; never a password, never image bytes.

While a job is being worked on (`job_context`), every record carries the job as structured
fields for the journal: `JOB_ID` always, `JOB_TOKEN` on DEBUG records only — a JobToken is a
capability for the job, so it never goes out above DEBUG (`journalctl JOB_ID=…` finds a job's
whole story). python-systemd's JournalHandler sends a record's upper-case attributes as fields.
"""

from __future__ import annotations

import contextvars
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.config import LogSettings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_job: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar("dsm_job", default=None)


@contextmanager
def job_context(job_id: str, job_token: str | None = None) -> Iterator[None]:
    """Records logged inside carry the job's structured fields (this thread or task only)."""
    reset = _job.set((job_id, job_token))
    try:
        yield
    finally:
        _job.reset(reset)


class JobFields(logging.Filter):
    """Adds JOB_ID (and, at DEBUG, JOB_TOKEN) to records logged inside a `job_context`."""

    def filter(self, record: logging.LogRecord) -> bool:
        job = _job.get()
        if job is not None:
            record.JOB_ID = job[0]
            if job[1] and record.levelno <= logging.DEBUG:
                record.JOB_TOKEN = job[1]
        return True


def setup(settings: LogSettings) -> None:
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler: logging.Handler | None = None
    if settings.destination == "journald":
        try:  # python-systemd is optional: it exists on the device image, not in every venv
            from systemd.journal import JournalHandler  # type: ignore[import-not-found]

            handler = JournalHandler(SYSLOG_IDENTIFIER="dsm-kiosk")
            handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        except ImportError:
            handler = None
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(JobFields())
    root.addHandler(handler)
    root.setLevel(settings.level)
