"""Versioned schema of the vanban database.

Each migration is a numbered step applied once, inside its own transaction, and recorded
in ``_migrations``. :func:`migrate` applies the steps a database has not seen yet, so
calling it again changes nothing. A change to the schema is a new step appended to
:data:`MIGRATIONS` — never an edit of an applied one.

Search columns (``*_folded``) hold :func:`extract.normalize.fold` of their source column
(accent-less, lower case, đ → d); the FTS5 indexes cover those columns, because the
``unicode61`` tokenizer never folds đ and, with ``remove_diacritics 1``, keeps letters
with two marks apart.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from schema import tasklist
from schema.views import SITE_VIEWS, VIEWS

FTS_TOKENIZE = "unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


_CORE = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    path TEXT,
    format TEXT,
    sha256 TEXT,
    size INTEGER,
    mtime REAL,
    doc_type TEXT,
    doc_type_label TEXT,
    number TEXT,
    symbol TEXT,
    symbol_key TEXT,
    number_raw TEXT,
    year INTEGER,
    issuer TEXT,
    issuer_name TEXT,
    place TEXT,
    date TEXT,
    subject TEXT,
    subject_folded TEXT,
    recipients TEXT NOT NULL DEFAULT '[]',
    signer TEXT,
    signer_title TEXT,
    cc TEXT NOT NULL DEFAULT '[]',
    urgency TEXT,
    confidentiality TEXT,
    text TEXT NOT NULL,
    text_folded TEXT NOT NULL,
    text_sha256 TEXT,
    pages INTEGER,
    ocr INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'withdrawn', 'confidential')),
    warnings TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT,
    fingerprint TEXT,
    duplicate_of TEXT REFERENCES documents(id) ON DELETE SET NULL
);
CREATE INDEX documents_doc_type ON documents(doc_type);
CREATE INDEX documents_issuer ON documents(issuer);
CREATE INDEX documents_symbol_number ON documents(symbol, number);
CREATE INDEX documents_symbol_key_number ON documents(symbol_key, number);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_status ON documents(status);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE INDEX documents_text_sha256 ON documents(text_sha256);
CREATE INDEX documents_duplicate_of ON documents(duplicate_of);

CREATE TABLE sections (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    section_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    parent TEXT,
    label TEXT,
    kind TEXT,
    level INTEGER,
    heading TEXT,
    heading_folded TEXT,
    text TEXT,
    text_folded TEXT,
    start INTEGER,
    "end" INTEGER,
    page INTEGER
);
CREATE INDEX sections_doc_id ON sections(doc_id, ordinal);
CREATE INDEX sections_kind ON sections(kind);

CREATE TABLE doc_tables (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    table_id TEXT NOT NULL,
    section_id TEXT,
    title TEXT,
    header TEXT NOT NULL DEFAULT '[]',
    rows TEXT NOT NULL DEFAULT '[]',
    n_rows INTEGER,
    start INTEGER,
    "end" INTEGER
);
CREATE INDEX doc_tables_doc_id ON doc_tables(doc_id, section_id);

CREATE TABLE agencies (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    agency_id TEXT,
    successor_key TEXT REFERENCES agencies(key) DEFERRABLE INITIALLY DEFERRED,
    successor_name TEXT,
    level TEXT,
    jurisdiction TEXT,
    generic INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agencies_successor_key ON agencies(successor_key);
CREATE INDEX agencies_name_folded ON agencies(name_folded);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    task_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    section_id TEXT,
    text TEXT NOT NULL,
    text_folded TEXT NOT NULL,
    start INTEGER,
    "end" INTEGER,
    rule TEXT,
    table_id TEXT,
    recurrence TEXT,
    first_deadline TEXT,
    deadline_month TEXT,
    lead TEXT,
    support TEXT,
    agencies_folded TEXT
);
CREATE INDEX tasks_doc_id ON tasks(doc_id, ordinal);
CREATE INDEX tasks_first_deadline ON tasks(first_deadline);
CREATE INDEX tasks_deadline_month ON tasks(deadline_month);
CREATE INDEX tasks_recurrence ON tasks(recurrence);

CREATE TABLE task_agencies (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    agency_key TEXT NOT NULL REFERENCES agencies(key),
    role TEXT NOT NULL CHECK (role IN ('lead', 'support')),
    ordinal INTEGER NOT NULL,
    mention_text TEXT,
    start INTEGER,
    "end" INTEGER,
    rule TEXT,
    PRIMARY KEY (task_id, agency_key, role)
);
CREATE INDEX task_agencies_agency_role ON task_agencies(agency_key, role);

CREATE TABLE deadlines (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    date TEXT,
    raw TEXT,
    kind TEXT,
    recurrence TEXT,
    start INTEGER,
    "end" INTEGER,
    rule TEXT,
    PRIMARY KEY (task_id, ordinal)
);
CREATE INDEX deadlines_date ON deadlines(date);

CREATE TABLE targets (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    task_id TEXT REFERENCES tasks(id) ON DELETE SET NULL,
    section_id TEXT,
    text TEXT,
    value REAL,
    unit TEXT,
    comparator TEXT,
    metric TEXT,
    "by" TEXT,
    start INTEGER,
    "end" INTEGER,
    rule TEXT
);
CREATE INDEX targets_doc_id ON targets(doc_id, ordinal);
CREATE INDEX targets_task_id ON targets(task_id);
CREATE INDEX targets_by ON targets("by");

CREATE TABLE citations (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    section_id TEXT,
    key TEXT NOT NULL,
    number TEXT,
    symbol_key TEXT,
    year INTEGER,
    doc_type TEXT,
    issuer_code TEXT,
    date TEXT,
    issuer_name TEXT,
    raw TEXT,
    start INTEGER,
    "end" INTEGER,
    rule TEXT,
    cited_doc_id TEXT REFERENCES documents(id) ON DELETE SET NULL
);
CREATE INDEX citations_doc_id ON citations(doc_id, ordinal);
CREATE INDEX citations_key ON citations(key);
CREATE INDEX citations_cited_doc_id ON citations(cited_doc_id);
CREATE INDEX citations_symbol_key_number ON citations(symbol_key, number);

CREATE TABLE cited_documents (
    key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    doc_type TEXT,
    number TEXT,
    year INTEGER,
    date TEXT,
    issuer_code TEXT,
    issuer_name TEXT,
    cited_doc_id TEXT REFERENCES documents(id) ON DELETE SET NULL,
    citing_documents INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cited_documents_cited_doc_id ON cited_documents(cited_doc_id);

CREATE TABLE footnotes (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    marker TEXT,
    text TEXT,
    section_id TEXT,
    "offset" INTEGER,
    PRIMARY KEY (doc_id, ordinal)
);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    files_seen INTEGER NOT NULL DEFAULT 0,
    files_ingested INTEGER NOT NULL DEFAULT 0,
    files_skipped INTEGER NOT NULL DEFAULT 0,
    files_failed INTEGER NOT NULL DEFAULT 0,
    tasks INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'running'
);

CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    path TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT,
    at TEXT NOT NULL
);
CREATE INDEX failures_run_id ON failures(run_id);
CREATE INDEX failures_path ON failures(path);
CREATE INDEX failures_reason ON failures(reason);

CREATE TABLE files (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    size INTEGER,
    mtime REAL,
    doc_id TEXT REFERENCES documents(id) ON DELETE SET NULL,
    last_run_id INTEGER REFERENCES runs(id),
    status TEXT NOT NULL,
    error TEXT
);
CREATE INDEX files_doc_id ON files(doc_id);
CREATE INDEX files_last_run_id ON files(last_run_id);
CREATE INDEX files_status ON files(status);
"""

# table → folded columns indexed by FTS5 (external content, kept in step by triggers)
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("subject_folded", "text_folded"),
    "sections": ("heading_folded", "text_folded"),
    "tasks": ("text_folded", "agencies_folded"),
}


def fts_sql(table: str, columns: tuple[str, ...]) -> str:
    """FTS5 table ``<table>_fts`` over ``columns`` with the triggers sqlite-utils would make
    (same names, so ``sqlite_utils`` and Datasette both detect it)."""
    cols = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    fts = f"[{table}_fts]"
    return f"""
CREATE VIRTUAL TABLE {fts} USING FTS5 ({cols}, tokenize='{FTS_TOKENIZE}', content=[{table}]);
CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN
  INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
END;
CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN
  INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old});
END;
CREATE TRIGGER [{table}_au] AFTER UPDATE ON [{table}] BEGIN
  INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old});
  INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
END;
"""


def _create_core(conn: sqlite3.Connection) -> None:
    _run_script(conn, _CORE)


def _create_fts(conn: sqlite3.Connection) -> None:
    for table, columns in FTS_COLUMNS.items():
        _run_script(conn, fts_sql(table, columns))


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the migration's transaction; run statement by statement.
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            conn.execute(buf)
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement: {buf[:80]!r}")


def _create_site_tables(conn: sqlite3.Connection) -> None:
    # the site used to create its views at startup; they now belong to the schema
    for name in SITE_VIEWS:
        conn.execute(f"DROP VIEW IF EXISTS [{name}]")
    for sql in tasklist.SCHEMA:
        conn.execute(sql)
    for name, sql in VIEWS.items():
        conn.execute(f"CREATE VIEW [{name}] AS {sql}")
    tasklist.rebuild(conn)


def _task_list_version(conn: sqlite3.Connection) -> None:
    for sql in tasklist.SCHEMA_4:
        conn.execute(sql)


def _type_names(conn: sqlite3.Connection) -> None:
    # "loại văn bản" named from the type code, not as printed (a letter prints none)
    conn.execute("DROP VIEW IF EXISTS document_list")
    conn.execute(f"CREATE VIEW document_list AS {VIEWS['document_list']}")
    tasklist.rebuild(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core tables and indexes", _create_core),
    Migration(2, "fts5 over folded columns", _create_fts),
    Migration(3, "materialized task list, facet counts, site views", _create_site_tables),
    Migration(4, "task list version, status-led covering index", _task_list_version),
    Migration(5, "document types named from their code in the site's lists", _type_names),
)


def applied_versions(db: sqlite_utils.Database) -> list[int]:
    if not db["_migrations"].exists():
        return []
    return [r[0] for r in db.execute("SELECT version FROM _migrations ORDER BY version")]


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply the migrations this database lacks; returns the versions applied now."""
    conn = db.conn
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = set(applied_versions(db))
    applied: list[int] = []
    for m in MIGRATIONS:
        if m.version in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            m.apply(conn)
            conn.execute(
                "INSERT INTO _migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (m.version, m.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(m.version)
    return applied


def schema_version(db: sqlite_utils.Database) -> int:
    versions = applied_versions(db)
    return max(versions) if versions else 0
