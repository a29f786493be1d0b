"""Exports of tasks, targets and documents as JSON Lines, JSON, CSV or Excel.

Library functions for the CLI: each ``export_*`` selects records with the same filters
the CLI offers and writes them to a path or an open stream; ``*_records`` return the
records themselves. Field names are the export contract (see ``TASK_FIELDS`` …); lists
stay lists in JSON and are joined with "; " in CSV/XLSX cells, because agency names hold
commas. Documents marked confidential are left out unless ``include_confidential``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import sqlite_utils

from schema.queries import agency_keys_matching
from vanban.export_formats import write_records
from vanban.records import numbered_section

Record = dict[str, Any]

TASK_FIELDS = (
    "source", "section", "text", "lead", "support", "deadlines", "recurrence",
    "first_deadline", "section_id", "lead_successor", "support_successor", "document", "number", "symbol",
    "doc_type", "doc_id", "task_id", "table_id", "start", "end", "status",
)
TARGET_FIELDS = (
    "source", "text", "value", "unit", "comparator", "by", "metric", "section", "task_id",
    "lead", "document", "number", "symbol", "doc_id", "start", "end", "status",
)
DOCUMENT_FIELDS = (
    "source", "doc_type", "number", "symbol", "issuer", "place", "date", "subject",
    "recipients", "signer", "signer_title", "citations", "doc_id", "doc_type_label",
    "number_raw", "issuer_printed", "urgency", "confidentiality", "cc", "tasks", "pages",
    "ocr", "status", "duplicate_of", "path",
)


@dataclass
class _Where:
    """A WHERE clause built from filters, with its parameters."""

    parts: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return " AND ".join(self.parts) if self.parts else "1"


def _period_end(value: str) -> str:
    """"2025" → "2025-12-31", "2025-06" → "2025-06-31" (string order: the month's end)."""
    return {4: value + "-12-31", 7: value + "-31"}.get(len(value), value)


def _common(where: _Where, *, document: str | None, include_confidential: bool) -> None:
    if not include_confidential:
        where.add("d.status != 'confidential'")
    if document:
        where.add("(d.id = ? OR d.source = ? OR d.number_raw = ? "
                  "OR d.number || '/' || d.symbol = ?)", *[document] * 4)


def _agency_clause(db: sqlite_utils.Database, where: _Where, task_col: str,
                   agency: str | None, role: str | None) -> None:
    if not agency and not role:
        return
    sql = f"EXISTS (SELECT 1 FROM task_agencies ta WHERE ta.task_id = {task_col}"
    params: list[Any] = []
    if agency:
        keys = agency_keys_matching(db, agency)
        sql += f" AND ta.agency_key IN ({', '.join('?' for _ in keys) or 'NULL'})"
        params += keys
    if role:
        sql += " AND ta.role = ?"
        params.append(role)
    where.add(sql + ")", *params)


def _json_list(text: str | None) -> list[str]:
    return json.loads(text) if text else []


def _roles(db: sqlite_utils.Database, where: _Where, base: str
           ) -> dict[str, dict[str, list[str]]]:
    """task id → {"lead": names, "support": names, "lead_successor": …}."""
    out: dict[str, dict[str, list[str]]] = {}
    sql = (f"SELECT ta.task_id, ta.role, a.name, a.successor_name FROM task_agencies ta "
           f"JOIN agencies a ON a.key = ta.agency_key "
           f"WHERE ta.task_id IN (SELECT t.id {base} WHERE {where.sql}) "
           f"ORDER BY ta.task_id, ta.ordinal")
    for task_id, role, name, successor in db.execute(sql, where.params):
        entry = out.setdefault(task_id, {"lead": [], "support": [], "lead_successor": [],
                                         "support_successor": []})
        entry[role].append(name)
        if successor:
            entry[f"{role}_successor"].append(successor)
    return out


def _deadlines(db: sqlite_utils.Database, where: _Where, base: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    sql = (f"SELECT dl.task_id, dl.date FROM deadlines dl "
           f"WHERE dl.date IS NOT NULL AND dl.task_id IN (SELECT t.id {base} WHERE {where.sql})"
           f" ORDER BY dl.task_id, dl.ordinal")
    for task_id, day in db.execute(sql, where.params):
        if day not in out.setdefault(task_id, []):
            out[task_id].append(day)
    return out


_TASK_BASE = "FROM tasks t JOIN documents d ON d.id = t.doc_id"


def task_records(db: sqlite_utils.Database, *, agency: str | None = None,
                 role: str | None = None, document: str | None = None,
                 date_from: str | None = None, date_to: str | None = None,
                 overdue: bool = False, today: date | None = None,
                 include_confidential: bool = False) -> list[Record]:
    """Tasks in document order. ``date_from``/``date_to`` keep tasks with a deadline in
    the range; ``overdue`` keeps tasks of active documents whose first deadline is before
    ``today``. ``agency`` matches the canonical name, its successor and predecessors."""
    where = _Where()
    _common(where, document=document, include_confidential=include_confidential)
    _agency_clause(db, where, "t.id", agency, role)
    if date_from or date_to:
        where.add("EXISTS (SELECT 1 FROM deadlines dl WHERE dl.task_id = t.id "
                  "AND dl.date >= ? AND dl.date <= ?)",
                  date_from or "0000", _period_end(date_to or "9999"))
    if overdue:
        where.add("d.status = 'active' AND t.first_deadline < ?",
                  (today or date.today()).isoformat())
    roles, deadlines = _roles(db, where, _TASK_BASE), _deadlines(db, where, _TASK_BASE)
    sql = (f"SELECT t.*, d.source, d.number, d.symbol, d.number_raw, d.doc_type, d.status "
           f"{_TASK_BASE} WHERE {where.sql} ORDER BY t.doc_id, t.ordinal")
    empty = {"lead": [], "support": [], "lead_successor": [], "support_successor": []}
    return [{
        "source": r["source"], "section": numbered_section(r["section_id"] or ""),
        "section_id": r["section_id"], "text": r["text"], **roles.get(r["id"], empty),
        "deadlines": sorted(deadlines.get(r["id"], [])),
        "recurrence": r["recurrence"], "first_deadline": r["first_deadline"],
        "document": r["number_raw"], "number": r["number"], "symbol": r["symbol"],
        "doc_type": r["doc_type"], "doc_id": r["doc_id"], "task_id": r["task_id"],
        "table_id": r["table_id"], "start": r["start"], "end": r["end"],
        "status": r["status"],
    } for r in db.query(sql, where.params)]


def target_records(db: sqlite_utils.Database, *, agency: str | None = None,
                   document: str | None = None, date_from: str | None = None,
                   date_to: str | None = None, include_confidential: bool = False
                   ) -> list[Record]:
    """Targets in document order; ``agency`` keeps targets of that agency's tasks,
    ``date_from``/``date_to`` filter on ``by``."""
    where = _Where()
    _common(where, document=document, include_confidential=include_confidential)
    _agency_clause(db, where, "g.task_id", agency, None)
    if date_from or date_to:
        where.add("g.[by] >= ? AND g.[by] <= ?", date_from or "0000",
                  _period_end(date_to or "9999"))
    sql = ("SELECT g.*, d.source, d.number, d.symbol, d.number_raw, d.status, t.section_id "
           "AS task_section, t.task_id AS task_local_id, t.lead FROM targets g "
           "JOIN documents d ON d.id = g.doc_id LEFT JOIN tasks t ON t.id = g.task_id "
           f"WHERE {where.sql} ORDER BY g.doc_id, g.ordinal")
    return [{
        "source": r["source"], "text": r["text"], "value": r["value"], "unit": r["unit"],
        "comparator": r["comparator"], "by": r["by"], "metric": r["metric"],
        "section": r["section_id"] or r["task_section"], "task_id": r["task_local_id"],
        "lead": r["lead"].split("; ") if r["lead"] else [], "document": r["number_raw"],
        "number": r["number"], "symbol": r["symbol"], "doc_id": r["doc_id"],
        "start": r["start"], "end": r["end"], "status": r["status"],
    } for r in db.query(sql, where.params)]


def _citations_by_doc(db: sqlite_utils.Database) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for doc_id, key in db.execute("SELECT doc_id, key FROM citations ORDER BY doc_id, ordinal"):
        if key not in out.setdefault(doc_id, []):
            out[doc_id].append(key)
    return out


def document_records(db: sqlite_utils.Database, *, document: str | None = None,
                     doc_type: str | None = None, date_from: str | None = None,
                     date_to: str | None = None, include_confidential: bool = False
                     ) -> list[Record]:
    """Documents by id; ``issuer`` is the readable name, ``issuer_printed`` as printed."""
    where = _Where()
    _common(where, document=document, include_confidential=include_confidential)
    if doc_type:
        where.add("d.doc_type = ?", doc_type)
    if date_from or date_to:
        where.add("d.date >= ? AND d.date <= ?", date_from or "0000",
                  _period_end(date_to or "9999"))
    citations = _citations_by_doc(db)
    sql = ("SELECT d.*, (SELECT count(*) FROM tasks t WHERE t.doc_id = d.id) AS n_tasks "
           f"FROM documents d WHERE {where.sql} ORDER BY d.id")
    return [{
        "source": r["source"], "doc_type": r["doc_type"], "number": r["number"],
        "symbol": r["symbol"], "issuer": r["issuer_name"] or r["issuer"], "place": r["place"],
        "date": r["date"], "subject": r["subject"], "recipients": _json_list(r["recipients"]),
        "signer": r["signer"], "signer_title": r["signer_title"],
        "citations": citations.get(r["id"], []), "doc_id": r["id"],
        "doc_type_label": r["doc_type_label"], "number_raw": r["number_raw"],
        "issuer_printed": r["issuer"], "urgency": r["urgency"],
        "confidentiality": r["confidentiality"], "cc": _json_list(r["cc"]),
        "tasks": r["n_tasks"], "pages": r["pages"], "ocr": bool(r["ocr"]),
        "status": r["status"], "duplicate_of": r["duplicate_of"], "path": r["path"],
    } for r in db.query(sql, where.params)]


def _agency_sheets(records: Iterable[Record]) -> dict[str, list[Record]]:
    """Agency name → its tasks (a task appears under each agency it names), with ``role``."""
    sheets: dict[str, list[Record]] = {}
    for rec in records:
        named = [(n, "lead") for n in rec["lead"]] + [(n, "support") for n in rec["support"]]
        for name, role in named or [("(chưa giao)", None)]:
            sheets.setdefault(name, []).append({"role": role, **rec})
    return sheets


def export_tasks(db: sqlite_utils.Database, fmt: str, out: IO[Any] | Path | str, *,
                 agency: str | None = None, role: str | None = None,
                 document: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, overdue: bool = False,
                 today: date | None = None, sheet_per_agency: bool = False,
                 include_confidential: bool = False) -> int:
    """Write tasks to ``out`` in ``fmt`` (jsonl, json, csv, xlsx); returns the task count.
    ``sheet_per_agency`` (xlsx only): one sheet per agency, with that agency's ``role``."""
    records = task_records(db, agency=agency, role=role, document=document,
                           date_from=date_from, date_to=date_to, overdue=overdue,
                           today=today, include_confidential=include_confidential)
    if sheet_per_agency and fmt == "xlsx":
        write_records(_agency_sheets(records), ("role", *TASK_FIELDS), fmt, out)
    else:
        write_records({"tasks": records}, TASK_FIELDS, fmt, out)
    return len(records)


def export_targets(db: sqlite_utils.Database, fmt: str, out: IO[Any] | Path | str, *,
                   agency: str | None = None, document: str | None = None,
                   date_from: str | None = None, date_to: str | None = None,
                   include_confidential: bool = False) -> int:
    records = target_records(db, agency=agency, document=document, date_from=date_from,
                             date_to=date_to, include_confidential=include_confidential)
    write_records({"targets": records}, TARGET_FIELDS, fmt, out)
    return len(records)


def export_documents(db: sqlite_utils.Database, fmt: str, out: IO[Any] | Path | str, *,
                     document: str | None = None, doc_type: str | None = None,
                     date_from: str | None = None, date_to: str | None = None,
                     include_confidential: bool = False) -> int:
    records = document_records(db, document=document, doc_type=doc_type,
                               date_from=date_from, date_to=date_to,
                               include_confidential=include_confidential)
    write_records({"documents": records}, DOCUMENT_FIELDS, fmt, out)
    return len(records)
