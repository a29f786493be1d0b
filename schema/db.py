"""Opening the vanban database: WAL journal, foreign keys on, a busy timeout.

The connection runs in autocommit mode (``isolation_level=None``); writers group their
statements with :func:`transaction`, which issues ``BEGIN IMMEDIATE`` / ``COMMIT`` itself,
so a write is either whole or absent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from schema.migrations import migrate

BUSY_TIMEOUT_MS = 30_000


def connect(path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A raw connection with the pragmas every vanban writer and reader uses."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=busy_timeout_ms / 1000)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_db(path: str | Path, *, migrated: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path``; apply migrations unless told not to."""
    db = sqlite_utils.Database(connect(path))
    if migrated:
        migrate(db)
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One write transaction: committed when the block ends, rolled back if it raises.

    Inside the block use the yielded connection's ``execute``/``executemany`` only:
    sqlite-utils' own write methods commit on their own and would split the transaction.
    """
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
