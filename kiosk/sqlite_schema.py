"""Versioned SQLite schemas for the kiosk's stores (spool, history) and the reference server's
journal: `PRAGMA user_version` counts the steps applied, and each step runs with its version
bump in one BEGIN IMMEDIATE transaction, so an upgrade stopped half-way leaves the previous
version intact and two processes opening one store never apply a step twice.

Step 1 of every store is its schema as it was before versioning, written with IF NOT EXISTS:
a store from before (user_version 0) takes it as a no-op. Later changes are new steps appended
to the list (never edit a step that has shipped). Our few lines rather than a migration library:
the stores are three small files opened by the device itself, with no one to run a tool.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

#: A step: SQL statements run in order, or a function given the connection (inside the transaction).
Step = tuple[str, ...] | Callable[[sqlite3.Connection], None]


class SchemaTooNew(sqlite3.DatabaseError):
    """The store was written by a newer version of the software (a downgrade)."""


@contextmanager
def immediate(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction taken at its start (BEGIN IMMEDIATE: no reader-to-writer upgrade
    that could fail with SQLITE_BUSY half-way). The connection must be in autocommit mode
    (isolation_level=None)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, steps: Sequence[Step], *, store: str) -> int:
    """Apply the steps the store does not have yet; returns the version it is at now."""
    if version(db) > len(steps):
        raise SchemaTooNew(
            f"{store} has schema version {version(db)}, newer than this software's {len(steps)};"
            " was the software downgraded?"
        )
    for number, step in enumerate(steps, start=1):
        if version(db) >= number:
            continue
        with immediate(db):
            if version(db) >= number:  # another process applied it while we waited for the lock
                continue
            if callable(step):
                step(db)
            else:
                for statement in step:
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {number:d}")
    return version(db)
