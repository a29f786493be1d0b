"""What the site's own pages show: plain functions over one SQLite connection.

This module sits in Datasette's plugins directory, which also executes it on its own
(outside ``sys.modules``): keep it free of hooks and of dataclasses.

Each ``*_page`` function returns the template context of one page (or ``None`` when the
thing does not exist or belongs to a confidential document). They run inside
Datasette's read threads through ``Database.execute_fn``.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any, NamedTuple

from extract.normalize import fold
from schema.keys import doc_type_label, split_citation_key
from schema.queries import fts_query

SEARCH_LIMIT = 20
RANK_WINDOW = 500  # matches ranked by bm25; beyond it FTS5 ranking costs seconds at 1M rows
PASSAGE_CONTEXT = 300
PASSAGE_MAX = 4000

_DOC_NUMBER = re.compile(r"^\s*\d+[a-z]?\s*/\s*(?:(?:19|20)\d\d\s*/\s*)?[^\s/][^\s]*\s*$",
                         re.IGNORECASE)
_OPEN = "status != 'confidential'"


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _one(conn: sqlite3.Connection, sql: str, params: Any = ()) -> dict[str, Any] | None:
    rows = _rows(conn, sql, params)
    return rows[0] if rows else None


def doc_label(doc: dict[str, Any]) -> str:
    """"Quyết định 1187/QĐ-BNV"; "Công văn …/UBND-THCBKS (2025-03)" for a draft without
    a number; the file id when there is neither number nor symbol."""
    kind = doc_type_label(doc.get("doc_type")) or "Văn bản"
    if doc.get("number"):
        return f"{kind} {doc['number']}/{doc['symbol']}"
    if doc.get("symbol"):
        when = f" ({doc['date']})" if doc.get("date") else ""
        return f"{kind} …/{doc['symbol']}{when}"
    return f"{kind} {doc['id']}"


# --- search ---------------------------------------------------------------------------

def is_doc_number(text: str) -> bool:
    """"56/TB-VPCP", "42/2022/NĐ-CP": a lookup by number, not words."""
    return bool(_DOC_NUMBER.match(text)) and "/" in text


def number_lookup(conn: sqlite3.Connection, text: str) -> dict[str, Any]:
    """Documents numbered exactly ``text`` (in the corpus or only cited): "56/TB-VPCP"
    does not find "156/TB-VPCP"."""
    number, year, sym = split_citation_key(text.strip())
    if not number or not sym:
        return {"documents": [], "cited": []}
    docs = _rows(conn, "SELECT * FROM documents WHERE symbol_key = ? "
                 "AND ltrim(number, '0') = ltrim(?, '0') AND (? IS NULL OR year = ?) "
                 f"AND {_OPEN} ORDER BY date DESC", (sym, number, year, year))
    for d in docs:
        d["label"] = doc_label(d)
    cited = _rows(conn, """
        SELECT cd.key, cd.label, cd.cited_doc_id, count(DISTINCT c.doc_id) AS citing
        FROM citations c JOIN cited_documents cd ON cd.key = c.key
        JOIN documents d ON d.id = c.doc_id
        WHERE c.symbol_key = ? AND ltrim(c.number, '0') = ltrim(?, '0')
          AND (? IS NULL OR c.year IS NULL OR c.year = ?) AND d.status != 'confidential'
        GROUP BY cd.key ORDER BY cd.key""", (sym, number, year, year))
    for c in cited:
        c["citing_documents"] = _rows(conn, f"""
            SELECT DISTINCT d.id, d.number, d.symbol, d.doc_type, d.date, d.subject
            FROM citations c JOIN documents d ON d.id = c.doc_id
            WHERE c.key = ? AND d.{_OPEN} ORDER BY d.id""", (c["key"],))
        for d in c["citing_documents"]:
            d["label"] = doc_label(d)
    return {"documents": docs, "cited": cited}


def _fts(conn: sqlite3.Connection, table: str, match: str, select: str, join: str
         ) -> tuple[list[dict[str, Any]], bool]:
    """Best ``SEARCH_LIMIT`` matches among the first ``RANK_WINDOW`` (by rowid)."""
    sql = f"""
        WITH hits AS (SELECT rowid, bm25([{table}_fts]) AS score FROM [{table}_fts]
                      WHERE [{table}_fts] MATCH ? LIMIT {RANK_WINDOW + 1})
        SELECT {select}, (SELECT count(*) FROM hits) AS n_hits
        FROM hits JOIN [{table}] x ON x.rowid = hits.rowid {join}
        WHERE d.status != 'confidential' ORDER BY hits.score LIMIT {SEARCH_LIMIT}"""
    rows = _rows(conn, sql, (match,))
    more = bool(rows) and rows[0]["n_hits"] > RANK_WINDOW
    return rows, more


def search_page(conn: sqlite3.Connection, q: str) -> dict[str, Any]:
    """Tasks, sections and documents matching the user's words, accents optional."""
    q = (q or "").strip()
    out: dict[str, Any] = {"q": q, "folded": fold(q), "tasks": [], "sections": [],
                           "documents": [], "number": None, "more": {}}
    if not q:
        return out
    match = fts_query(q)
    if is_doc_number(q):
        out["number"] = number_lookup(conn, q)
        match = fts_query(f'"{q}"')  # the number as a phrase: "56 tb vpcp", never "156"
    if not match:
        return out
    out["tasks"], out["more"]["tasks"] = _fts(
        conn, "tasks", match,
        "x.id, x.text, x.lead, x.support, x.first_deadline, x.section_id, x.doc_id, "
        "d.number, d.symbol, d.doc_type, d.date",
        "JOIN documents d ON d.id = x.doc_id")
    out["sections"], out["more"]["sections"] = _fts(
        conn, "sections", match,
        "x.id, x.section_id, x.label, x.heading, substr(x.text, 1, 300) AS text, x.doc_id, "
        "d.number, d.symbol, d.doc_type, d.date",
        "JOIN documents d ON d.id = x.doc_id")
    out["documents"], out["more"]["documents"] = _fts(
        conn, "documents", match,
        "x.id, x.number, x.symbol, x.doc_type, x.subject, x.date, "
        "coalesce(x.issuer_name, x.issuer) AS issuer",
        "JOIN documents d ON d.id = x.id")
    for r in out["tasks"] + out["sections"]:
        r["doc_label"] = doc_label({**r, "id": r["doc_id"]})
    for r in out["documents"]:
        r["label"] = doc_label(r)
    return out


# --- evidence -------------------------------------------------------------------------

class Span(NamedTuple):
    start: int
    end: int
    kind: str  # agency | deadline | target
    title: str


def highlight(text: str, offset: int, spans: list[Span]) -> list[tuple[str, str]]:
    """``text`` (which starts at ``offset`` in the document) cut into (classes, piece)
    runs; overlapping spans give a piece several classes."""
    marks: list[set[str]] = [set() for _ in text]
    for s in spans:
        for i in range(max(s.start - offset, 0), min(s.end - offset, len(text))):
            marks[i].add(s.kind)
    runs: list[tuple[str, str]] = []
    for i, ch in enumerate(text):
        cls = " ".join(sorted(marks[i]))
        if runs and runs[-1][0] == cls:
            runs[-1] = (cls, runs[-1][1] + ch)
        else:
            runs.append((cls, ch))
    return runs


def _passage_bounds(task: dict[str, Any], spans: list[Span], size: int) -> tuple[int, int]:
    start, end = task["start"] or 0, task["end"] or 0
    near = [s for s in spans if s.start >= start - PASSAGE_CONTEXT * 3
            and s.end <= end + PASSAGE_CONTEXT * 3]
    lo = min([start, *(s.start for s in near)])
    hi = max([end, *(s.end for s in near)])
    lo, hi = max(lo - PASSAGE_CONTEXT // 3, 0), min(hi + PASSAGE_CONTEXT // 3, size)
    return lo, min(hi, lo + PASSAGE_MAX)


def _snap_to_lines(text: str, lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    """Move ``lo``/``hi`` (offsets into ``text``) to line ends, staying within
    ``start``…``end`` of the document so the passage opens and closes on whole lines."""
    cut = text.find("\n", 0, max(start - lo, 0))
    new_lo = lo + cut + 1 if cut >= 0 else lo
    tail = text.rfind("\n", max(end - lo, 0))
    new_hi = lo + tail if tail >= 0 else hi
    return new_lo, new_hi


def task_page(conn: sqlite3.Connection, task_id: str) -> dict[str, Any] | None:
    task = _one(conn, "SELECT t.*, d.number, d.symbol, d.doc_type, d.date, d.subject, "
                "d.status FROM tasks t JOIN documents d ON d.id = t.doc_id "
                "WHERE t.id = ? AND d.status != 'confidential'", (task_id,))
    if task is None:
        return None
    task["doc_label"] = doc_label({**task, "id": task["doc_id"]})
    agencies = _rows(conn, "SELECT ta.*, a.name, a.successor_key, a.successor_name "
                     "FROM task_agencies ta JOIN agencies a ON a.key = ta.agency_key "
                     "WHERE ta.task_id = ? ORDER BY ta.role, ta.ordinal", (task_id,))
    deadlines = _rows(conn, "SELECT * FROM deadlines WHERE task_id = ? ORDER BY ordinal",
                      (task_id,))
    targets = _rows(conn, "SELECT * FROM targets WHERE task_id = ? ORDER BY ordinal",
                    (task_id,))
    section = _one(conn, "SELECT * FROM sections WHERE doc_id = ? AND section_id = ?",
                   (task["doc_id"], task["section_id"]))
    spans = [Span(a["start"], a["end"], "agency", f"{a['name']} ({a['role']})")
             for a in agencies if a["start"] is not None]
    spans += [Span(d["start"], d["end"], "deadline", d["date"] or d["raw"] or "")
              for d in deadlines if d["start"] is not None]
    spans += [Span(g["start"], g["end"], "target", g["metric"] or g["text"] or "")
              for g in targets if g["start"] is not None]
    (size,) = conn.execute("SELECT length(text) FROM documents WHERE id = ?",
                           (task["doc_id"],)).fetchone()
    lo, hi = _passage_bounds(task, spans, size)
    (text,) = conn.execute("SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
                           (lo + 1, hi - lo, task["doc_id"])).fetchone()
    first = min([task["start"] or lo, *(s.start for s in spans if s.start >= lo)])
    last = max([task["end"] or hi, *(s.end for s in spans if s.end <= hi)])
    new_lo, new_hi = _snap_to_lines(text, lo, hi, first, last)
    text, lo, hi = text[new_lo - lo:new_hi - lo], new_lo, new_hi
    outside = [s for s in spans if s.end <= lo or s.start >= hi]
    return {"task": task, "agencies": agencies, "deadlines": deadlines, "targets": targets,
            "section": section, "passage": highlight(text, lo, spans),
            "passage_start": lo, "passage_end": hi, "outside": outside,
            "task_range": (task["start"], task["end"])}


# --- documents and agencies -----------------------------------------------------------

def document_page(conn: sqlite3.Connection, doc_id: str) -> dict[str, Any] | None:
    doc = _one(conn, "SELECT id, source, format, doc_type, doc_type_label, number, symbol, "
               "number_raw, year, issuer, issuer_name, place, date, subject, signer, "
               "signer_title, pages, ocr, status, duplicate_of, path FROM documents "
               f"WHERE id = ? AND {_OPEN}", (doc_id,))
    if doc is None:
        return None
    doc["label"] = doc_label(doc)
    cites = _rows(conn, """
        SELECT c.key, min(c.raw) AS raw, count(*) AS times, cd.label,
               CASE WHEN cdoc.status != 'confidential' THEN c.cited_doc_id END AS cited_doc_id
        FROM citations c LEFT JOIN cited_documents cd ON cd.key = c.key
        LEFT JOIN documents cdoc ON cdoc.id = c.cited_doc_id
        WHERE c.doc_id = ? GROUP BY c.key ORDER BY min(c.ordinal)""", (doc_id,))
    cited_by = _rows(conn, f"""
        SELECT d.id, d.number, d.symbol, d.doc_type, d.date, d.subject,
               group_concat(DISTINCT c.key) AS keys
        FROM citations c JOIN documents d ON d.id = c.doc_id
        WHERE c.cited_doc_id = ? AND d.id != ? AND d.{_OPEN}
        GROUP BY d.id ORDER BY d.date DESC, d.id""", (doc_id, doc_id))
    for d in cited_by:
        d["label"] = doc_label(d)
    tasks = _rows(conn, "SELECT id, section_id, text, lead, support, first_deadline "
                  "FROM tasks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
    targets = _rows(conn, "SELECT text, value, unit, comparator, metric, \"by\" "
                    "FROM targets WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
    return {"doc": doc, "cites": cites, "cited_by": cited_by, "tasks": tasks,
            "targets": targets}


def agency_page(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """An agency's tasks across documents, with those assigned under a predecessor's
    name (agencies whose ``successor_key`` is this one)."""
    agency = _one(conn, "SELECT * FROM agencies WHERE key = ?", (key,))
    if agency is None:
        return None
    predecessors = _rows(conn, "SELECT key, name FROM agencies WHERE successor_key = ? "
                         "ORDER BY name", (key,))
    keys = [key, *(p["key"] for p in predecessors)]
    marks = ", ".join("?" for _ in keys)
    tasks = _rows(conn, f"""
        SELECT t.id, t.text, t.first_deadline, t.section_id, t.doc_id, ta.role,
               ta.agency_key, a.name AS assigned_as, d.number, d.symbol, d.doc_type, d.date
        FROM task_agencies ta JOIN tasks t ON t.id = ta.task_id
        JOIN agencies a ON a.key = ta.agency_key JOIN documents d ON d.id = t.doc_id
        WHERE ta.agency_key IN ({marks}) AND d.{_OPEN}
        ORDER BY t.first_deadline IS NULL, t.first_deadline, t.doc_id, t.ordinal""", keys)
    for t in tasks:
        t["doc_label"] = doc_label({**t, "id": t["doc_id"]})
        t["via_predecessor"] = t["agency_key"] != key
    return {"agency": agency, "predecessors": predecessors, "tasks": tasks,
            "lead": sum(t["role"] == "lead" for t in tasks),
            "support": sum(t["role"] == "support" for t in tasks)}


# --- home and charts ------------------------------------------------------------------

def home_stats(conn: sqlite3.Connection) -> dict[str, int]:
    one = conn.execute(f"""
        SELECT (SELECT count(*) FROM documents WHERE {_OPEN}),
               (SELECT count(*) FROM tasks),
               (SELECT count(*) FROM agencies WHERE generic = 0),
               (SELECT count(*) FROM tasks WHERE first_deadline >= date('now')
                  AND first_deadline <= date('now', '+30 days')),
               (SELECT count(*) FROM tasks WHERE first_deadline < date('now')),
               (SELECT count(*) FROM cited_documents)""").fetchone()
    keys = ("documents", "tasks", "agencies", "next30", "overdue", "cited")
    return dict(zip(keys, one, strict=True))


def chart_data(conn: sqlite3.Connection, top: int = 25) -> dict[str, Any]:
    agencies = _rows(conn, f"""
        SELECT coalesce(a.successor_key, a.key) AS key,
               coalesce(a.successor_name, a.name) AS name,
               sum(ta.role = 'lead') AS lead, sum(ta.role = 'support') AS support
        FROM task_agencies ta JOIN agencies a ON a.key = ta.agency_key
        JOIN tasks t ON t.id = ta.task_id JOIN documents d ON d.id = t.doc_id
        WHERE a.generic = 0 AND d.{_OPEN}
        GROUP BY 1 ORDER BY lead + support DESC, name LIMIT ?""", (top,))
    months = _rows(conn, f"""
        SELECT substr(dl.date, 1, 7) AS month, count(DISTINCT dl.task_id) AS tasks
        FROM deadlines dl JOIN tasks t ON t.id = dl.task_id
        JOIN documents d ON d.id = t.doc_id
        WHERE dl.date IS NOT NULL AND length(dl.date) >= 7 AND d.{_OPEN}
        GROUP BY 1 ORDER BY 1""")
    return {"agencies": agencies, "months": months}


def bar_chart(rows: list[dict[str, Any]], label: str, values: list[str],
              width: int = 640, bar: int = 18, label_width: int = 260) -> dict[str, Any]:
    """Geometry of a horizontal bar chart (stacked when several ``values``), for the SVG
    template: one row per item, bars scaled to the largest total."""
    biggest = max((sum(r[v] or 0 for v in values) for r in rows), default=0) or 1
    scale = (width - label_width - 50) / biggest
    items = []
    for i, r in enumerate(rows):
        x, parts = label_width, []
        for j, v in enumerate(values):
            w = (r[v] or 0) * scale
            parts.append({"x": round(x, 1), "w": round(w, 1), "series": j, "n": r[v] or 0})
            x += w
        items.append({"y": i * (bar + 6), "label": r[label], "parts": parts,
                      "total": sum(r[v] or 0 for v in values), "end": round(x, 1),
                      "row": r})
    return {"items": items, "width": width, "height": len(rows) * (bar + 6) + 4,
            "bar": bar, "label_width": label_width}
