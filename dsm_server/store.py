"""The server's durable job journal: SQLite (WAL) in the state directory, documents beside it.

A job and each received document are committed before the reply leaves, so a restarted server
(even after SIGKILL) still knows every JobToken it handed out and every document it acknowledged.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kiosk.sqlite_schema import Step, immediate, migrate

#: The journal's schema, one step per version (kiosk.sqlite_schema); append, never edit.
MIGRATIONS: list[Step] = [
    # 1: the schema from before versioning (an unversioned journal takes it as a no-op).
    (
        """
        CREATE TABLE IF NOT EXISTS jobs (
            token TEXT PRIMARY KEY,
            user_sid TEXT NOT NULL,
            psp_identifier TEXT NOT NULL,
            instructions TEXT NOT NULL,
            state TEXT NOT NULL,
            reasons TEXT NOT NULL DEFAULT '[]',
            filters TEXT NOT NULL DEFAULT '[]',
            created TEXT NOT NULL,
            completed TEXT
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS documents (
            token TEXT NOT NULL REFERENCES jobs(token),
            document_id INTEGER NOT NULL,
            format TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            path TEXT NOT NULL,
            received TEXT NOT NULL,
            PRIMARY KEY (token, document_id)
        )
        """,
    ),
    # 2: identical re-sends of a document, counted (faults.strict_resends) so tests see them.
    ("ALTER TABLE jobs ADD COLUMN resends INTEGER NOT NULL DEFAULT 0",),
    # 3: which device created a job (jobs are bound to it), its last request, purged documents.
    (
        """
        CREATE TABLE IF NOT EXISTS job_trust (
            token TEXT PRIMARY KEY REFERENCES jobs(token),
            device TEXT NOT NULL,
            last_activity REAL NOT NULL,
            purged INTEGER NOT NULL DEFAULT 0
        )
        """,
    ),
]


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Document:
    document_id: int
    format: str
    size: int
    sha256: str
    path: str


@dataclass
class Job:
    token: str
    user_sid: str
    psp_identifier: str
    instructions: str
    state: str
    reasons: list[str]
    filters: list[dict]
    created: str
    completed: str | None
    documents: list[Document] = field(default_factory=list)


class Journal:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.documents_dir = state_dir / "documents"
        self.documents_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(state_dir / "journal.sqlite3", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        migrate(self._db, MIGRATIONS, store=f"the journal in {state_dir}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def create(self, token: str, user_sid: str, psp_identifier: str, instructions: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO jobs (token, user_sid, psp_identifier, instructions, state, created) VALUES (?,?,?,?,?,?)",
                (token, user_sid, psp_identifier, instructions, "Started", now()),
            )

    def job(self, token: str) -> Job | None:
        with self._lock:
            row = self._db.execute(
                "SELECT token, user_sid, psp_identifier, instructions, state, reasons, filters, created, completed "
                "FROM jobs WHERE token=?",
                (token,),
            ).fetchone()
            if row is None:
                return None
            docs = self._db.execute(
                "SELECT document_id, format, size, sha256, path FROM documents WHERE token=? ORDER BY document_id",
                (token,),
            ).fetchall()
        token_, sid, psp, instructions, state, reasons, filters, created, completed = row
        docs_ = [Document(*d) for d in docs]
        return Job(
            token_, sid, psp, instructions, state, json.loads(reasons), json.loads(filters), created, completed, docs_
        )

    def tokens_in(self, state: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT token FROM jobs WHERE state=?", (state,))]

    def add_document(self, token: str, doc: Document) -> bool:
        """False when the DocumentId is already taken in this job."""
        with self._lock:
            try:
                self._db.execute(
                    "INSERT INTO documents (token, document_id, format, size, sha256, path, received)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (token, doc.document_id, doc.format, doc.size, doc.sha256, doc.path, now()),
                )
            except sqlite3.IntegrityError:
                return False
        return True

    def count_resend(self, token: str) -> None:
        with self._lock:
            self._db.execute("UPDATE jobs SET resends = resends + 1 WHERE token=?", (token,))

    def set_state(
        self,
        token: str,
        state: str,
        reasons: list[str] | None = None,
        filters: list[dict] | None = None,
        *,
        completed: bool = False,
        expect: tuple[str, ...] | None = None,
    ) -> bool:
        """Move a job to `state`; with `expect`, only from one of those states (False otherwise)."""
        sets = ["state=?"]
        args: list = [state]
        if reasons is not None:
            sets.append("reasons=?")
            args.append(json.dumps(reasons))
        if filters is not None:
            sets.append("filters=?")
            args.append(json.dumps(filters))
        if completed:
            sets.append("completed=?")
            args.append(now())
        where = "token=?"
        args.append(token)
        if expect:
            where += f" AND state IN ({','.join('?' * len(expect))})"
            args.extend(expect)
        with self._lock:
            cur = self._db.execute(f"UPDATE jobs SET {', '.join(sets)} WHERE {where}", args)
            return cur.rowcount == 1

    # -- trust (issue #14) ---------------------------------------------------------------------
    def create_bound(self, token: str, user_sid: str, psp_identifier: str, instructions: str, device: str) -> None:
        """create() and the job's device in one transaction (one fsync, not two)."""
        with self._lock, immediate(self._db):
            self._db.execute(
                "INSERT INTO jobs (token, user_sid, psp_identifier, instructions, state, created) VALUES (?,?,?,?,?,?)",
                (token, user_sid, psp_identifier, instructions, "Started", now()),
            )
            self._db.execute(
                "INSERT INTO job_trust (token, device, last_activity) VALUES (?,?,?)", (token, device, time.time())
            )

    def device_of(self, token: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT device FROM job_trust WHERE token=?", (token,)).fetchone()
        return row[0] if row else None

    def started_since(self) -> dict[str, float]:
        """Started jobs → when they were created (time.time(); 0 for jobs from before job_trust)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT j.token, COALESCE(t.last_activity, 0) FROM jobs j LEFT JOIN job_trust t ON t.token = j.token "
                "WHERE j.state='Started'"
            ).fetchall()
        return dict(rows)

    def ended_unpurged(self, older_than_seconds: float) -> list[str]:
        """Ended jobs whose documents are still kept, ended at least `older_than_seconds` ago."""
        cutoff = datetime.fromtimestamp(time.time() - older_than_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with self._lock:
            rows = self._db.execute(
                "SELECT j.token FROM jobs j LEFT JOIN job_trust t ON t.token = j.token "
                "WHERE j.state IN ('Completed','Aborted','Canceled') AND COALESCE(t.purged, 0) = 0 "
                "AND j.completed IS NOT NULL AND j.completed <= ?",
                (cutoff,),
            ).fetchall()
        return [r[0] for r in rows]

    def mark_purged(self, token: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO job_trust (token, device, last_activity, purged) VALUES (?, '', ?, 1) "
                "ON CONFLICT(token) DO UPDATE SET purged=1",
                (token, time.time()),
            )
