"""Wiring of the real parts for the headless commands (scan, run-worker, demo)."""

from __future__ import annotations

import time
from typing import Any

from kiosk.config import Settings
from kiosk.jobs import events as ev


def open_scanner(settings: Settings) -> Any:
    """The configured scanner driver, looked up by name (kiosk/drivers.py)."""
    from kiosk.drivers import open_scanner as by_name

    return by_name(settings)


class Timings:
    """Seconds from the Scan press to the pipeline's milestones, for the CLI's JSON summary and
    the benchmarks."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.marks: dict[str, float] = {}
        self.job_id: str | None = None

    def __call__(self, event: ev.JobEvent) -> None:
        if self.job_id is not None and event.job_id != self.job_id:
            return
        now = round(time.monotonic() - self.start, 3)
        if event.kind == ev.PAGE_SCANNED:
            self.marks.setdefault("first_page_scanned", now)
            self.marks["last_page_scanned"] = now
        elif event.kind == ev.DOCUMENT_STREAMING:
            self.marks.setdefault("first_page_sent", now)
        elif event.kind == ev.DOCUMENT_SENT:
            # A document sent whole: its first page reached the server with it.
            self.marks.setdefault("first_page_sent", now)
            self.marks.setdefault("first_send_image_acked", now)
            self.marks["last_send_image_acked"] = now
        elif event.kind == ev.STATE and event.state == "Processing":
            self.marks.setdefault("end_post_scan_job_acked", now)
        elif event.state in ("Completed", "Aborted", "Canceled", "Failed"):
            self.marks.setdefault("final_state", now)
