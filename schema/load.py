"""Writing documents, runs and failures to the database.

:func:`store_document` writes every row of one document in one transaction: the
previous rows of that ``doc_id`` are deleted and the new ones inserted, so a failure
half-way leaves the database as it was, and storing the same content twice is a no-op
(a fingerprint of the rows is compared first).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from extract.model import Document
from nlp.model import Analysis
from schema import tasklist
from schema.db import transaction
from schema.keys import doc_type_label
from schema.rows import DocumentRows, Row, build_rows

log = logging.getLogger(__name__)

FAILURE_REASONS = frozenset({
    "corrupt", "encrypted", "scanned", "unsupported", "empty", "no-content",
    "legacy-encoding", "timeout", "crash", "extract-error", "memory", "unreadable",
})
RUN_COUNTERS = ("files_seen", "files_ingested", "files_skipped", "files_failed", "tasks")

# children deleted in this order (dependants first) and inserted in the reverse one
_CHILD_DELETES = (
    "DELETE FROM task_agencies WHERE task_id IN (SELECT id FROM tasks WHERE doc_id = ?)",
    "DELETE FROM deadlines WHERE task_id IN (SELECT id FROM tasks WHERE doc_id = ?)",
    "DELETE FROM targets WHERE doc_id = ?",
    "DELETE FROM tasks WHERE doc_id = ?",
    "DELETE FROM citations WHERE doc_id = ?",
    "DELETE FROM footnotes WHERE doc_id = ?",
    "DELETE FROM doc_tables WHERE doc_id = ?",
    "DELETE FROM sections WHERE doc_id = ?",
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _insert_many(conn: sqlite3.Connection, table: str, rows: list[Row]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    sql = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)})")
    conn.executemany(sql, [tuple(r[c] for c in cols) for r in rows])


def _upsert_sql(table: str, cols: list[str], pk: str, keep: tuple[str, ...] = ()) -> str:
    """INSERT … ON CONFLICT(pk) DO UPDATE; columns in ``keep`` keep a non-null old value."""
    sets = [
        f"[{c}] = coalesce(excluded.[{c}], [{table}].[{c}])" if c in keep
        else f"[{c}] = excluded.[{c}]"
        for c in cols if c != pk
    ]
    return (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
            f"VALUES ({', '.join('?' for _ in cols)}) "
            f"ON CONFLICT([{pk}]) DO UPDATE SET {', '.join(sets)}")


def _upsert_many(conn: sqlite3.Connection, table: str, pk: str, rows: list[Row],
                 keep: tuple[str, ...] = ()) -> None:
    if rows:
        cols = list(rows[0])
        conn.executemany(_upsert_sql(table, cols, pk, keep),
                         [tuple(r[c] for c in cols) for r in rows])


def _duplicate_of(conn: sqlite3.Connection, row: Row) -> str | None:
    """The document this one repeats: same bytes, same canonical text, or the same
    (issuer, number, symbol, year) — one document received as a PDF and as a DOCX."""
    found = conn.execute(
        "SELECT id FROM documents WHERE id != ? AND duplicate_of IS NULL "
        "AND (sha256 = ? OR text_sha256 = ?) ORDER BY ingested_at, id LIMIT 1",
        (row["id"], row["sha256"], row["text_sha256"]),
    ).fetchone()
    if found is None and row.get("number") and row.get("symbol") and row.get("year"):
        found = conn.execute(
            "SELECT id FROM documents WHERE id != ? AND duplicate_of IS NULL "
            "AND number = ? AND symbol = ? AND year = ? AND issuer IS ? "
            "ORDER BY ingested_at, id LIMIT 1",
            (row["id"], row["number"], row["symbol"], row["year"], row.get("issuer")),
        ).fetchone()
    return found[0] if found else None


def _write(conn: sqlite3.Connection, rows: DocumentRows, fingerprint: str,
           old_status: str | None) -> None:
    doc_id = rows.document["id"]
    for sql in _CHILD_DELETES:
        conn.execute(sql, (doc_id,))
    doc = dict(rows.document)
    if old_status == "withdrawn":
        doc["status"] = "withdrawn"
    doc |= {"ingested_at": _now(), "fingerprint": fingerprint,
            "duplicate_of": _duplicate_of(conn, doc)}
    _upsert_many(conn, "documents", "id", [doc])
    _upsert_many(conn, "agencies", "key", rows.agencies,
                 keep=("agency_id", "successor_key", "successor_name", "level", "jurisdiction"))
    for table, table_rows in rows.children.items():
        _insert_many(conn, table, table_rows)
    tasklist.refresh_documents(conn, [doc_id])


def _record_file(conn: sqlite3.Connection, *, path: str, sha256: str | None,
                 size: int | None, mtime: float | None, doc_id: str | None,
                 run_id: int | None, status: str, error: str | None) -> None:
    row = {"path": path, "sha256": sha256, "size": size, "mtime": mtime, "doc_id": doc_id,
           "last_run_id": run_id, "status": status, "error": error}
    _upsert_many(conn, "files", "path", [row], keep=("sha256", "size", "mtime", "doc_id"))


def store_document(db: sqlite_utils.Database, doc: Document, analysis: Analysis, *,
                   doc_id: str, path: str, sha256: str, size: int, mtime: float,
                   jurisdiction: str | None = None, run_id: int | None = None
                   ) -> dict[str, Any]:
    """Write all rows of one document in one transaction; returns row counts per table.

    ``counts["unchanged"]`` is True when the database already held exactly these rows
    (nothing was written then, apart from the ``files`` row when ``run_id`` is given).
    """
    rows = build_rows(doc, analysis, doc_id=doc_id, path=path, sha256=sha256, size=size,
                      mtime=mtime, jurisdiction=jurisdiction)
    fingerprint = rows.fingerprint()
    counts: dict[str, Any] = rows.counts()
    with transaction(db) as conn:
        old = conn.execute("SELECT fingerprint, status FROM documents WHERE id = ?",
                           (doc_id,)).fetchone()
        counts["unchanged"] = old is not None and old[0] == fingerprint
        if not counts["unchanged"]:
            _write(conn, rows, fingerprint, old[1] if old else None)
        if run_id is not None or not counts["unchanged"]:
            _record_file(conn, path=path, sha256=sha256, size=size, mtime=mtime,
                         doc_id=doc_id, run_id=run_id, status="ingested", error=None)
    return counts


def start_run(db: sqlite_utils.Database) -> int:
    with transaction(db) as conn:
        cur = conn.execute("INSERT INTO runs (started_at, status) VALUES (?, 'running')",
                           (_now(),))
    assert cur.lastrowid is not None
    return cur.lastrowid


def finish_run(db: sqlite_utils.Database, run_id: int, stats: Mapping[str, Any]) -> None:
    """Close a run with its counters (``files_seen`` … ``tasks``) and ``status`` (default ok)."""
    values = {c: int(stats.get(c, 0)) for c in RUN_COUNTERS}
    values |= {"status": str(stats.get("status", "ok")), "finished_at": _now()}
    sets = ", ".join(f"[{c}] = ?" for c in values)
    with transaction(db) as conn:
        cur = conn.execute(f"UPDATE runs SET {sets} WHERE id = ?", (*values.values(), run_id))
        if cur.rowcount == 0:
            raise KeyError(f"no run {run_id}")


def record_failure(db: sqlite_utils.Database, run_id: int | None, path: str, reason: str,
                   detail: str | None = None, *, sha256: str | None = None,
                   size: int | None = None, mtime: float | None = None) -> None:
    """Record a file that could not be ingested, with a typed ``reason`` code."""
    if reason not in FAILURE_REASONS:
        log.warning("unknown failure reason %r for %s", reason, path)
    with transaction(db) as conn:
        conn.execute("INSERT INTO failures (run_id, path, reason, detail, at) "
                     "VALUES (?, ?, ?, ?, ?)", (run_id, path, reason, detail, _now()))
        _record_file(conn, path=path, sha256=sha256, size=size, mtime=mtime, doc_id=None,
                     run_id=run_id, status="failed",
                     error=f"{reason}: {detail}" if detail else reason)


def known_file(db: sqlite_utils.Database, path: str) -> dict[str, Any] | None:
    """The ``files`` row of ``path`` (for incremental ingest: compare size/mtime/sha256)."""
    rows = list(db.query("SELECT * FROM files WHERE path = ?", [path]))
    return rows[0] if rows else None


def mark_withdrawn(db: sqlite_utils.Database, doc_id: str) -> None:
    """Flag a document as withdrawn (kept, but no longer in force); survives re-ingest."""
    with transaction(db) as conn:
        cur = conn.execute("UPDATE documents SET status = 'withdrawn' WHERE id = ?", (doc_id,))
        if cur.rowcount == 0:
            raise KeyError(f"no document {doc_id!r}")
        tasklist.refresh_documents(conn, [doc_id])


def refresh_task_list(db: sqlite_utils.Database, *, changed: bool = True) -> int:
    """After a run: statuses brought to today and, when documents ``changed``, counts
    that fell to zero dropped and planner statistics refreshed if the list grew or shrank
    a lot. Returns the task rows whose status changed."""
    with transaction(db) as conn:
        n = tasklist.refresh_status(conn)
        if changed:
            tasklist.purge_zero_counts(conn)
            tasklist.analyze_if_grown(conn)
    return n


_RESOLVE = """
UPDATE citations SET cited_doc_id = (
    SELECT d.id FROM documents d
    WHERE d.symbol_key = citations.symbol_key
      AND ltrim(d.number, '0') = ltrim(citations.number, '0')
      AND (citations.year IS NULL OR d.year IS NULL OR d.year = citations.year)
      AND d.id != citations.doc_id
    ORDER BY d.duplicate_of IS NOT NULL, d.id LIMIT 1)
"""

_CITED = """
SELECT key, max(doc_type), max(number), max(year), max(date), max(issuer_code),
       max(issuer_name), max(cited_doc_id), count(DISTINCT doc_id)
FROM citations GROUP BY key ORDER BY key
"""


def cited_label(key: str, doc_type: str | None, date: str | None,
                issuer_name: str | None) -> str:
    """"Quyết định 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ"."""
    label = " ".join(p for p in (doc_type_label(doc_type), key) if p)
    if date and len(date) == 10:
        y, m, d = date.split("-")
        label += f" ngày {d}/{int(m)}/{y}"
    elif date and len(date) == 7:
        label += f" tháng {int(date[5:])}/{date[:4]}"
    if issuer_name:
        label += f" của {issuer_name}"
    return label


def resolve_citations(db: sqlite_utils.Database) -> int:
    """Link citations to corpus documents by number + symbol (+ year when both know it)
    and rebuild ``cited_documents``; returns how many citations point into the corpus."""
    with transaction(db) as conn:
        conn.execute(_RESOLVE)
        cited = conn.execute(_CITED).fetchall()
        conn.execute("DELETE FROM cited_documents")
        conn.executemany(
            "INSERT INTO cited_documents (key, label, doc_type, number, year, date, "
            "issuer_code, issuer_name, cited_doc_id, citing_documents) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(k, cited_label(k, t, d, iname), t, n, y, d, ic, iname, cid, cnt)
             for k, t, n, y, d, ic, iname, cid, cnt in cited],
        )
        (linked,) = conn.execute(
            "SELECT count(*) FROM citations WHERE cited_doc_id IS NOT NULL").fetchone()
    return int(linked)
