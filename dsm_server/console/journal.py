"""The scan server's journal as the console shows it: read-only, filtered, one page at a time."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.psp.model import NS_EMLF, NS_FSF, NS_SPF

PAGE_SIZE = 25
DIALECTS = {NS_FSF: "File share", NS_EMLF: "E-mail", NS_SPF: "SharePoint"}


@dataclass
class JobRow:
    token: str
    user_sid: str
    psp_identifier: str
    state: str
    reasons: list[str]
    filters: list[dict]
    created: str
    completed: str | None
    documents: int = 0
    size: int = 0
    #: The enrolled device that created the job (the scan server's job_trust table), when known.
    device: str = ""
    #: Filled by the console: the user's and the process's names.
    user_name: str = ""
    process_name: str = ""
    filter_names: list[str] = field(default_factory=list)


@dataclass
class DeviceJobs:
    """One device as the journal knows it: its jobs and the last one."""

    device: str
    jobs: int
    last: str


@dataclass
class Page:
    rows: list[JobRow]
    number: int
    has_next: bool
    total: int


class JournalReader:
    """Opens the SQLite journal read-only per query (the server keeps writing it, WAL mode)."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / "journal.sqlite3"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection | None]:
        if not self.path.exists():
            yield None
            return
        with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5)) as db:
            yield db

    @staticmethod
    def _has_devices(db: sqlite3.Connection) -> bool:
        # The scan server records each job's device in job_trust once device enrollment is on.
        return db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='job_trust'").fetchone() is not None

    def devices(self) -> list[DeviceJobs]:
        with self._connect() as db:
            if db is None or not self._has_devices(db):
                return []
            rows = db.execute(
                "SELECT t.device, count(*), max(j.created) FROM job_trust t JOIN jobs j ON j.token = t.token"
                " WHERE t.device != '' GROUP BY t.device ORDER BY max(j.created) DESC"
            ).fetchall()
        return [DeviceJobs(*r) for r in rows]

    def states(self) -> list[str]:
        with self._connect() as db:
            if db is None:
                return []
            return [r[0] for r in db.execute("SELECT DISTINCT state FROM jobs ORDER BY state")]

    def page(
        self,
        number: int = 1,
        *,
        state: str = "",
        user_sids: list[str] | None = None,
        psp_identifier: str = "",
        device: str = "",
        size: int = PAGE_SIZE,
    ) -> Page:
        number = max(1, number)
        where, args = [], []
        if state:
            where.append("j.state = ?")
            args.append(state)
        if user_sids is not None:
            where.append(f"j.user_sid IN ({','.join('?' * len(user_sids)) or 'NULL'})")
            args.extend(user_sids)
        if psp_identifier:
            # The device may send the identifier in upper case.
            where.append("lower(j.psp_identifier) = lower(?)")
            args.append(psp_identifier)
        with self._connect() as db:
            if db is None:
                return Page([], number, False, 0)
            devices = self._has_devices(db)
            join = " LEFT JOIN job_trust t ON t.token = j.token" if devices else ""
            device_column = "coalesce(t.device, '')" if devices else "''"
            if device:
                where.append("t.device = ?" if devices else "0")
                args.extend([device] if devices else [])
            clause = f"WHERE {' AND '.join(where)}" if where else ""
            total = db.execute(f"SELECT count(*) FROM jobs j{join} {clause}", args).fetchone()[0]
            rows = db.execute(
                "SELECT j.token, j.user_sid, j.psp_identifier, j.state, j.reasons, j.filters, j.created, j.completed,"
                " (SELECT count(*) FROM documents d WHERE d.token = j.token),"
                " (SELECT coalesce(sum(size), 0) FROM documents d WHERE d.token = j.token),"
                f" {device_column}"
                f" FROM jobs j{join} {clause} ORDER BY j.created DESC LIMIT ? OFFSET ?",
                [*args, size + 1, (number - 1) * size],
            ).fetchall()
        jobs = []
        for r in rows[:size]:
            filters = json.loads(r[5])
            jobs.append(
                JobRow(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    json.loads(r[4]),
                    filters,
                    r[6],
                    r[7],
                    r[8],
                    r[9],
                    r[10],
                    filter_names=[DIALECTS.get(f.get("dialect", ""), f.get("dialect", "")) for f in filters],
                )
            )
        return Page(jobs, number, len(rows) > size, total)
