"""The server's durable job journal: SQLite (WAL) in the state directory, documents beside it.

A job and each received document are committed before the reply leaves, so a restarted server
(even after SIGKILL) still knows every JobToken it handed out and every document it acknowledged.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kiosk.sqlite_schema import Step, migrate

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
