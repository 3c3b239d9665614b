"""The engine's jobs as WS-Scan sees them: integer JobIds, JobState and reasons, summaries.

The engine names jobs by text ids; WS-DSD needs an int 1..2^31-1, so each job gets one here,
kept in `<state_directory>/device-jobs.sqlite3` with the job's last WS-Scan view (the history
outlives the spool, which drops a job's files once delivered). Fed by `Engine.subscribe`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError, SpoolError
from kiosk.jobs import spool as sp
from kiosk.jobs.events import JobEvent

log = logging.getLogger("kiosk.device.jobs")

FILE_NAME = "device-jobs.sqlite3"
END_STATES = ("Completed", "Aborted", "Canceled")

#: Local state → (WS-Scan JobState, JobStateReasons).
STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    sp.SCANNING: ("Processing", ("JobScanning",)),
    sp.QUEUED: ("Processing", ("JobTransferring",)),
    sp.ENDING: ("Processing", ("JobTransferring",)),
    sp.PROCESSING: ("Processing", ("JobTransferring",)),
    sp.COMPLETED: ("Completed", ("JobCompletedSuccessfully",)),
    sp.ABORTED: ("Aborted", ("JobCompletedWithErrors",)),
    sp.CANCELED: ("Canceled", ("JobCanceledAtDevice",)),
    sp.FAILED: ("Aborted", ("JobCompletedWithErrors",)),
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    wscn_id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    user TEXT NOT NULL,
    state TEXT NOT NULL,
    reasons TEXT NOT NULL,
    scans INTEGER NOT NULL,
    created REAL NOT NULL,
    completed REAL,
    ticket TEXT NOT NULL,
    format TEXT NOT NULL,
    documents TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class JobView:
    wscn_id: int
    job_id: str
    name: str
    user: str
    state: str
    reasons: tuple[str, ...]
    scans: int
    created: float
    completed: float | None
    #: The ticket the job used (the spool's `dataclasses.asdict` of the ScanTicket).
    ticket: dict[str, Any] = field(default_factory=dict)
    format: str = ""
    #: (DocumentId, pages) of each stored document.
    documents: tuple[tuple[int, int], ...] = ()

    @property
    def ended(self) -> bool:
        return self.state in END_STATES


Listener = Callable[[JobView], None]


class DeviceJobs:
    def __init__(self, state_directory: Path, *, keep: int = 200, spool: Any = None) -> None:
        path = Path(state_directory) / FILE_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise SpoolError(f"cannot open the device job table {path}: {exc}") from None
        self.keep = keep
        self.spool = spool
        self._lock = threading.Lock()
        self._emit_lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # -- from the engine ---------------------------------------------------------------------
    def on_event(self, event: JobEvent) -> None:
        """Engine.subscribe callback: update the job's row; listeners get a view that changed."""
        if self.spool is None:
            return
        # One event at a time from reading the record to queueing its event: the engine's threads
        # (scan, encoder, worker) must not overtake each other, or a subscriber sees states go back.
        with self._emit_lock:
            try:
                record = self.spool.job(event.job_id)
                documents = tuple((d.document_id, d.pages) for d in self.spool.documents(event.job_id))
            except KioskError:
                return  # deleted meanwhile
            view = self.record(record, documents)
            if view is not None:
                for listener in list(self._listeners):
                    try:
                        listener(view)
                    except Exception:
                        log.exception("device job listener failed")

    def record(self, record: sp.JobRecord, documents: tuple[tuple[int, int], ...] = ()) -> JobView | None:
        """Store the WS-Scan view of `record`; the view when it differs from the stored one."""
        state, reasons = STATES.get(record.state, ("Processing", ()))
        if record.state == sp.ABORTED and record.server_reasons:
            reasons = tuple(record.server_reasons)
        completed = record.ended if state in END_STATES else None
        ticket = record.ticket.get("ticket", {}) if isinstance(record.ticket, dict) else {}
        user = (ticket.get("job_originating_user_name") if isinstance(ticket, dict) else None) or record.user_login
        with self._lock:
            old = self._get("job_id = ?", record.job_id)
            if old is not None and (old.state, old.reasons, old.scans, old.documents) == (
                state,
                reasons,
                record.pages,
                documents or old.documents,
            ):
                return None
            self._db.execute(
                "INSERT INTO jobs (job_id, name, user, state, reasons, scans, created, completed, ticket, format,"
                " documents) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(job_id) DO UPDATE SET state=excluded.state,"
                " reasons=excluded.reasons, scans=excluded.scans, completed=excluded.completed,"
                " documents=excluded.documents",
                (
                    record.job_id,
                    record.job_name[:255],
                    user[:255],
                    state,
                    json.dumps(list(reasons)),
                    record.pages,
                    record.created,
                    completed,
                    json.dumps(ticket),
                    record.format,
                    json.dumps([list(d) for d in (documents or (old.documents if old else ()))]),
                ),
            )
            self._db.execute(
                "DELETE FROM jobs WHERE completed IS NOT NULL AND wscn_id NOT IN"
                " (SELECT wscn_id FROM jobs WHERE completed IS NOT NULL ORDER BY wscn_id DESC LIMIT ?)",
                (self.keep,),
            )
            return self._get("job_id = ?", record.job_id)

    # -- for WS-DSD --------------------------------------------------------------------------
    def _get(self, where: str, *args: Any) -> JobView | None:
        rows = self._select(where, *args)
        return rows[0] if rows else None

    def _select(self, where: str, *args: Any) -> list[JobView]:
        cur = self._db.execute(f"SELECT * FROM jobs WHERE {where}", args)  # noqa: S608 — fixed clauses only
        return [
            JobView(
                wscn_id=r[0],
                job_id=r[1],
                name=r[2],
                user=r[3],
                state=r[4],
                reasons=tuple(json.loads(r[5])),
                scans=r[6],
                created=r[7],
                completed=r[8],
                ticket=json.loads(r[9]),
                format=r[10],
                documents=tuple((int(a), int(b)) for a, b in json.loads(r[11])),
            )
            for r in cur.fetchall()
        ]

    def get(self, wscn_id: int) -> JobView | None:
        with self._lock:
            return self._get("wscn_id = ?", wscn_id)

    def active(self) -> list[JobView]:
        with self._lock:
            return self._select("completed IS NULL ORDER BY wscn_id")

    def history(self) -> list[JobView]:
        with self._lock:
            return self._select("completed IS NOT NULL ORDER BY wscn_id DESC")

    def close(self) -> None:
        self._db.close()


def now() -> float:
    return time.time()
