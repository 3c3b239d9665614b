"""Per-user job history (SQLite under [spool] state_directory), kept for history_days.

Its rows follow the spool's (one retention rule, kiosk.jobs.spool.Spool.purge): a job ends in
both after history_days, and a job deleted from "My jobs" leaves both at once."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from kiosk.errors import SpoolError
from kiosk.jobs.spool import JobRecord, private_dir
from kiosk.sqlite_schema import Step, migrate

#: The history's schema, one step per version (kiosk.sqlite_schema); append, never edit.
MIGRATIONS: list[Step] = [
    # 1: the schema from before versioning (an unversioned history takes it as a no-op).
    (
        """
        CREATE TABLE IF NOT EXISTS history (
            job_id TEXT PRIMARY KEY,
            user_sid TEXT NOT NULL,
            user_login TEXT NOT NULL,
            job_name TEXT NOT NULL,
            process_name TEXT NOT NULL,
            pages INTEGER NOT NULL,
            documents INTEGER NOT NULL,
            documents_sent INTEGER NOT NULL,
            state TEXT NOT NULL,
            server_state TEXT,
            job_state_reasons TEXT,
            reason TEXT,
            filter_statuses TEXT,
            job_token TEXT,
            created REAL NOT NULL,
            updated REAL NOT NULL,
            ended REAL
        )
        """,
        "CREATE INDEX IF NOT EXISTS history_user ON history(user_sid, created)",
    ),
]


class History:
    def __init__(self, state_directory: str | os.PathLike[str], *, days: int) -> None:
        try:
            folder = private_dir(Path(state_directory))
        except OSError as exc:
            raise SpoolError(f"cannot use the state directory {state_directory}: {exc.strerror}") from None
        path = folder / "history.sqlite3"
        old_umask = os.umask(0o077)
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            migrate(self._db, MIGRATIONS, store=f"the job history {path}")
        except sqlite3.Error as exc:
            raise SpoolError(f"cannot open the job history {path}: {exc}") from None
        finally:
            os.umask(old_umask)
        self.days = days
        self._lock = threading.Lock()

    def record(self, job: JobRecord) -> None:
        # A finished job's row keeps its document count after the files are gone.
        with self._lock:
            self._db.execute(
                "INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(job_id) DO UPDATE SET"
                " pages=excluded.pages, documents=MAX(documents, excluded.documents),"
                " documents_sent=MAX(documents_sent, excluded.documents_sent), state=excluded.state,"
                " server_state=excluded.server_state, job_state_reasons=excluded.job_state_reasons,"
                " reason=excluded.reason,"
                " filter_statuses=excluded.filter_statuses, job_token=excluded.job_token,"
                " updated=excluded.updated, ended=excluded.ended",
                (
                    job.job_id,
                    job.user_sid,
                    job.user_login,
                    job.job_name,
                    job.process_name,
                    job.pages,
                    job.documents,
                    job.acked,
                    job.state,
                    job.server_state,
                    json.dumps(job.server_reasons),
                    job.reason,
                    json.dumps(job.filter_statuses),
                    job.job_token,
                    job.created,
                    job.updated,
                    job.ended,
                ),
            )

    def for_user(self, user_sid: str) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._db.execute("SELECT * FROM history WHERE user_sid = ? ORDER BY created DESC", (user_sid,))
            names = [c[0] for c in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        for row in rows:
            row["filter_statuses"] = json.loads(row["filter_statuses"] or "[]")
            row["job_state_reasons"] = json.loads(row["job_state_reasons"] or "[]")
        return rows

    def purge(self, now: float | None = None) -> int:
        cutoff = (now or time.time()) - self.days * 86400
        with self._lock:
            return self._db.execute("DELETE FROM history WHERE COALESCE(ended, updated) < ?", (cutoff,)).rowcount

    def forget(self, job_id: str) -> None:
        """The job was deleted (from My jobs or the queue command)."""
        with self._lock:
            self._db.execute("DELETE FROM history WHERE job_id = ?", (job_id,))

    def close(self) -> None:
        self._db.close()
