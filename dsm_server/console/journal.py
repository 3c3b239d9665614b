"""The scan server's journal as the console shows it: read-only, filtered, one page at a time."""

from __future__ import annotations

import json
import sqlite3
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
    #: Filled by the console: the user's and the process's names.
    user_name: str = ""
    process_name: str = ""
    filter_names: list[str] = field(default_factory=list)


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

    def _connect(self) -> sqlite3.Connection | None:
        if not self.path.exists():
            return None
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5)

    def states(self) -> list[str]:
        db = self._connect()
        if db is None:
            return []
        with db:
            return [r[0] for r in db.execute("SELECT DISTINCT state FROM jobs ORDER BY state")]

    def page(
        self,
        number: int = 1,
        *,
        state: str = "",
        user_sids: list[str] | None = None,
        psp_identifier: str = "",
        size: int = PAGE_SIZE,
    ) -> Page:
        db = self._connect()
        number = max(1, number)
        if db is None:
            return Page([], number, False, 0)
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
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with db:
            total = db.execute(f"SELECT count(*) FROM jobs j {clause}", args).fetchone()[0]
            rows = db.execute(
                "SELECT j.token, j.user_sid, j.psp_identifier, j.state, j.reasons, j.filters, j.created, j.completed,"
                " (SELECT count(*) FROM documents d WHERE d.token = j.token),"
                " (SELECT coalesce(sum(size), 0) FROM documents d WHERE d.token = j.token)"
                f" FROM jobs j {clause} ORDER BY j.created DESC LIMIT ? OFFSET ?",
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
                    filter_names=[DIALECTS.get(f.get("dialect", ""), f.get("dialect", "")) for f in filters],
                )
            )
        return Page(jobs, number, len(rows) > size, total)
