"""Jobs: the pipelined, durable scan-and-deliver engine (no Qt)."""

from kiosk.jobs.engine import Engine, ScanJob
from kiosk.jobs.events import JobEvent

__all__ = ["Engine", "JobEvent", "ScanJob"]
