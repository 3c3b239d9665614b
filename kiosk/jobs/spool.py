"""The durable spool: an SQLite manifest (WAL, synchronous=FULL) plus one file per document.

Layout under the spool directory (0700; every file 0600):
    spool.sqlite3            the manifest
    jobs/<job-id>/<n>.<ext>  document n of a job, complete when its row exists
    jobs/<job-id>/work/      scanner pages and encoder output before they become documents
    worker.lock              held (flock) by the one process that delivers

Every step is committed here before it is acted on, and every fact learnt from the server is
committed as soon as it is known; ARCHITECTURE.md ("Spool and recovery") gives the rule that
turns these facts back into exactly-once delivery after a crash at any point.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.durable import fsync_dir
from kiosk.errors import SpoolError
from kiosk.sqlite_schema import Step, immediate, migrate

log = logging.getLogger(__name__)

# Local job states. The server's end states keep the server's names.
SCANNING = "Scanning"  # pages still being added; delivery may already run
QUEUED = "Queued"  # scan finished, documents not all acknowledged
ENDING = "Ending"  # every document acknowledged, EndPostScanJob not yet acknowledged
PROCESSING = "Processing"  # EndPostScanJob acknowledged, waiting for the server's end state
COMPLETED = "Completed"
ABORTED = "Aborted"
CANCELED = "Canceled"
FAILED = "Failed"  # a permanent failure; documents kept for resend or delete

FINAL_STATES = frozenset({COMPLETED, ABORTED, CANCELED, FAILED})
#: States in which the worker has something to do.
ACTIVE_STATES = frozenset({SCANNING, QUEUED, ENDING, PROCESSING})

#: The manifest's schema, one step per version (kiosk.sqlite_schema); append, never edit.
MIGRATIONS: list[Step] = [
    # 1: the schema from before versioning (an unversioned spool takes it as a no-op).
    (
        """
        CREATE TABLE IF NOT EXISTS jobs (
            job_id TEXT PRIMARY KEY,
            user_sid TEXT NOT NULL,
            user_login TEXT NOT NULL,
            job_name TEXT NOT NULL,
            process_name TEXT NOT NULL,
            psp_identifier TEXT NOT NULL,
            scan_repository TEXT NOT NULL,
            instructions_xml TEXT NOT NULL,
            ticket_json TEXT NOT NULL,
            format TEXT NOT NULL,
            state TEXT NOT NULL,
            scan_done INTEGER NOT NULL DEFAULT 0,
            pages INTEGER NOT NULL DEFAULT 0,
            job_token TEXT,
            tokens_used INTEGER NOT NULL DEFAULT 0,
            end_acked INTEGER NOT NULL DEFAULT 0,
            server_state TEXT,
            server_reasons TEXT,
            reason TEXT,
            last_error TEXT,
            filter_statuses TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt REAL NOT NULL DEFAULT 0,
            created REAL NOT NULL,
            updated REAL NOT NULL,
            ended REAL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS documents (
            job_id TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL,
            format TEXT NOT NULL,
            file TEXT NOT NULL,
            pages INTEGER NOT NULL,
            size INTEGER NOT NULL,
            acked INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (job_id, document_id)
        )
        """,
    ),
    # 2: the dispatcher asks for the active jobs every second.
    ("CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state)",),
]


class DocumentMissing(SpoolError):
    """A document file of an unfinished job is gone (removed by hand): no retry brings it back."""

    default_user_message = "Scanned pages of this job are missing; please scan again."


@dataclass(frozen=True)
class DocumentRecord:
    job_id: str
    document_id: int
    format: str
    path: Path
    pages: int
    size: int
    acked: bool


@dataclass(frozen=True)
class JobRecord:
    job_id: str
    user_sid: str
    user_login: str
    job_name: str
    process_name: str
    psp_identifier: str
    scan_repository: str
    instructions_xml: str
    ticket: dict[str, Any]
    format: str
    state: str
    scan_done: bool
    pages: int
    job_token: str | None
    tokens_used: int
    end_acked: bool
    server_state: str | None
    server_reasons: list[str]
    #: Why the job is Failed, went out again, or was cut short; None when nothing to say.
    reason: str | None
    #: The last retryable failure (cleared by progress).
    last_error: str | None
    filter_statuses: list[dict[str, Any]]
    attempts: int
    next_attempt: float
    created: float
    updated: float
    ended: float | None
    documents: int = 0
    acked: int = 0

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    def summary(self) -> dict[str, Any]:
        """JSON-ready description (CLI, history)."""
        return {
            "job_id": self.job_id,
            "user": self.user_login,
            "job_name": self.job_name,
            "process": self.process_name,
            "state": self.state,
            "job_token": self.job_token,
            "pages": self.pages,
            "documents": self.documents,
            "documents_sent": self.acked,
            "reason": self.reason,
            "last_error": self.last_error,
            "server_state": self.server_state,
            "job_state_reasons": self.server_reasons,
            "filter_statuses": self.filter_statuses,
            "attempts": self.attempts,
            "created": self.created,
            "ended": self.ended,
        }


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


class Spool:
    """The manifest and the document files. Thread-safe; several processes may open one spool
    (SQLite arbitrates), but only the holder of worker.lock delivers."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        try:
            self.root = private_dir(Path(directory))
            self.jobs_dir = private_dir(self.root / "jobs")
        except OSError as exc:
            raise SpoolError(f"cannot use the spool directory {directory}: {exc.strerror}") from None
        db = self.root / "spool.sqlite3"
        old_umask = os.umask(0o077)  # the database and its -wal/-shm files are born 0600
        try:
            self._db = sqlite3.connect(db, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk when it returns, so "recorded before acted on" holds
            # across power loss, not only process crashes.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            migrate(self._db, MIGRATIONS, store=f"the spool {db}")
        except sqlite3.Error as exc:
            raise SpoolError(f"cannot open the spool database {db}: {exc}") from None
        finally:
            os.umask(old_umask)
        os.chmod(db, 0o600)
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- low level ---------------------------------------------------------------------------

    def _write(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(args))
            except sqlite3.Error as exc:
                raise SpoolError(f"spool database write failed: {exc}") from None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Several statements as one step: all or none reach the disk."""
        with self._lock:
            try:
                with immediate(self._db):
                    yield
            except sqlite3.Error as exc:
                raise SpoolError(f"spool database write failed: {exc}") from None

    def _update(self, job_id: str, **fields: Any) -> None:
        fields["updated"] = time.time()
        cols = ", ".join(f"{k} = ?" for k in fields)
        self._write(f"UPDATE jobs SET {cols} WHERE job_id = ?", [*fields.values(), job_id])

    def job_dir(self, job_id: str) -> Path:
        return self.jobs_dir / job_id

    def work_dir(self, job_id: str) -> Path:
        return private_dir(self.job_dir(job_id) / "work")

    # -- jobs ----------------------------------------------------------------------------------

    def create_job(
        self,
        *,
        user_sid: str,
        user_login: str,
        job_name: str,
        process_name: str,
        psp_identifier: str,
        scan_repository: str,
        instructions_xml: str,
        ticket: dict[str, Any],
        format: str,
    ) -> str:
        job_id = uuid.uuid4().hex
        private_dir(self.job_dir(job_id))
        fsync_dir(self.jobs_dir)
        now = time.time()
        self._write(
            "INSERT INTO jobs (job_id, user_sid, user_login, job_name, process_name, psp_identifier,"
            " scan_repository, instructions_xml, ticket_json, format, state, created, updated)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                job_id,
                user_sid,
                user_login,
                job_name,
                process_name,
                psp_identifier,
                scan_repository,
                instructions_xml,
                json.dumps(ticket, default=str),
                format,
                SCANNING,
                now,
                now,
            ],
        )
        return job_id

    def add_document(self, job_id: str, source: Path, *, format: str, pages: int) -> DocumentRecord:
        """Make `source` (a finished file, usually in the job's work folder) the job's next
        document: fsync, atomic rename to <n>.<ext>, then the row. A crash between rename and row
        leaves a complete file that recover() adopts."""
        with self._lock:
            n = self._next_document_id(job_id)
            target = self.job_dir(job_id) / f"{n}{_extension(format, source)}"
            renamed = False
            try:
                with open(source, "rb+") as fh:
                    os.fsync(fh.fileno())
                os.chmod(source, 0o600)
                os.replace(source, target)
                renamed = True
                fsync_dir(target.parent)
                size = target.stat().st_size
                self._write(
                    "INSERT INTO documents (job_id, document_id, format, file, pages, size) VALUES (?,?,?,?,?,?)",
                    [job_id, n, format, target.name, pages, size],
                )
            except (OSError, SpoolError) as exc:
                if renamed:
                    # Back where it came from, so that the caller can store it again as the
                    # same next document: left in place, the next document would take n + 1.
                    with contextlib.suppress(OSError):
                        os.replace(target, source)
                if isinstance(exc, SpoolError):
                    raise
                raise SpoolError(
                    f"cannot store document {n} of job {job_id}: {exc}",
                    user_message="The kiosk cannot store scanned pages (disk full?).",
                ) from None
            return DocumentRecord(job_id, n, format, target, pages, size, False)

    def _next_document_id(self, job_id: str) -> int:
        row = self._db.execute(
            "SELECT COALESCE(MAX(document_id), 0) FROM documents WHERE job_id = ?", (job_id,)
        ).fetchone()
        taken = {int(p.name.split(".")[0]) for p in self.job_dir(job_id).glob("*.*") if p.name.split(".")[0].isdigit()}
        return max([row[0], *taken]) + 1

    def add_pages(self, job_id: str, count: int) -> None:
        self._write("UPDATE jobs SET pages = pages + ?, updated = ? WHERE job_id = ?", [count, time.time(), job_id])

    def finish_scan(self, job_id: str, reason: str | None = None) -> None:
        with self._lock:
            job = self.job(job_id)
            fields: dict[str, Any] = {"scan_done": 1}
            if job.state == SCANNING:
                fields["state"] = QUEUED
            if reason:
                fields["reason"] = reason
            self._update(job_id, **fields)
        work = self.job_dir(job_id) / "work"
        # Page files no encoder could read stay with the job (until its files go) for the
        # administrator to look at; everything else in work/ is in a document now.
        for path in work.glob("*.unreadable") if work.is_dir() else []:
            with contextlib.suppress(OSError):
                (self.job_dir(job_id) / "unreadable").mkdir(mode=0o700, exist_ok=True)
                os.replace(path, self.job_dir(job_id) / "unreadable" / path.name)
        shutil.rmtree(work, ignore_errors=True)

    def set_token(self, job_id: str, token: str) -> None:
        self._write(
            "UPDATE jobs SET job_token = ?, tokens_used = tokens_used + 1, attempts = 0, last_error = NULL,"
            " updated = ? WHERE job_id = ?",
            [token, time.time(), job_id],
        )

    def forget_token(self, job_id: str, reason: str) -> None:
        """The server no longer holds the job: everything is delivered again under a new token."""
        with self._transaction():
            self._write("UPDATE documents SET acked = 0 WHERE job_id = ?", [job_id])
            job = self.job(job_id)
            self._update(
                job_id,
                job_token=None,
                end_acked=0,
                server_state=None,
                reason=reason,
                state=QUEUED if job.scan_done else SCANNING,
            )

    def ack_documents(self, job_id: str, up_to: int) -> None:
        """Documents 1..up_to are acknowledged (documents of a job go in DocumentId order)."""
        with self._transaction():
            self._write("UPDATE documents SET acked = 1 WHERE job_id = ? AND document_id <= ?", [job_id, up_to])
            self._write(
                "UPDATE jobs SET attempts = 0, last_error = NULL, updated = ? WHERE job_id = ?", [time.time(), job_id]
            )
            job = self.job(job_id)
            if job.scan_done and job.state == QUEUED and job.acked == job.documents:
                self._update(job_id, state=ENDING)

    def mark_ending(self, job_id: str) -> None:
        self._update(job_id, state=ENDING)

    def mark_end_acked(self, job_id: str) -> None:
        self._update(job_id, end_acked=1, state=PROCESSING, attempts=0, next_attempt=0)

    def set_server_status(
        self, job_id: str, server_state: str, reasons: list[str], filters: list[dict[str, Any]]
    ) -> None:
        self._update(
            job_id, server_state=server_state, server_reasons=json.dumps(reasons), filter_statuses=json.dumps(filters)
        )

    def set_final(self, job_id: str, state: str, reason: str | None = None) -> bool:
        """Record an end state, unless the job already has one (a cancel at the device wins over a
        delivery step still in flight). True when recorded."""
        fields: dict[str, Any] = {"state": state, "ended": time.time(), "next_attempt": 0, "updated": time.time()}
        if reason is not None:
            fields["reason"] = reason
        cols = ", ".join(f"{k} = ?" for k in fields)
        final = ",".join("?" * len(FINAL_STATES))
        cur = self._write(
            f"UPDATE jobs SET {cols} WHERE job_id = ? AND state NOT IN ({final})",
            [*fields.values(), job_id, *FINAL_STATES],
        )
        return cur.rowcount == 1

    def schedule(self, job_id: str, *, attempts: int, at: float, error: str | None = None) -> None:
        fields: dict[str, Any] = {"attempts": attempts, "next_attempt": at}
        if error is not None:
            fields["last_error"] = error
        self._update(job_id, **fields)

    def resend(self, job_id: str) -> JobRecord:
        """A Failed or Aborted job goes out again from the start, under a new JobToken."""
        with self._transaction():
            job = self.job(job_id)
            if job.state not in (FAILED, ABORTED, CANCELED):
                raise SpoolError(
                    f"job {job_id} is {job.state}; only Failed, Aborted or Canceled jobs can be resent",
                    user_message="Only a failed job can be sent again.",
                )
            if not job.documents:
                raise SpoolError(
                    f"job {job_id} has no documents left to send", user_message="This job has no pages left to send."
                )
            self._write("UPDATE documents SET acked = 0 WHERE job_id = ?", [job_id])
            self._update(
                job_id,
                job_token=None,
                end_acked=0,
                server_state=None,
                reason=None,
                last_error=None,
                attempts=0,
                next_attempt=0,
                ended=None,
                state=QUEUED,
                scan_done=1,
            )
            return self.job(job_id)

    def delete(self, job_id: str) -> None:
        self.job(job_id)  # raises for an unknown job
        shutil.rmtree(self.job_dir(job_id), ignore_errors=True)
        self._write("DELETE FROM jobs WHERE job_id = ?", [job_id])

    def drop_documents(self, job_id: str) -> None:
        """Delete a finished job's files; its rows stay for the listing and the counts."""
        shutil.rmtree(self.job_dir(job_id), ignore_errors=True)

    # -- reading -------------------------------------------------------------------------------

    def job(self, job_id: str) -> JobRecord:
        rows = self._jobs("WHERE j.job_id = ?", [job_id])
        if not rows:
            raise SpoolError(f"no job {job_id} in the spool", user_message="That job is not in the queue.")
        return rows[0]

    def jobs(self, states: Iterable[str] | None = None) -> list[JobRecord]:
        if states is None:
            return self._jobs("", [])
        states = list(states)
        return self._jobs(f"WHERE j.state IN ({','.join('?' * len(states))})", states)

    def _jobs(self, where: str, args: list[Any]) -> list[JobRecord]:
        with self._lock:
            cur = self._db.execute(
                "SELECT j.*, (SELECT COUNT(*) FROM documents d WHERE d.job_id = j.job_id),"
                " (SELECT COUNT(*) FROM documents d WHERE d.job_id = j.job_id AND d.acked)"
                f" FROM jobs j {where} ORDER BY j.created",
                args,
            )
            names = [c[0] for c in cur.description]
            rows = cur.fetchall()
        out = []
        for row in rows:
            data = dict(zip(names[:-2], row[:-2], strict=True))
            data["ticket"] = json.loads(data.pop("ticket_json"))
            data["filter_statuses"] = json.loads(data["filter_statuses"] or "[]")
            data["server_reasons"] = json.loads(data["server_reasons"] or "[]")
            for flag in ("scan_done", "end_acked"):
                data[flag] = bool(data[flag])
            out.append(JobRecord(**data, documents=row[-2], acked=row[-1]))
        return out

    def documents(self, job_id: str) -> list[DocumentRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT document_id, format, file, pages, size, acked FROM documents WHERE job_id = ?"
                " ORDER BY document_id",
                (job_id,),
            ).fetchall()
        return [DocumentRecord(job_id, n, fmt, self.job_dir(job_id) / f, p, s, bool(a)) for n, fmt, f, p, s, a in rows]

    # -- start-up and housekeeping ---------------------------------------------------------------

    def complete_interrupted_documents(self, job_id: str) -> int:
        """Pages the scanning process had not made into stored documents when it died: the
        encoder's journal finishes the multi-page document it was writing, and page files never
        encoded are encoded now (kiosk.imaging.recover); each becomes the job's next document.
        If that fails, the work folder is kept aside (`unrecovered-work/`) instead of dropped."""
        from kiosk.imaging import no_room, recover

        work = self.job_dir(job_id) / "work"
        if not work.is_dir():
            return 0
        try:
            documents = recover(work, format=self.job(job_id).format)
        except Exception as exc:  # a damaged journal must not cost the pages
            if no_room(work, exc):
                # A full disk passes: tried again later (Worker._scan_abandoned), nothing set aside.
                raise SpoolError(
                    f"job {job_id}: the interrupted scan cannot be completed now: {exc}",
                    user_message="The kiosk cannot store scanned pages (disk full?).",
                ) from None
            kept = self.job_dir(job_id) / "unrecovered-work"
            log.error("job %s: the interrupted document cannot be completed (%s); pages kept in %s", job_id, exc, kept)
            work.replace(kept)
            return 0
        for doc in documents:
            self.add_document(job_id, doc.path, format=doc.format, pages=doc.pages)
        return len(documents)

    def adopt_orphans(self, job_id: str) -> None:
        """A document file renamed into place whose row was never written is complete (it was
        fsynced before the rename): give it its row. Then the pages that never reached a
        stored document are made into documents (`complete_interrupted_documents`)."""
        # Every document of a job has the job's format; the page count of an orphan is unknown (1).
        fmt = self.job(job_id).format
        known = {d.path.name for d in self.documents(job_id)}
        for path in self.job_dir(job_id).iterdir():
            stem = path.name.split(".")[0]
            if path.is_file() and stem.isdigit() and path.name not in known:
                self._write(
                    "INSERT INTO documents (job_id, document_id, format, file, pages, size) VALUES (?,?,?,?,?,?)",
                    [job_id, int(stem), fmt, path.name, 1, path.stat().st_size],
                )
        self.complete_interrupted_documents(job_id)

    def purge(self, *, keep_completed_hours: float, history_days: int, now: float | None = None) -> list[str]:
        """The one retention rule: a Completed job's files go after keep_completed_hours; every
        finished job (Completed, Canceled, Failed, Aborted) leaves with its files and its row after
        history_days, as its history row does. Returns the jobs removed."""
        now = now or time.time()
        for job in self.jobs([COMPLETED]):
            if self.job_dir(job.job_id).exists() and (job.ended or 0) + keep_completed_hours * 3600 <= now:
                self.drop_documents(job.job_id)
        cutoff = now - history_days * 86400
        expired = [job.job_id for job in self.jobs(FINAL_STATES) if (job.ended or job.updated) < cutoff]
        for job_id in expired:
            self.delete(job_id)
        return expired

    def free_mb(self) -> float:
        return free_mb(self.root)


def free_mb(path: Path) -> float:
    """Free space where `path` is, in the unit of [spool] min_free_mb (MiB)."""
    return shutil.disk_usage(path).free / (1024 * 1024)


def _extension(fmt: str, source: Path) -> str:
    """The file name extension of a document of DSM Format `fmt` (kiosk.imaging's one list)."""
    from kiosk.imaging import FORMATS  # Pillow, loaded only when a document is stored

    known = FORMATS.get(fmt)
    return f".{known[0]}" if known else (source.suffix or ".bin")
