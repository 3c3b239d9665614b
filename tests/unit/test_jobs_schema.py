"""Versioned stores: a spool, history or server journal written before versioning opens and is
upgraded; a failed step leaves the previous version; a newer store is refused clearly; one
retention rule for the spool and the history."""

from __future__ import annotations

import sqlite3
import time

import pytest

from dsm_server import store as server_store
from kiosk.errors import SpoolError
from kiosk.jobs import Engine
from kiosk.jobs import spool as sp
from kiosk.jobs.history import MIGRATIONS as HISTORY_MIGRATIONS
from kiosk.jobs.history import History
from kiosk.sqlite_schema import SchemaTooNew, migrate, version
from tests.fixtures.jobs_fakes import FakeEncoder, FakeScanner, FakeServer
from tests.fixtures.jobs_support import User, process, settings

#: The spool's schema as the first release wrote it (no user_version).
SPOOL_V0 = """
CREATE TABLE jobs (job_id TEXT PRIMARY KEY, user_sid TEXT NOT NULL, user_login TEXT NOT NULL,
    job_name TEXT NOT NULL, process_name TEXT NOT NULL, psp_identifier TEXT NOT NULL,
    scan_repository TEXT NOT NULL, instructions_xml TEXT NOT NULL, ticket_json TEXT NOT NULL,
    format TEXT NOT NULL, state TEXT NOT NULL, scan_done INTEGER NOT NULL DEFAULT 0,
    pages INTEGER NOT NULL DEFAULT 0, job_token TEXT, tokens_used INTEGER NOT NULL DEFAULT 0,
    end_acked INTEGER NOT NULL DEFAULT 0, server_state TEXT, server_reasons TEXT, reason TEXT,
    last_error TEXT, filter_statuses TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0, created REAL NOT NULL, updated REAL NOT NULL, ended REAL);
CREATE TABLE documents (job_id TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL, format TEXT NOT NULL, file TEXT NOT NULL, pages INTEGER NOT NULL,
    size INTEGER NOT NULL, acked INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (job_id, document_id));
INSERT INTO jobs (job_id, user_sid, user_login, job_name, process_name, psp_identifier, scan_repository,
    instructions_xml, ticket_json, format, state, scan_done, pages, created, updated)
    VALUES ('old1', 'S-1-5-21-1', 'alice', 'J', 'P', 'psp', 'srv', '<i/>', '{}', 'jfif', 'Queued', 1, 1, 1, 1);
INSERT INTO documents (job_id, document_id, format, file, pages, size) VALUES ('old1', 1, 'jfif', '1.jpg', 1, 3);
"""

HISTORY_V0 = """
CREATE TABLE history (job_id TEXT PRIMARY KEY, user_sid TEXT NOT NULL, user_login TEXT NOT NULL,
    job_name TEXT NOT NULL, process_name TEXT NOT NULL, pages INTEGER NOT NULL, documents INTEGER NOT NULL,
    documents_sent INTEGER NOT NULL, state TEXT NOT NULL, server_state TEXT, job_state_reasons TEXT,
    reason TEXT, filter_statuses TEXT, job_token TEXT, created REAL NOT NULL, updated REAL NOT NULL, ended REAL);
CREATE INDEX history_user ON history(user_sid, created);
INSERT INTO history VALUES ('old1', 'S-1-5-21-1', 'alice', 'J', 'P', 1, 1, 1, 'Completed', 'Completed',
    '[]', NULL, '[]', 'tok', 1, 1, 1);
"""

JOURNAL_V0 = """
CREATE TABLE jobs (token TEXT PRIMARY KEY, user_sid TEXT NOT NULL, psp_identifier TEXT NOT NULL,
    instructions TEXT NOT NULL, state TEXT NOT NULL, reasons TEXT NOT NULL DEFAULT '[]',
    filters TEXT NOT NULL DEFAULT '[]', created TEXT NOT NULL, completed TEXT);
CREATE TABLE documents (token TEXT NOT NULL REFERENCES jobs(token), document_id INTEGER NOT NULL,
    format TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, path TEXT NOT NULL,
    received TEXT NOT NULL, PRIMARY KEY (token, document_id));
INSERT INTO jobs (token, user_sid, psp_identifier, instructions, state, created)
    VALUES ('tok', 'S-1-5-21-1', 'psp', '<i/>', 'Started', '2026-01-01T00:00:00.000000Z');
"""


def write_v0(path, script: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(script)
    db.close()


def test_a_spool_written_before_versioning_opens_and_is_upgraded(tmp_path):
    write_v0(tmp_path / "spool" / "spool.sqlite3", SPOOL_V0)
    (tmp_path / "spool" / "jobs" / "old1").mkdir(parents=True)
    (tmp_path / "spool" / "jobs" / "old1" / "1.jpg").write_bytes(b"one")
    spool = sp.Spool(tmp_path / "spool")
    job = spool.job("old1")
    assert job.state == sp.QUEUED and job.documents == 1 and spool.documents("old1")[0].path.read_bytes() == b"one"
    assert version(spool._db) == len(sp.MIGRATIONS)
    indexes = {r[0] for r in spool._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "jobs_state" in indexes  # step 2 ran on the old store
    spool.close()
    assert version(sqlite3.connect(tmp_path / "spool" / "spool.sqlite3")) == len(sp.MIGRATIONS)


def test_a_history_written_before_versioning_opens(tmp_path):
    write_v0(tmp_path / "state" / "history.sqlite3", HISTORY_V0)
    history = History(tmp_path / "state", days=40)
    assert [r["job_id"] for r in history.for_user("S-1-5-21-1")] == ["old1"]
    assert version(history._db) == len(HISTORY_MIGRATIONS)
    history.close()


def test_a_server_journal_written_before_versioning_opens(tmp_path):
    write_v0(tmp_path / "journal.sqlite3", JOURNAL_V0)
    journal = server_store.Journal(tmp_path)
    job = journal.job("tok")
    assert job is not None and job.state == "Started"
    assert version(journal._db) == len(server_store.MIGRATIONS)
    journal.close()


def test_a_newer_spool_is_refused_with_a_clear_error(tmp_path):
    sp.Spool(tmp_path / "spool").close()
    db = sqlite3.connect(tmp_path / "spool" / "spool.sqlite3")
    db.execute(f"PRAGMA user_version = {len(sp.MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(SpoolError, match="newer than this software"):
        sp.Spool(tmp_path / "spool")


def test_a_failing_step_leaves_the_previous_version(tmp_path):
    db = sqlite3.connect(tmp_path / "s.sqlite3", isolation_level=None)
    steps = [("CREATE TABLE a (x)",), ("CREATE TABLE b (y)", "INSERT INTO nowhere VALUES (1)")]
    with pytest.raises(sqlite3.OperationalError):
        migrate(db, steps, store="test")
    assert version(db) == 1
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"a"}  # b's CREATE was rolled back with the failed step
    assert migrate(db, steps[:1], store="test") == 1
    with pytest.raises(SchemaTooNew):
        migrate(db, [], store="test")


def make_engine(tmp_path, server, loads, **spool):
    return Engine(settings(tmp_path, **spool), FakeScanner(loads), clients=server.client, encoder_factory=FakeEncoder)


def test_failed_jobs_and_their_files_expire_from_spool_and_history_together(tmp_path):
    from kiosk.errors import DeliveryError

    server = FakeServer()
    server.fail_next["create"] = DeliveryError("psp unknown", retryable=False)
    engine = make_engine(tmp_path, server, [2], history_days=1)
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    assert job.wait(10).state == sp.FAILED
    folder = engine.spool.job_dir(job.job_id)
    engine.worker.purge()
    assert folder.exists() and engine.history(User().sid)  # not yet expired
    expired = engine.spool.purge(keep_completed_hours=0, history_days=1, now=time.time() + 2 * 86400)
    assert expired == [job.job_id] and not folder.exists() and engine.spool.jobs() == []
    engine.close()


def test_the_worker_purge_forgets_the_history_of_what_left_the_spool(tmp_path):
    server = FakeServer()
    server.end_state = "Aborted"
    engine = make_engine(tmp_path, server, [1], history_days=0)
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    assert job.wait(10).state == sp.ABORTED
    assert engine.history(User().sid)
    time.sleep(0.01)  # history_days 0: ended strictly before now
    engine.worker.purge()
    assert engine.spool.jobs() == [] and engine.history(User().sid) == []
    assert not engine.spool.job_dir(job.job_id).exists()
    engine.close()


def test_deleting_a_job_removes_it_from_my_jobs_too(tmp_path):
    server = FakeServer()
    server.end_state = "Aborted"
    engine = make_engine(tmp_path, server, [1])
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    assert job.wait(10).state == sp.ABORTED
    assert [r["job_id"] for r in engine.history(User().sid)] == [job.job_id]
    engine.delete(job.job_id)
    assert engine.history(User().sid) == [] and engine.spool.jobs() == []
    engine.close()
